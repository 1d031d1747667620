// The tax quote in the API's JSON (CONTRACT.md "Tax quote"), shared by
// POST /api/v1/tax/quote and `shumao tax quote`: parse the request, compute with the tax
// module, render the answer. Amounts are accepted as strings or numbers and kept exact
// (never doubles); answers carry them as strings with two decimals.
#ifndef SHUMAO_HTTP_TAX_QUOTE_JSON_H_
#define SHUMAO_HTTP_TAX_QUOTE_JSON_H_

#include <functional>
#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"
#include "tax/tax.h"

namespace shumao::http {

// The buyer's quota used in `year` before this order, from the ledger of import
// clearance (clearance::Engine::Quota); may refuse (PermissionDenied) a caller who may not
// see it.
using QuotaLookup = std::function<StatusOr<Decimal>(const std::string& id_type,
                                                    const std::string& id_number, int year)>;

// InvalidArgument names the field at fault ("items[2].price"). With a buyer in the request
// and a `quota` lookup, the annual limit is checked against the buyer's ledger; without
// the lookup, against nothing used yet.
StatusOr<std::string> QuoteFromJson(std::string_view body, const tax::TariffTable& table,
                                    const Clock& clock, const QuotaLookup& quota = nullptr);

}  // namespace shumao::http

#endif  // SHUMAO_HTTP_TAX_QUOTE_JSON_H_

// The tax quote in the API's JSON (CONTRACT.md "Tax quote"), shared by
// POST /api/v1/tax/quote and `shumao tax quote`: parse the request, compute with the tax
// module, render the answer. Amounts are accepted as strings or numbers and kept exact
// (never doubles); answers carry them as strings with two decimals.
#ifndef SHUMAO_HTTP_TAX_QUOTE_JSON_H_
#define SHUMAO_HTTP_TAX_QUOTE_JSON_H_

#include <string>
#include <string_view>

#include "common/status.h"
#include "common/time.h"
#include "tax/tax.h"

namespace shumao::http {

// InvalidArgument names the field at fault ("items[2].price").
StatusOr<std::string> QuoteFromJson(std::string_view body, const tax::TariffTable& table,
                                    const Clock& clock);

}  // namespace shumao::http

#endif  // SHUMAO_HTTP_TAX_QUOTE_JSON_H_

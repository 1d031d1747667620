// JSON of the clearance endpoints, shared by the HTTP API and the CLI: bonded inbound
// records in, the stock report, quota and guarantee views out. Quantities and amounts
// are decimal strings (never doubles).
#ifndef SHUMAO_HTTP_CLEARANCE_JSON_H_
#define SHUMAO_HTTP_CLEARANCE_JSON_H_

#include <string>
#include <string_view>
#include <vector>

#include "clearance/clearance.h"
#include "common/status.h"

namespace shumao::http {

// {"records":[{"warehouse":..,"emsNo":..,"itemRecordNo":..,"itemNo":..,"gcode":..,
//   "gname":..,"qty":"12","unit":..,"entryNo":..,"time":..}]}; InvalidArgument names the
// field at fault ("records[3].qty").
StatusOr<std::vector<clearance::InboundRecord>> InboundFromJson(std::string_view body);
// {"stock":[{"warehouse":..,"itemRecordNo":..,...,"in":..,"out":..,"returned":..,"balance":..}]}
std::string StockToJson(const std::vector<clearance::StockLine>& lines);
std::string QuotaToJson(const clearance::QuotaView& q);
std::string GuaranteeToJson(const clearance::GuaranteeView& g);

}  // namespace shumao::http

#endif  // SHUMAO_HTTP_CLEARANCE_JSON_H_

// CEB816 electronic tax bills (电子税单) from the tax bill records the engine keeps
// (records.h, namespace "taxbill"): the head carries the list, the tax number, the three
// taxes and the status (1 generated, 2 summarised/paid, 3 void), the lines the dutiable
// value and taxes of each goods line. Every bill built here validates against the
// official 2022 XSD (clearance_test.cc).
#ifndef SHUMAO_CLEARANCE_TAX_BILL_H_
#define SHUMAO_CLEARANCE_TAX_BILL_H_

#include <string>

#include "ceb/message.h"
#include "clearance/records.h"
#include "common/time.h"

namespace shumao::clearance {

ceb::Message BuildTaxBill(const Facts& bill, Timestamp time);
// {"invtNo":..,"taxNo":..,"status":..,"customsTax":..,...,"lines":[..]}
std::string TaxBillToJson(const Facts& bill);
// "已生成", "已汇总", "作废" for status 1, 2, 3.
std::string TaxBillStatusText(const std::string& status);

}  // namespace shumao::clearance

#endif  // SHUMAO_CLEARANCE_TAX_BILL_H_

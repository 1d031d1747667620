// Shared by the CSV, JSON and XLSX writers (internal to the module): the record header
// and the totals per currency of all lines, the qualifying ones and each failed condition.
#ifndef SHUMAO_EXPORTTAX_TOTALS_H_
#define SHUMAO_EXPORTTAX_TOTALS_H_

#include <string>
#include <vector>

#include "common/decimal.h"
#include "exporttax/exporttax.h"

namespace shumao::exporttax {

struct TotalRow {
  std::string key;  // "all", "qualifying", "failed-1", "failed-2", "failed-3"
  std::string currency;
  int lines = 0;
  Decimal amount;  // exact sum of the lines' amounts
};

// The column titles of a record line, Chinese with English in parentheses.
const std::vector<std::string>& RecordHeader();
// In key order (as above), then currency; keys without lines are left out.
std::vector<TotalRow> ComputeTotals(const Records& records);
// "全部明细(all lines)" ...
std::string TotalLabel(const std::string& key);
// An exact amount with at least two decimals: "161.00", "0.125".
std::string Amount(Decimal d);

}  // namespace shumao::exporttax

#endif  // SHUMAO_EXPORTTAX_TOTALS_H_

// The export periods covered by the tax policy on returned cross-border e-commerce exports
// (跨境电商出口退运商品税收政策, policy-rules.md §3): goods exported under 1210, 9610, 9710
// or 9810 inside a covered period and returned in their original condition within 6
// months of export are exempt from import duty, import VAT and consumption tax on re-entry.
//
// The periods are effective-dated rows of data/tax/export_return_periods.csv
// (effective_from, effective_to, document; both dates inclusive, Beijing days), compiled
// into the binary by return_periods.cc; return_periods_test.cc checks the copy against the
// file. A zone may pass its own with ExportReturnPeriods::Parse.
//
// Thread safety: immutable after construction.
#ifndef SHUMAO_CLEARANCE_RETURN_PERIODS_H_
#define SHUMAO_CLEARANCE_RETURN_PERIODS_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "common/time.h"

namespace shumao::clearance {

struct CoveredPeriod {
  std::string from, to;  // "YYYY-MM-DD", both inclusive
  std::string document;  // the announcement that covers it
};

class ExportReturnPeriods {
 public:
  // The CSV text (header row first). InvalidArgument names the line: a bad date, a row
  // ending before it starts, or rows that overlap.
  static StatusOr<ExportReturnPeriods> Parse(std::string_view csv);
  // data/tax/export_return_periods.csv as compiled in.
  static const ExportReturnPeriods& BuiltIn();
  static std::string_view BuiltInCsv();

  // The period whose days contain the Beijing date of `t`, or nullopt.
  std::optional<CoveredPeriod> Covering(Timestamp t) const;
  const std::vector<CoveredPeriod>& periods() const { return periods_; }

 private:
  std::vector<CoveredPeriod> periods_;  // ordered by `from`
};

}  // namespace shumao::clearance

#endif  // SHUMAO_CLEARANCE_RETURN_PERIODS_H_

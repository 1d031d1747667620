// Covered export periods of the returned-exports tax policy: see return_periods.h.
#include "clearance/return_periods.h"

#include <algorithm>
#include <cstdio>

#include "common/code_tables.h"

namespace shumao::clearance {
namespace {

// data/tax/export_return_periods.csv; keep identical to the file (return_periods_test.cc).
constexpr std::string_view kCsv = R"csv(effective_from,effective_to,document
2023-01-30,2025-12-31,公告2023年第4号/2023年第34号
2026-01-01,2027-12-31,公告2026年第16号
)csv";

std::string Day(Timestamp t) {
  CivilTime c = ToBeijing(t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

}  // namespace

StatusOr<ExportReturnPeriods> ExportReturnPeriods::Parse(std::string_view csv) {
  constexpr std::string_view kFile = "export_return_periods.csv";
  ExportReturnPeriods out;
  int line_no = 0;
  while (!csv.empty()) {
    size_t end = csv.find('\n');
    std::string_view line = csv.substr(0, end);
    csv = end == std::string_view::npos ? std::string_view() : csv.substr(end + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 || line.empty()) continue;
    std::string where = std::string(kFile) + ":" + std::to_string(line_no);
    std::vector<std::string> f = SplitCsvLine(line);
    if (f.size() != 3) return InvalidArgument("expected 3 fields", where);
    for (const std::string& d : {f[0], f[1]}) {
      // ParseDate checks that the day exists; the text must be its canonical form so that
      // days compare as strings.
      auto t = ParseDate(d);
      if (!t.ok() || Day(*t) != d) return InvalidArgument("bad date '" + d + "'", where);
    }
    if (f[1] < f[0]) return InvalidArgument("the period ends before it starts", where);
    out.periods_.push_back(CoveredPeriod{f[0], f[1], f[2]});
  }
  std::sort(out.periods_.begin(), out.periods_.end(),
            [](const CoveredPeriod& a, const CoveredPeriod& b) { return a.from < b.from; });
  for (size_t i = 1; i < out.periods_.size(); ++i) {
    if (out.periods_[i].from <= out.periods_[i - 1].to) {
      return InvalidArgument("periods " + out.periods_[i - 1].from + ".." + out.periods_[i - 1].to +
                                 " and " + out.periods_[i].from + ".." + out.periods_[i].to +
                                 " overlap",
                             std::string(kFile));
    }
  }
  return out;
}

const ExportReturnPeriods& ExportReturnPeriods::BuiltIn() {
  static const ExportReturnPeriods periods = [] {
    auto p = Parse(kCsv);
    return p.ok() ? *p : ExportReturnPeriods();  // the copy is tested; never empty in practice
  }();
  return periods;
}

std::string_view ExportReturnPeriods::BuiltInCsv() { return kCsv; }

std::optional<CoveredPeriod> ExportReturnPeriods::Covering(Timestamp t) const {
  std::string day = Day(t);
  for (const CoveredPeriod& p : periods_) {
    if (p.from <= day && day <= p.to) return p;
  }
  return std::nullopt;
}

}  // namespace shumao::clearance

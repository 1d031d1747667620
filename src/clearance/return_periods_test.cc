// The covered periods of the returned-exports tax policy: the compiled-in copy equals
// data/tax/export_return_periods.csv, the boundaries are inclusive Beijing days, and a
// malformed file is refused naming the line.
#include "clearance/return_periods.h"

#include <gtest/gtest.h>

#include "../../tests/support/shared_dir.h"

namespace shumao::clearance {
namespace {

Timestamp Day(int y, int m, int d, int h = 0) { return FromBeijing(CivilTime{y, m, d, h}); }

TEST(ExportReturnPeriods, BuiltInMatchesTheDataFile) {
  std::string file = testing::ReadFile("data/tax/export_return_periods.csv");
  ASSERT_FALSE(file.empty());
  EXPECT_EQ(ExportReturnPeriods::BuiltInCsv(), file)
      << "src/clearance/return_periods.cc differs from data/tax/export_return_periods.csv";
  auto parsed = ExportReturnPeriods::Parse(file);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  ASSERT_EQ(parsed->periods().size(), 2u);
  EXPECT_EQ(ExportReturnPeriods::BuiltIn().periods().size(), 2u);
}

TEST(ExportReturnPeriods, CoveringUsesInclusiveBeijingDays) {
  const ExportReturnPeriods& p = ExportReturnPeriods::BuiltIn();
  EXPECT_FALSE(p.Covering(Day(2023, 1, 29, 23)));
  ASSERT_TRUE(p.Covering(Day(2023, 1, 30)));
  EXPECT_EQ(p.Covering(Day(2023, 1, 30))->document, "公告2023年第4号/2023年第34号");
  EXPECT_EQ(p.Covering(Day(2025, 12, 31, 23))->to, "2025-12-31");
  EXPECT_EQ(p.Covering(Day(2026, 1, 1))->document, "公告2026年第16号");
  EXPECT_TRUE(p.Covering(Day(2027, 12, 31, 23)));
  EXPECT_FALSE(p.Covering(Day(2028, 1, 1)));
  EXPECT_FALSE(p.Covering(Day(2022, 6, 1)));
  // 2026-01-01 00:30 in Beijing is still 2025-12-31 in UTC: the Beijing day decides.
  EXPECT_EQ(p.Covering(Day(2026, 1, 1, 0))->from, "2026-01-01");
}

TEST(ExportReturnPeriods, MalformedFilesAreRefusedNamingTheLine) {
  const std::string head = "effective_from,effective_to,document\n";
  auto bad_date = ExportReturnPeriods::Parse(head + "2023-02-30,2025-12-31,x\n");
  EXPECT_EQ(bad_date.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad_date.status().ToString().find(":2"), std::string::npos)
      << bad_date.status().ToString();
  EXPECT_FALSE(ExportReturnPeriods::Parse(head + "2023-1-30,2025-12-31,x\n").ok());
  EXPECT_FALSE(ExportReturnPeriods::Parse(head + "2025-12-31,2023-01-30,x\n").ok());
  EXPECT_FALSE(ExportReturnPeriods::Parse(head + "2023-01-30,2025-12-31\n").ok());
  EXPECT_FALSE(
      ExportReturnPeriods::Parse(head + "2023-01-30,2026-01-01,a\n2026-01-01,2027-12-31,b\n").ok());
}

}  // namespace
}  // namespace shumao::clearance

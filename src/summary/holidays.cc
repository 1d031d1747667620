#include "summary/holidays.h"

#include <cstdio>

#include "common/time.h"

namespace shumao::summary {
namespace {

// data/holidays.csv, byte for byte (summary_test.cc: BuiltInCalendar.MatchesTheDataFile).
constexpr std::string_view kHolidays = R"csv(date,kind
2025-01-01,holiday
2025-01-26,workday
2025-01-28,holiday
2025-01-29,holiday
2025-01-30,holiday
2025-01-31,holiday
2025-02-01,holiday
2025-02-02,holiday
2025-02-03,holiday
2025-02-04,holiday
2025-02-08,workday
2025-04-04,holiday
2025-04-05,holiday
2025-04-06,holiday
2025-04-27,workday
2025-05-01,holiday
2025-05-02,holiday
2025-05-03,holiday
2025-05-04,holiday
2025-05-05,holiday
2025-05-31,holiday
2025-06-01,holiday
2025-06-02,holiday
2025-09-28,workday
2025-10-01,holiday
2025-10-02,holiday
2025-10-03,holiday
2025-10-04,holiday
2025-10-05,holiday
2025-10-06,holiday
2025-10-07,holiday
2025-10-08,holiday
2025-10-11,workday
2026-01-01,holiday
2026-01-02,holiday
2026-01-03,holiday
2026-01-04,workday
2026-02-14,workday
2026-02-15,holiday
2026-02-16,holiday
2026-02-17,holiday
2026-02-18,holiday
2026-02-19,holiday
2026-02-20,holiday
2026-02-21,holiday
2026-02-22,holiday
2026-02-23,holiday
2026-02-28,workday
2026-04-04,holiday
2026-04-05,holiday
2026-04-06,holiday
2026-05-01,holiday
2026-05-02,holiday
2026-05-03,holiday
2026-05-04,holiday
2026-05-05,holiday
2026-05-09,workday
2026-06-19,holiday
2026-06-20,holiday
2026-06-21,holiday
2026-09-20,workday
2026-09-25,holiday
2026-09-26,holiday
2026-09-27,holiday
2026-10-01,holiday
2026-10-02,holiday
2026-10-03,holiday
2026-10-04,holiday
2026-10-05,holiday
2026-10-06,holiday
2026-10-07,holiday
2026-10-10,workday
)csv";

bool ParseDay(std::string_view text, Date& d) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  auto num = [&](size_t at, size_t n) {
    int v = 0;
    for (size_t i = at; i < at + n; ++i) v = v * 10 + (text[i] - '0');
    return v;
  };
  d = Date{num(0, 4), num(5, 2), num(8, 2)};
  if (d.month < 1 || d.month > 12 || d.day < 1) return false;
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (d.year % 4 == 0 && d.year % 100 != 0) || d.year % 400 == 0;
  int max = kDays[d.month - 1] + (d.month == 2 && leap ? 1 : 0);
  return d.day <= max;
}

int64_t DayNumber(const Date& d) { return DaysFromCivil(d.year, d.month, d.day); }

Date FromDayNumber(int64_t n) {
  CivilTime c = ToBeijing(Timestamp{n * 86400000 - 8 * 3600000});
  return Date{c.year, c.month, c.day};
}

}  // namespace

std::string FormatDate(const Date& d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
  return buf;
}

StatusOr<Calendar> Calendar::FromCsv(std::string_view csv) {
  Calendar cal;
  size_t pos = 0;
  int line_no = 0;
  while (pos < csv.size()) {
    size_t end = csv.find('\n', pos);
    if (end == std::string_view::npos) end = csv.size();
    std::string_view line = csv.substr(pos, end - pos);
    pos = end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 || line.empty()) continue;  // the header
    size_t comma = line.find(',');
    Date d;
    std::string where = "holidays line " + std::to_string(line_no);
    if (comma == std::string_view::npos || !ParseDay(line.substr(0, comma), d)) {
      return InvalidArgument(where + ": the date must be YYYY-MM-DD", "date");
    }
    std::string_view kind = line.substr(comma + 1);
    if (kind != "holiday" && kind != "workday") {
      return InvalidArgument(where + ": kind must be holiday or workday", "kind");
    }
    cal.days_[DayNumber(d)] = kind == "workday";
  }
  return cal;
}

const Calendar& Calendar::BuiltIn() {
  static const Calendar kCalendar = [] {
    StatusOr<Calendar> c = FromCsv(kHolidays);
    return c.ok() ? *std::move(c) : Calendar();  // the test keeps the data file valid
  }();
  return kCalendar;
}

bool Calendar::IsWorkingDay(const Date& d) const {
  int64_t n = DayNumber(d);
  auto it = days_.find(n);
  if (it != days_.end()) return it->second;
  int weekday = static_cast<int>(((n % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday (4)
  return weekday != 0 && weekday != 6;
}

Date Calendar::Deadline(int year, int month) const {
  Date d{month == 12 ? year + 1 : year, month == 12 ? 1 : month + 1, 15};
  int64_t n = DayNumber(d);
  while (!IsWorkingDay(d)) d = FromDayNumber(++n);
  return d;
}

std::string_view BuiltInHolidaysCsv() { return kHolidays; }

}  // namespace shumao::summary

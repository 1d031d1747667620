// The working-day calendar of the summary deadline: the lists closed in month M are
// declared by the 15th of M+1, moved to the next working day when the 15th is a rest day
// (194号 §10). A day is a working day when it is Monday to Friday and not a listed
// holiday, or when it is listed as a make-up working day (调休); the list comes from
// data/holidays.csv (compiled in; provenance in data/SOURCES.md).
//
// Thread safety: a Calendar is immutable once built; share it freely.
#ifndef SHUMAO_SUMMARY_HOLIDAYS_H_
#define SHUMAO_SUMMARY_HOLIDAYS_H_

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>

#include "common/status.h"

namespace shumao::summary {

// A civil date, Beijing.
struct Date {
  int year = 1970, month = 1, day = 1;
  friend bool operator==(const Date&, const Date&) = default;
};

std::string FormatDate(const Date& d);  // "2026-02-24"

class Calendar {
 public:
  // Parses `date,kind` CSV (header first; kind is holiday or workday). Errors name the
  // line: a bad date, an unknown kind.
  static StatusOr<Calendar> FromCsv(std::string_view csv);
  // The calendar of data/holidays.csv as built into the binary.
  static const Calendar& BuiltIn();

  bool IsWorkingDay(const Date& d) const;
  // The 15th of the month after `year`-`month`, or the next working day after it.
  Date Deadline(int year, int month) const;

 private:
  std::unordered_map<int64_t, bool> days_;  // days since 1970-01-01 -> working day
};

// The bytes of data/holidays.csv compiled into the binary (for the test that compares them).
std::string_view BuiltInHolidaysCsv();

}  // namespace shumao::summary

#endif  // SHUMAO_SUMMARY_HOLIDAYS_H_

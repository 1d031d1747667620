#include "common/time.h"

#include <chrono>
#include <cstdio>

namespace shumao {
namespace {

constexpr int64_t kBeijingOffsetMs = 8LL * 3600 * 1000;

void CivilFromDays(int64_t z, int& y, int& m, int& d) {
  // Howard Hinnant's algorithm.
  z += 719468;
  const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const int64_t doe = z - era * 146097;
  const int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const int64_t mp = (5 * doy + 2) / 153;
  d = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  m = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  y = static_cast<int>(yoe + era * 400 + (m <= 2));
}

int DaysInMonth(int y, int m) {
  static const int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

bool ParseDigits(std::string_view s, size_t pos, size_t n, int& out) {
  out = 0;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

class SystemClock : public Clock {
 public:
  Timestamp Now() const override {
    auto now = std::chrono::system_clock::now().time_since_epoch();
    return Timestamp{std::chrono::duration_cast<std::chrono::milliseconds>(now).count()};
  }
};

}  // namespace

int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilTime ToBeijing(Timestamp t) {
  int64_t ms = t.millis + kBeijingOffsetMs;
  int64_t days = ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
  int64_t rem = ms - days * 86400000;
  CivilTime c;
  CivilFromDays(days, c.year, c.month, c.day);
  c.hour = static_cast<int>(rem / 3600000);
  c.minute = static_cast<int>(rem / 60000 % 60);
  c.second = static_cast<int>(rem / 1000 % 60);
  c.millis = static_cast<int>(rem % 1000);
  return c;
}

Timestamp FromBeijing(const CivilTime& c) {
  int64_t days = DaysFromCivil(c.year, c.month, c.day);
  int64_t ms = ((days * 24 + c.hour) * 60 + c.minute) * 60000LL + c.second * 1000LL + c.millis;
  return Timestamp{ms - kBeijingOffsetMs};
}

std::string FormatC14(Timestamp t) {
  CivilTime c = ToBeijing(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d", c.year, c.month, c.day, c.hour,
                c.minute, c.second);
  return buf;
}

std::string FormatC17(Timestamp t) {
  CivilTime c = ToBeijing(t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d%02d%02d%02d%03d", c.year, c.month, c.day, c.hour,
                c.minute, c.second, c.millis);
  return buf;
}

std::string FormatC8(Timestamp t) {
  CivilTime c = ToBeijing(t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d%02d%02d", c.year, c.month, c.day);
  return buf;
}

std::string FormatIso(Timestamp t) {
  CivilTime c = ToBeijing(t);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d+08:00", c.year, c.month, c.day,
                c.hour, c.minute, c.second);
  return buf;
}

StatusOr<Timestamp> ParseC14(std::string_view s) {
  CivilTime c;
  if (s.size() != 14 || !ParseDigits(s, 0, 4, c.year) || !ParseDigits(s, 4, 2, c.month) ||
      !ParseDigits(s, 6, 2, c.day) || !ParseDigits(s, 8, 2, c.hour) ||
      !ParseDigits(s, 10, 2, c.minute) || !ParseDigits(s, 12, 2, c.second)) {
    return InvalidArgument("'" + std::string(s) + "' is not a time in the form yyyyMMddHHmmss");
  }
  if (c.month < 1 || c.month > 12 || c.day < 1 || c.day > DaysInMonth(c.year, c.month) ||
      c.hour > 23 || c.minute > 59 || c.second > 59) {
    return InvalidArgument("'" + std::string(s) + "' is not a valid date and time");
  }
  return FromBeijing(c);
}

StatusOr<Timestamp> ParseDate(std::string_view s) {
  CivilTime c;
  if (s.size() != 10 || s[4] != '-' || s[7] != '-' || !ParseDigits(s, 0, 4, c.year) ||
      !ParseDigits(s, 5, 2, c.month) || !ParseDigits(s, 8, 2, c.day) || c.month < 1 ||
      c.month > 12 || c.day < 1 || c.day > DaysInMonth(c.year, c.month)) {
    return InvalidArgument("'" + std::string(s) + "' is not a date in the form YYYY-MM-DD");
  }
  return FromBeijing(c);
}

const Clock& Clock::System() {
  static const SystemClock clock;
  return clock;
}

}  // namespace shumao

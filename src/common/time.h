// Beijing time (UTC+8, no daylight saving) in the CEB formats, and an injectable clock.
//
//   C14 "yyyyMMddHHmmss"     appTime, payTime, ...
//   C17 "yyyyMMddHHmmssSSS"  returnTime
//   C8  "yyyyMMdd"           declTime, ieDate
//
// A Timestamp is milliseconds since the Unix epoch (an instant); formatting always
// renders it in Beijing time, whatever the machine's time zone.
#ifndef SHUMAO_COMMON_TIME_H_
#define SHUMAO_COMMON_TIME_H_

#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace shumao {

struct Timestamp {
  int64_t millis = 0;  // since 1970-01-01T00:00:00Z
  friend auto operator<=>(Timestamp, Timestamp) = default;
};

struct CivilTime {
  int year = 1970, month = 1, day = 1, hour = 0, minute = 0, second = 0, millis = 0;
};

CivilTime ToBeijing(Timestamp t);
Timestamp FromBeijing(const CivilTime& c);

std::string FormatC14(Timestamp t);
std::string FormatC17(Timestamp t);
std::string FormatC8(Timestamp t);
// "2026-11-29T10:52:14+08:00"
std::string FormatIso(Timestamp t);

// Parses C14 (14 digits) as Beijing time, checking that the date and time exist.
StatusOr<Timestamp> ParseC14(std::string_view text);
// Parses "YYYY-MM-DD" as the start of that Beijing day.
StatusOr<Timestamp> ParseDate(std::string_view text);

// Days from 1970-01-01 of a civil date (proleptic Gregorian).
int64_t DaysFromCivil(int y, int m, int d);

// The clock: real or fixed, injected wherever "now" matters.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual Timestamp Now() const = 0;
  static const Clock& System();
};

class FixedClock : public Clock {
 public:
  explicit FixedClock(Timestamp t) : t_(t) {}
  Timestamp Now() const override { return t_; }
  void Set(Timestamp t) { t_ = t; }

 private:
  Timestamp t_;
};

}  // namespace shumao

#endif  // SHUMAO_COMMON_TIME_H_

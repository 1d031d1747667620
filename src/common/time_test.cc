#include "common/time.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <string>

namespace shumao {
namespace {

using std::chrono::days;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;
using std::chrono::seconds;
using std::chrono::sys_days;

// An instant given in UTC, computed with <chrono> (independent of the code under test).
Timestamp Utc(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0, int ms = 0) {
  auto t = sys_days{std::chrono::year{y} / m / d} + hours{hh} + minutes{mm} + seconds{ss} +
           milliseconds{ms};
  return Timestamp{std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count()};
}

// Sets TZ for the lifetime of the object and restores the previous value.
class ScopedTz {
 public:
  explicit ScopedTz(const char* tz) {
    if (const char* old = std::getenv("TZ")) old_ = old;
    ::setenv("TZ", tz, 1);
    ::tzset();
  }
  ~ScopedTz() {
    if (old_) {
      ::setenv("TZ", old_->c_str(), 1);
    } else {
      ::unsetenv("TZ");
    }
    ::tzset();
  }

 private:
  std::optional<std::string> old_;
};

TEST(Time, FormatsInBeijingTime) {
  Timestamp t = Utc(2026, 11, 29, 2, 52, 14, 123);  // 10:52:14.123 in Beijing
  EXPECT_EQ(FormatC14(t), "20261129105214");
  EXPECT_EQ(FormatC17(t), "20261129105214123");
  EXPECT_EQ(FormatC8(t), "20261129");
  EXPECT_EQ(FormatIso(t), "2026-11-29T10:52:14+08:00");
}

TEST(Time, ZeroPadding) {
  Timestamp t = Utc(2026, 1, 1, 1, 2, 3, 4);  // 09:02:03.004 in Beijing
  EXPECT_EQ(FormatC14(t), "20260101090203");
  EXPECT_EQ(FormatC17(t), "20260101090203004");
  EXPECT_EQ(FormatC8(t), "20260101");
}

TEST(Time, BeijingDayStartsAtSixteenUtc) {
  EXPECT_EQ(FormatC17(Utc(2026, 12, 31, 15, 59, 59, 999)), "20261231235959999");
  EXPECT_EQ(FormatC14(Utc(2026, 12, 31, 16)), "20270101000000");
  EXPECT_EQ(FormatC8(Utc(2026, 12, 31, 16)), "20270101");
  EXPECT_EQ(FormatC8(Utc(2026, 12, 31, 15, 59, 59)), "20261231");
  // Leap day.
  EXPECT_EQ(FormatC8(Utc(2024, 2, 28, 16)), "20240229");
}

TEST(Time, EpochAndBefore) {
  EXPECT_EQ(FormatC14(Timestamp{0}), "19700101080000");
  EXPECT_EQ(FormatC17(Timestamp{-1}), "19700101075959999");
  EXPECT_EQ(FormatC17(Timestamp{-8LL * 3600 * 1000 - 1}), "19691231235959999");
  EXPECT_EQ(FormatC14(Utc(1969, 7, 20, 20, 17, 40)), "19690721041740");
}

TEST(Time, IndependentOfTheMachineTimeZone) {
  Timestamp t = Utc(2026, 7, 1, 3, 4, 5, 6);  // New York is on daylight time in July
  std::string c14, c17, c8, iso;
  {
    ScopedTz tz("America/New_York");
    // Make sure the zone really took effect for the C library.
    std::time_t tt = static_cast<std::time_t>(t.millis / 1000);
    std::tm local{};
    ::localtime_r(&tt, &local);
    EXPECT_EQ(local.tm_hour, 23);  // 2026-06-30 23:04 EDT
    c14 = FormatC14(t);
    c17 = FormatC17(t);
    c8 = FormatC8(t);
    iso = FormatIso(t);
    EXPECT_EQ(FormatC14(ParseC14("20260701110405").value()), "20260701110405");
    EXPECT_EQ(ParseC14("20260701110405")->millis, Utc(2026, 7, 1, 3, 4, 5).millis);
  }
  EXPECT_EQ(c14, "20260701110405");
  EXPECT_EQ(c17, "20260701110405006");
  EXPECT_EQ(c8, "20260701");
  EXPECT_EQ(iso, "2026-07-01T11:04:05+08:00");
  {
    ScopedTz tz("UTC");
    EXPECT_EQ(FormatC14(t), c14);
  }
}

TEST(Time, ParseC14) {
  StatusOr<Timestamp> t = ParseC14("20261129105214");
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(*t, Utc(2026, 11, 29, 2, 52, 14));
  EXPECT_EQ(ParseC14("19700101080000")->millis, 0);
  EXPECT_EQ(*ParseC14("20270101000000"), Utc(2026, 12, 31, 16));
}

TEST(Time, ParseC14RoundTrip) {
  // Every few hours and odd seconds over several years, including leap years.
  for (int64_t ms = Utc(2019, 1, 1).millis; ms < Utc(2029, 1, 1).millis;
       ms += 3LL * 3600 * 1000 + 17 * 60 * 1000 + 13 * 1000) {
    Timestamp t{ms};
    std::string s = FormatC14(t);
    StatusOr<Timestamp> back = ParseC14(s);
    ASSERT_TRUE(back.ok()) << s;
    ASSERT_EQ(back->millis, ms) << s;
  }
  for (const char* s : {"20240229235959", "20000229000000", "20261231235959", "20260101000000"}) {
    StatusOr<Timestamp> t = ParseC14(s);
    ASSERT_TRUE(t.ok()) << s;
    EXPECT_EQ(FormatC14(*t), s);
  }
}

TEST(Time, ParseC14RefusesInvalidDates) {
  for (const char* s : {
           "20260230000000",   // 30 February
           "20250229000000",   // not a leap year
           "19000229000000",   // century, not a leap year
           "20261301000000",   // month 13
           "20260001000000",   // month 0
           "20260100000000",   // day 0
           "20260431000000",   // 31 April
           "20260101240000",   // hour 24
           "20260101006000",   // minute 60
           "20260101000060",   // second 60
           "2026010100000",    // 13 digits
           "202601010000000",  // 15 digits
           "",                 //
           "2026-01-01 00:0",  //
           "2026010100000a",   //
           "+0260101000000",   //
           " 2026010100000",   //
       }) {
    StatusOr<Timestamp> t = ParseC14(s);
    EXPECT_FALSE(t.ok()) << "'" << s << "' was accepted";
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), Code::kInvalidArgument) << s;
    }
  }
}

TEST(Time, ParseDate) {
  StatusOr<Timestamp> t = ParseDate("2026-11-29");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(*t, Utc(2026, 11, 28, 16));  // start of the Beijing day
  EXPECT_TRUE(ParseDate("2024-02-29").ok());
  for (const char* s : {"2026-02-30", "2025-02-29", "2026-13-01", "2026-00-10", "2026-01-00",
                        "2026/11/29", "20261129", "2026-1-29", "2026-11-29T00", "", "abcd-ef-gh"}) {
    EXPECT_FALSE(ParseDate(s).ok()) << "'" << s << "' was accepted";
  }
}

TEST(Time, CivilConversions) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(2026, 11, 29),
            (sys_days{std::chrono::year{2026} / 11 / 29}).time_since_epoch().count());

  CivilTime c = ToBeijing(Utc(2026, 2, 28, 17, 30, 1, 250));
  EXPECT_EQ(c.year, 2026);
  EXPECT_EQ(c.month, 3);
  EXPECT_EQ(c.day, 1);
  EXPECT_EQ(c.hour, 1);
  EXPECT_EQ(c.minute, 30);
  EXPECT_EQ(c.second, 1);
  EXPECT_EQ(c.millis, 250);
  EXPECT_EQ(FromBeijing(c), Utc(2026, 2, 28, 17, 30, 1, 250));

  for (int64_t ms = -5LL * 86400000; ms < 5LL * 86400000; ms += 3600000 + 1) {
    ASSERT_EQ(FromBeijing(ToBeijing(Timestamp{ms})).millis, ms);
  }
}

TEST(Time, FixedClock) {
  FixedClock clock(Utc(2026, 11, 29, 2, 52, 14));
  const Clock& c = clock;
  EXPECT_EQ(FormatC14(c.Now()), "20261129105214");
  EXPECT_EQ(c.Now(), c.Now());  // does not move by itself
  clock.Set(Utc(2027, 1, 1));
  EXPECT_EQ(FormatC14(c.Now()), "20270101080000");
}

TEST(Time, SystemClockIsNow) {
  auto before =
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  int64_t now = Clock::System().Now().millis;
  auto after =
      std::chrono::duration_cast<milliseconds>(std::chrono::system_clock::now().time_since_epoch())
          .count();
  EXPECT_LE(before, now);
  EXPECT_LE(now, after);
  EXPECT_EQ(&Clock::System(), &Clock::System());
}

TEST(Time, TimestampOrdering) {
  EXPECT_LT(Timestamp{1}, Timestamp{2});
  EXPECT_EQ(Timestamp{5}, Timestamp{5});
}

}  // namespace
}  // namespace shumao

#include "common/decimal.h"

#include <gtest/gtest.h>

#include <string>

namespace shumao {
namespace {

// Parses text that must be valid; fails the test (and returns zero) otherwise.
Decimal D(std::string_view text) {
  StatusOr<Decimal> d = Decimal::Parse(text);
  EXPECT_TRUE(d.ok()) << text << ": " << d.status().ToString();
  return d.ok() ? *d : Decimal();
}

__int128 Units(std::string_view text) { return D(text).units(); }

TEST(DecimalParse, ValidForms) {
  EXPECT_EQ(Units("0"), 0);
  EXPECT_EQ(Units("123"), 12300000);
  EXPECT_EQ(Units("-0.5"), -50000);
  EXPECT_EQ(Units("425.00000"), 42500000);
  EXPECT_EQ(Units("0.00001"), 1);
  EXPECT_EQ(Units("-0.00001"), -1);
  EXPECT_EQ(Units("1.2"), 120000);
  EXPECT_EQ(Units("+1.5"), 150000);
  EXPECT_EQ(Units("-0"), 0);
  EXPECT_FALSE(D("-0").IsNegative());
}

TEST(DecimalParse, MoreThanFiveDecimalsRefused) {
  EXPECT_TRUE(Decimal::Parse("1.12345").ok());
  StatusOr<Decimal> d = Decimal::Parse("1.123456");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Code::kInvalidArgument);
  // Strict: a sixth decimal is refused even when it is a zero.
  EXPECT_FALSE(Decimal::Parse("1.123450").ok());
  EXPECT_FALSE(Decimal::Parse("0.000001").ok());
}

TEST(DecimalParse, MoreThanNineteenDigitsRefused) {
  // N19,5: 14 integer digits and 5 decimals is the most.
  EXPECT_EQ(D("99999999999999.99999").ToString(), "99999999999999.99999");
  EXPECT_FALSE(Decimal::Parse("123456789012345.12345").ok());  // 20 digits
  EXPECT_TRUE(Decimal::Parse("1234567890123456789").ok());     // 19 integer digits
  StatusOr<Decimal> d = Decimal::Parse("12345678901234567890");
  ASSERT_FALSE(d.ok());
  EXPECT_EQ(d.status().code(), Code::kInvalidArgument);
  EXPECT_FALSE(Decimal::Parse("-12345678901234567890").ok());
}

TEST(DecimalParse, LeadingZerosAreNotCountedAsDigits) {
  EXPECT_EQ(Units("0000000000000000000000000012.5"), 1250000);
  EXPECT_EQ(Units("-00000000000000000000000001"), -100000);
  EXPECT_EQ(D("00000000099999999999999.99999").ToString(), "99999999999999.99999");
  // Zeros after a non-zero digit do count.
  EXPECT_FALSE(Decimal::Parse("00010000000000000000000").ok());
}

TEST(DecimalParse, GarbageRefused) {
  for (const char* text : {"",   "-",   "+",   ".",    "-.",  "1.2.3",       "1..2",
                           " 1", "1 ",  "1e5", "0x10", "1,5", "--1",         "+-1",
                           "1-", "abc", "12a", "NaN",  "inf", "\xef\xbc\x91" /* fullwidth 1 */}) {
    StatusOr<Decimal> d = Decimal::Parse(text);
    EXPECT_FALSE(d.ok()) << "'" << text << "' was accepted";
    if (!d.ok()) {
      EXPECT_EQ(d.status().code(), Code::kInvalidArgument) << text;
    }
  }
}

TEST(DecimalParse, CustomFacets) {
  EXPECT_TRUE(Decimal::Parse("123.45", 5, 2).ok());
  EXPECT_FALSE(Decimal::Parse("1234.5", 4, 2).ok());
  EXPECT_FALSE(Decimal::Parse("1.234", 19, 2).ok());
  EXPECT_FALSE(Decimal::Parse("1.5", 19, 0).ok());
  EXPECT_EQ(Decimal::Parse("15", 19, 0)->units(), 1500000);
  // More fraction digits than the type can hold must never give a wrong value.
  StatusOr<Decimal> d = Decimal::Parse("1.234567", 19, 6);
  if (d.ok()) {
    ADD_FAILURE() << "accepted as " << d->ToString();
  }
}

TEST(DecimalParse, HugeTotalDigitsDoesNotOverflow) {
  // A caller may relax totalDigits; a number is then either refused or parsed exactly,
  // never wrapped around in the 128-bit count.
  for (size_t n : {20, 30, 33, 34, 38, 39, 60}) {
    std::string nines(n, '9');
    for (const std::string& text : {nines, nines + ".99999", "-" + nines}) {
      StatusOr<Decimal> d = Decimal::Parse(text, 100);
      if (d.ok()) {
        EXPECT_EQ(d->ToShortString(), text);
      }
    }
  }
  EXPECT_TRUE(Decimal::Parse(std::string(28, '9') + ".99999", 100).ok());
  EXPECT_FALSE(Decimal::Parse(std::string(60, '9'), 100).ok());
}

TEST(DecimalFormat, ToString) {
  EXPECT_EQ(Decimal::FromInt(425).ToString(), "425.00000");
  EXPECT_EQ(Decimal::FromInt(425).ToString(2), "425.00");
  EXPECT_EQ(Decimal::FromInt(425).ToString(0), "425");
  EXPECT_EQ(Decimal().ToString(), "0.00000");
  EXPECT_EQ(D("-0.5").ToString(), "-0.50000");
  EXPECT_EQ(D("-0.00001").ToString(), "-0.00001");
  EXPECT_EQ(D("-12.3").ToString(1), "-12.3");
  EXPECT_EQ(D("1.23456").ToString(3), "1.235");  // rounded, not truncated
  EXPECT_EQ(D("-0.004").ToString(2), "0.00");    // no negative zero
  EXPECT_EQ(D("-0.005").ToString(2), "-0.01");
  EXPECT_EQ(D("9.995").ToString(2), "10.00");
  EXPECT_EQ(D("1.5").ToString(9), "1.50000");  // clamped to 5
}

TEST(DecimalFormat, ToShortString) {
  EXPECT_EQ(D("425.00000").ToShortString(), "425");
  EXPECT_EQ(D("0.5").ToShortString(), "0.5");
  EXPECT_EQ(D("-0.5").ToShortString(), "-0.5");
  EXPECT_EQ(D("0").ToShortString(), "0");
  EXPECT_EQ(D("100").ToShortString(), "100");
  EXPECT_EQ(D("10.10").ToShortString(), "10.1");
  EXPECT_EQ(D("0.00001").ToShortString(), "0.00001");
  EXPECT_EQ(D("-100.00100").ToShortString(), "-100.001");
}

TEST(DecimalRound, HalfAwayFromZeroAtTheFen) {
  EXPECT_EQ(D("0.005").RoundTo(2), D("0.01"));
  EXPECT_EQ(D("0.00499").RoundTo(2), D("0.00"));
  EXPECT_EQ(D("-0.005").RoundTo(2), D("-0.01"));
  EXPECT_EQ(D("-0.00499").RoundTo(2), D("0"));
  EXPECT_EQ(D("1.995").RoundTo(2), D("2"));
  EXPECT_EQ(D("2.675").RoundTo(2), D("2.68"));  // 2.67 with doubles
  EXPECT_EQ(D("1.0049").RoundTo(2), D("1.00"));
  EXPECT_EQ(D("2.5").RoundTo(0), D("3"));
  EXPECT_EQ(D("-2.5").RoundTo(0), D("-3"));
  EXPECT_EQ(D("2.49999").RoundTo(0), D("2"));
  EXPECT_EQ(D("0.12345").RoundTo(5), D("0.12345"));
  EXPECT_EQ(D("0.12345").RoundTo(4), D("0.1235"));
  EXPECT_EQ(D("0.12344").RoundTo(4), D("0.1234"));
  // Out-of-range digit counts are clamped to 0..5.
  EXPECT_EQ(D("1.23456").RoundTo(7), D("1.23456"));
  EXPECT_EQ(D("1.5").RoundTo(-1), D("2"));
}

TEST(DecimalArithmetic, MulRoundsHalfAwayFromZero) {
  EXPECT_EQ(D("425").Mul(D("1.13")), D("480.25"));
  EXPECT_EQ(D("1.23456").Mul(D("2")), D("2.46912"));
  EXPECT_EQ(D("100").Mul(D("0.091")), D("9.1"));
  EXPECT_EQ(D("0.5").Mul(D("0.00001")), D("0.00001"));    // 0.000005 -> up
  EXPECT_EQ(D("0.4").Mul(D("0.00001")), D("0"));          // 0.000004 -> down
  EXPECT_EQ(D("-0.5").Mul(D("0.00001")), D("-0.00001"));  // away from zero
  EXPECT_EQ(D("-3").Mul(D("-2.5")), D("7.5"));
  EXPECT_EQ(D("99999999999999.99999").Mul(D("1")), D("99999999999999.99999"));
  // Comprehensive import tax rate 9.1% on a 19-digit amount: exact to the 1e-5.
  EXPECT_EQ(D("12345678901234.56789").Mul(D("0.091")), D("1123456780012.34568"));
}

TEST(DecimalArithmetic, DivRoundsHalfAwayFromZero) {
  EXPECT_EQ(D("1").Div(D("3")), D("0.33333"));
  EXPECT_EQ(D("2").Div(D("3")), D("0.66667"));
  EXPECT_EQ(D("-2").Div(D("3")), D("-0.66667"));
  EXPECT_EQ(D("2").Div(D("-3")), D("-0.66667"));
  EXPECT_EQ(D("-2").Div(D("-3")), D("0.66667"));
  EXPECT_EQ(D("10").Div(D("4")), D("2.5"));
  EXPECT_EQ(D("0.00001").Div(D("2")), D("0.00001"));
  EXPECT_EQ(D("-0.00001").Div(D("2")), D("-0.00001"));
  EXPECT_EQ(D("0.00001").Div(D("3")), D("0"));
  EXPECT_EQ(D("113").Div(D("1.13")), D("100"));
}

TEST(DecimalArithmetic, SumOfAMillionAmountsIsExact) {
  Decimal fen = D("0.01");
  Decimal sum;
  for (int i = 0; i < 1000000; ++i) sum += fen;
  EXPECT_EQ(sum, D("10000"));
  EXPECT_EQ(sum.ToString(), "10000.00000");

  // A million of the largest N19,5 amounts overflows 64 bits but not the 128-bit units.
  Decimal max = D("99999999999999.99999");
  Decimal big;
  for (int i = 0; i < 1000000; ++i) big += max;
  EXPECT_EQ(big.units(), max.units() * 1000000);
  EXPECT_EQ(big.ToString(), "99999999999999999990.00000");
  for (int i = 0; i < 1000000; ++i) big -= max;
  EXPECT_TRUE(big.IsZero());

  // Mixed amounts: 0.00001 + 0.00002 + ... + 10.00000 (1e6 terms) = n(n+1)/2 * 1e-5.
  Decimal tri;
  for (int i = 1; i <= 1000000; ++i) tri += Decimal::FromUnits(i);
  EXPECT_EQ(tri.ToString(), "5000005.00000");
}

TEST(DecimalArithmetic, OperatorsAndComparison) {
  EXPECT_EQ(D("1.5") + D("2.25"), D("3.75"));
  EXPECT_EQ(D("1.5") - D("2.25"), D("-0.75"));
  EXPECT_LT(D("-1"), D("0"));
  EXPECT_LT(D("0.00001"), D("0.00002"));
  EXPECT_GT(D("10"), D("9.99999"));
  EXPECT_EQ(D("1.50000"), D("1.5"));
  EXPECT_NE(D("1.5"), D("1.50001"));
  EXPECT_TRUE(D("0.00000").IsZero());
  EXPECT_TRUE(D("-0.1").IsNegative());
  EXPECT_FALSE(D("0.1").IsNegative());
  EXPECT_EQ(Decimal::FromInt(-7).units(), -700000);
  EXPECT_EQ(Decimal::FromUnits(123).ToString(), "0.00123");
  Decimal d = D("1");
  d -= D("0.4");
  EXPECT_EQ(d, D("0.6"));
}

}  // namespace
}  // namespace shumao

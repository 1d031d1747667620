// Decimal: fixed-point money and quantities with the CEB standard's five decimals
// (N19,5). Never a double. The value is an integer count of 1e-5 units in 128 bits,
// so sums of millions of N19,5 amounts cannot overflow.
//
// Parsing is strict: [-]digits[.digits], at most 5 fraction digits and, by default,
// at most 19 digits in all (the standard's totalDigits). Rounding happens only in
// RoundTo (half away from zero, i.e. "half-up" for the positive amounts of tax),
// the one place where precision is dropped.
#ifndef SHUMAO_COMMON_DECIMAL_H_
#define SHUMAO_COMMON_DECIMAL_H_

#include <compare>
#include <cstdint>
#include <string>
#include <string_view>

#include "common/status.h"

namespace shumao {

class Decimal {
 public:
  static constexpr int kScale = 5;
  static constexpr int64_t kOne = 100000;

  constexpr Decimal() = default;
  static constexpr Decimal FromUnits(__int128 units) { return Decimal(units); }
  static constexpr Decimal FromInt(int64_t v) { return Decimal(static_cast<__int128>(v) * kOne); }

  // Parses "123", "-0.5", "425.00000". Errors name no field; callers add it.
  static StatusOr<Decimal> Parse(std::string_view text, int total_digits = 19,
                                 int fraction_digits = kScale);

  __int128 units() const { return units_; }
  bool IsZero() const { return units_ == 0; }
  bool IsNegative() const { return units_ < 0; }

  // Rounds to `digits` fraction digits (0..5), half away from zero.
  Decimal RoundTo(int digits) const;
  // Product and quotient, rounded half away from zero to 5 decimals.
  Decimal Mul(Decimal other) const;
  Decimal Div(Decimal other) const;  // other must not be zero

  // Formats with exactly `digits` fraction digits (default: the 5 of the standard).
  std::string ToString(int digits = kScale) const;
  // Shortest form without trailing zeros: "425", "0.5".
  std::string ToShortString() const;

  friend Decimal operator+(Decimal a, Decimal b) { return Decimal(a.units_ + b.units_); }
  friend Decimal operator-(Decimal a, Decimal b) { return Decimal(a.units_ - b.units_); }
  Decimal& operator+=(Decimal o) {
    units_ += o.units_;
    return *this;
  }
  Decimal& operator-=(Decimal o) {
    units_ -= o.units_;
    return *this;
  }
  friend bool operator==(Decimal a, Decimal b) = default;
  friend auto operator<=>(Decimal a, Decimal b) { return a.units_ <=> b.units_; }

 private:
  constexpr explicit Decimal(__int128 units) : units_(units) {}
  __int128 units_ = 0;
};

}  // namespace shumao

#endif  // SHUMAO_COMMON_DECIMAL_H_

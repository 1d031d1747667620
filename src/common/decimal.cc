#include "common/decimal.h"

#include <algorithm>

namespace shumao {
namespace {

__int128 Pow10(int n) {
  __int128 p = 1;
  while (n-- > 0) p *= 10;
  return p;
}

// Divides rounding half away from zero.
__int128 DivRound(__int128 num, __int128 den) {
  bool neg = (num < 0) != (den < 0);
  __int128 a = num < 0 ? -num : num;
  __int128 b = den < 0 ? -den : den;
  __int128 q = a / b;
  if ((a % b) * 2 >= b) ++q;
  return neg ? -q : q;
}

}  // namespace

StatusOr<Decimal> Decimal::Parse(std::string_view text, int total_digits, int fraction_digits) {
  // The value holds 5 decimals: a sixth would be silently mis-scaled, so it is refused.
  // And 33 digits (at most 33 integer digits, times 1e5) is the most the 128-bit count
  // holds without overflow.
  fraction_digits = std::clamp(fraction_digits, 0, kScale);
  total_digits = std::clamp(total_digits, 0, 33);
  if (text.empty()) return InvalidArgument("empty number");
  size_t i = 0;
  bool neg = false;
  if (text[0] == '-' || text[0] == '+') {
    neg = text[0] == '-';
    i = 1;
  }
  __int128 units = 0;
  int int_digits = 0, frac_digits = 0;
  bool seen_point = false, any_digit = false;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '.') {
      if (seen_point)
        return InvalidArgument("more than one decimal point in '" + std::string(text) + "'");
      seen_point = true;
      continue;
    }
    if (c < '0' || c > '9')
      return InvalidArgument("'" + std::string(text) + "' is not a decimal number");
    any_digit = true;
    if (seen_point) {
      if (++frac_digits > fraction_digits) {
        return InvalidArgument("'" + std::string(text) + "' has more than " +
                               std::to_string(fraction_digits) + " decimals");
      }
    } else if (int_digits > 0 || c != '0') {
      ++int_digits;
    }
    if (int_digits + frac_digits > total_digits) {
      return InvalidArgument("'" + std::string(text) + "' has more than " +
                             std::to_string(total_digits) + " digits");
    }
    units = units * 10 + (c - '0');
  }
  if (!any_digit) return InvalidArgument("'" + std::string(text) + "' is not a decimal number");
  units *= Pow10(kScale - frac_digits);
  return Decimal(neg ? -units : units);
}

Decimal Decimal::RoundTo(int digits) const {
  digits = std::clamp(digits, 0, kScale);
  __int128 step = Pow10(kScale - digits);
  return Decimal(DivRound(units_, step) * step);
}

Decimal Decimal::Mul(Decimal other) const { return Decimal(DivRound(units_ * other.units_, kOne)); }

Decimal Decimal::Div(Decimal other) const { return Decimal(DivRound(units_ * kOne, other.units_)); }

std::string Decimal::ToString(int digits) const {
  digits = std::clamp(digits, 0, kScale);
  Decimal r = RoundTo(digits);
  __int128 a = r.units_ < 0 ? -r.units_ : r.units_;
  __int128 whole = a / kOne;
  __int128 frac = (a % kOne) / Pow10(kScale - digits);
  std::string w;
  do {
    w.push_back(static_cast<char>('0' + static_cast<int>(whole % 10)));
    whole /= 10;
  } while (whole > 0);
  if (r.units_ < 0) w.push_back('-');
  std::reverse(w.begin(), w.end());
  if (digits == 0) return w;
  std::string f(digits, '0');
  for (int k = digits - 1; k >= 0; --k) {
    f[k] = static_cast<char>('0' + static_cast<int>(frac % 10));
    frac /= 10;
  }
  return w + "." + f;
}

std::string Decimal::ToShortString() const {
  std::string s = ToString(kScale);
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

}  // namespace shumao

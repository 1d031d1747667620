#include "risk/records.h"

#include <charconv>

namespace shumao::risk {
namespace {

int64_t ToInt(std::string_view s) {
  int64_t v = 0;
  std::from_chars(s.data(), s.data() + s.size(), v);
  return v;
}

}  // namespace

std::vector<std::string> SplitOn(std::string_view s, char sep) {
  std::vector<std::string> out;
  if (s.empty()) return out;
  size_t start = 0;
  while (true) {
    size_t end = s.find(sep, start);
    out.emplace_back(s.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos) break;
    start = end + 1;
  }
  return out;
}

std::string EncodeSeen(const std::vector<Seen>& v) {
  std::string out;
  for (const Seen& s : v) {
    if (!out.empty()) out += '\n';
    out += std::to_string(s.ms);
    for (const std::string* f : {&s.key, &s.ebc}) (out += kField) += *f;
    (out += kField) += std::to_string(static_cast<int64_t>(s.value.units()));
    for (const std::string* f : {&s.who, &s.phone, &s.addr}) (out += kField) += *f;
    (out += kField) += std::to_string(s.flags);
  }
  return out;
}

std::vector<Seen> DecodeSeen(std::string_view text) {
  std::vector<Seen> out;
  for (const std::string& line : SplitOn(text, '\n')) {
    std::vector<std::string> f = SplitOn(line, kField);
    if (f.size() < 8) continue;
    Seen s;
    s.ms = ToInt(f[0]);
    s.key = f[1];
    s.ebc = f[2];
    s.value = Decimal::FromUnits(ToInt(f[3]));  // Decimal units: fixed point as integer
    s.who = f[4];
    s.phone = f[5];
    s.addr = f[6];
    s.flags = static_cast<uint32_t>(ToInt(f[7]));
    out.push_back(std::move(s));
  }
  return out;
}

EnterpriseStats::Month& EnterpriseStats::At(const std::string& month) {
  for (Month& m : months) {
    if (m.month == month) return m;
  }
  months.push_back(Month{month, 0, 0});
  while (months.size() > kMonths) months.erase(months.begin());
  return months.back();
}

std::string EncodeStats(const EnterpriseStats& s) {
  std::string out;
  for (int64_t v : {s.lists, s.refused, s.hits, s.confirmed, s.returns, s.late_tax, s.complaints}) {
    if (!out.empty()) out += ',';
    out += std::to_string(v);
  }
  for (const EnterpriseStats::Month& m : s.months) {
    out += kField + m.month + ',' + std::to_string(m.lists) + ',' + std::to_string(m.returns);
  }
  return out;
}

EnterpriseStats DecodeStats(std::string_view text) {
  EnterpriseStats s;
  std::vector<std::string> parts = SplitOn(text, kField);
  if (parts.empty()) return s;
  std::vector<std::string> t = SplitOn(parts[0], ',');
  int64_t* fields[] = {&s.lists,   &s.refused,  &s.hits,      &s.confirmed,
                       &s.returns, &s.late_tax, &s.complaints};
  for (size_t i = 0; i < t.size() && i < 7; ++i) *fields[i] = ToInt(t[i]);
  for (size_t i = 1; i < parts.size(); ++i) {
    std::vector<std::string> m = SplitOn(parts[i], ',');
    if (m.size() == 3) s.months.push_back({m[0], ToInt(m[1]), ToInt(m[2])});
  }
  return s;
}

}  // namespace shumao::risk

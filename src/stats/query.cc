// Queries over the rollups: GET /api/v1/stats and the overview screen.
#include <algorithm>
#include <cstdio>
#include <future>
#include <set>

#include "common/strings.h"
#include "stats/internal.h"

namespace shumao::stats {
namespace internal {

Status CheckDate(const std::string& day, const char* field) {
  int y = 0, m = 0, d = 0;
  char tail = 0;
  if (day.size() != 10 || std::sscanf(day.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail) != 3 ||
      day[4] != '-' || day[7] != '-' || y < 2000 || y > 2100 || m < 1 || m > 12 || d < 1 ||
      day.substr(0, 8) + (d < 10 ? "0" : "") + std::to_string(d) != day ||
      day > LastDay(day.substr(0, 7))) {
    return InvalidArgument(std::string(field) + " must be a date YYYY-MM-DD, not '" + day + "'",
                           field);
  }
  return Status::Ok();
}

std::string LastDay(const std::string& month) {
  int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2));
  int64_t next = m == 12 ? DaysFromCivil(y + 1, 1, 1) : DaysFromCivil(y, m + 1, 1);
  int last = static_cast<int>(next - DaysFromCivil(y, m, 1));
  char buf[32];
  std::snprintf(buf, sizeof buf, "%s-%02d", month.c_str(), last);
  return buf;
}

std::string PrevMonth(const std::string& month) {
  int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2));
  if (--m == 0) m = 12, --y;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return buf;
}

std::string NextMonth(const std::string& month) {
  int y = std::stoi(month.substr(0, 4)), m = std::stoi(month.substr(5, 2));
  if (++m == 13) m = 1, ++y;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02d", y, m);
  return buf;
}

std::vector<std::string> Days(const std::string& from, const std::string& to) {
  std::vector<std::string> out;
  for (std::string m = from.substr(0, 7); m <= to.substr(0, 7); m = NextMonth(m)) {
    int last = std::stoi(LastDay(m).substr(8));
    for (int d = 1; d <= last; ++d) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%s-%02d", m.c_str(), d);
      if (buf >= from && buf <= to) out.emplace_back(buf);
    }
  }
  return out;
}

std::vector<std::string> Months(const std::string& from_month, const std::string& to_month) {
  std::vector<std::string> out;
  for (std::string m = from_month; m <= to_month; m = NextMonth(m)) out.push_back(m);
  return out;
}

std::string Level(const Filter& f, const std::string& group) {
  if (!f.ebc.empty() || group == "ebc") return "";
  if (!f.trade_mode.empty() || !f.zone.empty() || group == "trade_mode" || group == "zone") {
    return "~";
  }
  return "~~";
}

StatusOr<std::map<std::string, store::StatCounters>> Sum(store::Store& store,
                                                         const std::string& dim,
                                                         const std::string& group,
                                                         bool and_dim_value, const Filter& f,
                                                         bool days_only, uint32_t counters) {
  // (grain, first period, last period) to read: day cells for the partial months at the
  // ends, month cells for the whole months between.
  std::vector<std::tuple<std::string, std::string, std::string>> spans;
  if (days_only) {
    spans.emplace_back("d", f.from, f.to);
  } else {
    std::string first = f.from.substr(0, 7), last = f.to.substr(0, 7);
    if (f.from.substr(8) != "01") {
      spans.emplace_back("d", f.from, std::min(LastDay(first), f.to));
      first = NextMonth(first);
    }
    if (last >= first && f.to != LastDay(last)) {
      spans.emplace_back("d", std::max(last + "-01", f.from), f.to);
      last = PrevMonth(last);
    }
    if (first <= last) spans.emplace_back("m", first, last);
  }
  if (spans.empty()) return std::map<std::string, store::StatCounters>();
  auto read = [&](const std::tuple<std::string, std::string, std::string>& span) {
    const auto& [grain, from, to] = span;
    store::StatQuery q;
    q.dim = dim + Level(f, group);
    q.grain = grain;
    q.period_from = from;
    q.period_to = to;
    q.direction = f.direction;
    q.trade_mode = f.trade_mode;
    q.zone = f.zone;
    q.ebc = f.ebc;
    q.group = group;
    q.and_dim_value = and_dim_value;
    q.counters = counters;
    return store.QueryStats(q);
  };
  // The spans are independent reads: the ends run on their own threads (each with its own
  // connection of the store's pool) while this one reads the months.
  std::vector<std::future<StatusOr<std::vector<store::StatGroup>>>> others;
  for (size_t i = 1; i < spans.size(); ++i) {
    others.push_back(std::async(std::launch::async, read, spans[i]));
  }
  std::vector<StatusOr<std::vector<store::StatGroup>>> results;
  results.push_back(read(spans.front()));
  for (auto& o : others) results.push_back(o.get());
  std::map<std::string, store::StatCounters> out;
  for (const auto& rows : results) {
    if (!rows.ok()) return rows.status();
    for (const store::StatGroup& g : *rows) {
      store::StatCounters& n = out[and_dim_value ? g.key + "|" + g.dim_value : g.key];
      for (int k = 0; k < store::kStatCounters; ++k) n[k] += g.n[k];
    }
  }
  return out;
}

void AddHistogram(std::map<int64_t, int64_t>& histogram, const std::string& group,
                  const store::StatCounters& n) {
  int g = std::stoi(group);
  for (int slot = 0; slot < 10; ++slot) {
    if (n[slot] != 0) histogram[ClearanceBucketValue(g * 10 + slot)] += n[slot];
  }
}

std::map<int64_t, int64_t> HistogramOf(const std::map<std::string, store::StatCounters>& sums,
                                       const std::string& key) {
  std::map<int64_t, int64_t> h;
  for (const auto& [k, n] : sums) {
    size_t bar = k.rfind('|');
    if (bar == std::string::npos || k.compare(0, bar, key) != 0 || bar != key.size()) continue;
    AddHistogram(h, k.substr(bar + 1), n);
  }
  return h;
}

std::vector<std::pair<std::string, store::StatCounters>> Top(
    const std::map<std::string, store::StatCounters>& sums, int counter, size_t n) {
  std::vector<std::pair<std::string, store::StatCounters>> v(sums.begin(), sums.end());
  std::stable_sort(v.begin(), v.end(), [&](const auto& a, const auto& b) {
    return a.second[counter] > b.second[counter];
  });
  while (!v.empty() && v.back().second[counter] == 0) v.pop_back();
  if (v.size() > n) v.resize(n);
  return v;
}

std::string SecondsJson(int64_t s) { return s < 0 ? "null" : std::to_string(s); }

std::string TotalsJson(const store::StatCounters& t, const store::StatCounters& ti,
                       const store::StatCounters& te, int64_t p50, int64_t p95) {
  auto seconds = SecondsJson;
  return "{\"lists\":" + std::to_string(t[kLists]) + ",\"parcels\":" + std::to_string(t[kParcels]) +
         ",\"lines\":" + std::to_string(t[kLines]) + ",\"value_cny\":" + Q(Money(t[kValueCny])) +
         ",\"value_usd\":" + Q(Money(t[kValueUsd])) +
         ",\"import_value_cny\":" + Q(Money(ti[kValueCny])) +
         ",\"export_value_cny\":" + Q(Money(te[kValueCny])) +
         ",\"import_lists\":" + std::to_string(ti[kLists]) +
         ",\"export_lists\":" + std::to_string(te[kLists]) +
         ",\"tax_cny\":" + Q(Money(t[kTaxCny])) + ",\"returns\":" + std::to_string(t[kReturns]) +
         ",\"return_value_cny\":" + Q(Money(t[kReturnValue])) +
         ",\"risk_hits\":" + std::to_string(t[kRiskHits]) +
         ",\"refused\":" + std::to_string(t[kRefused]) +
         ",\"clearance_seconds_p50\":" + seconds(p50) +
         ",\"clearance_seconds_p95\":" + seconds(p95) + "}";
}

int64_t Percentile(const std::map<int64_t, int64_t>& histogram, int p) {
  int64_t n = 0;
  for (const auto& [b, c] : histogram) n += c;
  if (n == 0) return -1;
  int64_t rank = (n * p + 99) / 100;  // nearest rank: ceil(p/100 × n)
  if (rank < 1) rank = 1;
  int64_t seen = 0;
  for (const auto& [b, c] : histogram) {
    seen += c;
    if (seen >= rank) return b;
  }
  return histogram.rbegin()->first;
}

std::string Money(int64_t units) { return Decimal::FromUnits(units).RoundTo(2).ToString(2); }

std::string Q(const std::string& s) {
  std::string out = "\"";
  AppendJsonEscaped(out, s);
  out += '"';
  return out;
}

}  // namespace internal

namespace {

using internal::Filter;
using internal::Q;

struct MeasureDef {
  const char* name;
  int counter;       // -1: a percentile or mean of the clearance times
  const char* unit;  // count, CNY, USD, seconds
  int percentile;    // 50, 95; 0 for the mean
};

constexpr MeasureDef kMeasures[] = {
    {"lists", kLists, "count", 0},
    {"parcels", kParcels, "count", 0},
    {"lines", kLines, "count", 0},
    {"value_cny", kValueCny, "CNY", 0},
    {"value_usd", kValueUsd, "USD", 0},
    {"tax_cny", kTaxCny, "CNY", 0},
    {"returns", kReturns, "count", 0},
    {"return_value_cny", kReturnValue, "CNY", 0},
    {"risk_hits", kRiskHits, "count", 0},
    {"refused", kRefused, "count", 0},
    {"clearance_seconds_p50", -1, "seconds", 50},
    {"clearance_seconds_p95", -1, "seconds", 95},
    {"clearance_seconds_mean", -1, "seconds", 0},
};

struct ByDef {
  const char* name;
  const char* dim;    // of list and line counters
  const char* group;  // store::StatQuery group
  const char* clr_dim;
  const char* clr_group;
};

constexpr ByDef kBys[] = {
    {"day", "", "period", "clr", "period"},
    {"month", "", "month", "clr", "month"},
    {"tradeMode", "", "trade_mode", "clr", "trade_mode"},
    {"direction", "", "direction", "clr", "direction"},
    {"ebcCode", "", "ebc", "clr", "ebc"},
    {"zone", "", "zone", "clr", "zone"},
    {"country", "country", "dim_value", "clr:country", "dim_value"},
    {"hsChapter", "hs", "dim_value2", "clr:hs", "dim_value"},
    {"hsHeading", "hs", "dim_value", nullptr, nullptr},
    {"status", "status", "dim_value", nullptr, nullptr},
};

std::string MeasureNames() {
  std::string s;
  for (const auto& m : kMeasures) s += std::string(s.empty() ? "" : ", ") + m.name;
  return s;
}
std::string ByNames() {
  std::string s;
  for (const auto& b : kBys) s += std::string(s.empty() ? "" : ", ") + b.name;
  return s;
}

const char* StatusName(const std::string& s) {
  static const std::map<std::string, const char*> names = {
      {"120", "逻辑校验通过"}, {"300", "人工审核"}, {"399", "海关审结"}, {"500", "查验"},
      {"800", "放行"},         {"899", "结关"},     {"100", "退单"}};
  auto it = names.find(s);
  return it == names.end() ? "" : it->second;
}

const char* StatusNameEn(const std::string& s) {
  static const std::map<std::string, const char*> names = {
      {"120", "checked"},  {"300", "manual review"}, {"399", "concluded"}, {"500", "inspection"},
      {"800", "released"}, {"899", "closed"},        {"100", "refused"}};
  auto it = names.find(s);
  return it == names.end() ? "" : it->second;
}

void Name(Row& r, const std::string& by, const Tables& t, const ZoneResolver& zones) {
  if (by == "country") {
    if (const Country* c = t.FindCountry(r.key)) {
      r.name_zh = c->name_zh;
      r.name_en = c->name_en;
      r.iso2 = c->iso2;
      r.iso3 = c->iso3;
    }
  } else if (by == "hsChapter") {
    std::tie(r.name_zh, r.name_en) = t.ChapterName(r.key);
  } else if (by == "hsHeading") {
    std::tie(r.name_zh, r.name_en) = t.ChapterName(r.key.substr(0, 2));  // its chapter's
  } else if (by == "zone") {
    if (const Zone* z = t.FindZone(r.key)) {
      r.name_zh = z->name_zh;
      r.name_en = z->name_en;
    } else if (r.key.empty()) {
      r.name_zh = "未归属综试区";
      r.name_en = "no zone";
    }
  } else if (by == "ebcCode") {
    r.name_zh = zones.NameOf(r.key);
  } else if (by == "status") {
    r.name_zh = StatusName(r.key);
    r.name_en = StatusNameEn(r.key);
  }
}

std::string DirectionCode(const std::string& d) {
  return d == "import" ? "I" : d == "export" ? "E" : "";
}

}  // namespace

StatusOr<Answer> Run(store::Store& store, const Tables& tables, const ZoneResolver& zones,
                     const Query& q) {
  const MeasureDef* m = nullptr;
  for (const auto& x : kMeasures) {
    if (q.measure == x.name) m = &x;
  }
  if (m == nullptr) {
    return InvalidArgument("unknown measure '" + q.measure + "'; one of " + MeasureNames(),
                           "measure");
  }
  const ByDef* by = nullptr;
  for (const auto& x : kBys) {
    if (q.by == x.name) by = &x;
  }
  if (by == nullptr) {
    return InvalidArgument("unknown grouping by='" + q.by + "'; one of " + ByNames(), "by");
  }
  RETURN_IF_ERROR(internal::CheckDate(q.from, "from"));
  RETURN_IF_ERROR(internal::CheckDate(q.to, "to"));
  if (q.from > q.to) return InvalidArgument("from is after to", "from");
  if (q.to.substr(0, 4) > std::to_string(std::stoi(q.from.substr(0, 4)) + 10)) {
    return InvalidArgument("the range is longer than ten years", "to");
  }
  if (!q.direction.empty() && q.direction != "import" && q.direction != "export") {
    return InvalidArgument("direction must be import or export", "direction");
  }
  Filter f{q.from, q.to, DirectionCode(q.direction), q.trade_mode, q.zone, q.ebc_code};
  bool days = q.by == "day";
  Answer a{q.measure, q.by, q.from, q.to, m->unit, {}};
  std::map<std::string, Row> rows;
  auto key_of = [&](std::string k) {
    if (q.by == "direction") return std::string(k == "I" ? "import" : "export");
    return k;
  };
  if (m->counter >= 0) {
    ASSIGN_OR_RETURN(auto sums, internal::Sum(store, by->dim, by->group, false, f, days,
                                              internal::Bit(m->counter)));
    for (const auto& [k, n] : sums) {
      Row r;
      r.key = key_of(k);
      r.raw = n[m->counter];
      r.value = a.unit == "count" ? std::to_string(r.raw) : Q(internal::Money(r.raw));
      if (by->dim[0] != 0 && r.raw == 0 && r.key.empty()) continue;
      rows[r.key] = std::move(r);
    }
  } else {
    if (by->clr_dim == nullptr) {
      return InvalidArgument("clearance times are not kept by " + q.by +
                                 " (by status: they are times of released lists)",
                             "by");
    }
    if (!q.ebc_code.empty() && (q.by == "country" || q.by == "hsChapter")) {
      return InvalidArgument(
          "clearance times by country or chapter are kept for the zone, not per enterprise",
          "ebcCode");
    }
    bool split = std::string(by->clr_group) == "dim_value";
    ASSIGN_OR_RETURN(auto sums, internal::Sum(store, by->clr_dim, by->clr_group, !split, f, days,
                                              internal::kHistogramCounters));
    std::map<std::string, std::map<int64_t, int64_t>> hist;
    for (const auto& [k, n] : sums) {
      size_t bar = k.rfind('|');
      if (bar == std::string::npos) continue;
      internal::AddHistogram(hist[key_of(k.substr(0, bar))], k.substr(bar + 1), n);
    }
    std::map<std::string, std::pair<int64_t, int64_t>> mean;  // seconds, count
    if (m->percentile == 0) {
      ASSIGN_OR_RETURN(auto base,
                       internal::Sum(store, by->dim, by->group, false, f, days,
                                     internal::Bit(kClrSeconds) | internal::Bit(kClrCount)));
      for (const auto& [k, n] : base) mean[key_of(k)] = {n[kClrSeconds], n[kClrCount]};
    }
    for (const auto& [k, h] : hist) {
      Row r;
      r.key = k;
      if (m->percentile > 0) {
        r.raw = internal::Percentile(h, m->percentile);
      } else {
        auto [sec, n] = mean[k];
        r.raw = n > 0 ? (sec + n / 2) / n : -1;
      }
      r.value = r.raw < 0 ? "null" : std::to_string(r.raw);
      rows[r.key] = std::move(r);
    }
  }
  // Time groupings list every period of the range, in order, zero (or null) where none.
  if (q.by == "day" || q.by == "month") {
    std::vector<std::string> keys = q.by == "day"
                                        ? internal::Days(q.from, q.to)
                                        : internal::Months(q.from.substr(0, 7), q.to.substr(0, 7));
    for (const std::string& k : keys) {
      auto it = rows.find(k);
      if (it != rows.end()) {
        a.rows.push_back(std::move(it->second));
        continue;
      }
      Row r;
      r.key = k;
      r.value = m->counter < 0 ? "null" : a.unit == "count" ? "0" : Q("0.00");
      a.rows.push_back(std::move(r));
    }
    return a;
  }
  for (auto& [k, r] : rows) {
    Name(r, q.by, tables, zones);
    a.rows.push_back(std::move(r));
  }
  std::stable_sort(a.rows.begin(), a.rows.end(),
                   [](const Row& x, const Row& y) { return x.raw > y.raw; });
  return a;
}

std::string AnswerJson(const Answer& a) {
  std::string out = "{\"measure\":" + Q(a.measure) + ",\"by\":" + Q(a.by) +
                    ",\"from\":" + Q(a.from) + ",\"to\":" + Q(a.to) + ",\"unit\":" + Q(a.unit) +
                    ",\"rows\":[";
  bool first = true;
  for (const Row& r : a.rows) {
    out += first ? "" : ",";
    first = false;
    out += "{\"key\":" + Q(r.key) + ",\"value\":" + r.value;
    if (!r.name_zh.empty()) out += ",\"name_zh\":" + Q(r.name_zh);
    if (!r.name_en.empty()) out += ",\"name_en\":" + Q(r.name_en);
    if (!r.iso2.empty()) out += ",\"iso2\":" + Q(r.iso2);
    if (!r.iso3.empty()) out += ",\"iso3\":" + Q(r.iso3);
    out += "}";
  }
  return out + "]}";
}

StatusOr<store::StatCounters> Totals(store::Store& store, const Query& q) {
  RETURN_IF_ERROR(internal::CheckDate(q.from, "from"));
  RETURN_IF_ERROR(internal::CheckDate(q.to, "to"));
  Filter f{q.from, q.to, DirectionCode(q.direction), q.trade_mode, q.zone, q.ebc_code};
  ASSIGN_OR_RETURN(auto sums, internal::Sum(store, "", "", false, f));
  store::StatCounters n{};
  for (const auto& [k, c] : sums) {
    for (int i = 0; i < store::kStatCounters; ++i) n[i] += c[i];
  }
  return n;
}

}  // namespace shumao::stats

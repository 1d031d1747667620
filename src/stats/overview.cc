// The overview screen's data: one answer composed of a dozen rollup reads.
#include <algorithm>

#include "stats/internal.h"

namespace shumao::stats {
namespace {

using internal::Filter;
using internal::Money;
using internal::Q;

// The top `n` keys of `sums` by one counter, largest first.

}  // namespace

StatusOr<std::string> OverviewJson(store::Store& store, const Tables& tables,
                                   const ZoneResolver& zones, const std::string& from,
                                   const std::string& to, const std::string& zone,
                                   bool departments) {
  RETURN_IF_ERROR(internal::CheckDate(from, "from"));
  RETURN_IF_ERROR(internal::CheckDate(to, "to"));
  if (from > to) return InvalidArgument("from is after to", "from");
  Filter all{from, to, "", "", zone, ""};
  Filter imp = all, exp = all;
  imp.direction = "I";
  exp.direction = "E";

  ASSIGN_OR_RETURN(auto by_dir, internal::Sum(store, "", "direction", false, all));
  store::StatCounters ti = by_dir["I"], te = by_dir["E"], t{};
  for (int k = 0; k < store::kStatCounters; ++k) t[k] = ti[k] + te[k];
  ASSIGN_OR_RETURN(auto clr_all,
                   internal::Sum(store, "clr", "", true, all, false, internal::kHistogramCounters));
  std::map<int64_t, int64_t> h = internal::HistogramOf(clr_all, "");

  std::string out = "{\"from\":" + Q(from) + ",\"to\":" + Q(to) + ",\"zone\":" + Q(zone);
  out += ",\"totals\":" +
         internal::TotalsJson(t, ti, te, internal::Percentile(h, 50), internal::Percentile(h, 95));

  // The trend by month, import and export.
  ASSIGN_OR_RETURN(auto mi, internal::Sum(store, "", "month", false, imp));
  ASSIGN_OR_RETURN(auto me, internal::Sum(store, "", "month", false, exp));
  ASSIGN_OR_RETURN(auto clr_month, internal::Sum(store, "clr", "month", true, all, false,
                                                 internal::kHistogramCounters));
  ASSIGN_OR_RETURN(auto hits_month, internal::Sum(store, "", "month", false, all));
  std::vector<std::string> months = internal::Months(from.substr(0, 7), to.substr(0, 7));
  out += ",\"trend\":[";
  for (size_t i = 0; i < months.size(); ++i) {
    const std::string& m = months[i];
    out += std::string(i ? "," : "") + "{\"month\":" + Q(m) +
           ",\"import_value_cny\":" + Q(Money(mi[m][kValueCny])) +
           ",\"export_value_cny\":" + Q(Money(me[m][kValueCny])) +
           ",\"import_lists\":" + std::to_string(mi[m][kLists]) +
           ",\"export_lists\":" + std::to_string(me[m][kLists]) + "}";
  }
  out += "],\"clearance\":[";
  for (size_t i = 0; i < months.size(); ++i) {
    std::map<int64_t, int64_t> hm = internal::HistogramOf(clr_month, months[i]);
    out += std::string(i ? "," : "") + "{\"month\":" + Q(months[i]) +
           ",\"p50\":" + internal::SecondsJson(internal::Percentile(hm, 50)) +
           ",\"p95\":" + internal::SecondsJson(internal::Percentile(hm, 95)) + "}";
  }
  out += "]";

  // The last 30 days of the range.
  std::vector<std::string> days = internal::Days(from, to);
  if (days.size() > 30) days.erase(days.begin(), days.end() - 30);
  Filter recent = all;
  recent.from = days.front();
  ASSIGN_OR_RETURN(auto by_day, internal::Sum(store, "", "period", false, recent, true));
  out += ",\"days\":[";
  for (size_t i = 0; i < days.size(); ++i) {
    const store::StatCounters& n = by_day[days[i]];
    out += std::string(i ? "," : "") + "{\"day\":" + Q(days[i]) +
           ",\"lists\":" + std::to_string(n[kLists]) + ",\"value_cny\":" + Q(Money(n[kValueCny])) +
           "}";
  }
  out += "]";

  // Trade modes per direction.
  out += ",\"modes\":[";
  bool first = true;
  for (const auto& [dir, f] : {std::pair{"import", imp}, std::pair{"export", exp}}) {
    ASSIGN_OR_RETURN(auto modes, internal::Sum(store, "", "trade_mode", false, f));
    for (const auto& [mode, n] : modes) {
      if (n[kLists] == 0) continue;
      out += std::string(first ? "" : ",") + "{\"direction\":" + Q(dir) +
             ",\"tradeMode\":" + Q(mode) + ",\"lists\":" + std::to_string(n[kLists]) +
             ",\"value_cny\":" + Q(Money(n[kValueCny])) + "}";
      first = false;
    }
  }
  out += "]";

  // Countries for the map: origins of imports, destinations of exports.
  out += ",\"countries\":{";
  first = true;
  for (const auto& [dir, f] : {std::pair{"import", imp}, std::pair{"export", exp}}) {
    ASSIGN_OR_RETURN(auto cs, internal::Sum(store, "country", "dim_value", false, f));
    out += std::string(first ? "" : ",") + Q(dir) + ":[";
    first = false;
    bool first_c = true;
    for (const auto& [code, n] : internal::Top(cs, kValueCny, 60)) {
      const Country* c = tables.FindCountry(code);
      out += std::string(first_c ? "" : ",") + "{\"code\":" + Q(code) +
             ",\"iso2\":" + Q(c ? c->iso2 : "") + ",\"iso3\":" + Q(c ? c->iso3 : "") +
             ",\"name_zh\":" + Q(c ? c->name_zh : code) +
             ",\"name_en\":" + Q(c ? c->name_en : code) +
             ",\"value_cny\":" + Q(Money(n[kValueCny])) +
             ",\"lists\":" + std::to_string(n[kLists]) + "}";
      first_c = false;
    }
    out += "]";
  }
  out += "}";

  // Top HS chapters.
  ASSIGN_OR_RETURN(auto chapters, internal::Sum(store, "hs", "dim_value2", false, all));
  out += ",\"chapters\":[";
  first = true;
  for (const auto& [code, n] : internal::Top(chapters, kValueCny, 10)) {
    auto [zh, en] = tables.ChapterName(code);
    out += std::string(first ? "" : ",") + "{\"code\":" + Q(code) + ",\"name_zh\":" + Q(zh) +
           ",\"name_en\":" + Q(en) + ",\"value_cny\":" + Q(Money(n[kValueCny])) +
           ",\"lists\":" + std::to_string(n[kLists]) + "}";
    first = false;
  }
  out += "]";

  // Risk hits by rule and by month.
  ASSIGN_OR_RETURN(auto rules, internal::Sum(store, "rule", "dim_value", false, all));
  out += ",\"risk\":{\"byRule\":[";
  first = true;
  for (const auto& [rule, n] : internal::Top(rules, kRiskHits, 20)) {
    out += std::string(first ? "" : ",") + "{\"rule\":" + Q(rule) +
           ",\"hits\":" + std::to_string(n[kRiskHits]) + "}";
    first = false;
  }
  out += "],\"byMonth\":[";
  for (size_t i = 0; i < months.size(); ++i) {
    out += std::string(i ? "," : "") + "{\"month\":" + Q(months[i]) +
           ",\"hits\":" + std::to_string(hits_month[months[i]][kRiskHits]) + "}";
  }
  out += "]}";

  if (departments) {
    ASSIGN_OR_RETURN(auto ebcs, internal::Sum(store, "", "ebc", false, all));
    out += ",\"enterprises\":[";
    first = true;
    for (const auto& [code, n] : internal::Top(ebcs, kValueCny, 10)) {
      out += std::string(first ? "" : ",") + "{\"code\":" + Q(code) +
             ",\"name\":" + Q(zones.NameOf(code)) + ",\"value_cny\":" + Q(Money(n[kValueCny])) +
             ",\"lists\":" + std::to_string(n[kLists]) + "}";
      first = false;
    }
    out += "]";
  }
  return out + "}";
}

}  // namespace shumao::stats

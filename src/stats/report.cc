// The monthly report (定期汇总报送): totals, growth, modes, countries, categories,
// enterprises, overseas warehouses and parks, as JSON and as the tables of the CSV and the
// workbook (xlsx.cc).
#include <algorithm>
#include <set>

#include "stats/internal.h"

namespace shumao::stats {
namespace {

using internal::Filter;
using internal::Money;
using internal::Q;

constexpr int kTopN = 10;
constexpr int kProvincialWarehouseTarget = 80;  // Jiangsu's public overseas warehouses

std::string Growth(int64_t now, int64_t before) {
  if (before <= 0) return "null";
  Decimal g = Decimal::FromUnits(static_cast<__int128>(now - before) * Decimal::kOne)
                  .Div(Decimal::FromUnits(static_cast<__int128>(before) * Decimal::kOne));
  return Q(g.RoundTo(4).ToString(4));
}

std::string Share(int64_t part, int64_t whole) {
  if (whole <= 0) return "0.0000";
  return Decimal::FromUnits(static_cast<__int128>(part) * Decimal::kOne)
      .Div(Decimal::FromUnits(static_cast<__int128>(whole) * Decimal::kOne))
      .RoundTo(4)
      .ToString(4);
}

// Builds the JSON object and the table of one section together.
class Section {
 public:
  Section(std::string id, std::string zh, std::string en,
          std::vector<std::pair<std::string, bool>> columns)
      : s_{std::move(id), std::move(zh), std::move(en), {}, {}, {}} {
    for (auto& [c, numeric] : columns) {
      s_.columns.push_back(c);
      s_.numeric.push_back(numeric);
    }
  }
  // One row: JSON field names, their JSON values, and the table's cells.
  void Add(const std::vector<std::pair<std::string, std::string>>& json,
           std::vector<std::string> cells) {
    json_ += json_.empty() ? "[" : ",";
    json_ += "{";
    for (size_t i = 0; i < json.size(); ++i) {
      json_ += (i ? "," : "") + Q(json[i].first) + ":" + json[i].second;
    }
    json_ += "}";
    s_.rows.push_back(std::move(cells));
  }
  std::string Json() const { return json_.empty() ? "[]" : json_ + "]"; }
  ReportSection Take() { return std::move(s_); }

 private:
  ReportSection s_;
  std::string json_;
};

}  // namespace

StatusOr<MonthlyReport> BuildMonthlyReport(store::Store& store, const Tables& tables,
                                           const ZoneResolver& zones, const std::string& month,
                                           const std::string& zone, const ReportInputs& in) {
  if (month.size() != 7 || !internal::CheckDate(month + "-01", "month").ok()) {
    return InvalidArgument("month must be YYYY-MM, not '" + month + "'", "month");
  }
  MonthlyReport r;
  r.month = month;
  r.zone = zone;
  if (const Zone* z = tables.FindZone(zone)) r.zone_name = z->name_zh;
  r.generated = FormatIso(Clock::System().Now());

  auto filter = [&](const std::string& m, const std::string& dir) {
    return Filter{m + "-01", internal::LastDay(m), dir, "", zone, ""};
  };
  std::string prev = internal::PrevMonth(month);
  std::string last_year = std::to_string(std::stoi(month.substr(0, 4)) - 1) + month.substr(4);
  ASSIGN_OR_RETURN(auto now, internal::Sum(store, "", "direction", false, filter(month, "")));
  ASSIGN_OR_RETURN(auto before, internal::Sum(store, "", "direction", false, filter(prev, "")));
  ASSIGN_OR_RETURN(auto year_ago,
                   internal::Sum(store, "", "direction", false, filter(last_year, "")));
  auto total = [](std::map<std::string, store::StatCounters>& m) {
    store::StatCounters t{};
    for (auto& [k, n] : m) {
      for (int i = 0; i < store::kStatCounters; ++i) t[i] += n[i];
    }
    return t;
  };
  store::StatCounters t = total(now), tp = total(before), ty = total(year_ago);
  store::StatCounters ti = now["I"], te = now["E"];
  ASSIGN_OR_RETURN(auto clr, internal::Sum(store, "clr", "", true, filter(month, "")));
  std::map<int64_t, int64_t> h = internal::HistogramOf(clr, "");
  int64_t p50 = internal::Percentile(h, 50), p95 = internal::Percentile(h, 95);

  // The summary: one indicator a row.
  Section summary("summary", "汇总", "Summary", {{"指标 Indicator", false}, {"数值 Value", true}});
  auto indicator = [&](const char* id, const char* zh_en, const std::string& json,
                       const std::string& cell) {
    summary.Add({{"id", Q(id)}, {"value", json}}, {zh_en, cell});
  };
  indicator("lists", "放行清单数 Lists released", std::to_string(t[kLists]),
            std::to_string(t[kLists]));
  indicator("parcels", "包裹件数 Parcels", std::to_string(t[kParcels]),
            std::to_string(t[kParcels]));
  indicator("lines", "商品项数 Goods lines", std::to_string(t[kLines]), std::to_string(t[kLines]));
  indicator("value_cny", "进出口额(元) Value (CNY)", Q(Money(t[kValueCny])), Money(t[kValueCny]));
  indicator("value_usd", "进出口额(美元) Value (USD)", Q(Money(t[kValueUsd])), Money(t[kValueUsd]));
  indicator("import_value_cny", "进口额(元) Import value (CNY)", Q(Money(ti[kValueCny])),
            Money(ti[kValueCny]));
  indicator("export_value_cny", "出口额(元) Export value (CNY)", Q(Money(te[kValueCny])),
            Money(te[kValueCny]));
  indicator("import_lists", "进口清单数 Import lists", std::to_string(ti[kLists]),
            std::to_string(ti[kLists]));
  indicator("export_lists", "出口清单数 Export lists", std::to_string(te[kLists]),
            std::to_string(te[kLists]));
  indicator("tax_cny", "税款(元) Tax (CNY)", Q(Money(t[kTaxCny])), Money(t[kTaxCny]));
  indicator("returns", "退货数 Returns", std::to_string(t[kReturns]), std::to_string(t[kReturns]));
  indicator("return_value_cny", "退货金额(元) Returned value (CNY)", Q(Money(t[kReturnValue])),
            Money(t[kReturnValue]));
  indicator("risk_hits", "风险命中 Risk hits", std::to_string(t[kRiskHits]),
            std::to_string(t[kRiskHits]));
  indicator("refused", "退单数 Lists refused", std::to_string(t[kRefused]),
            std::to_string(t[kRefused]));
  indicator("clearance_seconds_p50", "通关时长中位数(秒) Clearance p50 (s)",
            internal::SecondsJson(p50), p50 < 0 ? "" : std::to_string(p50));
  indicator("clearance_seconds_p95", "通关时长95分位(秒) Clearance p95 (s)",
            internal::SecondsJson(p95), p95 < 0 ? "" : std::to_string(p95));
  std::string mom = Growth(t[kValueCny], tp[kValueCny]), yoy = Growth(t[kValueCny], ty[kValueCny]);
  std::string ex_yoy = Growth(te[kValueCny], year_ago["E"][kValueCny]);
  std::string im_yoy = Growth(ti[kValueCny], year_ago["I"][kValueCny]);
  auto cell = [](const std::string& json) {
    return json == "null" ? std::string() : json.substr(1, json.size() - 2);
  };
  indicator("growth_mom", "环比增长 Growth on the previous month", mom, cell(mom));
  indicator("growth_yoy", "同比增长 Growth on the same month last year", yoy, cell(yoy));
  indicator("export_growth_yoy", "出口同比增长 Export growth (year on year)", ex_yoy, cell(ex_yoy));
  indicator("import_growth_yoy", "进口同比增长 Import growth (year on year)", im_yoy, cell(im_yoy));

  std::string json = "{\"month\":" + Q(month) + ",\"zone\":" + Q(zone) +
                     ",\"zoneName\":" + Q(r.zone_name) + ",\"generated\":" + Q(r.generated);
  json += ",\"totals\":" + internal::TotalsJson(t, ti, te, p50, p95);
  json += ",\"previousMonth\":{\"month\":" + Q(prev) + ",\"value_cny\":" + Q(Money(tp[kValueCny])) +
          ",\"lists\":" + std::to_string(tp[kLists]) + "}";
  json += ",\"previousYear\":{\"month\":" + Q(last_year) +
          ",\"value_cny\":" + Q(Money(ty[kValueCny])) + ",\"lists\":" + std::to_string(ty[kLists]) +
          "}";
  json += ",\"growth\":{\"mom\":" + mom + ",\"yoy\":" + yoy + ",\"export_yoy\":" + ex_yoy +
          ",\"import_yoy\":" + im_yoy + "}";

  // Trade modes.
  Section modes("modes", "贸易方式", "Trade modes",
                {{"方向 Direction", false},
                 {"贸易方式 Mode", false},
                 {"清单数 Lists", true},
                 {"金额(元) Value (CNY)", true},
                 {"占比 Share", true}});
  for (const auto& [dir, code] : {std::pair{"import", "I"}, std::pair{"export", "E"}}) {
    ASSIGN_OR_RETURN(auto ms, internal::Sum(store, "", "trade_mode", false, filter(month, code)));
    for (const auto& [mode, n] : ms) {
      if (n[kLists] == 0) continue;
      std::string share = Share(n[kValueCny], t[kValueCny]);
      modes.Add({{"direction", Q(dir)},
                 {"tradeMode", Q(mode)},
                 {"lists", std::to_string(n[kLists])},
                 {"value_cny", Q(Money(n[kValueCny]))},
                 {"share", Q(share)}},
                {std::string(dir) == "import" ? "进口 import" : "出口 export", mode,
                 std::to_string(n[kLists]), Money(n[kValueCny]), share});
    }
  }
  json += ",\"modes\":" + modes.Json();

  // Countries, each direction's top ten.
  Section countries("countries", "国家和地区", "Countries and regions",
                    {{"方向 Direction", false},
                     {"代码 Code", false},
                     {"国家(地区) Country", false},
                     {"清单数 Lists", true},
                     {"金额(元) Value (CNY)", true}});
  for (const auto& [dir, code] : {std::pair{"import", "I"}, std::pair{"export", "E"}}) {
    ASSIGN_OR_RETURN(auto cs,
                     internal::Sum(store, "country", "dim_value", false, filter(month, code)));
    for (const auto& [c, n] : internal::Top(cs, kValueCny, kTopN)) {
      const Country* k = tables.FindCountry(c);
      std::string zh = k ? k->name_zh : c, en = k ? k->name_en : c;
      countries.Add({{"direction", Q(dir)},
                     {"code", Q(c)},
                     {"name_zh", Q(zh)},
                     {"name_en", Q(en)},
                     {"lists", std::to_string(n[kLists])},
                     {"value_cny", Q(Money(n[kValueCny]))}},
                    {std::string(dir) == "import" ? "进口 import" : "出口 export", c, zh + " " + en,
                     std::to_string(n[kLists]), Money(n[kValueCny])});
    }
  }
  json += ",\"countries\":" + countries.Json();

  // Categories (HS chapters).
  Section chapters("chapters", "商品类别", "Categories (HS chapters)",
                   {{"章 Chapter", false},
                    {"名称 Name", false},
                    {"清单数 Lists", true},
                    {"商品项数 Lines", true},
                    {"金额(元) Value (CNY)", true}});
  ASSIGN_OR_RETURN(auto hs, internal::Sum(store, "hs", "dim_value2", false, filter(month, "")));
  for (const auto& [c, n] : internal::Top(hs, kValueCny, kTopN)) {
    auto [zh, en] = tables.ChapterName(c);
    chapters.Add({{"code", Q(c)},
                  {"name_zh", Q(zh)},
                  {"name_en", Q(en)},
                  {"lists", std::to_string(n[kLists])},
                  {"lines", std::to_string(n[kLines])},
                  {"value_cny", Q(Money(n[kValueCny]))}},
                 {c, zh + " " + en, std::to_string(n[kLists]), std::to_string(n[kLines]),
                  Money(n[kValueCny])});
  }
  json += ",\"chapters\":" + chapters.Json();

  // Enterprises.
  Section ents("enterprises", "重点企业", "Top enterprises",
               {{"企业代码 Code", false},
                {"企业名称 Name", false},
                {"清单数 Lists", true},
                {"金额(元) Value (CNY)", true}});
  ASSIGN_OR_RETURN(auto by_ebc, internal::Sum(store, "", "ebc", false, filter(month, "")));
  for (const auto& [c, n] : internal::Top(by_ebc, kValueCny, kTopN)) {
    std::string name = zones.NameOf(c);
    ents.Add({{"code", Q(c)},
              {"name", Q(name)},
              {"lists", std::to_string(n[kLists])},
              {"value_cny", Q(Money(n[kValueCny]))}},
             {c, name, std::to_string(n[kLists]), Money(n[kValueCny])});
  }
  json += ",\"enterprises\":" + ents.Json();

  // Overseas warehouses of the zone's enterprises.
  Section whs("overseasWarehouses", "海外仓", "Overseas warehouses",
              {{"企业代码 Enterprise", false},
               {"仓库代码 Code", false},
               {"名称 Name", false},
               {"国家(地区) Country", false},
               {"面积(㎡) Area (m²)", true}});
  Decimal area;
  int count = 0;
  for (const clearance::OverseasWarehouse& w : in.warehouses) {
    if (!zone.empty() && zones.ZoneOf(w.ebc_code, "") != zone) continue;
    const Country* k = tables.FindCountry(w.country);
    std::string cn = k ? k->name_zh : w.country;
    whs.Add({{"ebcCode", Q(w.ebc_code)},
             {"code", Q(w.code)},
             {"name", Q(w.name)},
             {"country", Q(w.country)},
             {"country_name", Q(cn)},
             {"area_m2", Q(w.area_m2.ToShortString())}},
            {w.ebc_code, w.code, w.name, cn, w.area_m2.ToShortString()});
    area += w.area_m2;
    ++count;
  }
  json += ",\"overseasWarehouses\":" + whs.Json();
  json += ",\"overseasWarehouseSummary\":{\"count\":" + std::to_string(count) +
          ",\"area_m2\":" + Q(area.ToShortString()) +
          ",\"provincialTarget\":" + std::to_string(kProvincialWarehouseTarget) + "}";

  // Parks: the enterprises registered in each, and their trade this month.
  Section parks("parks", "园区", "Parks",
                {{"园区 Park", false},
                 {"企业数 Enterprises", true},
                 {"清单数 Lists", true},
                 {"金额(元) Value (CNY)", true}});
  std::map<std::string, std::pair<int, store::StatCounters>> by_park;
  for (const registry::Enterprise& e : in.enterprises) {
    if (e.park.empty()) continue;
    if (!zone.empty() && zones.ZoneOf(e.code, "") != zone) continue;
    auto& [n, c] = by_park[e.park];
    ++n;
    auto it = by_ebc.find(e.code);
    if (it != by_ebc.end()) {
      for (int i = 0; i < store::kStatCounters; ++i) c[i] += it->second[i];
    }
  }
  for (const auto& [park, v] : by_park) {
    const auto& [n, c] = v;
    parks.Add({{"park", Q(park)},
               {"enterprises", std::to_string(n)},
               {"lists", std::to_string(c[kLists])},
               {"value_cny", Q(Money(c[kValueCny]))}},
              {park, std::to_string(n), std::to_string(c[kLists]), Money(c[kValueCny])});
  }
  json += ",\"parks\":" + parks.Json();
  json += ",\"summary\":" + summary.Json() + "}";

  r.json = std::move(json);
  for (Section* s : {&summary, &modes, &countries, &chapters, &ents, &whs, &parks}) {
    r.sections.push_back(s->Take());
  }
  return r;
}

std::string ReportCsv(const MonthlyReport& r) {
  auto cell = [](const std::string& v) {
    if (v.find_first_of(",\"\n") == std::string::npos) return v;
    std::string out = "\"";
    for (char c : v) {
      if (c == '"') out += '"';
      out += c;
    }
    return out + "\"";
  };
  std::string out = "\xEF\xBB\xBF";
  out += "跨境电商月度统计报表 CBEC monthly report," + cell(r.month) + "," +
         cell(r.zone_name.empty() ? r.zone : r.zone_name) + "\n";
  for (const ReportSection& s : r.sections) {
    out += "\n" + cell(s.title_zh + " " + s.title_en) + "\n";
    for (size_t i = 0; i < s.columns.size(); ++i) out += (i ? "," : "") + cell(s.columns[i]);
    out += "\n";
    for (const auto& row : s.rows) {
      for (size_t i = 0; i < row.size(); ++i) out += (i ? "," : "") + cell(row[i]);
      out += "\n";
    }
  }
  return out;
}

}  // namespace shumao::stats

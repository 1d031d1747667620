// The zone evaluation (综试区考核评估): indicators per zone from the rollups, the registry
// and the zone's own inputs, a score per indicator and a weighted total, zones side by side.
#include <algorithm>
#include <set>

#include "common/strings.h"
#include "stats/internal.h"

namespace shumao::stats {
namespace {

using internal::Filter;
using internal::Q;

constexpr char kInputs[] = "stats.inputs";

std::string InputsKey(const std::string& zone, int year) {
  return zone + "|" + std::to_string(year);
}

Decimal FromCount(int64_t n) { return Decimal::FromInt(n); }
Decimal FromUnits(int64_t u) { return Decimal::FromUnits(u); }

// (now - before) / before; none when before is not positive.
std::optional<Decimal> Growth(int64_t now, int64_t before) {
  if (before <= 0) return std::nullopt;
  return FromUnits(now - before).Div(FromUnits(before));
}

}  // namespace

Status PutZoneInputs(store::Store& store, const ZoneInputs& in) {
  if (in.zone.empty()) return InvalidArgument("zone is required", "zone");
  if (in.year < 2000 || in.year > 2100) return InvalidArgument("year out of range", "year");
  if (in.foreign_trade_cny.IsNegative() || in.high_tech < 0 || in.parks < 0 ||
      in.policy_cases < 0) {
    return InvalidArgument("inputs cannot be negative");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, store.BeginWrite());
  std::string v = in.foreign_trade_cny.ToShortString() + "|" + std::to_string(in.high_tech) + "|" +
                  std::to_string(in.parks) + "|" + std::to_string(in.policy_cases);
  RETURN_IF_ERROR(txn->PutState(kInputs, InputsKey(in.zone, in.year), v));
  return txn->Commit();
}

StatusOr<std::optional<ZoneInputs>> GetZoneInputs(store::Store& store, const std::string& zone,
                                                  int year) {
  ASSIGN_OR_RETURN(std::optional<std::string> v, store.ReadState(kInputs, InputsKey(zone, year)));
  if (!v) return std::optional<ZoneInputs>();
  ZoneInputs in;
  in.zone = zone;
  in.year = year;
  std::vector<std::string> parts;
  std::string_view s = *v;
  while (true) {
    size_t bar = s.find('|');
    parts.emplace_back(s.substr(0, bar));
    if (bar == std::string_view::npos) break;
    s.remove_prefix(bar + 1);
  }
  if (parts.size() != 4) return Internal("stored zone inputs are unreadable: " + *v);
  ASSIGN_OR_RETURN(in.foreign_trade_cny, Decimal::Parse(parts[0]));
  in.high_tech = std::stoll(parts[1]);
  in.parks = std::stoll(parts[2]);
  in.policy_cases = std::stoll(parts[3]);
  return std::optional<ZoneInputs>(in);
}

StatusOr<std::string> EvaluationJson(store::Store& store, const Tables& tables,
                                     const ZoneResolver& zones, int year,
                                     const std::map<std::string, Decimal>& weights,
                                     const ReportInputs& in) {
  if (year < 2000 || year > 2100) return InvalidArgument("year out of range", "year");
  std::vector<Indicator> indicators = tables.Indicators();
  for (const auto& [id, w] : weights) {
    auto it = std::find_if(indicators.begin(), indicators.end(),
                           [&](const Indicator& i) { return i.id == id; });
    if (it == indicators.end()) return InvalidArgument("unknown indicator '" + id + "'", "weights");
    if (w.IsNegative()) return InvalidArgument("weight of " + id + " is negative", "weights");
    it->weight = w;
  }
  std::string y = std::to_string(year), py = std::to_string(year - 1);
  Filter cur{y + "-01-01", y + "-12-31", "", "", "", ""};
  Filter prev{py + "-01-01", py + "-12-31", "", "", "", ""};
  ASSIGN_OR_RETURN(auto now, internal::Sum(store, "", "zone", false, cur));
  ASSIGN_OR_RETURN(auto before, internal::Sum(store, "", "zone", false, prev));
  Filter cur_e = cur, prev_e = prev;
  cur_e.direction = prev_e.direction = "E";
  ASSIGN_OR_RETURN(auto now_e, internal::Sum(store, "", "zone", false, cur_e));
  ASSIGN_OR_RETURN(auto before_e, internal::Sum(store, "", "zone", false, prev_e));

  // The zones compared: those with traffic, registered enterprises or inputs.
  std::set<std::string> ids;
  for (const auto& [z, n] : now) {
    if (!z.empty()) ids.insert(z);
  }
  std::map<std::string, std::set<std::string>> parks;
  std::map<std::string, int64_t> registered;
  for (const registry::Enterprise& e : in.enterprises) {
    std::string z = zones.ZoneOf(e.code, "");
    if (z.empty()) continue;
    ids.insert(z);
    ++registered[z];
    if (!e.park.empty()) parks[z].insert(e.park);
  }
  std::map<std::string, std::optional<ZoneInputs>> inputs;
  for (const std::string& z : ids) {
    ASSIGN_OR_RETURN(inputs[z], GetZoneInputs(store, z, year));
  }
  std::map<std::string, std::pair<int64_t, Decimal>> warehouses;  // count, area
  int64_t province_warehouses = 0;
  for (const clearance::OverseasWarehouse& w : in.warehouses) {
    ++province_warehouses;
    std::string z = zones.ZoneOf(w.ebc_code, "");
    if (z.empty()) continue;
    ids.insert(z);
    ++warehouses[z].first;
    warehouses[z].second += w.area_m2;
  }
  // Active enterprises: e-commerce enterprises with released lists in the year, per zone.
  ASSIGN_OR_RETURN(auto by_ebc, internal::Sum(store, "", "ebc", false, cur));
  std::map<std::string, int64_t> active;
  for (const auto& [code, n] : by_ebc) {
    if (n[kLists] > 0) ++active[zones.ZoneOf(code, "")];
  }

  // Values: none where an input is missing.
  std::map<std::string, std::map<std::string, std::optional<Decimal>>> values;
  for (const std::string& z : ids) {
    auto& v = values[z];
    const std::optional<ZoneInputs>& input = inputs[z];
    int64_t value = now[z][kValueCny];
    v["value"] = FromUnits(value);
    v["growth"] = Growth(value, before[z][kValueCny]);
    v["export_growth"] = Growth(now_e[z][kValueCny], before_e[z][kValueCny]);
    if (input && input->foreign_trade_cny > Decimal()) {
      v["trade_share"] = FromUnits(value).Div(input->foreign_trade_cny);
    } else {
      v["trade_share"] = std::nullopt;
    }
    v["enterprises"] = FromCount(active[z]);
    v["high_tech"] = input ? std::optional(FromCount(input->high_tech)) : std::nullopt;
    v["warehouses"] = FromCount(warehouses[z].first);
    v["warehouse_area"] = warehouses[z].second;
    v["parks"] = input ? FromCount(input->parks) : FromCount(static_cast<int64_t>(parks[z].size()));
    v["policy_cases"] = input ? std::optional(FromCount(input->policy_cases)) : std::nullopt;
  }
  std::map<std::string, Decimal> best;
  for (const auto& [z, v] : values) {
    for (const auto& [id, x] : v) {
      if (x && *x > best[id]) best[id] = *x;
    }
  }
  Decimal hundred = Decimal::FromInt(100), one = Decimal::FromInt(1);
  Decimal total_weight;
  for (const Indicator& i : indicators) total_weight += i.weight;

  struct Scored {
    std::string zone, json;
    Decimal score;
  };
  std::vector<Scored> out;
  for (const std::string& z : ids) {
    Decimal weighted;
    std::string ind;
    for (const Indicator& i : indicators) {
      std::optional<Decimal> x = values[z][i.id];
      Decimal s;
      std::string basis;
      if (x && i.target) {
        s = std::min(one, std::max(Decimal(), x->Div(*i.target))).Mul(hundred);
        basis = "target";
      } else if (x && best[i.id] > Decimal()) {
        s = std::max(Decimal(), x->Div(best[i.id])).Mul(hundred);
        basis = "best";
      } else {
        basis = x ? "best" : "missing";
      }
      s = s.RoundTo(1);
      weighted += s.Mul(i.weight);
      std::string value = !x ? "null"
                             : Q(i.unit == "ratio" ? x->RoundTo(4).ToString(4)
                                 : i.unit == "CNY" ? x->RoundTo(2).ToString(2)
                                                   : x->ToShortString());
      ind += std::string(ind.empty() ? "" : ",") + "{\"id\":" + Q(i.id) +
             ",\"name_zh\":" + Q(i.name_zh) + ",\"name_en\":" + Q(i.name_en) +
             ",\"unit\":" + Q(i.unit) + ",\"source\":" + Q(i.source) + ",\"value\":" + value +
             ",\"target\":" + (i.target ? Q(i.target->ToShortString()) : "null") +
             ",\"weight\":" + Q(i.weight.ToShortString()) + ",\"basis\":" + Q(basis) +
             ",\"score\":" + Q(s.ToString(1)) + "}";
    }
    Decimal score = total_weight > Decimal() ? weighted.Div(total_weight).RoundTo(1) : Decimal();
    const Zone* zone = tables.FindZone(z);
    std::string json = "{\"zone\":" + Q(z) + ",\"name_zh\":" + Q(zone ? zone->name_zh : z) +
                       ",\"name_en\":" + Q(zone ? zone->name_en : z) +
                       ",\"registeredEnterprises\":" + std::to_string(registered[z]) +
                       ",\"inputsEntered\":" + (inputs[z] ? "true" : "false") +
                       ",\"score\":" + Q(score.ToString(1)) + ",\"indicators\":[" + ind + "]}";
    out.push_back(Scored{z, std::move(json), score});
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const Scored& a, const Scored& b) { return a.score > b.score; });
  std::string json = "{\"year\":" + y + ",\"province\":{\"overseasWarehouses\":" +
                     std::to_string(province_warehouses) +
                     ",\"overseasWarehouseTarget\":80},\"zones\":[";
  for (size_t i = 0; i < out.size(); ++i) {
    json += (i ? "," : "") + std::string("{\"rank\":") + std::to_string(i + 1) + "," +
            out[i].json.substr(1);
  }
  return json + "]}";
}

}  // namespace shumao::stats

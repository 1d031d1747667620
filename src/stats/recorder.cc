// The rollups: one event of a list becomes the counters of its cells, each for the day and
// the month, merged per key before one AddStatCells call.
#include <map>
#include <tuple>

#include "stats/stats.h"

namespace shumao::stats {
namespace {

bool InScope(const std::string& direction, const std::string& mode) {
  if (direction == "I") return mode == "9610" || mode == "1210" || mode == "1239";
  return mode == "9610" || mode == "1210" || mode == "9710" || mode == "9810";
}

int64_t Units(Decimal d) { return static_cast<int64_t>(d.units()); }

class Cells {
 public:
  Cells(const clearance::StatList& l, std::string zone, Timestamp t)
      : zone_(std::move(zone)), day_(FormatIso(t).substr(0, 10)), l_(l) {}

  const std::string& day() const { return day_; }

  store::StatCounters& At(const std::string& dim, const std::string& value) {
    return cells_[{dim, value}];
  }

  // Each cell for the day and the month at three levels: with the enterprise; without it
  // (the dim's name and "~"); without it, the trade mode and the zone ("~~"). Queries read
  // the most summed level that can answer them. The clearance histograms by country and
  // chapter are kept without the enterprise only.
  std::vector<store::StatCell> Done() const {
    std::vector<store::StatCell> out;
    for (const auto& [k, n] : cells_) {
      bool per_ebc = k.first != "clr:country" && k.first != "clr:hs";
      for (int level = per_ebc ? 0 : 1; level < 3; ++level) {
        for (int g = 0; g < 2; ++g) {
          store::StatCell c;
          c.dim = k.first + (level == 0 ? "" : level == 1 ? "~" : "~~");
          c.dim_value = k.second;
          c.grain = g == 0 ? "d" : "m";
          c.period = g == 0 ? day_ : day_.substr(0, 7);
          c.direction = l_.direction;
          if (level < 2) {
            c.trade_mode = l_.trade_mode;
            c.zone = zone_;
          }
          if (level == 0) c.ebc = l_.ebc_code;
          c.n = n;
          out.push_back(std::move(c));
        }
      }
    }
    return out;
  }

 private:
  std::string zone_, day_;
  const clearance::StatList& l_;
  std::map<std::pair<std::string, std::string>, store::StatCounters> cells_;
};

// The first line's country and heading: where a list's own counters go in the line dims.
std::string CountryOf(const clearance::StatList& l, size_t i) {
  if (i < l.lines.size() && !l.lines[i].country.empty()) return l.lines[i].country;
  return l.country;
}
std::string HeadingOf(const clearance::StatList& l, size_t i) {
  return i < l.lines.size() ? l.lines[i].gcode.substr(0, 4) : std::string();
}

class Recorder final : public clearance::StatsSink {
 public:
  Recorder(std::shared_ptr<const Tables> tables, std::shared_ptr<const ZoneResolver> zones)
      : tables_(std::move(tables)), zones_(std::move(zones)) {}

  Status Entered(store::WriteTxn& txn, const clearance::StatList& l,
                 const std::vector<std::string>& statuses, Timestamp t) const override {
    if (!InScope(l.direction, l.trade_mode) || statuses.empty()) return Status::Ok();
    // One set of cells and values for the whole move.
    Cells c(l, zones_->ZoneOf(l.ebc_code, l.agent_code), t);
    ASSIGN_OR_RETURN(Values v, ValuesOf(l, c.day()));
    for (const std::string& status : statuses) Enter(c, l, v, status, t);
    return txn.AddStatCells(c.Done());
  }

  Status Returned(store::WriteTxn& txn, const clearance::StatList& l, Decimal tax,
                  Timestamp t) const override {
    if (!InScope(l.direction, l.trade_mode)) return Status::Ok();
    Cells c(l, zones_->ZoneOf(l.ebc_code, l.agent_code), t);
    ASSIGN_OR_RETURN(Values v, ValuesOf(l, c.day()));
    auto add = [&](store::StatCounters& n, int64_t value) {
      n[kReturns] += 1;
      n[kReturnValue] += value;
      n[kTaxCny] -= Units(tax);
    };
    add(c.At("", ""), v.cny_total);
    if (!l.lines.empty()) {
      add(c.At("country", CountryOf(l, 0)), v.cny_total);
      add(c.At("hs", HeadingOf(l, 0)), v.cny_total);
    }
    return txn.AddStatCells(c.Done());
  }

  Status RiskHits(store::WriteTxn& txn, const clearance::StatList& l,
                  const std::vector<std::string>& rules, Timestamp t) const override {
    if (!InScope(l.direction, l.trade_mode) || rules.empty()) return Status::Ok();
    Cells c(l, zones_->ZoneOf(l.ebc_code, l.agent_code), t);
    auto hits = static_cast<int64_t>(rules.size());
    c.At("", "")[kRiskHits] += hits;
    if (!l.lines.empty()) {
      c.At("country", CountryOf(l, 0))[kRiskHits] += hits;
      c.At("hs", HeadingOf(l, 0))[kRiskHits] += hits;
    }
    for (const std::string& r : rules) c.At("rule", r)[kRiskHits] += 1;
    return txn.AddStatCells(c.Done());
  }

 private:
  struct Values {
    std::vector<int64_t> cny, usd;
    int64_t cny_total = 0, usd_total = 0;
  };

  // The counters of one status the list entered.
  static void Enter(Cells& c, const clearance::StatList& l, const Values& v,
                    const std::string& status, Timestamp t) {
    store::StatCounters& st = c.At("status", status);
    st[kLists] += 1;
    st[kParcels] += l.packs;
    st[kLines] += static_cast<int64_t>(l.lines.size());
    st[kValueCny] += v.cny_total;
    st[kValueUsd] += v.usd_total;
    if (status == "100") c.At("", "")[kRefused] += 1;
    if (status == "800") {
      int64_t seconds = std::max<int64_t>(0, (t.millis - l.declared.millis) / 1000);
      bool timed = l.declared.millis > 0;
      auto list_level = [&](store::StatCounters& n) {
        n[kLists] += 1;
        n[kParcels] += l.packs;
        n[kTaxCny] += Units(l.tax);
        if (timed) {
          n[kClrCount] += 1;
          n[kClrSeconds] += seconds;
        }
      };
      store::StatCounters& all = c.At("", "");
      list_level(all);
      all[kLines] += static_cast<int64_t>(l.lines.size());
      all[kValueCny] += v.cny_total;
      all[kValueUsd] += v.usd_total;
      for (size_t i = 0; i < l.lines.size(); ++i) {
        for (auto [dim, key] :
             {std::pair{"country", CountryOf(l, i)}, std::pair{"hs", HeadingOf(l, i)}}) {
          store::StatCounters& n = c.At(dim, key);
          n[kLines] += 1;
          n[kValueCny] += v.cny[i];
          n[kValueUsd] += v.usd[i];
          if (i == 0) list_level(n);
        }
      }
      if (timed) {
        // Ten buckets a cell: the cell's dim value is the bucket index / 10, the counter its
        // remainder.
        int index = ClearanceBucketIndex(seconds);
        std::string group = std::to_string(index / 10);
        int slot = index % 10;
        c.At("clr", group)[slot] += 1;
        c.At("clr:country", CountryOf(l, 0) + "|" + group)[slot] += 1;
        c.At("clr:hs", HeadingOf(l, 0).substr(0, 2) + "|" + group)[slot] += 1;
      }
    }
  }

  // Each line's value in CNY and USD at the day's rates, to the 0.00001.
  StatusOr<Values> ValuesOf(const clearance::StatList& l, const std::string& day) const {
    Values v;
    ASSIGN_OR_RETURN(Decimal usd_rate, tables_->CnyPerUnit("502", day));
    for (const clearance::StatLine& line : l.lines) {
      const std::string& currency = line.currency.empty() ? l.currency : line.currency;
      StatusOr<Decimal> rate = tables_->CnyPerUnit(currency, day);
      // A currency without a rate counts at zero value rather than refusing the decision.
      Decimal cny = rate.ok() ? line.total_price.Mul(*rate) : Decimal();
      Decimal usd = cny.Div(usd_rate);
      v.cny.push_back(Units(cny));
      v.usd.push_back(Units(usd));
      v.cny_total += Units(cny);
      v.usd_total += Units(usd);
    }
    return v;
  }

  std::shared_ptr<const Tables> tables_;
  std::shared_ptr<const ZoneResolver> zones_;
};

}  // namespace

namespace {
constexpr int64_t kGrid[] = {10, 11, 12, 14, 16, 18, 20, 22, 25, 28,
                             32, 36, 40, 45, 50, 56, 63, 71, 80, 90};
}  // namespace

int ClearanceBucketIndex(int64_t seconds) {
  if (seconds < 10) return static_cast<int>(std::max<int64_t>(0, seconds));
  int decade = 0;
  int64_t scale = 1;
  while (seconds / scale >= 100) {
    scale *= 10;
    ++decade;
  }
  int64_t m = seconds / scale;  // 10..99
  int step = 0;
  for (int i = 0; i < 20; ++i) {
    if (kGrid[i] <= m) step = i;
  }
  return 10 + decade * 20 + step;
}

int64_t ClearanceBucketValue(int index) {
  if (index < 10) return index;
  int64_t scale = 1;
  for (int d = 0; d < (index - 10) / 20; ++d) scale *= 10;
  return kGrid[(index - 10) % 20] * scale;
}

int64_t ClearanceBucket(int64_t seconds) {
  return ClearanceBucketValue(ClearanceBucketIndex(seconds));
}
std::unique_ptr<clearance::StatsSink> NewRecorder(std::shared_ptr<const Tables> tables,
                                                  std::shared_ptr<const ZoneResolver> zones) {
  return std::make_unique<Recorder>(std::move(tables), std::move(zones));
}

}  // namespace shumao::stats

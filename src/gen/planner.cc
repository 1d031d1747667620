#include "gen/planner.h"

#include <algorithm>
#include <array>
#include <map>
#include <span>
#include <tuple>
#include <unordered_map>

#include "gen/rng.h"

namespace shumao::gen {
namespace {

constexpr int64_t kSecond = 1000;
constexpr int64_t kMinute = 60 * kSecond;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;
constexpr int64_t kBeijingOffset = 8 * kHour;
constexpr int64_t kNightHours = 3;  // hours either side of midnight a split can span

// Stream tags for Mix(seed, tag, ...): each decision family draws from its own stream.
enum Stream : uint64_t {
  kImportStream = 0x11,
  kExportStream = 0x12,
  kImportChain = 0x13,
  kExportChain = 0x14,
  kFaultStream = 0x15,
  kBuyerStream = 0x16,
  kBatchStream = 0x17,
  kNumberSalt = 0x18,
  kCalendarStream = 0x19,
};

Decimal Yuan(int64_t v) { return Decimal::FromInt(v); }
Decimal Cents(int64_t c) { return Decimal::FromUnits(static_cast<__int128>(c) * 1000); }
Decimal Percent(int64_t p) { return Decimal::FromUnits(static_cast<__int128>(p) * 1000); }

const Decimal kSingleLimit = Yuan(5000);
const Decimal kAnnualLimit = Yuan(26000);
const Decimal kCleanAnnual = Yuan(20000);  // clean buyers stay well inside the annual limit
const Decimal kB2bLimit = Yuan(5000);

int64_t BeijingDay(Timestamp t) { return (t.millis + kBeijingOffset) / kDay; }
Timestamp DayStart(int64_t day) { return Timestamp{day * kDay - kBeijingOffset}; }
int YearOf(Timestamp t) { return ToBeijing(t).year; }
Timestamp Plus(Timestamp t, int64_t ms) { return Timestamp{t.millis + ms}; }

std::string Ymd6(Timestamp t) {
  CivilTime c = ToBeijing(t);
  return Digits(static_cast<uint64_t>(c.year % 100), 2) +
         Digits(static_cast<uint64_t>(c.month), 2) + Digits(static_cast<uint64_t>(c.day), 2);
}

// ---------------------------------------------------------------------------------------
// Calendar: days weighted by weekday and shopping festivals, hours by the daily rhythm.

int Weekday(int y, int m, int d) { return static_cast<int>((DaysFromCivil(y, m, d) + 4) % 7); }

int ImportFestival(int m, int d) {
  if (m == 11 && d == 11) return 900;  // Double 11
  if (m == 11 && d == 10) return 250;
  if (m == 11 && d == 12) return 180;
  if (m == 11 && d < 10) return 140;  // pre-sales
  if (m == 6 && d == 18) return 350;  // 618
  if (m == 6 && d < 18) return 130;
  if (m == 12 && d == 12) return 200;  // Double 12
  if (m == 3 && d == 8) return 160;    // Women's day
  return 100;
}

int ExportFestival(int y, int m, int d) {
  if (m == 11) {
    int first_thursday = 1 + (4 - Weekday(y, 11, 1) + 7) % 7;
    int black_friday = first_thursday + 22;
    if (d == black_friday) return 350;
    if (d == black_friday + 3) return 250;  // Cyber Monday
    if (d >= black_friday - 4 && d < black_friday) return 160;
    if (d == 11) return 220;  // 11.11 on the global marketplaces
  }
  if (m == 12 && d <= 15) return 140;              // Christmas shipping
  if (m == 7 && (d == 11 || d == 12)) return 180;  // Prime Day
  return 100;
}

constexpr std::array<int, 7> kImportWeekday = {120, 100, 100, 95, 95, 100, 115};  // Sun..Sat
constexpr std::array<int, 7> kExportWeekday = {105, 100, 100, 100, 100, 100, 105};
constexpr std::array<int, 24> kImportHours = {20, 10, 5,  3,  2,  2,  4,  8,  14, 20, 24, 23,
                                              22, 20, 21, 22, 22, 20, 19, 24, 32, 36, 34, 24};
constexpr std::array<int, 24> kDouble11Hours = {200, 60, 20, 8,  4,  3,  5,  10, 18, 24, 28, 26,
                                                24,  22, 22, 23, 24, 24, 26, 30, 40, 50, 55, 45};
constexpr std::array<int, 24> kExportHours = {30, 32, 30, 28, 26, 24, 22, 22, 24, 26, 26, 25,
                                              24, 24, 25, 26, 27, 28, 28, 27, 26, 25, 26, 28};

class Calendar {
 public:
  Calendar(Timestamp first_day, int64_t days, bool exports)
      : first_day_(BeijingDay(first_day)), exports_(exports) {
    int64_t total = 0;
    for (int64_t i = 0; i < days; ++i) {
      CivilTime c = ToBeijing(DayStart(first_day_ + i));
      int wd = Weekday(c.year, c.month, c.day);
      int w = exports ? kExportWeekday[wd] * ExportFestival(c.year, c.month, c.day)
                      : kImportWeekday[wd] * ImportFestival(c.month, c.day);
      total += w;
      cumulative_.push_back(total);
      double11_.push_back(!exports && c.month == 11 && c.day == 11);
    }
  }

  Timestamp Sample(Rng& rng) const {
    int64_t r = static_cast<int64_t>(rng.Below(static_cast<uint64_t>(cumulative_.back())));
    size_t i = static_cast<size_t>(std::upper_bound(cumulative_.begin(), cumulative_.end(), r) -
                                   cumulative_.begin());
    std::span<const int> hours = exports_       ? std::span<const int>(kExportHours)
                                 : double11_[i] ? std::span<const int>(kDouble11Hours)
                                                : std::span<const int>(kImportHours);
    int64_t hour = static_cast<int64_t>(rng.Weighted(hours));
    int64_t second = static_cast<int64_t>(rng.Below(3600));
    return Plus(DayStart(first_day_ + static_cast<int64_t>(i)), hour * kHour + second * kSecond);
  }

  bool Double11(int64_t day) const {
    int64_t i = day - first_day_;
    return i >= 0 && i < static_cast<int64_t>(double11_.size()) &&
           double11_[static_cast<size_t>(i)];
  }

 private:
  int64_t first_day_;
  bool exports_;
  std::vector<int64_t> cumulative_;
  std::vector<bool> double11_;
};

// ---------------------------------------------------------------------------------------
// Where export goods go and leave from.

struct Dest {
  const char* code;
  int weight;
};

// Destinations of retail and B2B exports (customs country codes).
constexpr Dest kDestinations[] = {{"502", 300}, {"303", 100}, {"304", 80}, {"116", 80}, {"133", 60},
                                  {"305", 50},  {"601", 50},  {"501", 50}, {"344", 60}, {"410", 40},
                                  {"429", 30},  {"132", 30},  {"122", 30}, {"136", 20}, {"312", 30},
                                  {"307", 20},  {"309", 20}};
// Countries with the zone's public overseas warehouses (9810).
constexpr Dest kWarehouseDestinations[] = {
    {"502", 45}, {"303", 20}, {"304", 15}, {"116", 10}, {"601", 10}};

constexpr ExportSite kExportSites[] = {
    {"2317", "2317", "5"},  // Nanjing Lukou airport
    {"2338", "2338", "6"},  // Suzhou post office
    {"2301", "2301", "2"},  // Lianyungang port
    {"2303", "2303", "3"},  // Suzhou, China-Europe railway
};

// ---------------------------------------------------------------------------------------
// Money.

Decimal GoodsValue(const std::vector<Line>& lines) {
  Decimal v;
  for (const Line& l : lines) v += l.total;
  return v;
}

void SetLine(Line& l, int64_t qty) {
  l.qty = qty;
  l.total = l.price.Mul(Decimal::FromInt(qty));
}

// A consumer price around the catalogue price; promotions on festival days.
Decimal ConsumerPrice(Rng& rng, Decimal base, bool promotion) {
  int64_t pct = promotion ? rng.Range(75, 95) : rng.Range(88, 112);
  Decimal p = base.Mul(Percent(pct)).RoundTo(0);
  if (p < Yuan(1)) p = Yuan(1);
  if (p > Yuan(20) && rng.Chance(400)) p -= Cents(10);  // 299.90
  return p;
}

// ---------------------------------------------------------------------------------------
// The planner.

class Planner {
 public:
  Planner(const PlanInput& in, const Catalog& catalog, const PartySet& parties)
      : in_(in),
        catalog_(catalog),
        parties_(parties),
        import_days_(in.first_day, in.days, false),
        export_days_(in.first_day, in.days, true),
        end_(Plus(in.first_day, in.days * kDay - kSecond)),
        plan_(std::make_unique<Plan>()) {
    for (const Goods& g : catalog_.imports()) import_weights_.push_back(g.weight);
    for (const Store& s : parties_.import_stores) import_store_weights_.push_back(s.weight);
    for (const Store& s : parties_.export_stores) export_store_weights_.push_back(s.weight);
    buyer_pool_ = std::max<int64_t>(30, in.imports / 4);
    regulars_ = std::max<int64_t>(5, buyer_pool_ / 10);
    china_ = Intern("142");
  }

  StatusOr<std::unique_ptr<Plan>> Run() {
    plan_->imports.resize(static_cast<size_t>(in_.imports));
    plan_->exports.resize(static_cast<size_t>(in_.exports));
    for (int64_t i = 0; i < in_.imports; ++i) PlanImport(i);
    for (int64_t i = 0; i < in_.exports; ++i) PlanExport(i);
    DealImportFaults();
    DealExportFaults();
    for (ImportParcel& p : plan_->imports) FinishImport(p);
    ListHistoryFirst();
    for (ExportParcel& p : plan_->exports) FinishExport(p);
    NameGroups();
    MakeBatches();
    return std::move(plan_);
  }

 private:
  const std::string* Intern(std::string s) {
    plan_->strings.push_back(std::move(s));
    return &plan_->strings.back();
  }

  // ----- buyers

  const Buyer& PoolBuyer(int64_t index) {
    auto it = pool_.find(index);
    if (it != pool_.end()) return *it->second;
    plan_->buyers.push_back(MakeBuyer(in_.seed, static_cast<uint64_t>(index)));
    pool_[index] = &plan_->buyers.back();
    return plan_->buyers.back();
  }

  // A buyer of the fault stream, never used by a clean parcel.
  const Buyer& FreshBuyer() {
    plan_->buyers.push_back(MakeBuyer(in_.seed, (1ULL << 40) + fresh_buyers_++));
    return plan_->buyers.back();
  }

  static uint64_t YearKey(int64_t buyer, int year) {
    return static_cast<uint64_t>(buyer) * 4096 + static_cast<uint64_t>(year);
  }
  static uint64_t DayKey(int64_t buyer, int64_t day) {
    return static_cast<uint64_t>(buyer) * (1ULL << 22) + static_cast<uint64_t>(day);
  }

  static Decimal Total(const std::unordered_map<uint64_t, Decimal>& m, uint64_t key) {
    auto it = m.find(key);
    return it == m.end() ? Decimal() : it->second;
  }

  // Picks a pool buyer who stays within the clean limits with this transaction. Near
  // midnight (within kNightHours of it) the neighbouring day counts too, so that no clean
  // buyer's orders a few hours apart across midnight add up past the single limit (that is
  // a split order).
  int64_t ChooseBuyer(Rng& rng, Timestamp t, Decimal amount) {
    int year = YearOf(t);
    int64_t day = BeijingDay(t);
    int64_t into_day = (t.millis + kBeijingOffset) % kDay;
    int64_t neighbour = into_day < kNightHours * kHour           ? day - 1
                        : into_day >= kDay - kNightHours * kHour ? day + 1
                                                                 : -1;
    for (int attempt = 0; attempt < 12; ++attempt) {
      int64_t b =
          static_cast<int64_t>(rng.Chance(400) ? rng.Below(static_cast<uint64_t>(regulars_))
                                               : rng.Below(static_cast<uint64_t>(buyer_pool_)));
      Decimal day_after = Total(day_total_, DayKey(b, day)) + amount;
      Decimal night_after =
          neighbour < 0 ? Decimal() : day_after + Total(day_total_, DayKey(b, neighbour));
      if (Total(year_total_, YearKey(b, year)) + amount <= kCleanAnnual &&
          day_after <= kSingleLimit && night_after <= kSingleLimit) {
        return b;
      }
    }
    return buyer_pool_ + extra_buyers_++;
  }

  void BindBuyer(ImportParcel& p, const Buyer& b, Rng& rng) {
    p.owner = &b;
    p.buyer_reg_no = &b.reg_no;
    p.buyer = &b.self;
    p.payer = &b.self;
    if (rng.Chance(150)) {  // a gift to a parent or spouse at home
      p.consignee = &b.relative;
      p.address = &b.home;
    } else {
      p.consignee = &b.self;
      p.address = rng.Chance(720) ? &b.home : &b.work;
    }
    p.wb_consignee = p.consignee;
    p.wb_address = p.address;
  }

  // ----- import goods

  Line ImportLine(Rng& rng, const Goods& g, bool promotion) {
    Line l;
    l.goods = &g;
    l.declared = &g;
    l.price = ConsumerPrice(rng, g.price, promotion);
    l.country = &g.origins[rng.Below(g.origins.size())];
    int64_t qty = 1;
    if (g.price <= Yuan(1000)) {
      static constexpr int kQty[] = {750, 180, 50, 20};
      static constexpr int kCans[] = {400, 300, 200, 100};  // 1, 2, 3 or a box of 6
      bool stock_up = g.category == Category::kInfantFormula || g.category == Category::kDiapers;
      size_t k = rng.Weighted(stock_up ? std::span<const int>(kCans) : std::span<const int>(kQty));
      qty = stock_up && k == 3 ? 6 : static_cast<int64_t>(k) + 1;
    }
    SetLine(l, qty);
    return l;
  }

  void Recompute(ImportParcel& p) {
    p.goods_value = GoodsValue(p.lines);
    if (p.discount > p.goods_value.Mul(Percent(20)).RoundTo(2)) {
      p.discount = p.goods_value.Mul(Percent(10)).RoundTo(0);
    }
    p.tax = ImportTax(p.lines, p.freight);
    p.paid = p.goods_value + p.freight + p.tax - p.discount;
    p.amount_paid = p.paid;
    p.gross = Decimal();
    p.net = Decimal();
    for (const Line& l : p.lines) {
      p.gross += l.goods->gross_kg.Mul(Decimal::FromInt(l.qty));
      p.net += l.goods->net_kg.Mul(Decimal::FromInt(l.qty));
    }
    p.gross = p.gross.RoundTo(3);
    p.net = p.net.RoundTo(3);
  }

  // The two measures of a retail transaction. Limits are read both ways: the policy
  // notes test goods + freight (交易额), a stricter reading adds the tax. A clean parcel
  // stays within a limit under both (Transaction <= limit); a fault exceeds it under both
  // (GoodsFreight > limit).
  static Decimal Transaction(const ImportParcel& p) { return p.goods_value + p.freight + p.tax; }
  static Decimal GoodsFreight(const ImportParcel& p) { return p.goods_value + p.freight; }

  // Replaces the lines with goods from the import catalogue so that goods + freight >= lo,
  // the transaction with tax <= hi and the parcel holds at least min_pieces pieces (greedy).
  // low_tax: only goods without consumption tax.
  void FillImport(Rng& rng, ImportParcel& p, Decimal lo, Decimal hi, int64_t min_pieces,
                  bool low_tax = false) {
    for (int attempt = 0; attempt < 8; ++attempt) {
      if (TryFillImport(rng, p, lo, hi, min_pieces, low_tax)) return;
    }
  }

  bool TryFillImport(Rng& rng, ImportParcel& p, Decimal lo, Decimal hi, int64_t min_pieces,
                     bool low_tax) {
    bool promotion = false;
    const auto& goods = catalog_.imports();
    p.lines.clear();
    Recompute(p);
    int64_t pieces = 0;
    for (int step = 0; step < 400 && (GoodsFreight(p) < lo || pieces < min_pieces); ++step) {
      Decimal room = hi - Transaction(p);
      // Candidates whose price with tax (at most +30%) still fits.
      std::vector<size_t> fit;
      for (size_t i = 0; i < goods.size(); ++i) {
        const Goods& g = goods[i];
        if (low_tax && (g.content > 0 || g.pieces > 0)) continue;
        if (g.weight > 0 && g.price.Mul(Percent(130)) <= room) fit.push_back(i);
      }
      if (fit.empty()) break;
      const Goods& g = goods[fit[rng.Below(fit.size())]];
      size_t at = static_cast<size_t>(std::find_if(p.lines.begin(), p.lines.end(),
                                                   [&](const Line& l) { return l.goods == &g; }) -
                                      p.lines.begin());
      if (at < p.lines.size()) {
        SetLine(p.lines[at], p.lines[at].qty + 1);
      } else if (p.lines.size() < 6) {
        Line l = ImportLine(rng, g, promotion);
        SetLine(l, 1);
        p.lines.push_back(l);
      } else {
        continue;
      }
      ++pieces;
      Recompute(p);
      if (Transaction(p) > hi) {  // the price drew above the catalogue price: undo
        Line& last = p.lines[at];
        if (last.qty > 1) {
          SetLine(last, last.qty - 1);
        } else {
          p.lines.erase(p.lines.begin() + static_cast<std::ptrdiff_t>(at));
        }
        --pieces;
        Recompute(p);
      }
    }
    if (p.lines.empty()) {  // nothing fitted: one cheap article
      p.lines.push_back(ImportLine(rng, goods[0], promotion));
      SetLine(p.lines.back(), 1);
      Recompute(p);
    }
    return GoodsFreight(p) >= lo && Transaction(p) <= hi && pieces >= min_pieces;
  }

  // ----- import parcels

  void PlanImport(int64_t i) {
    ImportParcel& p = plan_->imports[static_cast<size_t>(i)];
    Rng rng(Mix(in_.seed, kImportStream, static_cast<uint64_t>(i)));
    p.uid = i;
    p.t_order = import_days_.Sample(rng);
    bool promotion = import_days_.Double11(BeijingDay(p.t_order));
    p.bonded = rng.Chance(650);
    p.store = &parties_.import_stores[rng.Weighted(import_store_weights_)];
    p.ebc = p.store->ebc;
    const auto& carriers =
        p.bonded ? parties_.import_carriers_bonded : parties_.import_carriers_direct;
    p.carrier = carriers[rng.Below(carriers.size())];
    p.pay_company = parties_.payments[rng.Weighted(std::array<int, 3>{45, 40, 15})];

    int lines = 1 + static_cast<int>(rng.Weighted(std::array<int, 4>{600, 250, 100, 50}));
    for (int k = 0; k < lines; ++k) {
      const Goods& g = catalog_.imports()[rng.Weighted(import_weights_)];
      bool dup =
          std::any_of(p.lines.begin(), p.lines.end(), [&](const Line& l) { return l.goods == &g; });
      if (!dup) p.lines.push_back(ImportLine(rng, g, promotion));
    }
    if (p.bonded) {
      p.freight = rng.Chance(700) ? Decimal() : Yuan(rng.Range(1, 3) * 5);
    } else {
      p.freight = rng.Chance(400) ? Decimal() : Yuan(rng.Range(15, 45));
    }
    if (rng.Chance(250)) {
      static constexpr int kCoupons[] = {5, 10, 15, 20, 30, 50};
      p.discount = Yuan(kCoupons[rng.Below(6)]);
    }
    Recompute(p);
    // Clean transactions stay within the single limit.
    while (Transaction(p) > kSingleLimit - Yuan(10)) {
      auto big = std::max_element(p.lines.begin(), p.lines.end(),
                                  [](const Line& a, const Line& b) { return a.total < b.total; });
      if (big->qty > 1) {
        SetLine(*big, big->qty - 1);
      } else if (p.lines.size() > 1) {
        p.lines.erase(big);
      } else {  // one article dearer than the limit with its tax: sell a cheaper one
        const Goods& g = catalog_.imports()[rng.Weighted(import_weights_)];
        if (g.price <= Yuan(3000)) *big = ImportLine(rng, g, promotion);
      }
      Recompute(p);
    }
    p.buyer_index = ChooseBuyer(rng, p.t_order, Transaction(p));
    const Buyer& b = PoolBuyer(p.buyer_index);
    BindBuyer(p, b, rng);
    year_total_[YearKey(p.buyer_index, YearOf(p.t_order))] += Transaction(p);
    day_total_[DayKey(p.buyer_index, BeijingDay(p.t_order))] += Transaction(p);
  }

  // ----- export parcels

  std::vector<size_t> ExportPool(const Store& s) const {
    std::vector<size_t> pool;
    const auto& goods = catalog_.exports();
    for (size_t i = 0; i < goods.size(); ++i) {
      bool ok = s.categories.empty() || std::find(s.categories.begin(), s.categories.end(),
                                                  goods[i].category) != s.categories.end();
      if (ok) pool.push_back(i);
    }
    return pool;
  }

  Line ExportLine(Rng& rng, const Goods& g, bool b2b) {
    Line l;
    l.goods = &g;
    l.declared = &g;
    int64_t pct = b2b ? rng.Range(55, 75) : rng.Range(90, 115);
    l.price = g.price.Mul(Percent(pct)).RoundTo(b2b ? 2 : 0);
    if (l.price < Yuan(1)) l.price = Yuan(1);
    int64_t qty = 1;
    if (b2b) {
      qty = rng.Range(2, 30) * 10;
    } else {
      static constexpr int kQty[] = {700, 200, 70, 30};
      size_t k = rng.Weighted(kQty);
      qty = k == 3 ? 5 : static_cast<int64_t>(k) + 1;
    }
    SetLine(l, qty);
    return l;
  }

  void RecomputeExport(ExportParcel& p) {
    p.goods_value = GoodsValue(p.lines);
    p.charge = p.goods_value + p.freight;
    p.gross = Decimal();
    p.net = Decimal();
    int64_t pieces = 0;
    for (const Line& l : p.lines) {
      p.gross += l.goods->gross_kg.Mul(Decimal::FromInt(l.qty));
      p.net += l.goods->net_kg.Mul(Decimal::FromInt(l.qty));
      pieces += l.qty;
    }
    p.gross = p.gross.RoundTo(3);
    p.net = p.net.RoundTo(3);
    p.pack_no =
        p.order_type == 'E' ? 1 : static_cast<int>(std::max<int64_t>(1, (pieces + 49) / 50));
  }

  // Shrinks B2B quantities until goods + freight <= limit.
  void CapB2b(ExportParcel& p, Decimal limit) {
    while (p.goods_value + p.freight > limit) {
      auto big = std::max_element(p.lines.begin(), p.lines.end(),
                                  [](const Line& a, const Line& b) { return a.total < b.total; });
      if (big->qty > 10) {
        SetLine(*big, big->qty - std::max<int64_t>(1, big->qty / 10));
      } else if (p.lines.size() > 1) {
        p.lines.erase(big);
      } else if (big->qty > 1) {
        SetLine(*big, big->qty - 1);
      } else {
        break;
      }
      RecomputeExport(p);
    }
  }

  const char* Destination(Rng& rng, std::string_view mode) {
    std::span<const Dest> d = mode == "9810" ? std::span<const Dest>(kWarehouseDestinations)
                                             : std::span<const Dest>(kDestinations);
    std::vector<int> w;
    for (const Dest& x : d) w.push_back(x.weight);
    return d[rng.Weighted(w)].code;
  }

  static const ExportSite* Site(int k) { return &kExportSites[k]; }

  void ChooseRoute(Rng& rng, ExportParcel& p) {
    const auto& c = parties_.export_carriers;  // post, express, international forwarder
    std::string_view dest = p.country;
    bool europe = dest == "304" || dest == "303" || dest == "344" || dest == "309";
    if (p.trade_mode == "9610") {
      p.carrier = c[rng.Weighted(std::array<int, 3>{40, 35, 25})];
      p.site = p.carrier == c[0] ? Site(1) : Site(0);
    } else if (p.trade_mode == "9710") {
      p.carrier = c[1 + rng.Below(2)];
      p.site = p.carrier == c[2] && rng.Chance(500) ? Site(2) : Site(0);
    } else {
      p.carrier = c[2];
      p.site = europe && rng.Chance(500) ? Site(3) : Site(2);
    }
  }

  void PlanExport(int64_t i) {
    ExportParcel& p = plan_->exports[static_cast<size_t>(i)];
    Rng rng(Mix(in_.seed, kExportStream, static_cast<uint64_t>(i)));
    p.uid = in_.imports + i;
    p.t_order = export_days_.Sample(rng);
    size_t mode = rng.Weighted(std::array<int, 3>{800, 120, 80});
    p.trade_mode = mode == 0 ? "9610" : mode == 1 ? "9710" : "9810";
    p.order_type = mode == 0 ? 'E' : mode == 1 ? 'B' : 'W';
    p.store = &parties_.export_stores[rng.Weighted(export_store_weights_)];
    p.ebp = p.store->ebp;
    p.ebc = p.store->ebc;
    p.pay_company = parties_.export_payments[rng.Below(parties_.export_payments.size())];
    p.country = Destination(rng, p.trade_mode);
    if (p.order_type == 'W' && rng.Chance(500)) {
      p.ebp = &parties_.no_platform;
      p.ebp_name = WarehouseName(p.country);
    }
    ChooseRoute(rng, p);
    if (p.trade_mode == "9610" && rng.Chance(150)) p.statistics_flag = 'A';

    std::vector<size_t> pool = ExportPool(*p.store);
    bool b2b = p.order_type != 'E';
    int lines = 1 + static_cast<int>(rng.Weighted(b2b ? std::array<int, 3>{500, 350, 150}
                                                      : std::array<int, 3>{700, 220, 80}));
    for (int k = 0; k < lines; ++k) {
      const Goods& g = catalog_.exports()[pool[rng.Below(pool.size())]];
      bool dup =
          std::any_of(p.lines.begin(), p.lines.end(), [&](const Line& l) { return l.goods == &g; });
      if (!dup) p.lines.push_back(ExportLine(rng, g, b2b));
    }
    p.freight = b2b               ? Yuan(rng.Range(80, 400))
                : rng.Chance(400) ? Decimal()
                                  : Yuan(rng.Range(15, 60));
    RecomputeExport(p);
    if (b2b) CapB2b(p, kB2bLimit);
  }

  static std::string_view WarehouseName(std::string_view country) {
    if (country == "502") return "美国洛杉矶海外仓";
    if (country == "303") return "英国伦敦海外仓";
    if (country == "304") return "德国法兰克福海外仓";
    if (country == "116") return "日本东京海外仓";
    return "澳大利亚悉尼海外仓";
  }

  // ----- faults

  struct Block {
    Fault fault;
    int64_t size;
  };

  static std::pair<int, int> GroupSize(Fault f) {
    if (f == Fault::kSplitOrder) return {2, 3};
    if (f == Fault::kIdentityMisuse) return {4, 5};
    return {1, 1};
  }

  // Deals `k` fault slots over the types in rounds, in a shuffled order each round. The
  // first round deals every type (so that each appears once there are enough slots);
  // after it each type earns one parcel a round, so a group type (2-5 parcels at a time)
  // is dealt every few rounds and all types end up with about the same number of parcels.
  static std::vector<Block> Deal(Rng& rng, std::vector<Fault> types, int64_t k) {
    std::vector<Block> blocks;
    std::vector<int64_t> credit(types.size(), 0);
    int64_t dealt = 0;
    while (dealt < k) {
      std::vector<size_t> order(types.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      rng.Shuffle(std::span<size_t>(order));
      bool progress = false;
      for (size_t i : order) {
        credit[i] += 1;
        int64_t left = k - dealt;
        auto [lo, hi] = GroupSize(types[i]);
        if (left == 0 || credit[i] < 1 || left < lo) continue;
        int64_t size = std::min<int64_t>(left, rng.Range(lo, hi));
        blocks.push_back({types[i], size});
        credit[i] -= size;
        dealt += size;
        progress = true;
      }
      if (!progress &&
          std::all_of(types.begin(), types.end(), [](Fault f) { return GroupSize(f).first > 1; })) {
        break;
      }
    }
    return blocks;
  }

  // The first k of a random permutation of [0, n).
  static std::vector<int64_t> Choose(Rng& rng, int64_t n, int64_t k) {
    std::vector<int64_t> idx(static_cast<size_t>(n));
    for (int64_t i = 0; i < n; ++i) idx[static_cast<size_t>(i)] = i;
    for (int64_t i = 0; i < k; ++i) {
      int64_t j = i + static_cast<int64_t>(rng.Below(static_cast<uint64_t>(n - i)));
      std::swap(idx[static_cast<size_t>(i)], idx[static_cast<size_t>(j)]);
    }
    idx.resize(static_cast<size_t>(k));
    return idx;
  }

  void DealImportFaults() {
    if (in_.import_faults == 0) return;
    Rng rng(Mix(in_.seed, kFaultStream, 1));
    std::vector<Fault> types = {Fault::kPaymentAmountMismatch, Fault::kConsigneeMismatch,
                                Fault::kOverSingleLimit,       Fault::kOverAnnualLimit,
                                Fault::kMissingPayment,        Fault::kMissingWaybill,
                                Fault::kBuyerPayerMismatch,    Fault::kUnregisteredEbc,
                                Fault::kDuplicateMessage,      Fault::kSplitOrder,
                                Fault::kIdentityMisuse,        Fault::kUndervaluation,
                                Fault::kNameHsMismatch};
    std::vector<Block> blocks = Deal(rng, types, in_.import_faults);
    std::vector<int64_t> chosen = Choose(rng, in_.imports, in_.import_faults);
    std::vector<bool> faulty(plan_->imports.size(), false);
    for (int64_t i : chosen) faulty[static_cast<size_t>(i)] = true;
    // Parcels left clean, by time: the history an annual-limit fault builds on.
    for (const ImportParcel& p : plan_->imports) {
      if (!faulty[static_cast<size_t>(p.uid)]) clean_by_time_.push_back(p.uid);
    }
    std::sort(clean_by_time_.begin(), clean_by_time_.end(), [&](int64_t a, int64_t b) {
      const auto& pa = plan_->imports[static_cast<size_t>(a)];
      const auto& pb = plan_->imports[static_cast<size_t>(b)];
      return std::tie(pa.t_order.millis, pa.uid) < std::tie(pb.t_order.millis, pb.uid);
    });
    used_history_.assign(plan_->imports.size(), false);
    annual_history_.clear();
    size_t next = 0;
    for (const Block& block : blocks) {
      std::vector<ImportParcel*> group;
      for (int64_t k = 0; k < block.size; ++k) {
        group.push_back(&plan_->imports[static_cast<size_t>(chosen[next++])]);
      }
      for (ImportParcel* p : group) p->fault = block.fault;
      ApplyImportFault(rng, block.fault, group);
    }
  }

  static std::string Amount(Decimal d) { return d.ToString(2); }

  void ApplyImportFault(Rng& rng, Fault f, std::vector<ImportParcel*>& group) {
    ImportParcel& p = *group[0];
    switch (f) {
      case Fault::kPaymentAmountMismatch: {
        if (!p.tax.IsZero() && rng.Chance(500)) {
          p.amount_paid = p.paid - p.tax;
          p.detail = "CEB411 amountPaid " + Amount(p.amount_paid) + " leaves out the tax " +
                     Amount(p.tax) + ": CEB311 acturalPaid is " + Amount(p.paid);
        } else {
          Decimal delta = Yuan(rng.Range(1, 60));
          p.amount_paid = rng.Chance(500) || p.paid <= delta ? p.paid + delta : p.paid - delta;
          p.detail = "CEB411 amountPaid " + Amount(p.amount_paid) +
                     " differs from CEB311 acturalPaid " + Amount(p.paid);
        }
        break;
      }
      case Fault::kConsigneeMismatch: {
        int which = static_cast<int>(rng.Below(3));
        if (which == 0) {
          Person other = *p.consignee;
          do other.phone = MakeMobile(rng);
          while (other.phone == p.consignee->phone);
          plan_->people.push_back(other);
          p.wb_consignee = &plan_->people.back();
          p.detail = "waybill consigneeTelephone " + other.phone + " differs from the order's " +
                     p.consignee->phone;
        } else if (which == 1) {
          Person other = *p.consignee;
          other.name = MakePerson(rng).name;
          if (other.name == p.consignee->name) other.name += "华";
          plan_->people.push_back(other);
          p.wb_consignee = &plan_->people.back();
          p.detail =
              "waybill consignee " + other.name + " differs from the order's " + p.consignee->name;
        } else {
          plan_->addresses.push_back(MakeAddress(rng));
          p.wb_address = &plan_->addresses.back();
          p.detail = "waybill consigneeAddress " + p.wb_address->text +
                     " differs from the order's " + p.address->text;
        }
        break;
      }
      case Fault::kOverSingleLimit: {
        BindBuyer(p, FreshBuyer(), rng);
        p.buyer_index = -1;
        FillImport(rng, p, Yuan(5300), Yuan(9800), 2);
        p.detail = "transaction " + Amount(Transaction(p)) + " (goods " + Amount(p.goods_value) +
                   " + freight " + Amount(p.freight) + " + tax " + Amount(p.tax) +
                   ") is over the 5000.00 " + "single limit with " + std::to_string(Pieces(p)) +
                   " pieces";
        break;
      }
      case Fault::kOverAnnualLimit: OverAnnual(rng, p); break;
      case Fault::kMissingPayment:
        p.has_payment = false;
        p.detail = "no CEB411 payment is sent for order {order}";
        break;
      case Fault::kMissingWaybill:
        p.has_waybill = false;
        p.detail = "no CEB511 waybill is sent for logisticsNo {waybill}";
        break;
      case Fault::kBuyerPayerMismatch: {
        p.payer = &p.owner->relative;
        p.detail = "payer " + p.payer->name + " (" + p.payer->id_number + ") is not the buyer " +
                   p.buyer->name + " (" + p.buyer->id_number + ")";
        break;
      }
      case Fault::kUnregisteredEbc: {
        const auto& ghosts = parties_.import_ghosts;
        p.ebc = ghosts[rng.Below(ghosts.size())];
        p.detail =
            "ebcCode " + p.ebc->code + " (" + p.ebc->name + ") is not a registered enterprise";
        break;
      }
      case Fault::kDuplicateMessage: {
        static constexpr Msg kKinds[] = {Msg::k311, Msg::k411, Msg::k511, Msg::k621};
        p.dup = kKinds[rng.Weighted(std::array<int, 4>{30, 20, 20, 30})];
        p.detail = std::string(MsgCode(p.dup)) + " is sent twice with identical bytes";
        break;
      }
      case Fault::kSplitOrder: SplitOrder(rng, group); break;
      case Fault::kIdentityMisuse: IdentityMisuse(rng, group); break;
      case Fault::kUndervaluation: {
        auto it = std::max_element(
            p.lines.begin(), p.lines.end(),
            [](const Line& a, const Line& b) { return a.goods->price < b.goods->price; });
        int64_t pct = rng.Range(8, 22);
        it->price = it->goods->price.Mul(Percent(pct)).RoundTo(2);
        if (it->price < Yuan(1)) it->price = Yuan(1);
        SetLine(*it, it->qty);
        Recompute(p);
        p.detail = "gnum " + std::to_string(it - p.lines.begin() + 1) + " " + it->goods->name +
                   " is declared at " + Amount(it->price) + ", about " + std::to_string(pct) +
                   "% of its usual price " + Amount(it->goods->price);
        break;
      }
      case Fault::kNameHsMismatch: {
        Line& l = p.lines[rng.Below(p.lines.size())];
        // Declared as everyday food or toiletries, which carry less tax (no consumption
        // tax, often 9% VAT) and fewer checks than what is in the box.
        std::vector<const Goods*> other;
        for (const Goods& g : catalog_.imports()) {
          bool decoy = g.category == Category::kFood || g.category == Category::kHealth ||
                       g.category == Category::kPersonalCare;
          if (decoy && g.weight > 0 && g.category != l.goods->category &&
              g.hs.substr(0, 2) != l.goods->hs.substr(0, 2)) {
            other.push_back(&g);
          }
        }
        if (other.empty()) other.push_back(&catalog_.imports()[0]);
        l.declared = other[rng.Below(other.size())];
        Recompute(p);
        p.detail = "gname " + l.goods->name + " is declared under HS " + l.declared->hs +
                   " (goods like " + l.declared->name + "), its HS code is " + l.goods->hs;
        break;
      }
      default: break;
    }
  }

  static int64_t Pieces(const ImportParcel& p) {
    int64_t n = 0;
    for (const Line& l : p.lines) n += l.qty;
    return n;
  }

  // Earlier clean parcels of the year become a fresh buyer's history (each within the
  // limits, on days of their own), and this parcel takes the buyer past 26,000.
  void OverAnnual(Rng& rng, ImportParcel& p) {
    const Buyer& b = FreshBuyer();
    BindBuyer(p, b, rng);
    p.buyer_index = -1;
    int64_t day = BeijingDay(p.t_order);
    int year = YearOf(p.t_order);
    size_t end = static_cast<size_t>(
        std::lower_bound(clean_by_time_.begin(), clean_by_time_.end(), day,
                         [&](int64_t uid, int64_t d) {
                           return BeijingDay(plan_->imports[static_cast<size_t>(uid)].t_order) < d;
                         }) -
        clean_by_time_.begin());
    std::vector<ImportParcel*> history;
    std::vector<int64_t> days = {day};
    for (int attempt = 0; attempt < 80 && history.size() < 6 && end > 0; ++attempt) {
      ImportParcel& h = plan_->imports[static_cast<size_t>(clean_by_time_[rng.Below(end)])];
      int64_t hd = BeijingDay(h.t_order);
      if (used_history_[static_cast<size_t>(h.uid)] || YearOf(h.t_order) != year ||
          std::find(days.begin(), days.end(), hd) != days.end()) {
        continue;
      }
      used_history_[static_cast<size_t>(h.uid)] = true;
      days.push_back(hd);
      history.push_back(&h);
      annual_history_[p.uid].push_back(h.uid);
    }
    // Six earlier orders of goods + freight >= 3,720 and <= 4,300 with tax (goods without
    // consumption tax) stay within 26,000 together under both measures and leave less
    // than 3,800 for this order to cross it.
    Decimal before, before_with_tax;
    for (ImportParcel* h : history) {
      Rng hr(Mix(in_.seed, kFaultStream, 0xA11, static_cast<uint64_t>(h->uid)));
      BindBuyer(*h, b, hr);
      h->buyer_index = -1;
      FillImport(hr, *h, Yuan(3720), Yuan(4300), 1, true);
      before += GoodsFreight(*h);
      before_with_tax += Transaction(*h);
    }
    Decimal need = kAnnualLimit - before + Yuan(50);
    if (history.size() == 6 && need <= Yuan(4500)) {
      FillImport(rng, p, need, Yuan(4990), 1, true);
    }
    if (history.size() < 6 || GoodsFreight(p) < need || Transaction(p) > Yuan(4990)) {
      // Not enough history in the range: one article dear enough on its own.
      const Goods* pick = &catalog_.luxury().back();
      for (const Goods& g : catalog_.luxury()) {
        if (g.price > need && g.price < pick->price) pick = &g;
      }
      p.lines.clear();
      Line l;
      l.goods = pick;
      l.declared = pick;
      l.price = pick->price;
      l.country = &pick->origins[0];
      SetLine(l, 1);
      p.lines.push_back(l);
      Recompute(p);
    }
    p.detail = "buyer " + p.buyer->id_number + " had " + Amount(before) + " (goods + freight; " +
               Amount(before_with_tax) + " with tax) in " + std::to_string(history.size()) +
               " earlier orders of " + std::to_string(year) + "; this order's " +
               Amount(GoodsFreight(p)) + " takes the year to " + Amount(before + GoodsFreight(p)) +
               ", over 26000.00";
  }

  // Customs takes the quota in the order lists are cleared, not the order orders were
  // placed: an over_annual_limit parcel's history must have its lists declared before the
  // parcel's own list. A history list that is not is moved back with its whole chain (its
  // order stays on an earlier day of the same year); failing that, the parcel's own chain
  // moves forward within the range.
  void ListHistoryFirst() {
    for (const auto& [uid, history] : annual_history_) {
      ImportParcel& p = plan_->imports[static_cast<size_t>(uid)];
      // The days the buyer's other orders are on: a history order moved back keeps a day
      // of its own (two of them on one day would be a split order).
      auto day_taken = [&](int64_t self, int64_t day) {
        if (BeijingDay(p.t_order) == day) return true;
        for (int64_t other : history) {
          if (other != self &&
              BeijingDay(plan_->imports[static_cast<size_t>(other)].t_order) == day) {
            return true;
          }
        }
        return false;
      };
      for (int64_t h_uid : history) {
        ImportParcel& h = plan_->imports[static_cast<size_t>(h_uid)];
        if (h.t_list < p.t_list) continue;
        int64_t back = h.t_list.millis - p.t_list.millis + kMinute;
        for (int extra = 0;
             extra < 60 && day_taken(h_uid, BeijingDay(Timestamp{h.t_order.millis - back}));
             ++extra) {
          back += kDay;
        }
        if (YearOf(Timestamp{h.t_order.millis - back}) == YearOf(h.t_order) &&
            h.t_order.millis - back >= in_.first_day.millis) {
          for (Timestamp* t : {&h.t_order, &h.t_pay, &h.t_payment, &h.t_waybill, &h.t_list})
            t->millis -= back;
          if (h.has_signed) h.t_signed.millis -= back;
          continue;
        }
        int64_t ahead = h.t_list.millis - p.t_list.millis + kMinute;
        if (p.t_list.millis + ahead <= end_.millis) {
          p.t_waybill.millis += ahead;
          p.t_list.millis += ahead;
          if (p.has_signed) {
            p.t_signed.millis += ahead;
            p.has_signed = p.t_signed <= end_;
          }
        }
      }
    }
  }

  void SplitOrder(Rng& rng, std::vector<ImportParcel*>& group) {
    const Buyer& b = FreshBuyer();
    ImportParcel& lead = *group[0];
    int64_t day = BeijingDay(lead.t_order);
    int64_t n = static_cast<int64_t>(group.size());
    Decimal lo = n == 2 ? Yuan(2700) : Yuan(1900);
    Decimal hi = n == 2 ? Yuan(4800) : Yuan(3200);
    std::vector<int64_t> offsets;
    for (int64_t k = 0; k < n; ++k)
      offsets.push_back(rng.Range(int64_t{8} * 3600, int64_t{22} * 3600));
    std::sort(offsets.begin(), offsets.end());
    Decimal total;
    for (int64_t k = 0; k < n; ++k) {
      ImportParcel& q = *group[static_cast<size_t>(k)];
      q.store = lead.store;
      q.ebc = lead.store->ebc;
      q.bonded = lead.bonded;
      q.carrier = lead.carrier;
      q.t_order = Plus(DayStart(day), (offsets[static_cast<size_t>(k)] + k) * kSecond);
      BindBuyer(q, b, rng);
      q.consignee = &b.self;
      q.address = &b.home;
      q.wb_consignee = q.consignee;
      q.wb_address = q.address;
      q.buyer_index = -1;
      FillImport(rng, q, lo, hi, 1);
      total += GoodsFreight(q);
    }
    int64_t group_id = next_group_++;
    for (ImportParcel* q : group) {
      q->group = group_id;
      q->detail = "buyer " + b.self.id_number + " split " + Amount(total) +
                  " (goods + freight) into " + std::to_string(n) +
                  " orders on one day, each under 5000.00 with tax: orders {group}";
    }
  }

  void IdentityMisuse(Rng& rng, std::vector<ImportParcel*>& group) {
    const Buyer& owner = FreshBuyer();
    for (ImportParcel* q : group) {
      BindBuyer(*q, owner, rng);
      q->buyer_index = -1;
      plan_->people.push_back(MakePerson(rng));
      q->consignee = &plan_->people.back();
      plan_->addresses.push_back(MakeAddress(rng));
      q->address = &plan_->addresses.back();
      q->wb_consignee = q->consignee;
      q->wb_address = q->address;
      if (Transaction(*q) > Yuan(990)) FillImport(rng, *q, Yuan(150), Yuan(990), 1);
    }
    int64_t group_id = next_group_++;
    for (ImportParcel* q : group) {
      q->group = group_id;
      q->detail = "ID number " + owner.self.id_number + " is used by " +
                  std::to_string(group.size()) +
                  " orders with as many different consignees, phones and addresses: orders {group}";
    }
  }

  void DealExportFaults() {
    if (in_.export_faults == 0) return;
    Rng rng(Mix(in_.seed, kFaultStream, 2));
    std::vector<Fault> types = {Fault::kB2bOver5000,      Fault::kMissingPayment,
                                Fault::kMissingWaybill,   Fault::kUnregisteredEbc,
                                Fault::kDuplicateMessage, Fault::kNameHsMismatch,
                                Fault::kMissingDeparture};
    std::vector<Block> blocks = Deal(rng, types, in_.export_faults);
    std::vector<int64_t> chosen = Choose(rng, in_.exports, in_.export_faults);
    size_t next = 0;
    for (const Block& block : blocks) {
      for (int64_t k = 0; k < block.size; ++k) {
        ExportParcel& p = plan_->exports[static_cast<size_t>(chosen[next++])];
        p.fault = block.fault;
        ApplyExportFault(rng, p);
      }
    }
  }

  void ApplyExportFault(Rng& rng, ExportParcel& p) {
    switch (p.fault) {
      case Fault::kB2bOver5000: {
        p.trade_mode = "9710";
        p.order_type = 'B';
        p.ebp = p.store->ebp;
        p.ebp_name = {};
        p.statistics_flag = 'B';
        ChooseRoute(rng, p);
        std::vector<size_t> pool = ExportPool(*p.store);
        p.lines.clear();
        p.freight = Yuan(rng.Range(150, 500));
        Decimal target = Yuan(rng.Range(5300, 15000));
        for (int k = 0; k < 3 && p.goods_value + p.freight < target; ++k) {
          const Goods& g = catalog_.exports()[pool[rng.Below(pool.size())]];
          if (std::any_of(p.lines.begin(), p.lines.end(),
                          [&](const Line& l) { return l.goods == &g; })) {
            continue;
          }
          Line l = ExportLine(rng, g, true);
          Decimal room = target - p.goods_value - p.freight;
          int64_t qty = std::max<int64_t>(
              10, static_cast<int64_t>((room.Div(l.price).units() / Decimal::kOne)));
          SetLine(l, k == 2 ? qty : std::max<int64_t>(10, qty / 2));
          p.lines.push_back(l);
          RecomputeExport(p);
        }
        while (p.goods_value + p.freight <= kB2bLimit) {  // top up until over the limit
          SetLine(p.lines[0], p.lines[0].qty + 10);
          RecomputeExport(p);
        }
        p.detail = "9710 list of " + Amount(p.goods_value + p.freight) +
                   " (goods + freight) is over the 5000.00 limit of the B2B list channel";
        break;
      }
      case Fault::kMissingPayment:
        p.has_receipts = false;
        p.detail = "no CEB403 receipts record is sent for order {order}";
        break;
      case Fault::kMissingWaybill:
        p.has_waybill = false;
        p.detail = "no CEB505 waybill is sent for logisticsNo {waybill}";
        break;
      case Fault::kUnregisteredEbc: {
        const auto& ghosts = parties_.export_ghosts;
        p.ebc = ghosts[rng.Below(ghosts.size())];
        p.detail =
            "ebcCode " + p.ebc->code + " (" + p.ebc->name + ") is not a registered enterprise";
        break;
      }
      case Fault::kDuplicateMessage: {
        static constexpr Msg kKinds[] = {Msg::k303, Msg::k403, Msg::k505, Msg::k603};
        p.dup = kKinds[rng.Weighted(std::array<int, 4>{30, 20, 20, 30})];
        p.detail = std::string(MsgCode(p.dup)) + " is sent twice with identical bytes";
        break;
      }
      case Fault::kNameHsMismatch: {
        Line& l = p.lines[rng.Below(p.lines.size())];
        std::vector<const Goods*> other;
        for (const Goods& g : catalog_.exports()) {
          if (g.category != l.goods->category && g.hs != l.goods->hs) other.push_back(&g);
        }
        l.declared = other[rng.Below(other.size())];
        p.detail = "gname " + l.goods->name + " is declared under HS " + l.declared->hs +
                   " (goods like " + l.declared->name + "), its HS code is " + l.goods->hs;
        break;
      }
      case Fault::kMissingDeparture:
        p.in_departure = false;
        p.detail = "the parcel arrives at the supervised site but no CEB509 departure lists it";
        break;
      default: break;
    }
  }

  // ----- times and numbers

  uint32_t Serial(uint64_t kind, int64_t uid) const {
    return Scramble8(static_cast<uint64_t>(uid), Mix(in_.seed, kNumberSalt, kind));
  }

  std::string PayNumber(const Party& pay, Timestamp t, int64_t uid) const {
    CivilTime c = ToBeijing(t);
    std::string ymd = Digits(static_cast<uint64_t>(c.year), 4) +
                      Digits(static_cast<uint64_t>(c.month), 2) +
                      Digits(static_cast<uint64_t>(c.day), 2);
    uint64_t h = Mix(in_.seed, kNumberSalt, 0x9A7, static_cast<uint64_t>(uid));
    std::string s8 = Digits(Serial(2, uid), 8);
    switch (pay.pay_style) {
      case PayStyle::kWallet28: return "42000" + Digits(h, 7) + ymd + s8;
      case PayStyle::kAlipay28: return ymd + "22001" + Digits(h, 7) + s8;
      case PayStyle::kBank: return pay.tag + ymd + Digits(h, 6) + s8;
    }
    return s8;
  }

  std::string WaybillNumber(const Party& carrier, bool outbound, int64_t uid) const {
    uint64_t h = Mix(in_.seed, kNumberSalt, 0x3B1, static_cast<uint64_t>(uid));
    uint32_t s8 = Serial(3, uid);
    switch (carrier.waybill_style) {
      case WaybillStyle::kPostS10: return S10(outbound ? "LX" : "EB", s8);
      case WaybillStyle::kExpress12: return "SF" + Digits(h, 5) + Digits(s8, 8);
      case WaybillStyle::kJd: return "JDV" + Digits(h, 5) + Digits(s8, 8);
      case WaybillStyle::kYto: return "YT" + Digits(h, 5) + Digits(s8, 8);
    }
    return Digits(s8, 8);
  }

  static const std::pair<const char*, const char*>& Flight(std::string_view country) {
    // Flight and air waybill prefix of the airline flying from that country.
    static const std::pair<const char*, const char*> kFlights[] = {
        {"NH933", "205"}, {"KE805", "180"}, {"CA986", "999"}, {"LH728", "020"},
        {"MU570", "781"}, {"CZ306", "784"}, {"KL895", "074"}, {"LX188", "724"},
        {"VN522", "738"}, {"MH360", "232"}, {"SK997", "117"}, {"MU736", "781"}};
    static const std::pair<std::string_view, int> kMap[] = {
        {"116", 0}, {"133", 1}, {"502", 2},  {"501", 2}, {"304", 3}, {"305", 4},
        {"303", 4}, {"307", 4}, {"306", 3},  {"609", 5}, {"309", 6}, {"331", 7},
        {"141", 8}, {"122", 9}, {"302", 10}, {"601", 11}};
    for (const auto& [code, k] : kMap) {
      if (code == country) return kFlights[k];
    }
    return kFlights[4];
  }

  // Moves a chain of times back so that its last one is not after `limit`.
  static void FitChain(std::initializer_list<Timestamp*> chain, Timestamp limit) {
    Timestamp last = *std::data(chain)[chain.size() - 1];
    if (last <= limit) return;
    int64_t shift = last.millis - limit.millis;
    for (Timestamp* t : chain) t->millis -= shift;
  }

  void FinishImport(ImportParcel& p) {
    Rng rng(Mix(in_.seed, kImportChain, static_cast<uint64_t>(p.uid)));
    p.t_pay = Plus(p.t_order, rng.Range(5, 90) * kSecond);
    p.t_payment = Plus(p.t_pay, rng.Range(3, 60) * kSecond);
    if (p.bonded) {
      p.t_waybill = Plus(p.t_payment, rng.Range(8, 120) * kMinute);
      p.t_list = Plus(p.t_waybill, rng.Range(2, 45) * kMinute);
    } else {
      p.t_waybill = Plus(p.t_payment, rng.Range(30, 600) * kMinute);
      p.t_list = Plus(p.t_waybill, rng.Range(int64_t{4} * 60, int64_t{40} * 60) * kMinute);
    }
    if (p.t_list > end_) {  // late in the range: the fast lane
      p.t_waybill = Plus(p.t_payment, rng.Range(1, 5) * kMinute);
      p.t_list = Plus(p.t_waybill, rng.Range(1, 5) * kMinute);
      FitChain({&p.t_order, &p.t_pay, &p.t_payment, &p.t_waybill, &p.t_list}, end_);
    }
    if (p.has_waybill && rng.Chance(600)) {
      int64_t days = p.bonded ? rng.Range(1, 4) : rng.Range(2, 6);
      p.t_signed = Plus(DayStart(BeijingDay(p.t_list) + days),
                        rng.Range(int64_t{9} * 60, int64_t{20} * 60) * kMinute);
      p.has_signed = p.t_signed <= end_;
    }
    if (p.dup != Msg::kNone) {
      Timestamp base = p.dup == Msg::k311   ? p.t_order
                       : p.dup == Msg::k411 ? p.t_payment
                       : p.dup == Msg::k511 ? p.t_waybill
                                            : p.t_list;
      p.t_dup = std::min(Plus(base, rng.Range(2, 30) * kMinute), std::max(base, end_));
    }
    p.country = p.bonded ? china_ : p.lines[0].country;
    std::string ymd = Ymd6(p.t_order);
    p.order_no = p.store->ebp->tag + ymd + Digits(Serial(1, p.uid), 8);
    p.pay_tx = PayNumber(*p.pay_company, p.t_pay, p.uid);
    p.logistics_no = WaybillNumber(*p.carrier, false, p.uid);
    p.cop_no = p.store->agent->tag + Ymd6(p.t_list) + Digits(Serial(4, p.uid), 8);
    if (!p.bonded) {
      const auto& [flight, airline] = Flight(*p.country);
      p.flight = flight;
      uint64_t h =
          Mix(in_.seed, 0xA1B, HashString(*p.country), static_cast<uint64_t>(BeijingDay(p.t_list)));
      p.bill_no = AirWaybill(airline, static_cast<uint32_t>(h % 10000000));
    }
    // Labels written before the numbers existed name them now.
    ReplaceAll(p.detail, "{order}", p.order_no);
    ReplaceAll(p.detail, "{waybill}", p.logistics_no);
  }

  // Group labels name every order of their group (numbers exist only now).
  void NameGroups() {
    std::map<int64_t, std::string> orders;
    for (const ImportParcel& p : plan_->imports) {
      if (p.group < 0) continue;
      std::string& list = orders[p.group];
      if (!list.empty()) list += ", ";
      list += p.order_no;
    }
    for (ImportParcel& p : plan_->imports) {
      if (p.group >= 0) ReplaceAll(p.detail, "{group}", orders[p.group]);
    }
  }

  static void ReplaceAll(std::string& s, std::string_view from, std::string_view to) {
    for (size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size())) {
      s.replace(pos, from.size(), to);
    }
  }

  void FinishExport(ExportParcel& p) {
    Rng rng(Mix(in_.seed, kExportChain, static_cast<uint64_t>(p.uid)));
    p.t_accounting = Plus(p.t_order, rng.Range(1, 30) * kMinute);
    p.t_receipts = Plus(p.t_accounting, rng.Range(30, 360) * kMinute);
    int64_t ship = p.order_type == 'E' ? rng.Range(2, 30) * kHour : rng.Range(24, 120) * kHour;
    p.t_waybill = Plus(p.t_order, ship);
    p.t_list = Plus(p.t_waybill, rng.Range(5, 90) * kMinute);
    // Lists leave room for their arrival and departure before the range ends.
    Timestamp limit = Plus(end_, -10 * kMinute);
    if (p.t_list > limit || p.t_receipts > limit) {
      p.t_accounting = Plus(p.t_order, rng.Range(1, 3) * kMinute);
      p.t_receipts = Plus(p.t_accounting, rng.Range(1, 5) * kMinute);
      p.t_waybill = Plus(p.t_receipts, rng.Range(5, 20) * kMinute);
      p.t_list = Plus(p.t_waybill, rng.Range(2, 10) * kMinute);
      FitChain({&p.t_order, &p.t_accounting, &p.t_receipts, &p.t_waybill, &p.t_list}, limit);
    }
    if (p.dup != Msg::kNone) {
      Timestamp base = p.dup == Msg::k303   ? p.t_order
                       : p.dup == Msg::k403 ? p.t_receipts
                       : p.dup == Msg::k505 ? p.t_waybill
                                            : p.t_list;
      p.t_dup = std::min(Plus(base, rng.Range(2, 30) * kMinute), std::max(base, end_));
    }
    std::string ymd = Ymd6(p.t_order);
    const Party& numbering = p.ebp->registered ? *p.ebp : *p.store->ebc;
    p.order_no =
        numbering.tag + (p.order_type == 'W' ? "BK" : "") + ymd + Digits(Serial(5, p.uid), 8);
    p.pay_no = PayNumber(*p.pay_company, p.t_accounting, p.uid);
    p.logistics_no = WaybillNumber(*p.carrier, true, p.uid);
    p.cop_no = p.store->agent->tag + "E" + Ymd6(p.t_list) + Digits(Serial(6, p.uid), 8);
    ReplaceAll(p.detail, "{order}", p.order_no);
    ReplaceAll(p.detail, "{waybill}", p.logistics_no);
  }

  // ----- arrivals and departures

  void MakeBatches() {
    std::map<std::tuple<std::string, std::string, int64_t>, std::vector<int64_t>> groups;
    for (size_t i = 0; i < plan_->exports.size(); ++i) {
      const ExportParcel& p = plan_->exports[i];
      groups[{p.site->customs, p.carrier->code, BeijingDay(p.t_list)}].push_back(
          static_cast<int64_t>(i));
    }
    Rng rng(Mix(in_.seed, kBatchStream));
    for (auto& [key, members] : groups) {
      std::sort(members.begin(), members.end(), [&](int64_t a, int64_t b) {
        const auto& pa = plan_->exports[static_cast<size_t>(a)];
        const auto& pb = plan_->exports[static_cast<size_t>(b)];
        return std::tie(pa.t_list.millis, pa.uid) < std::tie(pb.t_list.millis, pb.uid);
      });
      for (size_t start = 0; start < members.size(); start += 100) {
        Batch b;
        b.id = static_cast<int64_t>(plan_->batches.size());
        const ExportParcel& first = plan_->exports[static_cast<size_t>(members[start])];
        b.carrier = first.carrier;
        b.site = first.site;
        Timestamp latest;
        for (size_t k = start; k < std::min(members.size(), start + 100); ++k) {
          b.parcels.push_back(members[k]);
          ExportParcel& p = plan_->exports[static_cast<size_t>(members[k])];
          p.batch = static_cast<int>(b.id);
          latest = std::max(latest, p.t_list);
        }
        std::string_view mode = b.site->traf_mode;
        b.t_arrival = Plus(latest, rng.Range(20, 90) * kMinute);
        int64_t wait = mode == "2"   ? rng.Range(20, 60) * kHour
                       : mode == "3" ? rng.Range(6, 30) * kHour
                                     : rng.Range(3, 14) * kHour;
        b.t_departure = Plus(b.t_arrival, wait);
        // Lists end 10 minutes before the range at the latest (FinishExport), so both fit.
        Timestamp last_arrival = Plus(end_, -5 * kMinute);
        if (b.t_arrival > last_arrival) b.t_arrival = std::max(last_arrival, Plus(latest, kMinute));
        if (b.t_departure > end_) b.t_departure = std::max(end_, Plus(b.t_arrival, kMinute));
        std::string ymd = Ymd6(b.t_arrival);
        b.arrival_cop =
            parties_.warehouse->tag + "YD" + ymd + Digits(static_cast<uint64_t>(b.id), 6);
        b.departure_cop = b.carrier->tag + "LJ" + ymd + Digits(static_cast<uint64_t>(b.id), 6);
        b.plate = LorryPlate(rng);
        uint64_t h = Mix(in_.seed, kBatchStream, static_cast<uint64_t>(b.id));
        if (mode == "5") {
          static constexpr const char* kCargo[] = {"CK221", "CK263", "CA1041", "CZ431", "MU7205"};
          static constexpr const char* kPrefix[] = {"112", "112", "999", "784", "781"};
          size_t k = h % 5;
          b.traf_name = kCargo[k];
          b.voyage = kCargo[k];
          b.bill_no = AirWaybill(kPrefix[k], static_cast<uint32_t>((h >> 8) % 10000000));
        } else if (mode == "6") {
          b.traf_name = "邮政航空";
          b.voyage = "CF" + Digits(h % 900 + 100, 3);
          b.bill_no = "CNSZVA" + Digits(h >> 8, 10);
        } else if (mode == "2") {
          static constexpr const char* kVessels[] = {"COSCO SHIPPING ARIES", "CSCL SATURN",
                                                     "EVER GIVEN", "MSC GULSUN"};
          b.traf_name = kVessels[h % 4];
          b.voyage = Digits((h >> 4) % 90 + 10, 3) + "E";
          b.bill_no = "COSU" + Digits(h >> 8, 10);
        } else {
          b.traf_name = "中欧班列";
          b.voyage = "X" + Digits((h >> 4) % 9000 + 1000, 4);
          b.bill_no = "CRSZ" + ymd + Digits(h >> 8, 6);
        }
        plan_->batches.push_back(std::move(b));
      }
    }
  }

  const PlanInput& in_;
  const Catalog& catalog_;
  const PartySet& parties_;
  Calendar import_days_, export_days_;
  Timestamp end_;
  std::unique_ptr<Plan> plan_;
  std::vector<int> import_weights_, import_store_weights_, export_store_weights_;
  int64_t buyer_pool_ = 0, regulars_ = 0, extra_buyers_ = 0;
  uint64_t fresh_buyers_ = 0;
  int64_t next_group_ = 0;
  std::unordered_map<int64_t, const Buyer*> pool_;
  std::unordered_map<uint64_t, Decimal> year_total_, day_total_;
  std::vector<int64_t> clean_by_time_;
  std::vector<bool> used_history_;
  std::map<int64_t, std::vector<int64_t>> annual_history_;  // over_annual_limit uid → history uids
  const std::string* china_ = nullptr;
};

}  // namespace

Decimal ImportTax(const std::vector<Line>& lines, Decimal freight) {
  Decimal one = Decimal::FromInt(1);
  Decimal factor = Percent(70);
  Decimal goods = GoodsValue(lines);
  Decimal tax, freight_left = freight;
  for (size_t i = 0; i < lines.size(); ++i) {
    const Line& l = lines[i];
    Decimal share = i + 1 == lines.size() || goods.IsZero()
                        ? freight_left
                        : freight.Mul(l.total).Div(goods).RoundTo(2);
    freight_left -= share;
    Decimal value = l.total + share;
    const Goods& g = *l.declared;
    Decimal ct = Catalog::ConsumptionRate(g, l.price);
    Decimal base = ct.IsZero() ? value : value.Div(one - ct);
    tax += base.Mul(ct).Mul(factor).RoundTo(2);
    tax += base.Mul(g.vat).Mul(factor).RoundTo(2);
  }
  return tax;
}

Status CheckCodes(const CodeTables& tables) {
  auto need = [&](CodeTable t, std::string_view code) -> Status {
    if (tables.Contains(t, code)) return Status::Ok();
    return Internal("generator uses an unknown " + std::string(CodeTableName(t)) + " code " +
                    std::string(code));
  };
  for (const Dest& d : kDestinations) RETURN_IF_ERROR(need(CodeTable::kCountry, d.code));
  for (const Dest& d : kWarehouseDestinations) RETURN_IF_ERROR(need(CodeTable::kCountry, d.code));
  for (const ExportSite& s : kExportSites) {
    RETURN_IF_ERROR(need(CodeTable::kCustomsDistrict, s.customs));
    RETURN_IF_ERROR(need(CodeTable::kCustomsDistrict, s.port));
    RETURN_IF_ERROR(need(CodeTable::kTransportMode, s.traf_mode));
  }
  for (const ImportSite* s : {&kBondedSite, &kDirectSite}) {
    RETURN_IF_ERROR(need(CodeTable::kCustomsDistrict, s->customs));
    RETURN_IF_ERROR(need(CodeTable::kCustomsDistrict, s->port));
    RETURN_IF_ERROR(need(CodeTable::kTransportMode, s->traf_mode));
    RETURN_IF_ERROR(need(CodeTable::kTradeMode, s->trade_mode));
  }
  for (const char* mode : {"9610", "9710", "9810"})
    RETURN_IF_ERROR(need(CodeTable::kTradeMode, mode));
  RETURN_IF_ERROR(need(CodeTable::kCurrency, "142"));
  RETURN_IF_ERROR(need(CodeTable::kCountry, "142"));
  return Status::Ok();
}

StatusOr<std::unique_ptr<Plan>> MakePlan(const PlanInput& input, const Catalog& catalog,
                                         const PartySet& parties) {
  if (input.imports < 0 || input.exports < 0 || input.days < 1) {
    return InvalidArgument("parcel counts must be >= 0 and the range at least one day");
  }
  return Planner(input, catalog, parties).Run();
}

std::string_view FaultName(Fault f) {
  switch (f) {
    case Fault::kNone: return "none";
    case Fault::kPaymentAmountMismatch: return "payment_amount_mismatch";
    case Fault::kConsigneeMismatch: return "consignee_mismatch";
    case Fault::kOverSingleLimit: return "over_single_limit";
    case Fault::kOverAnnualLimit: return "over_annual_limit";
    case Fault::kMissingPayment: return "missing_payment";
    case Fault::kMissingWaybill: return "missing_waybill";
    case Fault::kBuyerPayerMismatch: return "buyer_payer_mismatch";
    case Fault::kUnregisteredEbc: return "unregistered_ebc";
    case Fault::kDuplicateMessage: return "duplicate_message";
    case Fault::kSplitOrder: return "split_order";
    case Fault::kIdentityMisuse: return "identity_misuse";
    case Fault::kUndervaluation: return "undervaluation";
    case Fault::kNameHsMismatch: return "name_hs_mismatch";
    case Fault::kB2bOver5000: return "b2b_over_5000";
    case Fault::kMissingDeparture: return "missing_departure";
  }
  return "none";
}

std::string_view MsgCode(Msg m) {
  switch (m) {
    case Msg::kNone: return "";
    case Msg::k311: return "CEB311";
    case Msg::k411: return "CEB411";
    case Msg::k511: return "CEB511";
    case Msg::k621: return "CEB621";
    case Msg::k513: return "CEB513";
    case Msg::k303: return "CEB303";
    case Msg::k403: return "CEB403";
    case Msg::k505: return "CEB505";
    case Msg::k603: return "CEB603";
    case Msg::k507: return "CEB507";
    case Msg::k509: return "CEB509";
  }
  return "";
}

}  // namespace shumao::gen

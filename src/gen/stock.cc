#include "gen/stock.h"

#include <cstdint>
#include <map>
#include <string_view>
#include <tuple>
#include <utility>

#include "common/strings.h"
#include "gen/ceb_render.h"
#include "gen/identity.h"
#include "gen/rng.h"

namespace shumao::gen {
namespace {

constexpr int64_t kMinuteMs = int64_t{60} * 1000;
constexpr int64_t kDayMs = int64_t{86400} * 1000;

// What the lines of one article say, gathered over the run.
struct Tally {
  const Goods* goods = nullptr;
  int64_t qty = 0;
  Timestamp first_list{INT64_MAX};
  bool own_hs = false;                    // some line declares the article's own HS code
  const std::string* other_hs = nullptr;  // else: what its first list declares
  Timestamp other_first{INT64_MAX};
};

void Field(std::string& out, const char* name, std::string_view value) {
  out += '"';
  out += name;
  out += "\":\"";
  AppendJsonEscaped(out, value);
  out += '"';
}

}  // namespace

std::vector<StockRecord> BondedStock(uint64_t seed, const PartySet& parties, const Plan& plan) {
  const std::string& warehouse = parties.warehouse->code;
  const std::string ems_no = BondedEmsNo(parties);
  // One warehouse and one ledger today; the key keeps the record's identity explicit.
  std::map<std::tuple<std::string, std::string, std::string>, Tally> tallies;
  for (const ImportParcel& p : plan.imports) {
    if (!p.bonded) continue;
    for (const Line& l : p.lines) {
      Tally& t = tallies[{warehouse, ItemRecordNo(*l.goods), ems_no}];
      t.goods = l.goods;
      t.qty += l.qty;
      if (p.t_list < t.first_list) t.first_list = p.t_list;
      if (l.declared->hs == l.goods->hs) {
        t.own_hs = true;
      } else if (p.t_list < t.other_first) {
        t.other_first = p.t_list;
        t.other_hs = &l.declared->hs;
      }
    }
  }

  std::vector<StockRecord> out;
  out.reserve(tallies.size());
  uint64_t salt = Mix(seed, 0x570C);
  for (const auto& [key, t] : tallies) {
    const auto& [wh, item_record_no, ems] = key;
    StockRecord r;
    r.warehouse = wh;
    r.ems_no = ems;
    r.item_record_no = item_record_no;
    r.item_no = t.goods->item_no;
    r.gcode = t.own_hs ? t.goods->hs : *t.other_hs;
    r.gname = t.goods->name;
    r.unit = t.goods->unit;
    r.qty = (t.qty * 6 + 4) / 5 + 5;  // ceil(1.2 x qty) + 5
    // Office hours (09:00-16:59) one to three days before the first list's day: always
    // before that list.
    uint64_t h = Mix(salt, HashString(item_record_no));
    CivilTime day = ToBeijing(t.first_list);
    Timestamp start = FromBeijing(CivilTime{day.year, day.month, day.day});
    r.time = Timestamp{start.millis - static_cast<int64_t>(1 + h % 3) * kDayMs +
                       (9 * 60 + static_cast<int64_t>((h >> 8) % (8 * 60))) * kMinuteMs +
                       static_cast<int64_t>((h >> 20) % 60) * 1000};
    // 报关单号: customs (4), year (4), 1 for import, a serial (9) unique in the run.
    r.entry_no = std::string(kBondedSite.customs) + FormatC14(r.time).substr(0, 4) + "1" +
                 Digits(Scramble8(out.size(), salt), 9);
    out.push_back(std::move(r));
  }
  return out;
}

std::string StockJson(const std::vector<StockRecord>& records) {
  std::string out = "{\"records\":[";
  for (size_t i = 0; i < records.size(); ++i) {
    const StockRecord& r = records[i];
    out += i == 0 ? "\n{" : ",\n{";
    Field(out, "warehouse", r.warehouse);
    out += ',';
    Field(out, "emsNo", r.ems_no);
    out += ',';
    Field(out, "itemRecordNo", r.item_record_no);
    out += ',';
    Field(out, "itemNo", r.item_no);
    out += ',';
    Field(out, "gcode", r.gcode);
    out += ',';
    Field(out, "gname", r.gname);
    out += ',';
    Field(out, "qty", std::to_string(r.qty));
    out += ',';
    Field(out, "unit", r.unit);
    out += ',';
    Field(out, "entryNo", r.entry_no);
    out += ',';
    Field(out, "time", FormatC14(r.time));
    out += '}';
  }
  out += records.empty() ? "]}\n" : "\n]}\n";
  return out;
}

}  // namespace shumao::gen

// The bonded stock a run needs: the zone-warehouse inbound records (入区/入库) that put
// enough of each article into the zone before its bonded (1210) import lists draw on it.
// They are outside the CEB standard (the platform takes them as JSON); gen writes them to
// stock.json so that a ledger checking stock per warehouse and article can release every
// bonded list of the run.
//
// One record per (warehouse, emsNo, itemRecordNo) on any bonded CEB621 line of the plan,
// faulty parcels included (a duplicate_message list is one list, counted once). The
// values are those the CEB621 lines carry (ceb_render.h names the sources). An article's
// gcode is its own HS code, the one its clean lines carry; only when every line of it
// declares another (name_hs_mismatch) is it the code its first list declares.
// qty = ceil(1.2 x the qty of all those lines) + 5, headroom so that a cancelled or
// returned parcel, or a resent list, cannot run the ledger dry. The time is in office
// hours one to three days before the article's first bonded list (Beijing). Deterministic
// for a seed.
//
// Thread safety: functions only.
#ifndef SHUMAO_GEN_STOCK_H_
#define SHUMAO_GEN_STOCK_H_

#include <cstdint>
#include <string>
#include <vector>

#include "common/time.h"
#include "gen/model.h"

namespace shumao::gen {

struct StockRecord {
  std::string warehouse;  // areaCode of the lists
  std::string ems_no, item_record_no, item_no, gcode, gname, unit;
  int64_t qty = 0;
  std::string entry_no;  // the inbound entry declaration: customs, year, "1" (import), serial
  Timestamp time;
};

// The records for the bonded imports of `plan`, sorted by warehouse, then itemRecordNo.
std::vector<StockRecord> BondedStock(uint64_t seed, const PartySet& parties, const Plan& plan);

// {"records":[{"warehouse":..,"emsNo":..,"itemRecordNo":..,"itemNo":..,"gcode":..,
// "gname":..,"qty":"<integer>","unit":..,"entryNo":..,"time":"YYYYMMDDhhmmss"}]}, one
// record a line.
std::string StockJson(const std::vector<StockRecord>& records);

}  // namespace shumao::gen

#endif  // SHUMAO_GEN_STOCK_H_

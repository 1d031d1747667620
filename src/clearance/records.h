// The clearance engine's records in module state (store::WriteTxn::PutState): what it
// keeps of each document for matching and receipts, as flat string maps with goods
// lines, stored as JSON. Personal values are kept only as keyed hashes ("h:" fields), so
// equality can be tested without holding the data in clear.
//
// Namespaces (keys use '|' between parts; times are 13-digit zero-padded milliseconds):
//   parcel    ebpCode|orderNo          the order, payment and list of one parcel
//   waybill   logisticsCode|logisticsNo the waybill
//   wblink    logisticsCode|logisticsNo → parcel key (written by the list)
//   invt      invtNo → parcel key;   listkey  agentCode|copNo → parcel key
//   wait      since|parcel key         lists waiting for a document
//   quota     year|buyer hash → used   ledger  year|invtNo → amount the list holds
//   taxbill   invtNo → the bill        taxdue  release|invtNo (30-day window)
//   taxlate   due|invtNo (unpaid bills) retwait deadline|invtNo (returns awaiting goods)
//   guarantee code → balance, outstanding, paid
//   stock     warehouse|itemRecordNo → in, out, returned and the item's description
//   alert     time|invtNo|kind → the alert
#ifndef SHUMAO_CLEARANCE_RECORDS_H_
#define SHUMAO_CLEARANCE_RECORDS_H_

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"

namespace shumao::clearance {

using Fields = std::map<std::string, std::string>;

struct Facts {
  Fields f;
  std::vector<Fields> lines;

  bool empty() const { return f.empty(); }
  const std::string& Get(const std::string& name) const {
    static const std::string kEmpty;
    auto it = f.find(name);
    return it == f.end() ? kEmpty : it->second;
  }
  std::string& operator[](const std::string& name) { return f[name]; }
};

std::string EncodeFacts(const Facts& facts);
StatusOr<Facts> DecodeFacts(std::string_view json);

// The order, payment and list of one parcel (any may be missing).
struct Parcel {
  Facts order, payment, list;
};
std::string EncodeParcel(const Parcel& p);
StatusOr<Parcel> DecodeParcel(std::string_view json);

// Zero-padded milliseconds, so that keys sort by time.
std::string TimeKey(int64_t ms);

struct ScreenFacts;
// What risk control is shown of a list, from its own facts: keys, parties, declaration
// time and lines (the import engine adds the buyer, documents and weights).
ScreenFacts ScreenFactsOfList(const Facts& list);

struct StatList;
// What statistics count of a list, from its own facts ("rt" CEB622: import, else export).
StatList StatListOf(const Facts& list);
// The same with only the returned lines: `qty` maps gnum to the quantity returned, each
// line's total_price becomes its price times that quantity.
StatList ReturnedPartOf(const Facts& list, const Fields& qty);

}  // namespace shumao::clearance

#endif  // SHUMAO_CLEARANCE_RECORDS_H_

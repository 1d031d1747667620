// The planner: decides every parcel of a run (parties, buyer, goods, amounts, times,
// document numbers), then deals out the faults and groups export parcels into arrival and
// departure batches. A pure function of its input: no I/O, no clock.
//
// Clean parcels. Import: 65% bonded (1210) from the zone warehouse, 35% direct purchase
// (9610) flown into Nanjing; 1-4 lines from the import catalogue at 88-112% of the usual
// price (75-95% on Double 11); buyers from a pool of about imports/4 people, a tenth of
// them regulars. Limits are read both ways (goods + freight, and with the tax): a clean
// transaction is <= 5,000 with tax, a clean buyer's year <= 20,000 and day <= 5,000 (near
// midnight, with the neighbouring day: no split across midnight), and
// a clean buyer ships to at most two consignees (self or a relative) at two addresses.
// Export: 80% 9610 B2C, 12% 9710 B2B (orderType B), 8% 9810 (orderType W, half of them
// without a platform: ebpCode 无 and the overseas warehouse as ebpName); B2B lists stay
// <= 5,000. Times: days weighted by weekday and festivals (Double 11, 618, Double 12,
// March 8 for imports; Black Friday, Cyber Monday, 11.11, Prime Day, December for exports),
// hours by the daily rhythm (evening peak, midnight peak on Double 11).
//
// How each fault is made (one fault per faulty parcel; parcels chosen at random):
//   payment_amount_mismatch  CEB411 amountPaid leaves out the tax, or is off by 1-60 CNY.
//   consignee_mismatch       the waybill's consignee phone, name or address differs.
//   over_single_limit        a new buyer's order of several pieces, goods + freight
//                            5,300-9,800.
//   over_annual_limit        six earlier clean orders of the year (each goods + freight
//                            >= 3,720 and <= 4,300 with tax, goods without consumption
//                            tax, on days of their own, within 26,000 together) become a
//                            new buyer's history, and this order takes the year past
//                            26,000 (while under 5,000 itself); the history's lists are
//                            declared before this order's list, as customs takes the
//                            quota in list order. Without enough history early in the
//                            range: one luxury article dear enough to cross 26,000 with
//                            the history there is (over 26,000 on its own when none).
//   missing_payment          no CEB411 (export: no CEB403).
//   missing_waybill          no CEB511 and no CEB513 (export: no CEB505).
//   buyer_payer_mismatch     the buyer's relative pays: payer ID and name differ.
//   unregistered_ebc         ebcCode of an enterprise not in parties.json (order, list;
//                            export also receipts and waybill).
//   duplicate_message        one of the parcel's messages is written again 2-30 minutes
//                            later under a new name, byte for byte.
//   split_order              2-3 parcels of one new buyer on one day, each <= 5,000 with
//                            tax, goods + freight together > 5,000.
//   identity_misuse          4-5 parcels under one new buyer's ID number, each with its
//                            own consignee, phone and address; each <= 990, so the ID
//                            stays within the day and year limits.
//   undervaluation           the dearest line at 8-22% of its usual price (all documents
//                            agree: the fraud is consistent).
//   name_hs_mismatch         one list line declares the HS code of everyday food,
//                            health food or toiletries of another chapter (import; the
//                            withheld tax follows the false code) or of another category
//                            (export); the goods name is unchanged.
//   b2b_over_5000            a 9710 list of 5,300-15,000 (goods + freight).
//   missing_departure        the parcel is on its CEB507 arrival but on no CEB509.
#ifndef SHUMAO_GEN_PLANNER_H_
#define SHUMAO_GEN_PLANNER_H_

#include <cstdint>
#include <memory>

#include "common/code_tables.h"
#include "common/status.h"
#include "common/time.h"
#include "gen/catalog.h"
#include "gen/model.h"
#include "gen/parties.h"

namespace shumao::gen {

struct PlanInput {
  uint64_t seed = 1;
  int64_t imports = 0, exports = 0;
  int64_t import_faults = 0, export_faults = 0;  // parcels that carry a fault
  Timestamp first_day;                           // 00:00 Beijing of the first day
  int64_t days = 1;                              // length of the range in days
};

// Internal error if a code the planner writes (customs districts, transport and trade
// modes, countries, currency) is not in the code tables: a bug of the generator.
Status CheckCodes(const CodeTables& tables);

StatusOr<std::unique_ptr<Plan>> MakePlan(const PlanInput& input, const Catalog& catalog,
                                         const PartySet& parties);

// The money a retail import transaction is measured by (goods + freight + tax), and the
// comprehensive tax the platform withholds on these lines (duty 0, VAT and consumption
// tax at 70%, freight spread over the lines by value, each tax rounded to the fen).
Decimal ImportTax(const std::vector<Line>& lines, Decimal freight);

}  // namespace shumao::gen

#endif  // SHUMAO_GEN_PLANNER_H_

// Export clearance (清单核放 of CEB603 lists), internal to the clearance module: the
// engine's hook methods hand the export message types to ExportClearance, which keeps its
// own records in module state and moves documents through the engine's DocumentSteps (so
// every status change is one row update, a history row and a receipt, as for imports).
//
// Flow of one export parcel (ceb-messages.md §3, §8.2; policy-rules.md §3–4):
//   CEB303 order (orderType E 9610, B 9710, W 9810), CEB505 waybill and CEB603 list, in
//   any order → the match (list ↔ order by ebcCode + orderNo, goods lines one to one by
//   gnum, orderType agreeing with tradeMode; list ↔ waybill by logisticsCode +
//   logisticsNo and grossWeight) → list 120 → 399 (invtNo assigned), order and waybill
//   120 → 399, the CEB403 receipts record 120 (whenever it comes; it never blocks)
//   → CEB507 arrival naming the waybill: 800 released → CEB509 departure: 899 closed.
//   An arrival or departure that comes early is kept and applied when the list gets there.
//   A mismatch, a B2B list over the list channel's limit or with a licence, a 9810 list of
//   an enterprise without a registered overseas warehouse and a simplified HS code the
//   mode does not allow refuse the list with 100 and the reason.
//   CEB605 cancels a list that is not closed: list 100 已撤销, cancel 399.
//   CEB607 (master/house bill link) is recorded in the history of the lists it names.
//
// Export returns (公告2020年第44号; ceb-messages.md §3.9–3.10; policy-rules.md §3):
//   CEB213 names a released (800) or closed (899) list by invtNo and its lines by gnum
//   (gcode as on the list). Refused synchronously (-214002 unknown invtNo, -214003 the
//   rest, with the reason) when applied more than Options::export_return_days after the
//   list's release, for another enterprise's list, for a line or quantity that is not on
//   the list or more than remains (list quantity less returned and pending), or for a
//   waybill that already has a return waiting. Accepted: the return gets 120, its
//   quantities are reserved on the list, and it waits for the tally.
//   CEB215 (the tally of the returned parcel at the supervised site) names the return's
//   waybill (logisticsCode + logisticsNo; invtNo, when given, must agree): the return gets
//   399, the tally 399, the list's history notes it and each returned line gets its
//   tax-free re-import flag: tallied within Options::export_return_taxfree_months of the
//   release, the release date inside a covered period (ExportReturnPeriods), and not food
//   (HS chapters 01–24, our reading). A return not tallied within export_return_days of
//   the release is refused (100) by Tick and its quantities freed. A tally that names no
//   waiting return is refused -216002; one after the deadline -216003.
//
// Records (module state; keys use '|'):
//   xparcel  ebcCode|orderNo                 order, receipts (as Parcel::payment) and list
//   xwblink  logisticsCode|logisticsNo → xparcel key (written by the list)
//   xwaybill logisticsCode|logisticsNo       the waybill
//   xsite    logisticsCode|logisticsNo       arrival / departure seen for the waybill
//   xinvt    invtNo → xparcel key;  xwait since|xparcel key (lists waiting for a document)
//   overseas ebcCode|warehouseCode           registered overseas warehouses
//   xret     coElNo|agentCode                export return: list, lines, dates, flags
//   xretwb   logisticsCode|logisticsNo → xret key of the return waiting for its tally
//   xretwait deadline|xret key               returns waiting for their tally
//   The list's lines in xparcel carry gcode, qty, returnedQty and pendingQty; the list
//   records releaseMs when it gets 800.
//
// Thread safety: called by the engine, on the intake writer or inside the engine's own
// write transactions; holds no state of its own but the options.
#ifndef SHUMAO_CLEARANCE_EXPORT_H_
#define SHUMAO_CLEARANCE_EXPORT_H_

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "clearance/clearance.h"
#include "clearance/records.h"
#include "intake/intake.h"
#include "store/store.h"

namespace shumao::clearance {

// What export clearance uses of the engine: a document's record and its status steps.
class DocumentSteps {
 public:
  virtual ~DocumentSteps() = default;
  // The record of a stored declaration: id, sender, receipt type and receipt keys.
  virtual Facts DocFacts(const intake::AppliedEntity& e) = 0;
  // Moves `doc` through `steps` (status, info): row update, history, receipt per step.
  virtual Status Move(store::WriteTxn& txn, Facts& doc, Timestamp t,
                      const std::vector<std::pair<std::string, std::string>>& steps) = 0;
  // A history row that does not change the status.
  virtual Status Note(store::WriteTxn& txn, const Facts& doc, Timestamp t,
                      const std::string& info) = 0;
};

class ExportClearance {
 public:
  ExportClearance(DocumentSteps* steps, const Options* options, store::Store* store)
      : steps_(steps), opt_(options), store_(store) {}

  // CEB303, 403, 505, 507, 509, 603, 605, 607, 213, 215.
  static bool Handles(std::string_view type);

  // Before a declared cancel, return or tally is stored: -606002 unknown invtNo, -606003
  // state or agent; -214002/-214003 and -216002/-216003 as described above.
  StatusOr<std::optional<intake::HookRefusal>> Check(store::WriteTxn& txn,
                                                     const intake::AppliedEntity& e);
  Status AfterApply(store::WriteTxn& txn, const intake::AppliedEntity& e);
  // Lists still missing their order or waybill after the match timeout: 100. Returns
  // not tallied within the year: 100 (counted in sum.returns_failed).
  Status Tick(store::WriteTxn& txn, Timestamp now, TickSummary& sum);

  // See Engine::ExportReturnJson.
  StatusOr<std::string> ReturnJson(const std::string& co_el_no, const std::string& agent_code);

  Status AddOverseasWarehouse(const OverseasWarehouse& w);
  StatusOr<std::vector<OverseasWarehouse>> ListOverseasWarehouses(const std::string& ebc_code);

 private:
  Status OnOrder(store::WriteTxn& txn, const intake::AppliedEntity& e);
  Status OnReceipts(store::WriteTxn& txn, const intake::AppliedEntity& e);
  Status OnWaybill(store::WriteTxn& txn, const intake::AppliedEntity& e);
  Status OnList(store::WriteTxn& txn, const intake::AppliedEntity& e);
  StatusOr<std::optional<std::string>> RecordSiteEvent(store::WriteTxn& txn,
                                                       const std::string& wkey,
                                                       const std::string& event,
                                                       const std::string& cop, Timestamp t);
  Status OnArrival(store::WriteTxn& txn, const intake::AppliedEntity& e);
  Status OnDeparture(store::WriteTxn& txn, const intake::AppliedEntity& e);
  Status OnLink(store::WriteTxn& txn, const intake::AppliedEntity& e);
  Status OnCancel(store::WriteTxn& txn, const intake::AppliedEntity& e);
  Status OnReturn(store::WriteTxn& txn, const intake::AppliedEntity& e);
  Status OnTally(store::WriteTxn& txn, const intake::AppliedEntity& e);

  StatusOr<std::optional<intake::HookRefusal>> CheckReturn(store::WriteTxn& txn,
                                                           const intake::AppliedEntity& e);
  StatusOr<std::optional<intake::HookRefusal>> CheckTally(store::WriteTxn& txn,
                                                          const intake::AppliedEntity& e);
  // Takes a waiting return off its list (pending quantities freed) and out of the indexes.
  Status DropWaiting(store::WriteTxn& txn, const std::string& rkey, const Facts& r);
  const ExportReturnPeriods& Periods() const;

  // Why the list alone (before any match) may not use the list channel, or nullopt.
  StatusOr<std::optional<std::string>> ModeRefusal(store::WriteTxn& txn,
                                                   const intake::AppliedEntity& e);
  Status TryClear(store::WriteTxn& txn, const std::string& pkey, Parcel& p, Timestamp t);
  // 800 when the parcel has arrived, then 899 when it has departed.
  Status Advance(store::WriteTxn& txn, Parcel& p, Timestamp t);

  DocumentSteps* steps_;
  const Options* opt_;
  store::Store* store_;
};

}  // namespace shumao::clearance

#endif  // SHUMAO_CLEARANCE_EXPORT_H_

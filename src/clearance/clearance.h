// Import retail clearance (清单核放, 9610 direct purchase and 1210 bonded), run as the
// declarations arrive: three-document matching (三单对碰), the buyer's annual quota, the
// comprehensive tax, the lane, the status machine of the list and the documents it
// matched, cancels (CEB623), returns (CEB625), the bonded stock ledger, CEB816 tax bills,
// the 30/45-day tax window against the enterprise's guarantee, and the list's history of
// arrival (CEB711) and delivery (CEB513).
//
// The Engine is an intake::Hook: it runs on the intake writer inside the transaction that
// stores the declaration, so a decision, the quota it takes and the receipts it issues
// commit together with the message (or not at all). Across processes on one PostgreSQL
// database the store serialises writers, so the quota is never taken twice.
//
// Time-driven work (a list still waiting for a document after the match timeout, tax
// windows, return deadlines) runs in Tick, which `serve` calls every few seconds and
// `shumao tick` runs once.
//
// Export lists (CEB603, 9610 B2C, 9710 B2B, 9810 overseas warehouse) are cleared in
// export.cc: order (CEB303), waybill (CEB505) and list matched in any order, the channel
// rules of the B2B modes, then 120 → 399, 800 when the parcel arrives at the supervised
// site (CEB507) and 899 when it departs (CEB509); cancels (CEB605); export returns
// (CEB213 within a year of release, completed by the CEB215 tally, with the tax-free
// re-import flag of each returned line); docs/clearance.md.
//
// Status machine of an import list (returnStatus of CEB622):
//   2 declared → 120 matched and logic checks passed (order, payment and waybill get 120)
//     → 399 concluded (documents get 399) → 800 released        (the release lane)
//     → 500 inspection  or  300 manual review → an officer's decision → 399 → 800 | 100
//   → 899 closed, once the 30-day return window has passed and the tax is payable
//   100 refused at any customs step, with the reason in returnInfo; a cancelled list
//   becomes 100 "已撤销" and gives back its quota, tax and stock.
//
// Thread safety: all methods may be called from any thread; the hook methods are called
// by the intake writer, the others open their own write transaction.
#ifndef SHUMAO_CLEARANCE_CLEARANCE_H_
#define SHUMAO_CLEARANCE_CLEARANCE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clearance/return_periods.h"
#include "common/crypto.h"
#include "common/decimal.h"
#include "common/status.h"
#include "common/time.h"
#include "intake/intake.h"
#include "store/store.h"
#include "tax/tax.h"

namespace shumao::clearance {

// The lane risk control chooses for a matched list.
enum class Lane { kRelease, kInspect, kManual };

struct LaneDecision {
  Lane lane = Lane::kRelease;
  // Shown in the list's history when not kRelease, so the declaring enterprise reads it:
  // the outcome only ("布控查验"), never the rule that chose it.
  std::string reason;
  // Joint punishment of a dishonest enterprise: the list is released only while the
  // guarantor's tax guarantee covers its tax with what is outstanding.
  bool guarantee_required = false;
  // The rules that hit the list, and the audit hits it revealed on earlier lists (statistics
  // count them), one entry per hit.
  std::vector<std::string> hit_rules;
};

// One goods line of a list as risk control sees it.
struct ScreenLine {
  std::string gnum, gcode, gname, item_no, unit;
  Decimal qty, price;  // declared quantity and unit price (CNY)
};

// The facts of a matched import list that risk control screens. Personal data only as
// keyed hashes (equal values hash equally), amounts in CNY.
struct ScreenFacts {
  std::string key;  // stable for the list: copNo|agentCode (a replay screens the same)
  std::string cop_no, invt_no, order_no, logistics_no, trade_mode;
  std::string ebc_code, ebp_code, agent_code, logistics_code;
  Timestamp declared;                               // the list's declaration
  Timestamp order_at, payment_at, waybill_at;       // when each document arrived
  std::string buyer;                                // hash of the buyer's ID type and number
  std::string consignee, consignee_phone, address;  // hashes, from the order
  Decimal value;           // goods + freight + insurance: the amount the quota takes
  Decimal single_limit;    // the single-transaction limit in force
  Decimal gross_weight;    // the list's gross weight (kg; zero when not declared)
  Decimal waybill_weight;  // the waybill's weight (kg; zero when not declared)
  std::vector<ScreenLine> lines;
};

// What the clearance engine asks of risk control (src/risk implements it). All methods
// run inside the engine's write transaction, so what risk control records commits with
// the decision or not at all.
class RiskGate {
 public:
  virtual ~RiskGate() = default;
  // Screens a matched list and chooses its lane.
  virtual StatusOr<LaneDecision> Screen(store::WriteTxn& txn, const ScreenFacts& facts) const = 0;
  // Screens a matched export list (CEB603): the goods rules only, recorded for customs;
  // exports have no inspection lane here, so nothing is returned.
  // Answers the rules that hit it, one entry per hit.
  virtual StatusOr<std::vector<std::string>> ScreenExport(store::WriteTxn& /*txn*/,
                                                          const ScreenFacts& /*facts*/) const {
    return std::vector<std::string>();
  }
  // An officer's result for a list sent to inspection or review: `found` when the list was
  // refused (the risk was real), not found when it was released.
  virtual Status Outcome(store::WriteTxn& /*txn*/, const std::string& /*key*/, bool /*found*/,
                         Timestamp /*t*/) const {
    return Status::Ok();
  }
  // Behaviour that an enterprise's credit counts: "refused" (a list refused),
  // "returned" (a return accepted), "tax_overdue" (tax not paid in its window).
  virtual Status Event(store::WriteTxn& /*txn*/, const std::string& /*enterprise*/,
                       std::string_view /*kind*/, Timestamp /*t*/) const {
    return Status::Ok();
  }
};

// One goods line of a list as statistics count it.
struct StatLine {
  std::string gcode;     // HS code, 10 digits
  std::string country;   // import: country of origin; export: final destination
  std::string currency;  // customs currency code; empty: the list's
  Decimal total_price;   // the line's declared total, in its currency
};

// A customs list (CEB621 import, CEB603 export) as statistics count it.
struct StatList {
  std::string direction;  // "I" import, "E" export
  std::string cop_no, trade_mode, ebc_code, agent_code;
  std::string country;   // head: import country of departure, export country of arrival
  std::string currency;  // head currency (import lists); lines' currency wins
  int packs = 1;         // packNo, 1 when not declared
  Timestamp declared;    // when the list reached the platform
  Decimal tax;           // import tax of its bill, CNY (zero for exports)
  std::vector<StatLine> lines;
};

// What the clearance engine tells statistics (src/stats implements it): every status a
// list enters, completed returns and risk hits, inside the engine's write transaction, so
// that the rollups commit with the decision or not at all.
class StatsSink {
 public:
  virtual ~StatsSink() = default;
  // The list entered `statuses` ("120", "300", "399", "500", "800", "899", "100"), in order,
  // at t (one move: matched, concluded and released together, say).
  virtual Status Entered(store::WriteTxn& txn, const StatList& list,
                         const std::vector<std::string>& statuses, Timestamp t) const = 0;
  // The goods of a return arrived (import) or were tallied (export): `returned` is the list
  // with only the returned lines, each total_price the declared price times the quantity
  // returned; `tax` CNY is not levied.
  virtual Status Returned(store::WriteTxn& txn, const StatList& returned, Decimal tax,
                          Timestamp t) const = 0;
  // Risk control recorded hits of `rules` (one entry per hit) on the matched list at t.
  virtual Status RiskHits(store::WriteTxn& txn, const StatList& list,
                          const std::vector<std::string>& rules, Timestamp t) const = 0;
};

// Random inspection at `rate` (0..1) and nothing else, decided by a keyed hash of the
// list key so that the choice is reproducible (tests; `serve` uses src/risk).
std::unique_ptr<RiskGate> RandomInspection(Decimal rate);

struct Options {
  const Clock* clock = &Clock::System();
  std::shared_ptr<const Vault> vault;
  const tax::TariffTable* tariff = &tax::TariffTable::BuiltIn();
  const RiskGate* risk = nullptr;    // null: release everything
  const StatsSink* stats = nullptr;  // null: no statistics
  // A list still missing its order, payment or waybill this long after it was declared
  // is refused (100).
  int64_t match_timeout_ms = 24LL * 3600 * 1000;
  // Returns: applied within `return_apply_days` of release, goods in within
  // `return_arrive_days` (海关总署公告2020年第45号). Tax is payable from day
  // return_apply_days + 1 to day `tax_due_days`.
  int return_apply_days = 30;
  int return_arrive_days = 45;
  int tax_due_days = 45;
  // Export returns (CEB213): applied, and the goods tallied back (CEB215), within
  // `export_return_days` of the list's release (海关总署公告2020年第44号: one year).
  int export_return_days = 365;
  // Tax-free re-import of a returned export line: tallied back within this many calendar
  // months of the release, the release inside a covered period of `export_return_periods`
  // (null: data/tax/export_return_periods.csv as compiled in), and not food.
  int export_return_taxfree_months = 6;
  const ExportReturnPeriods* export_return_periods = nullptr;
};

// One bonded inbound record (入区): stock of an item arriving in a zone warehouse.
struct InboundRecord {
  std::string warehouse;  // areaCode of the lists that will draw on it
  std::string ems_no;     // bonded ledger number
  std::string item_record_no;
  std::string item_no, gcode, gname, unit;
  Decimal qty;
  std::string entry_no;  // the entry declaration that brought it in
  std::string time;      // C14
};

struct StockLine {
  std::string warehouse, item_record_no, item_no, gcode, gname, unit;
  Decimal in, out, returned, balance;  // balance = in - out + returned
};

struct QuotaView {
  int year = 0;
  Decimal limit, used, remaining;
};

struct GuaranteeView {
  std::string code;
  Decimal balance;      // what the guarantee still covers
  Decimal outstanding;  // tax of bills generated and not yet paid
  Decimal paid;         // deducted so far
};

// An overseas warehouse (海外仓) of an e-commerce enterprise, registered with the zone:
// a 9810 list (export to an overseas warehouse) is accepted only from an enterprise with
// at least one. Kept in module state, namespace "overseas", key ebcCode|code.
struct OverseasWarehouse {
  std::string ebc_code;       // the e-commerce enterprise (ebcCode of its lists)
  std::string code;           // the warehouse's code, unique per enterprise
  std::string name;           // the warehouse's name
  std::string operator_name;  // who runs it (default: the name)
  std::string country;        // customs country code (3 digits), e.g. 502 United States
  std::string address;
  Decimal area_m2;
  std::vector<std::string> services;  // 一件代发, returns, labelling, ...
};

struct TickSummary {
  int timed_out = 0;       // lists refused for a missing document
  int closed = 0;          // lists closed (899), tax payable
  int tax_paid = 0;        // bills deducted from a guarantee
  int returns_failed = 0;  // returns whose goods did not arrive in time
  int alerts = 0;
};

class Engine : public intake::Hook {
 public:
  static StatusOr<std::unique_ptr<Engine>> Create(store::Store* store, Options options);
  ~Engine() override = default;

  // Forget cached registry facts (a platform's identity-verifying role) after a change.
  virtual void InvalidateRegistry() = 0;

  // Time-driven work up to `now` (match timeouts, 899 and tax payable, return deadlines).
  virtual StatusOr<TickSummary> Tick(Timestamp now) = 0;

  // An officer's decision on a list under inspection (500) or manual review (300):
  // "release" or "refuse" (with a reason). NotFound, FailedPrecondition when the list is
  // not waiting for a decision.
  virtual Status Decide(const std::string& list_key, const std::string& decision,
                        const std::string& reason, const std::string& officer) = 0;

  // Bonded stock.
  virtual Status AddInbound(const std::vector<InboundRecord>& records) = 0;
  virtual StatusOr<std::vector<StockLine>> StockReport(const std::string& warehouse) = 0;

  // The buyer's quota in `year` (id type and number as declared).
  virtual StatusOr<QuotaView> Quota(const std::string& id_type, const std::string& id_number,
                                    int year) = 0;
  // Ledger audit: the quota used by every buyer in `year`, summed, and the sum of the
  // amounts of the lists that hold quota (released or in customs' hands, not cancelled,
  // returned amounts taken off). The two are equal unless the ledger is broken.
  struct LedgerAudit {
    Decimal ledger_total, lists_total;
    int buyers = 0;
    Decimal max_used;  // the largest single buyer's total
  };
  virtual StatusOr<LedgerAudit> AuditQuota(int year) = 0;

  // The enterprise's tax guarantee (担保): sets the amount lodged.
  virtual Status SetGuarantee(const std::string& code, Decimal amount) = 0;
  virtual StatusOr<GuaranteeView> Guarantee(const std::string& code) = 0;

  // The tax bill of a list as a CEB816 message (XML), and its state as JSON.
  virtual StatusOr<std::string> TaxBillXml(const std::string& invt_no) = 0;
  virtual StatusOr<std::string> TaxBillJson(const std::string& invt_no) = 0;
  // Alerts (guarantee short, tax overdue), newest last, as JSON lines.
  virtual StatusOr<std::vector<std::string>> Alerts(int limit) = 0;

  // Overseas warehouses (9810). Add registers one or replaces it (same ebcCode and code);
  // InvalidArgument names the field that is missing or malformed. List gives one
  // enterprise's warehouses, or all when `ebc_code` is empty, ordered by ebcCode and code.
  virtual Status AddOverseasWarehouse(const OverseasWarehouse& w) = 0;
  virtual StatusOr<std::vector<OverseasWarehouse>> ListOverseasWarehouses(
      const std::string& ebc_code) = 0;

  // An export return (CEB213) as JSON: its list, status, the dates that decide it and,
  // once tallied, the tax-free re-import flag of each line with the reason (docs/
  // clearance.md gives the shape). `agent_code` may be empty when only one agent used
  // this coElNo. NotFound for an unknown return; InvalidArgument when the coElNo is
  // ambiguous without the agent.
  virtual StatusOr<std::string> ExportReturnJson(const std::string& co_el_no,
                                                 const std::string& agent_code) = 0;
};

}  // namespace shumao::clearance

#endif  // SHUMAO_CLEARANCE_CLEARANCE_H_

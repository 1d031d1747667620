// Risk control (风险防控) and e-commerce credit (电商信用).
//
// Screening. Every matched import list passes the rules of data/risk/rules.csv before its
// lane is chosen. A rule is data (id, version, effective date, severity, action, parameters
// and its description in Chinese and English); what it tests is one of the conditions
// below, written here. Each hit carries the rule, the evidence (the values that fired it)
// and a sentence an officer can read, and is kept in module state for `GET /risk/hits`.
//
//   split_order         one buyer's lists within `window_hours` together over the single
//                       limit (拆单); the earlier lists get an audit hit (they are gone)
//   identity_misuse     one ID number with `min_consignees` or more consignees, phones or
//                       addresses within `window_days` (借用身份, 刷单)
//   shared_contact      one consignee phone (address) used by `min_ids_phone`
//                       (`min_ids_address`) or more ID numbers within `window_days`
//   undervaluation      a unit price under `max_ratio` of the median price of the same
//                       (gcode, itemNo) and under median - `mad_k` MADs, learnt from the
//                       last `keep` prices seen, once `min_samples` are known (低报价格)
//   name_hs_mismatch    the goods name speaks of other chapters than its HS code's
//                       (data/risk/hs_keywords.csv)
//   not_on_positive_list, prohibited_goods, restricted_goods
//                       data/risk/positive_list.csv and data/risk/prohibited.csv
//   weight_mismatch     the waybill's weight against the list's gross weight
//   return_rate         the e-commerce enterprise's returns against its lists over
//                       `window_days` (once a day per enterprise)
//   late_documents      a list declared more than `max_hours` after its order arrived, a
//                       document arriving that long after the list, or an order or payment
//                       arriving after the list that declares its sale (`out_of_order`)
//
// Lanes (after the ASYCUDA selectivity model). A hit whose action is `inspect` sends the
// list to inspection (red, 500), `review` to document review (yellow, 300); `alert` and
// audit hits only record. A list without such a hit is drawn at random at
// `random_share` of the target rate (a keyed hash of the list key and the lane table's
// version, so a replay draws the same), and then topped up while the realised rate of the
// month, per credit level, is below the target. The targets (data/risk/lanes.csv) are
// scaled by the credit level of the list's enterprises (data/risk/credit_levels.csv):
// the worst level among ebcCode, ebpCode and agentCode counts.
//
// Credit. Customs levels per 海关总署令第282号 (five levels; the three of 第251号 map
// onto them), set with an effective date; a dishonest level raises inspection to its
// floor, removes automatic release and is published on the dishonest list (失信公示).
// The platform credit score (0-100) is computed from behaviour counted here: refused lists,
// confirmed risk hits, returns, overdue tax and complaints, each component explained
// (data/risk/credit_score.csv).
//
// Module state namespaces (docs/risk.md): risk.b (buyer history), risk.p / risk.a (phone
// and address → ID numbers), risk.price, risk.hit, risk.dec, risk.lane, risk.rstat,
// risk.ent, credit.level, credit.stats.
#ifndef SHUMAO_RISK_RISK_H_
#define SHUMAO_RISK_RISK_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "clearance/clearance.h"
#include "common/crypto.h"
#include "common/decimal.h"
#include "common/status.h"
#include "common/time.h"
#include "risk/tables.h"
#include "store/store.h"

namespace shumao::risk {

struct Options {
  std::shared_ptr<const Vault> vault;    // hashes a buyer's ID number for `buyer=` queries
  std::shared_ptr<const Tables> tables;  // null: the compiled-in data/risk tables
  // Overrides of the lane table's targets (null: as in lanes.csv).
  std::optional<Decimal> inspect_target, review_target, random_share;
};

struct HitQuery {
  Timestamp from, to;      // hits with from <= time < to
  std::string rule;        // empty: every rule
  std::string severity;    // empty: every severity (high, medium, low)
  std::string buyer_hash;  // empty: every buyer
  std::string after;       // a hit id: continue after it (paging); empty: from the start
  int limit = 1000;
};

struct RuleView {
  Rule rule;
  int64_t hits = 0, inspected = 0, found = 0;
};

struct CreditLevelRecord {
  std::string code, level, from, reason;  // from: YYYY-MM-DD
};

class Risk : public clearance::RiskGate {
 public:
  static StatusOr<std::unique_ptr<Risk>> Create(store::Store* store, Options options);
  ~Risk() override = default;

  // Hits in a period, oldest first, as JSON objects (docs/risk.md gives the shape).
  virtual StatusOr<std::vector<std::string>> Hits(const HitQuery& q) = 0;
  // The lane decision of one list (copNo and agentCode) as JSON, or NotFound.
  virtual StatusOr<std::string> Decision(const std::string& cop_no,
                                         const std::string& agent_code) = 0;
  // The rules in force at `at` with the inspection results of their hits. The pseudo-rule
  // "random" counts the lists drawn at random (the baseline an officer compares with).
  virtual StatusOr<std::vector<RuleView>> Rules(Timestamp at) = 0;

  // Credit levels.
  virtual Status SetCreditLevel(const CreditLevelRecord& r) = 0;
  virtual StatusOr<std::vector<CreditLevelRecord>> CreditHistory(const std::string& code) = 0;
  // The level in force for `code` at `at` ("regular" when none was set).
  virtual StatusOr<std::string> CreditLevelAt(const std::string& code, Timestamp at) = 0;
  // The enterprise's credit as JSON: level, its history, and the platform score with
  // each component explained.
  virtual StatusOr<std::string> CreditJson(const std::string& code, Timestamp at) = 0;
  // The published dishonest list (失信公示) at `at`, as JSON objects.
  virtual StatusOr<std::vector<std::string>> Dishonest(Timestamp at) = 0;
  // A complaint against an enterprise (market supervision, the zone).
  virtual Status Complaint(const std::string& code, const std::string& text, Timestamp t) = 0;
};

}  // namespace shumao::risk

#endif  // SHUMAO_RISK_RISK_H_

// The `shumao risk` and `shumao credit` commands: hits, rules, one list's decision, the
// precision and recall of the rules on labelled traffic (`shumao gen --faults`), and the
// enterprises' credit levels, scores and the dishonest list.
#ifndef SHUMAO_APP_RISK_CLI_H_
#define SHUMAO_APP_RISK_CLI_H_

#include <string>

#include "app/context.h"

namespace shumao::app {

struct RiskCliOptions {
  std::string from, to;  // YYYY-MM-DD
  std::string rule, buyer;
  int limit = 100000;
  std::string cop_no, agent_code;
  std::string labels;  // labels.ndjson of `shumao gen --faults`
  std::string code, level, reason, text, at;
};

int RunRiskHits(Context& ctx, const RiskCliOptions& o);
int RunRiskRules(Context& ctx);
int RunRiskDecision(Context& ctx, const RiskCliOptions& o);
int RunRiskEval(Context& ctx, const RiskCliOptions& o);

// Precision and recall of each rule against the labels, as one JSON object (also used by
// `shumao bench --scenario risk`).
// A labelled list refused by clearance's own checks (status 100: the bonded ledger's HS
// code, the limits) never reaches screening; it is counted apart.
StatusOr<std::string> EvaluateRisk(store::Store& store, risk::Risk& risk,
                                   const std::string& labels_path);

int RunCreditSet(Context& ctx, const RiskCliOptions& o);
int RunCreditShow(Context& ctx, const RiskCliOptions& o);
int RunCreditDishonest(Context& ctx, const RiskCliOptions& o);
int RunCreditComplain(Context& ctx, const RiskCliOptions& o);

}  // namespace shumao::app

#endif  // SHUMAO_APP_RISK_CLI_H_

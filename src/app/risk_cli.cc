#include "app/risk_cli.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <set>

#include "common/strings.h"

namespace shumao::app {
namespace {

int Usage(const std::string& message) {
  std::fprintf(stderr, "shumao: %s\n", message.c_str());
  return 2;
}

std::string Str(const rapidjson::Value& v, const char* name) {
  auto it = v.FindMember(name);
  return it != v.MemberEnd() && it->value.IsString() ? it->value.GetString() : "";
}

std::string Ratio(int64_t num, int64_t den) {
  if (den == 0) return "null";
  return "\"" + Decimal::FromInt(num).Div(Decimal::FromInt(den)).RoundTo(4).ToShortString() + "\"";
}

// The rule that stands for each fault of `shumao gen --faults` (the others have no rule:
// they are refused by clearance's own checks).
const std::map<std::string, std::string>& FaultOfRule() {
  static const std::map<std::string, std::string> m = {{"split_order", "split_order"},
                                                       {"identity_misuse", "identity_misuse"},
                                                       {"undervaluation", "undervaluation"},
                                                       {"name_hs_mismatch", "name_hs_mismatch"}};
  return m;
}

StatusOr<Timestamp> DateOr(const std::string& text, const char* field, Timestamp fallback) {
  if (text.empty()) return fallback;
  auto t = ParseDate(text);
  if (!t.ok())
    return InvalidArgument(std::string("--") + field + " must be a date YYYY-MM-DD", field);
  return *t;
}

}  // namespace

int RunRiskHits(Context& ctx, const RiskCliOptions& o) {
  risk::HitQuery q;
  auto from = DateOr(o.from, "from", Timestamp{});
  auto to = DateOr(o.to, "to", Timestamp{});
  if (!from.ok()) return Usage(from.status().message());
  if (!to.ok()) return Usage(to.status().message());
  q.from = *from;
  q.to = Timestamp{to->millis + 24LL * 3600 * 1000};
  q.rule = o.rule;
  if (!o.buyer.empty()) {
    q.buyer_hash =
        ctx.vault->KeyedHash(o.buyer.find(':') == std::string::npos ? "1:" + o.buyer : o.buyer);
  }
  q.limit = o.limit;
  auto hits = ctx.risk->Hits(q);
  if (!hits.ok()) return Fail(hits.status());
  for (const std::string& h : *hits) std::printf("%s\n", h.c_str());
  std::fprintf(stderr, "%zu hit(s)\n", hits->size());
  return 0;
}

int RunRiskRules(Context& ctx) {
  auto rules = ctx.risk->Rules(Clock::System().Now());
  if (!rules.ok()) return Fail(rules.status());
  for (const risk::RuleView& v : *rules) {
    std::string out = "{\"id\":\"" + v.rule.id +
                      "\",\"version\":" + std::to_string(v.rule.version) + ",\"severity\":\"" +
                      v.rule.severity + "\",\"action\":\"" +
                      std::string(risk::ActionName(v.rule.action)) + "\",\"description\":\"";
    AppendJsonEscaped(out, v.rule.description_zh);
    out += "\",\"hits\":" + std::to_string(v.hits) +
           ",\"inspected\":" + std::to_string(v.inspected) +
           ",\"found\":" + std::to_string(v.found) + ",\"hitRate\":" + Ratio(v.found, v.inspected) +
           "}";
    std::printf("%s\n", out.c_str());
  }
  return 0;
}

int RunRiskDecision(Context& ctx, const RiskCliOptions& o) {
  auto d = ctx.risk->Decision(o.cop_no, o.agent_code);
  if (!d.ok()) return Fail(d.status());
  std::printf("%s\n", d->c_str());
  return 0;
}

StatusOr<std::string> EvaluateRisk(store::Store& store, risk::Risk& risk,
                                   const std::string& labels_path) {
  std::ifstream in(labels_path);
  if (!in) return InvalidArgument("cannot read " + labels_path, "labels");
  std::map<std::string, std::string> fault_of;  // copNo → fault
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    rapidjson::Document d;
    d.Parse(line.data(), line.size());
    if (d.HasParseError() || !d.IsObject()) {
      return InvalidArgument("labels: a line is not a JSON object", "labels");
    }
    std::string cop = Str(d, "copNo");
    if (!cop.empty()) fault_of[cop] = Str(d, "fault");
  }
  risk::HitQuery q;
  q.from = Timestamp{0};
  q.to = Timestamp{4102444800000LL};  // 2100-01-01
  q.limit = 100000000;
  ASSIGN_OR_RETURN(std::vector<std::string> hits, risk.Hits(q));
  std::map<std::string, std::set<std::string>> flagged;  // rule → copNos
  for (const std::string& h : hits) {
    rapidjson::Document d;
    d.Parse(h.data(), h.size());
    if (d.HasParseError() || !d.IsObject()) continue;
    auto doc = d.FindMember("document");
    if (doc == d.MemberEnd()) continue;
    flagged[Str(d, "rule")].insert(Str(doc->value, "copNo"));
  }
  std::map<std::string, int64_t> labelled, refused;
  for (const auto& [cop, fault] : fault_of) {
    ++labelled[fault];
    ASSIGN_OR_RETURN(std::vector<store::DocumentRow> lists,
                     store.FindDocuments("inventories", cop));
    bool was_refused = !lists.empty() && std::all_of(lists.begin(), lists.end(), [](const auto& d) {
      return d.status == "100";
    });
    if (was_refused) ++refused[fault];
  }

  std::string out = "{\"labels\":" + std::to_string(fault_of.size()) +
                    ",\"hits\":" + std::to_string(hits.size()) + ",\"rules\":[";
  bool first = true;
  std::set<std::string> ordinary_flagged;
  std::map<std::string, int64_t> ordinary_by_rule;
  std::set<std::string> rules;
  for (const auto& [r, f] : FaultOfRule()) rules.insert(r);
  for (const auto& [r, cops] : flagged) rules.insert(r);
  for (const std::string& rule : rules) {
    const std::set<std::string>& cops = flagged[rule];
    auto fit = FaultOfRule().find(rule);
    std::string fault = fit == FaultOfRule().end() ? "" : fit->second;
    int64_t tp = 0;
    for (const std::string& c : cops) {
      auto it = fault_of.find(c);
      if (!fault.empty() && it != fault_of.end() && it->second == fault) ++tp;
      if (it == fault_of.end()) {
        ordinary_flagged.insert(c);
        ++ordinary_by_rule[rule];
      }
    }
    int64_t positives = fault.empty() ? 0 : labelled[fault];
    out += first ? "" : ",";
    first = false;
    out += "{\"rule\":\"" + rule +
           "\",\"fault\":" + (fault.empty() ? "null" : "\"" + fault + "\"") +
           ",\"flagged\":" + std::to_string(cops.size()) +
           ",\"labelled\":" + std::to_string(positives) +
           ",\"truePositives\":" + std::to_string(tp) + ",\"precision\":" +
           (fault.empty() ? "null" : Ratio(tp, static_cast<int64_t>(cops.size()))) +
           ",\"recall\":" + (fault.empty() ? "null" : Ratio(tp, positives)) +
           ",\"refusedByClearance\":" + std::to_string(fault.empty() ? 0 : refused[fault]) +
           ",\"recallOfScreened\":" +
           (fault.empty() ? "null" : Ratio(tp, positives - refused[fault])) +
           ",\"unlabelledFlagged\":" + std::to_string(ordinary_by_rule[rule]) + "}";
  }
  out += "],\"unlabelledListsFlagged\":" + std::to_string(ordinary_flagged.size()) + "}";
  return out;
}

int RunRiskEval(Context& ctx, const RiskCliOptions& o) {
  auto r = EvaluateRisk(*ctx.store, *ctx.risk, o.labels);
  if (!r.ok()) return Fail(r.status());
  std::printf("%s\n", r->c_str());
  return 0;
}

int RunCreditSet(Context& ctx, const RiskCliOptions& o) {
  auto e = ctx.store->FindEnterprise(o.code);
  if (!e.ok()) return Fail(e.status());
  if (!*e) return Fail(NotFound("no enterprise " + o.code + " (register it with enterprise add)"));
  Status st = ctx.risk->SetCreditLevel({o.code, o.level, o.from, o.reason});
  if (!st.ok()) return Fail(st);
  auto j = ctx.risk->CreditJson(o.code, Clock::System().Now());
  if (!j.ok()) return Fail(j.status());
  std::printf("%s\n", j->c_str());
  return 0;
}

// --at YYYY-MM-DD as the end of that Beijing day, or now.
static StatusOr<Timestamp> AsOf(const std::string& at) {
  if (at.empty()) return Clock::System().Now();
  ASSIGN_OR_RETURN(Timestamp day, DateOr(at, "at", Timestamp{}));
  return Timestamp{day.millis + 24LL * 3600 * 1000 - 1};
}

int RunCreditShow(Context& ctx, const RiskCliOptions& o) {
  auto at = AsOf(o.at);
  if (!at.ok()) return Usage(at.status().message());
  auto j = ctx.risk->CreditJson(o.code, *at);
  if (!j.ok()) return Fail(j.status());
  std::printf("%s\n", j->c_str());
  return 0;
}

int RunCreditDishonest(Context& ctx, const RiskCliOptions& o) {
  auto at = AsOf(o.at);
  if (!at.ok()) return Usage(at.status().message());
  auto list = ctx.risk->Dishonest(*at);
  if (!list.ok()) return Fail(list.status());
  for (const std::string& e : *list) std::printf("%s\n", e.c_str());
  return 0;
}

int RunCreditComplain(Context& ctx, const RiskCliOptions& o) {
  Status st = ctx.risk->Complaint(o.code, o.text, Clock::System().Now());
  if (!st.ok()) return Fail(st);
  auto j = ctx.risk->CreditJson(o.code, Clock::System().Now());
  if (!j.ok()) return Fail(j.status());
  std::printf("%s\n", j->c_str());
  return 0;
}

}  // namespace shumao::app

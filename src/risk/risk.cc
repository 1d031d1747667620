#include "risk/risk.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <cstdio>
#include <functional>
#include <map>
#include <set>

#include "clearance/records.h"
#include "common/strings.h"
#include "risk/records.h"

namespace shumao::risk {
namespace {

using clearance::TimeKey;

constexpr int64_t kHourMs = 3600LL * 1000;
constexpr int64_t kDayMs = 24 * kHourMs;
constexpr size_t kHistoryCap = 64;  // lists kept per buyer, phone or address
constexpr size_t kShortHash = 16;   // hex digits of a keyed hash kept in histories

std::string Money(Decimal d) { return d.RoundTo(2).ToString(2); }

std::string Short(const std::string& hash) { return hash.substr(0, kShortHash); }

std::string MonthOf(Timestamp t) {
  CivilTime c = ToBeijing(t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d", c.year, c.month);
  return buf;
}

std::string DayOf(Timestamp t) { return FormatC8(t); }

std::string Quote(std::string_view s) {
  std::string out = "\"";
  AppendJsonEscaped(out, s);
  return out + "\"";
}

// A JSON object built field by field.
class Json {
 public:
  Json& Str(std::string_view k, std::string_view v) { return Raw(k, Quote(v)); }
  Json& Num(std::string_view k, int64_t v) { return Raw(k, std::to_string(v)); }
  Json& Raw(std::string_view k, std::string_view json) {
    s_ += s_.size() > 1 ? "," : "";
    s_ += Quote(k) + ":" + std::string(json);
    return *this;
  }
  std::string Done() const { return s_ + "}"; }

 private:
  std::string s_ = "{";
};

std::string Array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (size_t i = 0; i < items.size(); ++i) out += (i ? "," : "") + items[i];
  return out + "]";
}

std::string CopNoOf(const std::string& key) { return key.substr(0, key.find('|')); }
std::string AgentOf(const std::string& key) {
  size_t bar = key.find('|');
  return bar == std::string::npos ? "" : key.substr(bar + 1);
}

// One rule hit, before it is stored.
struct Hit {
  const Rule* rule = nullptr;
  std::string key;  // the list's copNo|agentCode
  std::string ebc;
  Timestamp time;
  std::string explanation;
  std::string evidence;  // JSON object
  bool audit = false;    // about an earlier list, already cleared (后续稽核)
  bool export_list = false;
};

// Whether a record effective from `date` (YYYY-MM-DD) is in force at `at`.
bool StartsBy(const std::string& date, Timestamp at) {
  auto t = ParseDate(date);
  return t.ok() && *t <= at;
}

std::string HitKey(const Hit& h) { return TimeKey(h.time.millis) + "|" + h.key + "|" + h.rule->id; }

Decimal Median(std::vector<Decimal> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  if (n % 2 == 1) return v[n / 2];
  return Decimal::FromUnits((v[n / 2 - 1].units() + v[n / 2].units()) / 2);
}

class RiskImpl : public Risk {
 public:
  RiskImpl(store::Store* store, Options opt) : store_(store), opt_(std::move(opt)) {}

  // ---------------------------------------------------------------- screening

  StatusOr<clearance::LaneDecision> Screen(store::WriteTxn& txn,
                                           const clearance::ScreenFacts& f) const override {
    const Tables& tb = *opt_.tables;
    std::vector<Hit> hits;
    std::vector<Hit> audits;
    RETURN_IF_ERROR(ScreenBuyer(txn, f, hits, audits));
    RETURN_IF_ERROR(ScreenContacts(txn, f, hits, audits));
    RETURN_IF_ERROR(ScreenPrices(txn, f, hits));
    ScreenGoods(f, hits, /*import=*/true);
    ScreenWeight(f, hits);
    ScreenTimes(f, hits);
    ASSIGN_OR_RETURN(EnterpriseStats stats, LoadStats(txn, f.ebc_code));
    RETURN_IF_ERROR(ScreenReturns(txn, f, stats, hits));

    // The lane: rules first, then the random draw and the top-up to the targets.
    ASSIGN_OR_RETURN(const CreditLevel* level, WorstLevel(txn, f));
    const LaneTargets& lanes = tb.LanesAt(f.declared);
    Decimal one = Decimal::FromInt(1);
    Decimal inspect_target = std::min(
        one, std::max(level->inspect_floor,
                      opt_.inspect_target.value_or(lanes.inspect).Mul(level->inspect_factor)));
    Decimal review_target =
        std::min(one, opt_.review_target.value_or(lanes.review).Mul(level->review_factor));
    Decimal random_share = opt_.random_share.value_or(lanes.random_share);

    clearance::Lane lane = clearance::Lane::kRelease;
    std::string selection = "none";
    for (const Hit& h : hits) {
      if (h.rule->action == Action::kInspect) lane = clearance::Lane::kInspect;
      if (h.rule->action == Action::kReview && lane == clearance::Lane::kRelease) {
        lane = clearance::Lane::kManual;
      }
    }
    if (lane != clearance::Lane::kRelease) selection = "rule";

    std::string ckey = MonthOf(f.declared) + "|" + level->level;
    ASSIGN_OR_RETURN(std::optional<std::string> ctext, txn.GetState("risk.lane", ckey));
    int64_t n = 0, inspected = 0, reviewed = 0;
    if (ctext) {
      std::vector<std::string> c = SplitOn(*ctext, ',');
      if (c.size() == 3) {
        n = std::stoll(c[0]);
        inspected = std::stoll(c[1]);
        reviewed = std::stoll(c[2]);
      }
    }
    if (lane == clearance::Lane::kRelease) {
      Draws draw = DrawsFor(lanes.version + "|" + f.key);
      auto behind = [&](int64_t selected, Decimal target) {
        return Decimal::FromInt(selected) < target.Mul(Decimal::FromInt(n + 1));
      };
      if (draw.at(0) < inspect_target.Mul(random_share)) {
        lane = clearance::Lane::kInspect;
        selection = "random";
      } else if (behind(inspected, inspect_target) &&
                 draw.at(1) < std::max(Half(), inspect_target)) {
        lane = clearance::Lane::kInspect;
        selection = "topup";
      } else if (draw.at(2) < review_target.Mul(random_share)) {
        lane = clearance::Lane::kManual;
        selection = "random";
      } else if (behind(reviewed, review_target) && draw.at(3) < std::max(Half(), review_target)) {
        lane = clearance::Lane::kManual;
        selection = "topup";
      } else if (!level->auto_release) {
        lane = clearance::Lane::kManual;
        selection = "credit";
      }
    }
    ++n;
    if (lane == clearance::Lane::kInspect) ++inspected;
    if (lane == clearance::Lane::kManual) ++reviewed;
    RETURN_IF_ERROR(txn.PutState(
        "risk.lane", ckey,
        std::to_string(n) + "," + std::to_string(inspected) + "," + std::to_string(reviewed)));

    // Record the hits, the decision (when there is anything to explain later) and the
    // enterprise's counters.
    std::string lane_name = lane == clearance::Lane::kInspect  ? "inspect"
                            : lane == clearance::Lane::kManual ? "review"
                                                               : "release";
    std::vector<std::string> hit_keys;
    for (const Hit& h : hits) {
      RETURN_IF_ERROR(PutHit(txn, h, lane_name));
      hit_keys.push_back(HitKey(h));
      RETURN_IF_ERROR(CountRule(txn, h.rule->id, 1, 0, 0));
    }
    for (const Hit& h : audits) {
      RETURN_IF_ERROR(PutHit(txn, h, "audit"));
      RETURN_IF_ERROR(CountRule(txn, h.rule->id, 1, 0, 0));
    }
    if (selection == "random" || selection == "topup") {
      RETURN_IF_ERROR(CountRule(txn, "random", 1, 0, 0));
    }
    if (!hits.empty() || lane != clearance::Lane::kRelease) {
      std::string dec = Json()
                            .Str("copNo", f.cop_no)
                            .Str("agentCode", f.agent_code)
                            .Str("invtNo", f.invt_no)
                            .Str("ebcCode", f.ebc_code)
                            .Str("time", FormatIso(f.declared))
                            .Str("lane", lane_name)
                            .Str("selection", selection)
                            .Str("creditLevel", level->level)
                            .Str("inspectTarget", inspect_target.ToShortString())
                            .Str("reviewTarget", review_target.ToShortString())
                            .Str("lanesVersion", lanes.version)
                            .Raw("hits", Array([&] {
                                   std::vector<std::string> v;
                                   for (const std::string& k : hit_keys) v.push_back(Quote(k));
                                   return v;
                                 }()))
                            .Done();
      RETURN_IF_ERROR(txn.PutState("risk.dec", f.key, dec));
    }
    if (!f.ebc_code.empty()) {
      ++stats.lists;
      if (!hits.empty()) ++stats.hits;
      ++stats.At(MonthOf(f.declared)).lists;
      RETURN_IF_ERROR(txn.PutState("credit.stats", f.ebc_code, EncodeStats(stats)));
    }

    clearance::LaneDecision d;
    d.lane = lane;
    d.guarantee_required = level->guarantee_required;
    for (const std::vector<Hit>* v : {&hits, &audits}) {
      for (const Hit& h : *v) d.hit_rules.push_back(h.rule->id);
    }
    if (lane == clearance::Lane::kInspect) d.reason = "布控查验 (selected for inspection)";
    if (lane == clearance::Lane::kManual) d.reason = "单证审核 (selected for document review)";
    return d;
  }

  StatusOr<std::vector<std::string>> ScreenExport(store::WriteTxn& txn,
                                                  const clearance::ScreenFacts& f) const override {
    std::vector<Hit> hits;
    ScreenGoods(f, hits, /*import=*/false);
    std::vector<std::string> rules;
    for (Hit& h : hits) {
      h.export_list = true;
      RETURN_IF_ERROR(PutHit(txn, h, "release"));
      RETURN_IF_ERROR(CountRule(txn, h.rule->id, 1, 0, 0));
      rules.push_back(h.rule->id);
    }
    return rules;
  }

  Status Outcome(store::WriteTxn& txn, const std::string& key, bool found,
                 Timestamp t) const override {
    ASSIGN_OR_RETURN(std::optional<std::string> dec, txn.GetState("risk.dec", key));
    if (!dec) return Status::Ok();  // released without anything to explain
    if (dec->find("\"outcome\"") != std::string::npos) return Status::Ok();  // already told
    std::string outcome = found ? "found" : "not_found";
    std::string updated = dec->substr(0, dec->size() - 1) + ",\"outcome\":" + Quote(outcome) +
                          ",\"outcomeTime\":" + Quote(FormatIso(t)) + "}";
    RETURN_IF_ERROR(txn.PutState("risk.dec", key, updated));
    // Each rule that sent the list (or the random draw) learns the result.
    std::set<std::string> rules;
    for (const std::string& hk : HitKeysOf(*dec)) rules.insert(hk.substr(hk.rfind('|') + 1));
    if (dec->find("\"selection\":\"random\"") != std::string::npos ||
        dec->find("\"selection\":\"topup\"") != std::string::npos) {
      rules.insert("random");
    }
    for (const std::string& r : rules) RETURN_IF_ERROR(CountRule(txn, r, 0, 1, found ? 1 : 0));
    if (found) {
      std::string ebc = FieldOf(*dec, "ebcCode");
      if (!ebc.empty()) {
        ASSIGN_OR_RETURN(EnterpriseStats s, LoadStats(txn, ebc));
        ++s.confirmed;
        RETURN_IF_ERROR(txn.PutState("credit.stats", ebc, EncodeStats(s)));
      }
    }
    return Status::Ok();
  }

  Status Event(store::WriteTxn& txn, const std::string& enterprise, std::string_view kind,
               Timestamp t) const override {
    if (enterprise.empty()) return Status::Ok();
    ASSIGN_OR_RETURN(EnterpriseStats s, LoadStats(txn, enterprise));
    if (kind == "refused") {
      ++s.refused;
    } else if (kind == "returned") {
      ++s.returns;
      ++s.At(MonthOf(t)).returns;
    } else if (kind == "tax_overdue") {
      ++s.late_tax;
    } else {
      return Status::Ok();
    }
    return txn.PutState("credit.stats", enterprise, EncodeStats(s));
  }

  // ---------------------------------------------------------------- queries

  StatusOr<std::vector<std::string>> Hits(const HitQuery& q) override {
    std::vector<std::string> out;
    std::string from = TimeKey(q.from.millis);
    if (!q.after.empty() && q.after >= from) from = q.after + '\x01';
    std::string to = TimeKey(q.to.millis);
    std::map<std::string, std::string> outcomes;  // list key → outcome, looked up once
    while (static_cast<int>(out.size()) < q.limit) {
      ASSIGN_OR_RETURN(auto rows, store_->ReadStateRange("risk.hit", from, to, 500));
      if (rows.empty()) break;
      for (const auto& [k, v] : rows) {
        if (static_cast<int>(out.size()) >= q.limit) break;
        if (!q.rule.empty() && FieldOf(v, "rule") != q.rule) continue;
        if (!q.severity.empty() && FieldOf(v, "severity") != q.severity) continue;
        if (!q.buyer_hash.empty() && FieldOf(v, "buyer") != Short(q.buyer_hash)) continue;
        // key: time|copNo|agentCode|rule
        size_t first = k.find('|');
        size_t last = k.rfind('|');
        std::string list_key = k.substr(first + 1, last - first - 1);
        auto it = outcomes.find(list_key);
        if (it == outcomes.end()) {
          ASSIGN_OR_RETURN(std::optional<std::string> dec, store_->ReadState("risk.dec", list_key));
          it = outcomes.emplace(list_key, dec ? FieldOf(*dec, "outcome") : "").first;
        }
        std::string hit = v;
        if (!it->second.empty()) {
          hit = hit.substr(0, hit.size() - 1) + ",\"outcome\":" + Quote(it->second) + "}";
        }
        out.push_back(std::move(hit));
      }
      if (rows.size() < 500) break;
      from = rows.back().first + '\x01';
    }
    return out;
  }

  StatusOr<std::string> Decision(const std::string& cop_no,
                                 const std::string& agent_code) override {
    ASSIGN_OR_RETURN(std::optional<std::string> dec,
                     store_->ReadState("risk.dec", cop_no + "|" + agent_code));
    if (!dec) {
      return Status(Code::kNotFound,
                    "no risk decision recorded for list " + cop_no +
                        " (a list released without a rule hit or selection leaves none)",
                    "copNo");
    }
    return *dec;
  }

  StatusOr<std::vector<RuleView>> Rules(Timestamp at) override {
    std::vector<RuleView> out;
    std::vector<const Rule*> rules = opt_.tables->RulesAt(at);
    static const Rule kRandom = [] {
      Rule r;
      r.id = "random";
      r.severity = "low";
      r.action = Action::kInspect;
      r.description_zh = "随机布控与补足抽选（基准）";
      r.description_en = "Random selection and top-up to the lane targets (the baseline)";
      return r;
    }();
    rules.push_back(&kRandom);
    for (const Rule* r : rules) {
      RuleView v;
      v.rule = *r;
      ASSIGN_OR_RETURN(std::optional<std::string> s, store_->ReadState("risk.rstat", r->id));
      if (s) {
        std::vector<std::string> c = SplitOn(*s, ',');
        if (c.size() == 3) {
          v.hits = std::stoll(c[0]);
          v.inspected = std::stoll(c[1]);
          v.found = std::stoll(c[2]);
        }
      }
      out.push_back(std::move(v));
    }
    return out;
  }

  // ---------------------------------------------------------------- credit

  Status SetCreditLevel(const CreditLevelRecord& r) override {
    if (r.code.empty()) return InvalidArgument("the enterprise code is required", "code");
    const CreditLevel* level = opt_.tables->Level(r.level);
    if (level == nullptr) {
      std::string known;
      for (const CreditLevel& c : opt_.tables->levels())
        known += (known.empty() ? "" : ", ") + c.level;
      return InvalidArgument("unknown credit level \"" + r.level + "\" (one of " + known + ")",
                             "level");
    }
    auto from = ParseDate(r.from);
    if (!from.ok()) return InvalidArgument("from is a date YYYY-MM-DD: \"" + r.from + "\"", "from");
    ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, store_->BeginWrite());
    ASSIGN_OR_RETURN(std::optional<std::string> text, txn->GetState("credit.level", r.code));
    std::vector<CreditLevelRecord> history = DecodeLevels(r.code, text.value_or(""));
    history.erase(std::remove_if(history.begin(), history.end(),
                                 [&](const CreditLevelRecord& h) { return h.from == r.from; }),
                  history.end());
    CreditLevelRecord rec = r;
    rec.level = level->level;
    history.push_back(rec);
    std::sort(history.begin(), history.end(),
              [](const auto& a, const auto& b) { return a.from < b.from; });
    RETURN_IF_ERROR(txn->PutState("credit.level", r.code, EncodeLevels(history)));
    return txn->Commit();
  }

  StatusOr<std::vector<CreditLevelRecord>> CreditHistory(const std::string& code) override {
    ASSIGN_OR_RETURN(std::optional<std::string> text, store_->ReadState("credit.level", code));
    return DecodeLevels(code, text.value_or(""));
  }

  StatusOr<std::string> CreditLevelAt(const std::string& code, Timestamp at) override {
    ASSIGN_OR_RETURN(std::vector<CreditLevelRecord> h, CreditHistory(code));
    return LevelAt(h, at)->level;
  }

  StatusOr<std::string> CreditJson(const std::string& code, Timestamp at) override {
    ASSIGN_OR_RETURN(std::vector<CreditLevelRecord> history, CreditHistory(code));
    const CreditLevel* level = LevelAt(history, at);
    ASSIGN_OR_RETURN(std::optional<std::string> st, store_->ReadState("credit.stats", code));
    EnterpriseStats s = DecodeStats(st.value_or(""));
    std::vector<std::string> hist;
    for (const CreditLevelRecord& h : history) {
      hist.push_back(
          Json().Str("level", h.level).Str("from", h.from).Str("reason", h.reason).Done());
    }
    // The platform score: 100 less each component's penalty, each capped.
    Decimal score = Decimal::FromInt(100);
    std::vector<std::string> parts;
    for (const ScoreComponent& c : opt_.tables->score()) {
      int64_t count = 0;
      Decimal measure;
      if (c.component == "refusal_rate") {
        count = s.refused;
      } else if (c.component == "confirmed_hits") {
        count = s.confirmed;
      } else if (c.component == "return_rate") {
        count = s.returns;
      } else if (c.component == "late_tax") {
        count = s.late_tax;
      } else if (c.component == "complaints") {
        count = s.complaints;
      }
      if (c.unit == "percent") {
        measure =
            s.lists == 0 ? Decimal() : Decimal::FromInt(count * 100).Div(Decimal::FromInt(s.lists));
      } else {
        measure = Decimal::FromInt(count);
      }
      Decimal penalty = std::min(c.max_penalty, measure.Mul(c.penalty_per_unit)).RoundTo(2);
      score -= penalty;
      std::string why =
          c.description_zh + " " + std::to_string(count) +
          (c.unit == "percent"
               ? "/" + std::to_string(s.lists) + " = " + measure.RoundTo(2).ToString(2) + "%"
               : "") +
          "，扣" + penalty.ToString(2) + "分 (" + c.description_en + ": " + std::to_string(count) +
          (c.unit == "percent" ? " of " + std::to_string(s.lists) + " lists" : "") + ", " +
          penalty.ToString(2) + " of at most " + c.max_penalty.ToShortString() + " points off)";
      parts.push_back(Json()
                          .Str("component", c.component)
                          .Num("count", count)
                          .Str("measure", measure.RoundTo(2).ToString(2))
                          .Str("penalty", penalty.ToString(2))
                          .Str("explanation", why)
                          .Done());
    }
    if (score.IsNegative()) score = Decimal();
    std::string grade = score >= Decimal::FromInt(90)   ? "A"
                        : score >= Decimal::FromInt(75) ? "B"
                        : score >= Decimal::FromInt(60) ? "C"
                                                        : "D";
    std::string since;
    for (const CreditLevelRecord& h : history) {
      if (StartsBy(h.from, at)) since = h.from;
    }
    std::string effects =
        Json()
            .Str("inspectFactor", level->inspect_factor.ToShortString())
            .Str("inspectFloor", level->inspect_floor.ToShortString())
            .Raw("autoRelease", level->auto_release ? "true" : "false")
            .Raw("guaranteeRequired", level->guarantee_required ? "true" : "false")
            .Raw("published", level->published ? "true" : "false")
            .Done();
    return Json()
        .Str("code", code)
        .Raw("level", Json()
                          .Str("level", level->level)
                          .Str("name", level->name_zh)
                          .Str("nameEn", level->name_en)
                          .Str("since", since)
                          .Raw("effects", effects)
                          .Done())
        .Raw("history", Array(hist))
        .Raw("score", Json()
                          .Str("value", score.ToString(2))
                          .Str("grade", grade)
                          .Num("lists", s.lists)
                          .Raw("components", Array(parts))
                          .Done())
        .Done();
  }

  StatusOr<std::vector<std::string>> Dishonest(Timestamp at) override {
    std::vector<std::string> out;
    std::string from;
    while (true) {
      ASSIGN_OR_RETURN(auto rows, store_->ReadStateRange("credit.level", from, "", 500));
      for (const auto& [code, v] : rows) {
        std::vector<CreditLevelRecord> h = DecodeLevels(code, v);
        const CreditLevel* level = LevelAt(h, at);
        if (!level->published) continue;
        const CreditLevelRecord* rec = nullptr;
        for (const CreditLevelRecord& r : h) {
          if (StartsBy(r.from, at)) rec = &r;
        }
        ASSIGN_OR_RETURN(std::optional<registry::Enterprise> e, store_->FindEnterprise(code));
        out.push_back(Json()
                          .Str("code", code)
                          .Str("name", e ? e->name : "")
                          .Str("level", level->level)
                          .Str("levelName", level->name_zh)
                          .Str("since", rec ? rec->from : "")
                          .Str("reason", rec ? rec->reason : "")
                          .Done());
      }
      if (rows.size() < 500) break;
      from = rows.back().first + '\x01';
    }
    return out;
  }

  Status Complaint(const std::string& code, const std::string& text, Timestamp t) override {
    if (code.empty()) return InvalidArgument("the enterprise code is required", "code");
    if (text.empty()) return InvalidArgument("the complaint needs a text", "text");
    ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, store_->BeginWrite());
    ASSIGN_OR_RETURN(EnterpriseStats s, LoadStats(*txn, code));
    ++s.complaints;
    RETURN_IF_ERROR(txn->PutState("credit.stats", code, EncodeStats(s)));
    RETURN_IF_ERROR(txn->PutState("credit.complaint", code + "|" + TimeKey(t.millis), text));
    return txn->Commit();
  }

 private:
  // ---------------------------------------------------------------- the rules

  const Rule* RuleAt(const char* id, Timestamp t) const { return opt_.tables->RuleAt(id, t); }

  Hit MakeHit(const Rule* r, const clearance::ScreenFacts& f) const {
    Hit h;
    h.rule = r;
    h.key = f.key;
    h.ebc = f.ebc_code;
    h.time = f.declared;
    return h;
  }

  static std::string ListJson(const Seen& s) {
    return Json()
        .Str("copNo", CopNoOf(s.key))
        .Str("time", FormatIso(Timestamp{s.ms}))
        .Str("value", Money(s.value))
        .Done();
  }

  void Report(const Rule* r, const clearance::ScreenFacts& f, const std::string& sentence,
              const std::string& evidence, std::vector<Hit>& hits) const {
    Hit h = MakeHit(r, f);
    h.explanation = sentence;
    h.evidence = evidence;
    hits.push_back(std::move(h));
  }

  // An audit hit for each earlier list of the pattern not yet reported under `bit` (one
  // per list and rule, however many of its contacts point at it).
  void AuditEarlier(const Rule* r, const clearance::ScreenFacts& f,
                    const std::vector<Seen*>& earlier, uint32_t bit, const std::string& sentence,
                    const std::string& evidence, std::vector<Hit>& audits) const {
    for (Seen* s : earlier) {
      if (s->flags & bit) continue;
      s->flags |= bit;
      bool dup = std::any_of(audits.begin(), audits.end(),
                             [&](const Hit& x) { return x.key == s->key && x.rule == r; });
      if (dup) continue;
      Hit a = MakeHit(r, f);
      a.key = s->key;
      a.ebc = s->ebc;
      a.audit = true;
      a.explanation = sentence + " (released before the pattern showed: for post-clearance audit)";
      a.evidence = evidence;
      audits.push_back(std::move(a));
    }
  }

  // split_order and identity_misuse, from the buyer's recent lists.
  Status ScreenBuyer(store::WriteTxn& txn, const clearance::ScreenFacts& f, std::vector<Hit>& hits,
                     std::vector<Hit>& audits) const {
    if (f.buyer.empty()) return Status::Ok();
    const Rule* split = RuleAt("split_order", f.declared);
    const Rule* ident = RuleAt("identity_misuse", f.declared);
    if (split == nullptr && ident == nullptr) return Status::Ok();
    std::string bkey = Short(f.buyer);
    ASSIGN_OR_RETURN(std::optional<std::string> text, txn.GetState("risk.b", bkey));
    std::vector<Seen> seen = DecodeSeen(text.value_or(""));
    // A buyer's lists are placed in time by their orders: that is when the buyer bought.
    int64_t now = f.order_at.millis != 0 ? f.order_at.millis : f.declared.millis;
    int64_t keep_ms = 0;
    if (split)
      keep_ms =
          std::max(keep_ms, std::max<int64_t>(split->IntParam("window_hours", 6), 24) * kHourMs);
    if (ident) keep_ms = std::max(keep_ms, ident->IntParam("window_days", 30) * kDayMs);
    std::erase_if(seen, [&](const Seen& s) { return s.ms < now - keep_ms || s.key == f.key; });

    Seen me;
    me.ms = now;
    me.key = f.key;
    me.ebc = f.ebc_code;
    me.value = f.value;
    me.who = Short(f.consignee);
    me.phone = Short(f.consignee_phone);
    me.addr = Short(f.address);

    if (split != nullptr) {
      // The group with this order that goes furthest over the limit: the orders of its
      // Beijing day, or those within one span of `window_hours` that contains it (a
      // split across midnight). Each group stands on its own: a day's orders and a span's
      // are never added together.
      int64_t window = split->IntParam("window_hours", 3);
      bool same_day = split->IntParam("calendar_day", 1) != 0;
      std::string today = DayOf(Timestamp{now});
      std::vector<Seen*> in;
      Decimal total = f.value;
      auto consider = [&](const std::function<bool(const Seen&)>& member) {
        std::vector<Seen*> group;
        Decimal sum = f.value;
        for (Seen& s : seen) {
          if (!member(s)) continue;
          group.push_back(&s);
          sum += s.value;
        }
        if (sum > total) {
          total = sum;
          in = std::move(group);
        }
      };
      if (same_day) consider([&](const Seen& s) { return DayOf(Timestamp{s.ms}) == today; });
      // Spans [start, start + window] holding this order, starting at this order or at an
      // earlier one.
      std::vector<int64_t> starts{now};
      for (const Seen& s : seen) {
        if (s.ms < now && s.ms >= now - window * kHourMs) starts.push_back(s.ms);
      }
      for (int64_t start : starts) {
        int64_t end = start + window * kHourMs;
        consider([&](const Seen& s) { return s.ms >= start && s.ms <= end; });
      }
      int64_t count = static_cast<int64_t>(in.size()) + 1;
      if (count >= split->IntParam("min_lists", 2) && total > f.single_limit) {
        std::vector<std::string> lists;
        for (Seen* s : in) lists.push_back(ListJson(*s));
        lists.push_back(ListJson(me));
        std::string evidence = Json()
                                   .Str("buyer", bkey)
                                   .Num("windowHours", window)
                                   .Raw("sameDay", same_day ? "true" : "false")
                                   .Num("lists", count)
                                   .Str("total", Money(total))
                                   .Str("singleLimit", Money(f.single_limit))
                                   .Raw("documents", Array(lists))
                                   .Done();
        std::string span_zh = (same_day ? "同一天或" : "") + std::to_string(window) + "小时内";
        std::string span_en =
            (same_day ? "on one day or within " : "within ") + std::to_string(window) + " hours";
        std::string sentence =
            "同一订购人" + span_zh + "下单" + std::to_string(count) + "票，合计" + Money(total) +
            "元，超过单次交易限值" + Money(f.single_limit) + "元，疑似拆单 (one buyer's " +
            std::to_string(count) + " orders " + span_en + " total " + Money(total) +
            " CNY, over the " + Money(f.single_limit) + " single-transaction limit: a split order)";
        Report(split, f, sentence, evidence, hits);
        me.flags |= kSplitBit;
        AuditEarlier(split, f, in, kSplitBit, "已放行清单属拆单组：" + sentence, evidence, audits);
      }
    }
    if (ident != nullptr) {
      int64_t window = ident->IntParam("window_days", 30);
      int64_t min = ident->IntParam("min_consignees", 3);
      std::set<std::string> who, phones, addrs;
      std::vector<Seen*> in;
      for (Seen& s : seen) {
        if (s.ms < now - window * kDayMs) continue;
        in.push_back(&s);
        if (!s.who.empty()) who.insert(s.who);
        if (!s.phone.empty()) phones.insert(s.phone);
        if (!s.addr.empty()) addrs.insert(s.addr);
      }
      if (!me.who.empty()) who.insert(me.who);
      if (!me.phone.empty()) phones.insert(me.phone);
      if (!me.addr.empty()) addrs.insert(me.addr);
      int64_t min_addresses = ident->IntParam("min_addresses", min + 1);
      int64_t people = static_cast<int64_t>(std::max(who.size(), phones.size()));
      if (people >= min || static_cast<int64_t>(addrs.size()) >= min_addresses) {
        std::vector<std::string> lists;
        for (Seen* s : in) lists.push_back(ListJson(*s));
        lists.push_back(ListJson(me));
        std::string evidence = Json()
                                   .Str("buyer", bkey)
                                   .Num("windowDays", window)
                                   .Num("consignees", static_cast<int64_t>(who.size()))
                                   .Num("phones", static_cast<int64_t>(phones.size()))
                                   .Num("addresses", static_cast<int64_t>(addrs.size()))
                                   .Raw("documents", Array(lists))
                                   .Done();
        std::string sentence =
            "同一订购人身份证件在" + std::to_string(window) + "天内对应" +
            std::to_string(who.size()) + "个收货人、" + std::to_string(phones.size()) +
            "个收货电话、" + std::to_string(addrs.size()) +
            "个收货地址，疑似身份冒用 (one ID number "
            "with " +
            std::to_string(who.size()) + " consignees, " + std::to_string(phones.size()) +
            " phones and " + std::to_string(addrs.size()) + " addresses within " +
            std::to_string(window) + " days: a borrowed or misused identity)";
        Report(ident, f, sentence, evidence, hits);
        me.flags |= kIdentityBit;
        AuditEarlier(ident, f, in, kIdentityBit, "已放行清单属同一身份冒用组：" + sentence,
                     evidence, audits);
      }
    }
    seen.push_back(me);
    // Kept: the lists a split order could still join, and for each consignee, phone and
    // address the first list that used it (all the identity rule needs).
    int64_t split_span =
        split ? (24 + std::max<int64_t>(split->IntParam("window_hours", 3), 0)) * kHourMs : 0;
    std::set<std::string> whos, phones, addrs;
    std::vector<Seen> kept;
    for (Seen& s : seen) {
      bool recent = s.ms >= now - split_span;
      bool first = !whos.count(s.who) || !phones.count(s.phone) || !addrs.count(s.addr);
      whos.insert(s.who);
      phones.insert(s.phone);
      addrs.insert(s.addr);
      if (recent || first) kept.push_back(std::move(s));
    }
    if (kept.size() > kHistoryCap) kept.erase(kept.begin(), kept.end() - kHistoryCap);
    return txn.PutState("risk.b", bkey, EncodeSeen(kept));
  }

  // shared_contact: one consignee phone or address used by many ID numbers.
  Status ScreenContacts(store::WriteTxn& txn, const clearance::ScreenFacts& f,
                        std::vector<Hit>& hits, std::vector<Hit>& audits) const {
    const Rule* r = RuleAt("shared_contact", f.declared);
    if (r == nullptr || f.buyer.empty()) return Status::Ok();
    int64_t window = r->IntParam("window_days", 30);
    int64_t now = f.declared.millis;
    struct Contact {
      const char* ns;
      std::string hash;
      int64_t min;
      uint32_t bit;
      const char* zh;
      const char* en;
    };
    Contact contacts[] = {{"risk.p", Short(f.consignee_phone), r->IntParam("min_ids_phone", 3),
                           kPhoneBit, "收货电话", "consignee phone"},
                          {"risk.a", Short(f.address), r->IntParam("min_ids_address", 4),
                           kAddressBit, "收货地址", "consignee address"}};
    bool hit_once = false;
    for (const Contact& c : contacts) {
      if (c.hash.empty()) continue;
      // One entry per buyer: when it was last seen with this contact and its first list.
      // A buyer seen again within a day changes nothing, and nothing is written.
      ASSIGN_OR_RETURN(std::optional<std::string> text, txn.GetState(c.ns, c.hash));
      std::vector<Seen> seen = DecodeSeen(text.value_or(""));
      size_t before = seen.size();
      std::erase_if(seen, [&](const Seen& s) { return s.ms < now - window * kDayMs; });
      bool changed = seen.size() != before;
      std::string me_who = Short(f.buyer);
      auto mine =
          std::find_if(seen.begin(), seen.end(), [&](const Seen& s) { return s.who == me_who; });
      if (mine == seen.end()) {
        Seen me;
        me.ms = now;
        me.key = f.key;
        me.ebc = f.ebc_code;
        me.value = f.value;
        me.who = me_who;
        seen.push_back(std::move(me));
        mine = seen.end() - 1;
        changed = true;
      } else if (now - mine->ms >= kDayMs) {
        mine->ms = now;
        changed = true;
      }
      int64_t ids = static_cast<int64_t>(seen.size());
      if (ids >= c.min) {
        std::vector<std::string> lists;
        for (const Seen& s : seen) lists.push_back(ListJson(s));
        std::string evidence = Json()
                                   .Str("contact", c.en)
                                   .Str("hash", c.hash)
                                   .Num("windowDays", window)
                                   .Num("idNumbers", ids)
                                   .Raw("documents", Array(lists))
                                   .Done();
        std::string sentence = std::string("同一") + c.zh + "在" + std::to_string(window) +
                               "天内对应" + std::to_string(ids) +
                               "个不同订购人身份证件，疑似刷单或借用身份 (one " + c.en +
                               " used by " + std::to_string(ids) + " buyers' ID numbers within " +
                               std::to_string(window) + " days)";
        if (!hit_once) {
          Report(r, f, sentence, evidence, hits);
          hit_once = true;
        }
        std::vector<Seen*> earlier;
        for (Seen& s : seen) {
          if (s.flags & c.bit) continue;
          changed = true;
          if (s.key == f.key) {
            s.flags |= c.bit;  // this list: its own hit above
          } else {
            earlier.push_back(&s);
          }
        }
        AuditEarlier(r, f, earlier, c.bit, "已放行清单：" + sentence, evidence, audits);
      }
      if (seen.size() > kHistoryCap) seen.erase(seen.begin(), seen.end() - kHistoryCap);
      if (changed) RETURN_IF_ERROR(txn.PutState(c.ns, c.hash, EncodeSeen(seen)));
    }
    return Status::Ok();
  }

  // undervaluation: each line's unit price against the robust reference of its goods.
  Status ScreenPrices(store::WriteTxn& txn, const clearance::ScreenFacts& f,
                      std::vector<Hit>& hits) const {
    const Rule* r = RuleAt("undervaluation", f.declared);
    if (r == nullptr) return Status::Ok();
    int64_t min_samples = r->IntParam("min_samples", 8);
    int64_t keep = r->IntParam("keep", 31);
    Decimal max_ratio = r->Param("max_ratio", Decimal::FromUnits(Decimal::kOne / 2));
    Decimal mad_k = r->Param("mad_k", Decimal::FromInt(4));
    std::vector<std::string> lines;
    for (const clearance::ScreenLine& l : f.lines) {
      if (l.price.IsZero() || l.price.IsNegative()) continue;
      std::string pkey = l.gcode + "|" + (l.item_no.empty() ? l.gname : l.item_no);
      ASSIGN_OR_RETURN(std::optional<std::string> text, txn.GetState("risk.price", pkey));
      // The ring of recent unit prices, as Decimal units (fixed point as integers).
      std::vector<Decimal> ring;
      for (const std::string& p : SplitOn(text.value_or(""), ',')) {
        int64_t units = 0;
        if (std::from_chars(p.data(), p.data() + p.size(), units).ec == std::errc()) {
          ring.push_back(Decimal::FromUnits(units));
        }
      }
      bool low = false;
      if (static_cast<int64_t>(ring.size()) >= min_samples) {
        Decimal median = Median(ring);
        std::vector<Decimal> dev;
        for (Decimal p : ring) dev.push_back(p > median ? p - median : median - p);
        // 1.4826 × MAD estimates the standard deviation of normal prices.
        Decimal sigma = Median(dev).Mul(Decimal::FromUnits(148260));
        Decimal floor = median - sigma.Mul(mad_k);
        if (l.price < median.Mul(max_ratio) && l.price < floor) {
          low = true;
          lines.push_back(Json()
                              .Str("gnum", l.gnum)
                              .Str("gcode", l.gcode)
                              .Str("itemNo", l.item_no)
                              .Str("gname", l.gname)
                              .Str("price", Money(l.price))
                              .Str("referencePrice", Money(median))
                              .Str("ratio", l.price.Div(median).RoundTo(2).ToString(2))
                              .Num("samples", static_cast<int64_t>(ring.size()))
                              .Done());
        }
      }
      if (low) continue;  // a suspect price does not teach the reference
      ring.push_back(l.price);
      if (static_cast<int64_t>(ring.size()) > keep) ring.erase(ring.begin());
      std::string out;
      for (Decimal p : ring) {
        if (!out.empty()) out += ',';
        out += std::to_string(static_cast<int64_t>(p.units()));
      }
      RETURN_IF_ERROR(txn.PutState("risk.price", pkey, out));
    }
    if (lines.empty()) return Status::Ok();
    Hit h = MakeHit(r, f);
    h.evidence = Json().Raw("lines", Array(lines)).Done();
    h.explanation = "申报单价明显低于同一商品的参考价(最近成交价的中位数)，疑似低报价格 (" +
                    std::to_string(lines.size()) +
                    " line(s) declared far below the median price of the same goods)";
    for (const clearance::ScreenLine& l : f.lines) {
      for (const std::string& j : lines) {
        if (j.find("\"gnum\":" + Quote(l.gnum)) == std::string::npos) continue;
        h.explanation += "；第" + l.gnum + "项[" + l.gname + "]单价" + Money(l.price);
      }
    }
    hits.push_back(std::move(h));
    return Status::Ok();
  }

  // name_hs_mismatch, not_on_positive_list, prohibited_goods, restricted_goods.
  void ScreenGoods(const clearance::ScreenFacts& f, std::vector<Hit>& hits, bool import) const {
    const Tables& tb = *opt_.tables;
    const Rule* name_rule = RuleAt("name_hs_mismatch", f.declared);
    const Rule* positive = RuleAt("not_on_positive_list", f.declared);
    const Rule* prohibited = RuleAt("prohibited_goods", f.declared);
    const Rule* restricted = RuleAt("restricted_goods", f.declared);
    std::vector<std::string> name_lines, off_list, banned, limited;
    std::string name_text, off_text, banned_text, limited_text;
    for (const clearance::ScreenLine& l : f.lines) {
      std::string chapter = l.gcode.substr(0, 2);
      if (name_rule != nullptr) {
        auto chapters = tb.ChaptersOfName(l.gname);
        bool fits =
            chapters.empty() || std::any_of(chapters.begin(), chapters.end(),
                                            [&](const auto& c) { return c.first == chapter; });
        if (!fits) {
          std::vector<std::string> said;
          std::string words;
          for (const auto& [c, word] : chapters) {
            said.push_back(Json().Str("chapter", c).Str("keyword", word).Done());
            words += (words.empty() ? "" : "、") + ("\"" + word + "\"→第" + c + "章");
          }
          name_lines.push_back(Json()
                                   .Str("gnum", l.gnum)
                                   .Str("gname", l.gname)
                                   .Str("gcode", l.gcode)
                                   .Str("declaredChapter", chapter)
                                   .Raw("nameSuggests", Array(said))
                                   .Done());
          name_text += "第" + l.gnum + "项[" + l.gname + "]品名含" + words + "，申报商品编码" +
                       l.gcode + "属第" + chapter + "章；";
        }
      }
      if (positive != nullptr && tb.HasPositiveList() && !tb.OnPositiveList(l.gcode)) {
        off_list.push_back(
            Json().Str("gnum", l.gnum).Str("gname", l.gname).Str("gcode", l.gcode).Done());
        off_text += "第" + l.gnum + "项商品编码" + l.gcode + "；";
      }
      for (const ProhibitedRow* p : tb.Prohibited(l.gcode, l.gname)) {
        bool ban = p->kind == "prohibited";
        std::string j = Json()
                            .Str("gnum", l.gnum)
                            .Str("gname", l.gname)
                            .Str("gcode", l.gcode)
                            .Str("match", p->match)
                            .Str("value", p->value)
                            .Str("reason", p->reason_zh)
                            .Done();
        std::string t =
            "第" + l.gnum + "项[" + l.gname + "]：" + p->reason_zh + " (" + p->reason_en + ")；";
        (ban ? banned : limited).push_back(j);
        (ban ? banned_text : limited_text) += t;
      }
    }
    auto add = [&](const Rule* r, const std::vector<std::string>& lines, const std::string& text,
                   const std::string& en) {
      if (r == nullptr || lines.empty()) return;
      Hit h = MakeHit(r, f);
      h.evidence = Json().Raw("lines", Array(lines)).Done();
      h.explanation = r->description_zh + "：" + text + " (" + en + ")";
      hits.push_back(std::move(h));
    };
    add(name_rule, name_lines, name_text,
        "the goods name describes goods of another chapter than the declared HS code");
    if (import && (f.trade_mode == "9610" || f.trade_mode == "1210" || f.trade_mode == "1239")) {
      add(positive, off_list, off_text, "not on the positive list of retail imports");
    }
    add(prohibited, banned, banned_text, "prohibited goods");
    add(restricted, limited, limited_text, "restricted goods");
  }

  void ScreenWeight(const clearance::ScreenFacts& f, std::vector<Hit>& hits) const {
    const Rule* r = RuleAt("weight_mismatch", f.declared);
    if (r == nullptr || f.gross_weight.IsZero() || f.waybill_weight.IsZero()) return;
    Decimal low = r->Param("low_ratio", Decimal::FromUnits(Decimal::kOne / 2));
    Decimal high = r->Param("high_ratio", Decimal::FromInt(3));
    Decimal min_kg = r->Param("min_kg", Decimal::FromInt(1));
    Decimal ratio = f.waybill_weight.Div(f.gross_weight);
    Decimal diff = f.waybill_weight > f.gross_weight ? f.waybill_weight - f.gross_weight
                                                     : f.gross_weight - f.waybill_weight;
    if ((ratio >= low && ratio <= high) || diff < min_kg) return;
    Hit h = MakeHit(r, f);
    h.evidence = Json()
                     .Str("waybillWeight", f.waybill_weight.ToShortString())
                     .Str("grossWeight", f.gross_weight.ToShortString())
                     .Str("ratio", ratio.RoundTo(2).ToString(2))
                     .Done();
    h.explanation = "运单重量" + f.waybill_weight.ToShortString() + "千克与清单毛重" +
                    f.gross_weight.ToShortString() + "千克不符 (the waybill weighs " +
                    ratio.RoundTo(2).ToString(2) + " times the list's gross weight)";
    hits.push_back(std::move(h));
  }

  void ScreenTimes(const clearance::ScreenFacts& f, std::vector<Hit>& hits) const {
    const Rule* r = RuleAt("late_documents", f.declared);
    if (r == nullptr) return;
    int64_t max_ms = r->IntParam("max_hours", 168) * kHourMs;
    bool out_of_order = r->IntParam("out_of_order", 1) != 0;
    struct Doc {
      const char* zh;
      const char* en;
      Timestamp at;
      bool before_list;  // reports the sale the list declares: due before the list
    };
    Doc docs[] = {{"订单", "order", f.order_at, true},
                  {"支付单", "payment", f.payment_at, true},
                  {"运单", "waybill", f.waybill_at, false}};
    std::vector<std::string> late;
    std::string text;
    for (const Doc& d : docs) {
      if (d.at.millis == 0) continue;
      int64_t gap = f.declared.millis - d.at.millis;
      if (gap > max_ms) {
        late.push_back(Json().Str("document", d.en).Num("hoursBeforeList", gap / kHourMs).Done());
        text += std::string(d.zh) + "早于清单" + std::to_string(gap / kHourMs) + "小时到达；";
      } else if (-gap > max_ms) {
        late.push_back(Json().Str("document", d.en).Num("hoursAfterList", -gap / kHourMs).Done());
        text += std::string(d.zh) + "晚于清单" + std::to_string(-gap / kHourMs) + "小时到达；";
      } else if (out_of_order && gap < 0 && d.before_list) {
        // The list declared a sale the platform or the payment firm had not yet reported.
        late.push_back(Json().Str("document", d.en).Num("minutesAfterList", -gap / 60000).Done());
        text += std::string(d.zh) + "晚于清单" + std::to_string(-gap / 60000) +
                "分钟到达（顺序异常）；";
      }
    }
    if (late.empty()) return;
    Hit h = MakeHit(r, f);
    h.evidence = Json().Num("maxHours", max_ms / kHourMs).Raw("documents", Array(late)).Done();
    h.explanation = r->description_zh + "：" + text + " (documents more than " +
                    std::to_string(max_ms / kHourMs) +
                    " hours apart from the list, or an order or payment after its list)";
    hits.push_back(std::move(h));
  }

  // return_rate: once a day per enterprise, the recent months' returns against lists.
  Status ScreenReturns(store::WriteTxn& txn, const clearance::ScreenFacts& f,
                       const EnterpriseStats& s, std::vector<Hit>& hits) const {
    const Rule* r = RuleAt("return_rate", f.declared);
    if (r == nullptr || f.ebc_code.empty()) return Status::Ok();
    int64_t window_days = r->IntParam("window_days", 60);
    int64_t months = std::max<int64_t>(1, (window_days + 29) / 30);
    int64_t lists = 0, returns = 0;
    for (size_t i = s.months.size();
         i-- > 0 && static_cast<int64_t>(s.months.size() - i) <= months;) {
      lists += s.months[i].lists;
      returns += s.months[i].returns;
    }
    if (lists < r->IntParam("min_lists", 50)) return Status::Ok();
    Decimal rate = Decimal::FromInt(returns).Div(Decimal::FromInt(lists));
    if (rate <= r->Param("max_rate", Decimal::FromUnits(Decimal::kOne / 5))) return Status::Ok();
    std::string flag = f.ebc_code + "|" + DayOf(f.declared);
    ASSIGN_OR_RETURN(std::optional<std::string> done, txn.GetState("risk.entday", flag));
    if (done) return Status::Ok();
    RETURN_IF_ERROR(txn.PutState("risk.entday", flag, "1"));
    Hit h = MakeHit(r, f);
    h.evidence = Json()
                     .Str("ebcCode", f.ebc_code)
                     .Num("months", months)
                     .Num("lists", lists)
                     .Num("returns", returns)
                     .Str("rate", rate.RoundTo(4).ToShortString())
                     .Done();
    h.explanation = "电商企业[" + f.ebc_code + "]近" + std::to_string(months) + "个月退货" +
                    std::to_string(returns) + "票/清单" + std::to_string(lists) + "票，退货率" +
                    rate.Mul(Decimal::FromInt(100)).RoundTo(1).ToShortString() +
                    "% (the enterprise's return rate over recent months is high)";
    hits.push_back(std::move(h));
    return Status::Ok();
  }

  // ---------------------------------------------------------------- lanes and records

  // Four independent uniform draws in [0, 1) from one keyed hash of `seed` (48 bits each):
  // reproducible, not predictable without the platform's key.
  struct Draws {
    std::array<Decimal, 4> d;
    Decimal at(size_t i) const { return d[i]; }
  };
  Draws DrawsFor(const std::string& seed) const {
    std::string h = opt_.vault ? opt_.vault->KeyedHash(seed) : std::string();
    if (h.size() < 48) {  // no vault (tests of the lane logic alone): FNV-1a, not secret
      uint64_t x = 1469598103934665603ULL;
      for (unsigned char c : seed) x = (x ^ c) * 1099511628211ULL;
      h.clear();
      for (int i = 0; i < 4; ++i) {
        x = (x ^ static_cast<uint64_t>(i)) * 1099511628211ULL;
        char buf[17];
        std::snprintf(buf, sizeof buf, "%012llx", static_cast<unsigned long long>(x >> 16));
        h += buf;
      }
    }
    Draws out;
    for (size_t i = 0; i < 4; ++i) {
      uint64_t v = std::stoull(h.substr(i * 12, 12), nullptr, 16);
      out.d[i] = Decimal::FromUnits(static_cast<__int128>(v) * Decimal::kOne >> 48);
    }
    return out;
  }
  static Decimal Half() { return Decimal::FromUnits(Decimal::kOne / 2); }

  StatusOr<const CreditLevel*> WorstLevel(store::WriteTxn& txn,
                                          const clearance::ScreenFacts& f) const {
    const CreditLevel* worst = opt_.tables->Level("regular");
    std::set<std::string> codes{f.ebc_code, f.ebp_code, f.agent_code};
    for (const std::string& code : codes) {
      if (code.empty()) continue;
      ASSIGN_OR_RETURN(std::optional<std::string> text, txn.GetState("credit.level", code));
      if (!text) continue;
      const CreditLevel* l = LevelAt(DecodeLevels(code, *text), f.declared);
      if (worst == opt_.tables->Level("regular") && l != worst) {
        worst = l;  // any level set replaces the default regular
      } else if (l->rank > worst->rank) {
        worst = l;
      }
    }
    return worst;
  }

  const CreditLevel* LevelAt(const std::vector<CreditLevelRecord>& history, Timestamp at) const {
    const CreditLevel* level = opt_.tables->Level("regular");
    for (const CreditLevelRecord& r : history) {
      auto from = ParseDate(r.from);
      if (!from.ok() || *from > at) continue;
      if (const CreditLevel* l = opt_.tables->Level(r.level)) level = l;
    }
    return level;
  }

  static std::string EncodeLevels(const std::vector<CreditLevelRecord>& v) {
    std::string out;
    for (const CreditLevelRecord& r : v) {
      if (!out.empty()) out += '\n';
      out += r.from + kField + r.level + kField + r.reason;
    }
    return out;
  }
  static std::vector<CreditLevelRecord> DecodeLevels(const std::string& code,
                                                     std::string_view text) {
    std::vector<CreditLevelRecord> out;
    for (const std::string& line : SplitOn(text, '\n')) {
      std::vector<std::string> f = SplitOn(line, kField);
      if (f.size() < 2) continue;
      out.push_back({code, f[1], f[0], f.size() > 2 ? f[2] : ""});
    }
    return out;
  }

  Status PutHit(store::WriteTxn& txn, const Hit& h, const std::string& lane) const {
    std::string json = Json()
                           .Str("id", HitKey(h))
                           .Str("time", FormatIso(h.time))
                           .Str("rule", h.rule->id)
                           .Num("version", h.rule->version)
                           .Str("severity", h.rule->severity)
                           .Str("action", std::string(ActionName(h.rule->action)))
                           .Str("lane", lane)
                           .Str("direction", h.export_list ? "export" : "import")
                           .Raw("document", Json()
                                                .Str("kind", "inventories")
                                                .Str("copNo", CopNoOf(h.key))
                                                .Str("agentCode", AgentOf(h.key))
                                                .Done())
                           .Str("ebcCode", h.ebc)
                           .Str("buyer", FieldOf(h.evidence, "buyer"))
                           .Str("explanation", h.explanation)
                           .Raw("evidence", h.evidence.empty() ? "{}" : h.evidence)
                           .Done();
    return txn.PutState("risk.hit", HitKey(h), json);
  }

  Status CountRule(store::WriteTxn& txn, const std::string& id, int64_t hits, int64_t inspected,
                   int64_t found) const {
    ASSIGN_OR_RETURN(std::optional<std::string> s, txn.GetState("risk.rstat", id));
    int64_t c[3] = {0, 0, 0};
    if (s) {
      std::vector<std::string> parts = SplitOn(*s, ',');
      for (size_t i = 0; i < parts.size() && i < 3; ++i) c[i] = std::stoll(parts[i]);
    }
    c[0] += hits;
    c[1] += inspected;
    c[2] += found;
    return txn.PutState(
        "risk.rstat", id,
        std::to_string(c[0]) + "," + std::to_string(c[1]) + "," + std::to_string(c[2]));
  }

  StatusOr<EnterpriseStats> LoadStats(store::WriteTxn& txn, const std::string& code) const {
    if (code.empty()) return EnterpriseStats{};
    ASSIGN_OR_RETURN(std::optional<std::string> s, txn.GetState("credit.stats", code));
    return DecodeStats(s.value_or(""));
  }

  // The string value of a top-level field of JSON this module wrote ("" if absent).
  static std::string FieldOf(const std::string& json, const std::string& field) {
    std::string pat = "\"" + field + "\":\"";
    size_t at = json.find(pat);
    if (at == std::string::npos) return "";
    size_t start = at + pat.size();
    std::string out;
    for (size_t i = start; i < json.size(); ++i) {
      if (json[i] == '\\' && i + 1 < json.size()) {
        out += json[++i];
        continue;
      }
      if (json[i] == '"') break;
      out += json[i];
    }
    return out;
  }

  static std::vector<std::string> HitKeysOf(const std::string& dec) {
    std::vector<std::string> out;
    size_t at = dec.find("\"hits\":[");
    if (at == std::string::npos) return out;
    size_t end = dec.find(']', at);
    std::string list = dec.substr(at + 8, end - at - 8);
    for (std::string item : SplitOn(list, ',')) {
      if (item.size() >= 2) out.push_back(item.substr(1, item.size() - 2));
    }
    return out;
  }

  store::Store* store_;
  Options opt_;
};

}  // namespace

StatusOr<std::unique_ptr<Risk>> Risk::Create(store::Store* store, Options options) {
  if (options.tables == nullptr) {
    ASSIGN_OR_RETURN(options.tables, Tables::BuiltIn());
  }
  return std::unique_ptr<Risk>(new RiskImpl(store, std::move(options)));
}

}  // namespace shumao::risk

// The data risk control runs on, each table a CSV file in data/risk/ (compiled in; a
// zone replaces them with `--risk-data DIR`). Provenance in data/SOURCES.md and
// docs/risk.md: the rule parameters, lane targets and credit effects are the platform's
// documented defaults, not published figures, and the goods tables are stand-ins.
//
//   rules.csv          id,version,effective_from,severity,action,params,description_zh,
//                      description_en    (params: name=value;name=value)
//   lanes.csv          effective_from,inspect_target,review_target,random_share,version
//   credit_levels.csv  level,scheme,name_zh,name_en,inspect_factor,inspect_floor,
//                      review_factor,auto_release,guarantee_required,published,source
//   credit_score.csv   component,unit,penalty_per_unit,max_penalty,description_zh,
//                      description_en
//   hs_keywords.csv    chapter,keywords,note          (keywords: a|b|c)
//   prohibited.csv     kind,match,value,reason_zh,reason_en,source
//   positive_list.csv  hs_prefix,description,source
#ifndef SHUMAO_RISK_TABLES_H_
#define SHUMAO_RISK_TABLES_H_

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "common/decimal.h"
#include "common/status.h"
#include "common/time.h"

namespace shumao::risk {

enum class Action { kInspect, kReview, kAlert };
std::string_view ActionName(Action a);  // "inspect", "review", "alert"

struct Rule {
  std::string id;
  int version = 1;
  Timestamp effective_from;
  std::string severity;  // high, medium, low
  Action action = Action::kAlert;
  std::map<std::string, std::string> params;
  std::string description_zh, description_en;

  // A parameter as a number; `fallback` when absent.
  Decimal Param(const std::string& name, Decimal fallback) const;
  int64_t IntParam(const std::string& name, int64_t fallback) const;
};

struct LaneTargets {
  Timestamp effective_from;
  Decimal inspect, review;  // target shares of lists (0..1)
  Decimal random_share;     // the part of each target drawn purely at random
  std::string version;
};

struct CreditLevel {
  std::string level;  // advanced_certified, certified, regular, dishonest, seriously_dishonest
  std::string scheme, name_zh, name_en;
  Decimal inspect_factor, inspect_floor, review_factor;
  bool auto_release = true;
  bool guarantee_required = false;
  bool published = false;  // on the dishonest list
  int rank = 0;            // order of the rows: higher is worse
};

struct ScoreComponent {
  std::string component;  // refusal_rate, confirmed_hits, return_rate, late_tax, complaints
  std::string unit;       // "percent" (of lists) or "count"
  Decimal penalty_per_unit, max_penalty;
  std::string description_zh, description_en;
};

struct ProhibitedRow {
  std::string kind;   // prohibited, restricted
  std::string match;  // hs, keyword
  std::string value, reason_zh, reason_en;
};

class Tables {
 public:
  // The tables compiled in (data/risk/*.csv).
  static StatusOr<std::shared_ptr<const Tables>> BuiltIn();
  // The tables of a folder; a file missing there is taken from the compiled-in set.
  static StatusOr<std::shared_ptr<const Tables>> Load(const std::string& dir);
  // Parses the tables from their texts by file name; InvalidArgument names the file, line
  // and column of a bad value.
  static StatusOr<std::shared_ptr<const Tables>> Parse(
      const std::map<std::string, std::string>& files);

  // The version of each rule in force at `t` (rules not yet in force are left out).
  std::vector<const Rule*> RulesAt(Timestamp t) const;
  const Rule* RuleAt(const std::string& id, Timestamp t) const;
  const LaneTargets& LanesAt(Timestamp t) const;
  // The level by code or by a 3-level scheme name (高级认证, 一般信用, 失信...); null if none.
  const CreditLevel* Level(const std::string& code) const;
  const std::vector<CreditLevel>& levels() const { return levels_; }
  const std::vector<ScoreComponent>& score() const { return score_; }

  // The HS chapters a goods name speaks of (empty when no keyword occurs), with the
  // keywords that matched.
  std::vector<std::pair<std::string, std::string>> ChaptersOfName(const std::string& name) const;
  // The prohibited or restricted rows a line matches.
  std::vector<const ProhibitedRow*> Prohibited(const std::string& gcode,
                                               const std::string& gname) const;
  // Whether a code falls under a positive-list prefix.
  bool OnPositiveList(const std::string& gcode) const;
  bool HasPositiveList() const { return !positive_.empty(); }  // none: the rule is off

 private:
  std::vector<Rule> rules_;
  std::vector<LaneTargets> lanes_;
  std::vector<CreditLevel> levels_;
  std::vector<ScoreComponent> score_;
  std::vector<std::pair<std::string, std::string>> keywords_;  // lowercased keyword, chapter
  std::vector<ProhibitedRow> prohibited_;
  // The keywords (and prohibited keyword rows) by their first UTF-8 character, so that a
  // name is matched in one pass over its characters.
  std::unordered_map<uint32_t, std::vector<size_t>> keywords_by_first_;
  std::unordered_map<uint32_t, std::vector<size_t>> prohibited_by_first_;
  // HS prefixes by their text, and the prefix lengths in use: a code is matched with one
  // look-up per length.
  std::unordered_map<std::string, std::vector<size_t>> prohibited_hs_;
  std::vector<size_t> prohibited_hs_lengths_;
  std::unordered_map<std::string, bool> positive_set_;
  std::vector<size_t> positive_lengths_;
  std::vector<std::string> positive_;
};

}  // namespace shumao::risk

#endif  // SHUMAO_RISK_TABLES_H_

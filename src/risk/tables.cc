#include "risk/tables.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

#include "common/code_tables.h"
#include "common/strings.h"
#include "risk/records.h"

namespace shumao::risk {
namespace {

constexpr const char* kFiles[] = {"rules.csv",        "lanes.csv",       "credit_levels.csv",
                                  "credit_score.csv", "hs_keywords.csv", "prohibited.csv",
                                  "positive_list.csv"};

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string Trim(const std::string& s) {
  size_t a = s.find_first_not_of(" \t\r");
  if (a == std::string::npos) return "";
  size_t b = s.find_last_not_of(" \t\r");
  return s.substr(a, b - a + 1);
}

// One CSV table: the header's column names and the rows, each with its line number.
class Csv {
 public:
  static StatusOr<Csv> Parse(const std::string& file, std::string_view text,
                             const std::vector<std::string>& required) {
    Csv csv;
    csv.file_ = file;
    std::istringstream in{std::string(text)};
    std::string line;
    int n = 0;
    while (std::getline(in, line)) {
      ++n;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (Trim(line).empty()) continue;
      std::vector<std::string> fields = SplitCsvLine(line);
      if (csv.header_.empty()) {
        csv.header_ = fields;
        for (const std::string& r : required) {
          if (std::find(fields.begin(), fields.end(), r) == fields.end()) {
            return InvalidArgument(file + ": the header has no column " + r, file);
          }
        }
        continue;
      }
      fields.resize(csv.header_.size());
      csv.rows_.push_back({n, std::move(fields)});
    }
    if (csv.header_.empty()) return InvalidArgument(file + " is empty", file);
    return csv;
  }

  struct Row {
    int line;
    std::vector<std::string> fields;
  };
  const std::vector<Row>& rows() const { return rows_; }

  std::string Get(const Row& r, const std::string& column) const {
    for (size_t i = 0; i < header_.size(); ++i) {
      if (header_[i] == column) return Trim(r.fields[i]);
    }
    return "";
  }
  Status Bad(const Row& r, const std::string& column, const std::string& why) const {
    return InvalidArgument(
        file_ + " line " + std::to_string(r.line) + ", column " + column + ": " + why,
        file_ + ":" + std::to_string(r.line) + ":" + column);
  }
  StatusOr<Decimal> Number(const Row& r, const std::string& column) const {
    std::string v = Get(r, column);
    auto d = Decimal::Parse(v);
    if (!d.ok()) return Bad(r, column, "not a number: \"" + v + "\"");
    return *d;
  }
  StatusOr<Decimal> Share(const Row& r, const std::string& column) const {
    ASSIGN_OR_RETURN(Decimal d, Number(r, column));
    if (d.IsNegative() || d > Decimal::FromInt(1)) return Bad(r, column, "not a share from 0 to 1");
    return d;
  }
  StatusOr<Timestamp> Date(const Row& r, const std::string& column) const {
    std::string v = Get(r, column);
    auto t = ParseDate(v);
    if (!t.ok()) return Bad(r, column, "not a date YYYY-MM-DD: \"" + v + "\"");
    return *t;
  }
  StatusOr<bool> YesNo(const Row& r, const std::string& column) const {
    std::string v = Get(r, column);
    if (v == "yes") return true;
    if (v == "no") return false;
    return Bad(r, column, "not yes or no: \"" + v + "\"");
  }

 private:
  std::string file_;
  std::vector<std::string> header_;
  std::vector<Row> rows_;
};

// The bytes of the UTF-8 character starting at s[i] (1 for a stray continuation byte).
size_t CharLength(std::string_view s, size_t i) {
  unsigned char c = static_cast<unsigned char>(s[i]);
  size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 1;
  return std::min(n, s.size() - i);
}

// The bytes of the UTF-8 character at s[i], packed into one number (the index key).
uint32_t CharKey(std::string_view s, size_t i) {
  uint32_t key = 0;
  for (size_t n = CharLength(s, i), k = 0; k < n; ++k) {
    key = (key << 8) | static_cast<unsigned char>(s[i + k]);
  }
  return key;
}

// The indices of the words (indexed by their first character) that occur in `text`, in
// index order (file order, as a plain scan would give).
template <typename WordOf>
std::vector<size_t> MatchWords(const std::string& text,
                               const std::unordered_map<uint32_t, std::vector<size_t>>& by_first,
                               WordOf word_of) {
  std::vector<size_t> out;
  for (size_t i = 0; i < text.size(); i += CharLength(text, i)) {
    auto it = by_first.find(CharKey(text, i));
    if (it == by_first.end()) continue;
    for (size_t k : it->second) {
      const std::string& w = word_of(k);
      if (text.compare(i, w.size(), w) == 0) out.push_back(k);
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

}  // namespace

std::string_view ActionName(Action a) {
  switch (a) {
    case Action::kInspect: return "inspect";
    case Action::kReview: return "review";
    case Action::kAlert: return "alert";
  }
  return "alert";
}

Decimal Rule::Param(const std::string& name, Decimal fallback) const {
  auto it = params.find(name);
  if (it == params.end()) return fallback;
  auto d = Decimal::Parse(it->second);
  return d.ok() ? *d : fallback;
}

int64_t Rule::IntParam(const std::string& name, int64_t fallback) const {
  auto it = params.find(name);
  if (it == params.end() || !IsDigits(it->second)) return fallback;
  return std::stoll(it->second);
}

StatusOr<std::shared_ptr<const Tables>> Tables::BuiltIn() {
  std::map<std::string, std::string> files;
  for (const char* f : kFiles) files[f] = std::string(EmbeddedFile(f));
  return Parse(files);
}

StatusOr<std::shared_ptr<const Tables>> Tables::Load(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const char* f : kFiles) {
    std::ifstream in(dir + "/" + f, std::ios::binary);
    if (in) {
      std::ostringstream ss;
      ss << in.rdbuf();
      files[f] = ss.str();
    } else {
      files[f] = std::string(EmbeddedFile(f));
    }
  }
  return Parse(files);
}

StatusOr<std::shared_ptr<const Tables>> Tables::Parse(
    const std::map<std::string, std::string>& files) {
  auto text = [&files](const char* name) -> std::string_view {
    auto it = files.find(name);
    return it == files.end() ? std::string_view() : std::string_view(it->second);
  };
  auto t = std::shared_ptr<Tables>(new Tables());

  ASSIGN_OR_RETURN(Csv rules, Csv::Parse("rules.csv", text("rules.csv"),
                                         {"id", "version", "effective_from", "severity", "action",
                                          "params", "description_zh", "description_en"}));
  for (const Csv::Row& r : rules.rows()) {
    Rule rule;
    rule.id = rules.Get(r, "id");
    if (rule.id.empty()) return rules.Bad(r, "id", "missing");
    std::string version = rules.Get(r, "version");
    if (!IsDigits(version)) return rules.Bad(r, "version", "not a whole number");
    rule.version = std::stoi(version);
    ASSIGN_OR_RETURN(rule.effective_from, rules.Date(r, "effective_from"));
    rule.severity = rules.Get(r, "severity");
    if (rule.severity != "high" && rule.severity != "medium" && rule.severity != "low") {
      return rules.Bad(r, "severity", "not high, medium or low");
    }
    std::string action = rules.Get(r, "action");
    if (action == "inspect") {
      rule.action = Action::kInspect;
    } else if (action == "review") {
      rule.action = Action::kReview;
    } else if (action == "alert") {
      rule.action = Action::kAlert;
    } else {
      return rules.Bad(r, "action", "not inspect, review or alert");
    }
    std::string params = rules.Get(r, "params");
    if (!params.empty()) {
      for (const std::string& kv : SplitOn(params, ';')) {
        size_t eq = kv.find('=');
        if (eq == std::string::npos)
          return rules.Bad(r, "params", "\"" + kv + "\" is not name=value");
        std::string value = Trim(kv.substr(eq + 1));
        if (!Decimal::Parse(value).ok()) {
          return rules.Bad(r, "params", "\"" + kv + "\" is not a number");
        }
        rule.params[Trim(kv.substr(0, eq))] = value;
      }
    }
    rule.description_zh = rules.Get(r, "description_zh");
    rule.description_en = rules.Get(r, "description_en");
    t->rules_.push_back(std::move(rule));
  }

  ASSIGN_OR_RETURN(Csv lanes, Csv::Parse("lanes.csv", text("lanes.csv"),
                                         {"effective_from", "inspect_target", "review_target",
                                          "random_share", "version"}));
  for (const Csv::Row& r : lanes.rows()) {
    LaneTargets l;
    ASSIGN_OR_RETURN(l.effective_from, lanes.Date(r, "effective_from"));
    ASSIGN_OR_RETURN(l.inspect, lanes.Share(r, "inspect_target"));
    ASSIGN_OR_RETURN(l.review, lanes.Share(r, "review_target"));
    ASSIGN_OR_RETURN(l.random_share, lanes.Share(r, "random_share"));
    l.version = lanes.Get(r, "version");
    t->lanes_.push_back(std::move(l));
  }
  if (t->lanes_.empty()) return InvalidArgument("lanes.csv has no rows", "lanes.csv");
  std::sort(t->lanes_.begin(), t->lanes_.end(), [](const LaneTargets& a, const LaneTargets& b) {
    return a.effective_from < b.effective_from;
  });

  ASSIGN_OR_RETURN(Csv levels, Csv::Parse("credit_levels.csv", text("credit_levels.csv"),
                                          {"level", "scheme", "name_zh", "name_en",
                                           "inspect_factor", "inspect_floor", "review_factor",
                                           "auto_release", "guarantee_required", "published"}));
  for (const Csv::Row& r : levels.rows()) {
    CreditLevel c;
    c.level = levels.Get(r, "level");
    c.scheme = levels.Get(r, "scheme");
    c.name_zh = levels.Get(r, "name_zh");
    c.name_en = levels.Get(r, "name_en");
    ASSIGN_OR_RETURN(c.inspect_factor, levels.Number(r, "inspect_factor"));
    ASSIGN_OR_RETURN(c.inspect_floor, levels.Share(r, "inspect_floor"));
    ASSIGN_OR_RETURN(c.review_factor, levels.Number(r, "review_factor"));
    ASSIGN_OR_RETURN(c.auto_release, levels.YesNo(r, "auto_release"));
    ASSIGN_OR_RETURN(c.guarantee_required, levels.YesNo(r, "guarantee_required"));
    ASSIGN_OR_RETURN(c.published, levels.YesNo(r, "published"));
    c.rank = static_cast<int>(t->levels_.size());
    t->levels_.push_back(std::move(c));
  }
  if (t->Level("regular") == nullptr) {
    return InvalidArgument("credit_levels.csv has no level \"regular\"", "credit_levels.csv");
  }

  ASSIGN_OR_RETURN(Csv score, Csv::Parse("credit_score.csv", text("credit_score.csv"),
                                         {"component", "unit", "penalty_per_unit", "max_penalty",
                                          "description_zh", "description_en"}));
  for (const Csv::Row& r : score.rows()) {
    ScoreComponent c;
    c.component = score.Get(r, "component");
    c.unit = score.Get(r, "unit");
    if (c.unit != "percent" && c.unit != "count")
      return score.Bad(r, "unit", "not percent or count");
    ASSIGN_OR_RETURN(c.penalty_per_unit, score.Number(r, "penalty_per_unit"));
    ASSIGN_OR_RETURN(c.max_penalty, score.Number(r, "max_penalty"));
    c.description_zh = score.Get(r, "description_zh");
    c.description_en = score.Get(r, "description_en");
    t->score_.push_back(std::move(c));
  }

  ASSIGN_OR_RETURN(Csv kw,
                   Csv::Parse("hs_keywords.csv", text("hs_keywords.csv"), {"chapter", "keywords"}));
  for (const Csv::Row& r : kw.rows()) {
    std::string chapter = kw.Get(r, "chapter");
    if (chapter.size() != 2 || !IsDigits(chapter)) return kw.Bad(r, "chapter", "not 2 digits");
    for (const std::string& k : SplitOn(kw.Get(r, "keywords"), '|')) {
      std::string word = Lower(Trim(k));
      if (!word.empty()) t->keywords_.emplace_back(word, chapter);
    }
  }

  ASSIGN_OR_RETURN(Csv pr, Csv::Parse("prohibited.csv", text("prohibited.csv"),
                                      {"kind", "match", "value", "reason_zh", "reason_en"}));
  for (const Csv::Row& r : pr.rows()) {
    ProhibitedRow p;
    p.kind = pr.Get(r, "kind");
    if (p.kind != "prohibited" && p.kind != "restricted") {
      return pr.Bad(r, "kind", "not prohibited or restricted");
    }
    p.match = pr.Get(r, "match");
    p.value = pr.Get(r, "value");
    if (p.match == "hs") {
      if (!IsDigits(p.value)) return pr.Bad(r, "value", "an HS prefix is digits");
    } else if (p.match == "keyword") {
      p.value = Lower(p.value);
      if (p.value.empty()) return pr.Bad(r, "value", "empty keyword");
    } else {
      return pr.Bad(r, "match", "not hs or keyword");
    }
    p.reason_zh = pr.Get(r, "reason_zh");
    p.reason_en = pr.Get(r, "reason_en");
    t->prohibited_.push_back(std::move(p));
  }

  ASSIGN_OR_RETURN(Csv pos,
                   Csv::Parse("positive_list.csv", text("positive_list.csv"), {"hs_prefix"}));
  for (const Csv::Row& r : pos.rows()) {
    std::string prefix = pos.Get(r, "hs_prefix");
    if (!IsDigits(prefix)) return pos.Bad(r, "hs_prefix", "not digits");
    t->positive_.push_back(prefix);
  }
  for (size_t i = 0; i < t->keywords_.size(); ++i) {
    t->keywords_by_first_[CharKey(t->keywords_[i].first, 0)].push_back(i);
  }
  for (size_t i = 0; i < t->prohibited_.size(); ++i) {
    const ProhibitedRow& p = t->prohibited_[i];
    if (p.match == "hs") {
      t->prohibited_hs_[p.value].push_back(i);
      t->prohibited_hs_lengths_.push_back(p.value.size());
    } else {
      t->prohibited_by_first_[CharKey(p.value, 0)].push_back(i);
    }
  }
  for (const std::string& p : t->positive_) {
    t->positive_set_[p] = true;
    t->positive_lengths_.push_back(p.size());
  }
  for (std::vector<size_t>* v : {&t->prohibited_hs_lengths_, &t->positive_lengths_}) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  return std::shared_ptr<const Tables>(std::move(t));
}

std::vector<const Rule*> Tables::RulesAt(Timestamp t) const {
  std::map<std::string, const Rule*> latest;
  for (const Rule& r : rules_) {
    if (r.effective_from > t) continue;
    auto& slot = latest[r.id];
    if (slot == nullptr || slot->effective_from <= r.effective_from) slot = &r;
  }
  std::vector<const Rule*> out;
  for (const Rule& r : rules_) {  // file order
    auto it = latest.find(r.id);
    if (it != latest.end() && it->second == &r) out.push_back(&r);
  }
  return out;
}

const Rule* Tables::RuleAt(const std::string& id, Timestamp t) const {
  const Rule* best = nullptr;
  for (const Rule& r : rules_) {
    if (r.id != id || r.effective_from > t) continue;
    if (best == nullptr || best->effective_from <= r.effective_from) best = &r;
  }
  return best;
}

const LaneTargets& Tables::LanesAt(Timestamp t) const {
  const LaneTargets* best = &lanes_.front();
  for (const LaneTargets& l : lanes_) {
    if (l.effective_from <= t) best = &l;
  }
  return *best;
}

const CreditLevel* Tables::Level(const std::string& code) const {
  static const std::pair<const char*, const char*> kAliases[] = {
      {"general", "regular"},
      {"一般信用企业", "regular"},
      {"常规管理企业", "regular"},
      {"一般认证企业", "certified"},
      {"高级认证", "advanced_certified"},
      {"失信", "dishonest"},
      {"严重失信", "seriously_dishonest"}};
  std::string want = code;
  for (const auto& [alias, level] : kAliases) {
    if (code == alias) want = level;
  }
  for (const CreditLevel& c : levels_) {
    if (c.level == want || c.name_zh == want) return &c;
  }
  return nullptr;
}

std::vector<std::pair<std::string, std::string>> Tables::ChaptersOfName(
    const std::string& name) const {
  std::vector<size_t> matched =
      MatchWords(Lower(name), keywords_by_first_,
                 [this](size_t k) -> const std::string& { return keywords_[k].first; });
  std::vector<std::pair<std::string, std::string>> out;
  for (size_t k : matched) {
    const auto& [word, chapter] = keywords_[k];
    bool seen =
        std::any_of(out.begin(), out.end(), [&](const auto& p) { return p.first == chapter; });
    if (!seen) out.emplace_back(chapter, word);
  }
  return out;
}

std::vector<const ProhibitedRow*> Tables::Prohibited(const std::string& gcode,
                                                     const std::string& gname) const {
  std::vector<size_t> rows;
  for (size_t n : prohibited_hs_lengths_) {
    if (n > gcode.size()) break;
    auto it = prohibited_hs_.find(gcode.substr(0, n));
    if (it != prohibited_hs_.end()) rows.insert(rows.end(), it->second.begin(), it->second.end());
  }
  std::vector<size_t> words =
      MatchWords(Lower(gname), prohibited_by_first_,
                 [this](size_t k) -> const std::string& { return prohibited_[k].value; });
  rows.insert(rows.end(), words.begin(), words.end());
  std::sort(rows.begin(), rows.end());
  rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
  std::vector<const ProhibitedRow*> out;
  for (size_t k : rows) out.push_back(&prohibited_[k]);
  return out;
}

bool Tables::OnPositiveList(const std::string& gcode) const {
  for (size_t n : positive_lengths_) {
    if (n > gcode.size()) break;
    if (positive_set_.count(gcode.substr(0, n))) return true;
  }
  return false;
}

}  // namespace shumao::risk

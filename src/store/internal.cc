#include "store/internal.h"

#include <algorithm>

namespace shumao::store {

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string out;
  for (const std::string& role : roles) {
    if (!out.empty()) out += ',';
    out += role;
  }
  return out;
}

std::vector<std::string> SplitRoles(std::string_view text) {
  std::vector<std::string> roles;
  while (!text.empty()) {
    size_t comma = text.find(',');
    std::string_view part = text.substr(0, comma);
    if (!part.empty()) roles.emplace_back(part);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return roles;
}

std::string PartiesLikePattern(std::string_view code) {
  std::string out = "%,";
  for (char c : code) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  out += ",%";
  return out;
}

std::string_view PrincipalKindName(registry::Principal::Kind kind) {
  return kind == registry::Principal::Kind::kUser ? "user" : "enterprise";
}

StatusOr<registry::Principal::Kind> ParsePrincipalKind(std::string_view name) {
  if (name == "enterprise") return registry::Principal::Kind::kEnterprise;
  if (name == "user") return registry::Principal::Kind::kUser;
  return Internal("store: unknown principal kind in tokens: " + std::string(name));
}

Status TxnUnusable(bool committed, const Status& failure) {
  if (committed) return Status(Code::kFailedPrecondition, "store: transaction already committed");
  return Status(Code::kFailedPrecondition,
                "store: transaction failed earlier and must be dropped: " + failure.ToString());
}

namespace {

constexpr const char* kStatKeyColumns[] = {"dim",        "grain", "period", "direction",
                                           "trade_mode", "zone",  "ebc",    "dim_value"};

std::string Param(char placeholder, int i) { return placeholder + std::to_string(i); }

}  // namespace

uint32_t StatFilters(const StatQuery& q) {
  return (q.direction.empty() ? 0 : 1) | (q.trade_mode.empty() ? 0 : 2) | (q.zone.empty() ? 0 : 4) |
         (q.ebc.empty() ? 0 : 8);
}

std::vector<const std::string*> StatFilterValues(const StatQuery& q) {
  std::vector<const std::string*> out;
  for (const std::string* v : {&q.direction, &q.trade_mode, &q.zone, &q.ebc}) {
    if (!v->empty()) out.push_back(v);
  }
  return out;
}

StatusOr<std::string> StatScanSql(std::string_view group, uint32_t counters, uint32_t filters,
                                  char placeholder) {
  std::string column;
  if (group.empty()) {
    column = "''";
  } else if (group == "month") {
    column = "period";
  } else if (group == "dim_value2") {
    column = "dim_value";
  } else if (group == "period" || group == "direction" || group == "trade_mode" ||
             group == "zone" || group == "ebc" || group == "dim_value") {
    column = std::string(group);
  } else {
    return InvalidArgument("unknown statistics group '" + std::string(group) + "'");
  }
  std::string sql = "SELECT " + column + ", dim_value";
  for (int i = 0; i < kStatCounters; ++i) {
    if (counters & (1u << i)) sql += ", n" + std::to_string(i);
  }
  auto p = [&](int i) { return Param(placeholder, i); };
  sql += " FROM stat_cells WHERE dim = " + p(1) + " AND grain = " + p(2) +
         " AND period >= " + p(3) + " AND period <= " + p(4);
  const char* columns[] = {"direction", "trade_mode", "zone", "ebc"};
  int next = 5;
  for (int i = 0; i < 4; ++i) {
    if (filters & (1u << i)) sql += std::string(" AND ") + columns[i] + " = " + p(next++);
  }
  return sql;
}

StatFolder::StatFolder(const StatQuery& q) : q_(q) {
  for (int i = 0; i < kStatCounters; ++i) {
    if (q.counters & (1u << i)) counters_.push_back(i);
  }
}

void StatFolder::Add(std::string_view group_column, std::string_view dim_value,
                     const int64_t* counters) {
  std::string_view key = group_column;
  if (q_.group == "month") key = key.substr(0, 7);
  if (q_.group == "dim_value2") key = key.substr(0, 2);
  scratch_.assign(key);
  if (q_.and_dim_value) {
    scratch_ += '\x1f';
    scratch_ += dim_value;
  }
  auto it = groups_.find(scratch_);  // no allocation for a group seen before
  if (it == groups_.end()) {
    it = groups_.emplace(scratch_, StatGroup{}).first;
    it->second.key = std::string(key);
    if (q_.and_dim_value) it->second.dim_value = std::string(dim_value);
  }
  for (size_t i = 0; i < counters_.size(); ++i) it->second.n[counters_[i]] += counters[i];
}

std::vector<StatGroup> StatFolder::Done() {
  std::vector<StatGroup> out;
  out.reserve(groups_.size());
  for (auto& [k, g] : groups_) out.push_back(std::move(g));
  groups_.clear();
  std::sort(out.begin(), out.end(), [](const StatGroup& a, const StatGroup& b) {
    return a.key != b.key ? a.key < b.key : a.dim_value < b.dim_value;
  });
  return out;
}

std::string StatUpsertSql(char placeholder) {
  std::string cols, values, update;
  int i = 1;
  for (const char* c : kStatKeyColumns) {
    cols += std::string(i > 1 ? ", " : "") + c;
    values += (i > 1 ? ", " : "") + Param(placeholder, i);
    ++i;
  }
  for (int k = 0; k < kStatCounters; ++k, ++i) {
    std::string n = "n" + std::to_string(k);
    cols += ", " + n;
    values += ", " + Param(placeholder, i);
    update += std::string(k > 0 ? ", " : "") + n + " = stat_cells." + n + " + excluded." + n;
  }
  return "INSERT INTO stat_cells (" + cols + ") VALUES (" + values +
         ") ON CONFLICT (dim, grain, period, direction, trade_mode, zone, ebc, dim_value) DO "
         "UPDATE SET " +
         update;
}

}  // namespace shumao::store

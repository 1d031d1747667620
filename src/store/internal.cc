#include "store/internal.h"

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

StatusOr<std::string> StatQuerySql(std::string_view group, bool and_dim_value, char placeholder) {
  std::string key;
  if (group.empty()) {
    key = "dim";  // one value within a query: a single group
  } else if (group == "month") {
    key = "substr(period, 1, 7)";
  } else if (group == "dim_value2") {
    key = "substr(dim_value, 1, 2)";
  } else if (group == "period" || group == "direction" || group == "trade_mode" ||
             group == "zone" || group == "ebc" || group == "dim_value") {
    key = std::string(group);
  } else {
    return InvalidArgument("unknown statistics group '" + std::string(group) + "'");
  }
  if (and_dim_value) key += ", dim_value";
  std::string sql = "SELECT " + key;
  for (int i = 0; i < kStatCounters; ++i) {
    // PostgreSQL's sum of bigint is numeric: cast back to 64 bits.
    sql += ", CAST(sum(n" + std::to_string(i) + ") AS BIGINT)";
  }
  auto p = [&](int i) { return Param(placeholder, i); };
  sql += " FROM stat_cells WHERE dim = " + p(1) + " AND grain = " + p(2) + " AND period >= " +
         p(3) + " AND period <= " + p(4);
  const char* filters[] = {"direction", "trade_mode", "zone", "ebc"};
  for (int i = 0; i < 4; ++i) {
    sql += " AND (" + p(5 + i) + " = '' OR " + filters[i] + " = " + p(5 + i) + ")";
  }
  sql += " GROUP BY " + key + " ORDER BY " + key;
  return sql;
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

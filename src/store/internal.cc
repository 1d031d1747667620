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

}  // namespace shumao::store

#include "registry/authorizer.h"

namespace shumao::registry {

Status CheckSender(const Principal& principal, const Enterprise* sender,
                   const ceb::DocumentSpec& spec, const ceb::Node& head, const std::string& path) {
  if (principal.kind == Principal::Kind::kUser) {
    return Status(Code::kPermissionDenied,
                  "department users do not send declarations; use an enterprise token");
  }
  if (sender == nullptr) {
    return Status(Code::kPermissionDenied, "enterprise " + principal.id + " is not registered");
  }
  if (sender->HasRole("operator")) return Status::Ok();
  std::string roles;
  for (const ceb::SenderRule& rule : spec.senders) {
    if (!roles.empty()) roles += ", ";
    roles += rule.role;
    if (sender->HasRole(rule.role) && head.Get(rule.field) == sender->code) return Status::Ok();
  }
  for (const ceb::SenderRule& rule : spec.senders) {
    if (sender->HasRole(rule.role)) {
      return Status(Code::kPermissionDenied,
                    "enterprise " + sender->code + " may send " + spec.type + " only for its own " +
                        rule.field + ", not for '" + std::string(head.Get(rule.field)) + "'",
                    path + "." + rule.field);
    }
  }
  return Status(Code::kPermissionDenied, "enterprise " + sender->code +
                                             " has no role that may send " + spec.type +
                                             " (roles that may: " + roles + ", operator)");
}

std::optional<PartyProblem> CheckParties(const ceb::Node& head, const EnterpriseLookup& lookup) {
  for (const ceb::PartyField& p : ceb::PartyFields()) {
    std::string_view code = head.Get(p.field);
    if (code.empty() || code == "无" || code == "NO") continue;
    std::optional<Enterprise> e = lookup(std::string(code));
    if (!e) {
      return PartyProblem{"-10102", std::string(p.label_zh) + "代码[" + std::string(code) +
                                        "]未在平台备案 (" + p.field + " is not registered)"};
    }
    if (!e->HasRole(p.role) && !(p.alt_role && e->HasRole(p.alt_role)) && !e->HasRole("operator")) {
      return PartyProblem{"-10101", "企业[" + std::string(code) + "]未备案为" + p.label_zh + " (" +
                                        p.field + " is registered without the role " + p.role +
                                        ")"};
    }
  }
  return std::nullopt;
}

}  // namespace shumao::registry

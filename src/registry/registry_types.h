// Registry value types: enterprises (备案), department users, and the principal a bearer
// token stands for. Plain values; the rules over them are in registry/authorizer.h.
#ifndef SHUMAO_REGISTRY_REGISTRY_TYPES_H_
#define SHUMAO_REGISTRY_REGISTRY_TYPES_H_

#include <string>
#include <string_view>
#include <vector>

namespace shumao::registry {

// Roles of an enterprise, as CONTRACT.md names them. "identity" marks a platform whose
// buyer identity check is recognised (实名认证, 194号 §9): its buyer and payer may differ.
inline constexpr std::string_view kRoles[] = {"ebp",     "ebc",       "agent",    "logistics",
                                              "payment", "warehouse", "operator", "identity"};
// Departments of a department user.
inline constexpr std::string_view kDepartments[] = {"customs", "tax",      "fx",   "commerce",
                                                    "market",  "security", "admin"};

bool IsRole(std::string_view role);
bool IsDepartment(std::string_view department);

struct Enterprise {
  std::string code;  // customs registration code (10) or USCC (18)
  std::string name;
  std::vector<std::string> roles;
  std::string zone;  // the 综试区 it belongs to, e.g. "suzhou"; may be empty
  std::string park;  // the park within the zone; may be empty
  bool HasRole(std::string_view role) const;
};

struct User {
  std::string name;
  std::string department;
};

// Who a bearer token stands for.
struct Principal {
  enum class Kind { kEnterprise, kUser };
  Kind kind = Kind::kEnterprise;
  std::string id;          // enterprise code, or user name
  std::string department;  // for users
};

}  // namespace shumao::registry

#endif  // SHUMAO_REGISTRY_REGISTRY_TYPES_H_

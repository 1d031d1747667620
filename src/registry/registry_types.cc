#include "registry/registry_types.h"

#include <algorithm>

namespace shumao::registry {

bool IsRole(std::string_view role) {
  return std::find(std::begin(kRoles), std::end(kRoles), role) != std::end(kRoles);
}

bool IsDepartment(std::string_view department) {
  return std::find(std::begin(kDepartments), std::end(kDepartments), department) !=
         std::end(kDepartments);
}

bool Enterprise::HasRole(std::string_view role) const {
  return std::find(roles.begin(), roles.end(), role) != roles.end();
}

}  // namespace shumao::registry

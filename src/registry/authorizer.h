// Who may send what (the registry's rules over the CEB catalog):
//   - an enterprise may send a message type if it holds one of the roles the catalog
//     names for it, and the entity's field for that role carries its own code (an ebc
//     only for its own ebcCode, a logistics company only its own waybills);
//   - an operator (transfer node) may send anything for anyone;
//   - department users send no declarations.
// And whether the parties a message names are registered (备案) with the right role.
//
// Pure functions over values; the caller supplies the enterprise lookup.
#ifndef SHUMAO_REGISTRY_AUTHORIZER_H_
#define SHUMAO_REGISTRY_AUTHORIZER_H_

#include <functional>
#include <optional>
#include <string>

#include "ceb/catalog.h"
#include "ceb/message.h"
#include "common/status.h"
#include "registry/registry_types.h"

namespace shumao::registry {

using EnterpriseLookup = std::function<std::optional<Enterprise>(const std::string& code)>;

// PermissionDenied (naming the field) when `sender` may not send this entity.
Status CheckSender(const Principal& principal, const Enterprise* sender,
                   const ceb::DocumentSpec& spec, const ceb::Node& head, const std::string& path);

struct PartyProblem {
  std::string return_status;  // "-10102" not registered, "-10101" wrong enterprise type
  std::string return_info;
};
// The first party code in `head` that is not registered with the role its field needs.
std::optional<PartyProblem> CheckParties(const ceb::Node& head, const EnterpriseLookup& lookup);

}  // namespace shumao::registry

#endif  // SHUMAO_REGISTRY_AUTHORIZER_H_

// What each declaration message means as business documents: the document kind, its
// business key, who may send it, which party codes must be registered, its receipt,
// which fields are personal data, and the standard's return codes for the common
// situations (duplicate, not found, state forbids). One table row per message type.
//
// The return codes marked "pattern" in docs/ceb-return-codes.md are not published per
// type in the sources we have; they follow the order codes (-301009/-301010/-301011)
// and are data here so that they can be corrected in one place.
#ifndef SHUMAO_CEB_CATALOG_H_
#define SHUMAO_CEB_CATALOG_H_

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ceb/message.h"

namespace shumao::ceb {

// A role that may send the message, and the field that must carry the sender's code.
struct SenderRule {
  const char* role;   // "ebc", "logistics", ...
  const char* field;  // "ebcCode", "logisticsCode", ...
};

struct DocumentSpec {
  const char* type;            // "CEB311"
  const char* kind;            // documents API kind: "orders", "inventories", ...
  const char* head;            // the entity's head group ("OrderHead"), or "" if flat
  const char* scope_field;     // uniqueness scope ("ebpCode")
  const char* key_field;       // business key ("orderNo")
  const char* key_fallback;    // used when key_field is absent ("invtNo"), or ""
  const char* alt_key_field;   // second lookup key ("invtNo"), or ""
  const char* receipt_type;    // "CEB312"
  const char* code_exists;     // same key added again (appType 1)
  const char* code_not_found;  // modify/delete of an unknown document
  const char* code_state;      // modify/delete not allowed in the current status
  std::vector<SenderRule> senders;
};

const DocumentSpec* FindDocumentSpec(std::string_view type);
std::span<const DocumentSpec> AllDocumentSpecs();

// Party fields whose codes must be registered, with the role the code must hold.
struct PartyField {
  const char* field;
  const char* role;      // required role
  const char* alt_role;  // also acceptable, or nullptr
  const char* label_zh;  // "电商企业"
};
std::span<const PartyField> PartyFields();

// Personal data fields (PIPL): encrypted at rest and masked in answers.
bool IsPersonalField(std::string_view name);
// Masks a personal value for display: names keep the first character, ID numbers
// and phones their first 3 and last 4, addresses their first 6 characters.
std::string MaskPersonal(std::string_view field, std::string_view value);

// The head node of an entity (the entity itself for flat entities).
const Node* HeadOf(const DocumentSpec& spec, const Node& entity);

}  // namespace shumao::ceb

#endif  // SHUMAO_CEB_CATALOG_H_

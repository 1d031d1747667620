// The CEB 2022 message standard as data: every message's elements in schema order with
// occurrence and type facets, generated from the official XSDs (tools/gen_ceb_schema.py
// → schema_data.inc). One codec and one checker serve all forty-odd message types.
//
// Thread safety: the tables are immutable static data.
#ifndef SHUMAO_CEB_SCHEMA_H_
#define SHUMAO_CEB_SCHEMA_H_

#include <span>
#include <string_view>

namespace shumao::ceb {

inline constexpr std::string_view kCebNamespace = "http://www.chinaport.gov.cn/ceb";
inline constexpr std::string_view kDxpNamespace = "http://www.chinaport.gov.cn/dxp";
inline constexpr std::string_view kDsigNamespace = "http://www.w3.org/2000/09/xmldsig#";

enum class ElementKind {
  kGroup,      // has child elements
  kString,     // xs:string with length facets
  kDecimal,    // xs:decimal totalDigits/fractionDigits (N19,5)
  kInt,        // xs:int
  kAnyXml,     // ceb:XMLElement: any well-formed XML (ExtendMessage/Message)
  kSignature,  // ds:Signature (xmldsig, kept verbatim)
};

enum class Direction { kImport, kExport };

struct ElementDef {
  const char* name;
  int min_occurs;
  int max_occurs;  // -1: unbounded
  ElementKind kind;
  int min_length;       // characters
  int max_length;       // -1: none
  int total_digits;     // -1: none
  int fraction_digits;  // -1: none
  int first_child;      // index into the element table
  int child_count;
  const char* label;  // the schema's Chinese annotation, shortened

  std::span<const ElementDef> children() const;
  // Index of the child named `name`, or -1.
  int ChildIndex(std::string_view name) const;
};

struct MessageDef {
  const char* type;  // "CEB311"
  const char* root;  // "CEB311Message"
  Direction direction;
  int root_index;

  const ElementDef& root_element() const;
};

std::span<const MessageDef> AllMessages();
// Position of an element in the one flat element table (for per-element side tables).
int ElementIndex(const ElementDef& def);
int ElementCount();
const MessageDef* FindMessageByType(std::string_view type);  // "CEB311"
const MessageDef* FindMessageByRoot(std::string_view root);  // "CEB311Message"

}  // namespace shumao::ceb

#endif  // SHUMAO_CEB_SCHEMA_H_

// A decoded CEB message: a tree of elements that follows the schema (schema.h), with
// typed read access by element name. The same tree is produced by the XML and the JSON
// decoder and consumed by both encoders, so the two formats carry the same information.
//
// Pipeline stages (each its own type):
//   bytes ──DecodeXml/DecodeJson──▶ Message (structure follows the schema)
//         ──CheckMessage──────────▶ CheckedMessage (every field rule holds)
#ifndef SHUMAO_CEB_MESSAGE_H_
#define SHUMAO_CEB_MESSAGE_H_

#include <string>
#include <string_view>
#include <vector>

#include "ceb/schema.h"

namespace shumao::ceb {

struct Node {
  const ElementDef* def = nullptr;
  std::string text;            // leaf value; verbatim XML for kAnyXml and kSignature
  std::vector<Node> children;  // in document (= schema) order

  std::string_view name() const { return def->name; }
  // First child element with this name, or nullptr.
  const Node* Child(std::string_view name) const;
  Node* MutableChild(std::string_view name);
  // Text of the first leaf child with this name; empty if absent.
  std::string_view Get(std::string_view name) const;
  bool Has(std::string_view name) const { return Child(name) != nullptr; }
  // All children with this name (repeated elements such as OrderList).
  std::vector<const Node*> All(std::string_view name) const;
  // Sets (or adds, in schema order) a leaf child.
  void Set(std::string_view name, std::string value);
};

// Where a message came from on the wire.
enum class Format { kXml, kJson };

struct Message {
  const MessageDef* def = nullptr;
  std::string guid;     // root attribute
  std::string version;  // root attribute, "1.0"
  Node root;            // the CEBnnnMessage element

  std::string_view type() const { return def->type; }
  // The business entities (Order, Payment, Inventory, ...): the root's first element
  // group, repeated 1..100 times.
  std::vector<const Node*> Entities() const;
};

}  // namespace shumao::ceb

#endif  // SHUMAO_CEB_MESSAGE_H_

#include "ceb/schema.h"

#include <iterator>

namespace shumao::ceb {
namespace {
#include "ceb/schema_data.inc"
}  // namespace

std::span<const ElementDef> ElementDef::children() const {
  return std::span<const ElementDef>(kElements + first_child, child_count);
}

int ElementDef::ChildIndex(std::string_view n) const {
  for (int i = 0; i < child_count; ++i) {
    if (n == kElements[first_child + i].name) return i;
  }
  return -1;
}

const ElementDef& MessageDef::root_element() const { return kElements[root_index]; }

int ElementIndex(const ElementDef& def) { return static_cast<int>(&def - kElements); }
int ElementCount() { return static_cast<int>(std::size(kElements)); }

std::span<const MessageDef> AllMessages() { return std::span<const MessageDef>(kMessages); }

const MessageDef* FindMessageByType(std::string_view type) {
  for (const auto& m : kMessages) {
    if (type == m.type) return &m;
  }
  return nullptr;
}

const MessageDef* FindMessageByRoot(std::string_view root) {
  for (const auto& m : kMessages) {
    if (root == m.root) return &m;
  }
  return nullptr;
}

}  // namespace shumao::ceb

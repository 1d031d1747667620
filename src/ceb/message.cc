#include "ceb/message.h"

namespace shumao::ceb {

const Node* Node::Child(std::string_view n) const {
  for (const Node& c : children) {
    if (n == c.def->name) return &c;
  }
  return nullptr;
}

Node* Node::MutableChild(std::string_view n) {
  for (Node& c : children) {
    if (n == c.def->name) return &c;
  }
  return nullptr;
}

std::string_view Node::Get(std::string_view n) const {
  const Node* c = Child(n);
  return c ? std::string_view(c->text) : std::string_view();
}

std::vector<const Node*> Node::All(std::string_view n) const {
  std::vector<const Node*> out;
  for (const Node& c : children) {
    if (n == c.def->name) out.push_back(&c);
  }
  return out;
}

void Node::Set(std::string_view n, std::string value) {
  if (Node* c = MutableChild(n)) {
    c->text = std::move(value);
    return;
  }
  int idx = def->ChildIndex(n);
  if (idx < 0) return;
  const ElementDef* cdef = &def->children()[idx];
  auto pos = children.begin();
  while (pos != children.end() && pos->def < cdef) ++pos;
  Node node;
  node.def = cdef;
  node.text = std::move(value);
  children.insert(pos, std::move(node));
}

std::vector<const Node*> Message::Entities() const {
  std::vector<const Node*> out;
  if (root.def == nullptr || root.def->child_count == 0) return out;
  const ElementDef* first = &root.def->children()[0];
  for (const Node& c : root.children) {
    if (c.def == first) out.push_back(&c);
  }
  return out;
}

}  // namespace shumao::ceb

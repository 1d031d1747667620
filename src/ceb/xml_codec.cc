// XML side of codec.h. pugixml parses; the walk below applies the schema.
#include <cstring>
#include <pugixml.hpp>
#include <sstream>

#include "ceb/codec.h"
#include "ceb/decode_common.h"
#include "common/strings.h"

namespace shumao::ceb {
namespace {

std::string_view LocalName(std::string_view qname, std::string_view* prefix = nullptr) {
  size_t colon = qname.find(':');
  if (prefix)
    *prefix = colon == std::string_view::npos ? std::string_view() : qname.substr(0, colon);
  return colon == std::string_view::npos ? qname : qname.substr(colon + 1);
}

// The namespace URI bound to `prefix` at `node` (walking up), or "" if unbound. No
// allocation: this runs for every element.
std::string_view NamespaceOf(pugi::xml_node node, std::string_view prefix) {
  for (; node && node.type() == pugi::node_element; node = node.parent()) {
    for (pugi::xml_attribute a = node.first_attribute(); a; a = a.next_attribute()) {
      std::string_view name = a.name();
      if (name.size() < 5 || name.compare(0, 5, "xmlns") != 0) continue;
      if (prefix.empty()
              ? name.size() == 5
              : name.size() == 6 + prefix.size() && name[5] == ':' && name.substr(6) == prefix) {
        return a.value();
      }
    }
  }
  return {};
}

// The local part of a schema element name ("ds:Signature" → "Signature").
std::string_view SchemaLocal(const ElementDef& d) { return LocalName(d.name); }

// Index of the child named `local`, looking first where schema order says it should be.
int FindChild(const ElementDef& def, size_t from, std::string_view local) {
  auto kids = def.children();
  for (size_t i = from; i < kids.size() && i < from + 2; ++i) {
    if (SchemaLocal(kids[i]) == local) return static_cast<int>(i);
  }
  for (size_t i = 0; i < kids.size(); ++i) {
    if (SchemaLocal(kids[i]) == local) return static_cast<int>(i);
  }
  return -1;
}

// Refuses DTDs and entity references other than the five predefined ones and character
// references: no entity is ever expanded (billion laughs, external entities).
Status RejectDtdAndEntities(std::string_view b) {
  size_t p = 0;
  while ((p = b.find("<!", p)) != std::string_view::npos) {
    if (b.compare(p, 9, "<![CDATA[") == 0) {
      size_t end = b.find("]]>", p);
      if (end == std::string_view::npos)
        return InvalidArgument("malformed XML: unterminated CDATA section");
      p = end + 3;
      continue;
    }
    if (b.compare(p, 4, "<!--") == 0) {
      size_t end = b.find("-->", p);
      if (end == std::string_view::npos)
        return InvalidArgument("malformed XML: unterminated comment");
      p = end + 3;
      continue;
    }
    return InvalidArgument(
        "DTD and entity declarations (<!DOCTYPE, <!ENTITY) are not accepted in CEB messages");
  }
  for (p = 0; (p = b.find('&', p)) != std::string_view::npos; ++p) {
    // Skip CDATA content: entity-looking text inside CDATA is just text.
    size_t cdata = b.rfind("<![CDATA[", p);
    if (cdata != std::string_view::npos) {
      size_t end = b.find("]]>", cdata);
      if (end != std::string_view::npos && end > p) {
        p = end;
        continue;
      }
    }
    size_t semi = b.find(';', p);
    std::string_view ref =
        semi == std::string_view::npos ? b.substr(p, 12) : b.substr(p + 1, semi - p - 1);
    if (semi == std::string_view::npos || semi - p > 12) {
      return InvalidArgument("malformed XML: '&' must start an entity or character reference");
    }
    if (ref == "amp" || ref == "lt" || ref == "gt" || ref == "quot" || ref == "apos") continue;
    if (!ref.empty() && ref[0] == '#') continue;
    return InvalidArgument("entity reference &" + std::string(ref) +
                           "; is not allowed: only the five predefined XML entities are");
  }
  return Status::Ok();
}

class XmlWalker {
 public:
  explicit XmlWalker(const DecodeLimits& limits) : limits_(limits) {}

  Status Group(pugi::xml_node xml, const ElementDef& def, Node& out, int depth) {
    out.def = &def;
    auto kids = def.children();
    size_t di = 0;
    int count = 0;
    bool is_root = depth == 0;
    for (pugi::xml_node c = xml.first_child(); c; c = c.next_sibling()) {
      switch (c.type()) {
        case pugi::node_element: break;
        case pugi::node_pcdata:
        case pugi::node_cdata:
          if (!IsBlank(c.value())) {
            return Err("text is not allowed directly inside <" + std::string(def.name) + ">", "");
          }
          continue;
        default: continue;  // comments, processing instructions
      }
      std::string_view prefix;
      std::string_view local = LocalName(c.name(), &prefix);
      int idx = FindChild(def, di, local);
      if (idx < 0) {
        return Err(
            "unknown element <" + std::string(local) + "> in <" + std::string(def.name) + ">",
            std::string(local));
      }
      if (static_cast<size_t>(idx) < di) {
        return Err("element <" + std::string(local) + "> is out of order in <" +
                       std::string(def.name) + ">",
                   std::string(local));
      }
      for (; di < static_cast<size_t>(idx); ++di, count = 0) {
        if (count < kids[di].min_occurs) {
          return Err("required element <" + std::string(kids[di].name) + "> is missing",
                     kids[di].name);
        }
      }
      const ElementDef& cd = kids[di];
      std::string_view want_ns =
          cd.kind == ElementKind::kSignature ? kDsigNamespace : kCebNamespace;
      if (NamespaceOf(c, prefix) != want_ns) {
        return Err("element <" + std::string(c.name()) + "> is not in the namespace " +
                       std::string(want_ns),
                   cd.name);
      }
      ++count;
      if (cd.max_occurs >= 0 && count > cd.max_occurs) {
        if (is_root && di == 0) {
          return Status(Code::kTooLarge,
                        "more than " + std::to_string(cd.max_occurs) + " <" + cd.name +
                            "> entities in one message",
                        cd.name);
        }
        return Err("too many <" + std::string(cd.name) + "> (at most " +
                       std::to_string(cd.max_occurs) + ")",
                   cd.name);
      }
      if (is_root && di == 0 && count > limits_.max_entities) {
        return Status(Code::kTooLarge,
                      "more than " + std::to_string(limits_.max_entities) + " <" + cd.name +
                          "> entities in one message",
                      cd.name);
      }
      Node& n = out.children.emplace_back();
      path_.Push(cd, count);
      Status st = Element(c, cd, n, depth + 1);
      if (!st.ok()) return st;
      path_.Pop();
    }
    // Whatever is left must be optional.
    for (; di < kids.size(); ++di, count = 0) {
      if (count < kids[di].min_occurs) {
        return Err("required element <" + std::string(kids[di].name) + "> is missing",
                   kids[di].name);
      }
    }
    return Status::Ok();
  }

 private:
  static bool IsBlank(const char* s) {
    for (; *s; ++s) {
      if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t') return false;
    }
    return true;
  }

  Status Element(pugi::xml_node xml, const ElementDef& def, Node& out, int depth) {
    if (depth > limits_.max_depth) return Err("elements are nested too deeply", "");
    out.def = &def;
    if (def.kind == ElementKind::kGroup) return Group(xml, def, out, depth);
    if (def.kind == ElementKind::kAnyXml || def.kind == ElementKind::kSignature) {
      RETURN_IF_ERROR(CheckDepth(xml, depth));
      std::ostringstream os;
      for (pugi::xml_node c = xml.first_child(); c; c = c.next_sibling()) {
        if (def.kind == ElementKind::kSignature) break;
        c.print(os, "", pugi::format_raw);
      }
      if (def.kind == ElementKind::kSignature) {
        pugi::xml_document copy;
        pugi::xml_node s = copy.append_copy(xml);
        std::string_view prefix;
        LocalName(xml.name(), &prefix);
        std::string attr = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
        if (!s.attribute(attr.c_str())) s.append_attribute(attr.c_str()) = kDsigNamespace.data();
        s.print(os, "", pugi::format_raw);
      }
      out.text = os.str();
      return Status::Ok();
    }
    for (pugi::xml_node c = xml.first_child(); c; c = c.next_sibling()) {
      if (c.type() == pugi::node_element) {
        return Err("<" + std::string(def.name) + "> holds a value and must not contain elements",
                   "");
      }
      if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out.text += c.value();
    }
    return Status::Ok();
  }

  Status CheckDepth(pugi::xml_node xml, int depth) {
    // Iterative depth-first walk: free XML must not nest deeper than the limit.
    pugi::xml_node n = xml.first_child();
    int d = depth + 1;
    while (n && n != xml) {
      if (d > limits_.max_depth) return Err("elements are nested too deeply", "");
      if (n.first_child()) {
        n = n.first_child();
        ++d;
        continue;
      }
      while (n != xml && !n.next_sibling()) {
        n = n.parent();
        --d;
      }
      if (n != xml) n = n.next_sibling();
    }
    return Status::Ok();
  }

  Status Err(std::string message, std::string_view leaf) {
    return path_.Error(std::move(message), leaf);
  }

  const DecodeLimits& limits_;
  ElementPath path_;
};

void WriteNode(std::string& out, const Node& n, int indent) {
  out.append(indent, ' ');
  if (n.def->kind == ElementKind::kSignature) {
    out += n.text;
    out += '\n';
    return;
  }
  out += "<ceb:";
  out += n.def->name;
  out += '>';
  if (n.def->kind == ElementKind::kGroup) {
    out += '\n';
    for (const Node& c : n.children) WriteNode(out, c, indent + 2);
    out.append(indent, ' ');
  } else if (n.def->kind == ElementKind::kAnyXml) {
    out += n.text;
  } else if (std::strcmp(n.def->name, "oriBizMessage") == 0) {
    // The original message travels in CDATA; "]]>" inside it is split across sections.
    out += "<![CDATA[";
    std::string_view t = n.text;
    size_t p;
    while ((p = t.find("]]>")) != std::string_view::npos) {
      out.append(t.substr(0, p + 2));
      out += "]]><![CDATA[";
      t.remove_prefix(p + 2);
    }
    out.append(t);
    out += "]]>";
  } else {
    AppendXmlEscaped(out, n.text);
  }
  out += "</ceb:";
  out += n.def->name;
  out += ">\n";
}

}  // namespace

StatusOr<Message> DecodeXml(std::string_view bytes, const DecodeLimits& limits) {
  RETURN_IF_ERROR(CheckBody(bytes, limits));
  RETURN_IF_ERROR(RejectDtdAndEntities(bytes));
  pugi::xml_document doc;
  pugi::xml_parse_result r =
      doc.load_buffer(bytes.data(), bytes.size(), pugi::parse_default, pugi::encoding_utf8);
  if (!r) {
    return InvalidArgument("malformed XML at byte " + std::to_string(r.offset) + ": " +
                           r.description());
  }
  pugi::xml_node root = doc.document_element();
  if (!root) return InvalidArgument("the document has no root element");
  std::string_view prefix;
  std::string_view local = LocalName(root.name(), &prefix);
  std::string_view ns = NamespaceOf(root, prefix);

  if (local == "DxpMsg") {
    if (ns != kDxpNamespace) {
      return InvalidArgument("DxpMsg must be in the namespace " + std::string(kDxpNamespace),
                             "DxpMsg");
    }
    pugi::xml_node data;
    for (pugi::xml_node c : root.children()) {
      if (LocalName(c.name()) == "Data") data = c;
    }
    if (!data) return InvalidArgument("DxpMsg has no <Data> element", "DxpMsg.Data");
    std::string inner;
    if (!Base64Decode(data.child_value(), inner)) {
      return InvalidArgument("DxpMsg <Data> is not valid base64", "DxpMsg.Data");
    }
    auto decoded = DecodeXml(inner, limits);
    if (!decoded.ok()) {
      const Status& s = decoded.status();
      return Status(s.code(), "in DxpMsg <Data>: " + s.message(), s.field());
    }
    return decoded;
  }

  const MessageDef* def = FindMessageByRoot(local);
  if (def == nullptr) {
    return InvalidArgument(
        "unknown root element <" + std::string(local) + ">: not a message of the CEB 2022 standard",
        std::string(local));
  }
  if (ns != kCebNamespace) {
    return InvalidArgument(
        "<" + std::string(local) + "> must be in the namespace " + std::string(kCebNamespace) +
            (ns.empty() ? " (no namespace declared)" : ", not " + std::string(ns)),
        std::string(local));
  }
  Message m;
  m.def = def;
  if (pugi::xml_attribute a = root.attribute("guid")) m.guid = a.value();
  if (pugi::xml_attribute a = root.attribute("version")) m.version = a.value();
  if (m.guid.empty()) return InvalidArgument("the root attribute guid is missing", "guid");
  if (m.version.empty()) return InvalidArgument("the root attribute version is missing", "version");
  XmlWalker walker(limits);
  RETURN_IF_ERROR(walker.Group(root, def->root_element(), m.root, 0));
  return m;
}

std::string EncodeXml(const Message& m) {
  std::string out;
  out.reserve(2048);
  out += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:";
  out += m.def->root;
  out += " guid=\"";
  AppendXmlEscaped(out, m.guid);
  out += "\" version=\"";
  AppendXmlEscaped(out, m.version.empty() ? "1.0" : m.version);
  out += "\" xmlns:ceb=\"";
  out += kCebNamespace;
  out += "\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n";
  for (const Node& c : m.root.children) WriteNode(out, c, 2);
  out += "</ceb:";
  out += m.def->root;
  out += ">\n";
  return out;
}

std::string SniffRootName(std::string_view b) {
  size_t p = 0;
  while ((p = b.find('<', p)) != std::string_view::npos) {
    if (p + 1 < b.size() && (b[p + 1] == '?' || b[p + 1] == '!')) {
      ++p;
      continue;
    }
    size_t e = p + 1;
    while (e < b.size() && b[e] != ' ' && b[e] != '>' && b[e] != '/' && b[e] != '\n' &&
           b[e] != '\t' && b[e] != '\r' && e - p < 80) {
      ++e;
    }
    std::string_view name = LocalName(b.substr(p + 1, e - p - 1));
    return IsValidUtf8(name) ? std::string(name) : std::string();
  }
  return {};
}

}  // namespace shumao::ceb

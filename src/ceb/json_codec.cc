// JSON side of codec.h (RapidJSON). Numbers are parsed as their source text, never as
// doubles, so amounts keep every digit.
#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "ceb/codec.h"
#include "ceb/decode_common.h"
#include "common/strings.h"

namespace shumao::ceb {
namespace {

constexpr unsigned kParseFlags = rapidjson::kParseIterativeFlag |
                                 rapidjson::kParseValidateEncodingFlag |
                                 rapidjson::kParseNumbersAsStringsFlag;

class JsonWalker {
 public:
  explicit JsonWalker(const DecodeLimits& limits) : limits_(limits) {}

  Status Group(const rapidjson::Value& obj, const ElementDef& def, Node& out, int depth) {
    out.def = &def;
    if (!obj.IsObject()) return Err("<" + std::string(def.name) + "> must be a JSON object", "");
    if (depth > limits_.max_depth) return Err("objects are nested too deeply", "");
    for (auto it = obj.MemberBegin(); it != obj.MemberEnd(); ++it) {
      std::string_view key(it->name.GetString(), it->name.GetStringLength());
      if (depth == 0 && (key == "guid" || key == "version")) continue;
      if (def.ChildIndex(key) < 0) {
        return Err("unknown field \"" + std::string(key) + "\" in " + std::string(def.name), key);
      }
    }
    auto kids = def.children();
    for (size_t i = 0; i < kids.size(); ++i) {
      const ElementDef& cd = kids[i];
      auto it = obj.FindMember(cd.name);
      if (it == obj.MemberEnd() || it->value.IsNull()) {
        if (cd.min_occurs > 0) {
          return Err("required field \"" + std::string(cd.name) + "\" is missing", cd.name);
        }
        continue;
      }
      const rapidjson::Value& v = it->value;
      if (v.IsArray() && (cd.kind == ElementKind::kGroup || cd.max_occurs != 1)) {
        int n = static_cast<int>(v.Size());
        if (n < cd.min_occurs) {
          return Err("\"" + std::string(cd.name) + "\" needs at least " +
                         std::to_string(cd.min_occurs) + " item(s)",
                     cd.name);
        }
        bool entity = depth == 0 && i == 0;
        if ((cd.max_occurs >= 0 && n > cd.max_occurs) || (entity && n > limits_.max_entities)) {
          int max = entity && cd.max_occurs < 0 ? limits_.max_entities : cd.max_occurs;
          Status s =
              Err("too many \"" + std::string(cd.name) + "\" (at most " + std::to_string(max) + ")",
                  cd.name);
          return entity ? Status(Code::kTooLarge, s.message(), s.field()) : s;
        }
        for (int k = 0; k < n; ++k) {
          Node& child = out.children.emplace_back();
          path_.Push(cd, k + 1);
          RETURN_IF_ERROR(Element(v[k], cd, child, depth + 1));
          path_.Pop();
        }
      } else {
        Node& child = out.children.emplace_back();
        path_.Push(cd, 1);
        RETURN_IF_ERROR(Element(v, cd, child, depth + 1));
        path_.Pop();
      }
    }
    return Status::Ok();
  }

 private:
  Status Element(const rapidjson::Value& v, const ElementDef& def, Node& out, int depth) {
    out.def = &def;
    if (def.kind == ElementKind::kGroup) return Group(v, def, out, depth);
    if (v.IsString()) {
      out.text.assign(v.GetString(), v.GetStringLength());
    } else if (v.IsNumber() &&
               (def.kind == ElementKind::kDecimal || def.kind == ElementKind::kInt)) {
      out.text.assign(v.GetString(), v.GetStringLength());  // kept as written
    } else {
      return Err("\"" + std::string(def.name) + "\" must be a string", "");
    }
    if (out.text.find('\0') != std::string::npos) {
      return Err("\"" + std::string(def.name) + "\" contains a NUL character", "");
    }
    return Status::Ok();
  }

  Status Err(std::string message, std::string_view leaf) {
    return path_.Error(std::move(message), leaf);
  }

  const DecodeLimits& limits_;
  ElementPath path_;
};

void WriteJsonString(std::string& out, std::string_view s) {
  out += '"';
  AppendJsonEscaped(out, s);
  out += '"';
}

void WriteJsonGroup(std::string& out, const Node& n, bool (*skip)(std::string_view) = nullptr) {
  out += '{';
  bool first = true;
  const auto& kids = n.children;
  for (size_t i = 0; i < kids.size();) {
    const ElementDef* d = kids[i].def;
    size_t j = i;
    while (j < kids.size() && kids[j].def == d) ++j;
    if (skip != nullptr && d->kind != ElementKind::kGroup && skip(d->name)) {
      i = j;
      continue;
    }
    if (!first) out += ',';
    first = false;
    WriteJsonString(out, d->name);
    out += ':';
    bool array = d->max_occurs != 1;
    if (array) out += '[';
    for (size_t k = i; k < j; ++k) {
      if (k > i) out += ',';
      if (d->kind == ElementKind::kGroup) {
        WriteJsonGroup(out, kids[k], skip);
      } else {
        WriteJsonString(out, kids[k].text);
      }
    }
    if (array) out += ']';
    i = j;
  }
  out += '}';
}

}  // namespace

StatusOr<Message> DecodeJson(std::string_view bytes, const DecodeLimits& limits) {
  RETURN_IF_ERROR(CheckBody(bytes, limits));
  rapidjson::Document doc;
  doc.Parse<kParseFlags>(bytes.data(), bytes.size());
  if (doc.HasParseError()) {
    return InvalidArgument(std::string("malformed JSON at byte ") +
                           std::to_string(doc.GetErrorOffset()) + ": " +
                           rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject() || doc.MemberCount() != 1) {
    return InvalidArgument(
        "a CEB message in JSON is an object with one member named after the root element, "
        "e.g. {\"CEB311Message\": {...}}");
  }
  auto it = doc.MemberBegin();
  std::string_view root(it->name.GetString(), it->name.GetStringLength());
  const MessageDef* def = FindMessageByRoot(root);
  if (def == nullptr) {
    return InvalidArgument(
        "unknown root \"" + std::string(root) + "\": not a message of the CEB 2022 standard",
        std::string(root));
  }
  const rapidjson::Value& body = it->value;
  if (!body.IsObject())
    return InvalidArgument("\"" + std::string(root) + "\" must be an object", std::string(root));
  Message m;
  m.def = def;
  for (const char* attr : {"guid", "version"}) {
    auto a = body.FindMember(attr);
    if (a == body.MemberEnd() || !a->value.IsString()) {
      return InvalidArgument(std::string("the root attribute ") + attr + " is missing", attr);
    }
    (attr[0] == 'g' ? m.guid : m.version).assign(a->value.GetString(), a->value.GetStringLength());
  }
  JsonWalker walker(limits);
  RETURN_IF_ERROR(walker.Group(body, def->root_element(), m.root, 0));
  return m;
}

std::string EncodeNodeJson(const Node& group, bool (*skip)(std::string_view)) {
  std::string out;
  WriteJsonGroup(out, group, skip);
  return out;
}

std::string EncodeJson(const Message& m) {
  std::string out;
  out.reserve(1024);
  out += "{";
  WriteJsonString(out, m.def->root);
  out += ":{\"guid\":";
  WriteJsonString(out, m.guid);
  out += ",\"version\":";
  WriteJsonString(out, m.version.empty() ? "1.0" : m.version);
  std::string body;
  WriteJsonGroup(body, m.root);
  if (body.size() > 2) {
    out += ',';
    out.append(body, 1, body.size() - 1);  // the group's members, with its closing brace
  } else {
    out += '}';
  }
  out += '}';
  return out;
}

}  // namespace shumao::ceb

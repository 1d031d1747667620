#include "ceb/receipt.h"

#include <cstring>

#include "common/crypto.h"
#include "common/strings.h"

namespace shumao::ceb {
namespace {

// Cuts `s` to at most `max_chars` code points.
std::string Truncate(std::string_view s, int max_chars) {
  if (max_chars < 0) return std::string(s);
  size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == static_cast<size_t>(max_chars)) break;
      ++chars;
    }
  }
  return std::string(s.substr(0, i));
}

const std::string* FindValue(const ReceiptEntry& e, std::string_view name) {
  for (const auto& [k, v] : e.values) {
    if (k == name) return &v;
  }
  return nullptr;
}

}  // namespace

Message BuildReceipt(const MessageDef& receipt_def, const std::vector<ReceiptEntry>& entries,
                     Timestamp time) {
  Message m;
  m.def = &receipt_def;
  m.guid = NewGuid();
  m.version = "1.0";
  m.root.def = &receipt_def.root_element();
  const ElementDef& entity_def = receipt_def.root_element().children()[0];
  std::string when = FormatC17(time);
  for (const ReceiptEntry& e : entries) {
    Node& entity = m.root.children.emplace_back();
    entity.def = &entity_def;
    for (const ElementDef& f : entity_def.children()) {
      std::string value;
      bool have = true;
      if (std::strcmp(f.name, "returnStatus") == 0) {
        value = e.return_status;
      } else if (std::strcmp(f.name, "returnTime") == 0) {
        value = when;
      } else if (std::strcmp(f.name, "returnInfo") == 0) {
        value = Truncate(e.return_info, f.max_length);
      } else if (const std::string* v = FindValue(e, f.name)) {
        value = *v;
      } else if (e.head != nullptr && e.head->Has(f.name)) {
        value = std::string(e.head->Get(f.name));
      } else {
        have = false;
      }
      size_t len = Utf8Length(value);
      bool fits = len >= static_cast<size_t>(f.min_length) &&
                  (f.max_length < 0 || len <= static_cast<size_t>(f.max_length));
      if (!have || !fits) {
        // Optional and unknown, or a declared value the receipt's facets cannot carry
        // (e.g. a short invtNo where the receipt wants exactly 18): leave it out.
        if (f.min_occurs == 0) continue;
        if (f.min_length > 0 && value.empty()) value = std::string(f.min_length, '0');
      }
      value = Truncate(value, f.max_length);
      Node& leaf = entity.children.emplace_back();
      leaf.def = &f;
      leaf.text = std::move(value);
    }
  }
  return m;
}

Message BuildFormatReceipt(std::string_view return_status, std::string_view return_info,
                           std::string_view ori_message_type, std::string_view ori_message,
                           Timestamp time) {
  const MessageDef* def = FindMessageByType("CEB900");
  Message m;
  m.def = def;
  m.guid = NewGuid();
  m.version = "1.0";
  m.root.def = &def->root_element();
  Node& ret = m.root.children.emplace_back();
  ret.def = &def->root_element().children()[0];
  std::string body(ori_message);
  if (!IsValidUtf8(body)) body = "(the original message is not valid UTF-8 and is not echoed)";
  // Characters that XML 1.0 cannot carry at all are dropped from the echo.
  std::string clean;
  clean.reserve(body.size());
  for (char c : body) {
    unsigned char u = static_cast<unsigned char>(c);
    if (u >= 0x20 || c == '\n' || c == '\r' || c == '\t') clean.push_back(c);
  }
  for (const ElementDef& f : ret.def->children()) {
    Node& leaf = ret.children.emplace_back();
    leaf.def = &f;
    std::string_view n = f.name;
    if (n == "guid")
      leaf.text = m.guid;
    else if (n == "returnStatus")
      leaf.text = std::string(return_status);
    else if (n == "returnInfo")
      leaf.text = Truncate(return_info, f.max_length);
    else if (n == "returnTime")
      leaf.text = FormatC17(time);
    else if (n == "oriCopMsgId")
      leaf.text = "";
    else if (n == "oriMessageType")
      leaf.text = Truncate(ori_message_type.empty() ? "Unknown" : ori_message_type, f.max_length);
    else if (n == "oriBizMessage")
      leaf.text = std::move(clean);
  }
  return m;
}

}  // namespace shumao::ceb

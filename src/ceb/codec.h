// Decoders and encoders of CEB messages: XML (pugixml) and JSON (RapidJSON), both driven
// by the schema tables, so every message type of the 2022 standard is covered by the
// same code.
//
// The decoders check structure as they go: element names, namespace, order, required
// elements and occurrence limits; field values are checked afterwards by CheckMessage
// (check.h). Errors are Status values whose field() names the element path, e.g.
// "Order[1].OrderHead.orderNo":
//   kInvalidArgument   malformed input, wrong namespace, unknown root, a receipt sent as
//                      a declaration, DTD or entity declarations, invalid UTF-8, ...
//   kTooLarge          body over limits.max_bytes or more than limits.max_entities
//
// JSON form: {"CEB311Message": {"guid": "..", "version": "1.0", "Order": [{"OrderHead":
// {...}, "OrderList": [{...}]}], "BaseTransfer": {...}}} — element names exactly as in
// XML; elements that may repeat are arrays (a single object is accepted on input);
// values are strings (numbers are accepted for decimal and int fields and kept as
// written); ds:Signature and ExtendMessage/Message carry their XML as a string.
//
// Thread safety: all functions are pure; call them from any thread.
#ifndef SHUMAO_CEB_CODEC_H_
#define SHUMAO_CEB_CODEC_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "ceb/message.h"
#include "common/status.h"

namespace shumao::ceb {

struct DecodeLimits {
  size_t max_bytes = 10 * 1024 * 1024;
  int max_entities = 100;  // business entities per message (the standard's limit)
  int max_depth = 24;      // element nesting, including free XML in ExtendMessage
};

StatusOr<Message> DecodeXml(std::string_view bytes, const DecodeLimits& limits = {});
StatusOr<Message> DecodeJson(std::string_view bytes, const DecodeLimits& limits = {});

// XML with the "ceb:" prefix, as the official samples write it.
std::string EncodeXml(const Message& message);
std::string EncodeJson(const Message& message);
// JSON object of one element group (an entity or a head), arrays for repeated elements;
// leaves for which skip(name) is true are left out (personal data, for instance).
std::string EncodeNodeJson(const Node& group, bool (*skip)(std::string_view name) = nullptr);

// A best-effort look at a body that failed to decode: the root element's local name
// (e.g. "CEB311Message", or "" if none can be found). Used to fill CEB900.
std::string SniffRootName(std::string_view bytes);

}  // namespace shumao::ceb

#endif  // SHUMAO_CEB_CODEC_H_

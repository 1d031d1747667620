// Shared by the decoders and the checker. ElementPath: where a walk is in a message,
// for naming the field at fault:
// "Order[1].OrderHead.orderNo". Frames are pushed and popped as the walk goes; the string
// is built only when an error needs it. Internal to ceb.
#ifndef SHUMAO_CEB_DECODE_COMMON_H_
#define SHUMAO_CEB_DECODE_COMMON_H_

#include <string>
#include <string_view>
#include <vector>

#include "ceb/codec.h"
#include "ceb/schema.h"
#include "common/status.h"
#include "common/strings.h"

namespace shumao::ceb {

class ElementPath {
 public:
  ElementPath() { frames_.reserve(8); }

  // `index` is the 1-based occurrence; shown only for elements that may repeat.
  void Push(const ElementDef& def, int index) { frames_.push_back(Frame{&def, index}); }
  void Pop() { frames_.pop_back(); }

  // The path, with `leaf` appended when given.
  std::string ToString(std::string_view leaf = {}) const {
    std::string path;
    for (const Frame& f : frames_) {
      if (!path.empty()) path += '.';
      path += f.def->name;
      if (f.def->max_occurs != 1) path += "[" + std::to_string(f.index) + "]";
    }
    if (!leaf.empty()) {
      if (!path.empty()) path += '.';
      path += leaf;
    }
    return path;
  }

  // InvalidArgument naming this path (and `leaf`).
  Status Error(std::string message, std::string_view leaf = {}) const {
    return InvalidArgument(std::move(message), ToString(leaf));
  }

 private:
  struct Frame {
    const ElementDef* def;
    int index;
  };
  std::vector<Frame> frames_;
};

// What both decoders check before parsing: the size limit and well-formed UTF-8.
inline Status CheckBody(std::string_view bytes, const DecodeLimits& limits) {
  if (bytes.size() > limits.max_bytes) {
    return Status(Code::kTooLarge,
                  "message body is larger than " + std::to_string(limits.max_bytes) + " bytes");
  }
  size_t bad = 0;
  if (!IsValidUtf8(bytes, &bad)) {
    return InvalidArgument("message is not valid UTF-8 (first bad byte at offset " +
                           std::to_string(bad) + ")");
  }
  return Status::Ok();
}

}  // namespace shumao::ceb

#endif  // SHUMAO_CEB_DECODE_COMMON_H_

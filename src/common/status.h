// Status and StatusOr: errors as values (after abseil's status.h).
//
// A Status is OK or carries a code, a message for people and, for input errors, the
// name (path) of the field at fault, e.g. "Order[1].OrderHead.orderNo". Expected
// failures (a bad message, a missing document) are Status values, never exceptions.
// HTTP codes are chosen only at the edge (src/http) from the Code.
//
// Thread safety: values; safe to copy between threads.
#ifndef SHUMAO_COMMON_STATUS_H_
#define SHUMAO_COMMON_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace shumao {

enum class Code {
  kOk = 0,
  kInvalidArgument,   // the input is malformed or breaks a field rule (400)
  kUnsupportedMedia,  // a content type we do not read (415)
  kTooLarge,          // body or entity count over a limit (413)
  kUnauthenticated,   // no or unknown credentials (401)
  kPermissionDenied,  // credentials without the right (403)
  kNotFound,          // (404)
  kAlreadyExists,     // (409)
  kFailedPrecondition,
  kResourceExhausted,  // rate limit (429)
  kUnavailable,        // the database or a dependency is down (503)
  kInternal,
};

std::string_view CodeName(Code code);

class [[nodiscard]] Status {
 public:
  Status() = default;
  Status(Code code, std::string message, std::string field = {})
      : code_(code), message_(std::move(message)), field_(std::move(field)) {}

  static Status Ok() { return Status(); }

  bool ok() const { return code_ == Code::kOk; }
  Code code() const { return code_; }
  const std::string& message() const { return message_; }
  // The field (element path) at fault, empty when the error is not about one field.
  const std::string& field() const { return field_; }

  // "InvalidArgument: message [field]"
  std::string ToString() const;

 private:
  Code code_ = Code::kOk;
  std::string message_;
  std::string field_;
};

inline Status InvalidArgument(std::string message, std::string field = {}) {
  return Status(Code::kInvalidArgument, std::move(message), std::move(field));
}
inline Status NotFound(std::string message) { return Status(Code::kNotFound, std::move(message)); }
inline Status Internal(std::string message) { return Status(Code::kInternal, std::move(message)); }
inline Status Unavailable(std::string message) {
  return Status(Code::kUnavailable, std::move(message));
}

// A value or the Status saying why there is none.
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(Status status) : v_(std::move(status)) { assert(!std::get<Status>(v_).ok()); }
  StatusOr(T value) : v_(std::move(value)) {}

  bool ok() const { return std::holds_alternative<T>(v_); }
  const Status& status() const {
    static const Status kOkStatus;
    return ok() ? kOkStatus : std::get<Status>(v_);
  }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<Status, T> v_;
};

}  // namespace shumao

#define SHUMAO_CONCAT_INNER(a, b) a##b
#define SHUMAO_CONCAT(a, b) SHUMAO_CONCAT_INNER(a, b)

#define RETURN_IF_ERROR(expr)      \
  do {                             \
    ::shumao::Status _st = (expr); \
    if (!_st.ok()) return _st;     \
  } while (0)

#define ASSIGN_OR_RETURN(lhs, expr) \
  ASSIGN_OR_RETURN_IMPL(SHUMAO_CONCAT(_status_or_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.status();         \
  lhs = std::move(tmp).value()

#endif  // SHUMAO_COMMON_STATUS_H_

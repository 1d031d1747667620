// Pieces shared by the two engines of the store; not part of the store's interface.
#ifndef SHUMAO_STORE_INTERNAL_H_
#define SHUMAO_STORE_INTERNAL_H_

#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "registry/registry_types.h"

namespace shumao::store {

// Admits one holder at a time; Acquire blocks until the previous holder released. Unlike
// a std::mutex it may be released by another thread than the one that acquired it, so a
// WriteTxn may be handed between threads.
class WriteGate {
 public:
  void Acquire() {
    std::unique_lock lock(mu_);
    cv_.wait(lock, [this] { return !held_; });
    held_ = true;
  }
  void Release() {
    {
      std::lock_guard lock(mu_);
      held_ = false;
    }
    cv_.notify_one();
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  bool held_ = false;
};

// Holds a WriteGate for a scope.
class GateHold {
 public:
  explicit GateHold(WriteGate& gate) : gate_(gate) { gate_.Acquire(); }
  ~GateHold() { gate_.Release(); }
  GateHold(const GateHold&) = delete;
  GateHold& operator=(const GateHold&) = delete;

 private:
  WriteGate& gate_;
};

// Roles are stored as one comma separated text column.
std::string JoinRoles(const std::vector<std::string>& roles);
std::vector<std::string> SplitRoles(std::string_view text);

// The tokens.kind column: "enterprise" or "user".
std::string_view PrincipalKindName(registry::Principal::Kind kind);
StatusOr<registry::Principal::Kind> ParsePrincipalKind(std::string_view name);

// Why a transaction that already failed or committed refuses more work.
Status TxnUnusable(bool committed, const Status& failure);

}  // namespace shumao::store

#endif  // SHUMAO_STORE_INTERNAL_H_

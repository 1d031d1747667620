// Pieces shared by the two engines of the store; not part of the store's interface.
#ifndef SHUMAO_STORE_INTERNAL_H_
#define SHUMAO_STORE_INTERNAL_H_

#include <condition_variable>
#include <mutex>
#include <string>
#include <string_view>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "common/status.h"
#include "registry/registry_types.h"
#include "store/store.h"

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

// The LIKE pattern (used with ESCAPE '\') that finds ",code," inside a parties column:
// "%,code,%" with the code's own '%', '_' and '\' escaped.
std::string PartiesLikePattern(std::string_view code);

// The tokens.kind column: "enterprise" or "user".
std::string_view PrincipalKindName(registry::Principal::Kind kind);
StatusOr<registry::Principal::Kind> ParsePrincipalKind(std::string_view name);

// Why a transaction that already failed or committed refuses more work.
Status TxnUnusable(bool committed, const Status& failure);

// The life of a write transaction, the same on both engines: the first failure or the
// commit finishes it (rolled back unless committed, connection and writer freed at once),
// and every later call is refused. Engines implement Release and call Finish from their
// destructor.
class TrackedWriteTxn : public WriteTxn {
 public:
  // Statistics cells are merged here by key and written once, at Commit: the decisions of
  // one transaction share most of their day and month cells.
  Status AddStatCells(std::vector<StatCell> cells) final {
    RETURN_IF_ERROR(Usable());
    for (StatCell& c : cells) {
      key_.clear();
      for (const std::string* part : {&c.dim, &c.grain, &c.period, &c.direction, &c.trade_mode,
                                      &c.zone, &c.ebc, &c.dim_value}) {
        key_ += *part;
        key_ += '\x1f';
      }
      auto it = pending_stats_.find(key_);
      if (it == pending_stats_.end()) {
        pending_stats_.emplace(key_, std::move(c));
      } else {
        for (int k = 0; k < kStatCounters; ++k) it->second.n[k] += c.n[k];
      }
    }
    return Status::Ok();
  }

 protected:
  // Writes the merged statistics cells; the engine's Commit calls it before COMMIT.
  Status FlushStatCells() {
    if (pending_stats_.empty()) return Status::Ok();
    std::vector<StatCell> cells;
    cells.reserve(pending_stats_.size());
    for (auto& [k, c] : pending_stats_) cells.push_back(std::move(c));
    pending_stats_.clear();
    return Track(WriteStatCells(cells));
  }
  // Adds each cell's counters to the stored cell with its key (keys are unique).
  virtual Status WriteStatCells(const std::vector<StatCell>& cells) = 0;
  // OK while the transaction is open; why not, once it finished.
  Status Usable() const {
    if (finished_) return TxnUnusable(committed_, failure_);
    return Status::Ok();
  }
  // Passes `result` through; a failure finishes the transaction.
  template <typename T>
  T Track(T result) {
    Status status;
    if constexpr (std::is_same_v<T, Status>) {
      status = result;
    } else {
      status = result.status();
    }
    if (!status.ok()) {
      failure_ = std::move(status);
      Finish();
    }
    return result;
  }
  void MarkCommitted() { committed_ = true; }
  void Finish() {
    if (finished_) return;
    finished_ = true;
    Release(committed_);
  }
  // Engine part of finishing: roll back unless `committed`, free connection and writer.
  virtual void Release(bool committed) = 0;

 private:
  bool committed_ = false;
  bool finished_ = false;
  Status failure_;
  std::unordered_map<std::string, StatCell> pending_stats_;
  std::string key_;  // of the cell being added
};

// Statistics SQL shared by both engines. `placeholder` is "?" (SQLite) or "$" (PostgreSQL).
// The scan behind a StatQuery: parameters 1..4 are dim, grain, period_from, period_to, then
// the filters that are set; rows are the group's column (or ''),
// dim_value and the counters of `counters` in order. The rows are summed by StatFolder,
// not by SQL: a hash over the rows costs a fraction of GROUP BY's sort.
// InvalidArgument for an unknown group.
// `filters` says which of direction, trade_mode, zone, ebc (bits 1, 2, 4, 8) are set: only
// those are compared, as parameters 5, 6, ... in that order (an unused filter costs a column
// decode per row).
StatusOr<std::string> StatScanSql(std::string_view group, uint32_t counters, uint32_t filters,
                                  char placeholder);
// The filters bits of a query, and its filter values in parameter order.
uint32_t StatFilters(const StatQuery& q);
std::vector<const std::string*> StatFilterValues(const StatQuery& q);

// Sums scanned rows into the groups of a StatQuery.
class StatFolder {
 public:
  explicit StatFolder(const StatQuery& q);
  // One row: its group column, dim_value and the counters of q.counters in order.
  void Add(std::string_view group_column, std::string_view dim_value, const int64_t* counters);
  std::vector<StatGroup> Done();  // in key (and dim_value) order

 private:
  const StatQuery& q_;
  std::vector<int> counters_;  // counter index of each scanned value
  std::unordered_map<std::string, StatGroup> groups_;
  std::string scratch_;  // the key of the row being added
};

// The upsert that adds one cell: parameters 1..8 the key, 9.. the counters.
std::string StatUpsertSql(char placeholder);

}  // namespace shumao::store

#endif  // SHUMAO_STORE_INTERNAL_H_

// The storage interface. Two implementations behind Store::Open: SQLite (a file path;
// the default, WAL mode) and PostgreSQL (a postgresql:// URL, libpq). Both apply the
// versioned migrations in store/migrations on open.
//
// Documents are stored generically: one row per business document (an order, a list,
// ...) keyed by (kind, scope, key), e.g. ("orders", ebpCode, orderNo), with the
// document's non-personal fields as JSON and its personal fields sealed (encrypted) in a
// separate column; every status change is a history row. The raw message log keeps each
// accepted message sealed. Receipts form a per-recipient feed ordered by cursor.
//
// Thread safety: a Store may be used from many threads. At most one WriteTxn is open at a
// time per Store (BeginWrite blocks until the previous one ends); reads do not wait for
// writes.
#ifndef SHUMAO_STORE_STORE_H_
#define SHUMAO_STORE_STORE_H_

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "common/status.h"
#include "registry/registry_types.h"

namespace shumao::store {

struct StoreConfig {
  // A SQLite file path ("zone.db", ":memory:" is not supported) or a
  // "postgresql://user@host:port/db" URL.
  std::string url;
};

struct DocumentRow {
  int64_t id = 0;            // assigned by the store
  std::string kind;          // "orders", "payments", "waybills", "inventories", ...
  std::string scope;         // uniqueness scope, e.g. ebpCode for orders
  std::string key;           // business key, e.g. orderNo
  std::string alt_key;       // second lookup key (invtNo for lists), may be empty
  std::string message_type;  // "CEB311"
  std::string status;        // current status code, "2", "120", ...
  std::string return_info;   // text of the last status
  std::string guid;          // entity guid of the current version
  std::string sender;        // enterprise code that sent the current version
  std::string parties;       // party codes, comma separated with leading and trailing comma
  std::string body_json;     // the entity without personal data, JSON
  std::string pii_sealed;    // sealed JSON object of the personal fields (may be empty)
  std::string buyer_hash;    // keyed hash of buyerIdType+buyerIdNumber (may be empty)
  int64_t updated_ms = 0;
  bool deleted = false;  // appType 3 took it back
};

struct HistoryRow {
  std::string status;
  int64_t time_ms = 0;
  std::string info;
};

struct MessageRow {
  std::string guid;    // root guid of the message
  std::string type;    // "CEB311"
  std::string sender;  // enterprise code or user name
  std::string format;  // "xml" or "json"
  int64_t received_ms = 0;
  std::string body_sealed;  // sealed raw bytes
  int64_t id = 0;           // arrival number, assigned by the store; set by Messages()
};

struct ReceiptRow {
  int64_t cursor = 0;         // assigned by the store, increasing
  std::string recipient;      // enterprise code the receipt is for
  std::string type;           // "CEB312"
  std::string return_status;  // "2", "120", "-301010"
  std::string return_info;
  std::string keys_json;  // {"orderNo":..,"ebpCode":..}
  std::string xml;        // the receipt message as XML
  int64_t time_ms = 0;
};

// Statistics cells (the rollups of src/stats): counters added up under a key of
// (dim, grain, period, direction, trade mode, zone, enterprise, dim value). The store knows
// nothing of what the counters mean; src/stats names them. grain is "d" (period
// YYYY-MM-DD) or "m" (YYYY-MM).
inline constexpr int kStatCounters = 12;
using StatCounters = std::array<int64_t, kStatCounters>;

struct StatCell {
  std::string dim, grain, period, direction, trade_mode, zone, ebc, dim_value;
  StatCounters n{};
};

// The cells of one dim and grain with period_from <= period <= period_to (bytewise), those
// filters that are not empty equal, summed per group. group: "period", "month" (the first
// 7 characters of period), "direction", "trade_mode", "zone", "ebc", "dim_value",
// "dim_value2" (its first 2 characters), or "" (one row with key ""); with
// `and_dim_value` the rows are grouped by dim_value as well (histograms).
struct StatQuery {
  std::string dim, grain, period_from, period_to;
  std::string direction, trade_mode, zone, ebc;
  std::string group;
  bool and_dim_value = false;
  // The counters to read (bit i: counter i); the others are answered as 0. Reading fewer
  // is faster.
  uint32_t counters = (1u << kStatCounters) - 1;
};

struct StatGroup {
  std::string key;
  std::string dim_value;  // with StatQuery::and_dim_value
  StatCounters n{};
};

// One write transaction. Destroying it without Commit rolls it back. Commit, or an error
// from any method, finishes it: it is rolled back unless committed, the writer is free for
// the next BeginWrite, and every later call fails with kFailedPrecondition (the same on
// both engines; PostgreSQL aborts a transaction at its first error). Errors:
// kAlreadyExists on a unique key (a second message with the same guid), kUnavailable when
// the database is down or busy, kInternal otherwise. A WriteTxn must not outlive its
// Store; it may be used from one thread at a time (not necessarily the one that began it).
class WriteTxn {
 public:
  virtual ~WriteTxn() = default;
  virtual StatusOr<bool> MessageExists(const std::string& guid) = 0;
  virtual StatusOr<std::optional<DocumentRow>> FindDocument(const std::string& kind,
                                                            const std::string& scope,
                                                            const std::string& key) = 0;
  // Inserts or replaces the row with the same (kind, scope, key); sets row.id.
  virtual Status PutDocument(DocumentRow& row) = 0;
  virtual Status AddHistory(int64_t document_id, const HistoryRow& row) = 0;
  virtual Status AddMessage(const MessageRow& row) = 0;
  virtual Status AddReceipt(ReceiptRow& row) = 0;  // sets row.cursor

  // Module state: small values under (namespace, key), for the ledgers and matching
  // state of the business modules (quota, tax bills, stock, parcels waiting for a
  // document). Keys compare bytewise ("C" collation on PostgreSQL), so fixed-width
  // numbers in keys scan in order.
  virtual StatusOr<std::optional<std::string>> GetState(const std::string& ns,
                                                        const std::string& key) = 0;
  virtual Status PutState(const std::string& ns, const std::string& key,
                          const std::string& value) = 0;  // insert or replace
  virtual Status DeleteState(const std::string& ns, const std::string& key) = 0;
  // Entries with from <= key < to (to empty: no upper bound), key order, at most `limit`.
  virtual StatusOr<std::vector<std::pair<std::string, std::string>>> ScanState(
      const std::string& ns, const std::string& from, const std::string& to, int limit) = 0;
  // Sets the status, its text and time of a stored document (and its alt_key when
  // `alt_key` is not empty) without rewriting the rest of the row. NotFound if no row has
  // this id.
  virtual Status SetDocumentStatus(int64_t id, const std::string& status,
                                   const std::string& return_info, int64_t updated_ms,
                                   const std::string& alt_key) = 0;
  // The document with this id (deleted or not), for modules that keep ids.
  virtual StatusOr<std::optional<DocumentRow>> FindDocumentById(int64_t id) = 0;
  // Adds each cell's counters to the stored cell with the same key (a missing cell counts
  // as zero). The cells of one transaction are merged by key and written at Commit (they
  // are not readable before it; a failure to write them fails the Commit).
  virtual Status AddStatCells(std::vector<StatCell> cells) = 0;

  virtual Status Commit() = 0;
};

class Store {
 public:
  virtual ~Store() = default;
  static StatusOr<std::unique_ptr<Store>> Open(const StoreConfig& config);

  virtual std::string Engine() const = 0;  // "sqlite" or "postgresql"
  // Blocks while another WriteTxn of this Store is open (and, across Stores and processes
  // on one database, while another writer's transaction is open).
  virtual StatusOr<std::unique_ptr<WriteTxn>> BeginWrite() = 0;

  // Registry. The Put methods wait for the open WriteTxn: do not call them from a thread
  // that holds one.
  virtual Status PutEnterprise(const registry::Enterprise& e) = 0;  // insert or replace
  virtual StatusOr<std::optional<registry::Enterprise>> FindEnterprise(const std::string& code) = 0;
  virtual StatusOr<std::vector<registry::Enterprise>> ListEnterprises() = 0;
  virtual Status PutUser(const registry::User& u) = 0;
  virtual Status PutToken(const std::string& token_hash, const registry::Principal& p) = 0;
  virtual StatusOr<std::optional<registry::Principal>> FindToken(const std::string& token_hash) = 0;

  // Reads.
  // Documents of a kind whose key or alt_key equals `key`, in any scope, oldest first. An
  // empty `key` matches nothing.
  virtual StatusOr<std::vector<DocumentRow>> FindDocuments(const std::string& kind,
                                                           const std::string& key) = 0;
  // Documents of `kind` and `message_type` in `status`, not deleted, whose updated_ms is in
  // [updated_from_ms, updated_to_ms), with id > `after_id`: at most `limit`, in id order;
  // page on with the id of the last row (the monthly summary reads the lists closed in a
  // month this way). Index: documents (kind, status, updated_ms).
  virtual StatusOr<std::vector<DocumentRow>> DocumentsByStatus(
      const std::string& kind, const std::string& message_type, const std::string& status,
      int64_t updated_from_ms, int64_t updated_to_ms, int64_t after_id, int limit) = 0;
  virtual StatusOr<std::vector<HistoryRow>> History(int64_t document_id) = 0;  // oldest first
  // Whether some document of the buyer (DocumentRow::buyer_hash, deleted or not) names
  // `party_code` among its parties: the buyer's own platform may see the buyer's quota.
  // The code is matched exactly (no LIKE wildcards); an empty hash or code matches nothing.
  virtual StatusOr<bool> BuyerHasDocumentWith(const std::string& buyer_hash,
                                              const std::string& party_code) = 0;
  // Module state outside a transaction (committed values only); see WriteTxn::GetState.
  virtual StatusOr<std::optional<std::string>> ReadState(const std::string& ns,
                                                         const std::string& key) = 0;
  virtual StatusOr<std::vector<std::pair<std::string, std::string>>> ReadStateRange(
      const std::string& ns, const std::string& from, const std::string& to, int limit) = 0;
  // Receipts for `recipient` with cursor > after, at most `limit`, in cursor order. A
  // receipt becomes visible only with its transaction, and transactions become visible in
  // cursor order, so paging from the last cursor seen never skips one.
  virtual StatusOr<std::vector<ReceiptRow>> Receipts(const std::string& recipient, int64_t after,
                                                     int limit) = 0;
  // Counts for tests and /metrics.
  virtual StatusOr<int64_t> CountMessages() = 0;
  virtual StatusOr<int64_t> CountDocuments() = 0;
  virtual StatusOr<int64_t> CountReceipts() = 0;
  // All sealed message bodies in arrival order (replay, tests), at most `limit` with
  // MessageRow::id > `after`; page on with the id of the last row. Ids increase but may
  // have gaps (PostgreSQL does not reuse the ids of rolled back rows).
  virtual StatusOr<std::vector<MessageRow>> Messages(int64_t after, int limit) = 0;

  // Statistics cells summed per group (see StatQuery), in key order. InvalidArgument for an
  // unknown group. Index: stat_cells' primary key (dim, grain, period, ...).
  virtual StatusOr<std::vector<StatGroup>> QueryStats(const StatQuery& q) = 0;
  // The documents that name `party` among their parties (empty: every document), of
  // `kind` (empty: any), not deleted, with id < `before_id` (0: no bound), newest first, at
  // most `limit` (an enterprise's portal lists its own documents this way).
  virtual StatusOr<std::vector<DocumentRow>> DocumentsOfParty(const std::string& party,
                                                              const std::string& kind,
                                                              int64_t before_id, int limit) = 0;
};

}  // namespace shumao::store

#endif  // SHUMAO_STORE_STORE_H_

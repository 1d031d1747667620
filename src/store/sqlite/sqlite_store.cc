#include "store/sqlite/sqlite_store.h"

#include <sqlite3.h>

#include <bit>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <tuple>
#include <type_traits>
#include <unordered_map>
#include <utility>
#include <vector>

#include "store/internal.h"
#include "store/migrations/migrations.h"

namespace shumao::store {
namespace {

constexpr int kBusyTimeoutMs = 10000;
constexpr size_t kMaxIdleReaders = 8;

Status SqliteError(sqlite3* db, int rc, std::string_view what) {
  int code = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string message = "sqlite: " + std::string(what) + ": " +
                        (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
  switch (code & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN: return Status(Code::kUnavailable, std::move(message));
    case SQLITE_CONSTRAINT:
      if (code == SQLITE_CONSTRAINT_UNIQUE || code == SQLITE_CONSTRAINT_PRIMARYKEY) {
        return Status(Code::kAlreadyExists, std::move(message));
      }
      break;
    default: break;
  }
  return Internal(std::move(message));
}

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// A prepared statement borrowed from a connection's cache. Binds by 1-based index; the
// bound text and blobs are not copied, so they must outlive the last Step. Destruction
// resets the statement for its next use.
class Statement {
 public:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  Statement(Statement&& other) noexcept
      : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), bind_rc_(other.bind_rc_) {}
  Statement& operator=(Statement&&) = delete;
  ~Statement() {
    if (stmt_ != nullptr) {
      sqlite3_reset(stmt_);
      sqlite3_clear_bindings(stmt_);
    }
  }

  Statement& Text(int index, std::string_view value) {
    // A null pointer would bind SQL NULL; an empty value is the empty string.
    const char* data = value.data() != nullptr ? value.data() : "";
    Check(sqlite3_bind_text(stmt_, index, data, static_cast<int>(value.size()), SQLITE_STATIC));
    return *this;
  }
  Statement& Blob(int index, std::string_view value) {
    const char* data = value.data() != nullptr ? value.data() : "";
    Check(sqlite3_bind_blob(stmt_, index, data, static_cast<int>(value.size()), SQLITE_STATIC));
    return *this;
  }
  Statement& Int(int index, int64_t value) {
    Check(sqlite3_bind_int64(stmt_, index, value));
    return *this;
  }

  // True when a row is ready, false when the statement is done.
  StatusOr<bool> Step() {
    if (bind_rc_ != SQLITE_OK) return SqliteError(db_, bind_rc_, "bind");
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    return SqliteError(db_, rc, sqlite3_sql(stmt_));
  }
  // Steps through every row, turning each into a T with read(*this).
  template <typename T, typename Read>
  StatusOr<std::vector<T>> ReadAll(Read read) {
    std::vector<T> out;
    while (true) {
      ASSIGN_OR_RETURN(bool row, Step());
      if (!row) break;
      out.push_back(read(*this));
    }
    return out;
  }
  // Steps a statement that returns no rows (or whose rows are not wanted).
  Status Run() {
    StatusOr<bool> row = Step();
    return row.ok() ? Status::Ok() : row.status();
  }

  std::string ColText(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p != nullptr ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }
  std::string ColBlob(int col) const {
    const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p != nullptr ? std::string(p, sqlite3_column_bytes(stmt_, col)) : std::string();
  }
  int64_t ColInt(int col) const { return sqlite3_column_int64(stmt_, col); }
  // Valid until the next Step.
  std::string_view ColView(int col) const {
    const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, col));
    return p != nullptr ? std::string_view(p, sqlite3_column_bytes(stmt_, col))
                        : std::string_view();
  }

 private:
  void Check(int rc) {
    if (rc != SQLITE_OK && bind_rc_ == SQLITE_OK) bind_rc_ = rc;
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bind_rc_ = SQLITE_OK;
};

// One database connection and its cache of prepared statements. Used by one thread at a
// time (the store hands it out under a lock).
class Connection {
 public:
  static StatusOr<std::unique_ptr<Connection>> Open(const std::string& path, bool writer) {
    sqlite3* db = nullptr;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX | (writer ? SQLITE_OPEN_CREATE : 0);
    int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
    auto conn = std::unique_ptr<Connection>(new Connection(db));
    if (rc != SQLITE_OK) return SqliteError(db, rc, "open " + path);
    sqlite3_extended_result_codes(db, 1);
    rc = sqlite3_busy_timeout(db, kBusyTimeoutMs);
    if (rc != SQLITE_OK) return SqliteError(db, rc, "busy_timeout");
    // WAL lets readers run beside the writer; synchronous=FULL fsyncs the WAL on every
    // commit, so a committed transaction is durable (NORMAL could lose the last commits
    // on power loss). 16 KiB pages (new files only) hold several documents or sealed
    // messages each: the intake's write path measured about a third less CPU than with 4.
    RETURN_IF_ERROR(conn->Exec(
        writer ? "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                 "PRAGMA foreign_keys=OFF; PRAGMA cache_size=-65536;"
               : "PRAGMA query_only=ON; PRAGMA cache_size=-16384;"));
    return conn;
  }

  ~Connection() {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  sqlite3* db() const { return db_; }
  // Runs one or more statements without parameters, ignoring any rows.
  Status Exec(const char* sql, std::string_view what = {}) {
    char* error = nullptr;
    int rc = sqlite3_exec(db_, sql, nullptr, nullptr, &error);
    sqlite3_free(error);
    if (rc != SQLITE_OK) return SqliteError(db_, rc, what.empty() ? sql : what);
    return Status::Ok();
  }

  int64_t LastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
  sqlite3* raw() const { return db_; }
  void SetLastInsertRowid(int64_t id) { sqlite3_set_last_insert_rowid(db_, id); }

  // `sql` must have static storage duration: the cache is keyed by its address.
  StatusOr<Statement> Prepare(const char* sql) {
    auto it = cache_.find(sql);
    if (it == cache_.end()) {
      sqlite3_stmt* stmt = nullptr;
      int rc = sqlite3_prepare_v3(db_, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr);
      if (rc != SQLITE_OK) return SqliteError(db_, rc, sql);
      it = cache_.emplace(sql, stmt).first;
    }
    return Statement(db_, it->second);
  }

 private:
  explicit Connection(sqlite3* db) : db_(db) {}

  sqlite3* db_;
  std::unordered_map<const char*, sqlite3_stmt*> cache_;
};

// ---- SQL. Parameters are numbered (?N) in the order they are bound.

#define SHUMAO_DOC_COLUMNS                                                               \
  "id, kind, scope, doc_key, alt_key, message_type, status, return_info, guid, sender, " \
  "parties, body_json, pii_sealed, buyer_hash, updated_ms, deleted"

constexpr char kBegin[] = "BEGIN IMMEDIATE";
constexpr char kCommit[] = "COMMIT";
constexpr char kRollback[] = "ROLLBACK";

constexpr char kCreateMigrations[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)";
constexpr char kSelectVersions[] = "SELECT version FROM schema_migrations";
constexpr char kInsertVersion[] =
    "INSERT INTO schema_migrations (version, applied_ms) VALUES (?1, ?2)";

constexpr char kMessageExists[] = "SELECT 1 FROM messages WHERE guid = ?1";
constexpr char kGetState[] = "SELECT v FROM module_state WHERE ns = ?1 AND k = ?2";
constexpr char kPutState[] =
    "INSERT INTO module_state (ns, k, v) VALUES (?1, ?2, ?3) "
    "ON CONFLICT (ns, k) DO UPDATE SET v = excluded.v";
constexpr char kDeleteState[] = "DELETE FROM module_state WHERE ns = ?1 AND k = ?2";
constexpr char kScanState[] =
    "SELECT k, v FROM module_state WHERE ns = ?1 AND k >= ?2 ORDER BY k LIMIT ?3";
constexpr char kScanStateTo[] =
    "SELECT k, v FROM module_state WHERE ns = ?1 AND k >= ?2 AND k < ?3 ORDER BY k LIMIT ?4";
constexpr char kSetDocumentStatus[] =
    "UPDATE documents SET status = ?2, return_info = ?3, updated_ms = ?4, "
    "alt_key = CASE WHEN ?5 = '' THEN alt_key ELSE ?5 END WHERE id = ?1";
constexpr char kFindDocumentById[] = "SELECT " SHUMAO_DOC_COLUMNS " FROM documents WHERE id = ?1";
constexpr char kFindDocument[] =
    "SELECT " SHUMAO_DOC_COLUMNS " FROM documents WHERE kind = ?1 AND scope = ?2 AND doc_key = ?3";
constexpr char kPutDocument[] =
    "INSERT INTO documents (kind, scope, doc_key, alt_key, message_type, status, return_info, "
    "guid, sender, parties, body_json, pii_sealed, buyer_hash, updated_ms, deleted) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15) "
    "ON CONFLICT (kind, doc_key, scope) DO UPDATE SET alt_key = excluded.alt_key, "
    "message_type = excluded.message_type, status = excluded.status, "
    "return_info = excluded.return_info, guid = excluded.guid, sender = excluded.sender, "
    "parties = excluded.parties, body_json = excluded.body_json, "
    "pii_sealed = excluded.pii_sealed, buyer_hash = excluded.buyer_hash, "
    "updated_ms = excluded.updated_ms, deleted = excluded.deleted";
constexpr char kDocumentId[] =
    "SELECT id FROM documents WHERE kind = ?1 AND scope = ?2 AND doc_key = ?3";
constexpr char kAddHistory[] =
    "INSERT INTO doc_history (document_id, status, time_ms, info) VALUES (?1, ?2, ?3, ?4)";
constexpr char kAddMessage[] =
    "INSERT INTO messages (guid, type, sender, format, received_ms, body_sealed) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6)";
constexpr char kAddReceipt[] =
    "INSERT INTO receipts (recipient, type, return_status, return_info, keys_json, xml, "
    "time_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";

constexpr char kPutEnterprise[] =
    "INSERT INTO enterprises (code, name, roles, zone, park) VALUES (?1, ?2, ?3, ?4, ?5) "
    "ON CONFLICT (code) DO UPDATE SET name = excluded.name, roles = excluded.roles, "
    "zone = excluded.zone, park = excluded.park";
constexpr char kFindEnterprise[] =
    "SELECT code, name, roles, zone, park FROM enterprises WHERE code = ?1";
constexpr char kListEnterprises[] =
    "SELECT code, name, roles, zone, park FROM enterprises ORDER BY code";
constexpr char kPutUser[] =
    "INSERT INTO users (name, department) VALUES (?1, ?2) "
    "ON CONFLICT (name) DO UPDATE SET department = excluded.department";
constexpr char kPutToken[] =
    "INSERT INTO tokens (hash, kind, principal_id, department) VALUES (?1, ?2, ?3, ?4) "
    "ON CONFLICT (hash) DO UPDATE SET kind = excluded.kind, "
    "principal_id = excluded.principal_id, department = excluded.department";
constexpr char kFindToken[] = "SELECT kind, principal_id, department FROM tokens WHERE hash = ?1";

// Two index searches merged, not one OR: without statistics SQLite would search by kind
// alone. The second arm skips rows the first one already has.
constexpr char kFindDocuments[] =
    "SELECT " SHUMAO_DOC_COLUMNS
    " FROM documents WHERE kind = ?1 AND doc_key = ?2 "
    "UNION ALL SELECT " SHUMAO_DOC_COLUMNS
    " FROM documents WHERE kind = ?1 AND alt_key = ?2 AND alt_key <> '' AND doc_key <> ?2 "
    "ORDER BY id";
// "buyer_hash <> ''" lets SQLite use the partial index documents_buyer_hash.
constexpr char kBuyerHasDocumentWith[] =
    "SELECT 1 FROM documents WHERE buyer_hash = ?1 AND buyer_hash <> '' "
    "AND parties LIKE ?2 ESCAPE '\\' LIMIT 1";
constexpr char kDocumentsOfParty[] =
    "SELECT " SHUMAO_DOC_COLUMNS
    " FROM documents WHERE (?1 = '' OR parties LIKE ?2 ESCAPE '\\') AND (?3 = '' OR kind = ?3) "
    "AND deleted = 0 AND (?4 = 0 OR id < ?4) ORDER BY id DESC LIMIT ?5";

// The statistics statements, made once: their addresses key the statement cache.
const std::string& StatUpsert() {
  static const std::string sql = StatUpsertSql('?');
  return sql;
}
// Made on first use per (group column, counters) and kept: their addresses key the
// connections' statement caches.
StatusOr<const std::string*> StatScanFor(const std::string& group, uint32_t counters,
                                         uint32_t filters) {
  static std::mutex mu;
  static auto* sqls = new std::map<std::tuple<std::string, uint32_t, uint32_t>, std::string>();
  std::lock_guard lock(mu);
  auto it = sqls->find({group, counters, filters});
  if (it == sqls->end()) {
    ASSIGN_OR_RETURN(std::string sql, StatScanSql(group, counters, filters, '?'));
    it = sqls->emplace(std::tuple{group, counters, filters}, std::move(sql)).first;
  }
  return &it->second;
}

constexpr char kDocumentsByStatus[] =
    "SELECT " SHUMAO_DOC_COLUMNS
    " FROM documents INDEXED BY documents_kind_status_id WHERE kind = ?1 AND status = ?3 "
    "AND id > ?6 AND updated_ms >= ?4 AND updated_ms < ?5 AND message_type = ?2 AND deleted = 0 "
    "ORDER BY id LIMIT ?7";
constexpr char kHistory[] =
    "SELECT status, time_ms, info FROM doc_history WHERE document_id = ?1 ORDER BY id";
constexpr char kReceipts[] =
    "SELECT cursor, recipient, type, return_status, return_info, keys_json, xml, time_ms "
    "FROM receipts WHERE recipient = ?1 AND cursor > ?2 ORDER BY cursor LIMIT ?3";
constexpr char kCountMessages[] = "SELECT count(*) FROM messages";
constexpr char kCountDocuments[] = "SELECT count(*) FROM documents";
constexpr char kCountReceipts[] = "SELECT count(*) FROM receipts";
constexpr char kMessages[] =
    "SELECT id, guid, type, sender, format, received_ms, body_sealed FROM messages "
    "WHERE id > ?1 ORDER BY id LIMIT ?2";

#undef SHUMAO_DOC_COLUMNS

DocumentRow ReadDocument(const Statement& s) {
  DocumentRow row;
  row.id = s.ColInt(0);
  row.kind = s.ColText(1);
  row.scope = s.ColText(2);
  row.key = s.ColText(3);
  row.alt_key = s.ColText(4);
  row.message_type = s.ColText(5);
  row.status = s.ColText(6);
  row.return_info = s.ColText(7);
  row.guid = s.ColText(8);
  row.sender = s.ColText(9);
  row.parties = s.ColText(10);
  row.body_json = s.ColText(11);
  row.pii_sealed = s.ColBlob(12);
  row.buyer_hash = s.ColText(13);
  row.updated_ms = s.ColInt(14);
  row.deleted = s.ColInt(15) != 0;
  return row;
}

StatusOr<std::vector<std::pair<std::string, std::string>>> ScanStateOn(Connection& conn,
                                                                       const std::string& ns,
                                                                       const std::string& from,
                                                                       const std::string& to,
                                                                       int limit);

registry::Enterprise ReadEnterprise(const Statement& s) {
  registry::Enterprise e;
  e.code = s.ColText(0);
  e.name = s.ColText(1);
  e.roles = SplitRoles(s.ColText(2));
  e.zone = s.ColText(3);
  e.park = s.ColText(4);
  return e;
}

// Applies the migrations the database has not seen, all in one IMMEDIATE transaction so
// that concurrent openers of one file apply each version once.
Status Migrate(Connection& conn) {
  RETURN_IF_ERROR(conn.Exec("BEGIN IMMEDIATE"));
  Status status = [&]() -> Status {
    RETURN_IF_ERROR(conn.Exec(kCreateMigrations));
    std::set<int64_t> applied;
    {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(kSelectVersions));
      while (true) {
        ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        applied.insert(s.ColInt(0));
      }
    }
    std::span<const Migration> migrations = SqliteMigrations();
    if (!applied.empty() && *applied.rbegin() > migrations.back().version) {
      return Status(Code::kFailedPrecondition, "sqlite: database schema version " +
                                                   std::to_string(*applied.rbegin()) +
                                                   " is newer than this program's " +
                                                   std::to_string(migrations.back().version));
    }
    for (const Migration& m : migrations) {
      if (applied.contains(m.version)) continue;
      RETURN_IF_ERROR(
          conn.Exec(std::string(m.sql).c_str(), "migration " + std::to_string(m.version)));
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(kInsertVersion));
      RETURN_IF_ERROR(s.Int(1, m.version).Int(2, NowMs()).Run());
    }
    return conn.Exec("COMMIT");
  }();
  if (!status.ok()) (void)conn.Exec("ROLLBACK");
  return status;
}

StatusOr<std::vector<std::pair<std::string, std::string>>> ScanStateOn(Connection& conn,
                                                                       const std::string& ns,
                                                                       const std::string& from,
                                                                       const std::string& to,
                                                                       int limit) {
  if (limit <= 0) return std::vector<std::pair<std::string, std::string>>();
  ASSIGN_OR_RETURN(Statement s, conn.Prepare(to.empty() ? kScanState : kScanStateTo));
  s.Text(1, ns).Text(2, from);
  if (to.empty()) {
    s.Int(3, limit);
  } else {
    s.Text(3, to).Int(4, limit);
  }
  return s.ReadAll<std::pair<std::string, std::string>>(
      [](const Statement& r) { return std::make_pair(r.ColText(0), r.ColText(1)); });
}

class SqliteStore;

class SqliteWriteTxn final : public TrackedWriteTxn {
 public:
  // Takes over `gate`, already acquired, and `conn`, inside BEGIN IMMEDIATE.
  SqliteWriteTxn(WriteGate& gate, Connection& conn) : gate_(gate), conn_(conn) {}
  ~SqliteWriteTxn() override { Finish(); }

  StatusOr<bool> MessageExists(const std::string& guid) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> StatusOr<bool> {
      ASSIGN_OR_RETURN(Statement s, conn_.Prepare(kMessageExists));
      return s.Text(1, guid).Step();
    }());
  }

  StatusOr<std::optional<std::string>> GetState(const std::string& ns,
                                                const std::string& key) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> StatusOr<std::optional<std::string>> {
      ASSIGN_OR_RETURN(Statement s, conn_.Prepare(kGetState));
      ASSIGN_OR_RETURN(bool row, s.Text(1, ns).Text(2, key).Step());
      if (!row) return std::optional<std::string>();
      return std::optional<std::string>(s.ColText(0));
    }());
  }

  Status PutState(const std::string& ns, const std::string& key,
                  const std::string& value) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> Status {
      ASSIGN_OR_RETURN(Statement s, conn_.Prepare(kPutState));
      return s.Text(1, ns).Text(2, key).Text(3, value).Run();
    }());
  }

  Status DeleteState(const std::string& ns, const std::string& key) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> Status {
      ASSIGN_OR_RETURN(Statement s, conn_.Prepare(kDeleteState));
      return s.Text(1, ns).Text(2, key).Run();
    }());
  }

  StatusOr<std::vector<std::pair<std::string, std::string>>> ScanState(const std::string& ns,
                                                                       const std::string& from,
                                                                       const std::string& to,
                                                                       int limit) override {
    RETURN_IF_ERROR(Usable());
    return Track(ScanStateOn(conn_, ns, from, to, limit));
  }

  Status SetDocumentStatus(int64_t id, const std::string& status, const std::string& return_info,
                           int64_t updated_ms, const std::string& alt_key) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> Status {
      ASSIGN_OR_RETURN(Statement s, conn_.Prepare(kSetDocumentStatus));
      s.Int(1, id).Text(2, status).Text(3, return_info).Int(4, updated_ms).Text(5, alt_key);
      RETURN_IF_ERROR(s.Run());
      if (sqlite3_changes(conn_.db()) == 0) {
        return Status(Code::kNotFound, "no document with id " + std::to_string(id));
      }
      return Status::Ok();
    }());
  }

  StatusOr<std::optional<DocumentRow>> FindDocumentById(int64_t id) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> StatusOr<std::optional<DocumentRow>> {
      ASSIGN_OR_RETURN(Statement s, conn_.Prepare(kFindDocumentById));
      ASSIGN_OR_RETURN(bool row, s.Int(1, id).Step());
      if (!row) return std::optional<DocumentRow>();
      return std::optional<DocumentRow>(ReadDocument(s));
    }());
  }

  Status WriteStatCells(const std::vector<StatCell>& cells) override {
    return [&]() -> Status {
      for (const StatCell& c : cells) {
        ASSIGN_OR_RETURN(Statement s, conn_.Prepare(StatUpsert().c_str()));
        s.Text(1, c.dim).Text(2, c.grain).Text(3, c.period).Text(4, c.direction);
        s.Text(5, c.trade_mode).Text(6, c.zone).Text(7, c.ebc).Text(8, c.dim_value);
        for (int k = 0; k < kStatCounters; ++k) s.Int(9 + k, c.n[k]);
        RETURN_IF_ERROR(s.Run());
      }
      return Status::Ok();
    }();
  }

  StatusOr<std::optional<DocumentRow>> FindDocument(const std::string& kind,
                                                    const std::string& scope,
                                                    const std::string& key) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> StatusOr<std::optional<DocumentRow>> {
      ASSIGN_OR_RETURN(Statement s, conn_.Prepare(kFindDocument));
      ASSIGN_OR_RETURN(bool row, s.Text(1, kind).Text(2, scope).Text(3, key).Step());
      if (!row) return std::optional<DocumentRow>();
      return std::optional<DocumentRow>(ReadDocument(s));
    }());
  }

  Status PutDocument(DocumentRow& row) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> Status {
      ASSIGN_OR_RETURN(Statement s, conn_.Prepare(kPutDocument));
      s.Text(1, row.kind).Text(2, row.scope).Text(3, row.key).Text(4, row.alt_key);
      s.Text(5, row.message_type).Text(6, row.status).Text(7, row.return_info);
      s.Text(8, row.guid).Text(9, row.sender).Text(10, row.parties).Text(11, row.body_json);
      s.Blob(12, row.pii_sealed).Text(13, row.buyer_hash).Int(14, row.updated_ms);
      s.Int(15, row.deleted ? 1 : 0);
      // Not RETURNING id: in SQLite 3.40 it makes the upsert about 40% slower. An insert
      // sets last_insert_rowid (ids start at 1); the update path leaves the 0 set here.
      conn_.SetLastInsertRowid(0);
      RETURN_IF_ERROR(s.Run());
      row.id = conn_.LastInsertRowid();
      if (row.id != 0) return Status::Ok();
      ASSIGN_OR_RETURN(Statement q, conn_.Prepare(kDocumentId));
      ASSIGN_OR_RETURN(bool found, q.Text(1, row.kind).Text(2, row.scope).Text(3, row.key).Step());
      if (!found) return Internal("sqlite: upserted document not found");
      row.id = q.ColInt(0);
      return Status::Ok();
    }());
  }

  Status AddHistory(int64_t document_id, const HistoryRow& row) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> Status {
      ASSIGN_OR_RETURN(Statement s, conn_.Prepare(kAddHistory));
      return s.Int(1, document_id).Text(2, row.status).Int(3, row.time_ms).Text(4, row.info).Run();
    }());
  }

  Status AddMessage(const MessageRow& row) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> Status {
      ASSIGN_OR_RETURN(Statement s, conn_.Prepare(kAddMessage));
      s.Text(1, row.guid).Text(2, row.type).Text(3, row.sender).Text(4, row.format);
      return s.Int(5, row.received_ms).Blob(6, row.body_sealed).Run();
    }());
  }

  Status AddReceipt(ReceiptRow& row) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> Status {
      ASSIGN_OR_RETURN(Statement s, conn_.Prepare(kAddReceipt));
      s.Text(1, row.recipient).Text(2, row.type).Text(3, row.return_status);
      s.Text(4, row.return_info).Text(5, row.keys_json).Text(6, row.xml).Int(7, row.time_ms);
      RETURN_IF_ERROR(s.Run());
      row.cursor = conn_.LastInsertRowid();
      return Status::Ok();
    }());
  }

  Status Commit() override {
    RETURN_IF_ERROR(Usable());
    RETURN_IF_ERROR(FlushStatCells());
    Status status = Track([&]() -> Status {
      ASSIGN_OR_RETURN(Statement s, conn_.Prepare(kCommit));
      return s.Run();
    }());
    if (status.ok()) MarkCommitted();
    Finish();
    return status;
  }

 private:
  // Rolls back unless committed and frees the writer for the next BeginWrite.
  void Release(bool committed) override {
    if (!committed) {
      StatusOr<Statement> s = conn_.Prepare(kRollback);
      if (s.ok()) (void)s->Run();  // fails harmlessly if SQLite already rolled back
    }
    gate_.Release();
  }

  WriteGate& gate_;
  Connection& conn_;
};

class SqliteStore final : public Store {
 public:
  SqliteStore(std::string path, std::unique_ptr<Connection> writer,
              std::unique_ptr<Connection> checkpointer)
      : path_(std::move(path)),
        writer_(std::move(writer)),
        checkpoint_conn_(std::move(checkpointer)),
        checkpoint_thread_([this] { CheckpointLoop(); }) {}

  ~SqliteStore() override {
    {
      std::lock_guard lock(checkpoint_mu_);
      stop_ = true;
    }
    checkpoint_cv_.notify_all();
    checkpoint_thread_.join();
  }

  std::string Engine() const override { return "sqlite"; }

  StatusOr<std::unique_ptr<WriteTxn>> BeginWrite() override {
    gate_.Acquire();
    StatusOr<Statement> begin = writer_->Prepare(kBegin);
    Status status = begin.ok() ? begin->Run() : begin.status();
    if (!status.ok()) {
      gate_.Release();
      return status;
    }
    return std::unique_ptr<WriteTxn>(new SqliteWriteTxn(gate_, *writer_));
  }

  Status PutEnterprise(const registry::Enterprise& e) override {
    GateHold hold(gate_);
    ASSIGN_OR_RETURN(Statement s, writer_->Prepare(kPutEnterprise));
    std::string roles = JoinRoles(e.roles);
    return s.Text(1, e.code).Text(2, e.name).Text(3, roles).Text(4, e.zone).Text(5, e.park).Run();
  }

  StatusOr<std::optional<registry::Enterprise>> FindEnterprise(const std::string& code) override {
    return WithReader([&](Connection& conn) -> StatusOr<std::optional<registry::Enterprise>> {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(kFindEnterprise));
      ASSIGN_OR_RETURN(bool row, s.Text(1, code).Step());
      if (!row) return std::optional<registry::Enterprise>();
      return std::optional<registry::Enterprise>(ReadEnterprise(s));
    });
  }

  StatusOr<std::vector<registry::Enterprise>> ListEnterprises() override {
    return WithReader([&](Connection& conn) -> StatusOr<std::vector<registry::Enterprise>> {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(kListEnterprises));
      return s.ReadAll<registry::Enterprise>(ReadEnterprise);
    });
  }

  Status PutUser(const registry::User& u) override {
    GateHold hold(gate_);
    ASSIGN_OR_RETURN(Statement s, writer_->Prepare(kPutUser));
    return s.Text(1, u.name).Text(2, u.department).Run();
  }

  Status PutToken(const std::string& token_hash, const registry::Principal& p) override {
    GateHold hold(gate_);
    ASSIGN_OR_RETURN(Statement s, writer_->Prepare(kPutToken));
    s.Text(1, token_hash).Text(2, PrincipalKindName(p.kind)).Text(3, p.id).Text(4, p.department);
    return s.Run();
  }

  StatusOr<std::optional<registry::Principal>> FindToken(const std::string& token_hash) override {
    return WithReader([&](Connection& conn) -> StatusOr<std::optional<registry::Principal>> {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(kFindToken));
      ASSIGN_OR_RETURN(bool row, s.Text(1, token_hash).Step());
      if (!row) return std::optional<registry::Principal>();
      registry::Principal p;
      ASSIGN_OR_RETURN(p.kind, ParsePrincipalKind(s.ColText(0)));
      p.id = s.ColText(1);
      p.department = s.ColText(2);
      return std::optional<registry::Principal>(std::move(p));
    });
  }

  StatusOr<std::vector<DocumentRow>> FindDocuments(const std::string& kind,
                                                   const std::string& key) override {
    if (key.empty()) return std::vector<DocumentRow>();  // documents without alt_key
    return WithReader([&](Connection& conn) -> StatusOr<std::vector<DocumentRow>> {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(kFindDocuments));
      s.Text(1, kind).Text(2, key);
      return s.ReadAll<DocumentRow>(ReadDocument);
    });
  }

  StatusOr<std::vector<DocumentRow>> DocumentsByStatus(
      const std::string& kind, const std::string& message_type, const std::string& status,
      int64_t updated_from_ms, int64_t updated_to_ms, int64_t after_id, int limit) override {
    if (limit <= 0) return std::vector<DocumentRow>();
    return WithReader([&](Connection& conn) -> StatusOr<std::vector<DocumentRow>> {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(kDocumentsByStatus));
      s.Text(1, kind).Text(2, message_type).Text(3, status).Int(4, updated_from_ms);
      s.Int(5, updated_to_ms).Int(6, after_id).Int(7, limit);
      return s.ReadAll<DocumentRow>(ReadDocument);
    });
  }

  StatusOr<std::vector<StatGroup>> QueryStats(const StatQuery& q) override {
    ASSIGN_OR_RETURN(const std::string* sql, StatScanFor(q.group, q.counters, StatFilters(q)));
    return WithReader([&](Connection& conn) -> StatusOr<std::vector<StatGroup>> {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(sql->c_str()));
      s.Text(1, q.dim).Text(2, q.grain).Text(3, q.period_from).Text(4, q.period_to);
      int param = 5;
      for (const std::string* v : StatFilterValues(q)) s.Text(param++, *v);
      StatFolder fold(q);
      int n = std::popcount(q.counters);
      int64_t values[kStatCounters];
      while (true) {
        ASSIGN_OR_RETURN(bool row, s.Step());
        if (!row) break;
        for (int i = 0; i < n; ++i) values[i] = s.ColInt(2 + i);
        fold.Add(s.ColView(0), s.ColView(1), values);
      }
      return fold.Done();
    });
  }

  StatusOr<std::vector<DocumentRow>> DocumentsOfParty(const std::string& party,
                                                      const std::string& kind, int64_t before_id,
                                                      int limit) override {
    if (limit <= 0) return std::vector<DocumentRow>();
    std::string pattern = PartiesLikePattern(party);
    return WithReader([&](Connection& conn) -> StatusOr<std::vector<DocumentRow>> {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(kDocumentsOfParty));
      s.Text(1, party).Text(2, pattern).Text(3, kind).Int(4, before_id).Int(5, limit);
      return s.ReadAll<DocumentRow>(ReadDocument);
    });
  }

  StatusOr<std::optional<std::string>> ReadState(const std::string& ns,
                                                 const std::string& key) override {
    return WithReader([&](Connection& conn) -> StatusOr<std::optional<std::string>> {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(kGetState));
      ASSIGN_OR_RETURN(bool row, s.Text(1, ns).Text(2, key).Step());
      if (!row) return std::optional<std::string>();
      return std::optional<std::string>(s.ColText(0));
    });
  }

  StatusOr<std::vector<std::pair<std::string, std::string>>> ReadStateRange(const std::string& ns,
                                                                            const std::string& from,
                                                                            const std::string& to,
                                                                            int limit) override {
    return WithReader([&](Connection& conn) { return ScanStateOn(conn, ns, from, to, limit); });
  }

  StatusOr<bool> BuyerHasDocumentWith(const std::string& buyer_hash,
                                      const std::string& party_code) override {
    if (buyer_hash.empty() || party_code.empty()) return false;
    return WithReader([&](Connection& conn) -> StatusOr<bool> {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(kBuyerHasDocumentWith));
      s.Text(1, buyer_hash).Text(2, PartiesLikePattern(party_code));
      return s.Step();
    });
  }

  StatusOr<std::vector<HistoryRow>> History(int64_t document_id) override {
    return WithReader([&](Connection& conn) -> StatusOr<std::vector<HistoryRow>> {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(kHistory));
      s.Int(1, document_id);
      return s.ReadAll<HistoryRow>([](const Statement& r) {
        return HistoryRow{r.ColText(0), r.ColInt(1), r.ColText(2)};
      });
    });
  }

  StatusOr<std::vector<ReceiptRow>> Receipts(const std::string& recipient, int64_t after,
                                             int limit) override {
    if (limit <= 0) return std::vector<ReceiptRow>();
    return WithReader([&](Connection& conn) -> StatusOr<std::vector<ReceiptRow>> {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(kReceipts));
      s.Text(1, recipient).Int(2, after).Int(3, limit);
      return s.ReadAll<ReceiptRow>([](const Statement& q) {
        ReceiptRow r;
        r.cursor = q.ColInt(0);
        r.recipient = q.ColText(1);
        r.type = q.ColText(2);
        r.return_status = q.ColText(3);
        r.return_info = q.ColText(4);
        r.keys_json = q.ColText(5);
        r.xml = q.ColText(6);
        r.time_ms = q.ColInt(7);
        return r;
      });
    });
  }

  StatusOr<int64_t> CountMessages() override { return Count(kCountMessages); }
  StatusOr<int64_t> CountDocuments() override { return Count(kCountDocuments); }
  StatusOr<int64_t> CountReceipts() override { return Count(kCountReceipts); }

  StatusOr<std::vector<MessageRow>> Messages(int64_t after, int limit) override {
    if (limit <= 0) return std::vector<MessageRow>();
    return WithReader([&](Connection& conn) -> StatusOr<std::vector<MessageRow>> {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(kMessages));
      s.Int(1, after).Int(2, limit);
      return s.ReadAll<MessageRow>([](const Statement& q) {
        MessageRow m;
        m.id = q.ColInt(0);
        m.guid = q.ColText(1);
        m.type = q.ColText(2);
        m.sender = q.ColText(3);
        m.format = q.ColText(4);
        m.received_ms = q.ColInt(5);
        m.body_sealed = q.ColBlob(6);
        return m;
      });
    });
  }

 private:
  StatusOr<int64_t> Count(const char* sql) {
    return WithReader([&](Connection& conn) -> StatusOr<int64_t> {
      ASSIGN_OR_RETURN(Statement s, conn.Prepare(sql));
      ASSIGN_OR_RETURN(bool row, s.Step());
      if (!row) return Internal("sqlite: count returned no row");
      return s.ColInt(0);
    });
  }

  // Runs fn(Connection&) on an idle read connection (opening one if none is idle).
  template <typename Fn>
  auto WithReader(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    std::unique_ptr<Connection> conn;
    {
      std::lock_guard lock(readers_mu_);
      if (!idle_readers_.empty()) {
        conn = std::move(idle_readers_.back());
        idle_readers_.pop_back();
      }
    }
    if (conn == nullptr) {
      ASSIGN_OR_RETURN(conn, Connection::Open(path_, /*writer=*/false));
    }
    auto result = fn(*conn);
    std::lock_guard lock(readers_mu_);
    if (idle_readers_.size() < kMaxIdleReaders) idle_readers_.push_back(std::move(conn));
    return result;
  }

  // Copies the WAL back into the database from this thread, so that the writer's
  // COMMIT does not pay for checkpoints (the writer runs with wal_autocheckpoint=0).
  // PASSIVE: never waits for readers or the writer; what it cannot copy now it copies on
  // a later round. Runs every 200 ms and once more on close.
  void CheckpointLoop() {
    std::unique_lock lock(checkpoint_mu_);
    while (!stop_) {
      checkpoint_cv_.wait_for(lock, std::chrono::milliseconds(200));
      lock.unlock();
      sqlite3_wal_checkpoint_v2(checkpoint_conn_->raw(), nullptr, SQLITE_CHECKPOINT_PASSIVE,
                                nullptr, nullptr);
      lock.lock();
    }
  }

  std::string path_;
  WriteGate gate_;                      // held by the open WriteTxn or a registry write
  std::unique_ptr<Connection> writer_;  // used only by the holder of gate_
  std::mutex readers_mu_;
  std::vector<std::unique_ptr<Connection>> idle_readers_;  // guarded by readers_mu_
  std::unique_ptr<Connection> checkpoint_conn_;            // used only by checkpoint_thread_
  std::mutex checkpoint_mu_;
  std::condition_variable checkpoint_cv_;
  bool stop_ = false;              // guarded by checkpoint_mu_
  std::thread checkpoint_thread_;  // last: starts once everything above exists
};

}  // namespace

StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const StoreConfig& config) {
  const std::string& path = config.url;
  if (path.empty() || path == ":memory:" || path.starts_with("file:")) {
    return InvalidArgument("sqlite: the store needs a file path, not \"" + path + "\"");
  }
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer, Connection::Open(path, /*writer=*/true));
  RETURN_IF_ERROR(Migrate(*writer));
  // The background checkpointer (CheckpointLoop) copies the WAL; after a reset the WAL
  // file is cut back to 64 MiB so that it does not keep the size of a burst.
  RETURN_IF_ERROR(writer->Exec("PRAGMA wal_autocheckpoint=0; PRAGMA journal_size_limit=67108864"));
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> checkpointer,
                   Connection::Open(path, /*writer=*/false));
  return std::unique_ptr<Store>(new SqliteStore(path, std::move(writer), std::move(checkpointer)));
}

}  // namespace shumao::store

#include "store/postgres/postgres_store.h"

#include <libpq-fe.h>

#include <algorithm>
#include <bit>
#include <chrono>
#include <cstring>
#include <map>
#include <mutex>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <unordered_set>
#include <utility>
#include <vector>

#include "store/internal.h"
#include "store/migrations/migrations.h"

namespace shumao::store {
namespace {

constexpr size_t kMaxIdleConnections = 8;
// pg_advisory_xact_lock keys ("shumao" + purpose); shared by every schema of a database.
constexpr int64_t kMigrationLockKey = 0x7368756d616f0001;
constexpr int64_t kWriteLockKey = 0x7368756d616f0002;

// Type OIDs of the parameters we send (pg_type.h is a server header).
constexpr Oid kInt8Oid = 20;
constexpr Oid kTextOid = 25;
constexpr Oid kByteaOid = 17;
constexpr Oid kBoolOid = 16;

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::string Trimmed(const char* message) {
  std::string s = message != nullptr ? message : "";
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

// Turns a failed result (or a failure without one) into a Status with the server's text.
Status PgError(PGconn* conn, const PGresult* res, std::string_view what) {
  std::string message = "postgresql: " + std::string(what) + ": " +
                        Trimmed(res != nullptr ? PQresultErrorMessage(res) : PQerrorMessage(conn));
  const char* state = res != nullptr ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : nullptr;
  std::string_view sqlstate = state != nullptr ? state : "";
  if (PQstatus(conn) != CONNECTION_OK || sqlstate.starts_with("08") ||
      sqlstate.starts_with("57P") || sqlstate == "53300") {
    // Connection exceptions, server shutting down, too many connections.
    return Status(Code::kUnavailable, std::move(message));
  }
  if (sqlstate == "23505") return Status(Code::kAlreadyExists, std::move(message));
  return Internal(std::move(message));
}

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

// A successful result in binary format: text columns are their UTF-8 bytes, bytea its
// raw bytes, integers big-endian, booleans one byte.
class Result {
 public:
  explicit Result(ResultPtr res) : res_(std::move(res)) {}
  int Rows() const { return PQntuples(res_.get()); }
  std::string Bytes(int row, int col) const {
    return std::string(PQgetvalue(res_.get(), row, col), PQgetlength(res_.get(), row, col));
  }
  std::string_view View(int row, int col) const {
    return std::string_view(PQgetvalue(res_.get(), row, col), PQgetlength(res_.get(), row, col));
  }
  int64_t Int(int row, int col) const {
    const auto* p = reinterpret_cast<const unsigned char*>(PQgetvalue(res_.get(), row, col));
    int n = PQgetlength(res_.get(), row, col);
    uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = (v << 8) | p[i];
    if (n > 0 && n < 8 && (p[0] & 0x80) != 0) v |= ~uint64_t{0} << (8 * n);  // sign-extend
    return static_cast<int64_t>(v);
  }
  bool Bool(int row, int col) const { return PQgetvalue(res_.get(), row, col)[0] != 0; }
  // The command tag, e.g. "COMMIT" or "ROLLBACK".
  std::string_view Tag() const { return PQcmdStatus(res_.get()); }

 private:
  ResultPtr res_;
};

// Parameters of one statement, all sent in binary format. Text and bytea values are not
// copied: they must outlive the call that sends them.
class Params {
 public:
  Params& Text(std::string_view v) { return Add(kTextOid, v); }
  Params& Bytes(std::string_view v) { return Add(kByteaOid, v); }
  Params& Int(int64_t v) {
    std::string& buf = ints_.emplace_back(8, '\0');
    for (int i = 7; i >= 0; --i, v = static_cast<int64_t>(static_cast<uint64_t>(v) >> 8)) {
      buf[i] = static_cast<char>(v & 0xff);
    }
    return Add(kInt8Oid, {}, static_cast<int>(ints_.size()) - 1);
  }
  Params& Bool(bool v) {
    return Add(kBoolOid, v ? std::string_view("\1", 1) : std::string_view("\0", 1));
  }

  int Count() const { return static_cast<int>(types_.size()); }
  const Oid* Types() const { return types_.data(); }

  // Pointers for PQexecPrepared; valid until the next Add.
  void Arrays(std::vector<const char*>& values, std::vector<int>& lengths,
              std::vector<int>& formats) const {
    for (size_t i = 0; i < types_.size(); ++i) {
      std::string_view v = int_index_[i] >= 0 ? std::string_view(ints_[int_index_[i]]) : views_[i];
      values.push_back(v.data() != nullptr ? v.data() : "");
      lengths.push_back(static_cast<int>(v.size()));
      formats.push_back(1);
    }
  }

 private:
  Params& Add(Oid type, std::string_view v, int int_index = -1) {
    types_.push_back(type);
    views_.push_back(v);
    int_index_.push_back(int_index);
    return *this;
  }

  std::vector<Oid> types_;
  std::vector<std::string_view> views_;
  std::vector<int> int_index_;  // index into ints_, or -1
  std::vector<std::string> ints_;
};

// A statement prepared once per connection under `name`.
struct Query {
  const char* name;
  const char* sql;
};

// One server connection and the names of the statements prepared on it. Used by one
// thread at a time (the pool hands it out).
class Connection {
 public:
  static StatusOr<std::unique_ptr<Connection>> Connect(const std::string& url) {
    // The URL's own parameters win over these defaults.
    const char* keys[] = {"dbname", "client_encoding", "fallback_application_name", nullptr};
    const char* values[] = {url.c_str(), "UTF8", "shumao", nullptr};
    PGconn* conn = PQconnectdbParams(keys, values, /*expand_dbname=*/1);
    auto c = std::unique_ptr<Connection>(new Connection(conn));
    if (conn == nullptr) return Unavailable("postgresql: connect: out of memory");
    if (PQstatus(conn) != CONNECTION_OK) {
      return Unavailable("postgresql: connect: " + Trimmed(PQerrorMessage(conn)));
    }
    // Notices ("relation already exists, skipping") are not errors; keep them off stderr.
    PQsetNoticeProcessor(
        conn, [](void*, const char*) {}, nullptr);
    return c;
  }
  ~Connection() { PQfinish(conn_); }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool Broken() const { return PQstatus(conn_) != CONNECTION_OK; }
  // Whether an idle connection is still usable: reads what the server sent meanwhile
  // without blocking, which notices a connection the server closed (restart, timeout).
  bool Alive() {
    return PQconsumeInput(conn_) == 1 && PQstatus(conn_) == CONNECTION_OK &&
           PQtransactionStatus(conn_) == PQTRANS_IDLE;
  }

  // Runs statements without parameters (several may be separated by ';'). Rows come back
  // in text format: use Run for anything that reads them.
  StatusOr<Result> Exec(const char* sql, std::string_view what = {}) {
    ResultPtr res(PQexec(conn_, sql));
    return Check(std::move(res), what.empty() ? sql : what);
  }

  StatusOr<Result> Run(const Query& q, const Params& params) {
    if (!prepared_.contains(q.name)) {
      ResultPtr res(PQprepare(conn_, q.name, q.sql, params.Count(), params.Types()));
      RETURN_IF_ERROR(Check(std::move(res), q.sql).status());
      prepared_.insert(q.name);
    }
    std::vector<const char*> values;
    std::vector<int> lengths;
    std::vector<int> formats;
    params.Arrays(values, lengths, formats);
    ResultPtr res(PQexecPrepared(conn_, q.name, params.Count(), values.data(), lengths.data(),
                                 formats.data(), /*resultFormat=*/1));
    return Check(std::move(res), q.name);
  }

 private:
  explicit Connection(PGconn* conn) : conn_(conn) {}

  StatusOr<Result> Check(ResultPtr res, std::string_view what) {
    ExecStatusType st = res != nullptr ? PQresultStatus(res.get()) : PGRES_FATAL_ERROR;
    if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) return Result(std::move(res));
    return PgError(conn_, res.get(), what);
  }

  PGconn* conn_;
  std::unordered_set<std::string> prepared_;
};

// Idle connections, reused; a broken connection is dropped when returned.
class Pool {
 public:
  explicit Pool(std::string url) : url_(std::move(url)) {}

  StatusOr<std::unique_ptr<Connection>> Acquire() {
    while (true) {
      std::unique_ptr<Connection> c;
      {
        std::lock_guard lock(mu_);
        if (idle_.empty()) break;
        c = std::move(idle_.back());
        idle_.pop_back();
      }
      if (c->Alive()) return c;
    }
    return Connection::Connect(url_);
  }

  void Release(std::unique_ptr<Connection> c) {
    if (c == nullptr || c->Broken()) return;
    std::lock_guard lock(mu_);
    if (idle_.size() < kMaxIdleConnections) idle_.push_back(std::move(c));
  }

  // Runs fn(Connection&) on a pooled connection.
  template <typename Fn>
  auto With(Fn&& fn) -> decltype(fn(std::declval<Connection&>())) {
    ASSIGN_OR_RETURN(std::unique_ptr<Connection> conn, Acquire());
    auto result = fn(*conn);
    Release(std::move(conn));
    return result;
  }

 private:
  std::string url_;
  std::mutex mu_;
  std::vector<std::unique_ptr<Connection>> idle_;  // guarded by mu_
};

// ---- SQL.

#define SHUMAO_DOC_COLUMNS                                                               \
  "id, kind, scope, doc_key, alt_key, message_type, status, return_info, guid, sender, " \
  "parties, body_json, pii_sealed, buyer_hash, updated_ms, deleted"

constexpr Query kWriteLock = {"write_lock", "SELECT pg_advisory_xact_lock($1)"};
constexpr Query kMigrationLock = {"migration_lock", "SELECT pg_advisory_xact_lock($1)"};
constexpr char kCreateMigrations[] =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    "version integer PRIMARY KEY, applied_ms bigint NOT NULL)";
constexpr Query kSelectVersions = {"select_versions", "SELECT version FROM schema_migrations"};
constexpr Query kInsertVersion = {
    "insert_version", "INSERT INTO schema_migrations (version, applied_ms) VALUES ($1, $2)"};

constexpr Query kMessageExists = {"message_exists", "SELECT 1 FROM messages WHERE guid = $1"};
constexpr Query kGetState = {"get_state", "SELECT v FROM module_state WHERE ns = $1 AND k = $2"};
constexpr Query kPutState = {"put_state",
                             "INSERT INTO module_state (ns, k, v) VALUES ($1, $2, $3) "
                             "ON CONFLICT (ns, k) DO UPDATE SET v = excluded.v"};
constexpr Query kDeleteState = {"delete_state",
                                "DELETE FROM module_state WHERE ns = $1 AND k = $2"};
constexpr Query kScanState = {
    "scan_state", "SELECT k, v FROM module_state WHERE ns = $1 AND k >= $2 ORDER BY k LIMIT $3"};
constexpr Query kScanStateTo = {
    "scan_state_to",
    "SELECT k, v FROM module_state WHERE ns = $1 AND k >= $2 AND k < $3 ORDER BY k LIMIT $4"};
constexpr Query kSetDocumentStatus = {
    "set_document_status",
    "UPDATE documents SET status = $2, return_info = $3, updated_ms = $4, "
    "alt_key = CASE WHEN $5 = '' THEN alt_key ELSE $5 END WHERE id = $1 RETURNING id"};
constexpr Query kFindDocumentById = {"find_document_by_id",
                                     "SELECT " SHUMAO_DOC_COLUMNS " FROM documents WHERE id = $1"};
constexpr Query kFindDocument = {"find_document",
                                 "SELECT " SHUMAO_DOC_COLUMNS
                                 " FROM documents WHERE kind = $1 AND scope = $2 AND doc_key = $3"};
constexpr Query kPutDocument = {
    "put_document",
    "INSERT INTO documents (kind, scope, doc_key, alt_key, message_type, status, return_info, "
    "guid, sender, parties, body_json, pii_sealed, buyer_hash, updated_ms, deleted) "
    "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) "
    "ON CONFLICT (kind, doc_key, scope) DO UPDATE SET alt_key = EXCLUDED.alt_key, "
    "message_type = EXCLUDED.message_type, status = EXCLUDED.status, "
    "return_info = EXCLUDED.return_info, guid = EXCLUDED.guid, sender = EXCLUDED.sender, "
    "parties = EXCLUDED.parties, body_json = EXCLUDED.body_json, "
    "pii_sealed = EXCLUDED.pii_sealed, buyer_hash = EXCLUDED.buyer_hash, "
    "updated_ms = EXCLUDED.updated_ms, deleted = EXCLUDED.deleted "
    "RETURNING id"};
constexpr Query kAddHistory = {
    "add_history",
    "INSERT INTO doc_history (document_id, status, time_ms, info) VALUES ($1, $2, $3, $4)"};
constexpr Query kAddMessage = {
    "add_message",
    "INSERT INTO messages (guid, type, sender, format, received_ms, body_sealed) "
    "VALUES ($1, $2, $3, $4, $5, $6)"};
constexpr Query kAddReceipt = {
    "add_receipt",
    "INSERT INTO receipts (recipient, type, return_status, return_info, keys_json, xml, "
    "time_ms) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING cursor"};

constexpr Query kPutEnterprise = {
    "put_enterprise",
    "INSERT INTO enterprises (code, name, roles, zone, park) VALUES ($1, $2, $3, $4, $5) "
    "ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, roles = EXCLUDED.roles, "
    "zone = EXCLUDED.zone, park = EXCLUDED.park"};
constexpr Query kFindEnterprise = {
    "find_enterprise", "SELECT code, name, roles, zone, park FROM enterprises WHERE code = $1"};
constexpr Query kListEnterprises = {
    "list_enterprises", "SELECT code, name, roles, zone, park FROM enterprises ORDER BY code"};
constexpr Query kPutUser = {"put_user",
                            "INSERT INTO users (name, department) VALUES ($1, $2) "
                            "ON CONFLICT (name) DO UPDATE SET department = EXCLUDED.department"};
constexpr Query kPutToken = {
    "put_token",
    "INSERT INTO tokens (hash, kind, principal_id, department) VALUES ($1, $2, $3, $4) "
    "ON CONFLICT (hash) DO UPDATE SET kind = EXCLUDED.kind, "
    "principal_id = EXCLUDED.principal_id, department = EXCLUDED.department"};
constexpr Query kFindToken = {"find_token",
                              "SELECT kind, principal_id, department FROM tokens WHERE hash = $1"};

constexpr Query kFindDocuments = {
    "find_documents",
    "SELECT " SHUMAO_DOC_COLUMNS
    " FROM documents WHERE kind = $1 AND (doc_key = $2 OR (alt_key = $2 AND alt_key <> '')) "
    "ORDER BY id"};
// "buyer_hash <> ''" lets the planner use the partial index documents_buyer_hash with a
// generic plan of the prepared statement.
constexpr Query kBuyerHasDocumentWith = {
    "buyer_has_document_with",
    "SELECT 1 FROM documents WHERE buyer_hash = $1 AND buyer_hash <> '' "
    "AND parties LIKE $2 ESCAPE '\\' LIMIT 1"};
constexpr Query kDocumentsOfParty = {
    "documents_of_party",
    "SELECT " SHUMAO_DOC_COLUMNS
    " FROM documents WHERE ($1 = '' OR parties LIKE $2 ESCAPE '\\') AND ($3 = '' OR kind = $3) "
    "AND NOT deleted AND ($4 = 0 OR id < $4) ORDER BY id DESC LIMIT $5"};

// Many cells in one statement (one round trip): each column as an array, unnested. The
// parameters are text in PostgreSQL's array syntax.
const Query& StatUpsert() {
  static const std::string sql = [] {
    std::string unnest;
    for (int i = 1; i <= 8 + kStatCounters; ++i) {
      unnest += std::string(i > 1 ? ", " : "") + "$" + std::to_string(i) +
                (i <= 8 ? "::text[]" : "::int8[]");
    }
    std::string upsert = StatUpsertSql('$');
    // VALUES ($1, ..) → SELECT * FROM unnest(..)
    size_t v = upsert.find(" VALUES (");
    size_t end = upsert.find(") ON CONFLICT");
    return upsert.substr(0, v) + " SELECT * FROM unnest(" + unnest + ")" + upsert.substr(end + 1);
  }();
  static const Query q{"stat_upsert", sql.c_str()};
  return q;
}

// Made on first use per (group column, counters) and kept (the Query points into it).
StatusOr<const Query*> StatScanFor(const std::string& group, uint32_t counters, uint32_t filters) {
  struct Named {
    std::string name, sql;
    Query q;
  };
  static std::mutex mu;
  static auto* queries = new std::map<std::tuple<std::string, uint32_t, uint32_t>, Named>();
  std::lock_guard lock(mu);
  auto it = queries->find({group, counters, filters});
  if (it == queries->end()) {
    ASSIGN_OR_RETURN(std::string sql, StatScanSql(group, counters, filters, '$'));
    it = queries->emplace(std::tuple{group, counters, filters}, Named{}).first;
    it->second.name = "stat_scan_" + (group.empty() ? std::string("all") : group) + "_" +
                      std::to_string(counters) + "_" + std::to_string(filters);
    it->second.sql = std::move(sql);
    it->second.q = Query{it->second.name.c_str(), it->second.sql.c_str()};
  }
  return &it->second.q;
}

// A PostgreSQL array literal of text values: every element quoted, '"' and '\' escaped.
void AppendArrayElement(std::string& out, std::string_view v) {
  out += out.size() > 1 ? ",\"" : "\"";
  for (char c : v) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

constexpr Query kDocumentsByStatus = {
    "documents_by_status",
    "SELECT " SHUMAO_DOC_COLUMNS
    " FROM documents WHERE kind = $1 AND status = $3 AND updated_ms >= $4 AND updated_ms < $5 "
    "AND message_type = $2 AND NOT deleted AND id > $6 ORDER BY id LIMIT $7"};
constexpr Query kHistory = {
    "history", "SELECT status, time_ms, info FROM doc_history WHERE document_id = $1 ORDER BY id"};
constexpr Query kReceipts = {
    "receipts",
    "SELECT cursor, recipient, type, return_status, return_info, keys_json, xml, time_ms "
    "FROM receipts WHERE recipient = $1 AND cursor > $2 ORDER BY cursor LIMIT $3"};
constexpr Query kCountMessages = {"count_messages", "SELECT count(*) FROM messages"};
constexpr Query kCountDocuments = {"count_documents", "SELECT count(*) FROM documents"};
constexpr Query kCountReceipts = {"count_receipts", "SELECT count(*) FROM receipts"};
constexpr Query kMessages = {
    "messages",
    "SELECT id, guid, type, sender, format, received_ms, body_sealed FROM messages "
    "WHERE id > $1 ORDER BY id LIMIT $2"};

#undef SHUMAO_DOC_COLUMNS

DocumentRow ReadDocument(const Result& r, int i) {
  DocumentRow row;
  row.id = r.Int(i, 0);
  row.kind = r.Bytes(i, 1);
  row.scope = r.Bytes(i, 2);
  row.key = r.Bytes(i, 3);
  row.alt_key = r.Bytes(i, 4);
  row.message_type = r.Bytes(i, 5);
  row.status = r.Bytes(i, 6);
  row.return_info = r.Bytes(i, 7);
  row.guid = r.Bytes(i, 8);
  row.sender = r.Bytes(i, 9);
  row.parties = r.Bytes(i, 10);
  row.body_json = r.Bytes(i, 11);
  row.pii_sealed = r.Bytes(i, 12);
  row.buyer_hash = r.Bytes(i, 13);
  row.updated_ms = r.Int(i, 14);
  row.deleted = r.Bool(i, 15);
  return row;
}

registry::Enterprise ReadEnterprise(const Result& r, int i) {
  registry::Enterprise e;
  e.code = r.Bytes(i, 0);
  e.name = r.Bytes(i, 1);
  e.roles = SplitRoles(r.Bytes(i, 2));
  e.zone = r.Bytes(i, 3);
  e.park = r.Bytes(i, 4);
  return e;
}

// Applies the migrations the database has not seen in one transaction, under an advisory
// lock so that processes opening one database at the same time apply each version once.
Status Migrate(Connection& conn) {
  RETURN_IF_ERROR(conn.Exec("BEGIN").status());
  Status status = [&]() -> Status {
    RETURN_IF_ERROR(conn.Run(kMigrationLock, Params().Int(kMigrationLockKey)).status());
    RETURN_IF_ERROR(conn.Exec(kCreateMigrations).status());
    ASSIGN_OR_RETURN(Result versions, conn.Run(kSelectVersions, Params()));
    std::set<int64_t> applied;
    for (int i = 0; i < versions.Rows(); ++i) applied.insert(versions.Int(i, 0));
    std::span<const Migration> migrations = PostgresMigrations();
    if (!applied.empty() && *applied.rbegin() > migrations.back().version) {
      return Status(Code::kFailedPrecondition, "postgresql: database schema version " +
                                                   std::to_string(*applied.rbegin()) +
                                                   " is newer than this program's " +
                                                   std::to_string(migrations.back().version));
    }
    for (const Migration& m : migrations) {
      if (applied.contains(m.version)) continue;
      RETURN_IF_ERROR(
          conn.Exec(std::string(m.sql).c_str(), "migration " + std::to_string(m.version)).status());
      RETURN_IF_ERROR(conn.Run(kInsertVersion, Params().Int(m.version).Int(NowMs())).status());
    }
    return conn.Exec("COMMIT").status();
  }();
  if (!status.ok()) (void)conn.Exec("ROLLBACK");
  return status;
}

StatusOr<std::vector<std::pair<std::string, std::string>>> ScanStateOn(Connection& conn,
                                                                       const std::string& ns,
                                                                       const std::string& from,
                                                                       const std::string& to,
                                                                       int limit) {
  std::vector<std::pair<std::string, std::string>> out;
  if (limit <= 0) return out;
  Params p;
  p.Text(ns).Text(from);
  if (!to.empty()) p.Text(to);
  p.Int(limit);
  ASSIGN_OR_RETURN(Result r, conn.Run(to.empty() ? kScanState : kScanStateTo, p));
  out.reserve(r.Rows());
  for (int i = 0; i < r.Rows(); ++i) out.emplace_back(r.Bytes(i, 0), r.Bytes(i, 1));
  return out;
}

StatusOr<std::optional<std::string>> GetStateOn(Connection& conn, const std::string& ns,
                                                const std::string& key) {
  ASSIGN_OR_RETURN(Result r, conn.Run(kGetState, Params().Text(ns).Text(key)));
  if (r.Rows() == 0) return std::optional<std::string>();
  return std::optional<std::string>(r.Bytes(0, 0));
}

class PostgresWriteTxn final : public TrackedWriteTxn {
 public:
  // Takes over `gate`, already acquired, and `conn`, inside BEGIN.
  PostgresWriteTxn(WriteGate& gate, Pool& pool, std::unique_ptr<Connection> conn)
      : gate_(gate), pool_(pool), conn_(std::move(conn)) {}
  ~PostgresWriteTxn() override { Finish(); }

  StatusOr<bool> MessageExists(const std::string& guid) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> StatusOr<bool> {
      ASSIGN_OR_RETURN(Result r, conn_->Run(kMessageExists, Params().Text(guid)));
      return r.Rows() > 0;
    }());
  }

  StatusOr<std::optional<std::string>> GetState(const std::string& ns,
                                                const std::string& key) override {
    RETURN_IF_ERROR(Usable());
    return Track(GetStateOn(*conn_, ns, key));
  }

  Status PutState(const std::string& ns, const std::string& key,
                  const std::string& value) override {
    RETURN_IF_ERROR(Usable());
    return Track(conn_->Run(kPutState, Params().Text(ns).Text(key).Text(value)).status());
  }

  Status DeleteState(const std::string& ns, const std::string& key) override {
    RETURN_IF_ERROR(Usable());
    return Track(conn_->Run(kDeleteState, Params().Text(ns).Text(key)).status());
  }

  StatusOr<std::vector<std::pair<std::string, std::string>>> ScanState(const std::string& ns,
                                                                       const std::string& from,
                                                                       const std::string& to,
                                                                       int limit) override {
    RETURN_IF_ERROR(Usable());
    return Track(ScanStateOn(*conn_, ns, from, to, limit));
  }

  Status SetDocumentStatus(int64_t id, const std::string& status, const std::string& return_info,
                           int64_t updated_ms, const std::string& alt_key) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> Status {
      Params p;
      p.Int(id).Text(status).Text(return_info).Int(updated_ms).Text(alt_key);
      ASSIGN_OR_RETURN(Result r, conn_->Run(kSetDocumentStatus, p));
      if (r.Rows() == 0)
        return Status(Code::kNotFound, "no document with id " + std::to_string(id));
      return Status::Ok();
    }());
  }

  Status WriteStatCells(const std::vector<StatCell>& cells) override {
    constexpr size_t kChunk = 10000;  // cells per statement
    for (size_t from = 0; from < cells.size(); from += kChunk) {
      std::vector<std::string> arrays(8 + kStatCounters, "{");
      for (size_t i = from; i < std::min(cells.size(), from + kChunk); ++i) {
        const StatCell& c = cells[i];
        const std::string* keys[] = {&c.dim,        &c.grain, &c.period, &c.direction,
                                     &c.trade_mode, &c.zone,  &c.ebc,    &c.dim_value};
        for (int k = 0; k < 8; ++k) AppendArrayElement(arrays[k], *keys[k]);
        for (int k = 0; k < kStatCounters; ++k) {
          std::string& a = arrays[8 + k];
          if (a.size() > 1) a += ',';
          a += std::to_string(c.n[k]);
        }
      }
      Params params;
      for (std::string& a : arrays) {
        a += '}';
        params.Text(a);
      }
      RETURN_IF_ERROR(conn_->Run(StatUpsert(), params).status());
    }
    return Status::Ok();
  }

  StatusOr<std::optional<DocumentRow>> FindDocumentById(int64_t id) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> StatusOr<std::optional<DocumentRow>> {
      ASSIGN_OR_RETURN(Result r, conn_->Run(kFindDocumentById, Params().Int(id)));
      if (r.Rows() == 0) return std::optional<DocumentRow>();
      return std::optional<DocumentRow>(ReadDocument(r, 0));
    }());
  }

  StatusOr<std::optional<DocumentRow>> FindDocument(const std::string& kind,
                                                    const std::string& scope,
                                                    const std::string& key) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> StatusOr<std::optional<DocumentRow>> {
      ASSIGN_OR_RETURN(Result r,
                       conn_->Run(kFindDocument, Params().Text(kind).Text(scope).Text(key)));
      if (r.Rows() == 0) return std::optional<DocumentRow>();
      return std::optional<DocumentRow>(ReadDocument(r, 0));
    }());
  }

  Status PutDocument(DocumentRow& row) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> Status {
      Params p;
      p.Text(row.kind).Text(row.scope).Text(row.key).Text(row.alt_key).Text(row.message_type);
      p.Text(row.status).Text(row.return_info).Text(row.guid).Text(row.sender);
      p.Text(row.parties).Text(row.body_json).Bytes(row.pii_sealed).Text(row.buyer_hash);
      p.Int(row.updated_ms).Bool(row.deleted);
      ASSIGN_OR_RETURN(Result r, conn_->Run(kPutDocument, p));
      if (r.Rows() != 1) return Internal("postgresql: upsert of a document returned no id");
      row.id = r.Int(0, 0);
      return Status::Ok();
    }());
  }

  Status AddHistory(int64_t document_id, const HistoryRow& row) override {
    RETURN_IF_ERROR(Usable());
    return Track(
        conn_
            ->Run(kAddHistory,
                  Params().Int(document_id).Text(row.status).Int(row.time_ms).Text(row.info))
            .status());
  }

  Status AddMessage(const MessageRow& row) override {
    RETURN_IF_ERROR(Usable());
    Params p;
    p.Text(row.guid).Text(row.type).Text(row.sender).Text(row.format);
    p.Int(row.received_ms).Bytes(row.body_sealed);
    return Track(conn_->Run(kAddMessage, p).status());
  }

  Status AddReceipt(ReceiptRow& row) override {
    RETURN_IF_ERROR(Usable());
    return Track([&]() -> Status {
      Params p;
      p.Text(row.recipient).Text(row.type).Text(row.return_status).Text(row.return_info);
      p.Text(row.keys_json).Text(row.xml).Int(row.time_ms);
      ASSIGN_OR_RETURN(Result r, conn_->Run(kAddReceipt, p));
      if (r.Rows() != 1) return Internal("postgresql: insert of a receipt returned no cursor");
      row.cursor = r.Int(0, 0);
      return Status::Ok();
    }());
  }

  Status Commit() override {
    RETURN_IF_ERROR(Usable());
    RETURN_IF_ERROR(FlushStatCells());
    StatusOr<Result> r = conn_->Exec("COMMIT");
    if (!r.ok()) return Track(r.status());
    // An aborted transaction answers COMMIT with ROLLBACK; Usable() should have caught it.
    if (r->Tag() != "COMMIT") {
      return Track(Internal("postgresql: COMMIT answered " + std::string(r->Tag())));
    }
    MarkCommitted();
    Finish();
    return Status::Ok();
  }

 private:
  // Rolls back unless committed, returns the connection and frees the writer.
  void Release(bool committed) override {
    if (!committed && !conn_->Broken()) {
      // A connection whose rollback failed is in an unknown state: drop it.
      if (!conn_->Exec("ROLLBACK").ok()) conn_.reset();
    }
    pool_.Release(std::move(conn_));
    gate_.Release();
  }

  WriteGate& gate_;
  Pool& pool_;
  std::unique_ptr<Connection> conn_;
};

class PostgresStore final : public Store {
 public:
  explicit PostgresStore(std::string url) : pool_(std::move(url)) {}

  Status ApplyMigrations() {
    return pool_.With([](Connection& c) { return Migrate(c); });
  }

  std::string Engine() const override { return "postgresql"; }

  StatusOr<std::unique_ptr<WriteTxn>> BeginWrite() override {
    gate_.Acquire();
    StatusOr<std::unique_ptr<Connection>> conn = pool_.Acquire();
    if (!conn.ok()) {
      gate_.Release();
      return conn.status();
    }
    Status status = (*conn)->Exec("BEGIN").status();
    if (status.ok()) status = (*conn)->Run(kWriteLock, Params().Int(kWriteLockKey)).status();
    if (!status.ok()) {
      if (!(*conn)->Broken()) (void)(*conn)->Exec("ROLLBACK");
      pool_.Release(std::move(*conn));
      gate_.Release();
      return status;
    }
    return std::unique_ptr<WriteTxn>(new PostgresWriteTxn(gate_, pool_, std::move(*conn)));
  }

  Status PutEnterprise(const registry::Enterprise& e) override {
    std::string roles = JoinRoles(e.roles);
    Params p;
    p.Text(e.code).Text(e.name).Text(roles).Text(e.zone).Text(e.park);
    return Write(kPutEnterprise, p);
  }

  StatusOr<std::optional<registry::Enterprise>> FindEnterprise(const std::string& code) override {
    return pool_.With([&](Connection& c) -> StatusOr<std::optional<registry::Enterprise>> {
      ASSIGN_OR_RETURN(Result r, c.Run(kFindEnterprise, Params().Text(code)));
      if (r.Rows() == 0) return std::optional<registry::Enterprise>();
      return std::optional<registry::Enterprise>(ReadEnterprise(r, 0));
    });
  }

  StatusOr<std::vector<registry::Enterprise>> ListEnterprises() override {
    return pool_.With([&](Connection& c) -> StatusOr<std::vector<registry::Enterprise>> {
      ASSIGN_OR_RETURN(Result r, c.Run(kListEnterprises, Params()));
      std::vector<registry::Enterprise> out;
      out.reserve(r.Rows());
      for (int i = 0; i < r.Rows(); ++i) out.push_back(ReadEnterprise(r, i));
      return out;
    });
  }

  Status PutUser(const registry::User& u) override {
    return Write(kPutUser, Params().Text(u.name).Text(u.department));
  }

  Status PutToken(const std::string& token_hash, const registry::Principal& p) override {
    Params params;
    params.Text(token_hash).Text(PrincipalKindName(p.kind)).Text(p.id).Text(p.department);
    return Write(kPutToken, params);
  }

  StatusOr<std::optional<registry::Principal>> FindToken(const std::string& token_hash) override {
    return pool_.With([&](Connection& c) -> StatusOr<std::optional<registry::Principal>> {
      ASSIGN_OR_RETURN(Result r, c.Run(kFindToken, Params().Text(token_hash)));
      if (r.Rows() == 0) return std::optional<registry::Principal>();
      registry::Principal p;
      ASSIGN_OR_RETURN(p.kind, ParsePrincipalKind(r.Bytes(0, 0)));
      p.id = r.Bytes(0, 1);
      p.department = r.Bytes(0, 2);
      return std::optional<registry::Principal>(std::move(p));
    });
  }

  StatusOr<std::vector<DocumentRow>> FindDocuments(const std::string& kind,
                                                   const std::string& key) override {
    if (key.empty()) return std::vector<DocumentRow>();  // documents without alt_key
    return pool_.With([&](Connection& c) -> StatusOr<std::vector<DocumentRow>> {
      ASSIGN_OR_RETURN(Result r, c.Run(kFindDocuments, Params().Text(kind).Text(key)));
      std::vector<DocumentRow> out;
      out.reserve(r.Rows());
      for (int i = 0; i < r.Rows(); ++i) out.push_back(ReadDocument(r, i));
      return out;
    });
  }

  StatusOr<std::vector<DocumentRow>> DocumentsByStatus(
      const std::string& kind, const std::string& message_type, const std::string& status,
      int64_t updated_from_ms, int64_t updated_to_ms, int64_t after_id, int limit) override {
    if (limit <= 0) return std::vector<DocumentRow>();
    return pool_.With([&](Connection& c) -> StatusOr<std::vector<DocumentRow>> {
      ASSIGN_OR_RETURN(Result r, c.Run(kDocumentsByStatus, Params()
                                                               .Text(kind)
                                                               .Text(message_type)
                                                               .Text(status)
                                                               .Int(updated_from_ms)
                                                               .Int(updated_to_ms)
                                                               .Int(after_id)
                                                               .Int(limit)));
      std::vector<DocumentRow> out;
      out.reserve(r.Rows());
      for (int i = 0; i < r.Rows(); ++i) out.push_back(ReadDocument(r, i));
      return out;
    });
  }

  StatusOr<std::optional<std::string>> ReadState(const std::string& ns,
                                                 const std::string& key) override {
    return pool_.With([&](Connection& c) { return GetStateOn(c, ns, key); });
  }

  StatusOr<std::vector<std::pair<std::string, std::string>>> ReadStateRange(const std::string& ns,
                                                                            const std::string& from,
                                                                            const std::string& to,
                                                                            int limit) override {
    return pool_.With([&](Connection& c) { return ScanStateOn(c, ns, from, to, limit); });
  }

  StatusOr<std::vector<StatGroup>> QueryStats(const StatQuery& q) override {
    ASSIGN_OR_RETURN(const Query* query, StatScanFor(q.group, q.counters, StatFilters(q)));
    return pool_.With([&](Connection& c) -> StatusOr<std::vector<StatGroup>> {
      Params params;
      params.Text(q.dim).Text(q.grain).Text(q.period_from).Text(q.period_to);
      for (const std::string* v : StatFilterValues(q)) params.Text(*v);
      ASSIGN_OR_RETURN(Result r, c.Run(*query, params));
      StatFolder fold(q);
      int n = std::popcount(q.counters);
      int64_t values[kStatCounters];
      for (int i = 0; i < r.Rows(); ++i) {
        for (int k = 0; k < n; ++k) values[k] = r.Int(i, 2 + k);
        fold.Add(r.View(i, 0), r.View(i, 1), values);
      }
      return fold.Done();
    });
  }

  StatusOr<std::vector<DocumentRow>> DocumentsOfParty(const std::string& party,
                                                      const std::string& kind, int64_t before_id,
                                                      int limit) override {
    if (limit <= 0) return std::vector<DocumentRow>();
    std::string pattern = PartiesLikePattern(party);
    return pool_.With([&](Connection& c) -> StatusOr<std::vector<DocumentRow>> {
      ASSIGN_OR_RETURN(
          Result r, c.Run(kDocumentsOfParty,
                          Params().Text(party).Text(pattern).Text(kind).Int(before_id).Int(limit)));
      std::vector<DocumentRow> out;
      out.reserve(r.Rows());
      for (int i = 0; i < r.Rows(); ++i) out.push_back(ReadDocument(r, i));
      return out;
    });
  }

  StatusOr<bool> BuyerHasDocumentWith(const std::string& buyer_hash,
                                      const std::string& party_code) override {
    if (buyer_hash.empty() || party_code.empty()) return false;
    return pool_.With([&](Connection& c) -> StatusOr<bool> {
      ASSIGN_OR_RETURN(Result r,
                       c.Run(kBuyerHasDocumentWith,
                             Params().Text(buyer_hash).Text(PartiesLikePattern(party_code))));
      return r.Rows() > 0;
    });
  }

  StatusOr<std::vector<HistoryRow>> History(int64_t document_id) override {
    return pool_.With([&](Connection& c) -> StatusOr<std::vector<HistoryRow>> {
      ASSIGN_OR_RETURN(Result r, c.Run(kHistory, Params().Int(document_id)));
      std::vector<HistoryRow> out;
      out.reserve(r.Rows());
      for (int i = 0; i < r.Rows(); ++i) {
        out.push_back(HistoryRow{r.Bytes(i, 0), r.Int(i, 1), r.Bytes(i, 2)});
      }
      return out;
    });
  }

  StatusOr<std::vector<ReceiptRow>> Receipts(const std::string& recipient, int64_t after,
                                             int limit) override {
    if (limit <= 0) return std::vector<ReceiptRow>();
    return pool_.With([&](Connection& c) -> StatusOr<std::vector<ReceiptRow>> {
      ASSIGN_OR_RETURN(Result r, c.Run(kReceipts, Params().Text(recipient).Int(after).Int(limit)));
      std::vector<ReceiptRow> out;
      out.reserve(r.Rows());
      for (int i = 0; i < r.Rows(); ++i) {
        ReceiptRow row;
        row.cursor = r.Int(i, 0);
        row.recipient = r.Bytes(i, 1);
        row.type = r.Bytes(i, 2);
        row.return_status = r.Bytes(i, 3);
        row.return_info = r.Bytes(i, 4);
        row.keys_json = r.Bytes(i, 5);
        row.xml = r.Bytes(i, 6);
        row.time_ms = r.Int(i, 7);
        out.push_back(std::move(row));
      }
      return out;
    });
  }

  StatusOr<int64_t> CountMessages() override { return Count(kCountMessages); }
  StatusOr<int64_t> CountDocuments() override { return Count(kCountDocuments); }
  StatusOr<int64_t> CountReceipts() override { return Count(kCountReceipts); }

  StatusOr<std::vector<MessageRow>> Messages(int64_t after, int limit) override {
    if (limit <= 0) return std::vector<MessageRow>();
    return pool_.With([&](Connection& c) -> StatusOr<std::vector<MessageRow>> {
      ASSIGN_OR_RETURN(Result r, c.Run(kMessages, Params().Int(after).Int(limit)));
      std::vector<MessageRow> out;
      out.reserve(r.Rows());
      for (int i = 0; i < r.Rows(); ++i) {
        MessageRow m;
        m.id = r.Int(i, 0);
        m.guid = r.Bytes(i, 1);
        m.type = r.Bytes(i, 2);
        m.sender = r.Bytes(i, 3);
        m.format = r.Bytes(i, 4);
        m.received_ms = r.Int(i, 5);
        m.body_sealed = r.Bytes(i, 6);
        out.push_back(std::move(m));
      }
      return out;
    });
  }

 private:
  // A registry write: one statement in its own transaction.
  Status Write(const Query& q, const Params& p) {
    return pool_.With([&](Connection& c) { return c.Run(q, p).status(); });
  }

  StatusOr<int64_t> Count(const Query& q) {
    return pool_.With([&](Connection& c) -> StatusOr<int64_t> {
      ASSIGN_OR_RETURN(Result r, c.Run(q, Params()));
      if (r.Rows() != 1) return Internal("postgresql: count returned no row");
      return r.Int(0, 0);
    });
  }

  WriteGate gate_;  // held by the open WriteTxn
  Pool pool_;
};

}  // namespace

StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const StoreConfig& config) {
  auto store = std::make_unique<PostgresStore>(config.url);
  RETURN_IF_ERROR(store->ApplyMigrations());
  return std::unique_ptr<Store>(std::move(store));
}

}  // namespace shumao::store

#include "store/migrations/migrations.h"

namespace shumao::store {
namespace {

// Every text column is NOT NULL DEFAULT '' so that both engines round-trip empty strings
// the same way. The alt_key index is partial: most documents have none, and a full index
// led PostgreSQL's generic plan for the (kind, scope, doc_key) lookup, made while the
// table was empty, to scan it by kind alone (quadratic intake time). There are no foreign keys:
// history and receipts are written in the same transaction as their document, and distributed
// PostgreSQL variants restrict foreign keys between distributed tables.

// AUTOINCREMENT so that message ids and receipt cursors are never reused, even after the
// newest rows are deleted: receipt cursors are handed to clients.
constexpr Migration kSqlite[] = {
    {1, R"sql(
CREATE TABLE enterprises (
  code  TEXT PRIMARY KEY,
  name  TEXT NOT NULL DEFAULT '',
  roles TEXT NOT NULL DEFAULT '',
  zone  TEXT NOT NULL DEFAULT '',
  park  TEXT NOT NULL DEFAULT ''
);
CREATE TABLE users (
  name       TEXT PRIMARY KEY,
  department TEXT NOT NULL DEFAULT ''
);
CREATE TABLE tokens (
  hash         TEXT PRIMARY KEY,
  kind         TEXT NOT NULL,
  principal_id TEXT NOT NULL,
  department   TEXT NOT NULL DEFAULT ''
);
CREATE TABLE messages (
  id          INTEGER PRIMARY KEY AUTOINCREMENT,
  guid        TEXT NOT NULL UNIQUE,
  type        TEXT NOT NULL DEFAULT '',
  sender      TEXT NOT NULL DEFAULT '',
  format      TEXT NOT NULL DEFAULT '',
  received_ms INTEGER NOT NULL DEFAULT 0,
  body_sealed BLOB NOT NULL DEFAULT x''
);
CREATE TABLE documents (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  kind         TEXT NOT NULL,
  scope        TEXT NOT NULL DEFAULT '',
  doc_key      TEXT NOT NULL,
  alt_key      TEXT NOT NULL DEFAULT '',
  message_type TEXT NOT NULL DEFAULT '',
  status       TEXT NOT NULL DEFAULT '',
  return_info  TEXT NOT NULL DEFAULT '',
  guid         TEXT NOT NULL DEFAULT '',
  sender       TEXT NOT NULL DEFAULT '',
  parties      TEXT NOT NULL DEFAULT '',
  body_json    TEXT NOT NULL DEFAULT '',
  pii_sealed   BLOB NOT NULL DEFAULT x'',
  buyer_hash   TEXT NOT NULL DEFAULT '',
  updated_ms   INTEGER NOT NULL DEFAULT 0,
  deleted      INTEGER NOT NULL DEFAULT 0,
  UNIQUE (kind, doc_key, scope)
);
CREATE INDEX documents_kind_alt_key ON documents (kind, alt_key) WHERE alt_key <> '';
CREATE INDEX documents_buyer_hash ON documents (buyer_hash) WHERE buyer_hash <> '';
CREATE TABLE doc_history (
  id          INTEGER PRIMARY KEY,
  document_id INTEGER NOT NULL,
  status      TEXT NOT NULL DEFAULT '',
  time_ms     INTEGER NOT NULL DEFAULT 0,
  info        TEXT NOT NULL DEFAULT ''
);
CREATE INDEX doc_history_document ON doc_history (document_id);
CREATE TABLE receipts (
  cursor        INTEGER PRIMARY KEY AUTOINCREMENT,
  recipient     TEXT NOT NULL,
  type          TEXT NOT NULL DEFAULT '',
  return_status TEXT NOT NULL DEFAULT '',
  return_info   TEXT NOT NULL DEFAULT '',
  keys_json     TEXT NOT NULL DEFAULT '',
  xml           TEXT NOT NULL DEFAULT '',
  time_ms       INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX receipts_recipient_cursor ON receipts (recipient, cursor);
)sql"},
    {2, R"sql(
CREATE TABLE module_state (
  ns TEXT NOT NULL,
  k  TEXT NOT NULL,
  v  TEXT NOT NULL DEFAULT '',
  PRIMARY KEY (ns, k)
) WITHOUT ROWID;
)sql"},
    // The monthly summary reads the lists that closed (899) in a month.
    {3, R"sql(
CREATE INDEX documents_kind_status_updated ON documents (kind, status, updated_ms);
)sql"},
    // Paging a status in id order (DocumentsByStatus) walks this index instead of sorting
    // the whole window on every page.
    {4, R"sql(
CREATE INDEX documents_kind_status_id ON documents (kind, status, id);
)sql"},
    // Statistics rollups (src/stats): counters per day or month and key, added to in the
    // transaction of the decision that changes them.
    {5, R"sql(
CREATE TABLE stat_cells (
  dim TEXT NOT NULL DEFAULT '',
  grain TEXT NOT NULL DEFAULT '',
  period TEXT NOT NULL DEFAULT '',
  direction TEXT NOT NULL DEFAULT '',
  trade_mode TEXT NOT NULL DEFAULT '',
  zone TEXT NOT NULL DEFAULT '',
  ebc TEXT NOT NULL DEFAULT '',
  dim_value TEXT NOT NULL DEFAULT '',
  n0 INTEGER NOT NULL DEFAULT 0,
  n1 INTEGER NOT NULL DEFAULT 0,
  n2 INTEGER NOT NULL DEFAULT 0,
  n3 INTEGER NOT NULL DEFAULT 0,
  n4 INTEGER NOT NULL DEFAULT 0,
  n5 INTEGER NOT NULL DEFAULT 0,
  n6 INTEGER NOT NULL DEFAULT 0,
  n7 INTEGER NOT NULL DEFAULT 0,
  n8 INTEGER NOT NULL DEFAULT 0,
  n9 INTEGER NOT NULL DEFAULT 0,
  n10 INTEGER NOT NULL DEFAULT 0,
  n11 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (dim, grain, period, direction, trade_mode, zone, ebc, dim_value)
) WITHOUT ROWID;
)sql"},
};

// Identity columns rather than serial: the SQL-standard spelling, same sequence behaviour.
constexpr Migration kPostgres[] = {
    {1, R"sql(
CREATE TABLE enterprises (
  code  text PRIMARY KEY,
  name  text NOT NULL DEFAULT '',
  roles text NOT NULL DEFAULT '',
  zone  text NOT NULL DEFAULT '',
  park  text NOT NULL DEFAULT ''
);
CREATE TABLE users (
  name       text PRIMARY KEY,
  department text NOT NULL DEFAULT ''
);
CREATE TABLE tokens (
  hash         text PRIMARY KEY,
  kind         text NOT NULL,
  principal_id text NOT NULL,
  department   text NOT NULL DEFAULT ''
);
CREATE TABLE messages (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  guid        text NOT NULL UNIQUE,
  type        text NOT NULL DEFAULT '',
  sender      text NOT NULL DEFAULT '',
  format      text NOT NULL DEFAULT '',
  received_ms bigint NOT NULL DEFAULT 0,
  body_sealed bytea NOT NULL DEFAULT ''::bytea
);
CREATE TABLE documents (
  id           bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  kind         text NOT NULL,
  scope        text NOT NULL DEFAULT '',
  doc_key      text NOT NULL,
  alt_key      text NOT NULL DEFAULT '',
  message_type text NOT NULL DEFAULT '',
  status       text NOT NULL DEFAULT '',
  return_info  text NOT NULL DEFAULT '',
  guid         text NOT NULL DEFAULT '',
  sender       text NOT NULL DEFAULT '',
  parties      text NOT NULL DEFAULT '',
  body_json    text NOT NULL DEFAULT '',
  pii_sealed   bytea NOT NULL DEFAULT ''::bytea,
  buyer_hash   text NOT NULL DEFAULT '',
  updated_ms   bigint NOT NULL DEFAULT 0,
  deleted      boolean NOT NULL DEFAULT false,
  UNIQUE (kind, doc_key, scope)
);
CREATE INDEX documents_kind_alt_key ON documents (kind, alt_key) WHERE alt_key <> '';
CREATE INDEX documents_buyer_hash ON documents (buyer_hash) WHERE buyer_hash <> '';
CREATE TABLE doc_history (
  id          bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  document_id bigint NOT NULL,
  status      text NOT NULL DEFAULT '',
  time_ms     bigint NOT NULL DEFAULT 0,
  info        text NOT NULL DEFAULT ''
);
CREATE INDEX doc_history_document ON doc_history (document_id);
CREATE TABLE receipts (
  cursor        bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
  recipient     text NOT NULL,
  type          text NOT NULL DEFAULT '',
  return_status text NOT NULL DEFAULT '',
  return_info   text NOT NULL DEFAULT '',
  keys_json     text NOT NULL DEFAULT '',
  xml           text NOT NULL DEFAULT '',
  time_ms       bigint NOT NULL DEFAULT 0
);
CREATE INDEX receipts_recipient_cursor ON receipts (recipient, cursor);
)sql"},
    {2, R"sql(
CREATE TABLE module_state (
  ns text COLLATE "C" NOT NULL,
  k  text COLLATE "C" NOT NULL,
  v  text NOT NULL DEFAULT '',
  PRIMARY KEY (ns, k)
);
)sql"},
    {3, R"sql(
CREATE INDEX documents_kind_status_updated ON documents (kind, status, updated_ms);
)sql"},
    // Paging a status in id order (DocumentsByStatus) walks this index instead of sorting
    // the whole window on every page.
    {4, R"sql(
CREATE INDEX documents_kind_status_id ON documents (kind, status, id);
)sql"},
    {5, R"sql(
CREATE TABLE stat_cells (
  dim text COLLATE "C" NOT NULL DEFAULT '',
  grain text COLLATE "C" NOT NULL DEFAULT '',
  period text COLLATE "C" NOT NULL DEFAULT '',
  direction text COLLATE "C" NOT NULL DEFAULT '',
  trade_mode text COLLATE "C" NOT NULL DEFAULT '',
  zone text COLLATE "C" NOT NULL DEFAULT '',
  ebc text COLLATE "C" NOT NULL DEFAULT '',
  dim_value text COLLATE "C" NOT NULL DEFAULT '',
  n0 bigint NOT NULL DEFAULT 0,
  n1 bigint NOT NULL DEFAULT 0,
  n2 bigint NOT NULL DEFAULT 0,
  n3 bigint NOT NULL DEFAULT 0,
  n4 bigint NOT NULL DEFAULT 0,
  n5 bigint NOT NULL DEFAULT 0,
  n6 bigint NOT NULL DEFAULT 0,
  n7 bigint NOT NULL DEFAULT 0,
  n8 bigint NOT NULL DEFAULT 0,
  n9 bigint NOT NULL DEFAULT 0,
  n10 bigint NOT NULL DEFAULT 0,
  n11 bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (dim, grain, period, direction, trade_mode, zone, ebc, dim_value)
);
)sql"},
};

}  // namespace

std::span<const Migration> SqliteMigrations() { return kSqlite; }
std::span<const Migration> PostgresMigrations() { return kPostgres; }

}  // namespace shumao::store

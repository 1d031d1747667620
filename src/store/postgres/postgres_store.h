// The PostgreSQL engine of the store (see store/store.h for the interface), over libpq.
//
// A small pool of connections serves reads and registry writes; the open WriteTxn holds
// one connection between BEGIN and COMMIT. Every WriteTxn first takes a transaction-level
// advisory lock, so write transactions on one database are serialized across all Store
// objects and processes, as SQLite serializes writers on one file. This keeps receipt
// cursors visible in commit order (a client paging the feed never skips a receipt that
// commits later with a smaller cursor) and rules out deadlocks between writers.
//
// Errors carry the server's message: kUnavailable when the connection is down or the
// server refuses it, kAlreadyExists on a unique key violation, kInternal otherwise.
// Text fields must be valid UTF-8 without NUL bytes (the server rejects them otherwise);
// sealed fields are bytea and take any bytes.
#ifndef SHUMAO_STORE_POSTGRES_POSTGRES_STORE_H_
#define SHUMAO_STORE_POSTGRES_POSTGRES_STORE_H_

#include <memory>

#include "common/status.h"
#include "store/store.h"

namespace shumao::store {

// config.url is a libpq connection URI ("postgresql://user@host:port/db?..."); its
// parameters (e.g. options=-c%20search_path%3Dschema) apply to every pooled connection.
StatusOr<std::unique_ptr<Store>> OpenPostgresStore(const StoreConfig& config);

}  // namespace shumao::store

#endif  // SHUMAO_STORE_POSTGRES_POSTGRES_STORE_H_

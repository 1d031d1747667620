// The SQLite engine of the store (see store/store.h for the interface).
//
// One file in WAL mode with synchronous=FULL: a commit returns only after its WAL frames
// are fsynced, so an accepted message survives a power loss. One write connection, used
// by the single open WriteTxn (and by the registry writes, which wait for it); reads use
// a small pool of separate connections and see the last committed state without waiting
// for the writer. Several Store objects or processes may open the same file: SQLite then
// admits one writer at a time and the others wait (busy timeout 10 s, then kUnavailable).
//
// Errors: kUnavailable when the database is busy or cannot be opened, kAlreadyExists on a
// unique key violation (e.g. a second message with the same guid), kInternal otherwise.
#ifndef SHUMAO_STORE_SQLITE_SQLITE_STORE_H_
#define SHUMAO_STORE_SQLITE_SQLITE_STORE_H_

#include <memory>

#include "common/status.h"
#include "store/store.h"

namespace shumao::store {

// config.url is a file path; it is created if missing. ":memory:" and "file:" URIs are
// rejected (kInvalidArgument): the read connections must see the same database.
StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const StoreConfig& config);

}  // namespace shumao::store

#endif  // SHUMAO_STORE_SQLITE_SQLITE_STORE_H_

// Versioned schema migrations, one list per engine, embedded in the binary.
//
// Both lists describe the same logical schema. A migration is applied once, in version
// order, inside the transaction that records its version in schema_migrations (the
// bookkeeping table itself is created by the engine's migration runner, not by a
// migration). Released migrations are never edited: a change is a new version, appended
// to both lists.
#ifndef SHUMAO_STORE_MIGRATIONS_MIGRATIONS_H_
#define SHUMAO_STORE_MIGRATIONS_MIGRATIONS_H_

#include <span>
#include <string_view>

namespace shumao::store {

struct Migration {
  int version;           // 1, 2, ...; strictly increasing within a list
  std::string_view sql;  // one or more statements separated by ';'
};

std::span<const Migration> SqliteMigrations();
std::span<const Migration> PostgresMigrations();

}  // namespace shumao::store

#endif  // SHUMAO_STORE_MIGRATIONS_MIGRATIONS_H_

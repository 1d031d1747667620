#include "store/store.h"

#include <string_view>

#include "store/postgres/postgres_store.h"
#include "store/sqlite/sqlite_store.h"

namespace shumao::store {

StatusOr<std::unique_ptr<Store>> Store::Open(const StoreConfig& config) {
  std::string_view url = config.url;
  if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    return OpenPostgresStore(config);
  }
  return OpenSqliteStore(config);
}

}  // namespace shumao::store

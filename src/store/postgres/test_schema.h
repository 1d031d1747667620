// Test support: a private PostgreSQL schema per test, so that tests sharing one server
// (and running in parallel) never see each other's rows. Linked into tests only.
#ifndef SHUMAO_STORE_POSTGRES_TEST_SCHEMA_H_
#define SHUMAO_STORE_POSTGRES_TEST_SCHEMA_H_

#include <string>

#include "common/status.h"

namespace shumao::store {

// Creates (or empties) schema `name` ([a-z0-9_]+) in the database of `url` and returns
// a URL whose connections use it as their search path and `name` as application_name,
// for StoreConfig::url.
StatusOr<std::string> CreateTestSchema(const std::string& url, const std::string& name);
// Drops the schema and everything in it.
Status DropTestSchema(const std::string& url, const std::string& name);
// Terminates the server sessions of the URL CreateTestSchema returned for `name`, as a
// server restart would; waits until they are gone.
Status TerminateTestSessions(const std::string& url, const std::string& name);

}  // namespace shumao::store

#endif  // SHUMAO_STORE_POSTGRES_TEST_SCHEMA_H_

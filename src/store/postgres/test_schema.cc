#include "store/postgres/test_schema.h"

#include <libpq-fe.h>

namespace shumao::store {
namespace {

bool ValidName(const std::string& name) {
  if (name.empty() || name.size() > 60) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) return false;
  }
  return true;
}

Status Run(const std::string& url, const std::string& sql) {
  PGconn* conn = PQconnectdb(url.c_str());
  Status status;
  if (PQstatus(conn) != CONNECTION_OK) {
    status = Unavailable(std::string("postgresql: connect: ") + PQerrorMessage(conn));
  } else {
    PGresult* res = PQexec(conn, sql.c_str());
    if (PQresultStatus(res) != PGRES_COMMAND_OK && PQresultStatus(res) != PGRES_TUPLES_OK) {
      status = Internal(std::string("postgresql: ") + sql + ": " + PQresultErrorMessage(res));
    }
    PQclear(res);
  }
  PQfinish(conn);
  return status;
}

}  // namespace

StatusOr<std::string> CreateTestSchema(const std::string& url, const std::string& name) {
  if (!ValidName(name)) return InvalidArgument("bad test schema name: " + name);
  RETURN_IF_ERROR(Run(url, "SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + name +
                               " CASCADE; CREATE SCHEMA " + name));
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "options=-c%20search_path%3D" +
         name + "&application_name=" + name;
}

Status DropTestSchema(const std::string& url, const std::string& name) {
  if (!ValidName(name)) return InvalidArgument("bad test schema name: " + name);
  return Run(url, "SET client_min_messages = warning; DROP SCHEMA IF EXISTS " + name + " CASCADE");
}

Status TerminateTestSessions(const std::string& url, const std::string& name) {
  if (!ValidName(name)) return InvalidArgument("bad test schema name: " + name);
  return Run(url,
             "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity "
             "WHERE datname = current_database() AND application_name = '" +
                 name + "'");
}

}  // namespace shumao::store

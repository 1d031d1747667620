#include "floor.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <pugixml.hpp>

namespace shumao::bench {

double ParseFloorSeconds(const std::vector<std::string>& bodies) {
  auto start = std::chrono::steady_clock::now();
  size_t nodes = 0;
  for (const std::string& b : bodies) {
    pugi::xml_document doc;
    doc.load_buffer(b.data(), b.size());
    nodes += doc.document_element() ? 1 : 0;
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (nodes != bodies.size()) std::fprintf(stderr, "floor: some bodies did not parse\n");
  return s;
}

double InsertFloorSeconds(const std::vector<std::string>& bodies, const std::string& path,
                          int batch) {
  std::remove(path.c_str());
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
               "CREATE TABLE m(id INTEGER PRIMARY KEY, guid TEXT UNIQUE, body BLOB);"
               "CREATE TABLE d(id INTEGER PRIMARY KEY, kind TEXT, scope TEXT, k TEXT, body TEXT,"
               " UNIQUE(kind, scope, k));"
               "CREATE TABLE h(id INTEGER PRIMARY KEY, doc INTEGER, status TEXT, info TEXT);"
               "CREATE TABLE r(id INTEGER PRIMARY KEY, recipient TEXT, xml TEXT);"
               "CREATE INDEX h_doc ON h(doc); CREATE INDEX r_rec ON r(recipient, id);",
               nullptr, nullptr, nullptr);
  sqlite3_stmt *im, *id, *ih, *ir;
  sqlite3_prepare_v2(db, "INSERT INTO m(guid, body) VALUES(?,?)", -1, &im, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO d(kind, scope, k, body) VALUES('orders','S',?,?)", -1, &id,
                     nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO h(doc, status, info) VALUES(?, '2', 'ok')", -1, &ih, nullptr);
  sqlite3_prepare_v2(db, "INSERT INTO r(recipient, xml) VALUES('R', ?)", -1, &ir, nullptr);
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < bodies.size(); ++i) {
    if (i % batch == 0) sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    std::string key = std::to_string(i);
    const std::string& b = bodies[i];
    sqlite3_bind_text(im, 1, key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_blob(im, 2, b.data(), static_cast<int>(b.size()), SQLITE_STATIC);
    sqlite3_step(im);
    sqlite3_reset(im);
    sqlite3_bind_text(id, 1, key.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(id, 2, b.data(), static_cast<int>(b.size() / 2), SQLITE_STATIC);
    sqlite3_step(id);
    sqlite3_reset(id);
    sqlite3_bind_int64(ih, 1, sqlite3_last_insert_rowid(db));
    sqlite3_step(ih);
    sqlite3_reset(ih);
    sqlite3_bind_text(ir, 1, b.data(), static_cast<int>(std::min<size_t>(b.size(), 600)),
                      SQLITE_STATIC);
    sqlite3_step(ir);
    sqlite3_reset(ir);
    if (i % batch == static_cast<size_t>(batch - 1) || i + 1 == bodies.size()) {
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (auto* st : {im, id, ih, ir}) sqlite3_finalize(st);
  sqlite3_close(db);
  std::remove(path.c_str());
  std::remove((path + "-wal").c_str());
  std::remove((path + "-shm").c_str());
  return s;
}

}  // namespace shumao::bench

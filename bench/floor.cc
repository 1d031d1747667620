#include "floor.h"

#include <sqlite3.h>

#include <chrono>
#include <cstdint>
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

double InsertFloorSeconds(const std::vector<std::string>& bodies,
                          const std::vector<FloorKeys>& keys, const std::string& path, int batch) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", nullptr, nullptr, nullptr);
  sqlite3_stmt *im, *id, *ih, *ir;
  sqlite3_prepare_v2(db,
                     "INSERT INTO messages (guid, type, sender, format, received_ms, body_sealed) "
                     "VALUES (?1, 'CEB311', 'OPERATOR', 'xml', 1, ?2)",
                     -1, &im, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO documents (kind, scope, doc_key, alt_key, message_type, status, "
                     "return_info, guid, sender, parties, body_json, pii_sealed, buyer_hash, "
                     "updated_ms, deleted) VALUES (?5, ?6, ?1, ?7, 'CEB311', '2', "
                     "'ok', ?8, 'OPERATOR', ',EBP0000001,', ?2, ?3, ?4, 1, 0)",
                     -1, &id, nullptr);
  sqlite3_prepare_v2(db,
                     "INSERT INTO doc_history (document_id, status, time_ms, info) "
                     "VALUES (?1, '2', 1, 'ok')",
                     -1, &ih, nullptr);
  sqlite3_prepare_v2(
      db,
      "INSERT INTO receipts (recipient, type, return_status, return_info, keys_json, "
      "xml, time_ms) VALUES ('OPERATOR', 'CEB312', '2', 'ok', '{}', ?1, 1)",
      -1, &ir, nullptr);
  std::string pii(120, 'p'), receipt(700, 'r');
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < bodies.size(); ++i) {
    if (i % batch == 0) sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    const FloorKeys& k = keys[i];
    const std::string& b = bodies[i];
    sqlite3_bind_text(im, 1, k.guid.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_blob(im, 2, b.data(), static_cast<int>(b.size()), SQLITE_STATIC);
    sqlite3_step(im);
    sqlite3_reset(im);
    sqlite3_bind_text(id, 1, k.key.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(id, 2, b.data(), static_cast<int>(b.size() / 2), SQLITE_STATIC);
    sqlite3_bind_blob(id, 3, pii.data(), static_cast<int>(pii.size()), SQLITE_STATIC);
    sqlite3_bind_text(id, 4, k.buyer_hash.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(id, 5, k.kind.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(id, 6, k.scope.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(id, 7, k.alt_key.c_str(), -1, SQLITE_STATIC);
    sqlite3_bind_text(id, 8, k.guid.c_str(), -1, SQLITE_STATIC);
    sqlite3_step(id);
    sqlite3_reset(id);
    sqlite3_bind_int64(ih, 1, sqlite3_last_insert_rowid(db));
    sqlite3_step(ih);
    sqlite3_reset(ih);
    sqlite3_bind_text(ir, 1, receipt.data(), static_cast<int>(receipt.size()), SQLITE_STATIC);
    sqlite3_step(ir);
    sqlite3_reset(ir);
    if (i % batch == static_cast<size_t>(batch - 1) || i + 1 == bodies.size()) {
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  for (auto* st : {im, id, ih, ir}) sqlite3_finalize(st);
  sqlite3_close(db);
  return s;
}

double LineInsertFloorSeconds(const std::vector<FloorLine>& lines, const std::string& path,
                              int batch) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_exec(db,
               "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; CREATE TABLE lines (day INTEGER, "
               "direction INTEGER, mode INTEGER, zone INTEGER, ebc INTEGER, country INTEGER, "
               "heading INTEGER, value INTEGER)",
               nullptr, nullptr, nullptr);
  sqlite3_stmt* ins = nullptr;
  sqlite3_prepare_v2(db, "INSERT INTO lines VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", -1, &ins,
                     nullptr);
  auto start = std::chrono::steady_clock::now();
  for (size_t i = 0; i < lines.size(); ++i) {
    if (i % batch == 0) sqlite3_exec(db, "BEGIN", nullptr, nullptr, nullptr);
    const FloorLine& l = lines[i];
    int32_t ints[] = {l.day, l.direction, l.mode, l.zone, l.ebc, l.country, l.heading};
    for (int k = 0; k < 7; ++k) sqlite3_bind_int(ins, k + 1, ints[k]);
    sqlite3_bind_int64(ins, 8, l.value);
    sqlite3_step(ins);
    sqlite3_reset(ins);
    if (i % batch == static_cast<size_t>(batch - 1) || i + 1 == lines.size()) {
      sqlite3_exec(db, "COMMIT", nullptr, nullptr, nullptr);
    }
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sqlite3_finalize(ins);
  sqlite3_close(db);
  return s;
}

double LineScanFloorSeconds(const std::string& path, const std::string& sql, int64_t* rows) {
  sqlite3* db = nullptr;
  sqlite3_open(path.c_str(), &db);
  sqlite3_stmt* q = nullptr;
  sqlite3_prepare_v2(db, sql.c_str(), -1, &q, nullptr);
  auto start = std::chrono::steady_clock::now();
  int64_t n = 0;
  while (sqlite3_step(q) == SQLITE_ROW) ++n;
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  sqlite3_finalize(q);
  sqlite3_close(db);
  if (rows != nullptr) *rows = n;
  return s;
}

}  // namespace shumao::bench

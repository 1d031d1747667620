// Floors for `shumao bench`: what the raw libraries do with the same bytes and rows,
// measured in the same run, so that results are ratios and survive a noisy machine.
#ifndef SHUMAO_BENCH_FLOOR_H_
#define SHUMAO_BENCH_FLOOR_H_

#include <cstdint>
#include <string>
#include <vector>

namespace shumao::bench {

// Seconds for pugixml to parse every body once (one thread).
double ParseFloorSeconds(const std::vector<std::string>& bodies);

// The keys of one message's rows, as intake writes them (taken from the message).
struct FloorKeys {
  std::string guid;  // messages.guid
  std::string kind, scope, key, alt_key;
  std::string buyer_hash;  // empty when the document has no buyer
};

// Seconds to insert, for each body, the rows intake writes for a one-entity message — a
// messages row (the body), a documents row, a doc_history row and a receipts row of the
// same sizes and with the message's own keys, so that the same index pages are touched —
// with raw sqlite3 prepared statements into `path`, a database that already has the
// project's schema (same tables, same indexes), in WAL mode with synchronous=FULL,
// `batch` messages per transaction. No look-ups, no logic: the floor.
double InsertFloorSeconds(const std::vector<std::string>& bodies,
                          const std::vector<FloorKeys>& keys, const std::string& path, int batch);

// One released list line for the statistics floor, its keys as small integers.
struct FloorLine {
  int32_t day, direction, mode, zone, ebc, country, heading;
  int64_t value;  // CNY, 0.00001 units
};

// Seconds to insert every line as one row of a plain table `lines` (no index) into a new
// database at `path`, WAL and synchronous=FULL, `batch` lines per transaction: the cost of
// keeping the lines themselves, which a query without rollups would scan.
double LineInsertFloorSeconds(const std::vector<FloorLine>& lines, const std::string& path,
                              int batch);

// Seconds for one GROUP BY over every line of that table (`sql`, e.g. "SELECT country,
// sum(value) FROM lines WHERE day BETWEEN 0 AND 364 GROUP BY country"): what a statistics
// query costs when it scans the lines. `rows` gets the number of groups.
double LineScanFloorSeconds(const std::string& path, const std::string& sql, int64_t* rows);

}  // namespace shumao::bench

#endif  // SHUMAO_BENCH_FLOOR_H_

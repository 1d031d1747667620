// Floors for `shumao bench`: what the raw libraries do with the same bytes and rows,
// measured in the same run, so that results are ratios and survive a noisy machine.
#ifndef SHUMAO_BENCH_FLOOR_H_
#define SHUMAO_BENCH_FLOOR_H_

#include <string>
#include <vector>

namespace shumao::bench {

// Seconds for pugixml to parse every body once (one thread).
double ParseFloorSeconds(const std::vector<std::string>& bodies);
// Seconds to insert `messages` × (1 message row with the body, 1 document row, 1 history
// row, 1 receipt row) into a fresh SQLite file in WAL mode with synchronous=FULL, in
// transactions of `batch` messages, with prepared statements: the rows intake writes.
double InsertFloorSeconds(const std::vector<std::string>& bodies, const std::string& path,
                          int batch);

}  // namespace shumao::bench

#endif  // SHUMAO_BENCH_FLOOR_H_

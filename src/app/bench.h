// `shumao bench`: pipeline benchmarks run in-process, each against a floor measured in the
// same run on the same bytes (see bench/README.md).
#ifndef SHUMAO_APP_BENCH_H_
#define SHUMAO_APP_BENCH_H_

#include <filesystem>
#include <string>

#include "common/status.h"

namespace shumao::app {

struct BenchOptions {
  std::string scenario = "intake";  // intake, import, import-http, export, summary, risk, stats
  int64_t parcels = 100000;         // messages (intake, import, export); closed lists (summary)
  std::string db;                   // default: a temporary SQLite file
  double rate = 2000;               // import-http: offered parcels per second
  bool stats = true;                // false: no statistics rollups (their overhead)
};

// The result as one JSON object (CONTRACT.md).
StatusOr<std::string> RunBench(const BenchOptions& options);

// The statistics scenario (stats_bench.cc), in the temporary folder `dir`.
StatusOr<std::string> RunStatsBench(const BenchOptions& options, const std::filesystem::path& dir);

}  // namespace shumao::app

#endif  // SHUMAO_APP_BENCH_H_

// `shumao bench`: pipeline benchmarks run in-process, each against a floor measured in the
// same run on the same bytes (see bench/README.md).
#ifndef SHUMAO_APP_BENCH_H_
#define SHUMAO_APP_BENCH_H_

#include <cstdint>
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

// The benchmarks' deterministic random numbers (splitmix64).
struct SplitMix {
  uint64_t x;
  uint64_t Next() {
    uint64_t z = (x += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  int Below(int n) { return static_cast<int>(Next() % static_cast<uint64_t>(n)); }
  double Unit() { return static_cast<double>(Next() >> 11) / 9007199254740992.0; }  // [0, 1)
};

// The statistics scenario (stats_bench.cc), in the temporary folder `dir`.
StatusOr<std::string> RunStatsBench(const BenchOptions& options, const std::filesystem::path& dir);

}  // namespace shumao::app

#endif  // SHUMAO_APP_BENCH_H_

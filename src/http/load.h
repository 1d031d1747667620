// An open-loop HTTP load generator for benchmarks: POSTs CEB messages to
// /api/v1/messages at a fixed offered rate, in the given order, from several client
// threads with keep-alive connections, and records every request's latency. Open loop:
// message i is due at start + i / rate whether or not earlier answers have come back, and
// its latency is counted from when it was due, so a server that falls behind shows it in
// the latencies instead of silently lowering the rate (no coordinated omission).
#ifndef SHUMAO_HTTP_LOAD_H_
#define SHUMAO_HTTP_LOAD_H_

#include <string>
#include <vector>

namespace shumao::http {

struct LoadOptions {
  std::string host = "127.0.0.1";
  int port = 0;
  std::string token;             // Bearer token of the sender
  double messages_per_s = 1000;  // offered rate
  int threads = 16;
};

struct LoadResult {
  double seconds = 0;              // first due time to last answer
  size_t sent = 0, errors = 0;     // errors: transport failures and non-200 answers
  std::vector<double> latency_ms;  // per message, in message order
  std::string first_error;         // what the first error was
};

LoadResult RunLoad(const LoadOptions& options, const std::vector<std::string>& bodies);

// The q-quantile (0..1) of `values` (copied and sorted), 0 when empty.
double Quantile(std::vector<double> values, double q);

}  // namespace shumao::http

#endif  // SHUMAO_HTTP_LOAD_H_

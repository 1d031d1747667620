#include "http/load.h"

#include <httplib.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <mutex>
#include <thread>

namespace shumao::http {

LoadResult RunLoad(const LoadOptions& o, const std::vector<std::string>& bodies) {
  using Clock = std::chrono::steady_clock;
  LoadResult result;
  result.latency_ms.assign(bodies.size(), 0);
  std::atomic<size_t> next{0}, errors{0};
  std::mutex error_mu;
  const auto start = Clock::now() + std::chrono::milliseconds(50);
  const double per_message_s = 1.0 / std::max(o.messages_per_s, 1e-9);
  std::vector<std::thread> clients;
  for (int t = 0; t < std::max(o.threads, 1); ++t) {
    clients.emplace_back([&] {
      httplib::Client c(o.host, o.port);
      c.set_keep_alive(true);
      c.set_tcp_nodelay(true);
      c.set_read_timeout(60, 0);
      httplib::Headers headers = {{"Authorization", "Bearer " + o.token}};
      for (;;) {
        size_t i = next.fetch_add(1);
        if (i >= bodies.size()) return;
        auto due = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(i * per_message_s));
        std::this_thread::sleep_until(due);
        auto res = c.Post("/api/v1/messages", headers, bodies[i], "application/xml");
        auto done = Clock::now();
        if (!res || res->status != 200) {
          if (errors.fetch_add(1) == 0) {
            std::lock_guard lock(error_mu);
            result.first_error =
                res ? "HTTP " + std::to_string(res->status) + ": " + res->body.substr(0, 300)
                    : "transport: " + httplib::to_string(res.error());
          }
        }
        result.latency_ms[i] = std::chrono::duration<double, std::milli>(done - due).count();
      }
    });
  }
  for (auto& c : clients) c.join();
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  result.sent = bodies.size();
  result.errors = errors.load();
  return result;
}

double Quantile(std::vector<double> values, double q) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  size_t k = static_cast<size_t>(std::ceil(q * values.size()));
  return values[std::min(values.size(), std::max<size_t>(k, 1)) - 1];
}

}  // namespace shumao::http

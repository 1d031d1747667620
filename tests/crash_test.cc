// Every message that got an accepting receipt survives a crash: a real `shumao serve` is
// killed with SIGKILL while clients are posting, restarted on the same database, and
// every document whose receipt said "accepted" must be there, stored once.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <rapidjson/document.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <mutex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "support/shared_dir.h"
#include "support/shumao_process.h"

extern char** environ;

namespace shumao {
namespace {

namespace fs = std::filesystem;
using shumao::testing::FreePort;

std::string Capture(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

pid_t StartServer(const fs::path& db, int port) {
  std::string listen = "127.0.0.1:" + std::to_string(port);
  std::vector<std::string> args = {SHUMAO_BINARY, "serve", "--db",        db.string(),
                                   "--listen",    listen,  "--log-level", "off"};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  posix_spawn(&pid, SHUMAO_BINARY, nullptr, nullptr, argv.data(), environ);
  httplib::Client c("127.0.0.1", port);
  for (int i = 0; i < 200; ++i) {
    if (auto r = c.Get("/healthz"); r && r->status == 200) return pid;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return pid;
}

// The order sample with one entity, a new order number and fresh guids.
std::string Order(const std::string& order_no, int n) {
  std::string s = shumao::testing::ReadFile(shumao::testing::SharedDir() +
                                            "/ceb/samples/import/CEB311Message.xml");
  size_t first_end = s.find("</ceb:Order>") + 12;
  s.erase(first_end, s.rfind("</ceb:Order>") + 12 - first_end);
  char guid[40];
  std::snprintf(guid, sizeof guid, "C0000000-0000-4000-8000-%012d", n);
  size_t g = s.find("guid=\"");
  s.replace(g + 6, 36, guid);
  guid[0] = 'D';
  size_t eg = s.find("<ceb:guid>");
  s.replace(eg + 10, 36, guid);
  size_t o = s.find("<ceb:orderNo>");
  size_t oe = s.find("</ceb:orderNo>", o);
  s.replace(o + 13, oe - o - 13, order_no);
  return s;
}

TEST(CrashTest, AcceptedMessagesSurviveSigkill) {
  fs::path dir = fs::temp_directory_path() / ("shumao-crash-" + std::to_string(getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  fs::path db = dir / "zone.db";
  std::string bin = std::string("'") + SHUMAO_BINARY + "'";
  std::string out = Capture(bin + " enterprise add --db '" + db.string() +
                            "' --code OPERATOR01 --name op --role operator");
  rapidjson::Document tok;
  tok.Parse(out.c_str());
  ASSERT_TRUE(tok.IsObject()) << out;
  std::string token = tok["token"].GetString();
  // The sample's parties (platform, enterprise, payment company).
  for (const char* code : {"1105910159", "1101110323"}) {
    Capture(bin + " enterprise add --db '" + db.string() + "' --code " + code +
            " --name p --role ebp --role ebc --role payment >/dev/null");
  }
  int port = FreePort();
  pid_t pid = StartServer(db, port);
  ASSERT_GT(pid, 0);

  std::mutex mu;
  std::set<std::string> accepted;
  std::atomic<bool> stop{false};
  std::atomic<int> next{0};
  std::vector<std::thread> clients;
  for (int t = 0; t < 4; ++t) {
    clients.emplace_back([&] {
      httplib::Client c("127.0.0.1", port);
      c.set_read_timeout(5, 0);
      while (!stop) {
        int n = next++;
        std::string order_no = "CRASH" + std::to_string(n);
        auto r = c.Post("/api/v1/messages", {{"Authorization", "Bearer " + token}},
                        Order(order_no, n), "application/xml");
        if (r && r->status == 200 &&
            r->body.find("<ceb:returnStatus>2</ceb:returnStatus>") != std::string::npos) {
          std::lock_guard lock(mu);
          accepted.insert(order_no);
        }
        if (!r) std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    });
  }
  // Kill once a few hundred were answered, while requests are in flight.
  for (int i = 0; i < 600; ++i) {
    {
      std::lock_guard lock(mu);
      if (accepted.size() >= 300) break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(pid, SIGKILL);
  waitpid(pid, nullptr, 0);
  stop = true;
  for (auto& t : clients) t.join();
  ASSERT_GE(accepted.size(), 50u) << "too few messages were accepted before the kill";

  pid = StartServer(db, port);
  httplib::Client c("127.0.0.1", port);
  size_t found = 0;
  for (const std::string& order_no : accepted) {
    auto r = c.Get(("/api/v1/documents/orders/" + order_no).c_str(),
                   {{"Authorization", "Bearer " + token}});
    if (r && r->status == 200) ++found;
  }
  EXPECT_EQ(found, accepted.size()) << "messages with an accepting receipt were lost";
  std::printf("crash test: %zu accepted before SIGKILL, %zu found after restart\n", accepted.size(),
              found);
  // Stored once: resending an accepted order is answered as a duplicate.
  auto again =
      c.Post("/api/v1/messages", {{"Authorization", "Bearer " + token}},
             Order(*accepted.begin(), std::stoi(accepted.begin()->substr(5))), "application/xml");
  ASSERT_TRUE(again);
  EXPECT_NE(again->body.find("-301010"), std::string::npos) << again->body;
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace shumao

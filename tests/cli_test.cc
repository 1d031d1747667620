// The command line as CONTRACT.md describes it, run as a user would: the real binary in a
// temporary folder. JSON on stdout for programs, exit codes 0 / 1 / 2.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "support/shared_dir.h"

namespace shumao {
namespace {

namespace fs = std::filesystem;

struct CommandResult {
  int code = -1;
  std::string out;
};

// Runs `shumao ARGS` in `dir`; stdout captured, stderr dropped.
CommandResult Shumao(const fs::path& dir, const std::string& args) {
  std::string cmd = "cd '" + dir.string() + "' && '" SHUMAO_BINARY "' " + args + " 2>/dev/null";
  CommandResult r;
  FILE* p = popen(cmd.c_str(), "r");
  if (p == nullptr) return r;
  std::array<char, 4096> buf{};
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), p)) > 0) r.out.append(buf.data(), n);
  int status = pclose(p);
  r.code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

class CliTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("shumao-cli-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  fs::path dir_;
};

TEST_F(CliTest, EveryCommandExplainsItself) {
  for (const char* cmd :
       {"", "serve", "demo", "enterprise add", "user add", "gen", "ingest", "bench"}) {
    CommandResult r = Shumao(dir_, std::string(cmd) + " --help");
    EXPECT_EQ(r.code, 0) << cmd;
    EXPECT_NE(r.out.find("Usage"), std::string::npos) << cmd;
  }
}

TEST_F(CliTest, UsageErrorsExitWithTwo) {
  EXPECT_EQ(Shumao(dir_, "").code, 2);
  EXPECT_EQ(Shumao(dir_, "no-such-command").code, 2);
  EXPECT_EQ(Shumao(dir_, "enterprise add --db z.db --code X").code, 2);  // --name, --role
  EXPECT_EQ(Shumao(dir_, "enterprise add --db z.db --code X --name Y --role wizard").code, 2);
  EXPECT_EQ(Shumao(dir_, "user add --db z.db --department army --name n").code, 2);
}

TEST_F(CliTest, RegistryCommandsPrintJsonWithATokenAndCreateTheKey0600) {
  CommandResult e = Shumao(
      dir_, "enterprise add --db z.db --code 3201960ABC --name 苏州测试 --role ebc --role agent");
  ASSERT_EQ(e.code, 0);
  rapidjson::Document d;
  d.Parse(e.out.c_str());
  ASSERT_TRUE(d.IsObject()) << e.out;
  EXPECT_STREQ(d["code"].GetString(), "3201960ABC");
  EXPECT_EQ(std::string(d["token"].GetString()).size(), 64u);
  CommandResult u = Shumao(dir_, "user add --db z.db --department customs --name officer1");
  ASSERT_EQ(u.code, 0);
  rapidjson::Document du;
  du.Parse(u.out.c_str());
  EXPECT_STREQ(du["name"].GetString(), "officer1");
  auto perms = fs::status(dir_ / "z.db.key").permissions();
  EXPECT_EQ(perms & (fs::perms::group_all | fs::perms::others_all), fs::perms::none);
  // The token is not stored in clear.
  EXPECT_EQ(shumao::testing::ReadFile((dir_ / "z.db").string()).find(d["token"].GetString()),
            std::string::npos);
}

TEST_F(CliTest, GenThenIngestGivesOneNdjsonLinePerEntity) {
  CommandResult g = Shumao(dir_, "gen --seed 5 --import 20 --export 10 --out traffic");
  ASSERT_EQ(g.code, 0) << g.out;
  ASSERT_TRUE(fs::exists(dir_ / "traffic" / "parties.json"));
  // Register the parties the generator names, then ingest in file-name order.
  rapidjson::Document parties;
  parties.Parse(shumao::testing::ReadFile((dir_ / "traffic" / "parties.json").string()).c_str());
  ASSERT_TRUE(parties.IsArray());
  for (const auto& p : parties.GetArray()) {
    std::string args =
        std::string("enterprise add --db z.db --code ") + p["code"].GetString() + " --name x";
    for (const auto& r : p["roles"].GetArray()) args += std::string(" --role ") + r.GetString();
    ASSERT_EQ(Shumao(dir_, args).code, 0);
  }
  CommandResult in = Shumao(dir_, "ingest --db z.db --replay traffic");
  ASSERT_EQ(in.code, 0);
  int lines = 0, accepted = 0;
  size_t pos = 0;
  while (pos < in.out.size()) {
    size_t end = in.out.find('\n', pos);
    std::string line = in.out.substr(pos, end - pos);
    pos = end == std::string::npos ? in.out.size() : end + 1;
    rapidjson::Document d;
    d.Parse(line.c_str());
    ASSERT_TRUE(d.IsObject()) << line;
    ++lines;
    if (d.HasMember("returnStatus") && std::string(d["returnStatus"].GetString()) == "2")
      ++accepted;
  }
  EXPECT_GT(lines, 100);
  EXPECT_EQ(accepted, lines);  // no faults asked for: everything is accepted
  // Ingesting again: every entity is now a duplicate, nothing accepted.
  CommandResult again = Shumao(dir_, "ingest --db z.db traffic");
  EXPECT_EQ(again.code, 0);
  EXPECT_EQ(again.out.find("\"returnStatus\":\"2\""), std::string::npos);
}

TEST_F(CliTest, TaxQuoteReadsStdinAndPrintsTheAnswer) {
  std::string req =
      R"({"date":"2026-11-29","tradeMode":"9610","freight":"10","items":[{"gcode":"1901101000",)"
      R"("qty":2,"unit":"035","price":"200","rates":{"vat":"0.13"}}]})";
  std::ofstream((dir_ / "q.json").string()) << req;
  CommandResult r = Shumao(dir_, "tax quote < q.json");
  ASSERT_EQ(r.code, 0) << r.out;
  rapidjson::Document d;
  d.Parse(r.out.c_str());
  ASSERT_TRUE(d.IsObject()) << r.out;
  // (400 + 10) × 13% × 0.7 = 37.31
  EXPECT_STREQ(d["taxTotal"].GetString(), "37.31");
  EXPECT_STREQ(d["regime"].GetString(), "retail");
  std::ofstream((dir_ / "bad.json").string()) << "{\"tradeMode\":\"1210\"}";
  EXPECT_EQ(Shumao(dir_, "tax quote < bad.json").code, 1);
}

}  // namespace
}  // namespace shumao

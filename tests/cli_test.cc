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
  for (const char* cmd : {"", "serve", "demo", "enterprise add", "user add", "gen", "ingest",
                          "bench", "tick", "stock in", "stock report", "quota show", "quota audit",
                          "guarantee set", "guarantee show"}) {
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

rapidjson::Document ParseJson(const std::string& text) {
  rapidjson::Document d;
  d.Parse(text.c_str());
  return d;
}

// The clearance commands around an ingest: bonded stock in, the year's lists cleared, a
// tick that closes the lists past their return window and pays their tax from the
// guarantee, the quota ledger balanced.
TEST_F(CliTest, StockIngestTickQuotaAndGuaranteeCommands) {
  ASSERT_EQ(Shumao(dir_, "gen --seed 9 --import 60 --from 2026-01-05 --to 2026-01-20 --out t").code,
            0);
  rapidjson::Document parties =
      ParseJson(shumao::testing::ReadFile((dir_ / "t" / "parties.json").string()));
  ASSERT_TRUE(parties.IsArray());
  std::vector<std::string> agents;
  for (const auto& p : parties.GetArray()) {
    std::string args =
        std::string("enterprise add --db z.db --code ") + p["code"].GetString() + " --name x";
    for (const auto& r : p["roles"].GetArray()) {
      args += std::string(" --role ") + r.GetString();
      if (std::string(r.GetString()) == "agent") agents.push_back(p["code"].GetString());
    }
    ASSERT_EQ(Shumao(dir_, args).code, 0);
  }
  ASSERT_FALSE(agents.empty());
  CommandResult stock = Shumao(dir_, "stock in --db z.db t/stock.json");
  ASSERT_EQ(stock.code, 0) << stock.out;
  EXPECT_GT(ParseJson(stock.out)["records"].GetInt(), 0);
  // A guarantee large enough for every bill of each agent (the generator's guarantors).
  for (const std::string& agent : agents) {
    CommandResult g = Shumao(dir_, "guarantee set --db z.db --code " + agent + " --amount 1000000");
    ASSERT_EQ(g.code, 0);
    EXPECT_STREQ(ParseJson(g.out)["balance"].GetString(), "1000000.00");
  }
  ASSERT_EQ(Shumao(dir_, "ingest --db z.db --replay --inspection-rate 0 t").code, 0);

  // Every bonded item the lists drew is out of stock by what they took, never below 0.
  rapidjson::Document report = ParseJson(Shumao(dir_, "stock report --db z.db").out);
  ASSERT_TRUE(report.IsObject());
  int drawn = 0;
  for (const auto& line : report["stock"].GetArray()) {
    double balance = std::stod(line["balance"].GetString());
    EXPECT_GE(balance, 0);
    if (std::string(line["out"].GetString()) != "0") ++drawn;
  }
  EXPECT_GT(drawn, 0);

  // Before the tick nothing is paid; 31 days after the last list everything is closed and
  // paid from the guarantee.
  for (const std::string& agent : agents) {
    EXPECT_STREQ(
        ParseJson(Shumao(dir_, "guarantee show --db z.db --code " + agent).out)["paid"].GetString(),
        "0.00");
  }
  CommandResult tick = Shumao(dir_, "tick --db z.db --at 2026-03-01");
  ASSERT_EQ(tick.code, 0) << tick.out;
  rapidjson::Document t = ParseJson(tick.out);
  EXPECT_GT(t["closed"].GetInt(), 0);
  EXPECT_EQ(t["taxPaid"].GetInt(), t["closed"].GetInt());
  bool any_paid = false;
  for (const std::string& agent : agents) {
    rapidjson::Document after =
        ParseJson(Shumao(dir_, "guarantee show --db z.db --code " + agent).out);
    any_paid |= std::string(after["paid"].GetString()) != "0.00";
    EXPECT_STREQ(after["outstanding"].GetString(), "0.00") << agent;
  }
  EXPECT_TRUE(any_paid);

  rapidjson::Document audit = ParseJson(Shumao(dir_, "quota audit --db z.db --year 2026").out);
  ASSERT_TRUE(audit.IsObject());
  EXPECT_TRUE(audit["balanced"].GetBool());
  EXPECT_GT(audit["buyers"].GetInt(), 0);
  EXPECT_NE(std::string(audit["ledger"].GetString()), "0.00");
  EXPECT_EQ(Shumao(dir_, "tick --db z.db --at yesterday").code, 1);  // a clear error

  // A buyer of a released list: the ledger shows what the buyer used, and a tax quote
  // against the same database starts from it.
  std::string id;
  for (const auto& f : fs::directory_iterator(dir_ / "t")) {
    if (f.path().string().find("CEB621") == std::string::npos) continue;
    std::string xml = shumao::testing::ReadFile(f.path().string());
    size_t a = xml.find("<ceb:buyerIdNumber>");
    size_t b = xml.find("</ceb:buyerIdNumber>");
    if (a != std::string::npos && b != std::string::npos) {
      id = xml.substr(a + 19, b - a - 19);
      break;
    }
  }
  ASSERT_EQ(id.size(), 18u);
  rapidjson::Document shown =
      ParseJson(Shumao(dir_, "quota show --db z.db --id-number " + id + " --year 2026").out);
  ASSERT_TRUE(shown.IsObject());
  std::string used = shown["used"].GetString();
  EXPECT_NE(used, "0.00");
  std::ofstream(dir_ / "q.json")
      << R"({"date":"2026-02-01","tradeMode":"1210","buyer":{"idType":"1","idNumber":")" << id
      << R"("},"freight":"0","items":[{"gcode":"3304990029","qty":1,"unit":"011","price":"100.00"}]})";
  rapidjson::Document q = ParseJson(Shumao(dir_, "tax quote --db z.db < q.json").out);
  ASSERT_TRUE(q.IsObject());
  EXPECT_EQ(std::string(q["quota"]["usedBefore"].GetString()), used);
  rapidjson::Document no_db = ParseJson(Shumao(dir_, "tax quote < q.json").out);
  EXPECT_STREQ(no_db["quota"]["usedBefore"].GetString(), "0.00");
}

// The HTTP latency benchmark runs end to end on a small load and reports its figures.
TEST_F(CliTest, BenchImportHttpReportsLatencies) {
  CommandResult r = Shumao(dir_, "bench --scenario import-http --parcels 200 --rate 100");
  ASSERT_EQ(r.code, 0) << r.out;
  rapidjson::Document d = ParseJson(r.out);
  ASSERT_TRUE(d.IsObject()) << r.out;
  EXPECT_EQ(d["errors"].GetInt(), 0) << r.out;
  EXPECT_GT(d["decision_p99_ms"].GetDouble(), 0);
  EXPECT_GE(d["latency_p99_ms"].GetDouble(), d["latency_p50_ms"].GetDouble());
  EXPECT_GT(d["parcels_per_s"].GetDouble(), 0);
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

  // The zone's own tables: a copy of data/tax/ whose 2019 row has a single limit of 300.
  fs::create_directories(dir_ / "tariff");
  for (const char* f : {"vat_periods.csv", "vat_reduced.csv", "consumption_tax.csv"})
    fs::copy_file(fs::path("data/tax") / f, dir_ / "tariff" / f);
  std::string policy = shumao::testing::ReadFile("data/tax/policy.csv");
  size_t row = policy.find("2019-01-01,5000,");
  ASSERT_NE(row, std::string::npos) << policy;
  policy.replace(row, 16, "2019-01-01,300,");
  std::ofstream((dir_ / "tariff" / "policy.csv").string()) << policy;
  rapidjson::Document zone;
  zone.Parse(Shumao(dir_, "tax quote --tariff tariff < q.json").out.c_str());
  ASSERT_TRUE(zone.IsObject());
  EXPECT_STREQ(zone["regime"].GetString(), "refused");  // 410 is over this zone's 300
  // A broken table is refused with the file and line named, exit code 1.
  std::ofstream((dir_ / "tariff" / "policy.csv").string(), std::ios::app) << "not,a,row\n";
  EXPECT_EQ(Shumao(dir_, "tax quote --tariff tariff < q.json").code, 1);
  EXPECT_EQ(Shumao(dir_, "tax quote --tariff no-such-folder < q.json").code, 1);
}

TEST_F(CliTest, SummaryPrintsTheContractShapeAndRefusesBadArguments) {
  CommandResult r = Shumao(dir_, "summary --db z.db --month 2026-01 --summary-flag 2 --out sum");
  ASSERT_EQ(r.code, 0) << r.out;
  rapidjson::Document d;
  d.Parse(r.out.c_str());
  ASSERT_TRUE(d.IsObject()) << r.out;
  EXPECT_STREQ(d["month"].GetString(), "2026-01");
  EXPECT_STREQ(d["deadline"].GetString(), "2026-02-24");  // after the Spring Festival
  EXPECT_TRUE(d["overdue"].IsBool());
  ASSERT_TRUE(d["declarations"].IsArray());
  EXPECT_EQ(d["declarations"].Size(), 0u);  // nothing closed in that month
  EXPECT_EQ(Shumao(dir_, "summary --db z.db --month 2026-01").out, r.out);
  EXPECT_EQ(Shumao(dir_, "summary --db z.db --month 2026-1").code, 2);
  EXPECT_EQ(Shumao(dir_, "summary --db z.db --month 2099-01").code, 2);  // not begun
  EXPECT_EQ(Shumao(dir_, "summary --db z.db --month 2026-01 --summary-flag 3").code, 2);
  EXPECT_EQ(Shumao(dir_, "summary --db z.db --month 2026-01 --item-name-flag 2").code, 2);
  EXPECT_EQ(Shumao(dir_, "summary --db z.db").code, 2);
  CommandResult help = Shumao(dir_, "summary --help");
  EXPECT_EQ(help.code, 0);
  EXPECT_NE(help.out.find("--item-name-flag"), std::string::npos);
}

// Reminders of the monthly summary: October's closed lists are due by 16 November 2026
// (the 15th is a Sunday); once summarised, nothing is due.
TEST_F(CliTest, SummaryDueRemindsUntilTheMonthIsSummarised) {
  ASSERT_EQ(Shumao(dir_, "gen --seed 4 --export 80 --from 2026-10-01 --to 2026-10-31 --out x").code,
            0);
  rapidjson::Document parties =
      ParseJson(shumao::testing::ReadFile((dir_ / "x" / "parties.json").string()));
  ASSERT_TRUE(parties.IsArray());
  for (const auto& p : parties.GetArray()) {
    std::string args =
        std::string("enterprise add --db z.db --code ") + p["code"].GetString() + " --name x";
    for (const auto& r : p["roles"].GetArray()) args += std::string(" --role ") + r.GetString();
    ASSERT_EQ(Shumao(dir_, args).code, 0);
  }
  ASSERT_EQ(Shumao(dir_, "ingest --db z.db --replay x").code, 0);
  rapidjson::Document due = ParseJson(Shumao(dir_, "summary-due --db z.db --at 2026-11-10").out);
  ASSERT_TRUE(due.IsObject());
  ASSERT_GT(due["due"].Size(), 0u);
  int64_t lists = 0;
  for (const auto& d : due["due"].GetArray()) {
    EXPECT_STREQ(d["month"].GetString(), "2026-10");
    EXPECT_STREQ(d["deadline"].GetString(), "2026-11-16");
    EXPECT_EQ(d["daysLeft"].GetInt(), 6);
    EXPECT_FALSE(d["overdue"].GetBool());
    lists += d["lists"].GetInt64();
  }
  EXPECT_GT(lists, 0);
  // After the deadline the same lists are overdue.
  rapidjson::Document late = ParseJson(Shumao(dir_, "summary-due --db z.db --at 2026-11-17").out);
  ASSERT_GT(late["due"].Size(), 0u);
  EXPECT_TRUE(late["due"][0]["overdue"].GetBool());
  EXPECT_EQ(late["due"][0]["daysLeft"].GetInt(), -1);
  // Summarised: every closed list is in a declaration, nothing is due.
  ASSERT_EQ(Shumao(dir_, "summary --db z.db --month 2026-10").code, 0);
  rapidjson::Document after = ParseJson(Shumao(dir_, "summary-due --db z.db --at 2026-11-17").out);
  EXPECT_EQ(after["due"].Size(), 0u);
  EXPECT_EQ(Shumao(dir_, "summary-due --db z.db --at 17/11/2026").code, 2);
}

TEST_F(CliTest, ExportTaxRecordsAndEit) {
  CommandResult r = Shumao(dir_,
                           "export-tax records --db z.db --ebc 3201960ABC --from 2026-10-01 "
                           "--to 2026-10-31 --out r.csv");
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_EQ(r.out, "{\"lines\":0,\"qualifying\":0,\"out\":\"r.csv\"}\n");
  std::string csv = shumao::testing::ReadFile((dir_ / "r.csv").string());
  EXPECT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");  // BOM, then the Chinese header
  EXPECT_EQ(csv.find("出口日期(export date),"), 3u);
  ASSERT_EQ(Shumao(dir_,
                   "export-tax records --db z.db --ebc 3201960ABC --from 2026-10-01 "
                   "--to 2026-10-31 --format xlsx --out r.xlsx")
                .code,
            0);
  EXPECT_EQ(shumao::testing::ReadFile((dir_ / "r.xlsx").string()).substr(0, 2), "PK");
  EXPECT_EQ(Shumao(dir_,
                   "export-tax records --db z.db --ebc 3201960ABC --from 2026-10-31 "
                   "--to 2026-10-01 --out r.csv")
                .code,
            2);
  EXPECT_EQ(Shumao(dir_,
                   "export-tax records --db z.db --ebc X --from 2026-10-01 --to 2026-10-31 "
                   "--format pdf --out r.pdf")
                .code,
            2);
  CommandResult e =
      Shumao(dir_, "export-tax eit --db z.db --ebc 3201960ABC --year 2026 --small-micro");
  ASSERT_EQ(e.code, 0) << e.out;
  rapidjson::Document d;
  d.Parse(e.out.c_str());
  ASSERT_TRUE(d.IsObject()) << e.out;
  EXPECT_STREQ(d["revenue"].GetString(), "0.00");
  EXPECT_STREQ(d["tax"].GetString(), "0.00");
  EXPECT_STREQ(d["basis"].GetString(), "small-micro");
  EXPECT_EQ(Shumao(dir_, "export-tax eit --db z.db --ebc 3201960ABC --year 2019").code, 2);
  EXPECT_EQ(Shumao(dir_, "export-tax --help").code, 0);
}

}  // namespace
}  // namespace shumao

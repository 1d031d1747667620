// The export flow end to end with the real binary: `gen` writes October's traffic for
// 2,000 export parcels with 5% labelled faults, the parties are registered (each
// e-commerce enterprise with an overseas warehouse, for its 9810 lists), `ingest --replay`
// declares everything in sending order (orders, receipts, waybills, lists, arrivals,
// departures) and `tick` runs after the last match timeout. Every export list's final
// status (read from the SQLite file) is held against its label: a clean list closes (899),
// each kind of mistake ends as it should.
//
// Prints a table per fault type (count and final statuses) so the figures can be quoted.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "support/shared_dir.h"
#include "support/shumao_process.h"

namespace shumao {
namespace {

namespace fs = std::filesystem;
using shumao::testing::CommandResult;
using shumao::testing::ReadFile;
using shumao::testing::ShellQuote;
using shumao::testing::Shumao;

constexpr int kExports = 2000;
// After the last departure of October's batches plus the 24-hour match timeout.
constexpr const char* kTickAt = "2026-11-20";

struct ListRow {
  std::string status, info, trade_mode;
};

std::string Str(const rapidjson::Value& o, const char* name) {
  return o.IsObject() && o.HasMember(name) && o[name].IsString() ? o[name].GetString() : "";
}

bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

::testing::AssertionResult ReadLists(const fs::path& db_path, std::map<std::string, ListRow>& out) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return ::testing::AssertionFailure() << "cannot open " << db_path;
  }
  const char* sql =
      "SELECT doc_key, status, return_info, json_extract(body_json, '$.InventoryHead.tradeMode') "
      "FROM documents WHERE kind = 'inventories' AND message_type = 'CEB603'";
  sqlite3_stmt* st = nullptr;
  auto text = [](sqlite3_stmt* s, int col) {
    const unsigned char* t = sqlite3_column_text(s, col);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  ::testing::AssertionResult result = ::testing::AssertionSuccess();
  if (sqlite3_prepare_v2(db, sql, -1, &st, nullptr) != SQLITE_OK) {
    result = ::testing::AssertionFailure() << sqlite3_errmsg(db);
  } else {
    while (sqlite3_step(st) == SQLITE_ROW) {
      out[text(st, 0)] = ListRow{text(st, 1), text(st, 2), text(st, 3)};
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return result;
}

class ExportFlowTest : public shumao::testing::ScratchTest {
 protected:
  ExportFlowTest() : ScratchTest("export-flow") {}
};

TEST_F(ExportFlowTest, CleanListsCloseAndEachFaultEndsAsItShould) {
  const fs::path traffic = dir_ / "traffic";
  const std::string db = ShellQuote((dir_ / "zone.db").string());
  CommandResult gen =
      Run("gen --seed 3 --export " + std::to_string(kExports) +
          " --faults 0.05 --from 2026-10-01 --to 2026-10-31 --out " + ShellQuote(traffic.string()));
  ASSERT_EQ(gen.code, 0) << gen.out << ReadFile(log_);

  rapidjson::Document parties;
  parties.Parse(ReadFile((traffic / "parties.json").string()).c_str());
  ASSERT_TRUE(parties.IsArray());
  int warehouses = 0;
  for (const auto& p : parties.GetArray()) {
    std::string code = p["code"].GetString();
    std::string args = "enterprise add --db " + db + " --code " + ShellQuote(code) + " --name " +
                       ShellQuote(p["name"].GetString());
    bool ebc = false;
    for (const auto& r : p["roles"].GetArray()) {
      args += std::string(" --role ") + r.GetString();
      ebc |= std::string(r.GetString()) == "ebc";
    }
    CommandResult e = Run(args + " >/dev/null");
    ASSERT_EQ(e.code, 0) << args << "\n" << ReadFile(log_);
    if (!ebc) continue;
    CommandResult w = Run("overseas-warehouse add --db " + db + " --ebc " + ShellQuote(code) +
                          " --code LAX01 --name 美国洛杉矶海外仓 --country 502 --address " +
                          ShellQuote("1000 Warehouse Way, Los Angeles") +
                          " --area-m2 12000 --service 一件代发 --service 退货 >/dev/null");
    ASSERT_EQ(w.code, 0) << ReadFile(log_);
    ++warehouses;
  }
  ASSERT_GT(warehouses, 0);
  CommandResult listed = Run("overseas-warehouse list --db " + db);
  ASSERT_EQ(listed.code, 0);
  EXPECT_EQ(std::count(listed.out.begin(), listed.out.end(), '\n'), warehouses) << listed.out;

  CommandResult ingest = Run("ingest --db " + db + " --replay " + ShellQuote(traffic.string()) +
                             " > " + ShellQuote((dir_ / "out.ndjson").string()));
  ASSERT_EQ(ingest.code, 0) << ReadFile(log_);
  CommandResult tick = Run("tick --db " + db + " --at " + kTickAt);
  ASSERT_EQ(tick.code, 0) << tick.out << ReadFile(log_);

  std::map<std::string, std::string> fault_of;  // copNo → fault
  std::map<std::string, int> count_of;
  {
    std::ifstream in(traffic / "labels.ndjson");
    std::string line;
    while (std::getline(in, line)) {
      rapidjson::Document d;
      d.Parse(line.c_str());
      ASSERT_TRUE(d.IsObject()) << line;
      if (Str(d, "direction") != "export") continue;
      fault_of[Str(d, "copNo")] = Str(d, "fault");
      ++count_of[Str(d, "fault")];
    }
  }
  ASSERT_GT(fault_of.size(), 50u);
  std::map<std::string, ListRow> lists;
  ASSERT_TRUE(ReadLists(dir_ / "zone.db", lists));

  // The final status each fault should end in, and a part of the reason when refused.
  struct Want {
    const char* status;
    const char* part;
  };
  const std::map<std::string, Want> want = {
      {"(clean)", {"899", nullptr}},
      {"b2b_over_5000", {"100", "报关单"}},
      {"missing_payment", {"899", nullptr}},   // the receipts record never blocks
      {"missing_waybill", {"100", "CEB505"}},  // timed out
      {"duplicate_message", {"899", nullptr}},
      {"missing_departure", {"800", nullptr}},
      // Another category's HS code: only a risk engine can see it (issue 5).
      {"name_hs_mismatch", {"899", nullptr}},
      {"unregistered_ebc", {"none", nullptr}},  // stopped at the door (-10102)
  };
  std::map<std::string, std::map<std::string, int>> statuses;
  std::map<std::string, std::vector<std::string>> problems;
  std::set<std::string> seen;
  auto judge = [&](const std::string& fault, const std::string& cop, const ListRow* r) {
    std::string status = r ? r->status : "none";
    ++statuses[fault][status];
    auto w = want.find(fault);
    if (w == want.end()) {
      problems[fault].push_back("no rule for this fault in the test");
      return;
    }
    bool ok = status == w->second.status &&
              (w->second.part == nullptr || (r && Contains(r->info, w->second.part)));
    if (!ok) problems[fault].push_back(cop + " is " + status + ": " + (r ? r->info : ""));
  };
  for (const auto& [cop, fault] : fault_of) {
    auto it = lists.find(cop);
    judge(fault, cop, it == lists.end() ? nullptr : &it->second);
  }
  int clean = 0;
  for (const auto& [cop, r] : lists) {
    if (fault_of.count(cop)) continue;
    ++clean;
    judge("(clean)", cop, &r);
  }
  count_of["(clean)"] = clean;
  EXPECT_EQ(clean + static_cast<int>(fault_of.size()), kExports);

  std::printf("\n%-20s %6s  %s\n", "fault", "count", "final list statuses");
  for (const auto& [fault, n] : count_of) {
    std::string st;
    for (const auto& [s, k] : statuses[fault]) st += s + "×" + std::to_string(k) + " ";
    std::printf("%-20s %6d  %s%s\n", fault.c_str(), n, st.c_str(),
                problems.count(fault) ? "  <-- unexpected" : "");
  }
  std::printf("tick: %s", tick.out.c_str());
  for (const auto& [fault, list] : problems) {
    std::string first;
    for (size_t i = 0; i < list.size() && i < 5; ++i) first += "\n  " + list[i];
    ADD_FAILURE() << fault << ": " << list.size() << " unexpected" << first;
  }
}

}  // namespace
}  // namespace shumao

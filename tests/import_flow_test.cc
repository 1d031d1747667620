// The import flow end to end, as a zone would run it with the real binary: `gen` writes
// three months of traffic for 10,000 import parcels with 5% labelled faults, the parties
// are registered, the bonded stock comes in, `ingest --replay` declares everything in
// sending order and `tick` runs after the last match timeout. Then every list's final
// status (read from the SQLite file) is held against what its label says should happen:
// a clean parcel is released, each kind of mistake is refused with its reason, an
// unregistered enterprise is stopped at the door, a duplicate file is refused without
// harming the parcel, and the quota ledger balances.
//
// Prints a table per fault type (count and final statuses) so the figures can be quoted.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sqlite3.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "support/shared_dir.h"
#include "support/shumao_process.h"

namespace shumao {
namespace {

namespace fs = std::filesystem;
using shumao::testing::CommandResult;
using shumao::testing::Fen;
using shumao::testing::ReadFile;
using shumao::testing::ShellQuote;
using shumao::testing::Shumao;

constexpr int kImports = 10000;
constexpr const char* kFrom = "2026-03-01";
constexpr const char* kTo = "2026-05-31";
// After the last list of the range plus the 24-hour match timeout.
constexpr const char* kTickAt = "2026-06-05";

// One import list as stored.
struct ListRow {
  int64_t id = 0;  // storage order: a larger id was declared later
  std::string status, info, buyer_hash;
  std::string trade_mode;       // 1210 bonded, 9610 direct purchase
  std::set<std::string> codes;  // negative codes in its history (-621005, -621018, ...)
};

struct Label {
  std::string fault, order_no, cop_no;
  std::vector<std::string> files;
};

// One NDJSON line of `ingest`.
struct IngestLine {
  std::string file, type, key, return_status, return_info;
};

class Stopwatch {
 public:
  double Lap() {
    auto now = std::chrono::steady_clock::now();
    double s = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return s;
  }

 private:
  std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

// Released, or held for an officer (inspection 500, document review 300) by a lane.
bool Released(const std::string& status) {
  return status == "800" || status == "899" || status == "500" || status == "300";
}

bool Contains(const std::string& s, const char* part) { return s.find(part) != std::string::npos; }

std::string Str(const rapidjson::Value& o, const char* name) {
  return o.IsObject() && o.HasMember(name) && o[name].IsString() ? o[name].GetString() : "";
}

::testing::AssertionResult ReadLists(const fs::path& db_path, std::map<std::string, ListRow>& out) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return ::testing::AssertionFailure() << "cannot open " << db_path << ": " << msg;
  }
  auto text = [](sqlite3_stmt* st, int col) {
    const unsigned char* t = sqlite3_column_text(st, col);
    return t ? std::string(reinterpret_cast<const char*>(t)) : std::string();
  };
  const char* lists_sql =
      "SELECT id, doc_key, status, return_info, buyer_hash, "
      "json_extract(body_json, '$.InventoryHead.tradeMode') FROM documents "
      "WHERE kind = 'inventories'";
  const char* codes_sql =
      "SELECT d.doc_key, h.status FROM doc_history h JOIN documents d ON d.id = h.document_id "
      "WHERE d.kind = 'inventories' AND h.status LIKE '-%'";
  sqlite3_stmt* st = nullptr;
  ::testing::AssertionResult result = ::testing::AssertionSuccess();
  if (sqlite3_prepare_v2(db, lists_sql, -1, &st, nullptr) != SQLITE_OK) {
    result = ::testing::AssertionFailure() << sqlite3_errmsg(db);
  } else {
    while (sqlite3_step(st) == SQLITE_ROW) {
      ListRow& r = out[text(st, 1)];
      r.id = sqlite3_column_int64(st, 0);
      r.status = text(st, 2);
      r.info = text(st, 3);
      r.buyer_hash = text(st, 4);
      r.trade_mode = text(st, 5);
    }
  }
  sqlite3_finalize(st);
  if (result && sqlite3_prepare_v2(db, codes_sql, -1, &st, nullptr) != SQLITE_OK) {
    result = ::testing::AssertionFailure() << sqlite3_errmsg(db);
  } else if (result) {
    while (sqlite3_step(st) == SQLITE_ROW) out[text(st, 0)].codes.insert(text(st, 1));
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return result;
}

class ImportFlowTest : public shumao::testing::ScratchTest {
 protected:
  ImportFlowTest() : ScratchTest("import-flow") {}
};

TEST_F(ImportFlowTest, EveryLabelledFaultEndsAsItShould) {
  const fs::path traffic = dir_ / "traffic";
  const std::string db = ShellQuote((dir_ / "zone.db").string());
  Stopwatch clock;
  std::vector<std::pair<std::string, double>> times;

  // 1. Traffic.
  CommandResult gen =
      Run("gen --seed 42 --import " + std::to_string(kImports) + " --faults 0.05 --from " + kFrom +
          " --to " + kTo + " --out " + ShellQuote(traffic.string()));
  ASSERT_EQ(gen.code, 0) << gen.out << ReadFile(log_);
  times.emplace_back("gen", clock.Lap());

  // 2. The parties, one process each (a couple of dozen: well under a second in all).
  rapidjson::Document parties;
  parties.Parse(ReadFile((traffic / "parties.json").string()).c_str());
  ASSERT_TRUE(parties.IsArray());
  for (const auto& p : parties.GetArray()) {
    std::string args = "enterprise add --db " + db + " --code " +
                       ShellQuote(p["code"].GetString()) + " --name " +
                       ShellQuote(p["name"].GetString());
    for (const auto& r : p["roles"].GetArray()) args += std::string(" --role ") + r.GetString();
    CommandResult e = Run(args + " >/dev/null");
    ASSERT_EQ(e.code, 0) << args << "\n" << ReadFile(log_);
  }
  times.emplace_back("enterprise add x" + std::to_string(parties.Size()), clock.Lap());

  // 3. Bonded stock, 4. ingest, 5. tick.
  CommandResult stock =
      Run("stock in --db " + db + " " + ShellQuote((traffic / "stock.json").string()));
  ASSERT_EQ(stock.code, 0) << stock.out << ReadFile(log_);
  times.emplace_back("stock in", clock.Lap());
  const fs::path ndjson = dir_ / "out.ndjson";
  CommandResult ingest = Run("ingest --db " + db + " --replay " + ShellQuote(traffic.string()) +
                             " > " + ShellQuote(ndjson.string()));
  ASSERT_EQ(ingest.code, 0) << ReadFile(log_);
  times.emplace_back("ingest --replay", clock.Lap());
  CommandResult tick = Run("tick --db " + db + " --at " + kTickAt);
  ASSERT_EQ(tick.code, 0) << tick.out << ReadFile(log_);
  times.emplace_back("tick", clock.Lap());
  rapidjson::Document tick_json;
  tick_json.Parse(tick.out.c_str());
  ASSERT_TRUE(tick_json.IsObject()) << tick.out;

  // What the run produced.
  std::vector<Label> labels;
  {
    std::ifstream in(traffic / "labels.ndjson");
    std::string line;
    while (std::getline(in, line)) {
      rapidjson::Document d;
      d.Parse(line.c_str());
      ASSERT_TRUE(d.IsObject()) << line;
      if (Str(d, "direction") != "import") continue;
      Label l{Str(d, "fault"), Str(d, "orderNo"), Str(d, "copNo"), {}};
      for (const auto& f : d["files"].GetArray()) l.files.push_back(f.GetString());
      labels.push_back(std::move(l));
    }
  }
  ASSERT_GT(labels.size(), 400u);
  std::map<std::string, std::vector<IngestLine>> by_file;
  std::map<std::string, std::vector<IngestLine>> by_key;
  {
    std::ifstream in(ndjson);
    std::string line;
    while (std::getline(in, line)) {
      rapidjson::Document d;
      d.Parse(line.c_str());
      ASSERT_TRUE(d.IsObject()) << line;
      IngestLine l{Str(d, "file"), Str(d, "type"), Str(d, "key"), Str(d, "returnStatus"),
                   Str(d, "returnInfo")};
      if (l.return_status.empty()) l.return_status = "error:" + Str(d, "error");
      by_key[l.key].push_back(l);
      by_file[l.file].push_back(std::move(l));
    }
  }
  std::map<std::string, ListRow> lists;
  ASSERT_TRUE(ReadLists(dir_ / "zone.db", lists));
  // Risk control's hits, by the list they are about.
  std::map<std::string, std::set<std::string>> hit_rules;
  {
    const fs::path hits_file = dir_ / "hits.ndjson";
    CommandResult hits = Run("risk hits --db " + db + " --from 2000-01-01 --to 2099-12-31 > " +
                             ShellQuote(hits_file.string()));
    ASSERT_EQ(hits.code, 0) << ReadFile(log_);
    std::ifstream in(hits_file);
    std::string line;
    while (std::getline(in, line)) {
      rapidjson::Document d;
      d.Parse(line.c_str());
      ASSERT_TRUE(d.IsObject() && d.HasMember("document")) << line;
      hit_rules[Str(d["document"], "copNo")].insert(Str(d, "rule"));
    }
  }
  times.emplace_back("read results", clock.Lap());

  std::map<std::string, const Label*> label_of;  // copNo → label
  std::map<std::string, int> count_of;           // fault → parcels
  for (const Label& l : labels) {
    label_of[l.cop_no] = &l;
    ++count_of[l.fault];
  }
  // Every parcel declares a list, except those of an unregistered enterprise.
  EXPECT_EQ(lists.size(), static_cast<size_t>(kImports - count_of["unregistered_ebc"]));
  // The tick refused exactly the parcels that never got their payment or waybill.
  EXPECT_EQ(tick_json["timedOut"].GetInt(),
            count_of["missing_payment"] + count_of["missing_waybill"])
      << tick.out;

  // The rule for each fault: refused with a reason (and the standard's code), or released.
  struct Refusal {
    const char* part;  // in returnInfo
    const char* code;  // in the history, or nullptr
  };
  const std::map<std::string, Refusal> refused = {
      {"payment_amount_mismatch", {"支付", nullptr}},
      {"consignee_mismatch", {"运单上的收货", nullptr}},
      {"buyer_payer_mismatch", {"支付人", nullptr}},
      {"missing_payment", {"支付单", nullptr}},
      {"missing_waybill", {"运单", nullptr}},
      {"over_single_limit", {"单次", "-621005"}},
      {"over_annual_limit", {"年度", "-621018"}},
  };
  // Found by risk control: each has a hit of its rule (the lists of a split order or a
  // misused identity declared before the pattern showed have an audit hit).
  const std::set<std::string> risk = {"split_order", "identity_misuse", "undervaluation",
                                      "name_hs_mismatch"};
  // A false HS code on a bonded list differs from the code the item entered the ledger
  // with: refused. On a direct-purchase list only a risk engine can see it.
  int hs_refused = 0;

  std::map<std::string, std::map<std::string, int>> statuses;  // fault → status → count
  std::map<std::string, std::vector<std::string>> problems;    // fault → what went wrong
  auto problem = [&](const std::string& fault, const std::string& what) {
    problems[fault].push_back(what);
  };

  std::map<std::string, int> screened, found;
  std::map<std::string, std::string> missed;
  for (const Label& l : labels) {
    auto it = lists.find(l.cop_no);
    std::string status = it == lists.end() ? "none" : it->second.status;
    ++statuses[l.fault][status];
    if (l.fault == "unregistered_ebc") {
      if (it != lists.end()) problem(l.fault, l.cop_no + " was stored with status " + status);
      bool stopped = false;
      for (const IngestLine& i : by_key[l.cop_no]) stopped |= i.return_status == "-10102";
      if (!stopped) problem(l.fault, l.cop_no + ": no -10102 in the ingest output");
      continue;
    }
    if (it == lists.end()) {
      problem(l.fault, l.cop_no + ": no list stored");
      continue;
    }
    const ListRow& r = it->second;
    if (l.fault == "duplicate_message") {
      if (!Released(r.status)) problem(l.fault, l.cop_no + " is " + r.status + ": " + r.info);
      bool refused_copy = false;
      for (const std::string& f : l.files) {
        for (const IngestLine& i : by_file[f]) {
          refused_copy |= i.return_status.starts_with('-') && Contains(i.return_info, "duplicate");
        }
      }
      if (!refused_copy) problem(l.fault, l.cop_no + ": no refused duplicate among its files");
      continue;
    }
    if (l.fault == "name_hs_mismatch" && r.trade_mode == "1210") {
      if (r.status != "100" || !Contains(r.info, "账册料号"))
        problem(l.fault, l.cop_no + " (1210) is " + r.status + ": " + r.info);
      ++hs_refused;
      continue;
    }
    if (risk.count(l.fault)) {
      if (!Released(r.status)) problem(l.fault, l.cop_no + " is " + r.status + ": " + r.info);
      ++screened[l.fault];
      if (hit_rules[l.cop_no].count(l.fault)) {
        ++found[l.fault];
      } else {
        missed[l.fault] += " " + l.cop_no + "(" + r.status + ")";
      }
      continue;
    }
    auto rule = refused.find(l.fault);
    if (rule == refused.end()) {
      problem(l.fault, "no rule for this fault type in the test");
      continue;
    }
    const Refusal& want = rule->second;
    bool ok = r.status == "100" && Contains(r.info, want.part) &&
              (want.code == nullptr || r.codes.count(want.code));
    if (!ok) {
      std::string codes;
      for (const auto& c : r.codes) codes += " " + c;
      problem(l.fault, l.cop_no + " is " + r.status + " [" + codes + " ] " + r.info);
    }
  }

  // Clean parcels: released (800, closed 899) or drawn for inspection (500) or document
  // review (300); hardly any flagged by a rule (ordinary buyers).
  int clean = 0, inspected = 0, flagged = 0;
  std::string flagged_lists;
  for (const auto& [cop, r] : lists) {
    if (label_of.count(cop)) continue;
    ++clean;
    ++statuses["(clean)"][r.status];
    if (r.status == "500" || r.status == "300") ++inspected;
    if (!Released(r.status)) problem("(clean)", cop + " is " + r.status + ": " + r.info);
    if (!hit_rules[cop].empty()) {
      ++flagged;
      for (const std::string& rule : hit_rules[cop]) flagged_lists += " " + cop + ":" + rule;
    }
  }
  count_of["(clean)"] = clean;
  std::printf("clean lists flagged by a rule: %d of %d%s\n", flagged, clean, flagged_lists.c_str());
  EXPECT_LE(flagged * 200, clean) << "more than 0.5% of clean lists flagged:" << flagged_lists;

  // The table.
  std::printf("\n%-26s %6s  %s\n", "fault", "count", "final list statuses");
  for (const auto& [fault, n] : count_of) {
    std::string st;
    for (const auto& [s, k] : statuses[fault]) st += s + "×" + std::to_string(k) + " ";
    std::printf("%-26s %6d  %s%s\n", fault.c_str(), n, st.c_str(),
                problems.count(fault) ? "  <-- unexpected" : "");
  }
  std::printf("random inspection: %d of %d clean lists (%.2f%%)\n", inspected, clean,
              100.0 * inspected / clean);
  std::printf("name_hs_mismatch on 1210 lists refused against the ledger: %d\n", hs_refused);
  EXPECT_GT(hs_refused, 0);  // the run has bonded name_hs_mismatch parcels
  // Recall of the risk rules on the faults that reached screening: split orders and
  // misused identities all; a price needs a reference first (8 earlier prices) and a name
  // must speak of another chapter unambiguously (docs/risk.md).
  const std::map<std::string, double> min_recall = {{"split_order", 1.0},
                                                    {"identity_misuse", 1.0},
                                                    {"undervaluation", 0.9},
                                                    {"name_hs_mismatch", 0.75}};
  for (const auto& [fault, want] : min_recall) {
    int n = screened[fault];
    double recall = n == 0 ? 0 : static_cast<double>(found[fault]) / n;
    std::printf("%s: %d of %d screened found (recall %.3f), missed:%s\n", fault.c_str(),
                found[fault], n, recall, missed[fault].c_str());
    EXPECT_GT(n, 0) << fault;
    EXPECT_GE(recall, want) << fault << " missed:" << missed[fault];
  }
  std::printf("tick: %s", tick.out.c_str());

  for (const auto& [fault, list] : problems) {
    std::string first;
    for (size_t i = 0; i < list.size() && i < 5; ++i) first += "\n  " + list[i];
    ADD_FAILURE() << fault << ": " << list.size() << " unexpected" << first;
  }
  // Lane targets 2% inspection and 1% review (data/risk/lanes.csv).
  EXPECT_GT(inspected, 0);
  EXPECT_LE(inspected * 1000, clean * 45) << "lanes above 4.5% of clean lists";

  // The quota ledger: balanced, nobody over the annual limit.
  CommandResult audit = Run("quota audit --db " + db + " --year 2026");
  ASSERT_EQ(audit.code, 0) << audit.out << ReadFile(log_);
  times.emplace_back("quota audit", clock.Lap());
  rapidjson::Document a;
  a.Parse(audit.out.c_str());
  ASSERT_TRUE(a.IsObject()) << audit.out;
  EXPECT_TRUE(a["balanced"].IsTrue()) << audit.out;
  auto max_used = Fen(Str(a, "maxUsed"));
  ASSERT_TRUE(max_used.has_value()) << audit.out;
  EXPECT_LE(*max_used, 2600000) << audit.out;
  std::printf("quota audit: %s", audit.out.c_str());

  double total = 0;
  for (const auto& [step, s] : times) {
    std::printf("time %-24s %7.2f s\n", step.c_str(), s);
    total += s;
  }
  std::printf("time %-24s %7.2f s\n", "total", total);
}

}  // namespace
}  // namespace shumao

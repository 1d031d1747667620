// The acceptance test of the monthly export summary (issue 4) with the real binary:
// `gen` writes October's traffic for 20,000 export parcels with 2% labelled faults, the
// parties are registered (each e-commerce enterprise with an overseas warehouse, for its
// 9810 lists), `ingest --replay` declares everything, `tick` runs after the last match
// timeout, and `shumao summary --month 2026-10 --out OUT` summarises every enterprise's
// lists closed in October.
//
// The grouping is then recomputed independently of the product: the head and line values
// come from the generated CEB603 XML files (pugixml), never from the database; the
// database only says which lists closed (status 899) and when, and which invtNo the
// platform gave each list (to read the CEB792 mapping). Amounts are summed as integers in
// units of 10^-5 (the standard's five decimals), so "equal" means equal to the fen and
// beyond. Checked: every closed list of statisticsFlag B is in exactly one declaration, no
// list of statisticsFlag A or not closed in October is in any; the head is the same for
// every list of a declaration; items are unique per (country, gcode, currency) and hold
// exactly the sums of their lines; at most 50 items; the CEB792 maps every line of every
// summarised list to the item of its key; every CEB701/CEB792 written validates against the
// official XSD; a second run prints the same JSON.
//
// Prints a table of the figures (lists, closed B, A, declarations, items) and the time of
// each step.
#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <optional>
#include <pugixml.hpp>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "support/shared_dir.h"
#include "support/shumao_process.h"

namespace shumao {
namespace {

namespace fs = std::filesystem;
using shumao::testing::CommandResult;
using shumao::testing::ReadFile;
using shumao::testing::SharedDir;
using shumao::testing::ShellQuote;
using shumao::testing::Shumao;

constexpr int kExports = 20000;
constexpr const char* kMonth = "2026-10";
constexpr int kMaxItems = 50;
// October 2026 in Beijing time (UTC+8), as epoch milliseconds: [from, to).
constexpr int64_t kOctoberFromMs = 1790784000000;  // 2026-10-01T00:00+08:00
constexpr int64_t kOctoberToMs = 1793462400000;    // 2026-11-01T00:00+08:00

// A decimal string as an integer count of 10^-5 (the standard's five decimals); nullopt
// when it is not a plain non-negative number with at most five decimals.
std::optional<int64_t> Scaled(std::string_view s) {
  if (s.empty()) return std::nullopt;
  int64_t whole = 0, frac = 0;
  size_t i = 0;
  for (; i < s.size() && s[i] != '.'; ++i) {
    if (s[i] < '0' || s[i] > '9' || whole > 1000000000000LL) return std::nullopt;
    whole = whole * 10 + (s[i] - '0');
  }
  int digits = 0;
  if (i < s.size()) {
    for (size_t k = i + 1; k < s.size(); ++k, ++digits) {
      if (s[k] < '0' || s[k] > '9' || digits == 5) return std::nullopt;
      frac = frac * 10 + (s[k] - '0');
    }
  }
  for (; digits < 5; ++digits) frac *= 10;
  return whole * 100000 + frac;
}

std::string Show(int64_t scaled) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%lld.%05lld", static_cast<long long>(scaled / 100000),
                static_cast<long long>(scaled % 100000));
  return buf;
}

// ---- The lists as the generated XML declares them.

struct XmlLine {
  int gnum = 0;
  std::string key;  // country|gcode|currency
  int64_t qty = 0, total = 0;
};

struct XmlList {
  std::string file;
  std::string statistics_flag;
  std::string head;  // ebcCode|trafMode|ownerCode ("" with summaryFlag 1)|country|portCode
  std::vector<XmlLine> lines;
};

// The element's local name (the files use the ceb: prefix).
std::string_view Local(const pugi::xml_node& n) {
  std::string_view name = n.name();
  size_t colon = name.find(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

pugi::xml_node Child(const pugi::xml_node& parent, std::string_view name) {
  for (pugi::xml_node c : parent.children()) {
    if (Local(c) == name) return c;
  }
  return {};
}

std::string Text(const pugi::xml_node& parent, std::string_view name) {
  return Child(parent, name).text().get();
}

::testing::AssertionResult ParseList(const fs::path& file, std::string& cop_no, XmlList& out) {
  pugi::xml_document doc;
  if (!doc.load_file(file.c_str())) return ::testing::AssertionFailure() << file << " is not XML";
  pugi::xml_node inventory = Child(doc.document_element(), "Inventory");
  pugi::xml_node head = Child(inventory, "InventoryHead");
  if (!head) return ::testing::AssertionFailure() << file << " has no InventoryHead";
  cop_no = Text(head, "copNo");
  out.file = file.filename().string();
  out.statistics_flag = Text(head, "statisticsFlag");
  // summaryFlag 1 (the default): ownerCode is not part of the key.
  out.head = Text(head, "ebcCode") + "|" + Text(head, "trafMode") + "||" + Text(head, "country") +
             "|" + Text(head, "portCode");
  for (pugi::xml_node line : inventory.children()) {
    if (Local(line) != "InventoryList") continue;
    XmlLine l;
    l.gnum = std::atoi(Text(line, "gnum").c_str());
    l.key = Text(line, "country") + "|" + Text(line, "gcode") + "|" + Text(line, "currency");
    std::optional<int64_t> qty = Scaled(Text(line, "qty"));
    std::optional<int64_t> total = Scaled(Text(line, "totalPrice"));
    if (!qty || !total) {
      return ::testing::AssertionFailure() << file << ": line " << l.gnum << " has no plain qty "
                                           << "or totalPrice";
    }
    l.qty = *qty;
    l.total = *total;
    out.lines.push_back(std::move(l));
  }
  if (out.lines.empty()) return ::testing::AssertionFailure() << file << " has no lines";
  return ::testing::AssertionSuccess();
}

// ---- What the database says about each list: status, when it changed, its invtNo.

struct DbList {
  std::string status, invt_no;
  int64_t updated_ms = 0;
};

::testing::AssertionResult ReadDb(const fs::path& db_path, std::map<std::string, DbList>& out) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(db_path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    sqlite3_close(db);
    return ::testing::AssertionFailure() << "cannot open " << db_path;
  }
  const char* sql =
      "SELECT doc_key, status, updated_ms, alt_key FROM documents "
      "WHERE kind = 'inventories' AND message_type = 'CEB603'";
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
      auto [it, added] =
          out.emplace(text(st, 0), DbList{text(st, 1), text(st, 3), sqlite3_column_int64(st, 2)});
      if (!added) result = ::testing::AssertionFailure() << "copNo " << it->first << " twice";
    }
  }
  sqlite3_finalize(st);
  sqlite3_close(db);
  return result;
}

std::string Str(const rapidjson::Value& o, const char* name) {
  return o.IsObject() && o.HasMember(name) && o[name].IsString() ? o[name].GetString() : "";
}

double Since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

class ExportSummaryTest : public shumao::testing::ScratchTest {
 protected:
  ExportSummaryTest() : ScratchTest("export-summary") {}
};

TEST_F(ExportSummaryTest, OctoberSummaryMatchesTheGroupingRecomputedFromTheListXml) {
  const fs::path traffic = dir_ / "traffic";
  const fs::path out = dir_ / "summary";
  const std::string db = ShellQuote((dir_ / "zone.db").string());
  std::vector<std::pair<std::string, double>> times;
  auto t = std::chrono::steady_clock::now();

  CommandResult gen =
      Run("gen --seed 11 --export " + std::to_string(kExports) +
          " --faults 0.02 --from 2026-10-01 --to 2026-10-31 --out " + ShellQuote(traffic.string()));
  ASSERT_EQ(gen.code, 0) << gen.out << ReadFile(log_);
  times.emplace_back("gen", Since(t));

  t = std::chrono::steady_clock::now();
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
    ASSERT_EQ(Run(args + " >/dev/null").code, 0) << args << "\n" << ReadFile(log_);
    if (!ebc) continue;
    CommandResult w = Run("overseas-warehouse add --db " + db + " --ebc " + ShellQuote(code) +
                          " --code FRA01 --name 德国法兰克福海外仓 --country 304 --address " +
                          ShellQuote("Cargo City Süd 500, Frankfurt am Main") +
                          " --area-m2 8000 --service 一件代发 >/dev/null");
    ASSERT_EQ(w.code, 0) << ReadFile(log_);
    ++warehouses;
  }
  ASSERT_GT(warehouses, 0);
  times.emplace_back("register", Since(t));

  t = std::chrono::steady_clock::now();
  CommandResult ingest =
      Run("ingest --db " + db + " --replay " + ShellQuote(traffic.string()) + " >/dev/null");
  ASSERT_EQ(ingest.code, 0) << ReadFile(log_);
  times.emplace_back("ingest --replay", Since(t));
  t = std::chrono::steady_clock::now();
  CommandResult tick = Run("tick --db " + db + " --at 2026-11-05");
  ASSERT_EQ(tick.code, 0) << tick.out << ReadFile(log_);
  times.emplace_back("tick", Since(t));

  t = std::chrono::steady_clock::now();
  CommandResult first =
      Run("summary --db " + db + " --month " + kMonth + " --out " + ShellQuote(out.string()));
  ASSERT_EQ(first.code, 0) << first.out << ReadFile(log_);
  times.emplace_back("summary", Since(t));
  t = std::chrono::steady_clock::now();
  CommandResult again = Run("summary --db " + db + " --month " + kMonth);
  ASSERT_EQ(again.code, 0) << ReadFile(log_);
  times.emplace_back("summary again", Since(t));
  EXPECT_EQ(again.out, first.out) << "a second run must print the same declarations";

  // ---- The lists, from the XML; which closed in October, from the database.
  t = std::chrono::steady_clock::now();
  std::map<std::string, XmlList> xml;  // copNo → list
  for (const auto& e : fs::directory_iterator(traffic)) {
    std::string name = e.path().filename().string();
    if (name.find("-CEB603-") == std::string::npos) continue;
    std::string cop;
    XmlList l;
    ASSERT_TRUE(ParseList(e.path(), cop, l));
    auto [it, added] = xml.emplace(cop, l);
    if (!added) {
      // A duplicate_message fault sends the same bytes twice: the same values.
      ASSERT_EQ(ReadFile(e.path().string()), ReadFile((traffic / it->second.file).string()))
          << "two different CEB603 files for copNo " << cop;
    }
  }
  std::map<std::string, DbList> db_lists;
  ASSERT_TRUE(ReadDb(dir_ / "zone.db", db_lists));
  times.emplace_back("recompute: read XML and DB", Since(t));

  std::set<std::string> closed_b, closed_a, not_closed, closed_later;
  std::map<std::string, std::string> cop_of_invt;
  for (const auto& [cop, l] : xml) {
    auto it = db_lists.find(cop);
    if (it == db_lists.end() || it->second.status != "899") {
      not_closed.insert(cop);
      continue;
    }
    if (it->second.updated_ms < kOctoberFromMs || it->second.updated_ms >= kOctoberToMs) {
      closed_later.insert(cop);
      continue;
    }
    (l.statistics_flag == "B" ? closed_b : closed_a).insert(cop);
    ASSERT_FALSE(it->second.invt_no.empty()) << cop << " closed without an invtNo";
    cop_of_invt[it->second.invt_no] = cop;
  }
  ASSERT_GT(closed_b.size(), static_cast<size_t>(kExports * 0.7));
  ASSERT_GT(closed_a.size(), 0u) << "the traffic should hold lists of statisticsFlag A";

  // ---- The declarations against the recomputation.
  rapidjson::Document summary;
  summary.Parse(first.out.c_str());
  ASSERT_TRUE(summary.IsObject() && summary.HasMember("declarations") &&
              summary["declarations"].IsArray())
      << first.out.substr(0, 500);
  EXPECT_EQ(Str(summary, "month"), kMonth);
  EXPECT_EQ(Str(summary, "deadline"), "2026-11-16");  // the 15th is a Sunday

  std::map<std::string, std::vector<std::string>> decls_of;     // copNo → declSeqNo each time
  std::map<std::string, std::map<std::string, int>> gseqno_of;  // declSeqNo → item key → gseqno
  std::vector<std::string> problems;
  auto problem = [&](const std::string& p) {
    if (problems.size() < 20) problems.push_back(p);
  };
  size_t items = 0, max_items = 0, declarations = 0;
  std::set<std::string> heads;
  for (const auto& d : summary["declarations"].GetArray()) {
    ++declarations;
    const std::string seq = Str(d, "declSeqNo");
    const std::string head = Str(d, "ebcCode") + "|" + Str(d, "trafMode") + "|" +
                             Str(d, "ownerCode") + "|" + Str(d, "country") + "|" +
                             Str(d, "portCode");
    heads.insert(head);
    if (seq.size() != 18) problem(seq + ": declSeqNo is not 18 characters");
    if (!d.HasMember("items") || !d["items"].IsArray() || d["items"].Empty()) {
      problem(seq + ": no items");
      continue;
    }
    const auto& its = d["items"].GetArray();
    items += its.Size();
    max_items = std::max<size_t>(max_items, its.Size());
    if (its.Size() > static_cast<rapidjson::SizeType>(kMaxItems)) {
      problem(seq + ": " + std::to_string(its.Size()) + " items");
    }
    // The lists of this declaration, and the items as the product summed them.
    std::set<std::string> lists;
    std::map<std::string, std::pair<int64_t, int64_t>> product;  // key → (qty, total)
    std::map<std::string, std::set<std::string>> product_lists;  // key → copNos
    int expect_gseqno = 1;
    for (const auto& it : its) {
      std::string key = Str(it, "country") + "|" + Str(it, "gcode") + "|" + Str(it, "currency");
      if (!it.HasMember("gseqno") || !it["gseqno"].IsInt() ||
          it["gseqno"].GetInt() != expect_gseqno) {
        problem(seq + ": item " + key + " is not gseqno " + std::to_string(expect_gseqno));
      }
      gseqno_of[seq][key] = expect_gseqno++;
      std::optional<int64_t> qty = Scaled(Str(it, "qty"));
      std::optional<int64_t> total = Scaled(Str(it, "totalPrice"));
      if (!qty || !total) {
        problem(seq + ": item " + key + " qty/totalPrice not plain numbers");
        continue;
      }
      if (!product.emplace(key, std::make_pair(*qty, *total)).second) {
        problem(seq + ": item key " + key + " twice");
      }
      for (const auto& c : it["lists"].GetArray()) {
        lists.insert(c.GetString());
        product_lists[key].insert(c.GetString());
      }
    }
    // Recomputed from the XML of those lists.
    std::map<std::string, std::pair<int64_t, int64_t>> want;
    std::map<std::string, std::set<std::string>> want_lists;
    for (const std::string& cop : lists) {
      decls_of[cop].push_back(seq);
      auto x = xml.find(cop);
      if (x == xml.end()) {
        problem(seq + ": " + cop + " is no list of the traffic");
        continue;
      }
      if (!closed_b.contains(cop)) {
        problem(seq + ": " + cop + " is not a list of statisticsFlag B closed in October (" +
                (closed_a.contains(cop)       ? "A"
                 : closed_later.contains(cop) ? "closed later"
                                              : "not closed") +
                ")");
      }
      if (x->second.head != head)
        problem(seq + ": head " + head + " but " + cop + " has " + x->second.head);
      for (const XmlLine& line : x->second.lines) {
        want[line.key].first += line.qty;
        want[line.key].second += line.total;
        want_lists[line.key].insert(cop);
      }
    }
    for (const auto& [key, sums] : want) {
      auto p = product.find(key);
      if (p == product.end()) {
        problem(seq + ": no item for " + key);
      } else if (p->second != sums) {
        problem(seq + ": item " + key + " is qty " + Show(p->second.first) + " total " +
                Show(p->second.second) + ", the XML sums to " + Show(sums.first) + " / " +
                Show(sums.second));
      }
      if (product_lists[key] != want_lists[key])
        problem(seq + ": item " + key + " names other lists");
    }
    for (const auto& [key, sums] : product) {
      if (!want.contains(key)) problem(seq + ": item " + key + " has no line in its lists");
    }
  }
  size_t in_one = 0;
  for (const std::string& cop : closed_b) {
    auto it = decls_of.find(cop);
    if (it == decls_of.end()) {
      problem(cop + " (closed, B) is in no declaration");
    } else if (it->second.size() != 1) {
      problem(cop + " is in " + std::to_string(it->second.size()) + " declarations");
    } else {
      ++in_one;
    }
  }
  EXPECT_EQ(in_one, closed_b.size());
  EXPECT_EQ(decls_of.size(), closed_b.size());

  // ---- The CEB792 mapping: every line of every summarised list to the item of its key.
  size_t mapped = 0, results = 0;
  std::set<std::pair<std::string, int>> lines_seen;  // (copNo, gnum)
  std::vector<std::string> written;
  for (const auto& e : fs::directory_iterator(out)) written.push_back(e.path().string());
  std::sort(written.begin(), written.end());
  size_t ceb701 = 0;
  for (const std::string& path : written) {
    std::string name = fs::path(path).filename().string();
    if (name.rfind("CEB701-", 0) == 0) ++ceb701;
    if (name.rfind("CEB792-", 0) != 0) continue;
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file(path.c_str())) << path;
    for (pugi::xml_node r : doc.document_element().children()) {
      if (Local(r) != "SummaryResult") continue;
      ++results;
      std::string seq = Text(Child(r, "SummaryResultHead"), "declSeqNo");
      if (!gseqno_of.contains(seq)) problem(name + ": declSeqNo " + seq + " is not in the JSON");
      for (pugi::xml_node l : r.children()) {
        if (Local(l) != "SummaryResultList") continue;
        ++mapped;
        std::string invt = Text(l, "invtNo");
        int gnum = std::atoi(Text(l, "gnum").c_str());
        int gseqno = std::atoi(Text(l, "gseqno").c_str());
        auto cop = cop_of_invt.find(invt);
        if (cop == cop_of_invt.end() || !closed_b.contains(cop->second)) {
          problem(name + ": invtNo " + invt + " is not a closed B list");
          continue;
        }
        lines_seen.insert({cop->second, gnum});
        const XmlList& x = xml.at(cop->second);
        auto line = std::find_if(x.lines.begin(), x.lines.end(),
                                 [&](const XmlLine& k) { return k.gnum == gnum; });
        if (line == x.lines.end()) {
          problem(name + ": " + invt + " has no line " + std::to_string(gnum));
        } else if (gseqno_of[seq][line->key] != gseqno) {
          problem(name + ": " + invt + " line " + std::to_string(gnum) + " (" + line->key +
                  ") is mapped to item " + std::to_string(gseqno) + " of " + seq);
        }
      }
    }
  }
  size_t b_lines = 0;
  for (const std::string& cop : closed_b) b_lines += xml.at(cop).lines.size();
  EXPECT_EQ(results, declarations) << "one SummaryResult per declaration";
  EXPECT_EQ(mapped, b_lines) << "one SummaryResultList per line of the summarised lists";
  EXPECT_EQ(lines_seen.size(), b_lines);
  EXPECT_GT(ceb701, 0u);

  // ---- Every message written validates against the official XSD.
  t = std::chrono::steady_clock::now();
  std::string files;
  for (const std::string& path : written) files += " " + ShellQuote(path);
  CommandResult lint = shumao::testing::RunShell(
      "xmllint --noout --schema " + ShellQuote(SharedDir() + "/ceb/xsd/ceb-export-2022.xsd") +
      files + " 2>&1");
  EXPECT_EQ(lint.code, 0) << lint.out.substr(0, 3000);
  times.emplace_back("xmllint", Since(t));

  for (const std::string& p : problems) ADD_FAILURE() << p;

  std::printf("\n%-34s %8s\n", "figure", "count");
  std::printf("%-34s %8zu\n", "lists in the traffic (CEB603)", xml.size());
  std::printf("%-34s %8zu\n", "closed in October, statisticsFlag B", closed_b.size());
  std::printf("%-34s %8zu\n", "closed in October, statisticsFlag A", closed_a.size());
  std::printf("%-34s %8zu\n", "closed after October", closed_later.size());
  std::printf("%-34s %8zu\n", "not closed (refused, 800, absent)", not_closed.size());
  std::printf("%-34s %8zu\n", "heads", heads.size());
  std::printf("%-34s %8zu\n", "declarations", declarations);
  std::printf("%-34s %8zu\n", "items", items);
  std::printf("%-34s %8zu\n", "most items in one declaration", max_items);
  std::printf("%-34s %8zu\n", "list lines mapped (CEB792)", mapped);
  std::printf("%-34s %8zu\n", "CEB701 / CEB792 files", written.size());
  for (const auto& [step, s] : times) std::printf("time %-29s %7.1fs\n", step.c_str(), s);
}

}  // namespace
}  // namespace shumao

// The monthly summary on both engines. The expected grouping is recomputed here from the
// lists the test itself writes (not through the module): heads, items, sums to the fen.
#include "summary/summary.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <set>
#include <tuple>

#include "../../tests/support/shared_dir.h"
#include "ceb/catalog.h"
#include "ceb/codec.h"
#include "ceb/xsd_validator.h"
#include "store/postgres/test_schema.h"

namespace shumao::summary {
namespace {

namespace fs = std::filesystem;

#define ASSERT_OK(expr)                                       \
  do {                                                        \
    const ::shumao::Status& _st = (expr);                     \
    ASSERT_TRUE(_st.ok()) << #expr << ": " << _st.ToString(); \
  } while (0)

struct TLine {
  std::string gcode, country, currency, item_name, qty, total;
};

struct TList {
  std::string cop_no, invt_no, ebc = "3201960ABC", traf = "5", owner = "3201960ABC",
                               country = "132", port = "2317", flag = "B";
  std::string gross = "1.5", net = "1.2";
  std::vector<TLine> lines;
};

Timestamp Day(int y, int m, int d, int h = 12) { return FromBeijing(CivilTime{y, m, d, h}); }

// A CEB603 export list as the enterprises send it.
std::string ListXml(const TList& l) {
  std::string x =
      "<ceb:CEB603Message guid=\"E1A20397-BE7E-43A0-8011-E45EA950C7E3\" version=\"1.0\" "
      "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"><ceb:Inventory><ceb:InventoryHead>"
      "<ceb:guid>0DE68E7F-5902-4875-9CB4-DCFABD95BCB0</ceb:guid><ceb:appType>1</ceb:appType>"
      "<ceb:appTime>20261001120000</ceb:appTime><ceb:appStatus>2</ceb:appStatus>"
      "<ceb:customsCode>2317</ceb:customsCode><ceb:ebpCode>3201960EBP</ceb:ebpCode>"
      "<ceb:ebpName>平台</ceb:ebpName><ceb:orderNo>O" +
      l.cop_no +
      "</ceb:orderNo>"
      "<ceb:logisticsCode>320136ZF0M</ceb:logisticsCode><ceb:logisticsName>物流</ceb:logisticsName>"
      "<ceb:logisticsNo>W" +
      l.cop_no + "</ceb:logisticsNo><ceb:copNo>" + l.cop_no +
      "</ceb:copNo><ceb:ieFlag>E</ceb:ieFlag><ceb:portCode>" + l.port +
      "</ceb:portCode><ceb:ieDate>20261001</ceb:ieDate><ceb:statisticsFlag>" + l.flag +
      "</ceb:statisticsFlag><ceb:agentCode>3205918PQX</ceb:agentCode>"
      "<ceb:agentName>苏州众诚国际报关有限公司</ceb:agentName><ceb:ebcCode>" +
      l.ebc + "</ceb:ebcCode><ceb:ebcName>电商" + l.ebc + "</ceb:ebcName><ceb:ownerCode>" +
      l.owner +
      "</ceb:ownerCode><ceb:ownerName>生产</ceb:ownerName><ceb:tradeMode>9610</ceb:tradeMode>"
      "<ceb:trafMode>" +
      l.traf + "</ceb:trafMode><ceb:country>" + l.country +
      "</ceb:country><ceb:POD>132</ceb:POD><ceb:freight>0</ceb:freight>"
      "<ceb:fCurrency>142</ceb:fCurrency><ceb:fFlag>3</ceb:fFlag><ceb:insuredFee>0</ceb:insuredFee>"
      "<ceb:iCurrency>142</ceb:iCurrency><ceb:iFlag>3</ceb:iFlag><ceb:wrapType>2</ceb:wrapType>"
      "<ceb:packNo>1</ceb:packNo><ceb:grossWeight>" +
      l.gross + "</ceb:grossWeight><ceb:netWeight>" + l.net +
      "</ceb:netWeight></ceb:InventoryHead>";
  int gnum = 0;
  for (const TLine& t : l.lines) {
    x += "<ceb:InventoryList><ceb:gnum>" + std::to_string(++gnum) +
         "</ceb:gnum><ceb:itemNo>SKU</ceb:itemNo><ceb:itemName>" + t.item_name +
         "</ceb:itemName><ceb:gcode>" + t.gcode + "</ceb:gcode><ceb:gname>" + t.item_name +
         "</ceb:gname><ceb:gmodel>型号</ceb:gmodel><ceb:barCode>无</ceb:barCode><ceb:country>" +
         t.country + "</ceb:country><ceb:currency>" + t.currency + "</ceb:currency><ceb:qty>" +
         t.qty + "</ceb:qty><ceb:qty1>" + t.qty +
         "</ceb:qty1><ceb:unit>007</ceb:unit>"
         "<ceb:unit1>007</ceb:unit1><ceb:price>1</ceb:price><ceb:totalPrice>" +
         t.total + "</ceb:totalPrice></ceb:InventoryList>";
  }
  x += "</ceb:Inventory><ceb:BaseTransfer><ceb:copCode>3205918PQX</ceb:copCode>"
       "<ceb:copName>报关</ceb:copName><ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpId>DXPENT1</ceb:dxpId>"
       "</ceb:BaseTransfer></ceb:CEB603Message>";
  return x;
}

class SummaryTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    static std::atomic<int> n{0};
    std::string url;
    if (GetParam() == "sqlite") {
      dir_ = fs::temp_directory_path() /
             ("shumao-summary-" + std::to_string(getpid()) + "-" + std::to_string(n++));
      fs::create_directories(dir_);
      url = (dir_ / "zone.db").string();
    } else {
      const char* env = std::getenv("SHUMAO_TEST_PG_URL");
      ASSERT_TRUE(env != nullptr && *env != '\0')
          << "SHUMAO_TEST_PG_URL is not set: run the tests with scripts/test (make test)";
      base_ = env;
      schema_ = "summary_" + std::to_string(getpid()) + "_" + std::to_string(n++);
      auto u = store::CreateTestSchema(base_, schema_);
      ASSERT_TRUE(u.ok()) << u.status().ToString();
      url = *u;
    }
    auto s = store::Store::Open(store::StoreConfig{url});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    if (!dir_.empty()) fs::remove_all(dir_);
    if (!schema_.empty()) (void)store::DropTestSchema(base_, schema_);
  }

  // Stores the list as intake would and closes it (899) at `closed`.
  void Close(const TList& l, Timestamp closed) {
    auto m = ceb::DecodeXml(ListXml(l));
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    store::DocumentRow row;
    row.kind = "inventories";
    row.scope = "3205918PQX";
    row.key = l.cop_no;
    row.message_type = "CEB603";
    row.status = "800";
    row.sender = "3205918PQX";
    row.body_json = ceb::EncodeNodeJson(*m->Entities()[0], &ceb::IsPersonalField);
    row.updated_ms = closed.millis - 1000;
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    ASSERT_OK((*txn)->PutDocument(row));
    ASSERT_OK((*txn)->SetDocumentStatus(row.id, "899", "closed", closed.millis,
                                        l.invt_no.empty() ? "2317202610E" + l.cop_no : l.invt_no));
    ASSERT_OK((*txn)->Commit());
  }

  Summary Run(const Request& r, Timestamp now = Day(2026, 11, 2)) {
    FixedClock clock(now);
    auto s = Build(*store_, r, clock);
    EXPECT_TRUE(s.ok()) << s.status().ToString();
    return s.ok() ? *s : Summary();
  }

  std::unique_ptr<store::Store> store_;
  fs::path dir_;
  std::string base_, schema_;
};

Request October(std::string flag = "1", std::string name_flag = "") {
  Request r;
  r.month = "2026-10";
  r.summary_flag = std::move(flag);
  r.item_name_flag = std::move(name_flag);
  return r;
}

// A varied month: 3 enterprises, 2 transport modes, 2 owners, 2 countries, 2 ports, line
// keys from small sets, some lists statisticsFlag A, some closed in other months.
std::vector<std::pair<TList, Timestamp>> VariedLists() {
  std::vector<std::pair<TList, Timestamp>> out;
  const char* ebcs[] = {"3201960ABC", "3201960DEF", "91320115808760707X"};
  const char* gcodes[] = {"6404110000", "4202310090", "6110200090", "8517629900"};
  const char* names[] = {"跑步鞋", "钱包"};
  for (int i = 0; i < 90; ++i) {
    TList l;
    l.cop_no = "COP" + std::to_string(1000 + i);
    l.ebc = ebcs[i % 3];
    l.traf = i % 4 == 0 ? "4" : "5";
    l.owner = i % 5 == 0 ? "3201960OWN" : l.ebc;
    l.country = i % 7 == 0 ? "502" : "132";
    l.port = i % 6 == 0 ? "2301" : "2317";
    l.flag = i % 9 == 4 ? "A" : "B";
    l.gross = std::to_string(i % 3 + 1) + ".125";
    l.net = "1.00001";
    for (int j = 0; j <= i % 3; ++j) {
      TLine t;
      t.gcode = gcodes[(i + j) % 4];
      t.country = (i + j) % 5 == 0 ? "304" : "132";
      t.currency = (i + j) % 8 == 0 ? "502" : "142";
      t.item_name = names[(i * j) % 2];
      t.qty = std::to_string(j + 1);
      t.total = std::to_string(10 + i) + "." + std::to_string(10 + (i * 7 + j) % 90) + "3";
      l.lines.push_back(t);
    }
    Timestamp when = i % 10 == 9   ? Day(2026, 9, 30, 23)
                     : i % 10 == 8 ? Day(2026, 11, 1, 0)
                                   : Day(2026, 10, 1 + i % 30);
    out.emplace_back(std::move(l), when);
  }
  // The month's edges in Beijing time: the first and the last millisecond are in it.
  TList first;
  first.cop_no = "EDGE1";
  first.lines = {{"6404110000", "132", "142", "跑步鞋", "1", "0.01"}};
  out.emplace_back(first, FromBeijing(CivilTime{2026, 10, 1, 0, 0, 0, 0}));
  TList last = first;
  last.cop_no = "EDGE2";
  out.emplace_back(last, Timestamp{FromBeijing(CivilTime{2026, 11, 1}).millis - 1});
  return out;
}

using Head = std::tuple<std::string, std::string, std::string, std::string, std::string>;
using Key = std::tuple<std::string, std::string, std::string, std::string>;  // + itemName

struct Sums {
  Decimal qty, total;
  std::set<std::string> lists;
};

// The grouping the summary must produce, from the test's own data.
std::map<Head, std::map<Key, Sums>> Expected(const std::vector<std::pair<TList, Timestamp>>& all,
                                             bool by_owner, bool by_name) {
  std::map<Head, std::map<Key, Sums>> out;
  Timestamp from = FromBeijing(CivilTime{2026, 10, 1}), to = FromBeijing(CivilTime{2026, 11, 1});
  for (const auto& [l, when] : all) {
    if (l.flag != "B" || when < from || when >= to) continue;
    Head h{l.ebc, l.traf, by_owner ? l.owner : "", l.country, l.port};
    for (const TLine& t : l.lines) {
      Sums& s = out[h][Key{t.country, t.gcode, t.currency, by_name ? t.item_name : ""}];
      s.qty += *Decimal::Parse(t.qty);
      s.total += *Decimal::Parse(t.total);
      s.lists.insert(l.cop_no);
    }
  }
  return out;
}

void CheckAgainst(const Summary& s, const std::map<Head, std::map<Key, Sums>>& want, bool by_name,
                  const std::set<std::string>& a_lists) {
  std::map<Head, std::map<Key, Sums>> got;
  std::map<std::string, std::string> list_decl;  // copNo -> declSeqNo
  std::set<std::string> numbers;
  for (const Declaration& d : s.declarations) {
    EXPECT_EQ(d.decl_seq_no.size(), 18u) << d.decl_seq_no;
    EXPECT_TRUE(numbers.insert(d.decl_seq_no).second) << "declSeqNo twice: " << d.decl_seq_no;
    EXPECT_LE(d.items.size(), 50u);
    Head h{d.ebc_code, d.traf_mode, d.owner_code, d.country, d.port_code};
    std::set<Key> keys;
    int gseqno = 0;
    for (const Item& it : d.items) {
      EXPECT_EQ(it.gseqno, ++gseqno);
      Key k{it.country, it.gcode, it.currency, by_name ? it.item_name : ""};
      EXPECT_TRUE(keys.insert(k).second) << "an item key twice in " << d.decl_seq_no;
      Sums& g = got[h][k];
      g.qty += it.qty;
      g.total += it.total_price;
      for (const std::string& c : it.lists) {
        g.lists.insert(c);
        auto [pos, fresh] = list_decl.emplace(c, d.decl_seq_no);
        EXPECT_TRUE(fresh || pos->second == d.decl_seq_no)
            << c << " is in " << pos->second << " and " << d.decl_seq_no;
        EXPECT_FALSE(a_lists.contains(c)) << c << " is statisticsFlag A";
      }
    }
    // Every line maps to an item of this declaration with its gcode.
    for (const LineRef& r : d.lines) {
      ASSERT_GE(r.gseqno, 1);
      ASSERT_LE(r.gseqno, static_cast<int>(d.items.size()));
      EXPECT_EQ(d.items[r.gseqno - 1].gcode, r.gcode);
    }
  }
  ASSERT_EQ(got.size(), want.size());
  for (const auto& [h, items] : want) {
    ASSERT_TRUE(got.contains(h)) << std::get<0>(h) << " " << std::get<3>(h);
    ASSERT_EQ(got[h].size(), items.size());
    for (const auto& [k, sums] : items) {
      const Sums& g = got[h][k];
      EXPECT_EQ(g.qty, sums.qty);
      EXPECT_EQ(g.total.ToString(2), sums.total.ToString(2));  // to the fen
      EXPECT_EQ(g.total, sums.total);                          // and exactly
      EXPECT_EQ(g.lists, sums.lists);
    }
  }
}

std::set<std::string> AListsOf(const std::vector<std::pair<TList, Timestamp>>& all) {
  std::set<std::string> out;
  for (const auto& [l, when] : all) {
    if (l.flag == "A") out.insert(l.cop_no);
  }
  return out;
}

TEST_P(SummaryTest, GroupingByConsignorMatchesAnIndependentRecomputation) {
  auto all = VariedLists();
  for (const auto& [l, when] : all) Close(l, when);
  Summary s = Run(October("1"));
  ASSERT_FALSE(s.declarations.empty());
  CheckAgainst(s, Expected(all, false, false), false, AListsOf(all));
  for (const Declaration& d : s.declarations) EXPECT_EQ(d.owner_code, "");
}

TEST_P(SummaryTest, GroupingByConsignorAndOwnerAndItemName) {
  auto all = VariedLists();
  for (const auto& [l, when] : all) Close(l, when);
  Summary s = Run(October("2", "1"));
  CheckAgainst(s, Expected(all, true, true), true, AListsOf(all));
  std::string json = SummaryToJson(s);
  EXPECT_NE(json.find("\"itemName\":\"跑步鞋\""), std::string::npos);
}

TEST_P(SummaryTest, OneEnterpriseOnly) {
  auto all = VariedLists();
  for (const auto& [l, when] : all) Close(l, when);
  Request r = October();
  r.ebc_code = "3201960DEF";
  Summary s = Run(r);
  ASSERT_FALSE(s.declarations.empty());
  for (const Declaration& d : s.declarations) EXPECT_EQ(d.ebc_code, "3201960DEF");
  // The others' lists are still open for their own summary.
  Summary rest = Run(October());
  CheckAgainst(rest, Expected(all, false, false), false, AListsOf(all));
}

TEST_P(SummaryTest, FiftyOneDistinctItemsMakeTwoDeclarations) {
  for (int i = 0; i < 51; ++i) {
    TList l;
    l.cop_no = "L" + std::to_string(i);
    l.lines = {{std::to_string(6404110000LL + i), "132", "142", "鞋", "1", "1.10"}};
    Close(l, Day(2026, 10, 5));
  }
  Summary s = Run(October());
  ASSERT_EQ(s.declarations.size(), 2u);
  EXPECT_EQ(s.declarations[0].items.size(), 50u);
  EXPECT_EQ(s.declarations[1].items.size(), 1u);
  EXPECT_NE(s.declarations[0].decl_seq_no, s.declarations[1].decl_seq_no);
  EXPECT_EQ(s.declarations[0].decl_seq_no, "2317202610H0000001");
  EXPECT_EQ(s.declarations[1].decl_seq_no, "2317202610H0000002");
  // A list whose lines alone exceed the limit spans declarations; nothing else does.
  TList big;
  big.cop_no = "BIG";
  for (int i = 0; i < 60; ++i) {
    big.lines.push_back({std::to_string(8517000000LL + i), "132", "142", "件", "2", "3.00"});
  }
  Close(big, Day(2026, 10, 6));
  Summary again = Run(October());
  ASSERT_EQ(again.declarations.size(), 4u);
  EXPECT_EQ(again.declarations[2].items.size(), 50u);
  EXPECT_EQ(again.declarations[3].items.size(), 10u);
  EXPECT_EQ(again.declarations[2].lines.size() + again.declarations[3].lines.size(), 60u);
}

// A declaration with its 50 items still takes every later list whose keys it already has:
// 50 keys in 200 lists make one declaration, not four.
TEST_P(SummaryTest, AFullDeclarationTakesListsOfItsOwnKeys) {
  for (int i = 0; i < 200; ++i) {
    TList l;
    l.cop_no = "R" + std::to_string(i);
    l.lines = {{std::to_string(6404110000LL + i % 50), "132", "142", "鞋", "1", "1.10"}};
    Close(l, Day(2026, 10, 5));
  }
  TList fresh;
  fresh.cop_no = "NEW";
  fresh.lines = {{"6404110000", "132", "142", "鞋", "1", "1.10"},
                 {"9999990000", "132", "142", "新", "1", "2.00"}};
  Close(fresh, Day(2026, 10, 6));
  Summary s = Run(October());
  ASSERT_EQ(s.declarations.size(), 2u);
  EXPECT_EQ(s.declarations[0].items.size(), 50u);
  size_t lists = 0;
  for (const Item& it : s.declarations[0].items) {
    EXPECT_EQ(it.lists.size(), 4u) << it.gcode;
    EXPECT_EQ(it.qty, Decimal::FromInt(4));
    lists += it.lists.size();
  }
  EXPECT_EQ(lists, 200u);
  // The list with a key the full declaration lacks goes, whole, into a new one.
  EXPECT_EQ(s.declarations[1].items.size(), 2u);
  EXPECT_EQ(s.declarations[1].items[0].lists, std::vector<std::string>{"NEW"});
}

TEST_P(SummaryTest, RerunIsIdenticalAndLaterListsFormNewDeclarations) {
  auto all = VariedLists();
  for (const auto& [l, when] : all) Close(l, when);
  Summary first = Run(October());
  std::string first_json = SummaryToJson(first);
  Summary second = Run(October());
  EXPECT_EQ(SummaryToJson(second), first_json);
  // Even with other flags: the lists are already in a declaration.
  EXPECT_EQ(SummaryToJson(Run(October("2", "1"))), first_json);

  TList late;
  late.cop_no = "LATE1";
  late.lines = {{"6404110000", "132", "142", "跑步鞋", "3", "30.30"}};
  Close(late, Day(2026, 10, 31, 20));
  TList late_a = late;
  late_a.cop_no = "LATE2";
  late_a.flag = "A";
  Close(late_a, Day(2026, 10, 31, 21));
  Summary third = Run(October());
  ASSERT_EQ(third.declarations.size(), first.declarations.size() + 1);
  for (size_t i = 0; i < first.declarations.size(); ++i) {
    EXPECT_EQ(third.declarations[i].decl_seq_no, first.declarations[i].decl_seq_no);
    EXPECT_EQ(third.declarations[i].items.size(), first.declarations[i].items.size());
  }
  const Declaration& fresh = third.declarations.back();
  ASSERT_EQ(fresh.items.size(), 1u);
  EXPECT_EQ(fresh.items[0].lists, std::vector<std::string>{"LATE1"});
  EXPECT_EQ(fresh.items[0].total_price, *Decimal::Parse("30.30"));
  EXPECT_EQ(SummaryToJson(Run(October())), SummaryToJson(third));
}

TEST_P(SummaryTest, AnswerShapeDeadlineAndOverdue) {
  TList l;
  l.cop_no = "ONE";
  l.lines = {{"6404110000", "132", "142", "跑步鞋", "1", "161.00"},
             {"6404110000", "132", "142", "跑步鞋", "2.5", "0.005"}};
  Close(l, Day(2026, 10, 3));
  Summary s = Run(October(), Day(2026, 11, 16, 23));
  EXPECT_EQ(FormatDate(s.deadline), "2026-11-16");  // the 15th is a Sunday
  EXPECT_FALSE(s.overdue);
  EXPECT_TRUE(Run(October(), Day(2026, 11, 17, 0)).overdue);
  EXPECT_EQ(
      SummaryToJson(s),
      "{\"month\":\"2026-10\",\"deadline\":\"2026-11-16\",\"overdue\":false,"
      "\"declarations\":[{\"declSeqNo\":\"2317202610H0000001\",\"ebcCode\":\"3201960ABC\","
      "\"trafMode\":\"5\",\"ownerCode\":\"\",\"country\":\"132\",\"portCode\":\"2317\","
      "\"items\":[{\"gseqno\":1,\"gcode\":\"6404110000\",\"country\":\"132\","
      "\"currency\":\"142\",\"qty\":\"3.5\",\"totalPrice\":\"161.005\",\"lists\":[\"ONE\"]}]}]}");
}

TEST_P(SummaryTest, RefusesBadRequests) {
  FixedClock clock(Day(2026, 11, 2));
  Request r = October();
  r.month = "2026-13";
  EXPECT_EQ(Build(*store_, r, clock).status().field(), "month");
  r.month = "2026-12";  // not begun
  EXPECT_EQ(Build(*store_, r, clock).status().field(), "month");
  r = October("3");
  EXPECT_EQ(Build(*store_, r, clock).status().field(), "summaryFlag");
  r = October("1", "2");
  EXPECT_EQ(Build(*store_, r, clock).status().field(), "itemNameFlag");
  r = October();
  r.month = "2026-11";  // the current month is allowed
  EXPECT_TRUE(Build(*store_, r, clock).ok());
}

TEST_P(SummaryTest, MessagesValidateAgainstTheOfficialXsd) {
  auto all = VariedLists();
  for (const auto& [l, when] : all) Close(l, when);
  Summary s = Run(October("2", ""));
  ASSERT_GT(s.declarations.size(), 2u);
  auto xsd = ceb::XsdValidator::Load(shumao::testing::SharedDir() + "/ceb/xsd");
  ASSERT_TRUE(xsd.ok()) << xsd.status().ToString();
  Timestamp t = Day(2026, 11, 2);
  std::vector<ceb::Message> apps = BuildApplications(s, t);
  ASSERT_EQ(apps.size(), 3u);  // one per enterprise
  for (const ceb::Message& m : apps) {
    std::string xml = ceb::EncodeXml(m);
    ASSERT_OK((*xsd)->Validate(xml, ceb::Direction::kExport));
    ASSERT_TRUE(ceb::DecodeXml(xml).ok());
    ASSERT_OK(
        (*xsd)->Validate(ceb::EncodeXml(BuildApplicationReceipt(m, t)), ceb::Direction::kExport));
  }
  std::vector<ceb::Message> results = BuildResults(s, t);
  ASSERT_EQ(results.size(), 1u);
  std::string xml = ceb::EncodeXml(results[0]);
  ASSERT_OK((*xsd)->Validate(xml, ceb::Direction::kExport));
  auto decoded = ceb::DecodeXml(xml);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  ASSERT_EQ(decoded->Entities().size(), s.declarations.size());
  // The mapping: one SummaryResultList per list line, pointing at its item.
  const ceb::Node* r0 = decoded->Entities()[0];
  EXPECT_EQ(r0->Child("SummaryResultHead")->Get("declSeqNo"), s.declarations[0].decl_seq_no);
  EXPECT_EQ(r0->All("SummaryResultList").size(), s.declarations[0].lines.size());
  // Item name flag 1 and more than 100 declarations split the result messages.
  Summary many;
  many.declarations.assign(101, s.declarations[0]);
  EXPECT_EQ(BuildResults(many, t).size(), 2u);
}

INSTANTIATE_TEST_SUITE_P(Engines, SummaryTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

// ---- The calendar (no store).

TEST(CalendarTest, BuiltInCopyMatchesTheDataFile) {
  EXPECT_EQ(shumao::testing::ReadFile("data/holidays.csv"), std::string(BuiltInHolidaysCsv()));
  EXPECT_TRUE(Calendar::FromCsv(BuiltInHolidaysCsv()).ok());
}

TEST(CalendarTest, DeadlineIsTheFifteenthOrTheNextWorkingDay) {
  const Calendar& c = Calendar::BuiltIn();
  EXPECT_EQ(FormatDate(c.Deadline(2026, 4)), "2026-05-15");   // a Friday
  EXPECT_EQ(FormatDate(c.Deadline(2025, 10)), "2025-11-17");  // the 15th is a Saturday
  EXPECT_EQ(FormatDate(c.Deadline(2026, 2)), "2026-03-16");   // the 15th is a Sunday
  EXPECT_EQ(FormatDate(c.Deadline(2026, 12)), "2027-01-15");  // into the next year
  // January 2026: 2026-02-15 is in the Spring Festival block (to 02-23).
  EXPECT_EQ(FormatDate(c.Deadline(2026, 1)), "2026-02-24");
}

TEST(CalendarTest, HolidaysAndMakeUpDaysFromTheFile) {
  auto c = Calendar::FromCsv(
      "date,kind\n2026-07-15,holiday\n2026-07-16,holiday\n2026-08-15,workday\r\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(FormatDate(c->Deadline(2026, 6)), "2026-07-17");  // a Wednesday holiday
  EXPECT_EQ(FormatDate(c->Deadline(2026, 7)), "2026-08-15");  // a Saturday made a workday
  EXPECT_EQ(Calendar::FromCsv("date,kind\n2026-02-30,holiday\n").status().field(), "date");
  EXPECT_EQ(Calendar::FromCsv("date,kind\n2026-02-03,festival\n").status().field(), "kind");
}

}  // namespace
}  // namespace shumao::summary

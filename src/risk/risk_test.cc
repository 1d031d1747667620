// Risk control on a real store (SQLite and PostgreSQL): each rule fires on its pattern and
// stays quiet on ordinary buyers, hits explain themselves, lanes reach their targets,
// credit levels change the inspection rate, and officers' results feed the rule figures.
#include "risk/risk.h"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "common/code_tables.h"
#include "intake/test_env.h"

namespace shumao::risk {
namespace {

Decimal D(const char* s) { return *Decimal::Parse(s); }

Timestamp At(const char* date, int hour = 10, int minute = 0) {
  Timestamp t = *ParseDate(date);
  return Timestamp{t.millis + (hour * 60LL + minute) * 60 * 1000};
}

// The copNo of the list a hit is about.
std::string CopNo(const std::string& hit) {
  const std::string pat = "\"document\":{\"kind\":\"inventories\",\"copNo\":\"";
  size_t at = hit.find(pat);
  if (at == std::string::npos) return "";
  at += pat.size();
  return hit.substr(at, hit.find('"', at) - at);
}

// A fake keyed hash: any stable text of 16+ characters works.
std::string H(const std::string& what) {
  std::string s = what;
  while (s.size() < 20) s += '.';
  return s;
}

class RiskTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<intake::IntakeEnv>(GetParam());
    ASSERT_TRUE(env_->Open());
    Open(nullptr);
  }

  void Open(std::shared_ptr<const Tables> tables) {
    Options o;
    o.vault = env_->vault;
    o.tables = std::move(tables);
    auto r = Risk::Create(env_->store.get(), o);
    ASSERT_TRUE(r.ok()) << r.status().ToString();
    risk_ = std::move(*r);
  }

  // An ordinary list: its own buyer, consignee and address unless told otherwise.
  clearance::ScreenFacts List(const std::string& cop, Timestamp t, const char* value = "300") {
    clearance::ScreenFacts f;
    f.cop_no = cop;
    f.agent_code = "AGENT00001";
    f.key = cop + "|" + f.agent_code;
    f.invt_no = "2301" + cop;
    f.order_no = "O" + cop;
    f.trade_mode = "1210";
    f.ebc_code = "EBC0000001";
    f.ebp_code = "EBP0000001";
    f.declared = t;
    f.order_at = f.payment_at = f.waybill_at = Timestamp{t.millis - 3600 * 1000};
    f.buyer = H("buyer-" + cop);
    f.consignee = H("consignee-" + cop);
    f.consignee_phone = H("phone-" + cop);
    f.address = H("address-" + cop);
    f.value = D(value);
    f.single_limit = D("5000");
    clearance::ScreenLine l;
    l.gnum = "1";
    l.gcode = "1901101000";
    l.gname = "婴儿配方奶粉3段 800克";
    l.item_no = "APT-P3-800";
    l.unit = "122";
    l.qty = D("1");
    l.price = D(value);
    f.lines.push_back(l);
    return f;
  }

  clearance::LaneDecision Screen(const clearance::ScreenFacts& f) {
    auto txn = env_->store->BeginWrite();
    EXPECT_TRUE(txn.ok()) << txn.status().ToString();
    if (!txn.ok()) return {};
    auto d = risk_->Screen(**txn, f);
    EXPECT_TRUE(d.ok()) << d.status().ToString();
    EXPECT_TRUE((*txn)->Commit().ok());
    return d.ok() ? *d : clearance::LaneDecision{};
  }

  // Every hit of the year 2026 (optionally of one rule), as JSON.
  std::vector<std::string> AllHits(const std::string& rule = "") {
    HitQuery q;
    q.from = *ParseDate("2026-01-01");
    q.to = *ParseDate("2027-01-01");
    q.rule = rule;
    q.limit = 100000;
    auto h = risk_->Hits(q);
    EXPECT_TRUE(h.ok()) << h.status().ToString();
    return h.ok() ? *h : std::vector<std::string>{};
  }

  // The copNos of the hits of `rule` (any lane, audits included).
  std::vector<std::string> Flagged(const std::string& rule) {
    std::vector<std::string> out;
    for (const std::string& h : AllHits(rule)) {
      out.push_back(CopNo(h));
    }
    std::sort(out.begin(), out.end());
    return out;
  }

  std::unique_ptr<intake::IntakeEnv> env_;
  std::unique_ptr<Risk> risk_;
};

// Tables with the built-in rules, lanes and credit levels, and small goods tables whose
// words the tests control. Lane targets zero, so that only rules choose lanes.
std::shared_ptr<const Tables> TestTables(const std::string& lanes = "2019-01-01,0,0,0.5,t") {
  std::map<std::string, std::string> files;
  for (const char* f : {"rules.csv", "credit_levels.csv", "credit_score.csv"}) {
    files[f] = std::string(EmbeddedFile(f));
  }
  files["lanes.csv"] =
      "effective_from,inspect_target,review_target,random_share,version\n" + lanes + "\n";
  files["hs_keywords.csv"] =
      "chapter,keywords,note\n04,奶粉|milk powder,\n19,奶粉|配方,\n33,精华|面霜|serum,\n"
      "21,保健|胶囊,\n91,手表|watch,\n";
  files["prohibited.csv"] =
      "kind,match,value,reason_zh,reason_en,source\n"
      "prohibited,hs,9302,禁止进境的武器,weapons,t\n"
      "restricted,keyword,种子,限制进境的植物种子,seeds,t\n";
  files["positive_list.csv"] = "hs_prefix,description,source\n0402,,t\n1901,,t\n3304,,t\n2106,,t\n";
  auto t = Tables::Parse(files);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  return t.ok() ? *t : nullptr;
}

// ------------------------------------------------------------------ split orders

TEST_P(RiskTest, SplitOrderInTheWindowIsInspectedAndTheEarlierListAudited) {
  Open(TestTables());
  auto a = List("A1", At("2026-03-01", 9), "2800");
  auto b = List("A2", At("2026-03-01", 15), "2600");
  b.buyer = a.buyer;  // the same buyer, the same consignee and address
  b.consignee = a.consignee;
  b.consignee_phone = a.consignee_phone;
  b.address = a.address;
  EXPECT_EQ(Screen(a).lane, clearance::Lane::kRelease);
  clearance::LaneDecision d = Screen(b);
  EXPECT_EQ(d.lane, clearance::Lane::kInspect);
  // The enterprise reads the outcome, never the rule.
  EXPECT_EQ(d.reason.find("split"), std::string::npos) << d.reason;
  EXPECT_EQ(d.reason.find("拆单"), std::string::npos) << d.reason;

  std::vector<std::string> hits = AllHits("split_order");
  ASSERT_EQ(hits.size(), 2u);
  // The later list's hit explains itself and names both lists and the total.
  const std::string* own = nullptr;
  for (const std::string& h : hits) {
    if (h.find("\"lane\":\"inspect\"") != std::string::npos) own = &h;
  }
  ASSERT_NE(own, nullptr);
  EXPECT_NE(own->find("\"severity\":\"high\""), std::string::npos) << *own;
  EXPECT_NE(own->find("\"total\":\"5400.00\""), std::string::npos) << *own;
  EXPECT_NE(own->find("\"singleLimit\":\"5000.00\""), std::string::npos) << *own;
  EXPECT_NE(own->find("A1"), std::string::npos) << *own;
  EXPECT_NE(own->find("拆单"), std::string::npos) << *own;
  EXPECT_EQ(Flagged("split_order"), (std::vector<std::string>{"A1", "A2"}));
  // The earlier list is already released: its hit is for audit.
  for (const std::string& h : hits) {
    if (CopNo(h) == "A1") {
      EXPECT_NE(h.find("\"lane\":\"audit\""), std::string::npos) << h;
    }
  }
}

TEST_P(RiskTest, OrdinaryRepeatBuyersAreNotSplitOrders) {
  Open(TestTables());
  // Two orders the same day under the limit together; two dear orders two days apart.
  auto a = List("B1", At("2026-03-01", 9), "2000");
  auto b = List("B2", At("2026-03-01", 20), "2900");
  auto c = List("B3", At("2026-03-03", 9), "4500");
  auto d = List("B4", At("2026-03-05", 9), "4600");
  for (auto* f : {&b, &c, &d}) {
    f->buyer = a.buyer;
    f->consignee = a.consignee;
    f->consignee_phone = a.consignee_phone;
    f->address = a.address;
  }
  for (auto* f : {&a, &b, &c, &d}) EXPECT_EQ(Screen(*f).lane, clearance::Lane::kRelease);
  EXPECT_TRUE(AllHits().empty()) << AllHits()[0];
}

// A day's orders and a span's orders are separate groups, whatever order the lists
// arrive in: 20:21 + 23:18 (one day, 3,509.80) and 23:18 + 00:13 (one span, 3,566.90)
// are each under the limit, although the three together are over it.
TEST_P(RiskTest, ADayAndASpanAreNotAddedTogether) {
  Open(TestTables());
  struct Order {
    const char* cop;
    Timestamp at;
    const char* value;
  };
  Order orders[] = {{"M1", At("2026-03-03", 20, 21), "1628.90"},
                    {"M3", At("2026-03-04", 0, 13), "1686.00"},
                    {"M2", At("2026-03-03", 23, 18), "1880.90"}};  // its list arrives last
  for (const Order& o : orders) {
    auto f = List(o.cop, At("2026-03-05", 8), o.value);
    f.buyer = H("buyer-M");
    f.consignee = H("consignee-M");
    f.consignee_phone = H("phone-M");
    f.address = H("address-M");
    f.order_at = o.at;
    EXPECT_EQ(Screen(f).lane, clearance::Lane::kRelease) << o.cop;
  }
  EXPECT_TRUE(Flagged("split_order").empty());
  // Across midnight within the span and over the limit: a split.
  auto late = List("M4", At("2026-03-06", 8), "2600");
  late.buyer = H("buyer-M");
  late.consignee = H("consignee-M");
  late.consignee_phone = H("phone-M");
  late.address = H("address-M");
  late.order_at = At("2026-03-04", 1, 30);  // 1 h 17 min after M3, with M2 2 h 12 min before
  EXPECT_EQ(Screen(late).lane, clearance::Lane::kInspect);
  EXPECT_EQ(Flagged("split_order"), (std::vector<std::string>{"M2", "M3", "M4"}));
}

TEST_P(RiskTest, AReplayedListIsNotCountedTwice) {
  Open(TestTables());
  auto a = List("C1", At("2026-03-01", 9), "3000");
  EXPECT_EQ(Screen(a).lane, clearance::Lane::kRelease);
  EXPECT_EQ(Screen(a).lane, clearance::Lane::kRelease);  // the same list again
  EXPECT_TRUE(Flagged("split_order").empty());
}

// ------------------------------------------------------------------ identities

TEST_P(RiskTest, OneIdNumberWithManyConsigneesIsIdentityMisuse) {
  Open(TestTables());
  std::vector<clearance::ScreenFacts> lists;
  for (int i = 0; i < 4; ++i) {
    std::string day = "2026-04-0" + std::to_string(i + 1);
    auto f = List("D" + std::to_string(i), At(day.c_str()), "500");
    f.buyer = H("buyer-D");
    lists.push_back(f);
  }
  EXPECT_EQ(Screen(lists[0]).lane, clearance::Lane::kRelease);
  EXPECT_EQ(Screen(lists[1]).lane, clearance::Lane::kRelease);
  EXPECT_EQ(Screen(lists[2]).lane, clearance::Lane::kManual);  // the third consignee
  EXPECT_EQ(Screen(lists[3]).lane, clearance::Lane::kManual);
  EXPECT_EQ(Flagged("identity_misuse"), (std::vector<std::string>{"D0", "D1", "D2", "D3"}));
  std::vector<std::string> hits = AllHits("identity_misuse");
  bool explained = false;
  for (const std::string& h : hits) {
    if (CopNo(h) == "D2" && h.find("\"lane\":\"review\"") != std::string::npos) {
      EXPECT_NE(h.find("\"consignees\":3"), std::string::npos) << h;
      EXPECT_NE(h.find("身份冒用"), std::string::npos) << h;
      explained = true;
    }
  }
  EXPECT_TRUE(explained);
}

TEST_P(RiskTest, ABuyerWithSelfAndOneRelativeIsOrdinary) {
  Open(TestTables());
  for (int i = 0; i < 6; ++i) {
    auto f = List("E" + std::to_string(i), At("2026-05-01", 8 + i), "300");
    f.buyer = H("buyer-E");
    f.consignee = H(i % 2 ? "mother" : "self");
    f.consignee_phone = H(i % 2 ? "mother-phone" : "self-phone");
    f.address = H(i % 2 ? "mother-home" : "home");
    EXPECT_EQ(Screen(f).lane, clearance::Lane::kRelease) << i;
  }
  EXPECT_TRUE(AllHits().empty());
}

// The buyer's history keeps the first list of each consignee however many lists follow:
// a year of parcels to oneself, then two strangers, is still three consignees.
TEST_P(RiskTest, ConsigneesAreRememberedAcrossALongHistory) {
  Open(TestTables());
  Timestamp day0 = At("2026-01-02", 9);
  for (int i = 0; i < 120; ++i) {
    auto f =
        List("H" + std::to_string(i), Timestamp{day0.millis + i * 2LL * 24 * 3600 * 1000}, "80");
    f.buyer = H("buyer-H");
    f.consignee = H("self");
    f.consignee_phone = H("self-phone");
    f.address = H("home");
    ASSERT_EQ(Screen(f).lane, clearance::Lane::kRelease) << i;
  }
  for (int i = 0; i < 2; ++i) {
    auto f = List("HX" + std::to_string(i), At("2026-09-10", 9 + i), "80");
    f.buyer = H("buyer-H");
    EXPECT_EQ(Screen(f).lane, i == 0 ? clearance::Lane::kRelease : clearance::Lane::kManual);
  }
  // The first list to oneself is still named (audit), with the two strangers' lists.
  EXPECT_EQ(Flagged("identity_misuse"), (std::vector<std::string>{"H0", "HX0", "HX1"}));
}

TEST_P(RiskTest, OnePhoneForManyIdNumbersIsSharedContact) {
  Open(TestTables());
  for (int i = 0; i < 3; ++i) {
    auto f = List("F" + std::to_string(i), At("2026-06-01", 8 + i), "200");
    f.consignee_phone = H("one-phone");
    Screen(f);
  }
  EXPECT_EQ(Flagged("shared_contact"), (std::vector<std::string>{"F0", "F1", "F2"}));
  // Two family members at one address (and phone) are ordinary.
  for (int i = 0; i < 2; ++i) {
    auto f = List("G" + std::to_string(i), At("2026-06-02", 8 + i), "200");
    f.consignee_phone = H("family-phone");
    f.address = H("family-home");
    EXPECT_EQ(Screen(f).lane, clearance::Lane::kRelease);
  }
  EXPECT_EQ(Flagged("shared_contact").size(), 3u);
}

// ------------------------------------------------------------------ goods

TEST_P(RiskTest, UndervaluationAgainstTheMedianOfEarlierPrices) {
  Open(TestTables());
  const char* prices[] = {"230", "245", "238", "251", "226", "240", "236", "249", "233", "244"};
  int n = 0;
  for (const char* p : prices) {
    EXPECT_EQ(Screen(List("P" + std::to_string(n++), At("2026-07-01", 8), p)).lane,
              clearance::Lane::kRelease);
  }
  // A normal discount is not undervaluation; a fifth of the price is.
  EXPECT_EQ(Screen(List("P-sale", At("2026-07-02", 8), "190")).lane, clearance::Lane::kRelease);
  EXPECT_EQ(Screen(List("P-low", At("2026-07-02", 9), "48")).lane, clearance::Lane::kInspect);
  std::vector<std::string> hits = AllHits("undervaluation");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(CopNo(hits[0]), "P-low") << hits[0];
  EXPECT_NE(hits[0].find("\"referencePrice\":\"238.00\""), std::string::npos) << hits[0];
  EXPECT_NE(hits[0].find("\"price\":\"48.00\""), std::string::npos) << hits[0];
  // The suspect price did not pull the reference down: another one is caught too.
  EXPECT_EQ(Screen(List("P-low2", At("2026-07-02", 10), "50")).lane, clearance::Lane::kInspect);
}

TEST_P(RiskTest, NoReferenceBeforeEnoughSamples) {
  Open(TestTables());
  for (int i = 0; i < 5; ++i) Screen(List("Q" + std::to_string(i), At("2026-07-01", 8), "240"));
  EXPECT_EQ(Screen(List("Q-low", At("2026-07-01", 9), "20")).lane, clearance::Lane::kRelease);
}

TEST_P(RiskTest, GoodsNameAgainstHsChapterPositiveListAndProhibitedGoods) {
  Open(TestTables());
  auto serum = List("N1", At("2026-08-01"), "600");
  serum.lines[0].gname = "兰蔻小黑瓶精华肌底液 50毫升";
  serum.lines[0].gcode = "2106909090";  // declared as food preparations
  // The keyword and positive-list tables are stand-ins: their hits inform officers
  // (action alert) and leave the lane alone.
  EXPECT_EQ(Screen(serum).lane, clearance::Lane::kRelease);
  std::vector<std::string> hits = AllHits("name_hs_mismatch");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0].find("\"declaredChapter\":\"21\""), std::string::npos) << hits[0];
  EXPECT_NE(hits[0].find("\"keyword\":\"精华\""), std::string::npos) << hits[0];

  auto right = List("N2", At("2026-08-01"), "600");
  right.lines[0].gname = "兰蔻小黑瓶精华肌底液 50毫升";
  right.lines[0].gcode = "3304990039";
  EXPECT_EQ(Screen(right).lane, clearance::Lane::kRelease);
  // A name the keywords do not know says nothing.
  auto unknown = List("N3", At("2026-08-01"), "600");
  unknown.lines[0].gname = "某品牌商品";
  unknown.lines[0].gcode = "0402100000";
  EXPECT_EQ(Screen(unknown).lane, clearance::Lane::kRelease);

  auto off = List("N4", At("2026-08-01"), "600");
  off.lines[0].gname = "某品牌商品";
  off.lines[0].gcode = "8703239000";  // not on the (test) positive list
  EXPECT_EQ(Screen(off).lane, clearance::Lane::kRelease);
  EXPECT_EQ(Flagged("not_on_positive_list"), (std::vector<std::string>{"N4"}));
  off.key = "N5|AGENT00001";
  off.cop_no = "N5";
  off.trade_mode = "9710";  // the positive list is for retail imports only
  EXPECT_EQ(Screen(off).lane, clearance::Lane::kRelease);

  auto gun = List("N6", At("2026-08-01"), "600");
  gun.lines[0].gcode = "9302000000";
  EXPECT_EQ(Screen(gun).lane, clearance::Lane::kInspect);
  EXPECT_EQ(Flagged("prohibited_goods"), (std::vector<std::string>{"N6"}));
  auto seeds = List("N7", At("2026-08-01"), "60");
  seeds.lines[0].gname = "番茄种子 10克";
  EXPECT_EQ(Screen(seeds).lane, clearance::Lane::kManual);
  EXPECT_EQ(Flagged("restricted_goods"), (std::vector<std::string>{"N7"}));
}

// Export lists: the goods rules are recorded for customs (no lane, no positive list).
TEST_P(RiskTest, ExportListsGetTheGoodsRulesAsRecords) {
  Open(TestTables());
  auto x = List("X1", At("2026-08-03"), "120");
  x.trade_mode = "9610";
  x.buyer.clear();
  x.lines[0].gname = "智能手表 运动版";
  x.lines[0].gcode = "6110200090";  // declared as knitted garments
  auto txn = env_->store->BeginWrite();
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE(risk_->ScreenExport(**txn, x).ok());
  auto ok = x;
  ok.cop_no = "X2";
  ok.key = "X2|AGENT00001";
  ok.lines[0].gcode = "9102120000";  // a watch, off the (test) positive list: exports ignore it
  ASSERT_TRUE(risk_->ScreenExport(**txn, ok).ok());
  ASSERT_TRUE((*txn)->Commit().ok());
  std::vector<std::string> hits = AllHits();
  ASSERT_EQ(hits.size(), 1u) << hits[0];
  EXPECT_EQ(CopNo(hits[0]), "X1");
  EXPECT_NE(hits[0].find("\"rule\":\"name_hs_mismatch\""), std::string::npos) << hits[0];
  EXPECT_NE(hits[0].find("\"direction\":\"export\""), std::string::npos) << hits[0];
  EXPECT_NE(hits[0].find("\"lane\":\"release\""), std::string::npos) << hits[0];
}

// The official sample list (../shared/ceb/samples/import/CEB621Message.xml) declares
// 花王纸尿裤 and 小米盒子 under 8541401000. With the built-in tables the diapers get a
// name_hs_mismatch alert; the stand-in tables' rules do not hold the list.
TEST_P(RiskTest, TheOfficialSampleLinesAreAlertedNotHeld) {
  std::map<std::string, std::string> files;
  for (const char* f : {"rules.csv", "credit_levels.csv", "credit_score.csv", "hs_keywords.csv",
                        "prohibited.csv", "positive_list.csv"}) {
    files[f] = std::string(EmbeddedFile(f));
  }
  files["lanes.csv"] =
      "effective_from,inspect_target,review_target,random_share,version\n2019-01-01,0,0,0.5,t\n";
  auto tables = Tables::Parse(files);
  ASSERT_TRUE(tables.ok()) << tables.status().ToString();
  Open(*tables);
  auto f = List("S1", At("2026-08-04"), "200");
  f.trade_mode = "9610";
  f.lines[0].gname = "花王纸尿裤";
  f.lines[0].gcode = "8541401000";
  auto box = f.lines[0];
  box.gnum = "2";
  box.gname = "小米盒子";
  f.lines.push_back(box);
  EXPECT_EQ(Screen(f).lane, clearance::Lane::kRelease);
  std::vector<std::string> hits = AllHits("name_hs_mismatch");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0].find("花王纸尿裤"), std::string::npos) << hits[0];
  EXPECT_EQ(hits[0].find("小米盒子"), std::string::npos) << hits[0];
  EXPECT_NE(hits[0].find("\"action\":\"alert\""), std::string::npos) << hits[0];
}

TEST_P(RiskTest, WeightAndLateDocuments) {
  Open(TestTables());
  auto w = List("W1", At("2026-08-02"), "300");
  w.gross_weight = D("1.2");
  w.waybill_weight = D("6.5");
  EXPECT_EQ(Screen(w).lane, clearance::Lane::kManual);
  EXPECT_EQ(Flagged("weight_mismatch"), (std::vector<std::string>{"W1"}));
  auto ok = List("W2", At("2026-08-02"), "300");
  ok.gross_weight = D("1.2");
  ok.waybill_weight = D("1.3");
  EXPECT_EQ(Screen(ok).lane, clearance::Lane::kRelease);

  auto late = List("L1", At("2026-08-20"), "300");
  late.order_at = At("2026-08-05");                         // 15 days before the list
  EXPECT_EQ(Screen(late).lane, clearance::Lane::kRelease);  // an alert, not a lane
  std::vector<std::string> hits = AllHits("late_documents");
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_NE(hits[0].find("\"hoursBeforeList\":360"), std::string::npos) << hits[0];
  EXPECT_NE(hits[0].find("\"lane\":\"release\""), std::string::npos) << hits[0];

  // Out of order: the payment reported 40 minutes after the list that declared the sale.
  auto odd = List("L2", At("2026-08-21", 10), "300");
  odd.payment_at = At("2026-08-21", 10, 40);
  EXPECT_EQ(Screen(odd).lane, clearance::Lane::kRelease);
  // A waybill after its list is ordinary.
  auto later_waybill = List("L3", At("2026-08-21", 11), "300");
  later_waybill.waybill_at = At("2026-08-21", 12);
  Screen(later_waybill);
  EXPECT_EQ(Flagged("late_documents"), (std::vector<std::string>{"L1", "L2"}));
  for (const std::string& h : AllHits("late_documents")) {
    if (CopNo(h) == "L2") {
      EXPECT_NE(h.find("\"minutesAfterList\":40"), std::string::npos) << h;
      EXPECT_NE(h.find("顺序异常"), std::string::npos) << h;
    }
  }
}

TEST_P(RiskTest, AbnormalReturnRateAlertsOnceADay) {
  Open(TestTables());
  for (int i = 0; i < 60; ++i) {
    Screen(List("R" + std::to_string(i), At("2026-09-01", 8, i), "100"));
    if (i % 3 == 0) {
      auto txn = env_->store->BeginWrite();
      ASSERT_TRUE(txn.ok());
      ASSERT_TRUE(risk_->Event(**txn, "EBC0000001", "returned", At("2026-09-01", 9)).ok());
      ASSERT_TRUE((*txn)->Commit().ok());
    }
  }
  // From the 50th list on, 17 returns of 50 lists (34%) is over the 20% the rule allows:
  // one alert that day, not one per list.
  EXPECT_EQ(Flagged("return_rate"), (std::vector<std::string>{"R50"}));
  Screen(List("R-next", At("2026-09-02", 8), "100"));
  EXPECT_EQ(Flagged("return_rate"), (std::vector<std::string>{"R-next", "R50"}));
  std::vector<std::string> hits = AllHits("return_rate");
  EXPECT_NE(hits[0].find("\"returns\":17"), std::string::npos) << hits[0];
}

// ------------------------------------------------------------------ lanes and credit

struct LaneCount {
  int release = 0, inspect = 0, review = 0;
};

class LaneTest : public RiskTest {
 protected:
  // `n` clean lists of enterprise `ebc` on `date`, committed in batches.
  LaneCount Run(int n, const std::string& ebc, const char* date, const std::string& prefix) {
    LaneCount c;
    constexpr int kBatch = 2000;
    for (int start = 0; start < n; start += kBatch) {
      auto txn = env_->store->BeginWrite();
      EXPECT_TRUE(txn.ok());
      for (int i = start; i < std::min(n, start + kBatch); ++i) {
        auto f = List(prefix + std::to_string(i), At(date, 8 + i % 12, i % 60), "300");
        f.ebc_code = ebc;
        auto d = risk_->Screen(**txn, f);
        EXPECT_TRUE(d.ok()) << d.status().ToString();
        if (!d.ok()) return c;
        if (d->lane == clearance::Lane::kInspect) ++c.inspect;
        if (d->lane == clearance::Lane::kManual) ++c.review;
        if (d->lane == clearance::Lane::kRelease) ++c.release;
      }
      EXPECT_TRUE((*txn)->Commit().ok());
    }
    return c;
  }
};

// Done-when of the risk issue: over 100,000 clean lists the realised rates are within
// ±10% (relative) of the targets (2% inspection, 1% document review as built in).
// On SQLite only (instantiated below): 100,000 lists on PostgreSQL take minutes.
class LargeLaneTest : public LaneTest {};

TEST_P(LargeLaneTest, RealisedRatesMeetTheTargetsOver100000CleanLists) {
  Open(TestTables("2019-01-01,0.02,0.01,0.5,lanes-test"));
  LaneCount c = Run(100000, "EBC0000001", "2026-10-01", "L");
  EXPECT_NEAR(c.inspect, 2000, 200);
  EXPECT_NEAR(c.review, 1000, 100);
  EXPECT_EQ(c.release + c.inspect + c.review, 100000);
  EXPECT_TRUE(AllHits().empty()) << "clean lists hit a rule: " << AllHits()[0];
  // Both the random draw and the top-up chose lists; the pseudo-rule counts them.
  auto rules = risk_->Rules(At("2026-10-02"));
  ASSERT_TRUE(rules.ok());
  const RuleView& random = rules->back();
  EXPECT_EQ(random.rule.id, "random");
  EXPECT_EQ(random.hits, c.inspect + c.review);
}

TEST_P(LaneTest, ACreditLevelChangesTheInspectionRate) {
  Open(TestTables("2019-01-01,0.05,0,0.5,lanes-test"));
  const int n = GetParam() == "sqlite" ? 4000 : 1000;
  LaneCount regular = Run(n, "EBCREGULAR", "2026-10-01", "R");
  // Advanced certified (AEO): a fifth of the regular rate.
  ASSERT_TRUE(
      risk_->SetCreditLevel({"EBCAEO0001", "advanced_certified", "2026-01-01", "AEO"}).ok());
  LaneCount aeo = Run(n, "EBCAEO0001", "2026-10-01", "A");
  // Dishonest from 2026-10-02: inspection at its 80% floor and nothing released unseen.
  ASSERT_TRUE(risk_->SetCreditLevel({"EBCBAD0001", "dishonest", "2026-10-02", "走私"}).ok());
  LaneCount before = Run(n / 4, "EBCBAD0001", "2026-10-01", "B");
  LaneCount after = Run(n / 4, "EBCBAD0001", "2026-10-03", "C");

  double r = static_cast<double>(regular.inspect) / n;
  double a = static_cast<double>(aeo.inspect) / n;
  EXPECT_NEAR(r, 0.05, 0.005);
  EXPECT_NEAR(a, 0.01, 0.004);
  EXPECT_NEAR(static_cast<double>(before.inspect) / (n / 4), 0.05, 0.02);
  EXPECT_NEAR(static_cast<double>(after.inspect) / (n / 4), 0.8, 0.04);
  EXPECT_EQ(after.release, 0);

  auto level = risk_->CreditLevelAt("EBCBAD0001", At("2026-10-01"));
  ASSERT_TRUE(level.ok());
  EXPECT_EQ(*level, "regular");
  level = risk_->CreditLevelAt("EBCBAD0001", At("2026-10-02"));
  EXPECT_EQ(*level, "dishonest");
  // The dishonest list publishes it from its date, with the reason.
  auto list = risk_->Dishonest(At("2026-10-05"));
  ASSERT_TRUE(list.ok());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_NE((*list)[0].find("\"code\":\"EBCBAD0001\""), std::string::npos) << (*list)[0];
  EXPECT_NE((*list)[0].find("走私"), std::string::npos) << (*list)[0];
  EXPECT_TRUE(risk_->Dishonest(At("2026-10-01"))->empty());
  EXPECT_FALSE(risk_->SetCreditLevel({"EBCBAD0001", "pretty-good", "2026-10-02", ""}).ok());
}

TEST_P(LaneTest, InspectionResultsFeedTheRuleFiguresAndTheCreditScore) {
  Open(TestTables());
  auto a = List("S1", At("2026-03-01", 9), "2800");
  auto b = List("S2", At("2026-03-01", 15), "2600");
  b.buyer = a.buyer;
  Screen(a);
  ASSERT_EQ(Screen(b).lane, clearance::Lane::kInspect);
  auto txn = env_->store->BeginWrite();
  ASSERT_TRUE(txn.ok());
  ASSERT_TRUE(risk_->Outcome(**txn, b.key, /*found=*/true, At("2026-03-02")).ok());
  ASSERT_TRUE(risk_->Event(**txn, "EBC0000001", "refused", At("2026-03-02")).ok());
  ASSERT_TRUE((*txn)->Commit().ok());
  ASSERT_TRUE(risk_->Complaint("EBC0000001", "假货投诉", At("2026-03-03")).ok());

  auto rules = risk_->Rules(At("2026-03-02"));
  ASSERT_TRUE(rules.ok());
  for (const RuleView& v : *rules) {
    if (v.rule.id != "split_order") continue;
    EXPECT_EQ(v.hits, 2);  // the list and the audit of the earlier one
    EXPECT_EQ(v.inspected, 1);
    EXPECT_EQ(v.found, 1);
  }
  auto dec = risk_->Decision("S2", "AGENT00001");
  ASSERT_TRUE(dec.ok());
  EXPECT_NE(dec->find("\"outcome\":\"found\""), std::string::npos) << *dec;
  EXPECT_EQ(risk_->Decision("S1", "AGENT00001").status().code(), Code::kNotFound);

  // Score: 2 lists, 1 refused (50% → 30 capped), 1 confirmed (5), 1 complaint (2): 63.
  auto credit = risk_->CreditJson("EBC0000001", At("2026-03-04"));
  ASSERT_TRUE(credit.ok());
  EXPECT_NE(credit->find("\"value\":\"63.00\""), std::string::npos) << *credit;
  EXPECT_NE(credit->find("\"grade\":\"C\""), std::string::npos) << *credit;
  EXPECT_NE(credit->find("投诉"), std::string::npos) << *credit;
}

// ------------------------------------------------------------------ rules as data

TEST(RiskTables, BuiltInTablesLoad) {
  auto t = Tables::BuiltIn();
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  std::vector<std::string> ids;
  for (const Rule* r : (*t)->RulesAt(*ParseDate("2026-11-29"))) {
    ids.push_back(r->id);
    EXPECT_FALSE(r->description_zh.empty()) << r->id;
    EXPECT_FALSE(r->description_en.empty()) << r->id;
  }
  for (const char* id : {"split_order", "identity_misuse", "shared_contact", "undervaluation",
                         "name_hs_mismatch", "not_on_positive_list", "prohibited_goods",
                         "restricted_goods", "weight_mismatch", "return_rate", "late_documents"}) {
    EXPECT_NE(std::find(ids.begin(), ids.end(), id), ids.end()) << id;
  }
  EXPECT_NE((*t)->Level("dishonest"), nullptr);
  EXPECT_EQ((*t)->Level("一般信用企业"), (*t)->Level("regular"));  // 令第251号's level
}

TEST(RiskTables, ABadValueNamesTheFileLineAndColumn) {
  std::map<std::string, std::string> files;
  for (const char* f : {"rules.csv", "lanes.csv", "credit_levels.csv", "credit_score.csv",
                        "hs_keywords.csv", "prohibited.csv", "positive_list.csv"}) {
    files[f] = std::string(EmbeddedFile(f));
  }
  files["lanes.csv"] =
      "effective_from,inspect_target,review_target,random_share,version\n"
      "2019-01-01,0.02,1.5,0.5,x\n";
  auto t = Tables::Parse(files);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().field(), "lanes.csv:2:review_target") << t.status().ToString();
  files["lanes.csv"] = std::string(EmbeddedFile("lanes.csv"));
  files["rules.csv"] += "split_order,2,2027-01-01,high,jail,,x,y\n";
  t = Tables::Parse(files);
  ASSERT_FALSE(t.ok());
  EXPECT_NE(t.status().message().find("action"), std::string::npos) << t.status().ToString();
}

TEST(RiskTables, ALaterVersionOfARuleTakesOverOnItsDate) {
  std::map<std::string, std::string> files;
  for (const char* f : {"rules.csv", "lanes.csv", "credit_levels.csv", "credit_score.csv",
                        "hs_keywords.csv", "prohibited.csv", "positive_list.csv"}) {
    files[f] = std::string(EmbeddedFile(f));
  }
  files["rules.csv"] += "split_order,2,2027-01-01,high,review,window_hours=48,拆单,split\n";
  auto t = Tables::Parse(files);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ((*t)->RuleAt("split_order", *ParseDate("2026-12-31"))->version, 1);
  const Rule* v2 = (*t)->RuleAt("split_order", *ParseDate("2027-01-01"));
  EXPECT_EQ(v2->version, 2);
  EXPECT_EQ(v2->IntParam("window_hours", 0), 48);
}

INSTANTIATE_TEST_SUITE_P(Engines, LargeLaneTest, ::testing::Values("sqlite"),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Engines, LaneTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Engines, RiskTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace shumao::risk

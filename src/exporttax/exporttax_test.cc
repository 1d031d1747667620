// Export tax records and the deemed EIT on both engines: lists stored as intake stores
// them (the CEB603 entity as JSON) with a release (800) history row; each of the three
// conditions failing once and named; the CSV byte for byte; the XLSX opened as a zip; the
// EIT with and without the small and micro rule, to the fen.
#include "exporttax/exporttax.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ceb/catalog.h"
#include "ceb/codec.h"
#include "exporttax/totals.h"
#include "store/postgres/test_schema.h"

namespace shumao::exporttax {
namespace {

namespace fs = std::filesystem;

#define ASSERT_OK(expr)                                       \
  do {                                                        \
    const ::shumao::Status& _st = (expr);                     \
    ASSERT_TRUE(_st.ok()) << #expr << ": " << _st.ToString(); \
  } while (0)

constexpr char kEbc[] = "3201960ABC";

struct TLine {
  std::string gcode = "6109100000", gname = "棉制T恤", unit = "011", qty = "3", price = "12.5",
              total = "37.5", currency = "142";
};

struct TList {
  std::string cop_no, invt_no, ebc = kEbc, customs = "2317";
  std::vector<TLine> lines;
};

Timestamp At(int y, int m, int d, int h = 12, int min = 0) {
  return FromBeijing(CivilTime{y, m, d, h, min});
}

std::string ListXml(const TList& l) {
  std::string x =
      "<ceb:CEB603Message guid=\"E1A20397-BE7E-43A0-8011-E45EA950C7E3\" version=\"1.0\" "
      "xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\"><ceb:Inventory><ceb:InventoryHead>"
      "<ceb:guid>0DE68E7F-5902-4875-9CB4-DCFABD95BCB0</ceb:guid><ceb:appType>1</ceb:appType>"
      "<ceb:appTime>20261001120000</ceb:appTime><ceb:appStatus>2</ceb:appStatus>"
      "<ceb:customsCode>" +
      l.customs +
      "</ceb:customsCode><ceb:ebpCode>3201960EBP</ceb:ebpCode>"
      "<ceb:ebpName>平台</ceb:ebpName><ceb:orderNo>O" +
      l.cop_no +
      "</ceb:orderNo>"
      "<ceb:logisticsCode>320136ZF0M</ceb:logisticsCode><ceb:logisticsName>物流</ceb:logisticsName>"
      "<ceb:logisticsNo>W" +
      l.cop_no + "</ceb:logisticsNo><ceb:copNo>" + l.cop_no +
      "</ceb:copNo><ceb:ieFlag>E</ceb:ieFlag><ceb:portCode>2317</ceb:portCode>"
      "<ceb:ieDate>20261001</ceb:ieDate><ceb:statisticsFlag>B</ceb:statisticsFlag>"
      "<ceb:agentCode>3205918PQX</ceb:agentCode><ceb:agentName>报关行</ceb:agentName>"
      "<ceb:ebcCode>" +
      l.ebc +
      "</ceb:ebcCode><ceb:ebcName>苏州某电商</ceb:ebcName>"
      "<ceb:ownerCode>" +
      l.ebc +
      "</ceb:ownerCode><ceb:ownerName>生产</ceb:ownerName>"
      "<ceb:tradeMode>9610</ceb:tradeMode><ceb:trafMode>5</ceb:trafMode>"
      "<ceb:country>502</ceb:country><ceb:POD>502</ceb:POD><ceb:freight>0</ceb:freight>"
      "<ceb:fCurrency>142</ceb:fCurrency><ceb:fFlag>3</ceb:fFlag><ceb:insuredFee>0</ceb:insuredFee>"
      "<ceb:iCurrency>142</ceb:iCurrency><ceb:iFlag>3</ceb:iFlag><ceb:wrapType>2</ceb:wrapType>"
      "<ceb:packNo>1</ceb:packNo><ceb:grossWeight>1.5</ceb:grossWeight>"
      "<ceb:netWeight>1.2</ceb:netWeight></ceb:InventoryHead>";
  int gnum = 0;
  for (const TLine& t : l.lines) {
    x += "<ceb:InventoryList><ceb:gnum>" + std::to_string(++gnum) +
         "</ceb:gnum><ceb:itemNo>SKU</ceb:itemNo><ceb:itemName>" + t.gname +
         "</ceb:itemName><ceb:gcode>" + t.gcode + "</ceb:gcode><ceb:gname>" + t.gname +
         "</ceb:gname><ceb:gmodel>型号</ceb:gmodel><ceb:barCode>无</ceb:barCode>"
         "<ceb:country>502</ceb:country><ceb:currency>" +
         t.currency + "</ceb:currency><ceb:qty>" + t.qty + "</ceb:qty><ceb:qty1>" + t.qty +
         "</ceb:qty1><ceb:unit>" + t.unit + "</ceb:unit><ceb:unit1>" + t.unit +
         "</ceb:unit1><ceb:price>" + t.price + "</ceb:price><ceb:totalPrice>" + t.total +
         "</ceb:totalPrice></ceb:InventoryList>";
  }
  x += "</ceb:Inventory><ceb:BaseTransfer><ceb:copCode>3205918PQX</ceb:copCode>"
       "<ceb:copName>报关</ceb:copName><ceb:dxpMode>DXP</ceb:dxpMode><ceb:dxpId>DXPENT1</ceb:dxpId>"
       "</ceb:BaseTransfer></ceb:CEB603Message>";
  return x;
}

std::string ReadFile(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  std::ostringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string Shell(const std::string& cmd) {
  std::string out;
  FILE* p = popen(cmd.c_str(), "r");
  if (!p) return out;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  pclose(p);
  return out;
}

class ExportTaxTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    static std::atomic<int> n{0};
    dir_ = fs::temp_directory_path() /
           ("shumao-etx-" + std::to_string(getpid()) + "-" + std::to_string(n++));
    fs::create_directories(dir_);
    std::string url;
    if (GetParam() == "sqlite") {
      url = (dir_ / "zone.db").string();
    } else {
      const char* env = std::getenv("SHUMAO_TEST_PG_URL");
      ASSERT_TRUE(env != nullptr && *env != '\0')
          << "SHUMAO_TEST_PG_URL is not set: run the tests with scripts/test (make test)";
      base_ = env;
      schema_ = "exporttax_" + std::to_string(getpid()) + "_" + std::to_string(n++);
      auto u = store::CreateTestSchema(base_, schema_);
      ASSERT_TRUE(u.ok()) << u.status().ToString();
      url = *u;
    }
    auto s = store::Store::Open(store::StoreConfig{url});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    ASSERT_OK(
        store_->PutEnterprise(registry::Enterprise{kEbc, "苏州某电商", {"ebc"}, "suzhou", ""}));
  }
  void TearDown() override {
    store_.reset();
    fs::remove_all(dir_);
    if (!schema_.empty()) (void)store::DropTestSchema(base_, schema_);
  }

  // Stores the list as intake would, released (800) at `released`; with `closed`, then
  // closed (899) then. `status` other than 800/899 stores a list not released.
  void Put(const TList& l, Timestamp released, std::optional<Timestamp> closed = std::nullopt,
           const std::string& status = "800") {
    auto m = ceb::DecodeXml(ListXml(l));
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    store::DocumentRow row;
    row.kind = "inventories";
    row.scope = "3205918PQX";
    row.key = l.cop_no;
    row.alt_key = l.invt_no;
    row.message_type = "CEB603";
    row.status = closed ? "899" : status;
    row.sender = "3205918PQX";
    row.parties = ",3205918PQX," + l.ebc + ",";
    row.body_json = ceb::EncodeNodeJson(*m->Entities()[0], &ceb::IsPersonalField);
    row.updated_ms = closed ? closed->millis : released.millis;
    auto txn = store_->BeginWrite();
    ASSERT_TRUE(txn.ok()) << txn.status().ToString();
    ASSERT_OK((*txn)->PutDocument(row));
    ASSERT_OK((*txn)->AddHistory(row.id, {"399", released.millis - 60000, "审结"}));
    if (status == "800" || closed) {
      ASSERT_OK((*txn)->AddHistory(row.id, {"800", released.millis, "放行"}));
    }
    if (closed) ASSERT_OK((*txn)->AddHistory(row.id, {"899", closed->millis, "结关"}));
    ASSERT_OK((*txn)->Commit());
  }

  // October 2026: four qualifying or failing lists of kEbc, and some that do not count.
  void PutOctober() {
    TLine tee;                                                             // qualifies: 37.50 CNY
    TLine alu{"7604101000", "铝型材", "035", "2", "50", "100.00", "142"};  // condition 3
    TLine big{"6204430000", "连衣裙", "011", "7", "176.36684", "1234.56789", "142"};
    TLine usd{"6109100000", "棉制T恤", "011", "1", "10", "10.00", "502"};
    TLine noname{"6109100000", "", "011", "1", "20", "20.00", "142"};  // condition 1
    Put({"COP001", "23172026E000000001", kEbc, "2317", {tee, alu}}, At(2026, 10, 1, 0, 30),
        At(2026, 10, 3));                                                         // closed 899
    Put({"COP002", "22442026E000000002", kEbc, "2244", {tee}}, At(2026, 10, 2));  // condition 2
    Put({"COP003", "23172026E000000003", kEbc, "2317", {big, usd}}, At(2026, 10, 31, 23, 59));
    Put({"COP004", "23172026E000000004", kEbc, "2317", {noname}}, At(2026, 10, 15));
    // Not in the records: before and after the period, another enterprise, not released.
    Put({"COP005", "23172026E000000005", kEbc, "2317", {tee}}, At(2026, 9, 30, 23, 59),
        At(2026, 10, 2));
    Put({"COP006", "23172026E000000006", kEbc, "2317", {tee}}, At(2026, 11, 1, 0, 0));
    Put({"COP007", "23172026E000000007", "3201960XYZ", "2317", {tee}}, At(2026, 10, 5));
    Put({"COP008", "", kEbc, "2317", {tee}}, At(2026, 10, 6), std::nullopt, "399");
  }

  Records October() {
    auto r = BuildRecords(*store_, RecordsRequest{kEbc, "2026-10-01", "2026-10-31"});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() ? *r : Records{};
  }

  fs::path dir_;
  std::string base_, schema_;
  std::unique_ptr<store::Store> store_;
};

TEST_P(ExportTaxTest, ReleasedLinesOfThePeriodWithEachConditionNamed) {
  PutOctober();
  Records r = October();
  EXPECT_EQ(r.ebc_name, "苏州某电商");
  ASSERT_EQ(r.lines.size(), 6u);
  std::vector<std::string> keys;
  for (const RecordLine& l : r.lines) keys.push_back(l.cop_no + "/" + l.gnum);
  EXPECT_EQ(keys, (std::vector<std::string>{"COP001/1", "COP001/2", "COP002/1", "COP004/1",
                                            "COP003/1", "COP003/2"}));
  const RecordLine& tee = r.lines[0];
  EXPECT_EQ(tee.export_date, "2026-10-01");  // released 00:30 Beijing, closed on the 3rd
  EXPECT_EQ(tee.invt_no, "23172026E000000001");
  EXPECT_EQ(tee.gname, "棉制T恤");
  EXPECT_EQ(tee.unit_name, "件");
  EXPECT_EQ(tee.qty, "3");
  EXPECT_EQ(tee.price, "12.5");
  EXPECT_EQ(tee.total_price, "37.5");
  EXPECT_TRUE(tee.Qualifies());
  EXPECT_EQ(tee.FailedNumbers(), "");

  const RecordLine& alu = r.lines[1];
  EXPECT_EQ(alu.FailedNumbers(), "3");
  EXPECT_NE(alu.conditions[2].reason.find("7604101000"), std::string::npos);
  EXPECT_NE(alu.conditions[2].reason.find("2024年第15号"), std::string::npos);

  const RecordLine& gd = r.lines[2];
  EXPECT_EQ(gd.FailedNumbers(), "2");
  EXPECT_NE(gd.conditions[1].reason.find("2244"), std::string::npos);

  const RecordLine& noname = r.lines[3];
  EXPECT_EQ(noname.FailedNumbers(), "1");
  EXPECT_NE(noname.conditions[0].reason.find("商品名称"), std::string::npos);
  EXPECT_NE(noname.conditions[0].reason.find("goods name"), std::string::npos);

  EXPECT_EQ(r.lines[4].export_date, "2026-10-31");
  EXPECT_EQ(r.lines[4].total_price, "1234.56789");
  EXPECT_TRUE(r.lines[5].Qualifies());
  EXPECT_EQ(r.lines[5].currency, "502");
}

TEST_P(ExportTaxTest, AnUnregisteredEnterpriseFailsConditionOne) {
  TLine tee;
  Put({"COP100", "23172026E000000100", "3201960XYZ", "2317", {tee}}, At(2026, 10, 5));
  auto r = BuildRecords(*store_, RecordsRequest{"3201960XYZ", "2026-10-01", "2026-10-31"});
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_EQ(r->lines.size(), 1u);
  EXPECT_EQ(r->lines[0].FailedNumbers(), "1");
  EXPECT_NE(r->lines[0].conditions[0].reason.find("not registered"), std::string::npos);
  EXPECT_EQ(r->ebc_name, "苏州某电商");  // from the list, the registry has none
}

TEST_P(ExportTaxTest, CsvHasABomAChineseHeaderAndExactRows) {
  PutOctober();
  std::string csv = RecordsToCsv(October());
  ASSERT_EQ(csv.substr(0, 3), "\xEF\xBB\xBF");
  std::vector<std::string> rows;
  size_t pos = 3;
  while (pos < csv.size()) {
    size_t end = csv.find("\r\n", pos);
    ASSERT_NE(end, std::string::npos);
    rows.push_back(csv.substr(pos, end - pos));
    pos = end + 2;
  }
  ASSERT_EQ(rows.size(), 7u);
  EXPECT_EQ(rows[0],
            "出口日期(export date),清单编号(list number),企业内部编号(copNo),商品项号(gnum),"
            "商品名称(goods name),商品编码(HS code),计量单位代码(unit code),计量单位(unit),"
            "数量(quantity),单价(unit price),金额(amount),币制(currency),申报海关(customs),"
            "条件1 综试区登记并在平台登记六项(registered and six fields recorded),"
            "条件2 所在地海关申报(declared at the zone's customs),"
            "条件3 非取消退(免)税货物(not cancelled goods),符合无票免税(qualifies),"
            "不符合的条件(failed conditions)");
  EXPECT_EQ(rows[1],
            "2026-10-01,23172026E000000001,COP001,1,棉制T恤,6109100000,011,件,3,12.5,37.5,142,2317,"
            "是,是,是,是,");
  EXPECT_EQ(rows[5],
            "2026-10-31,23172026E000000003,COP003,1,连衣裙,6204430000,011,件,7,176.36684,"
            "1234.56789,142,2317,是,是,是,是,");
  EXPECT_EQ(
      rows[3].substr(0, rows[3].find(",否,是,否,")),
      "2026-10-02,22442026E000000002,COP002,1,棉制T恤,6109100000,011,件,3,12.5,37.5,142,2244,是");
  EXPECT_NE(rows[3].find("条件2: 申报海关2244不在综试区所在地"), std::string::npos);
}

TEST_P(ExportTaxTest, XlsxIsAZipWithBothSheetsAndTheRows) {
  PutOctober();
  Records r = October();
  fs::path file = dir_ / "records.xlsx";
  ASSERT_OK(WriteXlsx(r, file.string()));
  std::string head = ReadFile(file).substr(0, 2);
  EXPECT_EQ(head, "PK");
  std::string listing = Shell("unzip -l '" + file.string() + "'");
  EXPECT_NE(listing.find("xl/worksheets/sheet1.xml"), std::string::npos) << listing;
  EXPECT_NE(listing.find("xl/worksheets/sheet2.xml"), std::string::npos) << listing;
  std::string sheet1 = Shell("unzip -p '" + file.string() + "' xl/worksheets/sheet1.xml");
  EXPECT_NE(sheet1.find("<pane ySplit=\"1\""), std::string::npos);  // frozen under the header
  EXPECT_NE(sheet1.find("<cols>"), std::string::npos);              // widths
  EXPECT_NE(sheet1.find("<v>1234.56789</v>"), std::string::npos);   // a number cell
  EXPECT_EQ(sheet1.find("<row r=\"8\""), std::string::npos);        // header + 6 lines
  EXPECT_NE(sheet1.find("<row r=\"7\""), std::string::npos);
  std::string strings = Shell("unzip -p '" + file.string() + "' xl/sharedStrings.xml");
  EXPECT_NE(strings.find("23172026E000000003"), std::string::npos);
  EXPECT_NE(strings.find("连衣裙"), std::string::npos);
  EXPECT_NE(strings.find("不符合条件2"), std::string::npos);  // the totals sheet
  std::string workbook = Shell("unzip -p '" + file.string() + "' xl/workbook.xml");
  EXPECT_NE(workbook.find("无票免税明细"), std::string::npos);
  EXPECT_NE(workbook.find("汇总"), std::string::npos);
  auto bytes = RecordsToXlsx(r);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  EXPECT_EQ(bytes->substr(0, 2), "PK");
}

TEST_P(ExportTaxTest, JsonAndTotals) {
  PutOctober();
  Records r = October();
  std::vector<TotalRow> t = ComputeTotals(r);
  std::vector<std::string> got;
  for (const TotalRow& x : t) {
    got.push_back(x.key + " " + x.currency + " " + std::to_string(x.lines) + " " +
                  Amount(x.amount));
  }
  EXPECT_EQ(got, (std::vector<std::string>{"all 142 5 1429.56789", "all 502 1 10.00",
                                           "qualifying 142 2 1272.06789", "qualifying 502 1 10.00",
                                           "failed-1 142 1 20.00", "failed-2 142 1 37.50",
                                           "failed-3 142 1 100.00"}));
  std::string json = RecordsToJson(r);
  EXPECT_NE(json.find("\"amount\":\"1234.56789\""), std::string::npos);
  EXPECT_NE(json.find("{\"number\":2,\"passed\":false,\"reason\":\"申报海关2244"),
            std::string::npos);
}

TEST_P(ExportTaxTest, DeemedEitStandardAndSmallMicro) {
  PutOctober();
  // The year holds October's lines and those released on 30 September and 1 November.
  // Revenue: the qualifying CNY lines 3 × 37.50 + 1234.56789 = 1347.06789; taxable income
  // 1347.06789 × 4% = 53.8827156 → 53.88; EIT 25% = 13.47; small and micro 5% = 2.694 → 2.69.
  auto e = EstimateEit(*store_, EitRequest{kEbc, 2026, false});
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->lines, 8);
  EXPECT_EQ(e->qualifying_lines, 5);
  EXPECT_EQ(e->revenue.ToString(5), "1347.06789");
  EXPECT_EQ(e->taxable_income.ToString(2), "53.88");
  EXPECT_EQ(e->basis, "standard");
  EXPECT_EQ(e->tax.ToString(2), "13.47");
  ASSERT_EQ(e->not_converted.size(), 1u);
  EXPECT_EQ(e->not_converted.at("502").ToString(2), "10.00");
  std::string json = EitToJson(*e);
  EXPECT_NE(json.find("\"revenue\":\"1347.06789\",\"taxableIncomeRate\":\"0.04\","
                      "\"taxableIncome\":\"53.88\",\"basis\":\"standard\",\"rate\":\"0.25\","
                      "\"tax\":\"13.47\""),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"notConverted\":[{\"currency\":\"502\",\"amount\":\"10.00\"}]"),
            std::string::npos);

  auto s = EstimateEit(*store_, EitRequest{kEbc, 2026, true});
  ASSERT_TRUE(s.ok()) << s.status().ToString();
  EXPECT_EQ(s->basis, "small-micro");
  EXPECT_EQ(s->rate.ToShortString(), "0.05");
  EXPECT_EQ(s->tax.ToString(2), "2.69");
  EXPECT_NE(EitToJson(*s).find("2023年第12号"), std::string::npos);

  // Another year has nothing; before 2020 there is no deemed basis; 2022 has no
  // small-micro row (the standard rate, with the reason).
  auto empty = EstimateEit(*store_, EitRequest{kEbc, 2025, true});
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->tax.ToString(2), "0.00");
  auto old = EstimateEit(*store_, EitRequest{kEbc, 2019, false});
  EXPECT_EQ(old.status().code(), Code::kInvalidArgument);
  auto y2022 = EstimateEit(*store_, EitRequest{kEbc, 2022, true});
  ASSERT_TRUE(y2022.ok());
  EXPECT_EQ(y2022->basis, "standard");
  EXPECT_NE(y2022->note.find("no small and micro enterprise rule for 2022"), std::string::npos);
}

TEST_P(ExportTaxTest, OverTheSmallMicroLimitTheStandardRateApplies) {
  // 80,000,000.01 revenue → taxable income 3,200,000.0004 → 3,200,000.00 > 3,000,000.
  TLine big{"8471300000", "笔记本电脑", "001", "10000", "8000", "80000000.01", "142"};
  Put({"COP200", "23172026E000000200", kEbc, "2317", {big}}, At(2026, 3, 1));
  auto e = EstimateEit(*store_, EitRequest{kEbc, 2026, true});
  ASSERT_TRUE(e.ok()) << e.status().ToString();
  EXPECT_EQ(e->taxable_income.ToString(2), "3200000.00");
  EXPECT_EQ(e->basis, "standard");
  EXPECT_EQ(e->tax.ToString(2), "800000.00");
  EXPECT_NE(e->note.find("over the small and micro limit of 3000000.00"), std::string::npos)
      << e->note;
}

TEST_P(ExportTaxTest, RefusesBadRequests) {
  auto bad = [&](RecordsRequest r, const std::string& field) {
    Status st = CheckRecordsRequest(r);
    EXPECT_EQ(st.code(), Code::kInvalidArgument);
    EXPECT_NE(st.ToString().find(field), std::string::npos) << st.ToString();
  };
  bad({"", "2026-10-01", "2026-10-31"}, "ebcCode");
  bad({kEbc, "2026-1-01", "2026-10-31"}, "from");
  bad({kEbc, "2026-10-01", "2026-02-30"}, "to");
  bad({kEbc, "2026-10-31", "2026-10-01"}, "to");
  EXPECT_EQ(EstimateEit(*store_, EitRequest{"", 2026, false}).status().code(),
            Code::kInvalidArgument);
}

INSTANTIATE_TEST_SUITE_P(Engines, ExportTaxTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

TEST(BuiltInParameters, MatchTheDataFiles) {
  fs::path data = fs::path("data") / "tax";  // tests run from the source root
  EXPECT_EQ(ReadFile(data / "zone_customs.csv"), BuiltInZoneCustomsCsv());
  EXPECT_EQ(ReadFile(data / "no_exemption_hs.csv"), BuiltInNoExemptionHsCsv());
  EXPECT_EQ(ReadFile(data / "eit_deemed.csv"), BuiltInEitDeemedCsv());
  EXPECT_EQ(ReadFile(data / "eit_small_micro.csv"), BuiltInEitSmallMicroCsv());
}

TEST(BuiltInParameters, PrefixesAndEffectiveDates) {
  const Parameters& p = Parameters::BuiltIn();
  EXPECT_NE(p.ZoneCustoms("2317"), nullptr);
  EXPECT_EQ(p.ZoneCustoms("2244"), nullptr);
  EXPECT_EQ(p.ZoneCustoms(""), nullptr);
  ASSERT_NE(p.NoExemption("7604101000"), nullptr);
  EXPECT_EQ(p.NoExemption("7604101000")->prefix, "7604");
  EXPECT_EQ(p.NoExemption("6109100000"), nullptr);
  EXPECT_EQ(p.DeemedOn("2019-12-31"), nullptr);
  ASSERT_NE(p.DeemedOn("2020-01-01"), nullptr);
  EXPECT_EQ(p.DeemedOn("2026-12-31")->taxable_income_rate.ToShortString(), "0.04");
  EXPECT_EQ(p.SmallMicroOn("2022-12-31"), nullptr);
  ASSERT_NE(p.SmallMicroOn("2027-12-31"), nullptr);
  EXPECT_EQ(p.SmallMicroOn("2028-01-01"), nullptr);
  auto bad = Parameters::FromCsv("code_prefix,name,note\n23,a\n",
                                 "hs_prefix,description,document\n", "a,b,c,d,e\n", "a,b,c,d,e\n");
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace shumao::exporttax

#include "common/code_tables.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

namespace shumao {
namespace {

class CodeTablesTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    auto t = CodeTables::LoadEmbedded();
    ASSERT_TRUE(t.ok()) << t.status().ToString();
    tables_ = new std::shared_ptr<const CodeTables>(*t);
  }
  static void TearDownTestSuite() {
    delete tables_;
    tables_ = nullptr;
  }
  const CodeTables& T() const { return **tables_; }

  static std::shared_ptr<const CodeTables>* tables_;
};
std::shared_ptr<const CodeTables>* CodeTablesTest::tables_ = nullptr;

// Data rows (non-empty lines after the header) of an embedded file.
size_t DataRows(std::string_view file) {
  std::string_view data = EmbeddedFile(file);
  size_t rows = 0, start = 0;
  while (start < data.size()) {
    size_t end = data.find('\n', start);
    if (end == std::string_view::npos) end = data.size();
    if (end > start && !(end == start + 1 && data[start] == '\r')) ++rows;
    start = end + 1;
  }
  return rows == 0 ? 0 : rows - 1;
}

TEST(EmbeddedFile, KnownAndUnknown) {
  EXPECT_EQ(EmbeddedFile("countries.csv").substr(0, 12), "customs_code");
  EXPECT_EQ(EmbeddedFile("hs_codes.csv").substr(0, 7), "hs_code");
  EXPECT_TRUE(EmbeddedFile("nope.csv").empty());
  EXPECT_TRUE(EmbeddedFile("").empty());
}

TEST(SplitCsvLine, Rfc4180Quoting) {
  EXPECT_EQ(SplitCsvLine("a,b,c"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(SplitCsvLine("a,\"b,c\",\"d\"\"e\","),
            (std::vector<std::string>{"a", "b,c", "d\"e", ""}));
  EXPECT_EQ(SplitCsvLine(""), (std::vector<std::string>{""}));
  EXPECT_EQ(SplitCsvLine(",,"), (std::vector<std::string>{"", "", ""}));
  EXPECT_EQ(SplitCsvLine("中,\"文,字\""), (std::vector<std::string>{"中", "文,字"}));
}

TEST(CodeTableName, Names) {
  EXPECT_EQ(CodeTableName(CodeTable::kCountry), "country");
  EXPECT_EQ(CodeTableName(CodeTable::kCurrency), "currency");
  EXPECT_EQ(CodeTableName(CodeTable::kUnit), "unit");
  EXPECT_EQ(CodeTableName(CodeTable::kCustomsDistrict), "customs district");
  EXPECT_EQ(CodeTableName(CodeTable::kTransportMode), "transport mode");
  EXPECT_EQ(CodeTableName(CodeTable::kTradeMode), "trade mode");
  EXPECT_EQ(CodeTableName(CodeTable::kHsCode), "HS code");
}

TEST_F(CodeTablesTest, EveryRowIsLoaded) {
  EXPECT_EQ(T().Size(CodeTable::kCountry), DataRows("countries.csv"));
  EXPECT_EQ(T().Size(CodeTable::kCurrency), DataRows("currencies.csv"));
  EXPECT_EQ(T().Size(CodeTable::kUnit), DataRows("units.csv"));
  EXPECT_EQ(T().Size(CodeTable::kCustomsDistrict), DataRows("customs_districts.csv"));
  EXPECT_EQ(T().Size(CodeTable::kTransportMode), DataRows("transport_modes.csv"));
  EXPECT_EQ(T().Size(CodeTable::kTradeMode), DataRows("trade_modes.csv"));
  EXPECT_EQ(T().Size(CodeTable::kHsCode), DataRows("hs_codes.csv"));
  // Floors from data/SOURCES.md, so that an empty embedding cannot pass.
  EXPECT_GE(T().Size(CodeTable::kCountry), 245u);
  EXPECT_GE(T().Size(CodeTable::kCustomsDistrict), 1085u);
  EXPECT_GE(T().Size(CodeTable::kHsCode), 11929u);
}

TEST_F(CodeTablesTest, Countries) {
  for (const char* c : {"142", "502", "116", "133", "304", "110"}) {
    EXPECT_TRUE(T().Contains(CodeTable::kCountry, c)) << c;
  }
  EXPECT_EQ(T().Name(CodeTable::kCountry, "142"), "中国");
  EXPECT_EQ(T().Name(CodeTable::kCountry, "502"), "美国");
  EXPECT_EQ(T().Name(CodeTable::kCountry, "116"), "日本");
  for (const char* c : {"CN", "CHN", "", "14", "1420", "000", "ZZZ"}) {
    EXPECT_FALSE(T().Contains(CodeTable::kCountry, c)) << c;
  }
  EXPECT_EQ(T().Name(CodeTable::kCountry, "CN"), std::nullopt);
}

TEST_F(CodeTablesTest, Currencies) {
  EXPECT_TRUE(T().Contains(CodeTable::kCurrency, "142"));
  EXPECT_TRUE(T().Contains(CodeTable::kCurrency, "502"));
  EXPECT_EQ(T().Name(CodeTable::kCurrency, "142"), "人民币");
  EXPECT_EQ(T().Name(CodeTable::kCurrency, "502"), "美元");
  EXPECT_FALSE(T().Contains(CodeTable::kCurrency, "CNY"));
  EXPECT_FALSE(T().Contains(CodeTable::kCurrency, "999"));
}

TEST_F(CodeTablesTest, Units) {
  EXPECT_EQ(T().Name(CodeTable::kUnit, "007"), "个");
  EXPECT_EQ(T().Name(CodeTable::kUnit, "011"), "件");
  EXPECT_EQ(T().Name(CodeTable::kUnit, "035"), "千克");
  EXPECT_EQ(T().Name(CodeTable::kUnit, "095"), "升");
  EXPECT_TRUE(T().Contains(CodeTable::kUnit, "007"));
  EXPECT_FALSE(T().Contains(CodeTable::kUnit, "7"));
  EXPECT_FALSE(T().Contains(CodeTable::kUnit, "999"));
}

TEST_F(CodeTablesTest, CustomsDistrictsListed) {
  EXPECT_TRUE(T().Contains(CodeTable::kCustomsDistrict, "2300"));
  EXPECT_EQ(T().Name(CodeTable::kCustomsDistrict, "2300"), "南京海关");
  EXPECT_TRUE(T().Contains(CodeTable::kCustomsDistrict, "2315"));
  EXPECT_TRUE(T().Contains(CodeTable::kCustomsDistrict, "A100"));
}

TEST_F(CodeTablesTest, CustomsDistrictsLenientRule) {
  // 8030 is not listed, but its customs 8000 (重庆关区) is: an office opened after 2019.
  ASSERT_EQ(T().Name(CodeTable::kCustomsDistrict, "8030"), std::nullopt);
  EXPECT_TRUE(T().Contains(CodeTable::kCustomsDistrict, "8030"));
  EXPECT_TRUE(T().Contains(CodeTable::kCustomsDistrict, "2399"));
  // Nothing under ZZ00.
  EXPECT_FALSE(T().Contains(CodeTable::kCustomsDistrict, "ZZ99"));
  // The rule is for 4-character office codes only.
  EXPECT_FALSE(T().Contains(CodeTable::kCustomsDistrict, "803"));
  EXPECT_FALSE(T().Contains(CodeTable::kCustomsDistrict, "80300"));
  EXPECT_FALSE(T().Contains(CodeTable::kCustomsDistrict, "80"));
  EXPECT_FALSE(T().Contains(CodeTable::kCustomsDistrict, ""));
  // Office numbers are digits; a listed customs does not make junk after it valid.
  EXPECT_FALSE(T().Contains(CodeTable::kCustomsDistrict, "80ZZ"));
  EXPECT_FALSE(T().Contains(CodeTable::kCustomsDistrict, "80 1"));
}

TEST_F(CodeTablesTest, TradeModes) {
  for (const char* c : {"9610", "1210", "9710", "9810", "0110", "1239"}) {
    EXPECT_TRUE(T().Contains(CodeTable::kTradeMode, c)) << c;
  }
  EXPECT_EQ(T().Name(CodeTable::kTradeMode, "9610"), "跨境贸易电子商务");
  EXPECT_FALSE(T().Contains(CodeTable::kTradeMode, "9999"));
  EXPECT_FALSE(T().Contains(CodeTable::kTradeMode, "961"));
  // No lenient rule outside customs districts.
  EXPECT_FALSE(T().Contains(CodeTable::kTradeMode, "9611"));
}

TEST_F(CodeTablesTest, TransportModes) {
  EXPECT_TRUE(T().Contains(CodeTable::kTransportMode, "W"));
  EXPECT_EQ(T().Name(CodeTable::kTransportMode, "W"), "物流中心");
  EXPECT_TRUE(T().Contains(CodeTable::kTransportMode, "5"));
  EXPECT_EQ(T().Name(CodeTable::kTransportMode, "5"), "航空运输");
  EXPECT_TRUE(T().Contains(CodeTable::kTransportMode, "A"));
  EXPECT_FALSE(T().Contains(CodeTable::kTransportMode, "w"));
  EXPECT_FALSE(T().Contains(CodeTable::kTransportMode, "Q"));
  EXPECT_FALSE(T().Contains(CodeTable::kTransportMode, "55"));
}

TEST_F(CodeTablesTest, HsCodeListed) {
  const HsCode* h = T().FindHs("8541401000");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->code, "8541401000");
  EXPECT_EQ(h->name, "发光二极管");
  EXPECT_EQ(h->unit1, "007");
  EXPECT_EQ(h->unit2, "035");
  EXPECT_TRUE(T().Contains(CodeTable::kHsCode, "8541401000"));
  EXPECT_EQ(T().Name(CodeTable::kHsCode, "8541401000"), "发光二极管");

  // Second unit may be empty; a quoted name keeps its comma.
  h = T().FindHs("8007002000");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->unit1, "035");
  EXPECT_EQ(h->unit2, "");
  EXPECT_EQ(h->name, "锡板、片及带,厚度超过0.2毫米");

  // Every listed legal unit is a known unit.
  int checked = 0;
  for (const char* code : {"0101210010", "8541401000", "3304100011", "8007002000"}) {
    const HsCode* x = T().FindHs(code);
    if (!x) continue;
    ++checked;
    EXPECT_TRUE(T().Contains(CodeTable::kUnit, x->unit1)) << code;
    if (!x->unit2.empty()) {
      EXPECT_TRUE(T().Contains(CodeTable::kUnit, x->unit2)) << code;
    }
  }
  EXPECT_GE(checked, 3);
}

TEST_F(CodeTablesTest, HsCodeLenientRule) {
  // Not listed, ten digits, chapter 85 is listed: accepted but has no entry.
  ASSERT_EQ(T().FindHs("8541401099"), nullptr);
  EXPECT_TRUE(T().Contains(CodeTable::kHsCode, "8541401099"));
  EXPECT_EQ(T().Name(CodeTable::kHsCode, "8541401099"), std::nullopt);
  // Chapter 77 is reserved in the HS and not listed.
  EXPECT_FALSE(T().Contains(CodeTable::kHsCode, "7700000000"));
  EXPECT_FALSE(T().Contains(CodeTable::kHsCode, "0000000000"));
  // Wrong length or not digits.
  EXPECT_FALSE(T().Contains(CodeTable::kHsCode, "854140100"));
  EXPECT_FALSE(T().Contains(CodeTable::kHsCode, "85414010000"));
  EXPECT_FALSE(T().Contains(CodeTable::kHsCode, "85414010AB"));
  EXPECT_FALSE(T().Contains(CodeTable::kHsCode, "854140100 "));
  EXPECT_FALSE(T().Contains(CodeTable::kHsCode, "8541.40.10"));
  EXPECT_FALSE(T().Contains(CodeTable::kHsCode, ""));
}

}  // namespace
}  // namespace shumao

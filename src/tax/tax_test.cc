#include "tax/tax.h"

#include <gtest/gtest.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace shumao::tax {
namespace {

// Tests run with the project root as the working directory (shumao_module).
std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Decimal D(std::string_view text) { return Decimal::Parse(text).value(); }
Timestamp Day(std::string_view text) { return ParseDate(text).value(); }

Line MakeLine(std::string gcode, std::string unit, std::string_view qty, std::string_view price) {
  Line l;
  l.gcode = std::move(gcode);
  l.item_name = "test";
  l.unit = std::move(unit);
  l.qty = D(qty);
  l.price = D(price);
  return l;
}

QuoteRequest Request(std::string_view date, std::vector<Line> lines) {
  QuoteRequest r;
  r.date = Day(date);
  r.trade_mode = "1210";
  r.lines = std::move(lines);
  return r;
}

TEST(BuiltInTables, MatchDataFiles) {
  for (const char* name :
       {"policy.csv", "vat_periods.csv", "vat_reduced.csv", "consumption_tax.csv"}) {
    std::string file = ReadFile(std::filesystem::path("data/tax") / name);
    ASSERT_FALSE(file.empty()) << name;
    EXPECT_EQ(BuiltInFile(name), file)
        << "src/tax/builtin_tables.cc differs from data/tax/" << name;
  }
  EXPECT_TRUE(BuiltInFile("nope.csv").empty());
}

TEST(BuiltInTables, ParseFromFilesEqualsBuiltIn) {
  auto t = TariffTable::Parse(ReadFile("data/tax/policy.csv"), ReadFile("data/tax/vat_periods.csv"),
                              ReadFile("data/tax/vat_reduced.csv"),
                              ReadFile("data/tax/consumption_tax.csv"));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  const TariffTable& b = TariffTable::BuiltIn();
  EXPECT_EQ(t->policies().size(), b.policies().size());
  EXPECT_EQ(t->vat_periods().size(), b.vat_periods().size());
  EXPECT_EQ(t->reduced().size(), b.reduced().size());
  EXPECT_EQ(t->consumption().size(), b.consumption().size());
}

TEST(TariffTable, ParseErrorsNameFileAndLine) {
  auto t = TariffTable::Parse("h\n2019-01-01,5000\n", BuiltInFile("vat_periods.csv"),
                              BuiltInFile("vat_reduced.csv"), BuiltInFile("consumption_tax.csv"));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().field(), "policy.csv:2");
}

TEST(Policy, EffectiveDated) {
  const TariffTable& t = TariffTable::BuiltIn();
  EXPECT_EQ(t.PolicyAt(Day("2015-01-01")).single_limit, D("2000"));  // before: first row
  EXPECT_EQ(t.PolicyAt(Day("2016-04-08")).annual_limit, D("20000"));
  EXPECT_EQ(t.PolicyAt(Day("2018-12-31")).single_limit, D("2000"));
  EXPECT_EQ(t.PolicyAt(Day("2019-01-01")).single_limit, D("5000"));
  EXPECT_EQ(t.PolicyAt(Day("2026-11-29")).annual_limit, D("26000"));
  EXPECT_EQ(t.PolicyAt(Day("2026-11-29")).factor, D("0.7"));
  EXPECT_EQ(t.PolicyAt(Day("2026-11-29")).indivisible_item, IndivisibleItemRule::kRetailFull);
  EXPECT_EQ(t.PolicyAt(Day("2017-01-01")).indivisible_item, IndivisibleItemRule::kGeneralTrade);
}

TEST(TariffTable, VatRateByPeriodAndHeading) {
  const TariffTable& t = TariffTable::BuiltIn();
  EXPECT_EQ(t.VatRate("3304990029", Day("2019-04-01")), D("0.13"));
  EXPECT_EQ(t.VatRate("3304990029", Day("2019-03-31")), D("0.16"));
  EXPECT_EQ(t.VatRate("3304990029", Day("2018-04-30")), D("0.17"));
  EXPECT_EQ(t.VatRate("0805100000", Day("2020-01-01")), D("0.09"));  // oranges
  EXPECT_EQ(t.VatRate("0805100000", Day("2018-06-01")), D("0.10"));
  EXPECT_EQ(t.VatRate("0805100000", Day("2017-08-01")), D("0.11"));
  EXPECT_EQ(t.VatRate("0805100000", Day("2017-06-30")), D("0.13"));
  EXPECT_EQ(t.VatRate("1509100000", Day("2020-01-01")), D("0.09"));  // olive oil
  EXPECT_EQ(t.VatRate("4901990000", Day("2020-01-01")), D("0.09"));  // books
  EXPECT_EQ(t.VatRate("1901101000", Day("2020-01-01")), D("0.13"));  // infant formula
  EXPECT_EQ(t.VatRate("2106909090", Day("2020-01-01")), D("0.13"));  // supplements
  EXPECT_EQ(t.VatRate("1518000000", Day("2020-01-01")), D("0.13"));  // just past 1517
}

TEST(TariffTable, ConsumptionThresholds) {
  const TariffTable& t = TariffTable::BuiltIn();
  const Timestamp now = Day("2026-01-01");
  EXPECT_EQ(t.Consumption("3304990029", "096", D("10"), now).rate, D("0.15"));
  EXPECT_EQ(t.Consumption("3304990029", "096", D("9.99999"), now).rate, Decimal());
  EXPECT_EQ(t.Consumption("3304990029", "095", D("10000"), now).rate, D("0.15"));  // per litre
  EXPECT_EQ(t.Consumption("3304990029", "095", D("9999.99"), now).rate, Decimal());
  EXPECT_EQ(t.Consumption("3304990029", "011", D("15"), now).rate, D("0.15"));
  EXPECT_EQ(t.Consumption("3304990029", "011", D("14.99"), now).rate, Decimal());
  EXPECT_FALSE(t.Consumption("3304990029", "142", D("100"), now).undetermined.empty());
  EXPECT_EQ(t.Consumption("3304990029", "011", D("1"), Day("2016-09-30")).rate, D("0.30"));
  EXPECT_EQ(t.Consumption("9102110000", "008", D("10000"), now).rate, D("0.20"));
  EXPECT_EQ(t.Consumption("9102110000", "008", D("9999.99"), now).rate, Decimal());
  EXPECT_EQ(t.Consumption("2204210000", "095", D("100"), now).rate, D("0.10"));
  EXPECT_EQ(t.Consumption("9506320000", "007", D("100"), now).rate, D("0.10"));
  EXPECT_EQ(t.Consumption("9506400000", "007", D("100"), now).rate, Decimal());
  EXPECT_EQ(t.Consumption("8507600000", "011", D("100"), now).rate, D("0.04"));
  EXPECT_TRUE(t.Consumption("2208300000", "095", D("100"), now).specific);
  EXPECT_EQ(t.Consumption("1901101000", "035", D("100"), now).rate, Decimal());
}

TEST(ComputeQuote, WorkedExampleFromTheNotes) {
  QuoteRequest r = Request("2026-11-29", {MakeLine("3304990029", "011", "1", "425")});
  auto q = ComputeQuote(r, TariffTable::BuiltIn());
  ASSERT_TRUE(q.ok()) << q.status().ToString();
  EXPECT_EQ(q->regime, "retail");
  EXPECT_EQ(q->consumption_tax, D("52.50"));
  EXPECT_EQ(q->value_added_tax, D("45.50"));
  EXPECT_EQ(q->customs_tax, D("0"));
  EXPECT_EQ(q->tax_total, D("98.00"));
  EXPECT_EQ(q->policy_version, "财关税〔2018〕49号");
}

TEST(ComputeQuote, RejectsMalformedRequests) {
  const TariffTable& t = TariffTable::BuiltIn();
  QuoteRequest r = Request("2026-11-29", {});
  EXPECT_EQ(ComputeQuote(r, t).status().field(), "items");
  r.lines.push_back(MakeLine("3304990029", "011", "0", "425"));
  EXPECT_EQ(ComputeQuote(r, t).status().field(), "items[0].qty");
  r.lines[0].qty = D("1");
  r.lines[0].consumption = D("1");
  EXPECT_EQ(ComputeQuote(r, t).status().field(), "items[0].rates.consumption");
  r.lines[0].consumption.reset();
  r.trade_mode = "0110";
  EXPECT_EQ(ComputeQuote(r, t).status().field(), "tradeMode");
  r.trade_mode = "9610";
  r.freight = D("-1");
  EXPECT_EQ(ComputeQuote(r, t).status().field(), "freight");
}

TEST(ComputeQuote, AllocationAddsUpToTheFees) {
  QuoteRequest r = Request("2026-11-29", {MakeLine("1901101000", "035", "1", "100"),
                                          MakeLine("1901101000", "035", "1", "100"),
                                          MakeLine("1901101000", "035", "1", "100")});
  r.freight = D("10.00");
  auto q = ComputeQuote(r, TariffTable::BuiltIn());
  ASSERT_TRUE(q.ok());
  ASSERT_EQ(q->lines.size(), 3u);
  // 3.33 each for the later lines, the first (largest of equals) takes 3.34.
  EXPECT_EQ(q->lines[0].dutiable_value, D("103.34"));
  EXPECT_EQ(q->lines[1].dutiable_value, D("103.33"));
  EXPECT_EQ(q->lines[2].dutiable_value, D("103.33"));
  EXPECT_EQ(q->dutiable_value, D("310.00"));
}

// --- Data-driven cases: tests/cases/tax/*.json ---------------------------------------

// An amount given as a JSON string or integer; doubles are refused.
Decimal Amount(const rapidjson::Value& v, const std::string& what) {
  if (v.IsString()) {
    auto d = Decimal::Parse(v.GetString());
    EXPECT_TRUE(d.ok()) << what << ": " << v.GetString();
    return d.ok() ? *d : Decimal();
  }
  if (v.IsInt64()) return Decimal::FromInt(v.GetInt64());
  ADD_FAILURE() << what << ": amounts must be strings or integers";
  return Decimal();
}

std::optional<Decimal> OptionalAmount(const rapidjson::Value& obj, const char* key,
                                      const std::string& what) {
  if (!obj.IsObject() || !obj.HasMember(key)) return std::nullopt;
  return Amount(obj[key], what + "." + key);
}

std::string Str(const rapidjson::Value& obj, const char* key) {
  return obj.HasMember(key) && obj[key].IsString() ? obj[key].GetString() : "";
}

QuoteRequest ParseRequest(const rapidjson::Value& j, const std::string& name) {
  QuoteRequest r;
  r.date = Day(Str(j, "date"));
  r.trade_mode = Str(j, "tradeMode");
  r.freight = OptionalAmount(j, "freight", name).value_or(Decimal());
  r.insured_fee = OptionalAmount(j, "insuredFee", name).value_or(Decimal());
  for (const auto& item : j["items"].GetArray()) {
    Line l;
    l.gcode = Str(item, "gcode");
    l.item_name = Str(item, "itemName");
    l.unit = Str(item, "unit");
    l.qty = Amount(item["qty"], name + ".qty");
    l.price = Amount(item["price"], name + ".price");
    if (item.HasMember("rates")) {
      const auto& rates = item["rates"];
      l.duty = OptionalAmount(rates, "duty", name);
      l.vat = OptionalAmount(rates, "vat", name);
      l.consumption = OptionalAmount(rates, "consumption", name);
    }
    r.lines.push_back(std::move(l));
  }
  return r;
}

std::vector<std::filesystem::path> CaseFiles() {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator("tests/cases/tax")) {
    if (e.path().extension() == ".json") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

TEST(Cases, AtLeastThirty) { EXPECT_GE(CaseFiles().size(), 30u); }

TEST(Cases, AllFilesMatch) {
  for (const auto& path : CaseFiles()) {
    const std::string name = path.filename().string();
    SCOPED_TRACE(name);
    rapidjson::Document doc;
    std::string text = ReadFile(path);
    doc.Parse(text.c_str());
    ASSERT_FALSE(doc.HasParseError()) << "bad JSON";
    ASSERT_TRUE(doc.HasMember("why") && doc["why"].IsString() && doc["why"].GetStringLength() > 0)
        << "a case says why it matters";
    ASSERT_TRUE(doc.HasMember("request") && doc.HasMember("expect"));
    QuoteRequest r = ParseRequest(doc["request"], name);
    r.annual_used_before = OptionalAmount(doc, "annualUsedBefore", name);
    auto q = ComputeQuote(r, TariffTable::BuiltIn());
    ASSERT_TRUE(q.ok()) << q.status().ToString();
    const auto& e = doc["expect"];
    EXPECT_EQ(q->regime, Str(e, "regime"));
    auto check = [&](const char* key, Decimal got) {
      if (auto want = OptionalAmount(e, key, name)) {
        EXPECT_EQ(got.ToString(), want->ToString()) << key;
      }
    };
    check("taxTotal", q->tax_total);
    check("valueAddedTax", q->value_added_tax);
    check("consumptionTax", q->consumption_tax);
    check("customsTax", q->customs_tax);
    check("dutiableValue", q->dutiable_value);
    check("annualUsedAfter", q->annual_used_after);
    if (e.HasMember("lines")) {
      const auto& lines = e["lines"].GetArray();
      ASSERT_EQ(lines.Size(), q->lines.size());
      for (rapidjson::SizeType i = 0; i < lines.Size(); ++i) {
        SCOPED_TRACE("line " + std::to_string(i + 1));
        const LineTax& got = q->lines[i];
        auto line_check = [&](const char* key, Decimal g) {
          if (auto want = OptionalAmount(lines[i], key, name)) {
            EXPECT_EQ(g.ToString(), want->ToString()) << key;
          }
        };
        line_check("dutiableValue", got.dutiable_value);
        line_check("customsTax", got.customs_tax);
        line_check("valueAddedTax", got.value_added_tax);
        line_check("consumptionTax", got.consumption_tax);
      }
    }
    if (e.HasMember("reasonContains")) {
      std::string want = Str(e, "reasonContains");
      bool found = std::any_of(q->reasons.begin(), q->reasons.end(),
                               [&](const std::string& s) { return s.find(want) != s.npos; });
      EXPECT_TRUE(found) << "no reason contains: " << want;
    }
  }
}

}  // namespace
}  // namespace shumao::tax

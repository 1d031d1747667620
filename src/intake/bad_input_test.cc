// The bad-input table: every kind of bad message is refused with the right HTTP status
// and the field named, nothing is stored, and intake keeps working afterwards.
#include <gtest/gtest.h>

#include "../../tests/support/shared_dir.h"
#include "ceb/codec.h"
#include "intake/test_env.h"

namespace shumao::intake {
namespace {

using shumao::testing::ReadFile;
using shumao::testing::SharedDir;

std::string Order() { return ReadFile(SharedDir() + "/ceb/samples/import/CEB311Message.xml"); }

std::string Replace(std::string s, const std::string& from, const std::string& to) {
  size_t p = s.find(from);
  EXPECT_NE(p, std::string::npos) << from;
  if (p != std::string::npos) s.replace(p, from.size(), to);
  return s;
}

// Replaces the text of the first <ceb:NAME> element.
std::string SetField(const std::string& s, const std::string& name, const std::string& value) {
  size_t a = s.find("<ceb:" + name + ">");
  size_t b = s.find("</ceb:" + name + ">", a);
  std::string out = s;
  out.replace(a + name.size() + 6, b - a - name.size() - 6, value);
  return out;
}

std::string DropField(const std::string& s, const std::string& name) {
  size_t a = s.find("<ceb:" + name + ">");
  size_t b = s.find("</ceb:" + name + ">", a);
  std::string out = s;
  out.erase(a, b + name.size() + 7 - a);
  return out;
}

std::string ManyOrders(int n) {
  std::string s = Order();
  size_t a = s.find("<ceb:Order>");
  size_t b = s.find("</ceb:Order>") + 12;
  std::string one = s.substr(a, b - a);
  std::string many;
  for (int i = 0; i < n; ++i) many += one;
  s.replace(a, b - a, many);
  return s;
}

std::string Json() {
  auto m = ceb::DecodeXml(Order());
  return ceb::EncodeJson(*m);
}

struct Case {
  const char* name;
  std::string body;
  ceb::Format format;
  int status;
  const char* field;    // substring expected in the field (or "" for none required)
  const char* message;  // substring expected in the message
};

std::vector<Case> Cases() {
  std::string order = Order();
  std::string nested = "<x>";
  for (int i = 0; i < 5000; ++i) nested += "<a>";
  for (int i = 0; i < 5000; ++i) nested += "</a>";
  nested += "</x>";
  return {
      {"malformed", Replace(order, "</ceb:orderNo>", "</ceb:orderNoX>"), ceb::Format::kXml, 400, "",
       "malformed XML"},
      {"truncated", order.substr(0, order.size() / 2), ceb::Format::kXml, 400, "", "malformed XML"},
      {"wrong_namespace",
       Replace(order, "http://www.chinaport.gov.cn/ceb", "http://example.com/ceb"),
       ceb::Format::kXml, 400, "CEB311Message", "namespace"},
      {"unknown_root",
       Replace(Replace(order, "ceb:CEB311Message", "ceb:CEB399Message"), "ceb:CEB311Message",
               "ceb:CEB399Message"),
       ceb::Format::kXml, 400, "CEB399Message", "unknown root"},
      {"receipt_as_declaration", ReadFile(SharedDir() + "/ceb/samples/import/CEB312Message.xml"),
       ceb::Format::kXml, 400, "CEB312Message", "not a declaration"},
      {"dtd",
       "<?xml version=\"1.0\"?><!DOCTYPE x [<!ELEMENT x ANY>]>" +
           order.substr(order.find("<ceb:CEB311")),
       ceb::Format::kXml, 400, "", "DTD"},
      {"billion_laughs",
       "<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 "
       "\"&lol;&lol;&lol;&lol;\">]><lolz>&lol2;</lolz>",
       ceb::Format::kXml, 400, "", "DTD"},
      {"external_entity",
       "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY xxe SYSTEM "
       "\"file:///etc/passwd\">]><x>&xxe;</x>",
       ceb::Format::kXml, 400, "", "DTD"},
      {"undeclared_entity", SetField(order, "note", "&xxe;"), ceb::Format::kXml, 400, "", "entity"},
      {"deep_nesting", SetField(order, "note", nested), ceb::Format::kXml, 400, "",
       "must not contain elements"},
      {"too_many_entities", ManyOrders(101), ceb::Format::kXml, 413, "Order", "more than 100"},
      {"body_over_limit", order + std::string(11 * 1024 * 1024, ' '), ceb::Format::kXml, 413, "",
       "larger than"},
      {"invalid_utf8", SetField(order, "note", "\xc3\x28\xff"), ceb::Format::kXml, 400, "",
       "UTF-8"},
      {"overlong_field", SetField(order, "orderNo", std::string(61, 'N')), ceb::Format::kXml, 400,
       "Order[1].OrderHead.orderNo", "at most 60"},
      {"missing_required", DropField(order, "buyerName"), ceb::Format::kXml, 400,
       "Order[1].OrderHead.buyerName", "missing"},
      {"malformed_amount", SetField(order, "goodsValue", "12.3.4"), ceb::Format::kXml, 400,
       "Order[1].OrderHead.goodsValue", "amount"},
      {"too_many_decimals", SetField(order, "freight", "1.123456"), ceb::Format::kXml, 400,
       "Order[1].OrderHead.freight", "decimals"},
      {"negative_amount", SetField(order, "discount", "-5"), ceb::Format::kXml, 400,
       "Order[1].OrderHead.discount", "negative"},
      {"unknown_country", SetField(order, "country", "998"), ceb::Format::kXml, 400,
       "OrderList[1].country", "unknown country"},
      {"unknown_unit", SetField(order, "unit", "aaa"), ceb::Format::kXml, 400, "OrderList[1].unit",
       "unknown unit"},
      {"bad_enum", SetField(order, "appType", "7"), ceb::Format::kXml, 400,
       "Order[1].OrderHead.appType", "expected one of"},
      {"bad_time", SetField(order, "appTime", "20261340120000"), ceb::Format::kXml, 400,
       "Order[1].OrderHead.appTime", "valid date"},
      {"unknown_element", Replace(order, "<ceb:note>", "<ceb:remark>x</ceb:remark><ceb:note>"),
       ceb::Format::kXml, 400, "remark", "unknown element"},
      {"malformed_json", "{\"CEB311Message\": {\"guid\": ", ceb::Format::kJson, 400, "",
       "malformed JSON"},
      {"json_unknown_field", Replace(Json(), "\"orderNo\"", "\"orderNumber\":\"1\",\"orderNo\""),
       ceb::Format::kJson, 400, "orderNumber", "unknown field"},
      {"json_missing_required", Replace(Json(), "\"buyerName\"", "\"buyerNameX\""),
       ceb::Format::kJson, 400, "buyerName", ""},
      {"json_invalid_utf8", Replace(Json(), "\"orderNo\":\"", "\"orderNo\":\"\xff"),
       ceb::Format::kJson, 400, "", "UTF-8"},
      {"json_wrong_type", Replace(Json(), "\"OrderHead\":{", "\"OrderHead\":{\"x\":1,"),
       ceb::Format::kJson, 400, "x", ""},
  };
}

class BadInputTest : public ::testing::TestWithParam<std::string> {};

TEST_P(BadInputTest, EachIsRefusedWithTheFieldNamedAndNothingStored) {
  IntakeEnv env(GetParam());
  ASSERT_TRUE(env.Open());
  env.Register("OPERATOR01", {"operator"});
  for (const Case& c : Cases()) {
    SCOPED_TRACE(c.name);
    Submission s;
    s.body = c.body;
    s.format = c.format;
    s.principal = Operator();
    IntakeResult r = env.intake->Submit(std::move(s));
    EXPECT_EQ(r.http_status, c.status) << r.body.substr(0, 500);
    EXPECT_NE(r.error.field().find(c.field), std::string::npos)
        << "field '" << r.error.field() << "' should name " << c.field;
    EXPECT_NE(r.error.message().find(c.message), std::string::npos) << r.error.message();
    if (c.format == ceb::Format::kXml) {
      // XML senders get a CEB900 naming the field.
      EXPECT_NE(r.body.find("CEB900Message"), std::string::npos);
      if (*c.field) {
        EXPECT_NE(r.body.find(c.field), std::string::npos);
      }
    } else {
      EXPECT_NE(r.body.find("\"error\""), std::string::npos) << r.body;
    }
  }
  EXPECT_EQ(*env.store->CountMessages(), 0);
  EXPECT_EQ(*env.store->CountDocuments(), 0);
  EXPECT_EQ(*env.store->CountReceipts(), 0);
  // Still up: a good message after all that is taken (the parties are not registered,
  // so the answer is the enterprise code, which proves it was processed).
  Submission s;
  s.body = Order();
  s.principal = Operator();
  IntakeResult r = env.intake->Submit(std::move(s));
  EXPECT_EQ(r.http_status, 200);
}

INSTANTIATE_TEST_SUITE_P(Engines, BadInputTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace shumao::intake

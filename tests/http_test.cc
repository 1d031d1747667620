// The HTTP API against a real server on 127.0.0.1, on both engines: authentication,
// content types, size limits, sender scoping, receipts feed, documents with masking.
#include <gtest/gtest.h>
#include <httplib.h>
#include <rapidjson/document.h>

#include <thread>

#include "ceb/codec.h"
#include "http/server.h"
#include "intake/test_env.h"
#include "support/shared_dir.h"

namespace shumao {
namespace {

using intake::IntakeEnv;
using shumao::testing::ReadFile;
using shumao::testing::SharedDir;

class HttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    env_ = std::make_unique<IntakeEnv>(GetParam());
    ASSERT_TRUE(env_->Open());
    http::ServerOptions o;
    o.port = 0;
    o.max_body_bytes = 1024 * 1024;
    o.threads = 4;
    auto s = http::Server::Create(env_->store.get(), env_->intake.get(), env_->vault, o);
    ASSERT_TRUE(s.ok());
    server_ = std::move(*s);
    thread_ = std::thread([this] { (void)server_->Run(); });
    ASSERT_TRUE(server_->WaitUntilReady(5000));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    // The parties of the order sample, and tokens.
    auto m = ceb::DecodeXml(Order());
    head_ = m->Entities()[0]->Child("OrderHead");
    ebp_ = std::string(head_->Get("ebpCode"));
    buyer_id_ = std::string(head_->Get("buyerIdNumber"));
    order_no_ = std::string(head_->Get("orderNo"));
    decoded_ = std::move(*m);
    head_ = decoded_.Entities()[0]->Child("OrderHead");
    operator_ = Token("OPERATOR01", {"operator"});
    platform_ = Token(ebp_, {"ebp", "ebc", "payment"});
    other_ = Token("OTHER00001", {"ebc"});
  }
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
  }

  static std::string Order() {
    return ReadFile(SharedDir() + "/ceb/samples/import/CEB311Message.xml");
  }

  std::string Token(const std::string& code, std::vector<std::string> roles) {
    env_->Register(code, roles);
    std::string token = RandomToken();
    EXPECT_TRUE(
        env_->store
            ->PutToken(Sha256Hex(token),
                       registry::Principal{registry::Principal::Kind::kEnterprise, code, ""})
            .ok());
    return token;
  }

  httplib::Result Post(const std::string& token, const std::string& body, const char* type) {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return client_->Post("/api/v1/messages", h, body, type);
  }
  httplib::Result Get(const std::string& token, const std::string& path) {
    return client_->Get(path.c_str(), {{"Authorization", "Bearer " + token}});
  }

  std::unique_ptr<IntakeEnv> env_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  ceb::Message decoded_;
  const ceb::Node* head_ = nullptr;
  std::string ebp_, buyer_id_, order_no_, operator_, platform_, other_;
};

TEST_P(HttpTest, AuthenticationContentTypeAndLimits) {
  auto r = Post("", Order(), "application/xml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_NE(r->body.find("unauthenticated"), std::string::npos);
  r = Post("not-a-token", Order(), "application/xml");
  EXPECT_EQ(r->status, 401);
  r = Post(operator_, Order(), "text/plain");
  EXPECT_EQ(r->status, 415);
  r = Post(operator_, Order() + std::string(2 * 1024 * 1024, ' '), "application/xml");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  r = Post(operator_, "<ceb:CEB311Message", "application/xml");
  EXPECT_EQ(r->status, 400);
  EXPECT_NE(r->body.find("CEB900Message"), std::string::npos);
  EXPECT_EQ(client_->Get("/healthz")->status, 200);  // still up
  EXPECT_EQ(*env_->store->CountMessages(), 0);
}

TEST_P(HttpTest, XmlAndJsonReceiptsAndTheFeed) {
  auto r = Post(platform_, Order(), "application/xml");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_NE(r->body.find("CEB312Message"), std::string::npos);
  EXPECT_NE(r->body.find("<ceb:returnStatus>2</ceb:returnStatus>"), std::string::npos) << r->body;
  // The same message as JSON: a JSON receipt, answered as a duplicate.
  r = Post(platform_, ceb::EncodeJson(decoded_), "application/json");
  ASSERT_EQ(r->status, 200);
  auto json = ceb::DecodeJson(r->body);
  ASSERT_TRUE(json.ok()) << r->body;
  EXPECT_EQ(json->Entities()[0]->Get("returnStatus"), "-301010");
  // The feed, in pages of 2.
  auto page = Get(platform_, "/api/v1/receipts?after=0&limit=2");
  ASSERT_EQ(page->status, 200);
  rapidjson::Document d;
  d.Parse(page->body.c_str());
  ASSERT_TRUE(d.IsObject());
  ASSERT_EQ(d["receipts"].Size(), 2u);
  EXPECT_STREQ(d["receipts"][0]["type"].GetString(), "CEB312");
  std::string next = d["next"].GetString();
  auto rest = Get(platform_, "/api/v1/receipts?after=" + next + "&limit=1000");
  rapidjson::Document d2;
  d2.Parse(rest->body.c_str());
  EXPECT_GE(d2["receipts"].Size(), 1u);
  // Another enterprise sees none of them.
  auto none = Get(other_, "/api/v1/receipts");
  rapidjson::Document d3;
  d3.Parse(none->body.c_str());
  EXPECT_EQ(d3["receipts"].Size(), 0u);
}

TEST_P(HttpTest, SendersAreScopedAndDocumentsMasked) {
  auto r = Post(other_, Order(), "application/xml");
  EXPECT_EQ(r->status, 403);
  EXPECT_NE(r->body.find("ebcCode"), std::string::npos) << r->body;
  r = Post(operator_, Order(), "application/xml");
  ASSERT_EQ(r->status, 200);
  // The operator declared it: it sees the buyer's ID number.
  auto doc = Get(operator_, "/api/v1/documents/orders/" + order_no_);
  ASSERT_EQ(doc->status, 200) << doc->body;
  EXPECT_NE(doc->body.find(buyer_id_), std::string::npos);
  EXPECT_NE(doc->body.find("\"history\":[{\"status\":\"2\""), std::string::npos) << doc->body;
  // The platform is a party: it sees the document, masked.
  doc = Get(platform_, "/api/v1/documents/orders/" + order_no_);
  ASSERT_EQ(doc->status, 200);
  EXPECT_EQ(doc->body.find(buyer_id_), std::string::npos);
  EXPECT_NE(doc->body.find(buyer_id_.substr(0, 3) + "*"), std::string::npos) << doc->body;
  // Another enterprise: 404, as if it did not exist.
  EXPECT_EQ(Get(other_, "/api/v1/documents/orders/" + order_no_)->status, 404);
  EXPECT_EQ(Get(operator_, "/api/v1/documents/nonsense/x")->status, 404);
}

// The worked example of the domain notes: 425 CNY of high-end cosmetics within the
// limits pays 52.50 consumption tax and 45.50 VAT.
TEST_P(HttpTest, TaxQuote) {
  const std::string body =
      R"({"date":"2026-11-29","tradeMode":"1210","buyer":{"idType":"1","idNumber":"110101199001011234"},)"
      R"("freight":"0","insuredFee":0,"items":[{"gcode":"3304990029","itemName":"精华液","qty":1,)"
      R"("unit":"011","price":"425.00","rates":{"duty":"0.05","vat":"0.13","consumption":"0.15"}}]})";
  auto anon = client_->Post("/api/v1/tax/quote", body, "application/json");
  EXPECT_EQ(anon->status, 401);
  auto r = client_->Post("/api/v1/tax/quote", {{"Authorization", "Bearer " + operator_}}, body,
                         "application/json");
  ASSERT_EQ(r->status, 200) << r->body;
  rapidjson::Document d;
  d.Parse(r->body.c_str());
  EXPECT_STREQ(d["regime"].GetString(), "retail");
  EXPECT_STREQ(d["consumptionTax"].GetString(), "52.50");
  EXPECT_STREQ(d["valueAddedTax"].GetString(), "45.50");
  EXPECT_STREQ(d["taxTotal"].GetString(), "98.00");
  EXPECT_STREQ(d["quota"]["usedAfter"].GetString(), "425.00");
  auto bad =
      client_->Post("/api/v1/tax/quote", {{"Authorization", "Bearer " + operator_}},
                    R"({"tradeMode":"1210","items":[{"gcode":"3304990029","qty":1,"price":"x"}]})",
                    "application/json");
  EXPECT_EQ(bad->status, 400);
  EXPECT_NE(bad->body.find("items[1].price"), std::string::npos) << bad->body;
}

INSTANTIATE_TEST_SUITE_P(Engines, HttpTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace shumao

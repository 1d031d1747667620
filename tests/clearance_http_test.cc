// The clearance endpoints against a real server on 127.0.0.1, on both engines: an intake
// whose hook is a clearance::Engine takes an order, a payment, a waybill and a list
// through HTTP, then the quota, bonded stock, guarantees, tax bills (JSON and CEB816
// XML), officers' decisions and alerts are read and written over HTTP, with every
// endpoint's 401, 403 and 400.
#include <gtest/gtest.h>
#include <httplib.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <set>
#include <string>
#include <thread>

#include "ceb/xsd_validator.h"
#include "clearance/clearance.h"
#include "common/code_tables.h"
#include "common/crypto.h"
#include "common/time.h"
#include "http/server.h"
#include "intake/intake.h"
#include "store/postgres/test_schema.h"
#include "support/shared_dir.h"

namespace shumao {
namespace {

using shumao::testing::SharedDir;

// The zone's parties. The agent also guarantees the lists' tax (assureCode).
constexpr char kEbp[] = "3201960EBP";
constexpr char kEbc[] = "3201960EBC";
constexpr char kPay[] = "3201960PAY";
constexpr char kCarrier[] = "3201960LOG";
constexpr char kAgent[] = "3201960AGT";
constexpr char kWarehouse[] = "3201960WHS";
constexpr char kOtherWarehouse[] = "3201960WH2";
constexpr char kOtherPlatform[] = "3201960EB2";
constexpr char kStranger[] = "3201960OTH";

// One import parcel: two hair dryers (8516310000, standard VAT, no consumption tax) at
// 200.00 and 10.00 freight, so the quota it takes is 410.00.
struct Parcel {
  std::string no;  // makes the business keys unique
  std::string buyer_id = "320102199001011234";
  bool bonded = false;  // 1210 from kWarehouse's stock, else 9610 direct
  std::string item_record_no = "ITEM-HD-01";

  std::string OrderNo() const { return "ORD" + no; }
  std::string PayTx() const { return "PAY" + no; }
  std::string LogisticsNo() const { return "LN" + no; }
  std::string CopNo() const { return "COP" + no; }
};

// Appends CEB XML in the order of the official XSD (as gen/ceb_render.cc writes it).
class Xml {
 public:
  Xml(const char* root) : root_(root) {
    out_ = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:" + root_ + " guid=\"" + NewGuid() +
           "\" version=\"1.0\" xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">\n";
  }
  Xml& Open(const char* name) {
    out_ += "<ceb:" + std::string(name) + ">\n";
    return *this;
  }
  Xml& Close(const char* name) {
    out_ += "</ceb:" + std::string(name) + ">\n";
    return *this;
  }
  Xml& Leaf(const char* name, const std::string& value) {
    out_ += "<ceb:" + std::string(name) + ">" + value + "</ceb:" + name + ">\n";
    return *this;
  }
  // guid, appType 1, appTime now, appStatus 2 (declared).
  Xml& Declared() {
    return Leaf("guid", NewGuid())
        .Leaf("appType", "1")
        .Leaf("appTime", FormatC14(Clock::System().Now()))
        .Leaf("appStatus", "2");
  }
  Xml& BaseTransfer(const std::string& code) {
    return Open("BaseTransfer")
        .Leaf("copCode", code)
        .Leaf("copName", "测试企业" + code)
        .Leaf("dxpMode", "DXP")
        .Leaf("dxpId", "DXPENT" + code)
        .Close("BaseTransfer");
  }
  // A structurally valid SM2-SM3 signature block with placeholder values (CEB621 needs
  // one; signatures are not verified without a registered certificate).
  Xml& Signature() {
    out_ +=
        "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
        "<ds:CanonicalizationMethod "
        "Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"
        "<ds:SignatureMethod Algorithm=\"http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3\"/>"
        "<ds:Reference URI=\"\"><ds:Transforms><ds:Transform "
        "Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/></ds:Transforms>"
        "<ds:DigestMethod Algorithm=\"http://www.chinaport.gov.cn/2022/04/xmldsig#sm3\"/>"
        "<ds:DigestValue>SF/P+2sVsRQ9dJIqJSroW6ajb0Y=</ds:DigestValue></ds:Reference>"
        "</ds:SignedInfo><ds:SignatureValue>AI0wdcUHaaOR+FZ7W8lN6FrjzS+iru1q</ds:SignatureValue>"
        "<ds:KeyInfo><ds:KeyName>0001</ds:KeyName></ds:KeyInfo></ds:Signature>\n";
    return *this;
  }
  std::string End() { return out_ + "</ceb:" + root_ + ">\n"; }

 private:
  std::string root_;
  std::string out_;
};

std::string OrderXml(const Parcel& p) {
  return Xml("CEB311Message")
      .Open("Order")
      .Open("OrderHead")
      .Declared()
      .Leaf("orderType", "I")
      .Leaf("orderNo", p.OrderNo())
      .Leaf("ebpCode", kEbp)
      .Leaf("ebpName", "测试平台")
      .Leaf("ebcCode", kEbc)
      .Leaf("ebcName", "测试电商")
      .Leaf("goodsValue", "400.00")
      .Leaf("freight", "10.00")
      .Leaf("discount", "0.00")
      .Leaf("taxTotal", "0.00")
      .Leaf("acturalPaid", "410.00")
      .Leaf("currency", "142")
      .Leaf("buyerRegNo", "REG" + p.buyer_id)
      .Leaf("buyerName", "张三")
      .Leaf("buyerTelephone", "13800000000")
      .Leaf("buyerIdType", "1")
      .Leaf("buyerIdNumber", p.buyer_id)
      .Leaf("payCode", kPay)
      .Leaf("payName", "测试支付")
      .Leaf("payTransactionId", p.PayTx())
      .Leaf("consignee", "张三")
      .Leaf("consigneeTelephone", "13800000000")
      .Leaf("consigneeAddress", "江苏省南京市玄武区中山路1号")
      .Leaf("consigneeDistrict", "320102")
      .Close("OrderHead")
      .Open("OrderList")
      .Leaf("gnum", "1")
      .Leaf("itemNo", "HD-01")
      .Leaf("itemName", "电吹风")
      .Leaf("gmodel", "1800W")
      .Leaf("barCode", "4901234567894")
      .Leaf("unit", "007")
      .Leaf("qty", "2")
      .Leaf("price", "200.00")
      .Leaf("totalPrice", "400.00")
      .Leaf("currency", "142")
      .Leaf("country", "116")
      .Close("OrderList")
      .Close("Order")
      .BaseTransfer(kEbp)
      .End();
}

std::string PaymentXml(const Parcel& p) {
  return Xml("CEB411Message")
      .Open("Payment")
      .Open("PaymentHead")
      .Declared()
      .Leaf("payCode", kPay)
      .Leaf("payName", "测试支付")
      .Leaf("payTransactionId", p.PayTx())
      .Leaf("orderNo", p.OrderNo())
      .Leaf("ebpCode", kEbp)
      .Leaf("ebpName", "测试平台")
      .Leaf("payerIdType", "1")
      .Leaf("payerIdNumber", p.buyer_id)
      .Leaf("payerName", "张三")
      .Leaf("telephone", "13800000000")
      .Leaf("amountPaid", "410.00")
      .Leaf("currency", "142")
      .Leaf("payTime", FormatC14(Clock::System().Now()))
      .Close("PaymentHead")
      .Close("Payment")
      .BaseTransfer(kPay)
      .End();
}

std::string WaybillXml(const Parcel& p) {
  return Xml("CEB511Message")
      .Open("Logistics")
      .Open("LogisticsHead")
      .Declared()
      .Leaf("logisticsCode", kCarrier)
      .Leaf("logisticsName", "测试物流")
      .Leaf("logisticsNo", p.LogisticsNo())
      .Leaf("orderNo", p.OrderNo())
      .Leaf("freight", "10.00")
      .Leaf("insuredFee", "0.00")
      .Leaf("currency", "142")
      .Leaf("weight", "1.2")
      .Leaf("packNo", "1")
      .Leaf("goodsInfo", "电吹风×2")
      .Leaf("consignee", "张三")
      .Leaf("consigneeAddress", "江苏省南京市玄武区中山路1号")
      .Leaf("consigneeTelephone", "13800000000")
      .Close("LogisticsHead")
      .Close("Logistics")
      .BaseTransfer(kCarrier)
      .End();
}

std::string ListXml(const Parcel& p) {
  std::string today = FormatC8(Clock::System().Now());
  Xml x("CEB621Message");
  x.Open("Inventory")
      .Open("InventoryHead")
      .Declared()
      .Leaf("orderNo", p.OrderNo())
      .Leaf("ebpCode", kEbp)
      .Leaf("ebpName", "测试平台")
      .Leaf("ebcCode", kEbc)
      .Leaf("ebcName", "测试电商")
      .Leaf("logisticsNo", p.LogisticsNo())
      .Leaf("logisticsCode", kCarrier)
      .Leaf("logisticsName", "测试物流")
      .Leaf("copNo", p.CopNo())
      .Leaf("assureCode", kAgent);
  if (p.bonded) x.Leaf("emsNo", "T2377W000001");
  x.Leaf("ieFlag", "I")
      .Leaf("declTime", today)
      .Leaf("customsCode", p.bonded ? "2377" : "2317")
      .Leaf("portCode", p.bonded ? "2377" : "2317")
      .Leaf("ieDate", today)
      .Leaf("buyerIdType", "1")
      .Leaf("buyerIdNumber", p.buyer_id)
      .Leaf("buyerName", "张三")
      .Leaf("buyerTelephone", "13800000000")
      .Leaf("consigneeAddress", "江苏省南京市玄武区中山路1号")
      .Leaf("agentCode", kAgent)
      .Leaf("agentName", "测试报关");
  if (p.bonded) x.Leaf("areaCode", kWarehouse).Leaf("areaName", "测试仓库");
  x.Leaf("tradeMode", p.bonded ? "1210" : "9610").Leaf("trafMode", p.bonded ? "Y" : "5");
  if (!p.bonded) {
    x.Leaf("trafNo", "MU5001")
        .Leaf("voyageNo", "MU5001" + today.substr(4))
        .Leaf("billNo", "B" + p.no);
  }
  x.Leaf("country", "116")
      .Leaf("freight", "10.00")
      .Leaf("insuredFee", "0.00")
      .Leaf("currency", "142")
      .Leaf("wrapType", "2")
      .Leaf("packNo", "1")
      .Leaf("grossWeight", "1.2")
      .Leaf("netWeight", "1")
      .Close("InventoryHead")
      .Open("InventoryList")
      .Leaf("gnum", "1");
  if (p.bonded) x.Leaf("itemRecordNo", p.item_record_no);
  return x.Leaf("itemNo", "HD-01")
      .Leaf("itemName", "电吹风")
      .Leaf("gcode", "8516310000")
      .Leaf("gname", "电吹风")
      .Leaf("gmodel", "1800W")
      .Leaf("barCode", "4901234567894")
      .Leaf("country", "116")
      .Leaf("currency", "142")
      .Leaf("qty", "2")
      .Leaf("unit", "007")
      .Leaf("qty1", "2")
      .Leaf("unit1", "007")
      .Leaf("price", "200.00")
      .Leaf("totalPrice", "400.00")
      .Close("InventoryList")
      .Close("Inventory")
      .BaseTransfer(kAgent)
      .Signature()
      .End();
}

rapidjson::Document Json(const std::string& body) {
  rapidjson::Document d;
  d.Parse(body.c_str());
  return d;
}

// The field an error answer names, or "(not an error)".
std::string FieldOf(const httplib::Result& r) {
  rapidjson::Document d = Json(r->body);
  if (!d.IsObject() || !d.HasMember("error")) return "(not an error)";
  return d["error"]["field"].GetString();
}

class ClearanceHttpTest : public ::testing::TestWithParam<std::string> {
 protected:
  void TearDown() override {
    if (server_) server_->Stop();
    if (thread_.joinable()) thread_.join();
    server_.reset();
    intake_.reset();
    engine_.reset();
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!schema_.empty()) (void)store::DropTestSchema(base_url_, schema_);
  }

  // Opens a fresh store, the engine (every matched list to inspection when
  // `inspect_all`; none when !with_clearance), intake and the server, and registers the
  // parties and department users with their tokens.
  void Start(bool inspect_all = false, bool with_clearance = true, bool with_risk = false) {
    static std::atomic<int> n{0};
    std::string url;
    if (GetParam() == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() /
             ("shumao-clearance-http-" + std::to_string(getpid()) + "-" + std::to_string(n++));
      std::filesystem::create_directories(dir_);
      url = (dir_ / "zone.db").string();
    } else {
      const char* env = std::getenv("SHUMAO_TEST_PG_URL");
      ASSERT_TRUE(env != nullptr && *env != '\0')
          << "SHUMAO_TEST_PG_URL is not set: run the tests with scripts/test (make test), "
             "which starts a PostgreSQL server";
      base_url_ = env;
      schema_ = "clearance_http_" + std::to_string(getpid()) + "_" + std::to_string(n++);
      auto u = store::CreateTestSchema(base_url_, schema_);
      ASSERT_TRUE(u.ok()) << u.status().ToString();
      url = *u;
    }
    auto s = store::Store::Open(store::StoreConfig{url});
    ASSERT_TRUE(s.ok()) << s.status().ToString();
    store_ = std::move(*s);
    vault_ = Vault::FromKey(std::string(64, 'k'));
    auto codes = CodeTables::LoadEmbedded();
    ASSERT_TRUE(codes.ok());
    if (with_clearance) {
      risk_ = clearance::RandomInspection(inspect_all ? Decimal::FromInt(1) : Decimal());
      clearance::Options co;
      co.vault = vault_;
      co.risk = risk_.get();
      if (with_risk) {
        // The built-in rules; lane targets zero, so that only the rules choose lanes.
        risk::Options ro;
        ro.vault = vault_;
        ro.inspect_target = ro.review_target = Decimal();
        auto r = risk::Risk::Create(store_.get(), ro);
        ASSERT_TRUE(r.ok()) << r.status().ToString();
        risk_engine_ = std::move(*r);
        co.risk = risk_engine_.get();
      }
      auto e = clearance::Engine::Create(store_.get(), co);
      ASSERT_TRUE(e.ok()) << e.status().ToString();
      engine_ = std::move(*e);
    }
    intake::IntakeOptions io;
    io.codes = *codes;
    io.vault = vault_;
    io.hook = engine_.get();
    auto in = intake::Intake::Create(store_.get(), io);
    ASSERT_TRUE(in.ok()) << in.status().ToString();
    intake_ = std::move(*in);

    http::ServerOptions o;
    o.port = 0;
    o.threads = 4;
    o.risk = risk_engine_.get();
    auto srv = http::Server::Create(store_.get(), intake_.get(), vault_, o, engine_.get());
    ASSERT_TRUE(srv.ok());
    server_ = std::move(*srv);
    thread_ = std::thread([this] { (void)server_->Run(); });
    ASSERT_TRUE(server_->WaitUntilReady(5000));
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());

    ebp_ = Enterprise(kEbp, {"ebp"});
    ebc_ = Enterprise(kEbc, {"ebc"});
    pay_ = Enterprise(kPay, {"payment"});
    carrier_ = Enterprise(kCarrier, {"logistics"});
    agent_ = Enterprise(kAgent, {"agent"});
    warehouse_ = Enterprise(kWarehouse, {"warehouse"});
    other_warehouse_ = Enterprise(kOtherWarehouse, {"warehouse"});
    other_platform_ = Enterprise(kOtherPlatform, {"ebp"});
    stranger_ = Enterprise(kStranger, {"ebc"});
    customs_ = User("officer1", "customs");
    tax_ = User("taxer1", "tax");
    commerce_ = User("commerce1", "commerce");
    intake_->InvalidateRegistry();
  }

  std::string Enterprise(const std::string& code, std::vector<std::string> roles) {
    EXPECT_TRUE(
        store_
            ->PutEnterprise(registry::Enterprise{code, "测试企业" + code, std::move(roles), "", ""})
            .ok());
    std::string token = RandomToken();
    EXPECT_TRUE(
        store_
            ->PutToken(Sha256Hex(token),
                       registry::Principal{registry::Principal::Kind::kEnterprise, code, ""})
            .ok());
    return token;
  }

  std::string User(const std::string& name, const std::string& department) {
    EXPECT_TRUE(store_->PutUser(registry::User{name, department}).ok());
    std::string token = RandomToken();
    EXPECT_TRUE(
        store_
            ->PutToken(Sha256Hex(token),
                       registry::Principal{registry::Principal::Kind::kUser, name, department})
            .ok());
    return token;
  }

  httplib::Headers Auth(const std::string& token) {
    httplib::Headers h;
    if (!token.empty()) h.emplace("Authorization", "Bearer " + token);
    return h;
  }
  httplib::Result Get(const std::string& token, const std::string& path) {
    return client_->Get(path.c_str(), Auth(token));
  }
  httplib::Result Post(const std::string& token, const std::string& path, const std::string& body) {
    return client_->Post(path.c_str(), Auth(token), body, "application/json");
  }
  httplib::Result Put(const std::string& token, const std::string& path, const std::string& body) {
    return client_->Put(path.c_str(), Auth(token), body, "application/json");
  }

  // Sends one message as `token`; expects it accepted (returnStatus 2).
  void Send(const std::string& token, const std::string& xml) {
    auto r = client_->Post("/api/v1/messages", Auth(token), xml, "application/xml");
    ASSERT_TRUE(r);
    ASSERT_EQ(r->status, 200) << r->body;
    ASSERT_NE(r->body.find("<ceb:returnStatus>2</ceb:returnStatus>"), std::string::npos) << r->body;
  }

  // The order, payment, waybill and list of a parcel, each from its sender.
  void Declare(const Parcel& p) {
    ASSERT_NO_FATAL_FAILURE(Send(ebp_, OrderXml(p)));
    ASSERT_NO_FATAL_FAILURE(Send(pay_, PaymentXml(p)));
    ASSERT_NO_FATAL_FAILURE(Send(carrier_, WaybillXml(p)));
    ASSERT_NO_FATAL_FAILURE(Send(agent_, ListXml(p)));
  }

  // The asynchronous CEB622 receipts of a list in the agent's feed, their returnStatus in
  // order (the synchronous "2", which Send checks, left out), and the invtNo they carry.
  std::vector<std::string> ListReceipts(const Parcel& p, std::string* invt_no = nullptr) {
    auto r = Get(agent_, "/api/v1/receipts?after=0&limit=1000");
    EXPECT_EQ(r->status, 200) << r->body;
    rapidjson::Document d = Json(r->body);
    std::vector<std::string> out;
    for (const auto& rec : d["receipts"].GetArray()) {
      if (std::string(rec["type"].GetString()) != "CEB622") continue;
      if (!rec["keys"].HasMember("key") || rec["keys"]["key"].GetString() != p.CopNo()) continue;
      if (std::string(rec["returnStatus"].GetString()) == "2") continue;
      out.push_back(rec["returnStatus"].GetString());
      if (invt_no && rec["keys"].HasMember("invtNo")) *invt_no = rec["keys"]["invtNo"].GetString();
    }
    return out;
  }

  std::string ListStatus(const Parcel& p) {
    auto r = Get(customs_, "/api/v1/documents/inventories/" + p.CopNo());
    EXPECT_EQ(r->status, 200) << r->body;
    rapidjson::Document d = Json(r->body);
    return d.IsObject() ? d["status"].GetString() : "";
  }

  std::string QuotaPath(const std::string& buyer) {
    return "/api/v1/quota?idType=1&idNumber=" + buyer +
           "&year=" + std::to_string(ToBeijing(Clock::System().Now()).year);
  }

  std::unique_ptr<store::Store> store_;
  std::shared_ptr<const Vault> vault_;
  std::unique_ptr<clearance::RiskGate> risk_;
  std::unique_ptr<risk::Risk> risk_engine_;  // with_risk: risk control and credit
  std::unique_ptr<clearance::Engine> engine_;
  std::unique_ptr<intake::Intake> intake_;
  std::unique_ptr<http::Server> server_;
  std::thread thread_;
  std::unique_ptr<httplib::Client> client_;
  std::filesystem::path dir_;
  std::string base_url_, schema_;
  std::string ebp_, ebc_, pay_, carrier_, agent_, warehouse_, other_warehouse_, other_platform_,
      stranger_, customs_, tax_, commerce_;
};

TEST_P(ClearanceHttpTest, ReleasedListReceiptsDocumentAndQuota) {
  ASSERT_NO_FATAL_FAILURE(Start());
  Parcel p{"0001"};
  ASSERT_NO_FATAL_FAILURE(Declare(p));

  // The list's sender got the asynchronous receipts, in order.
  std::string invt_no;
  std::vector<std::string> statuses = ListReceipts(p, &invt_no);
  EXPECT_EQ(statuses, (std::vector<std::string>{"120", "399", "800"}));
  EXPECT_EQ(invt_no.size(), 18u) << invt_no;
  auto doc = Get(agent_, "/api/v1/documents/inventories/" + p.CopNo());
  ASSERT_EQ(doc->status, 200) << doc->body;
  EXPECT_STREQ(Json(doc->body)["status"].GetString(), "800");
  EXPECT_EQ(Get(agent_, "/api/v1/documents/inventories/" + invt_no)->status, 200);

  // The quota: goods 400.00 + freight 10.00, seen by departments and the buyer's platform.
  for (const std::string& token : {customs_, tax_, commerce_, ebp_}) {
    auto q = Get(token, QuotaPath(p.buyer_id));
    ASSERT_EQ(q->status, 200) << q->body;
    rapidjson::Document d = Json(q->body);
    EXPECT_EQ(d["year"].GetInt(), ToBeijing(Clock::System().Now()).year);
    EXPECT_STREQ(d["limit"].GetString(), "26000.00");
    EXPECT_STREQ(d["used"].GetString(), "410.00");
    EXPECT_STREQ(d["remaining"].GetString(), "25590.00");
  }
  // Another buyer: nothing used; the platform has no document of that buyer.
  auto fresh = Get(customs_, QuotaPath("110101199003071234"));
  EXPECT_STREQ(Json(fresh->body)["used"].GetString(), "0.00");
  EXPECT_EQ(Get(ebp_, QuotaPath("110101199003071234"))->status, 403);
  // Not the buyer's platform: an unrelated enterprise, another platform, and a party of
  // the buyer's documents that is not a platform.
  for (const std::string& token : {stranger_, other_platform_, pay_, agent_}) {
    auto q = Get(token, QuotaPath(p.buyer_id));
    EXPECT_EQ(q->status, 403) << q->body;
    EXPECT_NE(q->body.find("permission_denied"), std::string::npos) << q->body;
  }
  // Bad input names the field; no token is 401.
  auto r = Get(customs_, "/api/v1/quota?idType=1&year=2026");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FieldOf(r), "idNumber");
  r = Get(customs_, "/api/v1/quota?idType=1&idNumber=" + p.buyer_id + "&year=20x6");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FieldOf(r), "year");
  r = Get(customs_, "/api/v1/quota?idType=x&idNumber=" + p.buyer_id);
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FieldOf(r), "idType");
  r = Get("", QuotaPath(p.buyer_id));
  EXPECT_EQ(r->status, 401);
  EXPECT_NE(r->body.find("unauthenticated"), std::string::npos);

  // A tax quote for this buyer starts from the ledger, for those who may see it.
  std::string quote = R"({"tradeMode":"1210","buyer":{"idType":"1","idNumber":")" + p.buyer_id +
                      R"("},"freight":"0","items":[{"gcode":"3304990029","qty":1,"unit":"011",)"
                      R"("price":"100.00"}]})";
  auto tq = Post(customs_, "/api/v1/tax/quote", quote);
  ASSERT_EQ(tq->status, 200) << tq->body;
  rapidjson::Document qd = Json(tq->body);
  EXPECT_STREQ(qd["quota"]["usedBefore"].GetString(), "410.00");
  EXPECT_STREQ(qd["quota"]["usedAfter"].GetString(), "510.00");
  EXPECT_EQ(Post(stranger_, "/api/v1/tax/quote", quote)->status, 403);
  // Without a buyer anyone registered may ask.
  auto anon = Post(stranger_, "/api/v1/tax/quote",
                   R"({"tradeMode":"1210","freight":"0","items":[{"gcode":"3304990029",)"
                   R"("qty":1,"unit":"011","price":"100.00"}]})");
  EXPECT_EQ(anon->status, 200) << anon->body;
}

TEST_P(ClearanceHttpTest, BondedStockInboundAndReport) {
  ASSERT_NO_FATAL_FAILURE(Start());
  auto inbound = [](const std::string& warehouse, const std::string& qty) {
    return R"({"records":[{"warehouse":")" + warehouse +
           R"(","emsNo":"T2377W000001","itemRecordNo":"ITEM-HD-01","itemNo":"HD-01",)"
           R"("gcode":"8516310000","gname":"电吹风","qty":")" +
           qty + R"(","unit":"007","entryNo":"232020261000000001","time":"20260101090000"}]})";
  };
  // A warehouse records its own inbound; not another's; customs any.
  auto r = Post(warehouse_, "/api/v1/stock/inbound", inbound(kWarehouse, "10"));
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->body, R"({"records":1})");
  r = Post(warehouse_, "/api/v1/stock/inbound", inbound(kOtherWarehouse, "10"));
  EXPECT_EQ(r->status, 403) << r->body;
  EXPECT_EQ(FieldOf(r), "records[0].warehouse");
  EXPECT_EQ(Post(stranger_, "/api/v1/stock/inbound", inbound(kStranger, "10"))->status, 403);
  EXPECT_EQ(Post(tax_, "/api/v1/stock/inbound", inbound(kWarehouse, "10"))->status, 403);
  r = Post(customs_, "/api/v1/stock/inbound", inbound(kOtherWarehouse, "5"));
  ASSERT_EQ(r->status, 200) << r->body;
  // Bad input names the field.
  r = Post(warehouse_, "/api/v1/stock/inbound", inbound(kWarehouse, "0"));
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FieldOf(r), "records[0].qty");
  r = Post(customs_, "/api/v1/stock/inbound", R"({"records":{}})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FieldOf(r), "records");
  r = Post(customs_, "/api/v1/stock/inbound", R"({"records":[]})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FieldOf(r), "records");
  EXPECT_EQ(Post("", "/api/v1/stock/inbound", inbound(kWarehouse, "1"))->status, 401);

  // A bonded list draws two pieces from the warehouse's stock.
  Parcel p{"0002"};
  p.bonded = true;
  ASSERT_NO_FATAL_FAILURE(Declare(p));
  EXPECT_EQ(ListStatus(p), "800");

  // The warehouse sees its own stock (without naming it, or naming itself), not another's.
  for (const std::string& path :
       {std::string("/api/v1/stock"), std::string("/api/v1/stock?warehouse=") + kWarehouse}) {
    auto s = Get(warehouse_, path);
    ASSERT_EQ(s->status, 200) << s->body;
    rapidjson::Document d = Json(s->body);
    ASSERT_EQ(d["stock"].Size(), 1u) << s->body;
    const auto& line = d["stock"][0];
    EXPECT_STREQ(line["warehouse"].GetString(), kWarehouse);
    EXPECT_STREQ(line["itemRecordNo"].GetString(), "ITEM-HD-01");
    EXPECT_STREQ(line["gname"].GetString(), "电吹风");
    EXPECT_STREQ(line["in"].GetString(), "10");
    EXPECT_STREQ(line["out"].GetString(), "2");
    EXPECT_STREQ(line["balance"].GetString(), "8");
  }
  r = Get(warehouse_, std::string("/api/v1/stock?warehouse=") + kOtherWarehouse);
  EXPECT_EQ(r->status, 403);
  EXPECT_EQ(FieldOf(r), "warehouse");
  EXPECT_EQ(Get(stranger_, "/api/v1/stock")->status, 403);
  EXPECT_EQ(Get(tax_, "/api/v1/stock")->status, 403);
  // Customs sees every warehouse, or the one it names.
  auto all = Get(customs_, "/api/v1/stock");
  ASSERT_EQ(all->status, 200);
  EXPECT_EQ(Json(all->body)["stock"].Size(), 2u) << all->body;
  auto other = Get(customs_, std::string("/api/v1/stock?warehouse=") + kOtherWarehouse);
  rapidjson::Document od = Json(other->body);
  ASSERT_EQ(od["stock"].Size(), 1u);
  EXPECT_STREQ(od["stock"][0]["balance"].GetString(), "5");
  EXPECT_EQ(Get("", "/api/v1/stock")->status, 401);
}

TEST_P(ClearanceHttpTest, Guarantees) {
  ASSERT_NO_FATAL_FAILURE(Start());
  std::string path = std::string("/api/v1/guarantees/") + kAgent;
  EXPECT_EQ(Get(customs_, path)->status, 404);  // none lodged yet
  auto r = Post(customs_, "/api/v1/guarantees",
                std::string(R"({"code":")") + kAgent + R"(","amount":"100000.00"})");
  ASSERT_EQ(r->status, 200) << r->body;
  rapidjson::Document d = Json(r->body);
  EXPECT_STREQ(d["code"].GetString(), kAgent);
  EXPECT_STREQ(d["balance"].GetString(), "100000.00");
  EXPECT_STREQ(d["outstanding"].GetString(), "0.00");
  EXPECT_STREQ(d["paid"].GetString(), "0.00");
  // A number works as well as a string, exactly.
  r = Post(customs_, "/api/v1/guarantees",
           std::string(R"({"code":")") + kEbc + R"(","amount":2500.5})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_STREQ(Json(r->body)["balance"].GetString(), "2500.50");
  // Only customs lodges one.
  std::string body = std::string(R"({"code":")") + kAgent + R"(","amount":"1.00"})";
  for (const std::string& token : {tax_, commerce_, agent_}) {
    EXPECT_EQ(Post(token, "/api/v1/guarantees", body)->status, 403);
  }
  // Customs, tax and the enterprise itself read it; nobody else.
  for (const std::string& token : {customs_, tax_, agent_}) {
    auto g = Get(token, path);
    ASSERT_EQ(g->status, 200) << g->body;
    EXPECT_STREQ(Json(g->body)["balance"].GetString(), "100000.00");
  }
  for (const std::string& token : {ebc_, stranger_, commerce_}) {
    EXPECT_EQ(Get(token, path)->status, 403);
  }
  EXPECT_EQ(Get(customs_, "/api/v1/guarantees/NOSUCHCODE")->status, 404);
  // Bad input names the field.
  r = Post(customs_, "/api/v1/guarantees",
           std::string(R"({"code":")") + kAgent + R"(","amount":"abc"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FieldOf(r), "amount");
  r = Post(customs_, "/api/v1/guarantees", R"({"code":"X","amount":"-1"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FieldOf(r), "amount");
  r = Post(customs_, "/api/v1/guarantees", R"({"amount":"1.00"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FieldOf(r), "code");
  r = Post(customs_, "/api/v1/guarantees", "not json");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Post("", "/api/v1/guarantees", body)->status, 401);
  EXPECT_EQ(Get("", path)->status, 401);
}

TEST_P(ClearanceHttpTest, TaxBillJsonAndXml) {
  ASSERT_NO_FATAL_FAILURE(Start());
  Parcel p{"0003"};
  ASSERT_NO_FATAL_FAILURE(Declare(p));
  std::string invt_no;
  ListReceipts(p, &invt_no);
  ASSERT_FALSE(invt_no.empty());
  std::string path = "/api/v1/taxbills/" + invt_no;

  // The tax the bill carries is the tax quote of the same goods.
  auto quote =
      Post(customs_, "/api/v1/tax/quote",
           R"({"tradeMode":"9610","freight":"10.00","insuredFee":"0","items":[)"
           R"({"gcode":"8516310000","itemName":"电吹风","qty":2,"unit":"007","price":"200.00"}]})");
  ASSERT_EQ(quote->status, 200) << quote->body;
  rapidjson::Document q = Json(quote->body);

  for (const std::string& token : {customs_, tax_, agent_, ebc_}) {
    auto r = Get(token, path);
    ASSERT_EQ(r->status, 200) << r->body;
    EXPECT_NE(r->get_header_value("Content-Type").find("application/json"), std::string::npos);
    rapidjson::Document d = Json(r->body);
    ASSERT_TRUE(d.IsObject()) << r->body;
    EXPECT_EQ(d["invtNo"].GetString(), invt_no);
    EXPECT_STREQ(d["status"].GetString(), "1");  // issued on release
    EXPECT_STREQ(d["assureCode"].GetString(), kAgent);
    EXPECT_STREQ(d["copNo"].GetString(), p.CopNo().c_str());
    EXPECT_STRNE(d["taxTotal"].GetString(), "0.00");
    EXPECT_STREQ(d["taxTotal"].GetString(), q["taxTotal"].GetString()) << r->body;
    EXPECT_STREQ(d["valueAddedTax"].GetString(), q["valueAddedTax"].GetString());
    EXPECT_EQ(d["lines"].Size(), 1u);
  }
  // The platform is not on the bill; nor are strangers and other departments.
  for (const std::string& token : {ebp_, stranger_, commerce_}) {
    EXPECT_EQ(Get(token, path)->status, 403);
  }

  // CEB816 XML, valid against the official XSD.
  auto xml = Get(agent_, path + "?format=xml");
  ASSERT_EQ(xml->status, 200) << xml->body;
  EXPECT_NE(xml->get_header_value("Content-Type").find("application/xml"), std::string::npos);
  EXPECT_NE(xml->body.find("CEB816Message"), std::string::npos);
  EXPECT_NE(xml->body.find(invt_no), std::string::npos);
  auto xsd = ceb::XsdValidator::Load(SharedDir() + "/ceb/xsd");
  ASSERT_TRUE(xsd.ok()) << xsd.status().ToString();
  Status valid = (*xsd)->Validate(xml->body, ceb::Direction::kImport);
  EXPECT_TRUE(valid.ok()) << valid.ToString() << "\n" << xml->body;
  EXPECT_EQ(Get(ebp_, path + "?format=xml")->status, 403);

  auto r = Get(customs_, path + "?format=pdf");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FieldOf(r), "format");
  r = Get(customs_, "/api/v1/taxbills/231720260I000000999");
  EXPECT_EQ(r->status, 404);
  EXPECT_NE(r->body.find("not_found"), std::string::npos);
  EXPECT_EQ(Get("", path)->status, 401);
}

TEST_P(ClearanceHttpTest, OfficerDecision) {
  ASSERT_NO_FATAL_FAILURE(Start(/*inspect_all=*/true));
  Parcel p{"0004"};
  ASSERT_NO_FATAL_FAILURE(Declare(p));
  EXPECT_EQ(ListStatus(p), "500");
  EXPECT_EQ(ListReceipts(p), (std::vector<std::string>{"120", "500"}));
  std::string path = "/api/v1/inventories/" + p.CopNo() + "/decision";
  std::string release = R"({"decision":"release","reason":"查验无误"})";

  // Only customs decides.
  for (const std::string& token : {tax_, agent_, ebp_}) {
    auto r = Post(token, path, release);
    EXPECT_EQ(r->status, 403) << r->body;
  }
  EXPECT_EQ(Post("", path, release)->status, 401);
  // Bad input names the field; an unknown list is 404.
  auto r = Post(customs_, path, R"({"decision":"maybe"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FieldOf(r), "decision");
  r = Post(customs_, path, R"({"reason":"x"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FieldOf(r), "decision");
  r = Post(customs_, path, R"({"decision":"refuse"})");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(FieldOf(r), "reason");
  r = Post(customs_, path, "[1,2]");
  EXPECT_EQ(r->status, 400);
  EXPECT_EQ(Post(customs_, "/api/v1/inventories/NOSUCHCOPNO/decision", release)->status, 404);
  EXPECT_EQ(ListStatus(p), "500");  // none of that touched it

  // Release: 399 and 800; a second decision finds nothing waiting.
  r = Post(customs_, path, release);
  ASSERT_EQ(r->status, 200) << r->body;
  rapidjson::Document d = Json(r->body);
  EXPECT_EQ(d["key"].GetString(), p.CopNo());
  EXPECT_STREQ(d["decision"].GetString(), "release");
  EXPECT_EQ(ListStatus(p), "800");
  EXPECT_EQ(ListReceipts(p), (std::vector<std::string>{"120", "500", "399", "800"}));
  r = Post(customs_, path, release);
  EXPECT_EQ(r->status, 409) << r->body;
  EXPECT_NE(r->body.find("failed_precondition"), std::string::npos);

  // Refuse another list (by its invtNo): 100, and its quota is given back.
  Parcel q{"0005"};
  q.buyer_id = "110101199003071234";
  ASSERT_NO_FATAL_FAILURE(Declare(q));
  std::string invt_no;
  ListReceipts(q, &invt_no);
  ASSERT_FALSE(invt_no.empty());
  EXPECT_STREQ(Json(Get(customs_, QuotaPath(q.buyer_id))->body)["used"].GetString(), "410.00");
  r = Post(customs_, "/api/v1/inventories/" + invt_no + "/decision",
           R"({"decision":"refuse","reason":"货证不符"})");
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(ListStatus(q), "100");
  EXPECT_STREQ(Json(Get(customs_, QuotaPath(q.buyer_id))->body)["used"].GetString(), "0.00");
}

// Risk control over HTTP: a split order (one buyer's parcels of one day over the single
// limit) goes to inspection; departments read the hit with its explanation and evidence,
// the enterprise reads only the outcome; the officer's refusal feeds the rule's figures;
// credit levels, the public dishonest list and complaints.
TEST_P(ClearanceHttpTest, RiskHitsRulesAndCredit) {
  ASSERT_NO_FATAL_FAILURE(
      Start(/*inspect_all=*/false, /*with_clearance=*/true, /*with_risk=*/true));
  std::vector<Parcel> parcels;
  for (int i = 0; i < 13; ++i) {  // 13 × 410.00 = 5330.00 > 5000.00
    char no[8];
    std::snprintf(no, sizeof no, "R%02d", i);
    parcels.push_back(Parcel{no});
    ASSERT_NO_FATAL_FAILURE(Declare(parcels.back()));
  }
  for (int i = 0; i < 12; ++i) EXPECT_EQ(ListStatus(parcels[i]), "800") << i;
  const Parcel& split = parcels.back();
  EXPECT_EQ(ListStatus(split), "500");

  // The declaring agent sees the outcome in the history, never the rule.
  auto doc = Get(agent_, "/api/v1/documents/inventories/" + split.CopNo());
  ASSERT_EQ(doc->status, 200) << doc->body;
  EXPECT_NE(doc->body.find("布控查验"), std::string::npos) << doc->body;
  EXPECT_EQ(doc->body.find("split"), std::string::npos) << doc->body;
  EXPECT_EQ(doc->body.find("拆单"), std::string::npos) << doc->body;
  std::string today = FormatIso(Clock::System().Now()).substr(0, 10);
  std::string hits_path = "/api/v1/risk/hits?from=" + today + "&to=" + today;
  EXPECT_EQ(Get(agent_, hits_path)->status, 403);
  EXPECT_EQ(Get("", hits_path)->status, 401);
  auto bad = Get(customs_, "/api/v1/risk/hits?from=2026-13-01&to=" + today);
  EXPECT_EQ(bad->status, 400);
  EXPECT_EQ(FieldOf(bad), "from");

  // Customs reads every hit: the inspected list and the twelve released before it (audit).
  auto r = Get(customs_, hits_path + "&rule=split_order");
  ASSERT_EQ(r->status, 200) << r->body;
  rapidjson::Document d = Json(r->body);
  ASSERT_TRUE(d.IsObject());
  ASSERT_EQ(d["hits"].Size(), 13u) << r->body;
  int inspected = 0, audits = 0;
  for (const auto& h : d["hits"].GetArray()) {
    EXPECT_STREQ(h["rule"].GetString(), "split_order");
    EXPECT_STREQ(h["severity"].GetString(), "high");
    std::string lane = h["lane"].GetString();
    if (lane == "inspect") {
      ++inspected;
      EXPECT_EQ(h["document"]["copNo"].GetString(), split.CopNo());
      EXPECT_STREQ(h["evidence"]["total"].GetString(), "5330.00");
      EXPECT_EQ(h["evidence"]["documents"].Size(), 13u);
      EXPECT_NE(std::string(h["explanation"].GetString()).find("5000.00"), std::string::npos);
    } else {
      EXPECT_EQ(lane, "audit");
      ++audits;
    }
  }
  EXPECT_EQ(inspected, 1);
  EXPECT_EQ(audits, 12);
  // Paging: 5 a page, on from `next`; 13 in all, none twice.
  {
    std::set<std::string> ids;
    std::string after;
    for (int page = 0; page < 5; ++page) {
      auto p = Get(customs_, hits_path + "&limit=5" + (after.empty() ? "" : "&after=" + after));
      ASSERT_EQ(p->status, 200) << p->body;
      rapidjson::Document pd = Json(p->body);
      for (const auto& h : pd["hits"].GetArray()) {
        EXPECT_TRUE(ids.insert(h["id"].GetString()).second) << h["id"].GetString();
      }
      if (!pd.HasMember("next")) break;
      after.clear();
      for (char ch : std::string(pd["next"].GetString())) {
        after += ch == '|' ? std::string("%7C") : std::string(1, ch);
      }
    }
    EXPECT_EQ(ids.size(), 13u);
  }
  // By severity: the split order is high; nothing is low.
  EXPECT_EQ(Json(Get(customs_, hits_path + "&severity=high")->body)["hits"].Size(), 13u);
  EXPECT_EQ(Json(Get(customs_, hits_path + "&severity=low")->body)["hits"].Size(), 0u);
  EXPECT_EQ(FieldOf(Get(customs_, hits_path + "&severity=dire")), "severity");
  // The buyer filter takes the ID number; another buyer has none.
  EXPECT_EQ(Json(Get(customs_, hits_path + "&buyer=" + split.buyer_id)->body)["hits"].Size(), 13u);
  EXPECT_EQ(Json(Get(customs_, hits_path + "&buyer=110101199003071234")->body)["hits"].Size(), 0u);
  auto dec = Get(customs_, "/api/v1/risk/decisions/" + split.CopNo() + "?agentCode=" + kAgent);
  ASSERT_EQ(dec->status, 200) << dec->body;
  EXPECT_STREQ(Json(dec->body)["selection"].GetString(), "rule");

  // The officer finds it: the rule's figures learn it.
  ASSERT_EQ(Post(customs_, "/api/v1/inventories/" + split.CopNo() + "/decision",
                 R"({"decision":"refuse","reason":"拆单"})")
                ->status,
            200);
  EXPECT_EQ(Get(ebc_, "/api/v1/risk/rules")->status, 403);
  r = Get(customs_, "/api/v1/risk/rules");
  ASSERT_EQ(r->status, 200) << r->body;
  d = Json(r->body);
  bool seen = false;
  for (const auto& rule : d["rules"].GetArray()) {
    if (std::string(rule["id"].GetString()) != "split_order") continue;
    seen = true;
    EXPECT_EQ(rule["hits"].GetInt(), 13);
    EXPECT_EQ(rule["inspected"].GetInt(), 1);
    EXPECT_EQ(rule["found"].GetInt(), 1);
    EXPECT_STREQ(rule["hitRate"].GetString(), "1");
  }
  EXPECT_TRUE(seen) << r->body;
  // The same figures for Prometheus.
  auto metrics = client_->Get("/metrics");
  ASSERT_EQ(metrics->status, 200);
  EXPECT_NE(metrics->body.find("shumao_risk_rule_hits{rule=\"split_order\"} 13"), std::string::npos)
      << metrics->body;
  EXPECT_NE(metrics->body.find("shumao_risk_rule_found{rule=\"split_order\"} 1"), std::string::npos)
      << metrics->body;

  // Credit: customs sets a level; tax may not; an unknown level names the field.
  std::string level_path = std::string("/api/v1/credit/") + kEbc + "/level";
  EXPECT_EQ(Put(tax_, level_path, R"({"level":"dishonest","from":"2026-01-01"})")->status, 403);
  auto unknown = Put(customs_, level_path, R"({"level":"angelic","from":"2026-01-01"})");
  EXPECT_EQ(unknown->status, 400);
  EXPECT_EQ(FieldOf(unknown), "level");
  auto set =
      Put(customs_, level_path, R"({"level":"dishonest","from":"2026-01-01","reason":"走私违规"})");
  ASSERT_EQ(set->status, 200) << set->body;
  EXPECT_STREQ(Json(set->body)["level"]["level"].GetString(), "dishonest");
  // The dishonest list is public: no token needed.
  auto pub = client_->Get("/api/v1/credit/dishonest");
  ASSERT_EQ(pub->status, 200) << pub->body;
  d = Json(pub->body);
  ASSERT_EQ(d["enterprises"].Size(), 1u) << pub->body;
  EXPECT_EQ(d["enterprises"][0]["code"].GetString(), std::string(kEbc));
  EXPECT_STREQ(d["enterprises"][0]["reason"].GetString(), "走私违规");
  // The enterprise sees its own credit (score explained); another enterprise does not.
  auto own = Get(ebc_, std::string("/api/v1/credit/") + kEbc);
  ASSERT_EQ(own->status, 200) << own->body;
  d = Json(own->body);
  EXPECT_TRUE(d["score"]["components"].IsArray());
  EXPECT_EQ(Get(ebp_, std::string("/api/v1/credit/") + kEbc)->status, 403);
  // A complaint by market supervision counts in the score.
  EXPECT_EQ(
      Post(ebp_, std::string("/api/v1/credit/") + kEbc + "/complaints", R"({"text":"x"})")->status,
      403);
  std::string market = User("market-1", "market");
  auto c = Post(market, std::string("/api/v1/credit/") + kEbc + "/complaints",
                R"({"text":"假冒商品投诉"})");
  ASSERT_EQ(c->status, 200) << c->body;
  EXPECT_NE(c->body.find("\"component\":\"complaints\",\"count\":1"), std::string::npos) << c->body;

  // From now on, nothing of the dishonest enterprise is released unseen.
  Parcel after{"R99"};
  after.buyer_id = "110101199003071234";
  ASSERT_NO_FATAL_FAILURE(Declare(after));
  std::string status = ListStatus(after);
  EXPECT_TRUE(status == "500" || status == "300") << status;
  // Joint punishment: no release until the guarantor's guarantee covers the tax.
  std::string decide = "/api/v1/inventories/" + after.CopNo() + "/decision";
  std::string release = R"({"decision":"release","reason":"查验无误"})";
  auto refused = Post(customs_, decide, release);
  EXPECT_EQ(refused->status, 409) << refused->body;
  EXPECT_NE(refused->body.find("担保"), std::string::npos) << refused->body;
  EXPECT_EQ(ListStatus(after), status);
  ASSERT_EQ(Post(customs_, "/api/v1/guarantees",
                 std::string(R"({"code":")") + kAgent + R"(","amount":"10000"})")
                ->status,
            200);
  auto released = Post(customs_, decide, release);
  EXPECT_EQ(released->status, 200) << released->body;
  EXPECT_EQ(ListStatus(after), "800");
}

TEST_P(ClearanceHttpTest, Alerts) {
  ASSERT_NO_FATAL_FAILURE(Start());
  auto empty = Get(customs_, "/api/v1/alerts");
  ASSERT_EQ(empty->status, 200) << empty->body;
  EXPECT_EQ(empty->body, R"({"alerts":[]})");
  // No guarantee: an alert on release. Then a guarantee too small for the next list.
  Parcel p{"0006"};
  ASSERT_NO_FATAL_FAILURE(Declare(p));
  ASSERT_EQ(Post(customs_, "/api/v1/guarantees",
                 std::string(R"({"code":")") + kAgent + R"(","amount":"1.00"})")
                ->status,
            200);
  Parcel q{"0007"};
  ASSERT_NO_FATAL_FAILURE(Declare(q));

  for (const std::string& token : {customs_, tax_}) {
    auto r = Get(token, "/api/v1/alerts?limit=10");
    ASSERT_EQ(r->status, 200) << r->body;
    rapidjson::Document d = Json(r->body);
    ASSERT_TRUE(d.IsObject()) << r->body;
    ASSERT_EQ(d["alerts"].Size(), 2u) << r->body;
    EXPECT_STREQ(d["alerts"][0]["kind"].GetString(), "no-guarantee");
    EXPECT_STREQ(d["alerts"][1]["kind"].GetString(), "guarantee-short");
    for (const auto& a : d["alerts"].GetArray()) {
      EXPECT_STREQ(a["enterprise"].GetString(), kAgent);
      EXPECT_EQ(std::string(a["invtNo"].GetString()).size(), 18u);
    }
  }
  auto one = Get(customs_, "/api/v1/alerts?limit=1");
  EXPECT_EQ(Json(one->body)["alerts"].Size(), 1u);
  for (const std::string& token : {agent_, commerce_, ebp_}) {
    EXPECT_EQ(Get(token, "/api/v1/alerts")->status, 403);
  }
  for (const char* bad : {"0", "1001", "x", "-1"}) {
    auto r = Get(customs_, std::string("/api/v1/alerts?limit=") + bad);
    EXPECT_EQ(r->status, 400) << bad;
    EXPECT_EQ(FieldOf(r), "limit");
  }
  EXPECT_EQ(Get("", "/api/v1/alerts")->status, 401);
}

// Every clearance endpoint: 401 without a token (before anything else), and 503 with one
// when the server runs without the clearance engine.
TEST_P(ClearanceHttpTest, WithoutTokenOrEngine) {
  ASSERT_NO_FATAL_FAILURE(Start(/*inspect_all=*/false, /*with_clearance=*/false));
  struct Call {
    const char* method;
    std::string path;
    std::string body;
  };
  const std::vector<Call> calls = {
      {"GET", QuotaPath("320102199001011234"), ""},
      {"POST", "/api/v1/stock/inbound", R"({"records":[]})"},
      {"GET", "/api/v1/stock", ""},
      {"POST", "/api/v1/guarantees", R"({"code":"X","amount":"1"})"},
      {"GET", "/api/v1/guarantees/X", ""},
      {"GET", "/api/v1/taxbills/X", ""},
      {"GET", "/api/v1/taxbills/X?format=xml", ""},
      {"POST", "/api/v1/inventories/X/decision", R"({"decision":"release"})"},
      {"GET", "/api/v1/alerts", ""},
  };
  for (const Call& c : calls) {
    for (const std::string& token : {std::string(), std::string("not-a-token"), customs_}) {
      auto r = std::string(c.method) == "GET" ? Get(token, c.path) : Post(token, c.path, c.body);
      ASSERT_TRUE(r);
      int expected = token == customs_ ? 503 : 401;
      EXPECT_EQ(r->status, expected) << c.method << " " << c.path << ": " << r->body;
      rapidjson::Document d = Json(r->body);
      ASSERT_TRUE(d.IsObject() && d.HasMember("error")) << r->body;
      EXPECT_STREQ(d["error"]["code"].GetString(),
                   expected == 401 ? "unauthenticated" : "unavailable");
    }
  }
}

TEST_P(ClearanceHttpTest, ExportTaxRecordsForTaxUsersAndTheEnterprise) {
  ASSERT_NO_FATAL_FAILURE(Start());
  const std::string q =
      std::string("/api/v1/export-tax/records?ebcCode=") + kEbc + "&from=2026-10-01&to=2026-10-31";
  auto r = Get(ebc_, q);
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  rapidjson::Document d = Json(r->body);
  ASSERT_TRUE(d.IsObject()) << r->body;
  EXPECT_STREQ(d["ebcCode"].GetString(), kEbc);
  EXPECT_TRUE(d["lines"].IsArray());
  r = Get(tax_, q + "&format=csv");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200) << r->body;
  EXPECT_EQ(r->get_header_value("Content-Type"), "text/csv; charset=utf-8");
  EXPECT_EQ(r->body.substr(0, 3), "\xEF\xBB\xBF");
  r = Get(tax_, q + "&format=xlsx");
  ASSERT_TRUE(r);
  ASSERT_EQ(r->status, 200);
  EXPECT_EQ(r->body.substr(0, 2), "PK");
  for (const std::string& who : {customs_, stranger_, ebp_}) {
    r = Get(who, q);
    ASSERT_TRUE(r);
    EXPECT_EQ(r->status, 403) << r->body;
  }
  r = Get(ebc_, q + "&format=pdf");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  r = Get(ebc_, std::string("/api/v1/export-tax/records?ebcCode=") + kEbc + "&from=2026-10&to=x");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 400);
  r = Get("", q);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
}

INSTANTIATE_TEST_SUITE_P(Engines, ClearanceHttpTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace shumao

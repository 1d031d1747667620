// The annual quota under concurrency, across processes: two `shumao serve` on one
// PostgreSQL database (same key file, so buyer hashes agree), 16 clients posting the
// order, payment, waybill and list of 1,000 parcels for 10 buyers, each message of a
// parcel to the other server than the one before. Every buyer buys far more than 26,000
// in the year, so the quota must be taken exactly once per released list whichever
// process clears it. Then released lists are cancelled while new lists arrive, and the
// ledger must still equal the lists that hold quota, to the fen.
//
// Needs SHUMAO_TEST_PG_URL (scripts/test starts a server and sets it).
#include <gtest/gtest.h>
#include <httplib.h>
#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <functional>
#include <map>
#include <mutex>
#include <random>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "store/postgres/test_schema.h"
#include "support/shared_dir.h"
#include "support/shumao_process.h"

namespace shumao {
namespace {

namespace fs = std::filesystem;
using shumao::testing::CommandResult;
using shumao::testing::Fen;
using shumao::testing::ReadFile;
using shumao::testing::ShellQuote;
using shumao::testing::Yuan;

constexpr int kBuyers = 10;
constexpr int kParcels = 1000;     // first round, 100 per buyer
constexpr int kLateParcels = 200;  // second round, with the cancels
constexpr int kCancelsPerBuyer = 3;
constexpr int kClients = 16;
constexpr int64_t kAnnualLimitFen = 2600000;

// The parties of the run.
constexpr const char* kPlatform = "3201966A01";  // ebp and ebc
constexpr const char* kPlatformName = "苏州并发测试跨境电商有限公司";
constexpr const char* kPayer = "3201966P01";
constexpr const char* kPayerName = "苏州并发测试支付有限公司";
constexpr const char* kCarrier = "3201966L01";
constexpr const char* kCarrierName = "苏州并发测试国际物流有限公司";
constexpr const char* kAgent = "3201966G01";  // declares the lists and guarantees the tax
constexpr const char* kAgentName = "苏州并发测试报关有限公司";

struct Buyer {
  std::string id_number, name, phone, address;
};

struct Parcel {
  int n = 0;
  int buyer = 0;
  std::string order_no, pay_no, logistics_no, cop_no;
  int64_t goods = 0, freight = 0, tax = 0;            // fen
  int64_t Amount() const { return goods + freight; }  // what the quota counts (no insurance)
};

// GB 11643 check digit of an 18-character ID number.
std::string IdNumber(const std::string& first17) {
  static const int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (first17[i] - '0') * kWeights[i];
  return first17 + "10X98765432"[sum % 11];
}

std::vector<Buyer> MakeBuyers() {
  const char* names[kBuyers] = {"张伟", "王芳", "李娜", "刘洋", "陈静",
                                "杨帆", "赵磊", "黄敏", "周杰", "吴霞"};
  std::vector<Buyer> out;
  for (int i = 0; i < kBuyers; ++i) {
    char first17[18];
    std::snprintf(first17, sizeof first17, "3205051990%02d%02d%03d", 1 + i % 12, 10 + i, 100 + i);
    out.push_back({IdNumber(first17), names[i], "1391234560" + std::to_string(i),
                   "江苏省苏州市工业园区星湖街" + std::to_string(100 + i) + "号"});
  }
  return out;
}

// Now in Beijing as YYYYMMDDhhmmss.
std::string NowC14() {
  std::time_t t = std::time(nullptr) + 8 * 3600;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y%m%d%H%M%S", &tm);
  return buf;
}

std::string Guid(char kind, int n) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%c%07X-5A0C-4000-8000-%012X", kind, n, n);
  return buf;
}

// <ceb:name>value</ceb:name>
std::string E(const char* name, const std::string& value) {
  return std::string("<ceb:") + name + ">" + value + "</ceb:" + name + ">";
}

// The XML signature declarations carry (the schema requires it on lists and cancels); the
// platform checks its shape, not the SM2 value.
constexpr const char* kSignature =
    "<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\"><ds:SignedInfo>"
    "<ds:CanonicalizationMethod Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>"
    "<ds:SignatureMethod Algorithm=\"http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3\"/>"
    "<ds:Reference URI=\"\"><ds:Transforms><ds:Transform "
    "Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/></ds:Transforms>"
    "<ds:DigestMethod Algorithm=\"http://www.chinaport.gov.cn/2022/04/xmldsig#sm3\"/>"
    "<ds:DigestValue>xJm+2rqUGrdXf+q3gPNt45fd1qL2PYZones94f7/Cvo=</ds:DigestValue>"
    "</ds:Reference></ds:SignedInfo><ds:SignatureValue>S/FyG2/Or48IjMfy45kjztSJnuqa9rvHNXseZ3GjWF"
    "M60ZLcHlBAsQ6XEkoLOgYavH/S+Vvh8K2w4e1B72AK+w==</ds:SignatureValue><ds:KeyInfo>"
    "<ds:KeyName>101abcd5</ds:KeyName></ds:KeyInfo></ds:Signature>";

std::string Envelope(const char* type, int n, const std::string& body, const char* cop,
                     const char* cop_name, bool signed_message = false) {
  return std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:") + type +
         "Message guid=\"" + Guid('M', n) +
         "\" version=\"1.0\" xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">" + body +
         "<ceb:BaseTransfer>" + E("copCode", cop) + E("copName", cop_name) + E("dxpMode", "DXP") +
         E("dxpId", "DXPENT0000000001") + "</ceb:BaseTransfer>" +
         (signed_message ? kSignature : "") + "</ceb:" + type + "Message>";
}

constexpr const char* kItemName = "雀巢（Nestle）能恩全护婴儿配方奶粉3段 800克";
constexpr const char* kItemModel = "品牌:雀巢|规格:800克/罐|适用年龄:1-3岁";

// guid numbers: 10 per parcel (4 messages + 4 entities + a cancel's 2).
int GuidBase(const Parcel& p) { return p.n * 10; }

std::string OrderXml(const Parcel& p, const Buyer& b, const std::string& now) {
  std::string h = E("guid", Guid('E', GuidBase(p))) + E("appType", "1") + E("appTime", now) +
                  E("appStatus", "2") + E("orderType", "I") + E("orderNo", p.order_no) +
                  E("ebpCode", kPlatform) + E("ebpName", kPlatformName) + E("ebcCode", kPlatform) +
                  E("ebcName", kPlatformName) + E("goodsValue", Yuan(p.goods)) +
                  E("freight", Yuan(p.freight)) + E("discount", "0.00") +
                  E("taxTotal", Yuan(p.tax)) + E("acturalPaid", Yuan(p.Amount() + p.tax)) +
                  E("currency", "142") + E("buyerRegNo", "u" + b.phone) + E("buyerName", b.name) +
                  E("buyerTelephone", b.phone) + E("buyerIdType", "1") +
                  E("buyerIdNumber", b.id_number) + E("payCode", kPayer) +
                  E("payName", kPayerName) + E("payTransactionId", p.pay_no) +
                  E("consignee", b.name) + E("consigneeTelephone", b.phone) +
                  E("consigneeAddress", b.address) + E("consigneeDistrict", "320571");
  std::string line = E("gnum", "1") + E("itemNo", "NES-NAN3-800") + E("itemName", kItemName) +
                     E("gmodel", kItemModel) + E("barCode", "4091912610421") + E("unit", "122") +
                     E("qty", "1") + E("price", Yuan(p.goods)) + E("totalPrice", Yuan(p.goods)) +
                     E("currency", "142") + E("country", "304");
  return Envelope("CEB311", GuidBase(p),
                  "<ceb:Order><ceb:OrderHead>" + h + "</ceb:OrderHead><ceb:OrderList>" + line +
                      "</ceb:OrderList></ceb:Order>",
                  kPlatform, kPlatformName);
}

std::string PaymentXml(const Parcel& p, const Buyer& b, const std::string& now) {
  std::string h = E("guid", Guid('E', GuidBase(p) + 1)) + E("appType", "1") + E("appTime", now) +
                  E("appStatus", "2") + E("payCode", kPayer) + E("payName", kPayerName) +
                  E("payTransactionId", p.pay_no) + E("orderNo", p.order_no) +
                  E("ebpCode", kPlatform) + E("ebpName", kPlatformName) + E("payerIdType", "1") +
                  E("payerIdNumber", b.id_number) + E("payerName", b.name) +
                  E("telephone", b.phone) + E("amountPaid", Yuan(p.Amount() + p.tax)) +
                  E("currency", "142") + E("payTime", now);
  return Envelope("CEB411", GuidBase(p) + 1,
                  "<ceb:Payment><ceb:PaymentHead>" + h + "</ceb:PaymentHead></ceb:Payment>", kPayer,
                  kPayerName);
}

std::string WaybillXml(const Parcel& p, const Buyer& b, const std::string& now) {
  std::string h =
      E("guid", Guid('E', GuidBase(p) + 2)) + E("appType", "1") + E("appTime", now) +
      E("appStatus", "2") + E("logisticsCode", kCarrier) + E("logisticsName", kCarrierName) +
      E("logisticsNo", p.logistics_no) + E("billNo", "205-84238840") + E("orderNo", p.order_no) +
      E("freight", Yuan(p.freight)) + E("insuredFee", "0.00") + E("currency", "142") +
      E("weight", "1.2") + E("packNo", "1") + E("goodsInfo", std::string(kItemName) + "×1") +
      E("consignee", b.name) + E("consigneeAddress", b.address) + E("consigneeTelephone", b.phone);
  return Envelope("CEB511", GuidBase(p) + 2,
                  "<ceb:Logistics><ceb:LogisticsHead>" + h + "</ceb:LogisticsHead></ceb:Logistics>",
                  kCarrier, kCarrierName);
}

std::string ListXml(const Parcel& p, const Buyer& b, const std::string& now) {
  std::string day = now.substr(0, 8);
  std::string h =
      E("guid", Guid('E', GuidBase(p) + 3)) + E("appType", "1") + E("appTime", now) +
      E("appStatus", "2") + E("orderNo", p.order_no) + E("ebpCode", kPlatform) +
      E("ebpName", kPlatformName) + E("ebcCode", kPlatform) + E("ebcName", kPlatformName) +
      E("logisticsNo", p.logistics_no) + E("logisticsCode", kCarrier) +
      E("logisticsName", kCarrierName) + E("copNo", p.cop_no) + E("assureCode", kAgent) +
      E("ieFlag", "I") + E("declTime", day) + E("customsCode", "2317") + E("portCode", "2317") +
      E("ieDate", day) + E("buyerIdType", "1") + E("buyerIdNumber", b.id_number) +
      E("buyerName", b.name) + E("buyerTelephone", b.phone) + E("consigneeAddress", b.address) +
      E("agentCode", kAgent) + E("agentName", kAgentName) + E("tradeMode", "9610") +
      E("trafMode", "5") + E("trafNo", "NH933") + E("voyageNo", "NH933" + day.substr(4)) +
      E("billNo", "205-84238840") + E("country", "116") + E("freight", Yuan(p.freight)) +
      E("insuredFee", "0.00") + E("currency", "142") + E("wrapType", "2") + E("packNo", "1") +
      E("grossWeight", "1.2") + E("netWeight", "0.8");
  std::string line = E("gnum", "1") + E("itemNo", "NES-NAN3-800") + E("itemName", kItemName) +
                     E("gcode", "1901101000") + E("gname", kItemName) + E("gmodel", kItemModel) +
                     E("barCode", "4091912610421") + E("country", "304") + E("currency", "142") +
                     E("qty", "1") + E("unit", "122") + E("qty1", "0.8") + E("unit1", "035") +
                     E("price", Yuan(p.goods)) + E("totalPrice", Yuan(p.goods));
  return Envelope("CEB621", GuidBase(p) + 3,
                  "<ceb:Inventory><ceb:InventoryHead>" + h +
                      "</ceb:InventoryHead><ceb:InventoryList>" + line +
                      "</ceb:InventoryList></ceb:Inventory>",
                  kAgent, kAgentName, true);
}

std::string CancelXml(const Parcel& p, const Buyer& b, const std::string& invt_no,
                      const std::string& now) {
  std::string c = E("guid", Guid('E', GuidBase(p) + 4)) + E("appType", "1") + E("appTime", now) +
                  E("appStatus", "2") + E("customsCode", "2317") + E("orderNo", p.order_no) +
                  E("ebpCode", kPlatform) + E("ebpName", kPlatformName) + E("ebcCode", kPlatform) +
                  E("ebcName", kPlatformName) + E("logisticsNo", p.logistics_no) +
                  E("logisticsCode", kCarrier) + E("logisticsName", kCarrierName) +
                  E("copNo", p.cop_no) + E("invtNo", invt_no) + E("buyerIdType", "1") +
                  E("buyerIdNumber", b.id_number) + E("buyerName", b.name) +
                  E("buyerTelephone", b.phone) + E("agentCode", kAgent) +
                  E("agentName", kAgentName) + E("reason", "订购人取消订单");
  return Envelope("CEB623", GuidBase(p) + 4, "<ceb:InvtCancel>" + c + "</ceb:InvtCancel>", kAgent,
                  kAgentName, true);
}

Parcel MakeParcel(int n, std::mt19937& rng) {
  char buf[32];
  Parcel p;
  p.n = n;
  p.buyer = n % kBuyers;
  std::snprintf(buf, sizeof buf, "QCO%09d", n);
  p.order_no = buf;
  std::snprintf(buf, sizeof buf, "QCP2026%011d", n);
  p.pay_no = buf;
  std::snprintf(buf, sizeof buf, "QCL%010d", n);
  p.logistics_no = buf;
  std::snprintf(buf, sizeof buf, "QCC%09d", n);
  p.cop_no = buf;
  // goods + freight from 190.00 to 600.00: about 40,000 per buyer for 100 parcels.
  p.goods = std::uniform_int_distribution<int64_t>(18000, 56000)(rng);
  p.freight = std::uniform_int_distribution<int64_t>(1000, 4000)(rng);
  // 13% VAT at 70% on goods + freight, rounded to the fen.
  p.tax = (p.Amount() * 91 + 500) / 1000;
  return p;
}

std::string Str(const rapidjson::Value& o, const char* name) {
  return o.IsObject() && o.HasMember(name) && o[name].IsString() ? o[name].GetString() : "";
}

bool Accepted(const httplib::Result& r) {
  return r && r->status == 200 &&
         r->body.find("<ceb:returnStatus>2</ceb:returnStatus>") != std::string::npos;
}

std::string Describe(const httplib::Result& r) {
  if (!r) return "no answer: " + httplib::to_string(r.error());
  return "HTTP " + std::to_string(r->status) + ": " + r->body.substr(0, 600);
}

class QuotaConcurrencyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const char* env = std::getenv("SHUMAO_TEST_PG_URL");
    if (env == nullptr || *env == '\0') {
      GTEST_FAIL() << "SHUMAO_TEST_PG_URL is not set: run the tests with scripts/test (make "
                      "test), which starts a PostgreSQL server";
    }
    base_ = env;
    schema_ = "quota_conc_" + std::to_string(getpid());
    auto url = store::CreateTestSchema(base_, schema_);
    ASSERT_TRUE(url.ok()) << url.status().ToString();
    url_ = *url;
    dir_ = fs::temp_directory_path() / ("shumao-quota-conc-" + std::to_string(getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    key_ = (dir_ / "zone.key").string();
    log_ = (dir_ / "cli.log").string();
  }

  void TearDown() override {
    for (pid_t pid : servers_) shumao::testing::Terminate(pid);
    if (!schema_.empty()) (void)store::DropTestSchema(base_, schema_);
    if (!HasFailure()) {
      fs::remove_all(dir_);
    } else if (!dir_.empty()) {
      std::printf("quota concurrency: logs kept in %s\n", dir_.c_str());
    }
  }

  // `shumao ARGS --db URL --key-file KEY`.
  CommandResult Run(const std::string& args) {
    return shumao::testing::Shumao(
        args + " --db " + ShellQuote(url_) + " --key-file " + ShellQuote(key_), log_);
  }

  // The token printed by `enterprise add` or `user add`.
  std::string Token(const std::string& args) {
    CommandResult r = Run(args);
    rapidjson::Document d;
    d.Parse(r.out.c_str());
    EXPECT_EQ(r.code, 0) << args << "\n" << ReadFile(log_);
    EXPECT_TRUE(d.IsObject()) << r.out;
    return d.IsObject() ? Str(d, "token") : "";
  }

  // Starts `shumao serve` on a free port; returns the port, 0 if it did not come up.
  int StartServer(int index) {
    int port = shumao::testing::FreePort();
    pid_t pid = shumao::testing::Spawn(
        {"serve", "--db", url_, "--key-file", key_, "--listen", "127.0.0.1:" + std::to_string(port),
         "--inspection-rate", "0", "--no-screening", "--log-level", "warn", "--schemas",
         shumao::testing::SharedDir() + "/ceb/xsd"},
        (dir_ / ("serve" + std::to_string(index) + ".log")).string());
    if (pid == 0) return 0;
    servers_.push_back(pid);
    httplib::Client c("127.0.0.1", port);
    for (int i = 0; i < 400; ++i) {
      if (auto r = c.Get("/healthz"); r && r->status == 200) return port;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return 0;
  }

  std::string base_, schema_, url_, key_, log_;
  fs::path dir_;
  std::vector<pid_t> servers_;
};

TEST_F(QuotaConcurrencyTest, TwoServersNeverTakeABuyerPastTheAnnualLimit) {
  auto t0 = std::chrono::steady_clock::now();
  auto seconds = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  };
  // Parties, once, with the CLI.
  const std::string platform =
      Token(std::string("enterprise add --code ") + kPlatform + " --name " +
            ShellQuote(kPlatformName) + " --role ebp --role ebc");
  const std::string payer = Token(std::string("enterprise add --code ") + kPayer + " --name " +
                                  ShellQuote(kPayerName) + " --role payment");
  const std::string carrier = Token(std::string("enterprise add --code ") + kCarrier + " --name " +
                                    ShellQuote(kCarrierName) + " --role logistics");
  const std::string agent = Token(std::string("enterprise add --code ") + kAgent + " --name " +
                                  ShellQuote(kAgentName) + " --role agent");
  const std::string customs = Token("user add --department customs --name officer1");
  ASSERT_FALSE(HasFailure());

  int ports[2] = {StartServer(0), StartServer(1)};
  ASSERT_NE(ports[0], 0) << ReadFile((dir_ / "serve0.log").string());
  ASSERT_NE(ports[1], 0) << ReadFile((dir_ / "serve1.log").string());

  const std::vector<Buyer> buyers = MakeBuyers();
  std::mt19937 rng(20260301);
  std::vector<Parcel> parcels;
  for (int n = 0; n < kParcels + kLateParcels; ++n) parcels.push_back(MakeParcel(n, rng));
  const std::string year = NowC14().substr(0, 4);

  std::mutex mu;
  std::vector<std::string> errors;
  auto error = [&](const std::string& e) {
    std::lock_guard lock(mu);
    errors.push_back(e);
  };
  // Sends the four documents of parcel n, each to the other server than the one before.
  auto send_parcel = [&](httplib::Client* clients[2], const Parcel& p) {
    const Buyer& b = buyers[p.buyer];
    std::string now = NowC14();
    const std::pair<const std::string*, std::string> messages[] = {
        {&platform, OrderXml(p, b, now)},
        {&payer, PaymentXml(p, b, now)},
        {&carrier, WaybillXml(p, b, now)},
        {&agent, ListXml(p, b, now)}};
    for (int k = 0; k < 4; ++k) {
      httplib::Client* c = clients[(p.n + k) % 2];
      auto r = c->Post("/api/v1/messages", {{"Authorization", "Bearer " + *messages[k].first}},
                       messages[k].second, "application/xml");
      if (!Accepted(r)) error(p.cop_no + " message " + std::to_string(k) + ": " + Describe(r));
    }
  };
  // Runs `task(clients, i)` for i in [0, n) on kClients threads.
  auto run_parallel = [&](int n, const std::function<void(httplib::Client**, int)>& task) {
    std::atomic<int> next{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < kClients; ++t) {
      threads.emplace_back([&] {
        httplib::Client a("127.0.0.1", ports[0]), b("127.0.0.1", ports[1]);
        for (httplib::Client* c : {&a, &b}) {
          c->set_keep_alive(true);
          c->set_read_timeout(60, 0);
        }
        httplib::Client* clients[2] = {&a, &b};
        for (int i = next++; i < n; i = next++) task(clients, i);
      });
    }
    for (auto& t : threads) t.join();
  };

  // Round 1: 1,000 parcels.
  double start1 = seconds();
  run_parallel(kParcels, [&](httplib::Client** c, int i) { send_parcel(c, parcels[i]); });
  double round1 = seconds() - start1;
  ASSERT_TRUE(errors.empty()) << errors.size() << " messages not accepted, first: " << errors[0];

  // What clearance decided, from the agent's receipt feed: released (800, with its invtNo)
  // or refused.
  httplib::Client feed("127.0.0.1", ports[0]);
  std::map<std::string, std::string> invt_of;                // copNo → invtNo
  std::map<std::string, std::set<std::string>> receipts_of;  // copNo → returnStatus seen
  for (std::string after = "0";;) {
    auto r = feed.Get("/api/v1/receipts?limit=1000&after=" + after,
                      {{"Authorization", "Bearer " + agent}});
    ASSERT_TRUE(r && r->status == 200) << Describe(r);
    rapidjson::Document d;
    d.Parse(r->body.c_str());
    ASSERT_TRUE(d.IsObject() && d["receipts"].IsArray()) << r->body.substr(0, 300);
    for (const auto& rec : d["receipts"].GetArray()) {
      if (Str(rec, "type") != "CEB622") continue;
      const auto& keys = rec["keys"];
      std::string cop = Str(keys, "key");
      receipts_of[cop].insert(Str(rec, "returnStatus"));
      if (!Str(keys, "invtNo").empty()) invt_of[cop] = Str(keys, "invtNo");
    }
    if (d["receipts"].Size() == 0) break;
    after = d["next"].IsString() ? d["next"].GetString() : std::to_string(d["next"].GetInt64());
  }
  std::vector<int64_t> used1(kBuyers, 0), min_refused1(kBuyers, INT64_MAX);
  int released1 = 0, refused1 = 0;
  for (int i = 0; i < kParcels; ++i) {
    const Parcel& p = parcels[i];
    const auto& seen = receipts_of[p.cop_no];
    if (seen.count("800")) {
      ++released1;
      used1[p.buyer] += p.Amount();
      EXPECT_FALSE(invt_of[p.cop_no].empty()) << p.cop_no;
    } else if (seen.count("-621018")) {
      ++refused1;
      min_refused1[p.buyer] = std::min(min_refused1[p.buyer], p.Amount());
    } else {
      ADD_FAILURE() << p.cop_no << " neither released nor refused for the annual limit; saw "
                    << seen.size() << " receipt statuses";
    }
  }
  std::printf("round 1: %d parcels (%d messages) in %.1f s: %d released, %d refused (-621018)\n",
              kParcels, kParcels * 4, round1, released1, refused1);
  for (int b = 0; b < kBuyers; ++b) {
    EXPECT_LE(used1[b], kAnnualLimitFen) << "buyer " << b;
    // The refusals were needed: not even the smallest refused list still fits.
    EXPECT_GT(used1[b] + min_refused1[b], kAnnualLimitFen)
        << "buyer " << b << " used " << Yuan(used1[b]) << ", smallest refused "
        << Yuan(min_refused1[b]);
  }

  // Round 2: cancel released lists while new lists of the same buyers arrive.
  std::vector<int> to_cancel;  // parcel indices
  std::vector<int> cancels_of(kBuyers, 0);
  for (int i = 0; i < kParcels; ++i) {
    const Parcel& p = parcels[i];
    if (invt_of.count(p.cop_no) && receipts_of[p.cop_no].count("800") &&
        cancels_of[p.buyer] < kCancelsPerBuyer) {
      ++cancels_of[p.buyer];
      to_cancel.push_back(i);
    }
  }
  ASSERT_EQ(to_cancel.size(), static_cast<size_t>(kBuyers * kCancelsPerBuyer));
  // Tasks: a cancel (negative: -1 - index into to_cancel) after every few new parcels.
  std::vector<int> tasks;
  for (int i = 0, c = 0; i < kLateParcels || c < static_cast<int>(to_cancel.size());) {
    if (i < kLateParcels) tasks.push_back(kParcels + i++);
    if (i % 6 == 0 && c < static_cast<int>(to_cancel.size())) tasks.push_back(-1 - c++);
  }
  std::set<std::string> cancelled;
  double start2 = seconds();
  run_parallel(static_cast<int>(tasks.size()), [&](httplib::Client** c, int t) {
    int task = tasks[t];
    if (task >= 0) return send_parcel(c, parcels[task]);
    const Parcel& p = parcels[to_cancel[-1 - task]];
    auto r = c[t % 2]->Post("/api/v1/messages", {{"Authorization", "Bearer " + agent}},
                            CancelXml(p, buyers[p.buyer], invt_of[p.cop_no], NowC14()),
                            "application/xml");
    if (!Accepted(r)) return error(p.cop_no + " cancel: " + Describe(r));
    std::lock_guard lock(mu);
    cancelled.insert(p.cop_no);
  });
  double round2 = seconds() - start2;
  ASSERT_TRUE(errors.empty()) << errors.size() << " messages not accepted, first: " << errors[0];

  // Final state of every list, from the documents API.
  std::vector<int64_t> held(kBuyers, 0);  // amounts of lists still released (800)
  std::vector<int> released(kBuyers, 0), refused(kBuyers, 0);
  int64_t held_total = 0;
  int late_released = 0, late_refused = 0;
  for (const Parcel& p : parcels) {
    auto r = feed.Get("/api/v1/documents/inventories/" + p.cop_no,
                      {{"Authorization", "Bearer " + agent}});
    ASSERT_TRUE(r && r->status == 200) << p.cop_no << " " << Describe(r);
    rapidjson::Document d;
    d.Parse(r->body.c_str());
    ASSERT_TRUE(d.IsObject()) << r->body.substr(0, 300);
    std::string status = Str(d, "status"), info = Str(d, "returnInfo");
    bool codes_621018 = false;
    for (const auto& h : d["history"].GetArray()) codes_621018 |= Str(h, "status") == "-621018";
    if (cancelled.count(p.cop_no)) {
      EXPECT_EQ(status, "100") << p.cop_no << " was cancelled: " << info;
      EXPECT_NE(info.find("撤销"), std::string::npos) << p.cop_no << ": " << info;
      continue;
    }
    if (status == "800") {
      held[p.buyer] += p.Amount();
      held_total += p.Amount();
      ++released[p.buyer];
      if (p.n >= kParcels) ++late_released;
      continue;
    }
    ++refused[p.buyer];
    if (p.n >= kParcels) ++late_refused;
    EXPECT_EQ(status, "100") << p.cop_no << ": " << info;
    EXPECT_TRUE(codes_621018) << p.cop_no << " refused without -621018: " << info;
    // "订购人年度交易累计金额[USED+AMOUNT]超过年度限值[26000.00]": the refusal was due.
    size_t open = info.find('['), plus = info.find('+', open), close = info.find(']', open);
    ASSERT_TRUE(open != std::string::npos && plus < close && close != std::string::npos) << info;
    auto before = Fen(info.substr(open + 1, plus - open - 1));
    auto amount = Fen(info.substr(plus + 1, close - plus - 1));
    ASSERT_TRUE(before && amount) << info;
    EXPECT_EQ(*amount, p.Amount()) << p.cop_no << ": " << info;
    EXPECT_GT(*before + *amount, kAnnualLimitFen) << p.cop_no << ": " << info;
    EXPECT_LE(*before, kAnnualLimitFen) << p.cop_no << ": " << info;
  }

  // Each buyer's quota: within the limit and exactly the lists that hold it.
  httplib::Client q("127.0.0.1", ports[1]);
  std::printf("round 2: %d cancels and %d new parcels in %.1f s: %d released, %d refused\n",
              static_cast<int>(cancelled.size()), kLateParcels, round2, late_released,
              late_refused);
  std::printf("%-5s %-20s %10s %10s %9s %8s\n", "buyer", "idNumber", "round 1", "final", "released",
              "refused");
  for (int b = 0; b < kBuyers; ++b) {
    auto r = q.Get("/api/v1/quota?idType=1&idNumber=" + buyers[b].id_number + "&year=" + year,
                   {{"Authorization", "Bearer " + customs}});
    ASSERT_TRUE(r && r->status == 200) << Describe(r);
    rapidjson::Document d;
    d.Parse(r->body.c_str());
    auto used = Fen(Str(d, "used"));
    ASSERT_TRUE(used.has_value()) << r->body;
    EXPECT_LE(*used, kAnnualLimitFen) << "buyer " << b << ": " << r->body;
    EXPECT_EQ(*used, held[b]) << "buyer " << b << ": the ledger says " << Str(d, "used")
                              << ", the released lists hold " << Yuan(held[b]);
    std::printf("%-5d %-20s %10s %10s %9d %8d\n", b, buyers[b].id_number.c_str(),
                Yuan(used1[b]).c_str(), Str(d, "used").c_str(), released[b], refused[b]);
  }

  // Stop the servers (SIGTERM ends them cleanly), then audit the ledger.
  for (pid_t pid : servers_) EXPECT_EQ(shumao::testing::Terminate(pid), 0);
  servers_.clear();
  CommandResult audit = Run("quota audit --year " + year);
  ASSERT_EQ(audit.code, 0) << audit.out << ReadFile(log_);
  rapidjson::Document a;
  a.Parse(audit.out.c_str());
  ASSERT_TRUE(a.IsObject()) << audit.out;
  EXPECT_TRUE(a["balanced"].IsTrue()) << audit.out;
  EXPECT_EQ(Fen(Str(a, "ledger")), held_total) << audit.out << " vs " << Yuan(held_total);
  EXPECT_EQ(Fen(Str(a, "lists")), held_total) << audit.out << " vs " << Yuan(held_total);
  EXPECT_LE(Fen(Str(a, "maxUsed")).value_or(INT64_MAX), kAnnualLimitFen) << audit.out;
  std::printf("quota audit: %s", audit.out.c_str());
  std::printf("total %.1f s\n", seconds());
}

}  // namespace
}  // namespace shumao

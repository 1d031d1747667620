// The clearance engine end to end on both engines, through the intake as in production:
// CEB311/411/511/621 built from one parcel description and sent by the parties that own
// them, in any order; the three-document match, the quota ledger, the tax and its CEB816
// bill, cancels, returns, the tax window against a guarantee, bonded stock and the
// inspection lane, read back from the documents, their history, the receipts feed and the
// engine's own views. Time is a FixedClock: the intake stamps each message with it and the
// engine decides with that time; Tick gets its time explicitly.
#include "clearance/clearance.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <ostream>
#include <regex>
#include <string>
#include <vector>

#include "../../tests/support/shared_dir.h"
#include "ceb/catalog.h"
#include "ceb/codec.h"
#include "ceb/xsd_validator.h"
#include "intake/test_env.h"
#include "tax/tax.h"

namespace shumao {

// Decimals print as numbers in failure messages.
void PrintTo(const Decimal& d, std::ostream* os) { *os << d.ToShortString(); }

namespace clearance {
namespace {

using intake::EntityOutcome;
using intake::IntakeEnv;

constexpr int64_t kMinute = 60 * 1000;
constexpr int64_t kHour = 60 * kMinute;
constexpr int64_t kDay = 24 * kHour;

// The parties of every parcel, each registered in its one role.
const std::string kEbp = "EBP0000001";
const std::string kEbc = "EBC0000001";
const std::string kPay = "PAY0000001";
const std::string kLogistics = "LOG0000001";
const std::string kAgent = "AGT0000001";  // also the tax guarantor (assureCode)
const std::string kWarehouse = "WHS0000001";
const std::string kCustoms = "2900";

Decimal D(const char* text) {
  auto d = Decimal::Parse(text);
  EXPECT_TRUE(d.ok()) << text;
  return d.ok() ? *d : Decimal();
}

Timestamp Beijing(int y, int mo, int d, int h = 10, int mi = 0, int s = 0) {
  return FromBeijing(CivilTime{y, mo, d, h, mi, s, 0});
}

Timestamp Plus(Timestamp t, int64_t ms) { return Timestamp{t.millis + ms}; }

// One goods line as the order declares it; the list repeats it unless a test changes it.
struct Goods {
  std::string gcode = "1901101000";  // infant formula: 13% VAT, no consumption tax
  std::string name = "婴儿配方奶粉";
  std::string model = "900克/罐";
  std::string unit = "011";
  std::string qty = "2";
  std::string price = "150";
  std::string item_record_no;  // bonded ledger item (1210)
  int gnum = 0;                // 0: its position, from 1
};

// Everything the four declarations of one parcel say. Each test changes one field.
struct Parcel {
  std::string order_no, cop_no, logistics_no, pay_tx;
  std::string buyer_id_type = "1";
  std::string buyer_id = "330102199001011234";
  std::string buyer_name = "张三";
  std::string buyer_phone = "13800000001";
  std::string payer_id, payer_name;  // empty: the buyer
  std::string consignee = "李四";
  std::string consignee_phone = "13900000002";
  std::string consignee_address = "浙江省杭州市西湖区文三路1号";
  std::vector<Goods> goods{Goods{}};
  std::string freight = "10";
  std::string discount = "0";
  std::string tax_total = "0";
  std::string trade_mode = "9610";
  std::string area_code, ems_no;  // 1210
  // Where one document departs from the order (empty: as the order says).
  std::string actural_paid, amount_paid;
  std::string waybill_consignee, waybill_phone, waybill_address;
  std::string list_buyer_phone;
  std::vector<Goods> list_goods;
  std::string list_app_type = "1";

  Decimal GoodsValue() const {
    Decimal v;
    for (const Goods& g : goods) v += D(g.qty.c_str()).Mul(D(g.price.c_str()));
    return v;
  }
  std::string ActuralPaid() const {
    if (!actural_paid.empty()) return actural_paid;
    return (GoodsValue() + D(freight.c_str()) + D(tax_total.c_str()) - D(discount.c_str()))
        .ToShortString();
  }
};

// `<ceb:name>value</ceb:name>`; optional elements are left out when empty.
struct Xml {
  std::string out;
  Xml& Tag(const std::string& name, const std::string& value) {
    out += "<ceb:" + name + ">" + value + "</ceb:" + name + ">";
    return *this;
  }
  Xml& Opt(const std::string& name, const std::string& value) {
    return value.empty() ? *this : Tag(name, value);
  }
  Xml& Open(const std::string& name) {
    out += "<ceb:" + name + ">";
    return *this;
  }
  Xml& Close(const std::string& name) {
    out += "</ceb:" + name + ">";
    return *this;
  }
};

// A line of `qty` pieces (unit 011) at `price`.
Goods Item(std::string gcode, std::string name, std::string model, std::string qty,
           std::string price) {
  Goods g;
  g.gcode = std::move(gcode);
  g.name = std::move(name);
  g.model = std::move(model);
  g.qty = std::move(qty);
  g.price = std::move(price);
  return g;
}

std::string LineTotal(const Goods& g) {
  return D(g.qty.c_str()).Mul(D(g.price.c_str())).ToShortString();
}

std::string Gnum(const Goods& g, size_t i) { return std::to_string(g.gnum ? g.gnum : int(i) + 1); }

class ClearanceTest : public ::testing::TestWithParam<std::string> {
 protected:
  static constexpr int kYear = 2026;
  const Timestamp t0_ = Beijing(2026, 3, 10);

  void SetUp() override {
    clock_.Set(t0_);
    env_ = std::make_unique<IntakeEnv>(GetParam());
    auto make = [this](store::Store* s,
                       std::shared_ptr<const Vault> v) -> std::unique_ptr<intake::Hook> {
      Options o;
      o.clock = &clock_;
      o.vault = std::move(v);
      o.risk = risk_.get();
      auto e = Engine::Create(s, std::move(o));
      if (!e.ok()) {
        ADD_FAILURE() << e.status().ToString();
        return nullptr;
      }
      engine_ = e->get();
      return std::move(*e);
    };
    ASSERT_TRUE(env_->Open(&clock_, nullptr, make));
    RegisterParties({});
  }

  void RegisterParties(const std::vector<std::string>& extra_ebp_roles) {
    std::vector<std::string> ebp{"ebp"};
    ebp.insert(ebp.end(), extra_ebp_roles.begin(), extra_ebp_roles.end());
    env_->Register(kEbp, ebp);
    env_->Register(kEbc, {"ebc"});
    env_->Register(kPay, {"payment"});
    env_->Register(kLogistics, {"logistics"});
    env_->Register(kAgent, {"agent"});
    env_->Register(kWarehouse, {"warehouse"});
  }

  static const ceb::XsdValidator& Xsd() {
    static const std::unique_ptr<ceb::XsdValidator> xsd = [] {
      auto x = ceb::XsdValidator::Load(shumao::testing::SharedDir() + "/ceb/xsd");
      EXPECT_TRUE(x.ok()) << x.status().ToString();
      return x.ok() ? std::move(*x) : nullptr;
    }();
    return *xsd;
  }

  // ------------------------------------------------------------------ declarations

  Parcel NewParcel() {
    int n = ++parcels_;
    Parcel p;
    p.order_no = "ORD-" + std::to_string(n);
    p.cop_no = "COP-" + std::to_string(n);
    p.logistics_no = "LN-" + std::to_string(n);
    p.pay_tx = "PT-" + std::to_string(n);
    return p;
  }

  std::string Guid() {
    char buf[40];
    std::snprintf(buf, sizeof buf, "C1EA0000-0000-4000-8000-%012d", ++guids_);
    return buf;
  }

  // The signature block of the official list sample: the schema requires one, and it is
  // kept as it is while no certificate is registered for the sender.
  static const std::string& Signature() {
    static const std::string sig = [] {
      std::string s = shumao::testing::ReadFile(shumao::testing::SharedDir() +
                                                "/ceb/samples/import/CEB621Message.xml");
      size_t a = s.find("<ds:Signature");
      size_t b = s.find("</ds:Signature>");
      EXPECT_NE(a, std::string::npos);
      EXPECT_NE(b, std::string::npos);
      return a == std::string::npos || b == std::string::npos ? std::string()
                                                              : s.substr(a, b + 15 - a);
    }();
    return sig;
  }

  std::string Wrap(const std::string& type, const std::string& entity) {
    Xml base;
    base.Open("BaseTransfer")
        .Tag("copCode", kAgent)
        .Tag("copName", "测试企业")
        .Tag("dxpMode", "DXP")
        .Tag("dxpId", "DXPENT0000000001")
        .Close("BaseTransfer");
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:" + type + "Message guid=\"" + Guid() +
           "\" version=\"1.0\" xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">" + entity + base.out +
           Signature() + "</ceb:" + type + "Message>";
  }

  Xml& Common(Xml& x, const std::string& app_type = "1", const std::string& app_status = "2") {
    return x.Tag("guid", Guid())
        .Tag("appType", app_type)
        .Tag("appTime", FormatC14(clock_.Now()))
        .Tag("appStatus", app_status);
  }

  std::string OrderXml(const Parcel& p) {
    Xml x;
    x.Open("Order").Open("OrderHead");
    Common(x)
        .Tag("orderType", "I")
        .Tag("orderNo", p.order_no)
        .Tag("ebpCode", kEbp)
        .Tag("ebpName", "测试平台")
        .Tag("ebcCode", kEbc)
        .Tag("ebcName", "测试电商")
        .Tag("goodsValue", p.GoodsValue().ToShortString())
        .Tag("freight", p.freight)
        .Tag("discount", p.discount)
        .Tag("taxTotal", p.tax_total)
        .Tag("acturalPaid", p.ActuralPaid())
        .Tag("currency", "142")
        .Tag("buyerRegNo", "U" + p.buyer_id)
        .Tag("buyerName", p.buyer_name)
        .Tag("buyerTelephone", p.buyer_phone)
        .Tag("buyerIdType", p.buyer_id_type)
        .Tag("buyerIdNumber", p.buyer_id)
        .Tag("payCode", kPay)
        .Tag("payName", "测试支付")
        .Tag("payTransactionId", p.pay_tx)
        .Tag("consignee", p.consignee)
        .Tag("consigneeTelephone", p.consignee_phone)
        .Tag("consigneeAddress", p.consignee_address)
        .Close("OrderHead");
    for (size_t i = 0; i < p.goods.size(); ++i) {
      const Goods& g = p.goods[i];
      x.Open("OrderList")
          .Tag("gnum", std::to_string(i + 1))
          .Tag("itemName", g.name)
          .Tag("gmodel", g.model)
          .Tag("unit", g.unit)
          .Tag("qty", g.qty)
          .Tag("price", g.price)
          .Tag("totalPrice", LineTotal(g))
          .Tag("currency", "142")
          .Tag("country", "116")
          .Close("OrderList");
    }
    x.Close("Order");
    return Wrap("CEB311", x.out);
  }

  std::string PaymentXml(const Parcel& p) {
    Xml x;
    x.Open("Payment").Open("PaymentHead");
    Common(x)
        .Tag("payCode", kPay)
        .Tag("payName", "测试支付")
        .Tag("payTransactionId", p.pay_tx)
        .Tag("orderNo", p.order_no)
        .Tag("ebpCode", kEbp)
        .Tag("ebpName", "测试平台")
        .Tag("payerIdType", "1")
        .Tag("payerIdNumber", p.payer_id.empty() ? p.buyer_id : p.payer_id)
        .Tag("payerName", p.payer_name.empty() ? p.buyer_name : p.payer_name)
        .Tag("telephone", p.buyer_phone)
        .Tag("amountPaid", p.amount_paid.empty() ? p.ActuralPaid() : p.amount_paid)
        .Tag("currency", "142")
        .Tag("payTime", FormatC14(clock_.Now()))
        .Close("PaymentHead")
        .Close("Payment");
    return Wrap("CEB411", x.out);
  }

  std::string WaybillXml(const Parcel& p) {
    auto pick = [](const std::string& a, const std::string& b) { return a.empty() ? b : a; };
    Xml x;
    x.Open("Logistics").Open("LogisticsHead");
    Common(x)
        .Tag("logisticsCode", kLogistics)
        .Tag("logisticsName", "测试物流")
        .Tag("logisticsNo", p.logistics_no)
        .Tag("orderNo", p.order_no)
        .Tag("freight", p.freight)
        .Tag("insuredFee", "0")
        .Tag("currency", "142")
        .Tag("weight", "1.5")
        .Tag("packNo", "1")
        .Tag("consignee", pick(p.waybill_consignee, p.consignee))
        .Tag("consigneeAddress", pick(p.waybill_address, p.consignee_address))
        .Tag("consigneeTelephone", pick(p.waybill_phone, p.consignee_phone))
        .Close("LogisticsHead")
        .Close("Logistics");
    return Wrap("CEB511", x.out);
  }

  std::string ListXml(const Parcel& p) {
    const std::vector<Goods>& goods = p.list_goods.empty() ? p.goods : p.list_goods;
    Xml x;
    x.Open("Inventory").Open("InventoryHead");
    Common(x, p.list_app_type)
        .Tag("orderNo", p.order_no)
        .Tag("ebpCode", kEbp)
        .Tag("ebpName", "测试平台")
        .Tag("ebcCode", kEbc)
        .Tag("ebcName", "测试电商")
        .Tag("logisticsNo", p.logistics_no)
        .Tag("logisticsCode", kLogistics)
        .Tag("logisticsName", "测试物流")
        .Tag("copNo", p.cop_no)
        .Tag("assureCode", kAgent)
        .Opt("emsNo", p.ems_no)
        .Tag("ieFlag", "I")
        .Tag("declTime", FormatC8(clock_.Now()))
        .Tag("customsCode", kCustoms)
        .Tag("portCode", kCustoms)
        .Tag("buyerIdType", p.buyer_id_type)
        .Tag("buyerIdNumber", p.buyer_id)
        .Tag("buyerName", p.buyer_name)
        .Tag("buyerTelephone", p.list_buyer_phone.empty() ? p.buyer_phone : p.list_buyer_phone)
        .Tag("consigneeAddress", p.consignee_address)
        .Tag("agentCode", kAgent)
        .Tag("agentName", "测试报关")
        .Opt("areaCode", p.area_code)
        .Opt("areaName", p.area_code.empty() ? "" : "测试区内仓")
        .Tag("tradeMode", p.trade_mode)
        .Tag("trafMode", "5")
        .Tag("trafNo", "CA1001")
        .Tag("voyageNo", "CA1001")
        .Tag("billNo", "MAWB-001")
        .Tag("country", "116")
        .Tag("freight", p.freight)
        .Tag("insuredFee", "0")
        .Tag("currency", "142")
        .Tag("packNo", "1")
        .Tag("grossWeight", "1.5")
        .Tag("netWeight", "1.2")
        .Close("InventoryHead");
    for (size_t i = 0; i < goods.size(); ++i) {
      const Goods& g = goods[i];
      x.Open("InventoryList")
          .Tag("gnum", Gnum(g, i))
          .Opt("itemRecordNo", g.item_record_no)
          .Tag("itemName", g.name)
          .Tag("gcode", g.gcode)
          .Tag("gname", g.name)
          .Tag("gmodel", g.model)
          .Tag("country", "116")
          .Tag("currency", "142")
          .Tag("qty", g.qty)
          .Tag("unit", g.unit)
          .Tag("qty1", g.qty)
          .Tag("unit1", g.unit)
          .Tag("price", g.price)
          .Tag("totalPrice", LineTotal(g))
          .Close("InventoryList");
    }
    x.Close("Inventory");
    return Wrap("CEB621", x.out);
  }

  // appType/appStatus "1"/"2": a new declaration; "1"/"1" saves it; "2"/"2" declares it.
  std::string CancelXml(const Parcel& p, const std::string& invt_no, const std::string& cop_no,
                        const std::string& app_type = "1", const std::string& app_status = "2") {
    Xml x;
    x.Open("InvtCancel");
    Common(x, app_type, app_status)
        .Tag("customsCode", kCustoms)
        .Tag("orderNo", p.order_no)
        .Tag("ebpCode", kEbp)
        .Tag("ebpName", "测试平台")
        .Tag("ebcCode", kEbc)
        .Tag("ebcName", "测试电商")
        .Tag("logisticsNo", p.logistics_no)
        .Tag("logisticsCode", kLogistics)
        .Tag("logisticsName", "测试物流")
        .Tag("copNo", cop_no)
        .Tag("invtNo", invt_no)
        .Tag("buyerIdType", p.buyer_id_type)
        .Tag("buyerIdNumber", p.buyer_id)
        .Tag("buyerName", p.buyer_name)
        .Tag("buyerTelephone", p.buyer_phone)
        .Tag("agentCode", kAgent)
        .Tag("agentName", "测试报关")
        .Tag("reason", "订单取消")
        .Close("InvtCancel");
    return Wrap("CEB623", x.out);
  }

  // A return of `qty` pieces of line `gnum` (1-based) of the parcel's list.
  std::string ReturnXml(const Parcel& p, const std::string& invt_no, const std::string& cop_no,
                        int gnum, const std::string& qty, const std::string& app_status = "2") {
    const Goods& g = p.goods.at(gnum - 1);
    Xml x;
    x.Open("InvtRefund").Open("InvtRefundHead");
    Common(x, "1", app_status)
        .Tag("customsCode", kCustoms)
        .Tag("orderNo", p.order_no)
        .Tag("ebpCode", kEbp)
        .Tag("ebpName", "测试平台")
        .Tag("ebcCode", kEbc)
        .Tag("ebcName", "测试电商")
        .Tag("logisticsNo", p.logistics_no)
        .Tag("logisticsCode", kLogistics)
        .Tag("logisticsName", "测试物流")
        .Tag("copNo", cop_no)
        .Tag("invtNo", invt_no)
        .Tag("buyerIdType", p.buyer_id_type)
        .Tag("buyerIdNumber", p.buyer_id)
        .Tag("buyerName", p.buyer_name)
        .Tag("buyerTelephone", p.buyer_phone)
        .Tag("agentCode", kAgent)
        .Tag("agentName", "测试报关")
        .Tag("reason", "七天无理由退货")
        .Close("InvtRefundHead")
        .Open("InvtRefundList")
        .Tag("gnum", std::to_string(gnum))
        .Tag("gcode", g.gcode)
        .Tag("gname", g.name)
        .Tag("qty", qty)
        .Tag("unit", g.unit)
        .Close("InvtRefundList")
        .Close("InvtRefund");
    return Wrap("CEB625", x.out);
  }

  // The arrival of the parcel's waybill at the supervised site (入库明细单).
  std::string DeliveryXml(const Parcel& p, const std::string& cop_no) {
    Xml x;
    x.Open("Delivery").Open("DeliveryHead");
    Common(x)
        .Tag("customsCode", kCustoms)
        .Tag("copNo", cop_no)
        .Tag("operatorCode", kWarehouse)
        .Tag("operatorName", "测试监管场所")
        .Tag("ieFlag", "I")
        .Tag("trafMode", "4")
        .Tag("trafNo", "浙A12345")
        .Tag("voyageNo", "R" + cop_no)
        .Tag("billNo", "RB" + cop_no)
        .Tag("logisticsCode", kLogistics)
        .Tag("logisticsName", "测试物流")
        .Close("DeliveryHead")
        .Open("DeliveryList")
        .Tag("gnum", "1")
        .Tag("logisticsNo", p.logistics_no)
        .Close("DeliveryList")
        .Close("Delivery");
    return Wrap("CEB711", x.out);
  }

  // ------------------------------------------------------------------ sending

  // Sends one declaration as `sender`; the synchronous answer of its one entity.
  EntityOutcome Send(const std::string& xml, const std::string& sender) {
    intake::Submission s;
    s.body = xml;
    s.principal = registry::Principal{registry::Principal::Kind::kEnterprise, sender, ""};
    intake::IntakeResult r = env_->intake->Submit(std::move(s));
    EXPECT_EQ(r.http_status, 200) << r.body;
    if (r.entities.size() != 1) {
      ADD_FAILURE() << "expected one entity in the answer: " << r.body;
      return {};
    }
    return r.entities[0];
  }

  // Sends a message of several entities; the synchronous answer of each.
  std::vector<EntityOutcome> SendMany(const std::string& xml, const std::string& sender) {
    intake::Submission s;
    s.body = xml;
    s.principal = registry::Principal{registry::Principal::Kind::kEnterprise, sender, ""};
    intake::IntakeResult r = env_->intake->Submit(std::move(s));
    EXPECT_EQ(r.http_status, 200) << r.body;
    return r.entities;
  }

  // `first` with the `entity` element of `second` added after its own.
  static std::string Merge(std::string first, const std::string& second,
                           const std::string& entity) {
    std::string open = "<ceb:" + entity + ">", close = "</ceb:" + entity + ">";
    size_t a = second.find(open), b = second.find(close);
    size_t at = first.find(close);
    EXPECT_NE(a, std::string::npos);
    EXPECT_NE(at, std::string::npos);
    first.insert(at + close.size(), second.substr(a, b + close.size() - a));
    return first;
  }

  void Declare(const std::string& xml, const std::string& sender) {
    EntityOutcome e = Send(xml, sender);
    EXPECT_EQ(e.return_status, "2") << e.kind << " " << e.key << ": " << e.return_info;
  }

  void SendOrder(const Parcel& p) { Declare(OrderXml(p), kEbp); }
  void SendPayment(const Parcel& p) { Declare(PaymentXml(p), kPay); }
  void SendWaybill(const Parcel& p) { Declare(WaybillXml(p), kLogistics); }
  void SendList(const Parcel& p) { Declare(ListXml(p), kAgent); }

  // The four declarations in the order given by `order`: o(rder) p(ayment) w(aybill) l(ist).
  void SendAll(const Parcel& p, const std::string& order = "opwl") {
    for (char c : order) {
      switch (c) {
        case 'o': SendOrder(p); break;
        case 'p': SendPayment(p); break;
        case 'w': SendWaybill(p); break;
        case 'l': SendList(p); break;
      }
    }
  }

  // Sends the parcel and returns the invtNo of its list, expecting it released.
  std::string Release(const Parcel& p) {
    SendAll(p);
    store::DocumentRow l = List(p);
    EXPECT_EQ(l.status, "800") << l.return_info;
    return l.alt_key;
  }

  // ------------------------------------------------------------------ reading

  store::DocumentRow Doc(const std::string& kind, const std::string& key) {
    auto docs = env_->store->FindDocuments(kind, key);
    EXPECT_TRUE(docs.ok()) << docs.status().ToString();
    if (!docs.ok() || docs->size() != 1) {
      ADD_FAILURE() << kind << " " << key << ": expected one document, found "
                    << (docs.ok() ? docs->size() : 0);
      return {};
    }
    return (*docs)[0];
  }
  store::DocumentRow List(const Parcel& p) { return Doc("inventories", p.cop_no); }

  std::vector<std::string> History(const store::DocumentRow& row) {
    std::vector<std::string> out;
    auto h = env_->store->History(row.id);
    EXPECT_TRUE(h.ok());
    if (h.ok()) {
      for (const auto& r : *h) out.push_back(r.status);
    }
    return out;
  }
  std::vector<std::string> History(const std::string& kind, const std::string& key) {
    return History(Doc(kind, key));
  }

  std::vector<store::ReceiptRow> Feed(const std::string& recipient) {
    auto r = env_->store->Receipts(recipient, 0, 1000);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<store::ReceiptRow>{};
  }
  // The statuses of `recipient`'s receipts of `type` about `key`, in feed order.
  std::vector<std::string> FeedStatuses(const std::string& recipient, const std::string& type,
                                        const std::string& key) {
    std::vector<std::string> out;
    for (const auto& r : Feed(recipient)) {
      if (r.type == type && r.keys_json.find("\"" + key + "\"") != std::string::npos)
        out.push_back(r.return_status);
    }
    return out;
  }
  QuotaView Quota(const Parcel& p, int year = kYear) {
    auto q = engine_->Quota(p.buyer_id_type, p.buyer_id, year);
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    return q.ok() ? *q : QuotaView{};
  }

  void ExpectLedgerBalanced(int year = kYear) {
    auto a = engine_->AuditQuota(year);
    ASSERT_TRUE(a.ok()) << a.status().ToString();
    EXPECT_EQ(a->ledger_total, a->lists_total);
  }

  // A top-level string field of the tax bill's JSON.
  std::string Bill(const std::string& invt_no, const std::string& field) {
    auto json = engine_->TaxBillJson(invt_no);
    EXPECT_TRUE(json.ok()) << json.status().ToString();
    if (!json.ok()) return "";
    std::string tag = "\"" + field + "\":\"";
    size_t p = json->find(tag);
    if (p == std::string::npos) return "<absent>";
    p += tag.size();
    return json->substr(p, json->find('"', p) - p);
  }

  std::vector<std::string> AlertKinds() {
    auto a = engine_->Alerts(1000);
    EXPECT_TRUE(a.ok());
    std::vector<std::string> kinds;
    if (!a.ok()) return kinds;
    for (const std::string& json : *a) {
      size_t p = json.find("\"kind\":\"") + 8;
      kinds.push_back(json.substr(p, json.find('"', p) - p));
    }
    return kinds;
  }
  bool HasAlert(const std::string& kind) {
    auto k = AlertKinds();
    return std::find(k.begin(), k.end(), kind) != k.end();
  }

  // The tax the tax module computes for the parcel's list, declared at `date`.
  tax::Quote ExpectedTax(const Parcel& p, Timestamp date, Decimal used_before = Decimal()) {
    tax::QuoteRequest req;
    req.date = date;
    req.trade_mode = p.trade_mode;
    req.freight = D(p.freight.c_str());
    req.annual_used_before = used_before;
    for (const Goods& g : p.goods) {
      tax::Line line;
      line.gcode = g.gcode;
      line.item_name = g.name;
      line.unit = g.unit;
      line.qty = D(g.qty.c_str());
      line.price = D(g.price.c_str());
      req.lines.push_back(line);
    }
    auto q = tax::ComputeQuote(req, tax::TariffTable::BuiltIn());
    EXPECT_TRUE(q.ok()) << q.status().ToString();
    return q.ok() ? *q : tax::Quote{};
  }

  void At(Timestamp t) { clock_.Set(t); }

  StatusOr<TickSummary> Tick(Timestamp t) { return engine_->Tick(t); }

  FixedClock clock_{Timestamp{}};
  std::unique_ptr<RiskGate> risk_;  // set before SetUp to choose lanes
  std::unique_ptr<IntakeEnv> env_;
  Engine* engine_ = nullptr;  // owned by env_ (the intake's hook)
  int parcels_ = 0;
  int guids_ = 0;
};

// ------------------------------------------------------------------ the release lane

TEST_P(ClearanceTest, HappyPathReleasesTheListAndConcludesTheDocuments) {
  Parcel p = NewParcel();
  SendAll(p);

  store::DocumentRow list = List(p);
  EXPECT_EQ(list.status, "800");
  EXPECT_EQ(History(list), (std::vector<std::string>{"2", "120", "399", "800"}));
  for (const auto& [kind, key] : std::vector<std::pair<std::string, std::string>>{
           {"orders", p.order_no}, {"payments", p.pay_tx}, {"waybills", p.logistics_no}}) {
    SCOPED_TRACE(kind);
    store::DocumentRow d = Doc(kind, key);
    EXPECT_EQ(d.status, "399");
    EXPECT_EQ(History(d), (std::vector<std::string>{"2", "120", "399"}));
  }

  // invtNo: customs district, year, I, 9 digits; the list is found by it.
  std::string invt_no = list.alt_key;
  EXPECT_EQ(invt_no.size(), 18u);
  EXPECT_TRUE(std::regex_match(invt_no, std::regex(kCustoms + "2026I[0-9]{9}"))) << invt_no;
  store::DocumentRow by_invt = Doc("inventories", invt_no);
  EXPECT_EQ(by_invt.id, list.id);
  EXPECT_NE(list.return_info.find(invt_no), std::string::npos) << list.return_info;

  // Every sender's feed has its own receipts with those statuses.
  EXPECT_EQ(FeedStatuses(kEbp, "CEB312", p.order_no),
            (std::vector<std::string>{"2", "120", "399"}));
  EXPECT_EQ(FeedStatuses(kPay, "CEB412", p.pay_tx), (std::vector<std::string>{"2", "120", "399"}));
  EXPECT_EQ(FeedStatuses(kLogistics, "CEB512", p.logistics_no),
            (std::vector<std::string>{"2", "120", "399"}));
  EXPECT_EQ(FeedStatuses(kAgent, "CEB622", p.cop_no),
            (std::vector<std::string>{"2", "120", "399", "800"}));
  EXPECT_EQ(FeedStatuses(kAgent, "CEB816", invt_no), (std::vector<std::string>{"1"}));
  // Nobody gets another party's receipts.
  for (const auto& r : Feed(kEbp)) EXPECT_EQ(r.type, "CEB312");
  for (const auto& r : Feed(kPay)) EXPECT_EQ(r.type, "CEB412");
  // The 800 receipt names the list number.
  auto feed = Feed(kAgent);
  auto released = std::find_if(feed.begin(), feed.end(), [](const store::ReceiptRow& r) {
    return r.type == "CEB622" && r.return_status == "800";
  });
  ASSERT_NE(released, feed.end());
  EXPECT_NE(released->xml.find("<ceb:invtNo>" + invt_no + "</ceb:invtNo>"), std::string::npos)
      << released->xml;

  // Quota and tax: goods 300 + freight 10, 13% VAT at 70%.
  EXPECT_EQ(Quota(p).used, D("310"));
  EXPECT_EQ(Bill(invt_no, "taxTotal"), "28.21");
  EXPECT_EQ(Bill(invt_no, "status"), "1");
  ExpectLedgerBalanced();
}

// The accepting receipt of a declaration comes before the decisions it causes, so that a
// client that keeps the last status of each document from its feed ends with 800, not 2.
TEST_P(ClearanceTest, AcceptingReceiptPrecedesTheDecisionsInTheFeed) {
  Parcel p = NewParcel();
  SendAll(p, "opwl");  // the list completes the match
  EXPECT_EQ(FeedStatuses(kAgent, "CEB622", p.cop_no),
            (std::vector<std::string>{"2", "120", "399", "800"}));
  Parcel q = NewParcel();
  SendAll(q, "pwlo");  // the order completes it
  EXPECT_EQ(FeedStatuses(kEbp, "CEB312", q.order_no),
            (std::vector<std::string>{"2", "120", "399"}));
}

TEST_P(ClearanceTest, EveryArrivalOrderGivesTheSameResult) {
  std::string order = "lopw";
  std::sort(order.begin(), order.end());
  int n = 0;
  do {
    SCOPED_TRACE(order);
    Parcel p = NewParcel();
    for (size_t i = 0; i + 1 < order.size(); ++i) {
      switch (order[i]) {
        case 'o': SendOrder(p); break;
        case 'p': SendPayment(p); break;
        case 'w': SendWaybill(p); break;
        case 'l': SendList(p); break;
      }
      // Nothing is decided before the fourth document.
      if (order.substr(0, i + 1).find('l') != std::string::npos) {
        EXPECT_EQ(List(p).status, "2");
      }
    }
    SendAll(p, order.substr(3));
    store::DocumentRow list = List(p);
    EXPECT_EQ(list.status, "800") << list.return_info;
    EXPECT_EQ(History(list), (std::vector<std::string>{"2", "120", "399", "800"}));
    EXPECT_TRUE(std::regex_match(list.alt_key, std::regex(kCustoms + "2026I[0-9]{9}")));
    EXPECT_EQ(Doc("orders", p.order_no).status, "399");
    EXPECT_EQ(Doc("payments", p.pay_tx).status, "399");
    EXPECT_EQ(Doc("waybills", p.logistics_no).status, "399");
    EXPECT_EQ(History("orders", p.order_no), (std::vector<std::string>{"2", "120", "399"}));
    EXPECT_EQ(Bill(list.alt_key, "taxTotal"), "28.21");
    ++n;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(n, 24);
  EXPECT_EQ(Quota(NewParcel()).used, D("310").Mul(Decimal::FromInt(24)));
  ExpectLedgerBalanced();
}

// ------------------------------------------------------------------ matching

TEST_P(ClearanceTest, EachMismatchRefusesTheListNamingBothFields) {
  struct Case {
    const char* name;
    std::function<void(Parcel&)> change;
    std::vector<std::string> info;  // all in returnInfo
  };
  const std::vector<Case> cases = {
      {"payment amount",
       [](Parcel& p) { p.amount_paid = "309.99"; },
       {"PaymentHead.amountPaid", "OrderHead.acturalPaid", "309.99", "310"}},
      {"acturalPaid sum",
       [](Parcel& p) {
         p.actural_paid = "320";
         p.amount_paid = "320";
       },
       {"acturalPaid must equal goodsValue + freight + taxTotal - discount", "310.00"}},
      {"waybill consignee",
       [](Parcel& p) { p.waybill_consignee = "王五"; },
       {"运单上的收货人姓名与订单上的收货人姓名不一致",
        "LogisticsHead.consignee differs from OrderHead.consignee)"}},
      {"waybill phone",
       [](Parcel& p) { p.waybill_phone = "13900000009"; },
       {"运单上的收货人电话与订单上的收货人电话不一致",
        "LogisticsHead.consigneeTelephone differs from OrderHead.consigneeTelephone"}},
      {"waybill address",
       [](Parcel& p) { p.waybill_address = "浙江省杭州市滨江区1号"; },
       {"运单上的收货地址与订单上的收货地址不一致",
        "LogisticsHead.consigneeAddress differs from OrderHead.consigneeAddress"}},
      {"list buyer phone",
       [](Parcel& p) { p.list_buyer_phone = "13800000009"; },
       {"清单上的订购人电话号码与订单上的订购人电话号码不一致",
        "InventoryHead.buyerTelephone differs from OrderHead.buyerTelephone"}},
      {"gnum",
       [](Parcel& p) {
         p.list_goods = p.goods;
         p.list_goods[0].gnum = 2;
       },
       {"清单商品序号[2]在订单中不存在", "InventoryList.gnum", "OrderList.gnum"}},
      {"name",
       [](Parcel& p) {
         p.list_goods = p.goods;
         p.list_goods[0].name = "成人奶粉";
       },
       {"商品名称与订单上的商品名称不一致", "InventoryList.gname differs from OrderList.itemName"}},
      {"qty",
       [](Parcel& p) {
         p.list_goods = p.goods;
         p.list_goods[0].qty = "3";
       },
       {"数量与订单上的数量不一致", "InventoryList.qty differs from OrderList.qty"}},
      {"payer is not the buyer",
       [](Parcel& p) {
         p.payer_id = "330102199202022222";
         p.payer_name = "赵六";
       },
       {"支付单上的支付人与订单上的订购人不一致", "PaymentHead.payerIdNumber/payerName",
        "OrderHead.buyerIdNumber/buyerName"}},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.name);
    Parcel p = NewParcel();
    c.change(p);
    SendAll(p);
    store::DocumentRow list = List(p);
    EXPECT_EQ(list.status, "100");
    EXPECT_EQ(History(list), (std::vector<std::string>{"2", "100"}));
    EXPECT_TRUE(list.alt_key.empty()) << list.alt_key;  // no invtNo for a refused list
    EXPECT_NE(list.return_info.find("三单对碰失败"), std::string::npos) << list.return_info;
    for (const std::string& s : c.info) {
      EXPECT_NE(list.return_info.find(s), std::string::npos)
          << "'" << s << "' not in: " << list.return_info;
    }
    EXPECT_EQ(FeedStatuses(kAgent, "CEB622", p.cop_no), (std::vector<std::string>{"2", "100"}));
    // The documents stay declared and nothing is taken.
    EXPECT_EQ(Doc("orders", p.order_no).status, "2");
    EXPECT_EQ(Doc("payments", p.pay_tx).status, "2");
  }
  EXPECT_EQ(Quota(NewParcel()).used, Decimal());
  ExpectLedgerBalanced();
}

TEST_P(ClearanceTest, PayerOtherThanBuyerIsAcceptedWhenThePlatformVerifiesIdentity) {
  RegisterParties({"identity"});
  Parcel p = NewParcel();
  p.payer_id = "330102199202022222";
  p.payer_name = "赵六";
  SendAll(p);
  EXPECT_EQ(List(p).status, "800") << List(p).return_info;
  // The quota is the buyer's, not the payer's.
  EXPECT_EQ(Quota(p).used, D("310"));
  EXPECT_EQ(engine_->Quota("1", p.payer_id, kYear)->used, Decimal());
}

TEST_P(ClearanceTest, MissingPaymentTimesOutAfter24HoursAndAReDeclarationClears) {
  Parcel p = NewParcel();
  SendAll(p, "owl");
  EXPECT_EQ(List(p).status, "2");

  auto sum = Tick(Plus(t0_, 23 * kHour));
  ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  EXPECT_EQ(sum->timed_out, 0);
  EXPECT_EQ(List(p).status, "2");
  sum = Tick(Plus(t0_, 24 * kHour));  // exactly the timeout: still waiting
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->timed_out, 0);
  EXPECT_EQ(List(p).status, "2");

  sum = Tick(Plus(t0_, 24 * kHour + 1000));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->timed_out, 1);
  store::DocumentRow list = List(p);
  EXPECT_EQ(list.status, "100");
  EXPECT_NE(list.return_info.find("支付单"), std::string::npos) << list.return_info;
  EXPECT_EQ(list.return_info.find("运单"), std::string::npos) << list.return_info;
  EXPECT_EQ(list.return_info.find("订单("), std::string::npos) << list.return_info;
  EXPECT_EQ(FeedStatuses(kAgent, "CEB622", p.cop_no), (std::vector<std::string>{"2", "100"}));
  // A second tick does not refuse it again.
  sum = Tick(Plus(t0_, 30 * kHour));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->timed_out, 0);

  // The payment comes late; the agent declares the list again (appType 2).
  At(Plus(t0_, 25 * kHour));
  SendPayment(p);
  EXPECT_EQ(List(p).status, "100");  // a refused list waits for its re-declaration
  p.list_app_type = "2";
  SendList(p);
  list = List(p);
  EXPECT_EQ(list.status, "800") << list.return_info;
  EXPECT_EQ(History(list), (std::vector<std::string>{"2", "100", "2", "120", "399", "800"}));
  EXPECT_EQ(Doc("payments", p.pay_tx).status, "399");
  EXPECT_EQ(Quota(p).used, D("310"));
  // And the re-declared list is not timed out later.
  sum = Tick(Plus(t0_, 50 * kHour));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->timed_out, 0);
  EXPECT_EQ(List(p).status, "800");
}

// One order clears once: a second list for an order that is already on a live list is
// refused and leaves the first list, its quota and its tax alone.
TEST_P(ClearanceTest, ASecondListForTheSameOrderIsRefused) {
  Parcel p = NewParcel();
  std::string invt_no = Release(p);
  Parcel dup = p;
  dup.cop_no = "COP-DUP";
  SendList(dup);
  store::DocumentRow list = List(dup);
  EXPECT_EQ(list.status, "100");
  EXPECT_NE(list.return_info.find(p.order_no), std::string::npos) << list.return_info;
  EXPECT_NE(list.return_info.find(p.cop_no), std::string::npos) << list.return_info;
  EXPECT_TRUE(list.alt_key.empty());
  EXPECT_EQ(Quota(p).used, D("310"));
  EXPECT_EQ(List(p).status, "800");
  ExpectLedgerBalanced();

  // The first list is still the one the order cleared on.
  At(Plus(t0_, kHour));
  EXPECT_EQ(Send(CancelXml(p, invt_no, "CXL-1"), kAgent).return_status, "2");
  EXPECT_EQ(List(p).status, "100");
  EXPECT_EQ(List(dup).status, "100");
  EXPECT_EQ(Quota(p).used, Decimal());
  ExpectLedgerBalanced();

  // After the cancel the order may go on a new list; the old list number no longer
  // reaches it.
  At(Plus(t0_, 2 * kHour));
  Parcel again = p;
  again.cop_no = "COP-AGAIN";
  SendList(again);
  store::DocumentRow redo = List(again);
  EXPECT_EQ(redo.status, "800") << redo.return_info;
  EXPECT_NE(redo.alt_key, invt_no);
  EXPECT_EQ(Quota(p).used, D("310"));
  EntityOutcome stale = Send(CancelXml(p, invt_no, "CXL-2"), kAgent);
  EXPECT_EQ(stale.return_status, "-623005") << stale.return_info;
  EntityOutcome stale_return = Send(ReturnXml(p, invt_no, "RET-1", 1, "1"), kAgent);
  EXPECT_EQ(stale_return.return_status, "-625005") << stale_return.return_info;
  EXPECT_EQ(engine_->Decide(p.cop_no, "release", "", "officer1").code(), Code::kFailedPrecondition);
  EXPECT_EQ(List(again).status, "800");
  EXPECT_EQ(Quota(p).used, D("310"));
  ExpectLedgerBalanced();

  // Two lists for one order while it waits for its documents: the first one clears.
  Parcel w = NewParcel();
  SendList(w);
  Parcel w2 = w;
  w2.cop_no = "COP-DUP2";
  SendList(w2);
  EXPECT_EQ(List(w2).status, "100");
  SendAll(w, "opw");
  EXPECT_EQ(List(w).status, "800") << List(w).return_info;
  EXPECT_EQ(List(w2).status, "100");
  EXPECT_EQ(Quota(w).used, D("620"));
  // Nothing is left waiting to time out.
  auto sum = Tick(Plus(t0_, 3 * kDay));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->timed_out, 0);
  EXPECT_EQ(List(w).status, "800");
}

// ------------------------------------------------------------------ quota

TEST_P(ClearanceTest, SingleLimitIsInclusiveAndTheTaxIsNotCounted) {
  Parcel at = NewParcel();
  at.goods[0].qty = "2";
  at.goods[0].price = "2495";
  at.freight = "10";  // 4990 + 10 = 5000.00
  std::string invt_no = Release(at);
  QuotaView q = Quota(at);
  EXPECT_EQ(q.year, kYear);
  EXPECT_EQ(q.limit, D("26000"));
  EXPECT_EQ(q.used, D("5000"));
  EXPECT_EQ(q.remaining, D("21000"));
  EXPECT_EQ(Bill(invt_no, "taxTotal"), "455.00");  // 5000 × 9.1%, not in the quota

  Parcel over = NewParcel();
  over.goods[0].qty = "2";
  over.goods[0].price = "2495";
  over.freight = "10.01";  // 5000.01
  SendAll(over);
  store::DocumentRow list = List(over);
  EXPECT_EQ(list.status, "100");
  EXPECT_NE(list.return_info.find("5000.01"), std::string::npos) << list.return_info;
  EXPECT_EQ(History(list), (std::vector<std::string>{"2", "-621005"}));
  EXPECT_EQ(FeedStatuses(kAgent, "CEB622", over.cop_no),
            (std::vector<std::string>{"2", "-621005"}));
  EXPECT_EQ(Quota(over).used, D("5000"));
  ExpectLedgerBalanced();
}

TEST_P(ClearanceTest, AnnualLimitIsInclusiveAcrossLists) {
  Parcel base = NewParcel();
  for (int i = 0; i < 5; ++i) {
    Parcel p = NewParcel();
    p.goods[0].qty = "2";
    p.goods[0].price = "2495";
    Release(p);  // 5000.00 each
  }
  Parcel last = NewParcel();
  last.goods[0].qty = "1";
  last.goods[0].price = "990";
  Release(last);  // 1000.00: exactly 26000
  QuotaView q = Quota(base);
  EXPECT_EQ(q.used, D("26000"));
  EXPECT_EQ(q.remaining, Decimal());

  Parcel cent = NewParcel();
  cent.goods[0].qty = "1";
  cent.goods[0].price = "0.01";
  cent.freight = "0";
  SendAll(cent);
  store::DocumentRow list = List(cent);
  EXPECT_EQ(list.status, "100");
  EXPECT_EQ(History(list), (std::vector<std::string>{"2", "-621018"}));
  EXPECT_EQ(FeedStatuses(kAgent, "CEB622", cent.cop_no),
            (std::vector<std::string>{"2", "-621018"}));
  EXPECT_EQ(Quota(base).used, D("26000"));

  // Another buyer is not affected.
  Parcel other = NewParcel();
  other.buyer_id = "330102199303033333";
  other.goods[0].qty = "1";
  other.goods[0].price = "0.01";
  other.freight = "0";
  Release(other);
  EXPECT_EQ(Quota(other).used, D("0.01"));
  auto audit = engine_->AuditQuota(kYear);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->ledger_total, D("26000.01"));
  EXPECT_EQ(audit->lists_total, D("26000.01"));
  EXPECT_EQ(audit->buyers, 2);
  EXPECT_EQ(audit->max_used, D("26000"));
}

TEST_P(ClearanceTest, SingleIndivisibleItemOverTheSingleLimitPaysFullTax) {
  Parcel bag = NewParcel();
  bag.goods[0] = Item("4202119090", "皮革手提包", "牛皮 30cm", "1", "6000");
  bag.freight = "0";
  std::string invt_no = Release(bag);
  tax::Quote expect = ExpectedTax(bag, t0_, Decimal());
  ASSERT_EQ(expect.regime, "retail-full");
  EXPECT_EQ(Bill(invt_no, "regime"), "retail-full");
  EXPECT_EQ(Bill(invt_no, "taxTotal"), expect.tax_total.ToString(2));
  EXPECT_EQ(expect.value_added_tax, D("780"));  // full 13%, no 70%
  EXPECT_EQ(Quota(bag).used, D("6000"));

  // Two pieces over the single limit are not indivisible.
  Parcel two = NewParcel();
  two.goods[0] = Item("4202119090", "皮革手提包", "牛皮 30cm", "2", "3000");
  two.freight = "0";
  SendAll(two);
  EXPECT_EQ(History(List(two)), (std::vector<std::string>{"2", "-621005"}));

  // One item that would take the year over 26000.
  Parcel big = NewParcel();
  big.goods[0] = Item("4202119090", "鳄鱼皮手提包", "30cm", "1", "20000.01");
  big.freight = "0";
  SendAll(big);
  EXPECT_EQ(History(List(big)), (std::vector<std::string>{"2", "-621018"}));
  EXPECT_EQ(Quota(bag).used, D("6000"));
  ExpectLedgerBalanced();
}

TEST_P(ClearanceTest, ListsDatedIn2017UseThe2016Limits) {
  Timestamp t2017 = Beijing(2017, 6, 1);
  At(t2017);
  Parcel at = NewParcel();
  at.goods[0].qty = "2";
  at.goods[0].price = "995";  // 1990 + 10 = 2000.00
  std::string invt_no = Release(at);
  EXPECT_TRUE(std::regex_match(invt_no, std::regex(kCustoms + "2017I[0-9]{9}"))) << invt_no;
  QuotaView q = Quota(at, 2017);
  EXPECT_EQ(q.limit, D("20000"));
  EXPECT_EQ(q.used, D("2000"));
  EXPECT_EQ(q.remaining, D("18000"));
  EXPECT_EQ(Quota(at, kYear).used, Decimal());
  EXPECT_EQ(Quota(at, kYear).limit, D("26000"));

  Parcel over = NewParcel();
  over.goods[0].qty = "2";
  over.goods[0].price = "995";
  over.freight = "10.01";
  SendAll(over);
  EXPECT_EQ(History(List(over)), (std::vector<std::string>{"2", "-621005"}));

  // Under 18号 a single item over the limit is general trade: refused.
  Parcel bag = NewParcel();
  bag.goods[0] = Item("4202119090", "皮革手提包", "牛皮 30cm", "1", "2500");
  bag.freight = "0";
  SendAll(bag);
  EXPECT_EQ(History(List(bag)), (std::vector<std::string>{"2", "-621005"}));
  EXPECT_EQ(Quota(at, 2017).used, D("2000"));
  ExpectLedgerBalanced(2017);
}

// ------------------------------------------------------------------ tax

TEST_P(ClearanceTest, TaxBillValidatesAndMatchesTheTaxModule) {
  Parcel p = NewParcel();
  p.goods = {Goods{}, Item("3304990099", "保湿面霜", "50ml/瓶", "1", "800")};
  p.freight = "20";
  std::string invt_no = Release(p);
  tax::Quote expect = ExpectedTax(p, t0_);
  ASSERT_EQ(expect.regime, "retail");
  ASSERT_FALSE(expect.consumption_tax.IsZero());  // high-end cosmetics

  auto xml = engine_->TaxBillXml(invt_no);
  ASSERT_TRUE(xml.ok()) << xml.status().ToString();
  Status valid = Xsd().Validate(*xml, ceb::Direction::kImport);
  EXPECT_TRUE(valid.ok()) << valid.ToString() << "\n" << *xml;
  auto m = ceb::DecodeXml(*xml);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  ASSERT_EQ(m->Entities().size(), 1u);
  const ceb::Node* head = m->Entities()[0]->Child("TaxHeadRd");
  ASSERT_NE(head, nullptr);
  auto num = [](std::string_view v) { return D(std::string(v).c_str()); };
  EXPECT_EQ(head->Get("invtNo"), invt_no);
  EXPECT_EQ(head->Get("status"), "1");
  EXPECT_EQ(head->Get("assureCode"), kAgent);
  EXPECT_EQ(num(head->Get("customsTax")), expect.customs_tax);
  EXPECT_EQ(num(head->Get("valueAddedTax")), expect.value_added_tax);
  EXPECT_EQ(num(head->Get("consumptionTax")), expect.consumption_tax);
  auto lines = m->Entities()[0]->All("TaxListRd");
  ASSERT_EQ(lines.size(), expect.lines.size());
  for (size_t i = 0; i < lines.size(); ++i) {
    SCOPED_TRACE(i);
    EXPECT_EQ(lines[i]->Get("gnum"), std::to_string(i + 1));
    EXPECT_EQ(lines[i]->Get("gcode"), p.goods[i].gcode);
    EXPECT_EQ(num(lines[i]->Get("taxPrice")), expect.lines[i].dutiable_value);
    EXPECT_EQ(num(lines[i]->Get("customsTax")), expect.lines[i].customs_tax);
    EXPECT_EQ(num(lines[i]->Get("valueAddedTax")), expect.lines[i].value_added_tax);
    EXPECT_EQ(num(lines[i]->Get("consumptionTax")), expect.lines[i].consumption_tax);
  }
  EXPECT_EQ(Bill(invt_no, "taxTotal"), expect.tax_total.ToString(2));
  EXPECT_EQ(Quota(p).used, expect.dutiable_value);
  EXPECT_EQ(expect.dutiable_value, D("1120"));

  // Every receipt in every feed, the intake's and the engine's, validates.
  int checked = 0;
  for (const std::string& party : {kEbp, kPay, kLogistics, kAgent}) {
    for (const store::ReceiptRow& r : Feed(party)) {
      SCOPED_TRACE(party + " " + r.type + " " + r.return_status);
      const ceb::MessageDef* def = ceb::FindMessageByType(r.type);
      ASSERT_NE(def, nullptr);
      Status v = Xsd().Validate(r.xml, def->direction);
      EXPECT_TRUE(v.ok()) << v.ToString() << "\n" << r.xml;
      ++checked;
    }
  }
  EXPECT_EQ(checked, 3 + 3 + 3 + 4 + 1);
}

TEST_P(ClearanceTest, ReceiptsOfRefusalsCancelsAndReturnsValidate) {
  Parcel refused = NewParcel();
  refused.list_buyer_phone = "13800000009";
  SendAll(refused);
  Parcel over = NewParcel();
  over.goods[0].qty = "2";
  over.goods[0].price = "2600";
  SendAll(over);
  Parcel cancelled = NewParcel();
  std::string c = Release(cancelled);
  At(Plus(t0_, kHour));
  Declare(CancelXml(cancelled, c, "CXL-1"), kAgent);
  Parcel returned = NewParcel();
  std::string r = Release(returned);
  Declare(ReturnXml(returned, r, "RET-1", 1, "1"), kAgent);
  Declare(DeliveryXml(returned, "DLV-1"), kWarehouse);
  EXPECT_EQ(Doc("returns", "RET-1").status, "399");
  int checked = 0;
  for (const std::string& party : {kEbp, kPay, kLogistics, kAgent, kWarehouse}) {
    for (const store::ReceiptRow& row : Feed(party)) {
      SCOPED_TRACE(party + " " + row.type + " " + row.return_status);
      Status v = Xsd().Validate(row.xml, ceb::FindMessageByType(row.type)->direction);
      EXPECT_TRUE(v.ok()) << v.ToString() << "\n" << row.xml;
      ++checked;
    }
  }
  EXPECT_GT(checked, 30);
}

// ------------------------------------------------------------------ cancels

TEST_P(ClearanceTest, CancelGivesBackQuotaTaxAndVoidsTheBill) {
  ASSERT_TRUE(engine_->SetGuarantee(kAgent, D("1000")).ok());
  Parcel kept = NewParcel();
  std::string kept_no = Release(kept);
  QuotaView before = Quota(kept);
  EXPECT_EQ(before.used, D("310"));

  Parcel p = NewParcel();
  p.goods[0].qty = "1";
  p.goods[0].price = "500";  // 510, tax 46.41
  std::string invt_no = Release(p);
  EXPECT_EQ(Quota(p).used, D("820"));
  EXPECT_EQ(engine_->Guarantee(kAgent)->outstanding, D("74.62"));

  At(Plus(t0_, 2 * kHour));
  EntityOutcome c = Send(CancelXml(p, invt_no, "CXL-1"), kAgent);
  EXPECT_EQ(c.return_status, "2") << c.return_info;
  store::DocumentRow list = List(p);
  EXPECT_EQ(list.status, "100");
  EXPECT_NE(list.return_info.find("已撤销"), std::string::npos) << list.return_info;
  EXPECT_EQ(History(list), (std::vector<std::string>{"2", "120", "399", "800", "100"}));
  store::DocumentRow cancel = Doc("cancels", "CXL-1");
  EXPECT_EQ(cancel.status, "399");
  EXPECT_EQ(History(cancel), (std::vector<std::string>{"2", "399"}));
  EXPECT_EQ(FeedStatuses(kAgent, "CEB624", "CXL-1"), (std::vector<std::string>{"2", "399"}));

  QuotaView after = Quota(p);
  EXPECT_EQ(after.used, before.used);
  EXPECT_EQ(after.remaining, before.remaining);
  EXPECT_EQ(Bill(invt_no, "status"), "3");
  EXPECT_EQ(Bill(kept_no, "status"), "1");
  EXPECT_EQ(FeedStatuses(kAgent, "CEB816", invt_no), (std::vector<std::string>{"1", "3"}));
  auto g = engine_->Guarantee(kAgent);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->outstanding, D("28.21"));
  EXPECT_EQ(g->balance, D("1000"));
  auto audit = engine_->AuditQuota(kYear);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->ledger_total, D("310"));
  EXPECT_EQ(audit->lists_total, D("310"));

  // A cancelled list does not close or pay later.
  auto sum = Tick(Plus(t0_, 31 * kDay));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->closed, 1);  // only the kept list
  EXPECT_EQ(List(p).status, "100");
  EXPECT_EQ(Bill(invt_no, "status"), "3");
  EXPECT_EQ(engine_->Guarantee(kAgent)->balance, D("971.79"));
}

TEST_P(ClearanceTest, CancelOfAnUnknownCancelledOrClosedListIsRefused) {
  Parcel p = NewParcel();
  std::string invt_no = Release(p);

  EntityOutcome unknown = Send(CancelXml(p, kCustoms + "2026I999999999", "CXL-1"), kAgent);
  EXPECT_EQ(unknown.return_status, "-623003") << unknown.return_info;

  EXPECT_EQ(Send(CancelXml(p, invt_no, "CXL-2"), kAgent).return_status, "2");
  EntityOutcome again = Send(CancelXml(p, invt_no, "CXL-3"), kAgent);
  EXPECT_EQ(again.return_status, "-623005") << again.return_info;

  Parcel closed = NewParcel();
  std::string closed_no = Release(closed);
  auto sum = Tick(Plus(t0_, 30 * kDay + kMinute));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->closed, 1);
  EXPECT_EQ(List(closed).status, "899");
  At(Plus(t0_, 30 * kDay + 2 * kMinute));
  EntityOutcome late = Send(CancelXml(closed, closed_no, "CXL-4"), kAgent);
  EXPECT_EQ(late.return_status, "-623005") << late.return_info;
  EXPECT_NE(late.return_info.find("899"), std::string::npos) << late.return_info;
  // Refused cancels are not stored; the closed list keeps its quota.
  auto docs = env_->store->FindDocuments("cancels", "CXL-4");
  ASSERT_TRUE(docs.ok());
  EXPECT_TRUE(docs->empty());
  EXPECT_EQ(Quota(closed).used, D("310"));
  EXPECT_EQ(List(closed).status, "899");
}

// A saved cancel or return (appStatus 1, 暂存) is not declared: it changes nothing until
// it is declared.
TEST_P(ClearanceTest, SavedCancelsAndReturnsChangeNothing) {
  Parcel p = NewParcel();
  std::string invt_no = Release(p);
  At(Plus(t0_, kDay));
  EntityOutcome saved = Send(ReturnXml(p, invt_no, "RET-1", 1, "1", "1"), kAgent);
  EXPECT_EQ(saved.return_status, "1") << saved.return_info;
  EXPECT_EQ(Doc("returns", "RET-1").status, "1");
  saved = Send(CancelXml(p, invt_no, "CXL-1", "1", "1"), kAgent);
  EXPECT_EQ(saved.return_status, "1") << saved.return_info;
  EXPECT_EQ(Doc("cancels", "CXL-1").status, "1");
  EXPECT_EQ(List(p).status, "800");
  EXPECT_EQ(Quota(p).used, D("310"));
  // Goods arriving for a saved return give nothing back.
  Declare(DeliveryXml(p, "DLV-1"), kWarehouse);
  EXPECT_EQ(Quota(p).used, D("310"));

  // Declared (appType 2, appStatus 2), the cancel takes effect.
  EntityOutcome declared = Send(CancelXml(p, invt_no, "CXL-1", "2", "2"), kAgent);
  EXPECT_EQ(declared.return_status, "2") << declared.return_info;
  EXPECT_EQ(Doc("cancels", "CXL-1").status, "399");
  EXPECT_EQ(List(p).status, "100");
  EXPECT_EQ(Quota(p).used, Decimal());
}

// Two cancels of one list in one message: the list gives back its quota once.
TEST_P(ClearanceTest, TwoCancelsOfOneListInOneMessageGiveBackOnce) {
  Parcel kept = NewParcel();
  Release(kept);
  Parcel p = NewParcel();
  std::string invt_no = Release(p);
  EXPECT_EQ(Quota(p).used, D("620"));
  At(Plus(t0_, kHour));
  std::vector<EntityOutcome> out = SendMany(
      Merge(CancelXml(p, invt_no, "CXL-1"), CancelXml(p, invt_no, "CXL-2"), "InvtCancel"), kAgent);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].return_status, "2") << out[0].return_info;
  EXPECT_EQ(Doc("cancels", "CXL-1").status, "399");
  // The second is refused, at once or by the engine.
  if (out[1].return_status == "2") {
    store::DocumentRow second = Doc("cancels", "CXL-2");
    EXPECT_EQ(second.status, "100") << second.return_info;
  } else {
    EXPECT_EQ(out[1].return_status, "-623005") << out[1].return_info;
  }
  EXPECT_EQ(History(List(p)), (std::vector<std::string>{"2", "120", "399", "800", "100"}));
  EXPECT_EQ(Quota(p).used, D("310"));
  ExpectLedgerBalanced();
}

// Two returns of one list in one message: one return at a time.
TEST_P(ClearanceTest, TwoReturnsOfOneListInOneMessageAreOneReturn) {
  Parcel p = NewParcel();
  p.goods[0].qty = "3";
  p.goods[0].price = "100";
  std::string invt_no = Release(p);
  At(Plus(t0_, kDay));
  std::vector<EntityOutcome> out =
      SendMany(Merge(ReturnXml(p, invt_no, "RET-1", 1, "1"), ReturnXml(p, invt_no, "RET-2", 1, "1"),
                     "InvtRefund"),
               kAgent);
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(out[0].return_status, "2") << out[0].return_info;
  if (out[1].return_status == "2") {
    EXPECT_EQ(Doc("returns", "RET-2").status, "100");
  } else {
    EXPECT_EQ(out[1].return_status, "-625005") << out[1].return_info;
  }
  At(Plus(t0_, 2 * kDay));
  Declare(DeliveryXml(p, "DLV-1"), kWarehouse);
  EXPECT_EQ(Doc("returns", "RET-1").status, "399");
  EXPECT_EQ(Quota(p).used, D("310") - D("103.33"));
  EXPECT_EQ(Bill(invt_no, "returnedTax"), "9.40");
  ExpectLedgerBalanced();
}

// ------------------------------------------------------------------ returns

TEST_P(ClearanceTest, PartialReturnsRestoreQuotaAndTaxToTheFen) {
  Parcel prior = NewParcel();
  Release(prior);  // 310
  Decimal before = Quota(prior).used;

  Parcel p = NewParcel();
  p.goods[0].qty = "3";
  p.goods[0].price = "100";  // 300 + 10 = 310, not divisible by 3
  std::string invt_no = Release(p);
  EXPECT_EQ(Quota(p).used, before + D("310"));
  EXPECT_EQ(Bill(invt_no, "taxTotal"), "28.21");

  At(Plus(t0_, 10 * kDay));
  EntityOutcome r = Send(ReturnXml(p, invt_no, "RET-1", 1, "1"), kAgent);
  EXPECT_EQ(r.return_status, "2") << r.return_info;
  EXPECT_EQ(Doc("returns", "RET-1").status, "120");
  EXPECT_EQ(Quota(p).used, before + D("310"));  // nothing back until the goods are in

  At(Plus(t0_, 20 * kDay));
  Declare(DeliveryXml(p, "DLV-1"), kWarehouse);
  store::DocumentRow ret = Doc("returns", "RET-1");
  EXPECT_EQ(ret.status, "399") << ret.return_info;
  EXPECT_EQ(History(ret), (std::vector<std::string>{"2", "120", "399"}));
  EXPECT_EQ(FeedStatuses(kAgent, "CEB626", "RET-1"), (std::vector<std::string>{"2", "120", "399"}));
  // 310 × 1/3 = 103.33; 28.21 × 1/3 = 9.40.
  EXPECT_EQ(Quota(p).used, before + D("310") - D("103.33"));
  EXPECT_EQ(Bill(invt_no, "returnedTax"), "9.40");
  EXPECT_EQ(List(p).status, "800");
  ExpectLedgerBalanced();

  // The other two pieces: the remainder, exactly.
  At(Plus(t0_, 25 * kDay));
  EXPECT_EQ(Send(ReturnXml(p, invt_no, "RET-2", 1, "2"), kAgent).return_status, "2");
  At(Plus(t0_, 28 * kDay));
  Declare(DeliveryXml(p, "DLV-2"), kWarehouse);
  EXPECT_EQ(Doc("returns", "RET-2").status, "399");
  EXPECT_EQ(Quota(p).used, before);
  EXPECT_EQ(Bill(invt_no, "returnedTax"), "28.21");
  auto audit = engine_->AuditQuota(kYear);
  ASSERT_TRUE(audit.ok());
  EXPECT_EQ(audit->ledger_total, before);
  EXPECT_EQ(audit->lists_total, before);

  // Nothing is left to return; nothing is left to pay.
  EntityOutcome more = Send(ReturnXml(p, invt_no, "RET-3", 1, "1"), kAgent);
  EXPECT_EQ(more.return_status, "-625209") << more.return_info;
  ASSERT_TRUE(engine_->SetGuarantee(kAgent, D("100")).ok());
  auto sum = Tick(Plus(t0_, 31 * kDay));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(List(p).status, "899");
  EXPECT_EQ(Bill(invt_no, "status"), "2");
  EXPECT_EQ(Bill(invt_no, "paid"), "0.00");
}

TEST_P(ClearanceTest, ReturnAppliedAfter30DaysIsRefused) {
  Parcel p = NewParcel();
  std::string invt_no = Release(p);
  At(Plus(t0_, 30 * kDay));  // the last moment of the window
  EXPECT_EQ(Send(ReturnXml(p, invt_no, "RET-1", 1, "1"), kAgent).return_status, "2");

  Parcel late = NewParcel();
  At(t0_);
  std::string late_no = Release(late);
  At(Plus(t0_, 31 * kDay));
  EntityOutcome r = Send(ReturnXml(late, late_no, "RET-2", 1, "1"), kAgent);
  EXPECT_EQ(r.return_status, "-625005");
  EXPECT_NE(r.return_info.find("退货申请时间超过清单放行之日起30天"), std::string::npos)
      << r.return_info;
  EXPECT_NE(r.return_info.find("applied 31 days after release"), std::string::npos)
      << r.return_info;
  auto docs = env_->store->FindDocuments("returns", "RET-2");
  ASSERT_TRUE(docs.ok());
  EXPECT_TRUE(docs->empty());
  EXPECT_EQ(Quota(late).used, D("620"));
}

TEST_P(ClearanceTest, ReturnWhoseGoodsDoNotArriveBy45DaysFails) {
  Parcel p = NewParcel();
  std::string invt_no = Release(p);
  At(Plus(t0_, 10 * kDay));
  EXPECT_EQ(Send(ReturnXml(p, invt_no, "RET-1", 1, "1"), kAgent).return_status, "2");

  // Day 31: the list does not close while its return is pending.
  auto sum = Tick(Plus(t0_, 30 * kDay + kMinute));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->closed, 0);
  EXPECT_EQ(List(p).status, "800");
  sum = Tick(Plus(t0_, 45 * kDay));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->returns_failed, 0);
  EXPECT_EQ(Doc("returns", "RET-1").status, "120");

  sum = Tick(Plus(t0_, 45 * kDay + kMinute));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->returns_failed, 1);
  store::DocumentRow ret = Doc("returns", "RET-1");
  EXPECT_EQ(ret.status, "100");
  EXPECT_NE(ret.return_info.find("45天内运抵"), std::string::npos) << ret.return_info;
  EXPECT_EQ(Quota(p).used, D("310"));
  EXPECT_EQ(Bill(invt_no, "returnedTax"), "");
  // The list closes with its tax payable.
  EXPECT_EQ(List(p).status, "899");
  EXPECT_EQ(Bill(invt_no, "status"), "1");
  ExpectLedgerBalanced();

  // Goods that arrive after the deadline change nothing.
  At(Plus(t0_, 46 * kDay));
  Declare(DeliveryXml(p, "DLV-1"), kWarehouse);
  EXPECT_EQ(Doc("returns", "RET-1").status, "100");
  EXPECT_EQ(Quota(p).used, D("310"));
}

TEST_P(ClearanceTest, ReturnOfMoreThanDeclaredIsRefused) {
  Parcel p = NewParcel();
  p.goods[0].qty = "3";
  p.goods[0].price = "100";
  std::string invt_no = Release(p);
  At(Plus(t0_, kDay));
  EntityOutcome r = Send(ReturnXml(p, invt_no, "RET-1", 1, "4"), kAgent);
  EXPECT_EQ(r.return_status, "-625209");
  EXPECT_NE(r.return_info.find("数量[4]超过清单可退数量[3]"), std::string::npos) << r.return_info;
  EntityOutcome unknown = Send(ReturnXml(p, kCustoms + "2026I999999999", "RET-2", 1, "1"), kAgent);
  EXPECT_EQ(unknown.return_status, "-625003");
  EXPECT_EQ(Send(ReturnXml(p, invt_no, "RET-3", 1, "3"), kAgent).return_status, "2");
  // One return at a time.
  EXPECT_EQ(Send(ReturnXml(p, invt_no, "RET-4", 1, "1"), kAgent).return_status, "-625005");
  // A list with a return cannot be cancelled.
  EXPECT_EQ(Send(CancelXml(p, invt_no, "CXL-1"), kAgent).return_status, "-623005");
}

// ------------------------------------------------------------------ the tax window

TEST_P(ClearanceTest, ListClosesAfter30DaysAndTheGuaranteePays) {
  ASSERT_TRUE(engine_->SetGuarantee(kAgent, D("100")).ok());
  Parcel p = NewParcel();
  std::string invt_no = Release(p);
  auto g = engine_->Guarantee(kAgent);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->outstanding, D("28.21"));
  EXPECT_EQ(g->balance, D("100"));
  EXPECT_FALSE(HasAlert("guarantee-short"));

  auto sum = Tick(Plus(t0_, 30 * kDay));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->closed, 0);
  EXPECT_EQ(List(p).status, "800");
  EXPECT_EQ(Bill(invt_no, "status"), "1");

  sum = Tick(Plus(t0_, 30 * kDay + kMinute));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->closed, 1);
  EXPECT_EQ(sum->tax_paid, 1);
  store::DocumentRow list = List(p);
  EXPECT_EQ(list.status, "899");
  EXPECT_EQ(History(list), (std::vector<std::string>{"2", "120", "399", "800", "899"}));
  EXPECT_EQ(Bill(invt_no, "status"), "2");
  EXPECT_EQ(Bill(invt_no, "paid"), "28.21");
  g = engine_->Guarantee(kAgent);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->balance, D("71.79"));
  EXPECT_EQ(g->outstanding, Decimal());
  EXPECT_EQ(g->paid, D("28.21"));
  EXPECT_EQ(FeedStatuses(kAgent, "CEB816", invt_no), (std::vector<std::string>{"1", "2"}));
  EXPECT_EQ(FeedStatuses(kAgent, "CEB622", p.cop_no).back(), "899");

  // Closing happens once.
  sum = Tick(Plus(t0_, 50 * kDay));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->closed, 0);
  EXPECT_EQ(sum->tax_paid, 0);
  EXPECT_EQ(engine_->Guarantee(kAgent)->balance, D("71.79"));
  EXPECT_TRUE(AlertKinds().empty());
  // The quota stays taken by a closed list.
  EXPECT_EQ(Quota(p).used, D("310"));
  ExpectLedgerBalanced();
}

TEST_P(ClearanceTest, ShortGuaranteeRaisesAlertsUntilItIsTopped) {
  ASSERT_TRUE(engine_->SetGuarantee(kAgent, D("10")).ok());
  Parcel p = NewParcel();
  std::string invt_no = Release(p);
  EXPECT_EQ(AlertKinds(), (std::vector<std::string>{"guarantee-short"}));

  auto sum = Tick(Plus(t0_, 30 * kDay + kMinute));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->closed, 1);
  EXPECT_EQ(sum->tax_paid, 0);
  EXPECT_EQ(sum->alerts, 1);
  EXPECT_EQ(List(p).status, "899");
  EXPECT_EQ(Bill(invt_no, "status"), "1");
  EXPECT_EQ(AlertKinds(), (std::vector<std::string>{"guarantee-short", "tax-unpaid"}));

  sum = Tick(Plus(t0_, 45 * kDay - kMinute));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->alerts, 0);
  EXPECT_FALSE(HasAlert("tax-overdue"));
  sum = Tick(Plus(t0_, 45 * kDay + kMinute));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->alerts, 1);
  EXPECT_EQ(AlertKinds(),
            (std::vector<std::string>{"guarantee-short", "tax-unpaid", "tax-overdue"}));
  sum = Tick(Plus(t0_, 46 * kDay));  // once
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->alerts, 0);

  // Topped up: the next tick pays the bill.
  ASSERT_TRUE(engine_->SetGuarantee(kAgent, D("50")).ok());
  sum = Tick(Plus(t0_, 47 * kDay));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->tax_paid, 1);
  EXPECT_EQ(Bill(invt_no, "status"), "2");
  auto g = engine_->Guarantee(kAgent);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->balance, D("21.79"));
  EXPECT_EQ(g->outstanding, Decimal());
}

TEST_P(ClearanceTest, GuaranteeLodgedAfterReleasePaysTheEarlierBill) {
  Parcel p = NewParcel();
  std::string invt_no = Release(p);
  EXPECT_EQ(AlertKinds(), (std::vector<std::string>{"no-guarantee"}));
  EXPECT_EQ(engine_->Guarantee(kAgent).status().code(), Code::kNotFound);

  ASSERT_TRUE(engine_->SetGuarantee(kAgent, D("100")).ok());
  auto g = engine_->Guarantee(kAgent);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->outstanding, Decimal());
  auto sum = Tick(Plus(t0_, 30 * kDay + kMinute));
  ASSERT_TRUE(sum.ok());
  EXPECT_EQ(sum->tax_paid, 1);
  EXPECT_EQ(Bill(invt_no, "status"), "2");
  g = engine_->Guarantee(kAgent);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->balance, D("71.79"));
  EXPECT_EQ(g->paid, D("28.21"));
  EXPECT_EQ(g->outstanding, Decimal());  // never below what is unpaid

  // A later list counts in full against what is left.
  At(Plus(t0_, 31 * kDay));
  Parcel later = NewParcel();
  later.goods[0].qty = "8";  // 1200 + 10: tax 110.11 > 71.79
  Release(later);
  g = engine_->Guarantee(kAgent);
  ASSERT_TRUE(g.ok());
  EXPECT_EQ(g->outstanding, D("110.11"));
  EXPECT_EQ(AlertKinds().back(), "guarantee-short");
}

// ------------------------------------------------------------------ bonded stock

// A bonded list line must carry the HS code its item entered the ledger with: a false code
// (the tax would follow it) is refused and draws no stock and no quota.
TEST_P(ClearanceTest, BondedLineUnderAnotherHsCodeThanTheLedgerIsRefused) {
  InboundRecord in{kWarehouse,           "T2900W000001",  "REC-009", "SKU-9",
                   "1901101000",         "婴儿配方奶粉",  "011",     D("10"),
                   "290120260000000009", "20260301100000"};
  ASSERT_EQ(engine_->AddInbound({in}).code(), Code::kOk);
  Parcel p = NewParcel();
  p.trade_mode = "1210";
  p.area_code = kWarehouse;
  p.ems_no = "T2900W000001";
  p.goods[0].item_record_no = "REC-009";
  p.goods[0].gcode = "2106909090";  // food preparations: declared instead of infant formula
  SendAll(p);
  store::DocumentRow list = List(p);
  EXPECT_EQ(list.status, "100");
  EXPECT_NE(list.return_info.find("商品编码[2106909090]"), std::string::npos) << list.return_info;
  EXPECT_NE(list.return_info.find("[1901101000]"), std::string::npos) << list.return_info;
  EXPECT_EQ(Quota(p).used, Decimal());
  auto stock = engine_->StockReport(kWarehouse);
  ASSERT_TRUE(stock.ok());
  ASSERT_EQ(stock->size(), 1u);
  EXPECT_EQ((*stock)[0].out, Decimal());
  // The same list under the ledger's code is released.
  Parcel right = NewParcel();
  right.trade_mode = "1210";
  right.area_code = kWarehouse;
  right.ems_no = "T2900W000001";
  right.goods[0].item_record_no = "REC-009";
  Release(right);
  EXPECT_EQ((*engine_->StockReport(kWarehouse))[0].out, D("2"));
}

TEST_P(ClearanceTest, BondedListsDrawOnInboundStock) {
  auto bonded = [&] {
    Parcel p = NewParcel();
    p.trade_mode = "1210";
    p.area_code = kWarehouse;
    p.ems_no = "T2900W000001";
    p.goods[0].item_record_no = "REC-001";
    return p;
  };
  Parcel none = bonded();
  SendAll(none);
  store::DocumentRow list = List(none);
  EXPECT_EQ(list.status, "100");
  EXPECT_NE(list.return_info.find("账册库存不足"), std::string::npos) << list.return_info;
  EXPECT_EQ(Quota(none).used, Decimal());

  InboundRecord in{kWarehouse,           "T2900W000001",  "REC-001", "SKU-1",
                   "1901101000",         "婴儿配方奶粉",  "011",     D("10"),
                   "290120260000000001", "20260301100000"};
  EXPECT_EQ(engine_->AddInbound({in}).code(), Code::kOk);
  InboundRecord zero = in;
  zero.qty = Decimal();
  EXPECT_EQ(engine_->AddInbound({zero}).code(), Code::kInvalidArgument);

  Parcel p = bonded();
  std::string invt_no = Release(p);
  auto stock = engine_->StockReport(kWarehouse);
  ASSERT_TRUE(stock.ok()) << stock.status().ToString();
  ASSERT_EQ(stock->size(), 1u);
  EXPECT_EQ((*stock)[0].item_record_no, "REC-001");
  EXPECT_EQ((*stock)[0].in, D("10"));
  EXPECT_EQ((*stock)[0].out, D("2"));
  EXPECT_EQ((*stock)[0].returned, Decimal());
  EXPECT_EQ((*stock)[0].balance, D("8"));

  Parcel too_many = bonded();
  too_many.goods[0].qty = "9";
  SendAll(too_many);
  EXPECT_EQ(List(too_many).status, "100");
  EXPECT_NE(List(too_many).return_info.find("账册库存不足"), std::string::npos);
  EXPECT_EQ((*engine_->StockReport(kWarehouse))[0].out, D("2"));

  EXPECT_EQ(Send(CancelXml(p, invt_no, "CXL-1"), kAgent).return_status, "2");
  stock = engine_->StockReport(kWarehouse);
  ASSERT_TRUE(stock.ok());
  ASSERT_EQ(stock->size(), 1u);
  EXPECT_EQ((*stock)[0].out, D("2"));
  EXPECT_EQ((*stock)[0].returned, D("2"));
  EXPECT_EQ((*stock)[0].balance, D("10"));
  EXPECT_TRUE(engine_->StockReport("OTHER")->empty());

  // A return whose goods are back in the zone puts the returned pieces back in stock.
  Parcel kept = bonded();
  kept.goods[0].qty = "3";
  std::string kept_no = Release(kept);
  EXPECT_EQ((*engine_->StockReport(kWarehouse))[0].balance, D("7"));
  At(Plus(t0_, 5 * kDay));
  EXPECT_EQ(Send(ReturnXml(kept, kept_no, "RET-1", 1, "1"), kAgent).return_status, "2");
  At(Plus(t0_, 6 * kDay));
  Declare(DeliveryXml(kept, "DLV-1"), kWarehouse);
  EXPECT_EQ(Doc("returns", "RET-1").status, "399");
  stock = engine_->StockReport(kWarehouse);
  ASSERT_TRUE(stock.ok());
  EXPECT_EQ((*stock)[0].out, D("5"));
  EXPECT_EQ((*stock)[0].returned, D("3"));
  EXPECT_EQ((*stock)[0].balance, D("8"));
}

// ------------------------------------------------------------------ inspection

class InspectionTest : public ClearanceTest {
 protected:
  void SetUp() override {
    risk_ = RandomInspection(Decimal::FromInt(1));
    ClearanceTest::SetUp();
  }
};

TEST_P(InspectionTest, ReleaseDecisionConcludesAndReleases) {
  Parcel p = NewParcel();
  SendAll(p);
  store::DocumentRow list = List(p);
  EXPECT_EQ(list.status, "500");
  EXPECT_EQ(History(list), (std::vector<std::string>{"2", "120", "500"}));
  EXPECT_EQ(Doc("orders", p.order_no).status, "120");
  EXPECT_EQ(Quota(p).used, D("310"));  // held while customs decides
  EXPECT_EQ(Bill(list.alt_key, "status"), "0");
  ExpectLedgerBalanced();

  At(Plus(t0_, kHour));
  EXPECT_EQ(engine_->Decide(p.cop_no, "hold", "", "officer1").code(), Code::kInvalidArgument);
  EXPECT_EQ(engine_->Decide(p.cop_no, "refuse", "", "officer1").code(), Code::kInvalidArgument);
  EXPECT_EQ(engine_->Decide("NO-SUCH-LIST", "release", "", "officer1").code(), Code::kNotFound);
  Status st = engine_->Decide(p.cop_no, "release", "", "officer1");
  ASSERT_TRUE(st.ok()) << st.ToString();
  list = List(p);
  EXPECT_EQ(list.status, "800");
  EXPECT_EQ(History(list), (std::vector<std::string>{"2", "120", "500", "399", "800"}));
  EXPECT_EQ(Doc("orders", p.order_no).status, "399");
  EXPECT_EQ(Doc("waybills", p.logistics_no).status, "399");
  EXPECT_EQ(Bill(list.alt_key, "status"), "1");
  EXPECT_EQ(FeedStatuses(kAgent, "CEB622", p.cop_no),
            (std::vector<std::string>{"2", "120", "500", "399", "800"}));

  st = engine_->Decide(p.cop_no, "release", "", "officer1");
  EXPECT_EQ(st.code(), Code::kFailedPrecondition) << st.ToString();
  EXPECT_EQ(engine_->Decide(list.alt_key, "refuse", "迟到", "officer1").code(),
            Code::kFailedPrecondition);
  EXPECT_EQ(List(p).status, "800");
}

TEST_P(InspectionTest, RefuseDecisionGivesTheQuotaBack) {
  Parcel kept = NewParcel();
  SendAll(kept);
  ASSERT_TRUE(engine_->Decide(kept.cop_no, "release", "", "officer1").ok());

  Parcel p = NewParcel();
  SendAll(p);
  store::DocumentRow list = List(p);
  ASSERT_EQ(list.status, "500");
  EXPECT_EQ(Quota(p).used, D("620"));
  std::string invt_no = list.alt_key;

  Status st = engine_->Decide(invt_no, "refuse", "申报不实", "officer2");
  ASSERT_TRUE(st.ok()) << st.ToString();
  list = List(p);
  EXPECT_EQ(list.status, "100");
  EXPECT_NE(list.return_info.find("申报不实"), std::string::npos) << list.return_info;
  EXPECT_EQ(History(list), (std::vector<std::string>{"2", "120", "500", "100"}));
  EXPECT_EQ(Quota(p).used, D("310"));
  EXPECT_EQ(Bill(invt_no, "status"), "3");
  ExpectLedgerBalanced();

  EntityOutcome c = Send(CancelXml(p, invt_no, "CXL-1"), kAgent);
  EXPECT_EQ(c.return_status, "-623005") << c.return_info;
  EXPECT_EQ(engine_->Decide(invt_no, "release", "", "officer2").code(), Code::kFailedPrecondition);
  EXPECT_EQ(Quota(p).used, D("310"));
}

INSTANTIATE_TEST_SUITE_P(Engines, ClearanceTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });
INSTANTIATE_TEST_SUITE_P(Engines, InspectionTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace clearance
}  // namespace shumao

// Export clearance end to end on both engines, through the intake as in production:
// CEB303/403/505/603 of one parcel built from one description and sent by the parties
// that own them, in any order, then the CEB507 arrival, CEB509 departure, CEB607 link and
// CEB605 cancel; read back from the documents, their history and the receipts feeds (every
// receipt validated against the official XSD). Time is a FixedClock.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <regex>
#include <string>
#include <vector>

#include "../../tests/support/shared_dir.h"
#include "ceb/catalog.h"
#include "ceb/xsd_validator.h"
#include "clearance/clearance.h"
#include "intake/test_env.h"

namespace shumao::clearance {
namespace {

using intake::EntityOutcome;
using intake::IntakeEnv;

constexpr int64_t kHour = 3600 * 1000;

const std::string kEbp = "EBP0000001";
const std::string kEbc = "EBC0000001";
const std::string kPay = "PAY0000001";
const std::string kLogistics = "LOG0000001";
const std::string kAgent = "AGT0000001";
const std::string kOperator = "WHS0000001";  // the supervised site's operator
const std::string kCustoms = "2317";

Timestamp Beijing(int y, int mo, int d, int h = 10) {
  return FromBeijing(CivilTime{y, mo, d, h, 0, 0, 0});
}

struct Line {
  std::string gcode = "6109100022";  // women's cotton T-shirts
  std::string name = "女式棉质T恤";
  std::string qty = "2";
  std::string price = "45";
  std::string Total() const {
    return Decimal::Parse(qty)->Mul(*Decimal::Parse(price)).ToShortString();
  }
};

// Everything the declarations of one export parcel say; each test changes a field.
struct XParcel {
  std::string order_no, cop_no, logistics_no, pay_no;
  std::string order_type = "E";
  std::string trade_mode = "9610";
  std::string statistics_flag = "B";
  std::vector<Line> lines{Line{}};
  std::string freight = "20";
  std::string insured = "0";
  std::string gross = "1.2";
  std::string license_no;
  // Where one document departs from the list (empty: as the list says).
  std::string order_ebp, waybill_gross;
  std::vector<std::string> order_gnums;  // the order's gnums, when not 1..n
  size_t order_lines = 0;                // the order's first lines only, when not 0
};

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

class ExportTest : public ::testing::TestWithParam<std::string> {
 protected:
  const Timestamp t0_ = Beijing(2026, 10, 12);

  void SetUp() override {
    clock_.Set(t0_);
    env_ = std::make_unique<IntakeEnv>(GetParam());
    auto make = [this](store::Store* s,
                       std::shared_ptr<const Vault> v) -> std::unique_ptr<intake::Hook> {
      Options o;
      o.clock = &clock_;
      o.vault = std::move(v);
      auto e = Engine::Create(s, std::move(o));
      if (!e.ok()) {
        ADD_FAILURE() << e.status().ToString();
        return nullptr;
      }
      engine_ = e->get();
      return std::move(*e);
    };
    ASSERT_TRUE(env_->Open(&clock_, nullptr, make));
    env_->Register(kEbp, {"ebp"});
    env_->Register(kEbc, {"ebc"});
    env_->Register(kPay, {"payment"});
    env_->Register(kLogistics, {"logistics"});
    env_->Register(kAgent, {"agent"});
    env_->Register(kOperator, {"warehouse"});
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

  XParcel NewParcel() {
    int n = ++parcels_;
    XParcel p;
    p.order_no = "XO-" + std::to_string(n);
    p.cop_no = "XC-" + std::to_string(n);
    p.logistics_no = "XL-" + std::to_string(n);
    p.pay_no = "XP-" + std::to_string(n);
    return p;
  }
  XParcel B2b(const std::string& mode) {
    XParcel p = NewParcel();
    p.trade_mode = mode;
    p.order_type = mode == "9710" ? "B" : "W";
    return p;
  }

  std::string Guid() {
    char buf[40];
    std::snprintf(buf, sizeof buf, "E1EA0000-0000-4000-8000-%012d", ++guids_);
    return buf;
  }

  std::string Wrap(const std::string& type, const std::string& entity, const std::string& cop) {
    Xml base;
    base.Open("BaseTransfer")
        .Tag("copCode", cop)
        .Tag("copName", "测试企业")
        .Tag("dxpMode", "DXP")
        .Tag("dxpId", "DXPENT0000000001")
        .Close("BaseTransfer");
    return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:" + type + "Message guid=\"" + Guid() +
           "\" version=\"1.0\" xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">" + entity + base.out +
           "</ceb:" + type + "Message>";
  }

  Xml& Common(Xml& x, const std::string& app_type = "1") {
    return x.Tag("guid", Guid())
        .Tag("appType", app_type)
        .Tag("appTime", FormatC14(clock_.Now()))
        .Tag("appStatus", "2");
  }

  static std::string GoodsValue(const XParcel& p) {
    Decimal v;
    for (const Line& l : p.lines) v += *Decimal::Parse(l.Total());
    return v.ToShortString();
  }

  std::string OrderXml(const XParcel& p) {
    Xml x;
    x.Open("Order").Open("OrderHead");
    Common(x)
        .Tag("orderType", p.order_type)
        .Tag("orderNo", p.order_no)
        .Tag("ebpCode", p.order_ebp.empty() ? kEbp : p.order_ebp)
        .Tag("ebpName", "测试平台")
        .Tag("ebcCode", kEbc)
        .Tag("ebcName", "测试电商")
        .Tag("goodsValue", GoodsValue(p))
        .Tag("freight", p.freight)
        .Tag("currency", "142")
        .Close("OrderHead");
    size_t n = p.order_lines ? p.order_lines : p.lines.size();
    for (size_t i = 0; i < n; ++i) {
      const Line& l = p.lines[i];
      x.Open("OrderList")
          .Tag("gnum", i < p.order_gnums.size() ? p.order_gnums[i] : std::to_string(i + 1))
          .Tag("itemNo", "SKU" + std::to_string(i + 1))
          .Tag("itemName", l.name)
          .Tag("unit", "011")
          .Tag("currency", "142")
          .Tag("qty", l.qty)
          .Tag("price", l.price)
          .Tag("totalPrice", l.Total())
          .Close("OrderList");
    }
    x.Close("Order");
    return Wrap("CEB303", x.out, kEbp);
  }

  std::string ReceiptsXml(const XParcel& p) {
    Xml x;
    x.Open("Receipts");
    Common(x)
        .Tag("ebpCode", kEbp)
        .Tag("ebpName", "测试平台")
        .Tag("ebcCode", kEbc)
        .Tag("ebcName", "测试电商")
        .Tag("orderNo", p.order_no)
        .Tag("payCode", kPay)
        .Tag("payName", "测试支付")
        .Tag("payNo", p.pay_no)
        .Tag("charge", GoodsValue(p))
        .Tag("currency", "142")
        .Tag("accountingDate", FormatC14(clock_.Now()))
        .Close("Receipts");
    return Wrap("CEB403", x.out, kPay);
  }

  std::string WaybillXml(const XParcel& p) {
    Xml x;
    x.Open("Logistics");
    Common(x)
        .Tag("logisticsCode", kLogistics)
        .Tag("logisticsName", "测试物流")
        .Tag("logisticsNo", p.logistics_no)
        .Tag("freight", p.freight)
        .Tag("insuredFee", p.insured)
        .Tag("currency", "142")
        .Tag("grossWeight", p.waybill_gross.empty() ? p.gross : p.waybill_gross)
        .Tag("packNo", "1")
        .Tag("goodsInfo", "服装")
        .Close("Logistics");
    return Wrap("CEB505", x.out, kLogistics);
  }

  std::string ListXml(const XParcel& p) {
    Xml x;
    x.Open("Inventory").Open("InventoryHead");
    Common(x)
        .Tag("customsCode", kCustoms)
        .Tag("ebpCode", kEbp)
        .Tag("ebpName", "测试平台")
        .Tag("orderNo", p.order_no)
        .Tag("logisticsCode", kLogistics)
        .Tag("logisticsName", "测试物流")
        .Tag("logisticsNo", p.logistics_no)
        .Tag("copNo", p.cop_no)
        .Tag("ieFlag", "E")
        .Tag("portCode", kCustoms)
        .Tag("ieDate", FormatC8(clock_.Now()))
        .Tag("statisticsFlag", p.statistics_flag)
        .Tag("agentCode", kAgent)
        .Tag("agentName", "测试报关")
        .Tag("ebcCode", kEbc)
        .Tag("ebcName", "测试电商")
        .Tag("ownerCode", kEbc)
        .Tag("ownerName", "测试电商")
        .Tag("tradeMode", p.trade_mode)
        .Tag("trafMode", "5")
        .Opt("licenseNo", p.license_no)
        .Tag("country", "502")
        .Tag("POD", "502")
        .Tag("freight", p.freight)
        .Tag("fCurrency", "142")
        .Tag("fFlag", "3")
        .Tag("insuredFee", p.insured)
        .Tag("iCurrency", "142")
        .Tag("iFlag", "3")
        .Tag("wrapType", "2")
        .Tag("packNo", "1")
        .Tag("grossWeight", p.gross)
        .Tag("netWeight", "1")
        .Close("InventoryHead");
    for (size_t i = 0; i < p.lines.size(); ++i) {
      const Line& l = p.lines[i];
      x.Open("InventoryList")
          .Tag("gnum", std::to_string(i + 1))
          .Tag("itemNo", "SKU" + std::to_string(i + 1))
          .Tag("gcode", l.gcode)
          .Tag("gname", l.name)
          .Tag("gmodel", "全棉|M码")
          .Tag("barCode", "无")
          .Tag("country", "502")
          .Tag("currency", "142")
          .Tag("qty", l.qty)
          .Tag("qty1", l.qty)
          .Tag("unit", "011")
          .Tag("unit1", "011")
          .Tag("price", l.price)
          .Tag("totalPrice", l.Total())
          .Close("InventoryList");
    }
    x.Close("Inventory");
    return Wrap("CEB603", x.out, kAgent);
  }

  // Arrival (CEB507) or departure (CEB509) of the parcels' waybills.
  std::string ArrivalXml(const std::vector<XParcel>& ps, const std::string& cop) {
    Xml x;
    x.Open("Arrival").Open("ArrivalHead");
    Common(x)
        .Tag("customsCode", kCustoms)
        .Tag("copNo", cop)
        .Tag("operatorCode", kOperator)
        .Tag("operatorName", "测试监管场所")
        .Tag("ieFlag", "E")
        .Tag("trafMode", "5")
        .Tag("billNo", "MAWB-" + cop)
        .Tag("domesticTrafNo", "苏A12345")
        .Tag("logisticsCode", kLogistics)
        .Tag("logisticsName", "测试物流")
        .Tag("msgCount", "1")
        .Tag("msgSeqNo", "1")
        .Close("ArrivalHead");
    for (size_t i = 0; i < ps.size(); ++i) {
      x.Open("ArrivalList")
          .Tag("gnum", std::to_string(i + 1))
          .Tag("logisticsNo", ps[i].logistics_no)
          .Close("ArrivalList");
    }
    x.Close("Arrival");
    return Wrap("CEB507", x.out, kOperator);
  }

  std::string DepartureXml(const std::vector<XParcel>& ps, const std::string& cop) {
    Xml x;
    x.Open("Departure").Open("DepartureHead");
    Common(x)
        .Tag("customsCode", kCustoms)
        .Tag("copNo", cop)
        .Tag("logisticsCode", kLogistics)
        .Tag("logisticsName", "测试物流")
        .Tag("trafMode", "5")
        .Tag("trafName", "CA")
        .Tag("voyageNo", "CA1001")
        .Tag("billNo", "MAWB-" + cop)
        .Tag("leaveTime", FormatC14(clock_.Now()))
        .Tag("msgCount", "1")
        .Tag("msgSeqNo", "1")
        .Close("DepartureHead");
    for (size_t i = 0; i < ps.size(); ++i) {
      x.Open("DepartureList")
          .Tag("gnum", std::to_string(i + 1))
          .Tag("logisticsNo", ps[i].logistics_no)
          .Close("DepartureList");
    }
    x.Close("Departure");
    return Wrap("CEB509", x.out, kLogistics);
  }

  std::string LinkXml(const XParcel& p, const std::string& invt_no, const std::string& cop) {
    Xml x;
    x.Open("WayBill").Open("WayBillHead");
    Common(x)
        .Tag("customsCode", kCustoms)
        .Tag("copNo", cop)
        .Tag("agentCode", kAgent)
        .Tag("agentName", "测试报关")
        .Tag("trafMode", "5")
        .Tag("trafName", "CA")
        .Tag("voyageNo", "CA1001")
        .Tag("billNo", "MAWB-" + cop)
        .Tag("grossWeight", p.gross)
        .Tag("logisticsCode", kLogistics)
        .Tag("logisticsName", "测试物流")
        .Tag("msgCount", "1")
        .Tag("msgSeqNo", "1")
        .Close("WayBillHead")
        .Open("WayBillList")
        .Tag("gnum", "1")
        .Tag("logisticsNo", p.logistics_no)
        .Opt("invtNo", invt_no)
        .Close("WayBillList")
        .Close("WayBill");
    return Wrap("CEB607", x.out, kAgent);
  }

  std::string CancelXml(const std::string& invt_no, const std::string& cop,
                        const std::string& agent = kAgent) {
    Xml x;
    x.Open("InvtCancel");
    Common(x)
        .Tag("customsCode", kCustoms)
        .Tag("copNo", cop)
        .Tag("invtNo", invt_no)
        .Tag("reason", "买家取消订单")
        .Tag("agentCode", agent)
        .Tag("agentName", "测试报关")
        .Tag("ebcCode", kEbc)
        .Tag("ebcName", "测试电商")
        .Close("InvtCancel");
    return Wrap("CEB605", x.out, agent);
  }

  // Export return (CEB213) of `lines` {gnum, gcode, qty} of the list `invt_no`.
  struct RetLine {
    std::string gnum, gcode, qty;
  };
  std::string ReturnXml(const XParcel& p, const std::string& invt_no, const std::string& cop,
                        const std::vector<RetLine>& lines, const std::string& ebc = kEbc) {
    Xml x;
    x.Open("InvtRefund").Open("InvtRefundHead");
    Common(x)
        .Tag("customsCode", kCustoms)
        .Tag("ebpCode", kEbp)
        .Tag("ebpName", "测试平台")
        .Tag("ebcCode", ebc)
        .Tag("ebcName", "测试电商")
        .Tag("logisticsNo", p.logistics_no)
        .Tag("logisticsCode", kLogistics)
        .Tag("logisticsName", "测试物流")
        .Tag("coElNo", cop)
        .Tag("invtNo", invt_no)
        .Tag("agentCode", kAgent)
        .Tag("agentName", "测试报关")
        .Tag("billNo", "MAWB-" + cop)
        .Tag("ieFlag", "I")
        .Tag("trafMode", "5")
        .Tag("trafName", "CA")
        .Tag("portCode", kCustoms)
        .Tag("reason", "海外买家退货")
        .Tag("country", "502")
        .Tag("voyageNo", "CA1002")
        .Close("InvtRefundHead");
    for (const RetLine& l : lines) {
      x.Open("InvtRefundList")
          .Tag("gnum", l.gnum)
          .Tag("gcode", l.gcode)
          .Tag("gname", "退货商品" + l.gnum)
          .Tag("gmodel", "原状退回")
          .Tag("qty", l.qty)
          .Tag("qty1", l.qty)
          .Tag("unit", "011")
          .Tag("unit1", "011")
          .Close("InvtRefundList");
    }
    x.Close("InvtRefund");
    return Wrap("CEB213", x.out, kAgent);
  }

  // The tally (CEB215) of the returned parcel at the supervised site.
  std::string TallyXml(const XParcel& p, const std::string& cop, const std::string& invt_no = "") {
    Xml x;
    x.Open("InvtRefundDetail");
    Common(x)
        .Tag("customsCode", kCustoms)
        .Tag("operatorCode", kOperator)
        .Tag("operatorName", "测试监管场所")
        .Tag("logisticsCode", kLogistics)
        .Tag("logisticsName", "测试物流")
        .Tag("logisticsNo", p.logistics_no)
        .Opt("invtNo", invt_no)
        .Tag("coElNo", cop)
        .Tag("billNo", "MAWB-" + cop)
        .Tag("ieFlag", "I")
        .Tag("trafMode", "5")
        .Tag("trafName", "CA")
        .Tag("voyageNo", "CA1002")
        .Close("InvtRefundDetail");
    return Wrap("CEB215", x.out, kOperator);
  }

  // A list sent, matched and released (800) now; its invtNo.
  std::string Released(const XParcel& p, const std::string& arrival) {
    SendAll(p);
    Arrive({p}, arrival);
    EXPECT_EQ(List(p).status, "800") << List(p).return_info;
    return List(p).alt_key;
  }

  std::string ReturnJson(const std::string& cop) {
    auto j = engine_->ExportReturnJson(cop, "");
    EXPECT_TRUE(j.ok()) << j.status().ToString();
    return j.ok() ? *j : std::string();
  }

  // ------------------------------------------------------------------ sending

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
  void Declare(const std::string& xml, const std::string& sender) {
    EntityOutcome e = Send(xml, sender);
    EXPECT_EQ(e.return_status, "2") << e.kind << " " << e.key << ": " << e.return_info;
  }

  // o(rder) r(eceipts) w(aybill) l(ist), in the order given.
  void SendAll(const XParcel& p, const std::string& order = "owl") {
    for (char c : order) {
      switch (c) {
        case 'o': Declare(OrderXml(p), kEbp); break;
        case 'r': Declare(ReceiptsXml(p), kPay); break;
        case 'w': Declare(WaybillXml(p), kLogistics); break;
        case 'l': Declare(ListXml(p), kAgent); break;
      }
    }
  }
  void Arrive(const std::vector<XParcel>& ps, const std::string& cop) {
    Declare(ArrivalXml(ps, cop), kOperator);
  }
  void Depart(const std::vector<XParcel>& ps, const std::string& cop) {
    Declare(DepartureXml(ps, cop), kLogistics);
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
  store::DocumentRow List(const XParcel& p) { return Doc("inventories", p.cop_no); }

  std::vector<std::string> History(const store::DocumentRow& row) {
    std::vector<std::string> out;
    auto h = env_->store->History(row.id);
    EXPECT_TRUE(h.ok());
    if (h.ok()) {
      for (const auto& r : *h) out.push_back(r.status);
    }
    return out;
  }
  std::vector<std::string> HistoryInfo(const store::DocumentRow& row) {
    std::vector<std::string> out;
    auto h = env_->store->History(row.id);
    if (h.ok()) {
      for (const auto& r : *h) out.push_back(r.info);
    }
    return out;
  }

  std::vector<store::ReceiptRow> Feed(const std::string& recipient) {
    auto r = env_->store->Receipts(recipient, 0, 1000);
    EXPECT_TRUE(r.ok());
    return r.ok() ? *r : std::vector<store::ReceiptRow>{};
  }
  std::vector<std::string> FeedStatuses(const std::string& recipient, const std::string& type,
                                        const std::string& key) {
    std::vector<std::string> out;
    for (const auto& r : Feed(recipient)) {
      if (r.type == type && r.keys_json.find("\"" + key + "\"") != std::string::npos)
        out.push_back(r.return_status);
    }
    return out;
  }
  // Every receipt of every party validates against the official XSD; how many there were.
  int ExpectReceiptsValid() {
    int checked = 0;
    for (const std::string& party : {kEbp, kPay, kLogistics, kAgent, kOperator}) {
      for (const store::ReceiptRow& row : Feed(party)) {
        SCOPED_TRACE(party + " " + row.type + " " + row.return_status);
        const ceb::MessageDef* def = ceb::FindMessageByType(row.type);
        EXPECT_NE(def, nullptr);
        if (def == nullptr) continue;
        Status v = Xsd().Validate(row.xml, def->direction);
        EXPECT_TRUE(v.ok()) << v.ToString() << "\n" << row.xml;
        ++checked;
      }
    }
    return checked;
  }

  void At(Timestamp t) { clock_.Set(t); }
  void Later(int64_t ms) { clock_.Set(Timestamp{clock_.Now().millis + ms}); }

  FixedClock clock_{Timestamp{}};
  std::unique_ptr<IntakeEnv> env_;
  Engine* engine_ = nullptr;
  int parcels_ = 0;
  int guids_ = 0;
};

using S = std::vector<std::string>;

// ------------------------------------------------------------------ the flow

TEST_P(ExportTest, HappyPathFrom9610OrderTo899WithEveryReceipt) {
  XParcel p = NewParcel();
  SendAll(p, "orwl");
  store::DocumentRow list = List(p);
  EXPECT_EQ(list.status, "399") << list.return_info;
  EXPECT_EQ(History(list), (S{"2", "120", "399"}));
  std::string invt_no = list.alt_key;
  EXPECT_TRUE(std::regex_match(invt_no, std::regex(kCustoms + "2026E[0-9]{9}"))) << invt_no;
  EXPECT_EQ(Doc("inventories", invt_no).id, list.id);
  EXPECT_EQ(History(Doc("orders", p.order_no)), (S{"2", "120", "399"}));
  EXPECT_EQ(History(Doc("waybills", p.logistics_no)), (S{"2", "120", "399"}));
  EXPECT_EQ(History(Doc("payments", p.order_no)), (S{"2", "120"}));

  Later(2 * kHour);
  Arrive({p}, "ARR-1");
  list = List(p);
  EXPECT_EQ(list.status, "800") << list.return_info;
  Later(5 * kHour);
  Timestamp departed = clock_.Now();
  Depart({p}, "DEP-1");
  list = List(p);
  EXPECT_EQ(list.status, "899") << list.return_info;
  EXPECT_EQ(History(list), (S{"2", "120", "399", "800", "899"}));
  // What the monthly summary reads: kind, type, status and the time it closed.
  EXPECT_EQ(list.kind, "inventories");
  EXPECT_EQ(list.message_type, "CEB603");
  EXPECT_EQ(list.updated_ms, departed.millis);

  EXPECT_EQ(FeedStatuses(kAgent, "CEB604", p.cop_no), (S{"2", "120", "399", "800", "899"}));
  EXPECT_EQ(FeedStatuses(kEbp, "CEB304", p.order_no), (S{"2", "120", "399"}));
  EXPECT_EQ(FeedStatuses(kPay, "CEB404", p.order_no), (S{"2", "120"}));
  EXPECT_EQ(FeedStatuses(kLogistics, "CEB506", p.logistics_no), (S{"2", "120", "399"}));
  EXPECT_EQ(FeedStatuses(kOperator, "CEB508", "ARR-1"), (S{"2", "120"}));
  EXPECT_EQ(FeedStatuses(kLogistics, "CEB510", "DEP-1"), (S{"2", "120"}));
  auto feed = Feed(kAgent);
  auto closed = std::find_if(feed.begin(), feed.end(), [](const store::ReceiptRow& r) {
    return r.type == "CEB604" && r.return_status == "899";
  });
  ASSERT_NE(closed, feed.end());
  EXPECT_NE(closed->xml.find("<ceb:invtNo>" + invt_no + "</ceb:invtNo>"), std::string::npos);

  // The bill link is recorded in the list's history without changing its status.
  Declare(LinkXml(p, invt_no, "LNK-1"), kAgent);
  EXPECT_EQ(List(p).status, "899");
  auto info = HistoryInfo(List(p));
  EXPECT_NE(info.back().find("MAWB-LNK-1"), std::string::npos) << info.back();
  EXPECT_EQ(FeedStatuses(kAgent, "CEB608", "LNK-1"), (S{"2", "120"}));
  EXPECT_GT(ExpectReceiptsValid(), 15);
}

TEST_P(ExportTest, EveryArrivalOrderClears) {
  std::string order = "lorw";
  std::sort(order.begin(), order.end());
  int n = 0;
  do {
    SCOPED_TRACE(order);
    XParcel p = NewParcel();
    SendAll(p, order);
    EXPECT_EQ(List(p).status, "399") << List(p).return_info;
    EXPECT_EQ(Doc("orders", p.order_no).status, "399");
    EXPECT_EQ(Doc("waybills", p.logistics_no).status, "399");
    EXPECT_EQ(Doc("payments", p.order_no).status, "120");
    ++n;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(n, 24);
}

TEST_P(ExportTest, ReceiptsNeverBlockAndFollowLater) {
  XParcel p = NewParcel();
  SendAll(p, "wlo");
  EXPECT_EQ(List(p).status, "399");
  Arrive({p}, "ARR-1");
  EXPECT_EQ(List(p).status, "800");
  SendAll(p, "r");
  EXPECT_EQ(History(Doc("payments", p.order_no)), (S{"2", "120"}));
}

TEST_P(ExportTest, ListWithoutWaybillWaitsThenTimesOut) {
  XParcel p = NewParcel();
  SendAll(p, "ol");
  EXPECT_EQ(List(p).status, "2");
  auto sum = engine_->Tick(Timestamp{t0_.millis + 25 * kHour});
  ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  EXPECT_EQ(sum->timed_out, 1);
  store::DocumentRow list = List(p);
  EXPECT_EQ(list.status, "100");
  EXPECT_NE(list.return_info.find("CEB505"), std::string::npos) << list.return_info;
}

TEST_P(ExportTest, EachMismatchRefusesTheListNamingBothFields) {
  struct Case {
    const char* what;
    std::function<void(XParcel&)> change;
    const char* zh;
    const char* en;
  };
  std::vector<Case> cases = {
      {"gross weight", [](XParcel& p) { p.waybill_gross = "1.3"; }, "毛重",
       "InventoryHead.grossWeight differs from LogisticsHead.grossWeight"},
      {"line count",
       [](XParcel& p) {
         p.lines.push_back(Line{});
         p.order_lines = 1;
       },
       "商品项数", "InventoryList.gnum and OrderList.gnum"},
      {"gnum", [](XParcel& p) { p.order_gnums = {"2"}; }, "清单商品序号[1]在订单中不存在",
       "InventoryList.gnum 1 has no OrderList.gnum"},
      {"platform", [](XParcel& p) { p.order_ebp = "EBP0000002"; }, "电商平台代码",
       "InventoryHead.ebpCode differs from OrderHead.ebpCode"},
      {"order type", [](XParcel& p) { p.order_type = "B"; }, "订单类型",
       "requires OrderHead.orderType E"},
  };
  env_->Register("EBP0000002", {"ebp"});
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    XParcel p = NewParcel();
    c.change(p);
    if (!p.order_ebp.empty()) {
      Declare(OrderXml(p), p.order_ebp);
      SendAll(p, "wl");
    } else {
      SendAll(p, "owl");
    }
    store::DocumentRow list = List(p);
    EXPECT_EQ(list.status, "100");
    EXPECT_NE(list.return_info.find(c.zh), std::string::npos) << list.return_info;
    EXPECT_NE(list.return_info.find(c.en), std::string::npos) << list.return_info;
    EXPECT_EQ(Doc("orders", p.order_no).status, "2");
    EXPECT_EQ(Doc("waybills", p.logistics_no).status, "2");
  }
  EXPECT_GT(ExpectReceiptsValid(), 10);
}

// ------------------------------------------------------------------ modes

TEST_P(ExportTest, B2bListOver5000GoesToACustomsDeclaration) {
  XParcel over = B2b("9710");
  over.lines[0].qty = "100";
  over.lines[0].price = "49.8";  // 4,980 + freight 20 + insurance 0.01
  over.insured = "0.01";
  SendAll(over);
  store::DocumentRow list = List(over);
  EXPECT_EQ(list.status, "100");
  EXPECT_NE(list.return_info.find("报关单"), std::string::npos) << list.return_info;
  EXPECT_NE(list.return_info.find("H2018"), std::string::npos) << list.return_info;
  EXPECT_NE(list.return_info.find("5000.01"), std::string::npos) << list.return_info;

  XParcel exact = B2b("9710");  // 4,980 + 20 = 5,000.00: the list channel
  exact.lines[0].qty = "100";
  exact.lines[0].price = "49.8";
  SendAll(exact);
  EXPECT_EQ(List(exact).status, "399") << List(exact).return_info;

  XParcel retail = NewParcel();  // the limit is the B2B channel's, not 9610's
  retail.lines[0].qty = "100";
  retail.lines[0].price = "60";
  SendAll(retail);
  EXPECT_EQ(List(retail).status, "399") << List(retail).return_info;

  XParcel licensed = B2b("9710");
  licensed.license_no = "LIC-2026-0001";
  SendAll(licensed);
  list = List(licensed);
  EXPECT_EQ(list.status, "100");
  EXPECT_NE(list.return_info.find("许可证"), std::string::npos) << list.return_info;
  EXPECT_NE(list.return_info.find("报关单"), std::string::npos) << list.return_info;
  EXPECT_GT(ExpectReceiptsValid(), 10);
}

TEST_P(ExportTest, OverseasWarehouseListNeedsARegisteredWarehouse) {
  XParcel before = B2b("9810");
  SendAll(before);
  store::DocumentRow list = List(before);
  EXPECT_EQ(list.status, "100");
  EXPECT_NE(list.return_info.find("海外仓"), std::string::npos) << list.return_info;
  EXPECT_NE(list.return_info.find("overseas warehouse"), std::string::npos) << list.return_info;

  OverseasWarehouse w;
  w.ebc_code = kEbc;
  w.code = "LAX01";
  w.name = "美国洛杉矶海外仓";
  w.country = "502";
  w.address = "1000 Warehouse Way, Los Angeles, CA";
  w.area_m2 = Decimal::FromInt(12000);
  w.services = {"一件代发", "退货换标"};
  ASSERT_TRUE(engine_->AddOverseasWarehouse(w).ok());
  OverseasWarehouse bad = w;
  bad.country = "US";
  EXPECT_EQ(engine_->AddOverseasWarehouse(bad).code(), Code::kInvalidArgument);
  auto all = engine_->ListOverseasWarehouses("");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ((*all)[0].operator_name, w.name);
  EXPECT_EQ((*all)[0].services, w.services);
  EXPECT_EQ((*all)[0].area_m2, w.area_m2);
  EXPECT_TRUE(engine_->ListOverseasWarehouses("OTHER00001")->empty());

  XParcel after = B2b("9810");
  SendAll(after);
  EXPECT_EQ(List(after).status, "399") << List(after).return_info;
  Arrive({after}, "ARR-1");
  Depart({after}, "DEP-1");
  EXPECT_EQ(List(after).status, "899");
}

TEST_P(ExportTest, SimplifiedHsCodesFollowTheMode) {
  struct Case {
    std::string mode, flag, gcode;
    bool accepted;
  };
  std::vector<Case> cases = {
      {"9610", "A", "6109000000", true},  {"9610", "A", "6109100000", true},
      {"9610", "B", "6109000000", false}, {"9610", "B", "6109100000", false},
      {"9710", "B", "6109100000", true},  {"9710", "B", "6109000000", false},
      {"9810", "B", "6109100000", true},  {"9610", "B", "6109100022", true},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.mode + " " + c.flag + " " + c.gcode);
    if (c.mode == "9810" && engine_->ListOverseasWarehouses(kEbc)->empty()) {
      OverseasWarehouse w{
          kEbc, "LAX01", "洛杉矶仓", "", "502", "Los Angeles", Decimal::FromInt(100), {}};
      ASSERT_TRUE(engine_->AddOverseasWarehouse(w).ok());
    }
    XParcel p = c.mode == "9610" ? NewParcel() : B2b(c.mode);
    p.statistics_flag = c.flag;
    p.lines[0].gcode = c.gcode;
    SendAll(p);
    store::DocumentRow list = List(p);
    EXPECT_EQ(list.status, c.accepted ? "399" : "100") << list.return_info;
    if (!c.accepted) {
      EXPECT_NE(list.return_info.find("商品编码[" + c.gcode + "]"), std::string::npos)
          << list.return_info;
    }
  }
}

// ------------------------------------------------------------------ arrival and departure

TEST_P(ExportTest, DepartureBeforeArrivalClosesWhenTheParcelArrives) {
  XParcel p = NewParcel();
  XParcel q = NewParcel();
  SendAll(p);
  Depart({p}, "DEP-1");  // before arrival: recorded, not applied
  EXPECT_EQ(List(p).status, "399");
  EXPECT_NE(HistoryInfo(List(p)).back().find("DEP-1"), std::string::npos);
  Later(kHour);
  Timestamp arrived = clock_.Now();
  Arrive({p}, "ARR-1");
  store::DocumentRow list = List(p);
  EXPECT_EQ(list.status, "899");
  // The early departure is a note in the history (status unchanged), then 800 and 899.
  EXPECT_EQ(History(list), (S{"2", "120", "399", "399", "800", "899"}));
  EXPECT_EQ(list.updated_ms, arrived.millis);

  // Arrival and departure before the list is even declared: applied at the match.
  Arrive({q}, "ARR-2");
  Depart({q}, "DEP-2");
  SendAll(q, "lwo");
  EXPECT_EQ(History(List(q)), (S{"2", "120", "399", "800", "899"}));
  EXPECT_GT(ExpectReceiptsValid(), 15);
}

// ------------------------------------------------------------------ cancels

TEST_P(ExportTest, CancelIsAllowedBeforeCloseAndRefusedAfter) {
  XParcel concluded = NewParcel();
  SendAll(concluded);
  std::string c1 = List(concluded).alt_key;
  Declare(CancelXml(c1, "XCXL-1"), kAgent);
  EXPECT_EQ(List(concluded).status, "100");
  EXPECT_NE(List(concluded).return_info.find("已撤销"), std::string::npos);
  EXPECT_EQ(Doc("cancels", "XCXL-1").status, "399");
  EXPECT_EQ(FeedStatuses(kAgent, "CEB606", "XCXL-1"), (S{"2", "399"}));
  // A cancelled list neither releases nor closes when its parcel arrives.
  Arrive({concluded}, "ARR-1");
  EXPECT_EQ(List(concluded).status, "100");

  XParcel released = NewParcel();
  SendAll(released);
  Arrive({released}, "ARR-2");
  Declare(CancelXml(List(released).alt_key, "XCXL-2"), kAgent);
  EXPECT_EQ(List(released).status, "100");

  XParcel closed = NewParcel();
  SendAll(closed);
  Arrive({closed}, "ARR-3");
  Depart({closed}, "DEP-3");
  std::string c3 = List(closed).alt_key;
  EntityOutcome late = Send(CancelXml(c3, "XCXL-3"), kAgent);
  EXPECT_EQ(late.return_status, "-606003") << late.return_info;
  EXPECT_EQ(List(closed).status, "899");

  EntityOutcome again = Send(CancelXml(c1, "XCXL-4"), kAgent);
  EXPECT_EQ(again.return_status, "-606003") << again.return_info;
  EntityOutcome unknown = Send(CancelXml(kCustoms + "2026E999999999", "XCXL-5"), kAgent);
  EXPECT_EQ(unknown.return_status, "-606002") << unknown.return_info;
  env_->Register("AGT0000002", {"agent"});
  XParcel other = NewParcel();
  SendAll(other);
  EntityOutcome foreign =
      Send(CancelXml(List(other).alt_key, "XCXL-6", "AGT0000002"), "AGT0000002");
  EXPECT_EQ(foreign.return_status, "-606003") << foreign.return_info;
  EXPECT_EQ(List(other).status, "399");
  EXPECT_GT(ExpectReceiptsValid(), 20);
}

TEST_P(ExportTest, ASecondListForTheSameOrderIsRefused) {
  XParcel p = NewParcel();
  SendAll(p);
  XParcel second = p;
  second.cop_no = "XC-second";
  Declare(ListXml(second), kAgent);
  store::DocumentRow list = List(second);
  EXPECT_EQ(list.status, "100");
  EXPECT_NE(list.return_info.find("already on another list"), std::string::npos);
  EXPECT_EQ(List(p).status, "399");
}

// ------------------------------------------------------------------ export returns

constexpr int64_t kDay = 24 * kHour;
const std::string kTee = "6109100022";
const std::string kCoffee = "0901210000";  // roasted coffee: chapter 09, food

bool Has(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_P(ExportTest, ReturnWithinAYearIsAcceptedAndTheTallyCompletesIt) {
  XParcel p = NewParcel();
  p.lines = {Line{}, Line{kCoffee, "已焙炒咖啡豆", "3", "80"}};
  std::string invt = Released(p, "ARR-1");
  Later(kHour);
  Depart({p}, "DEP-1");
  ASSERT_EQ(List(p).status, "899");

  Later(30 * kDay);
  Declare(ReturnXml(p, invt, "RET-1", {{"1", kTee, "1"}, {"2", kCoffee, "3"}}), kAgent);
  store::DocumentRow ret = Doc("returns", "RET-1");
  EXPECT_EQ(ret.status, "120") << ret.return_info;
  EXPECT_TRUE(Has(ret.return_info, "CEB215")) << ret.return_info;
  EXPECT_EQ(FeedStatuses(kAgent, "CEB214", "RET-1"), (S{"2", "120"}));
  EXPECT_TRUE(Has(HistoryInfo(List(p)).back(), "RET-1"));
  EXPECT_EQ(List(p).status, "899");  // the list's status does not change
  std::string json = ReturnJson("RET-1");
  EXPECT_TRUE(Has(json, "\"state\":\"waiting\"")) << json;
  EXPECT_TRUE(Has(json, "\"taxFree\":null")) << json;
  EXPECT_TRUE(Has(json, "\"exportDate\":\"2026-10-12\"")) << json;
  EXPECT_TRUE(Has(json, "\"taxFreeUntil\":\"2027-04-12\"")) << json;

  Later(10 * kDay);
  Declare(TallyXml(p, "TALLY-1", invt), kOperator);
  ret = Doc("returns", "RET-1");
  EXPECT_EQ(ret.status, "399") << ret.return_info;
  EXPECT_TRUE(Has(ret.return_info, "第1项免税")) << ret.return_info;
  EXPECT_TRUE(Has(ret.return_info, "第2项不免税：食品")) << ret.return_info;
  EXPECT_EQ(Doc("return-tallies", "TALLY-1").status, "399");
  EXPECT_EQ(FeedStatuses(kAgent, "CEB214", "RET-1"), (S{"2", "120", "399"}));
  EXPECT_EQ(FeedStatuses(kOperator, "CEB216", "TALLY-1"), (S{"2", "399"}));
  EXPECT_TRUE(Has(HistoryInfo(List(p)).back(), "TALLY-1"));
  EXPECT_EQ(List(p).status, "899");

  json = ReturnJson("RET-1");
  EXPECT_TRUE(Has(json, "\"state\":\"completed\"")) << json;
  EXPECT_TRUE(Has(json, "\"tally\":\"TALLY-1\",\"taxFree\":false")) << json;
  EXPECT_TRUE(Has(json,
                  "\"gnum\":1,\"gcode\":\"6109100022\",\"gname\":\"退货商品1\",\"qty\":\"1\","
                  "\"taxFree\":true,\"reason\":\"出口放行(20261012)后6个月内"))
      << json;
  EXPECT_TRUE(Has(json,
                  "\"gnum\":2,\"gcode\":\"0901210000\",\"gname\":\"退货商品2\",\"qty\":\"3\","
                  "\"taxFree\":false,\"reason\":\"食品"))
      << json;
  EXPECT_TRUE(Has(json, "\"document\":\"公告2026年第16号\"")) << json;
  EXPECT_EQ(engine_->ExportReturnJson("RET-9", "").status().code(), Code::kNotFound);
  EXPECT_TRUE(engine_->ExportReturnJson("RET-1", kAgent).ok());

  // What is left of line 1 may still come back; more than that may not.
  XParcel again = p;
  again.logistics_no = "XL-back-2";
  EntityOutcome too_many = Send(ReturnXml(again, invt, "RET-2", {{"1", kTee, "2"}}), kAgent);
  EXPECT_EQ(too_many.return_status, "-214003") << too_many.return_info;
  EXPECT_TRUE(Has(too_many.return_info, "可退数量[1]")) << too_many.return_info;
  Declare(ReturnXml(again, invt, "RET-3", {{"1", kTee, "1"}}), kAgent);
  EXPECT_EQ(Doc("returns", "RET-3").status, "120");
  EXPECT_GT(ExpectReceiptsValid(), 20);
}

TEST_P(ExportTest, ReturnMoreThanAYearAfterReleaseIsRefused) {
  XParcel p = NewParcel();
  XParcel q = NewParcel();
  std::string invt_p = Released(p, "ARR-1");
  std::string invt_q = Released(q, "ARR-2");
  Timestamp release = clock_.Now();

  At(Timestamp{release.millis + 365 * kDay});  // the 365th day: still within the year
  Declare(ReturnXml(p, invt_p, "RET-1", {{"1", kTee, "1"}}), kAgent);
  EXPECT_EQ(Doc("returns", "RET-1").status, "120");

  At(Timestamp{release.millis + 365 * kDay + kHour});
  EntityOutcome late = Send(ReturnXml(q, invt_q, "RET-2", {{"1", kTee, "1"}}), kAgent);
  EXPECT_EQ(late.return_status, "-214003") << late.return_info;
  EXPECT_TRUE(Has(late.return_info, "放行之日起365天")) << late.return_info;
  EXPECT_TRUE(Has(late.return_info, "44号")) << late.return_info;
  EXPECT_TRUE(Has(late.return_info, "after release on 20261012")) << late.return_info;
  auto stored = env_->store->FindDocuments("returns", "RET-2");
  ASSERT_TRUE(stored.ok());
  EXPECT_TRUE(stored->empty());  // refused before it was stored
  EXPECT_GT(ExpectReceiptsValid(), 10);
}

TEST_P(ExportTest, ReturnOfLinesNotOnTheListOrMoreThanRemainsIsRefused) {
  XParcel p = NewParcel();  // one line of 2 T-shirts
  std::string invt = Released(p, "ARR-1");
  Later(kDay);
  struct Case {
    const char* what;
    std::vector<RetLine> lines;
    const char* info;
  };
  std::vector<Case> cases = {
      {"gnum not on the list", {{"2", kTee, "1"}}, "line not on the list"},
      {"gcode differs", {{"1", "6109100011", "1"}}, "line not on the list"},
      {"too many", {{"1", kTee, "3"}}, "more than remains on the list"},
      {"too many over two entries", {{"1", kTee, "1"}, {"1", kTee, "2"}}, "可退数量[2]"},
      {"zero", {{"1", kTee, "0"}}, "above 0"},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    EntityOutcome r = Send(ReturnXml(p, invt, std::string("R-") + c.what, c.lines), kAgent);
    EXPECT_EQ(r.return_status, "-214003") << r.return_info;
    EXPECT_TRUE(Has(r.return_info, c.info)) << r.return_info;
  }
  EntityOutcome unknown =
      Send(ReturnXml(p, kCustoms + "2026E999999999", "R-unknown", {{"1", kTee, "1"}}), kAgent);
  EXPECT_EQ(unknown.return_status, "-214002") << unknown.return_info;
  env_->Register("EBC0000002", {"ebc"});
  EntityOutcome foreign =
      Send(ReturnXml(p, invt, "R-foreign", {{"1", kTee, "1"}}, "EBC0000002"), kAgent);
  EXPECT_EQ(foreign.return_status, "-214003") << foreign.return_info;
  EXPECT_TRUE(Has(foreign.return_info, "ebcCode")) << foreign.return_info;
  XParcel concluded = NewParcel();  // 399, not yet released
  SendAll(concluded);
  std::string invt_c = List(concluded).alt_key;
  EntityOutcome early = Send(ReturnXml(concluded, invt_c, "R-early", {{"1", kTee, "1"}}), kAgent);
  EXPECT_EQ(early.return_status, "-214003") << early.return_info;
  EXPECT_TRUE(Has(early.return_info, "released (800) or closed (899)")) << early.return_info;

  // Everything on one return; the same waybill may not carry a second one, and the
  // quantities it holds are not available to another waybill.
  Declare(ReturnXml(p, invt, "RET-1", {{"1", kTee, "2"}}), kAgent);
  EntityOutcome same = Send(ReturnXml(p, invt, "RET-2", {{"1", kTee, "1"}}), kAgent);
  EXPECT_EQ(same.return_status, "-214003") << same.return_info;
  EXPECT_TRUE(Has(same.return_info, "already waiting for its tally")) << same.return_info;
  XParcel other = p;
  other.logistics_no = "XL-back-2";
  EntityOutcome none = Send(ReturnXml(other, invt, "RET-3", {{"1", kTee, "1"}}), kAgent);
  EXPECT_EQ(none.return_status, "-214003") << none.return_info;
  EXPECT_TRUE(Has(none.return_info, "可退数量[0]")) << none.return_info;

  // Tallies: of a waybill with no return waiting, or naming another list.
  XParcel nobody = NewParcel();
  EntityOutcome stray = Send(TallyXml(nobody, "T-stray"), kOperator);
  EXPECT_EQ(stray.return_status, "-216002") << stray.return_info;
  EntityOutcome wrong = Send(TallyXml(p, "T-wrong", invt_c), kOperator);
  EXPECT_EQ(wrong.return_status, "-216003") << wrong.return_info;
  Declare(TallyXml(p, "T-1"), kOperator);
  EXPECT_EQ(Doc("returns", "RET-1").status, "399");
  // A list with a return can no longer be cancelled.
  EntityOutcome cancel = Send(CancelXml(invt, "XCXL-1"), kAgent);
  EXPECT_EQ(cancel.return_status, "-606003") << cancel.return_info;
  EXPECT_EQ(List(p).status, "800");
  EXPECT_GT(ExpectReceiptsValid(), 20);
}

TEST_P(ExportTest, TaxFreeReImportNeedsSixMonthsACoveredPeriodAndNoFood) {
  struct Case {
    const char* what;
    Timestamp released, tallied;
    std::string gcode;
    bool tax_free;
    const char* reason;
  };
  std::vector<Case> cases = {
      {"six months to the day (31 March + 6 months = 30 September)", Beijing(2026, 3, 31),
       Beijing(2026, 9, 30, 22), kTee, true, "公告2026年第16号覆盖期间(2026-01-01至2027-12-31)"},
      {"one day after six months", Beijing(2026, 3, 31), Beijing(2026, 10, 1), kTee, false,
       "退运时间超过出口放行(20260331)后6个月(20260930)"},
      {"food", Beijing(2026, 3, 31), Beijing(2026, 4, 10), kCoffee, false,
       "食品(商品编码第01-24章)不适用"},
      {"exported in 2022, outside every period", Beijing(2022, 6, 1), Beijing(2022, 7, 1), kTee,
       false, "出口日期(20220601)不在退运商品税收政策覆盖期间内"},
      {"last day of the first period", Beijing(2025, 12, 31, 23), Beijing(2026, 1, 15), kTee, true,
       "公告2023年第4号/2023年第34号覆盖期间"},
      {"every condition failing is named", Beijing(2022, 6, 1), Beijing(2023, 1, 2), kCoffee, false,
       "后6个月(20221201)；出口日期(20220601)不在退运商品税收政策覆盖期间内；食品"},
  };
  int n = 0;
  for (const Case& c : cases) {
    SCOPED_TRACE(c.what);
    ++n;
    At(c.released);
    XParcel p = NewParcel();
    p.lines[0].gcode = c.gcode;
    std::string invt = Released(p, "ARR-" + std::to_string(n));
    At(Timestamp{c.released.millis + kDay});
    std::string ret = "RET-" + std::to_string(n);
    Declare(ReturnXml(p, invt, ret, {{"1", c.gcode, "1"}}), kAgent);
    At(c.tallied);
    Declare(TallyXml(p, "TALLY-" + std::to_string(n)), kOperator);
    store::DocumentRow doc = Doc("returns", ret);
    EXPECT_EQ(doc.status, "399") << doc.return_info;
    EXPECT_TRUE(Has(doc.return_info, c.tax_free ? "第1项免税" : "第1项不免税")) << doc.return_info;
    std::string json = ReturnJson(ret);
    EXPECT_TRUE(Has(json, c.tax_free ? "\"taxFree\":true" : "\"taxFree\":false")) << json;
    EXPECT_TRUE(Has(json, c.reason)) << json;
  }
  EXPECT_GT(ExpectReceiptsValid(), 30);
}

TEST_P(ExportTest, ReturnNotTalliedWithinTheYearLapses) {
  XParcel p = NewParcel();
  std::string invt = Released(p, "ARR-1");
  Timestamp release = clock_.Now();
  Later(kDay);
  Declare(ReturnXml(p, invt, "RET-1", {{"1", kTee, "2"}}), kAgent);
  auto sum = engine_->Tick(Timestamp{release.millis + 364 * kDay});
  ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  EXPECT_EQ(sum->returns_failed, 0);
  sum = engine_->Tick(Timestamp{release.millis + 365 * kDay + kHour});
  ASSERT_TRUE(sum.ok()) << sum.status().ToString();
  EXPECT_EQ(sum->returns_failed, 1);
  store::DocumentRow ret = Doc("returns", "RET-1");
  EXPECT_EQ(ret.status, "100");
  EXPECT_TRUE(Has(ret.return_info, "365")) << ret.return_info;
  EXPECT_TRUE(Has(ReturnJson("RET-1"), "\"state\":\"lapsed\""));
  At(Timestamp{release.millis + 366 * kDay});
  EntityOutcome tally = Send(TallyXml(p, "T-late"), kOperator);
  EXPECT_EQ(tally.return_status, "-216002") << tally.return_info;
  EXPECT_EQ(FeedStatuses(kAgent, "CEB214", "RET-1"), (S{"2", "120", "100"}));
  // The lapsed return holds nothing any more: the released list may be cancelled.
  Declare(CancelXml(invt, "XCXL-1"), kAgent);
  EXPECT_EQ(List(p).status, "100");
  EXPECT_GT(ExpectReceiptsValid(), 8);
}

INSTANTIATE_TEST_SUITE_P(Engines, ExportTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& info) { return info.param; });

}  // namespace
}  // namespace shumao::clearance

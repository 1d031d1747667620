// Export clearance: see export.h for the flow and the records.
#include "clearance/export.h"

#include <algorithm>
#include <cstdio>

#include "common/code_tables.h"
#include "common/decimal.h"
#include "common/strings.h"
#include "common/time.h"

namespace shumao::clearance {
namespace {

using R = std::optional<intake::HookRefusal>;

constexpr char kSep = '|';
constexpr int kPage = 500;

std::string Join(std::string_view a, std::string_view b) {
  std::string k(a);
  k += kSep;
  k += b;
  return k;
}

// The end of the key range of every key that starts with `prefix|`.
std::string PrefixEnd(const std::string& prefix) { return prefix + static_cast<char>(kSep + 1); }

Decimal Dec(std::string_view text) {
  auto d = Decimal::Parse(text);
  return d.ok() ? *d : Decimal();
}

std::string Money(Decimal d) { return d.RoundTo(2).ToString(2); }

// The list channel of the B2B modes is for declarations of at most this much (goods +
// freight + insurance, CNY); above it, a customs declaration (policy-rules.md §4).
const Decimal& B2bListLimit() {
  static const Decimal limit = Decimal::FromInt(5000);
  return limit;
}

bool IsB2b(std::string_view trade_mode) { return trade_mode == "9710" || trade_mode == "9810"; }

// The orderType a list's tradeMode goes with (ceb-messages.md §3.1, §8.4).
std::string_view OrderTypeOf(std::string_view trade_mode) {
  if (trade_mode == "9710") return "B";
  if (trade_mode == "9810") return "W";
  return "E";  // 9610, and 1210 special-zone export
}

StatusOr<Facts> Load(store::WriteTxn& txn, const char* ns, const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<std::string> v, txn.GetState(ns, key));
  if (!v) return Facts();
  return DecodeFacts(*v);
}

StatusOr<Parcel> LoadParcel(store::WriteTxn& txn, const std::string& key) {
  ASSIGN_OR_RETURN(std::optional<std::string> v, txn.GetState("xparcel", key));
  if (!v) return Parcel();
  return DecodeParcel(*v);
}

Status SaveParcel(store::WriteTxn& txn, const std::string& key, const Parcel& p) {
  return txn.PutState("xparcel", key, EncodeParcel(p));
}

std::string WaybillKey(const Facts& list) {
  return Join(list.Get("logisticsCode"), list.Get("logisticsNo"));
}

// 4-digit customs code + 4-digit year + E + 9 digits of the list's document id: 18.
std::string ExportInvtNo(const Facts& l, Timestamp t) {
  char buf[40];
  std::string customs = l.Get("customsCode");
  customs.resize(4, '0');
  std::snprintf(buf, sizeof buf, "%s%04dE%09lld", customs.c_str(), ToBeijing(t).year,
                std::stoll(l.Get("id")) % 1000000000LL);
  return buf;
}

// The first difference between a list and its order and waybill, in the words of the
// customs system with the fields named in English.
std::optional<std::string> Mismatch(const Facts& l, const Facts& o, const Facts& w) {
  if (l.Get("ebpCode") != o.Get("ebpCode"))
    return "清单上的电商平台代码[" + l.Get("ebpCode") + "]与订单上的电商平台代码[" +
           o.Get("ebpCode") + "]不一致 (InventoryHead.ebpCode differs from OrderHead.ebpCode)";
  std::string_view want = OrderTypeOf(l.Get("tradeMode"));
  if (o.Get("orderType") != want)
    return "清单贸易方式[" + l.Get("tradeMode") + "]与订单类型[" + o.Get("orderType") +
           "]不符 (InventoryHead.tradeMode " + l.Get("tradeMode") +
           " requires OrderHead.orderType " + std::string(want) + ")";
  if (l.lines.size() != o.lines.size())
    return "清单商品项数[" + std::to_string(l.lines.size()) + "]与订单商品项数[" +
           std::to_string(o.lines.size()) +
           "]不一致 (InventoryList.gnum and OrderList.gnum must correspond one to one)";
  for (const Fields& ll : l.lines) {
    const std::string& gnum = ll.at("gnum");
    bool found = std::any_of(o.lines.begin(), o.lines.end(),
                             [&](const Fields& ol) { return ol.at("gnum") == gnum; });
    if (!found)
      return "清单商品序号[" + gnum + "]在订单中不存在 (InventoryList.gnum " + gnum +
             " has no OrderList.gnum)";
  }
  if (Dec(l.Get("grossWeight")) != Dec(w.Get("grossWeight")))
    return "清单上的毛重[" + l.Get("grossWeight") + "]与运单上的毛重[" + w.Get("grossWeight") +
           "]不一致 (InventoryHead.grossWeight differs from LogisticsHead.grossWeight)";
  return std::nullopt;
}

// How many digits of an HS code are significant: 10 for a code of the tariff; a heading
// (4) or subheading (6) padded with zeros to the schema's 10 characters ("6109000000"; the
// field rules accept any 10 digits of a known chapter), or given bare (4 or 6 characters:
// the field rules accept them, the XSD's length 10 does not).
int HsDigits(std::string_view gcode) {
  static const std::shared_ptr<const CodeTables> codes = [] {
    auto c = CodeTables::LoadEmbedded();
    return c.ok() ? *c : nullptr;
  }();
  if (gcode.size() != 10) return static_cast<int>(gcode.size());
  if (codes && codes->FindHs(gcode) != nullptr) return 10;  // a tariff line, listed exactly
  if (gcode.ends_with("000000")) return 4;
  if (gcode.ends_with("0000")) return 6;
  return 10;
}

}  // namespace

bool ExportClearance::Handles(std::string_view type) {
  return type == "CEB303" || type == "CEB403" || type == "CEB505" || type == "CEB507" ||
         type == "CEB509" || type == "CEB603" || type == "CEB605" || type == "CEB607";
}

// ------------------------------------------------------------------ hook

StatusOr<std::optional<intake::HookRefusal>> ExportClearance::Check(
    store::WriteTxn& txn, const intake::AppliedEntity& e) {
  if (std::string_view(e.spec->type) != "CEB605") return R();
  std::string invt_no(e.head->Get("invtNo"));
  ASSIGN_OR_RETURN(std::optional<std::string> pkey, txn.GetState("xinvt", invt_no));
  const char* state_code = e.spec->code_state;  // -606003
  if (!pkey) {
    return R(intake::HookRefusal{
        e.spec->code_not_found,
        "未找到清单编号[" + invt_no + "]对应的出口清单 (no export list with this invtNo)"});
  }
  ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, *pkey));
  const Facts& l = p.list;
  if (l.Get("k:invtNo") != invt_no) {
    return R(
        intake::HookRefusal{state_code, "清单[" + invt_no + "]已被订单的新清单[" + l.Get("copNo") +
                                            "]取代，不允许撤销 (the order is on a newer list)"});
  }
  if (l.Get("agentCode") != e.head->Get("agentCode")) {
    return R(intake::HookRefusal{
        state_code,
        "撤销申请的申报企业与原清单的申报企业不一致 (agentCode differs from the list's)"});
  }
  const std::string& state = l.Get("state");
  if (state != "concluded" && state != "released") {
    return R(intake::HookRefusal{
        state_code, "清单[" + invt_no + "]状态[" + l.Get("status") +
                        "]不允许撤销 (only a list concluded or released and not yet closed, "
                        "cancelled or refused can be cancelled)"});
  }
  return R();
}

Status ExportClearance::AfterApply(store::WriteTxn& txn, const intake::AppliedEntity& e) {
  std::string_view type = e.spec->type;
  if (type == "CEB303") return OnOrder(txn, e);
  if (type == "CEB403") return OnReceipts(txn, e);
  if (type == "CEB505") return OnWaybill(txn, e);
  if (type == "CEB603") return OnList(txn, e);
  // Arrivals, departures, links and cancels act once, when declared.
  if (e.app_type == "3" || e.row->status != "2") return Status::Ok();
  if (type == "CEB507") return OnArrival(txn, e);
  if (type == "CEB509") return OnDeparture(txn, e);
  if (type == "CEB607") return OnLink(txn, e);
  if (type == "CEB605") return OnCancel(txn, e);
  return Status::Ok();
}

// ------------------------------------------------------------------ documents

Status ExportClearance::OnOrder(store::WriteTxn& txn, const intake::AppliedEntity& e) {
  const ceb::Node& h = *e.head;
  std::string pkey = Join(h.Get("ebcCode"), h.Get("orderNo"));
  ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, pkey));
  if (e.app_type == "3") {
    p.order = Facts();
    return SaveParcel(txn, pkey, p);
  }
  if (e.row->status != "2") return Status::Ok();  // saved only: not declared yet
  Facts o = steps_->DocFacts(e);
  for (const char* f : {"orderType", "orderNo", "ebpCode", "ebcCode", "goodsValue", "freight"}) {
    o[f] = std::string(h.Get(f));
  }
  for (const ceb::Node* n : e.entity->All("OrderList")) {
    o.lines.push_back(Fields{{"gnum", std::string(n->Get("gnum"))}});
  }
  p.order = std::move(o);
  RETURN_IF_ERROR(SaveParcel(txn, pkey, p));
  return TryClear(txn, pkey, p, e.time);
}

Status ExportClearance::OnReceipts(store::WriteTxn& txn, const intake::AppliedEntity& e) {
  const ceb::Node& h = *e.head;
  std::string pkey = Join(h.Get("ebcCode"), h.Get("orderNo"));
  ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, pkey));
  if (e.app_type == "3") {
    p.payment = Facts();
    return SaveParcel(txn, pkey, p);
  }
  if (e.row->status != "2") return Status::Ok();
  p.payment = steps_->DocFacts(e);
  p.payment["charge"] = std::string(h.Get("charge"));
  // The receipts record never blocks the match; it follows a list already concluded.
  const std::string& state = p.list.Get("state");
  if (state == "concluded" || state == "released" || state == "closed") {
    RETURN_IF_ERROR(steps_->Move(
        txn, p.payment, e.time,
        {{"120", "收款单已与清单[" + p.list.Get("k:invtNo") + "]关联 (matched with the list)"}}));
  }
  return SaveParcel(txn, pkey, p);
}

Status ExportClearance::OnWaybill(store::WriteTxn& txn, const intake::AppliedEntity& e) {
  const ceb::Node& h = *e.head;
  std::string wkey = Join(h.Get("logisticsCode"), h.Get("logisticsNo"));
  if (e.app_type == "3") return txn.DeleteState("xwaybill", wkey);
  if (e.row->status != "2") return Status::Ok();
  Facts w = steps_->DocFacts(e);
  w["grossWeight"] = std::string(h.Get("grossWeight"));
  RETURN_IF_ERROR(txn.PutState("xwaybill", wkey, EncodeFacts(w)));
  ASSIGN_OR_RETURN(std::optional<std::string> pkey, txn.GetState("xwblink", wkey));
  if (!pkey) return Status::Ok();
  ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, *pkey));
  return TryClear(txn, *pkey, p, e.time);
}

Status ExportClearance::OnList(store::WriteTxn& txn, const intake::AppliedEntity& e) {
  const ceb::Node& h = *e.head;
  std::string pkey = Join(h.Get("ebcCode"), h.Get("orderNo"));
  ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, pkey));
  if (!p.list.empty() && p.list.Get("id") != std::to_string(e.row->id)) {
    // Another list holds the order; while it lives the order clears on it alone.
    if (e.app_type == "3" || e.row->status != "2") return Status::Ok();
    const std::string& state = p.list.Get("state");
    if (state != "refused" && state != "cancelled") {
      Facts dup = steps_->DocFacts(e);
      return steps_->Move(
          txn, dup, e.time,
          {{"100", "订单[" + std::string(h.Get("orderNo")) + "]已在清单[" + p.list.Get("copNo") +
                       "]中申报，不能重复申报 (the order is already on another list)"}});
    }
  }
  if (!p.list.empty() && p.list.Get("state") == "waiting") {
    RETURN_IF_ERROR(
        txn.DeleteState("xwait", TimeKey(std::stoll(p.list.Get("since"))) + kSep + pkey));
  }
  if (e.app_type == "3") {
    p.list = Facts();
    return SaveParcel(txn, pkey, p);
  }
  if (e.row->status != "2") return Status::Ok();
  Facts l = steps_->DocFacts(e);
  for (const char* f : {"ebpCode", "ebcCode", "orderNo", "logisticsCode", "logisticsNo", "copNo",
                        "agentCode", "customsCode", "tradeMode", "statisticsFlag", "grossWeight"}) {
    l[f] = std::string(h.Get(f));
  }
  for (const ceb::Node* n : e.entity->All("InventoryList")) {
    l.lines.push_back(Fields{{"gnum", std::string(n->Get("gnum"))}});
  }
  ASSIGN_OR_RETURN(std::optional<std::string> refusal, ModeRefusal(txn, e));
  if (refusal) {
    l["state"] = "refused";
    p.list = std::move(l);
    RETURN_IF_ERROR(steps_->Move(txn, p.list, e.time, {{"100", *refusal}}));
    return SaveParcel(txn, pkey, p);
  }
  l["state"] = "waiting";
  RETURN_IF_ERROR(txn.PutState("xwblink", WaybillKey(l), pkey));
  RETURN_IF_ERROR(txn.PutState("xwait", TimeKey(e.time.millis) + kSep + pkey, ""));
  p.list = std::move(l);
  RETURN_IF_ERROR(SaveParcel(txn, pkey, p));
  return TryClear(txn, pkey, p, e.time);
}

// The channel rules of the list alone (policy-rules.md §3–4):
//  * 9710/9810 over 5,000.00 CNY (goods + freight + insurance, strictly more than), or
//    with a licence (licenseNo, the only licence/inspection/tax field CEB603 has), belong
//    on a customs declaration (报关单, H2018);
//  * 9810 needs the enterprise's overseas warehouse registered (出口海外仓业务模式备案);
//  * simplified HS codes: a 4-digit heading on 9610 lists of statisticsFlag A, 6 digits on
//    9710/9810 lists (and 9610 A); every other list the full 10 digits.
StatusOr<std::optional<std::string>> ExportClearance::ModeRefusal(store::WriteTxn& txn,
                                                                  const intake::AppliedEntity& e) {
  const ceb::Node& h = *e.head;
  std::string mode(h.Get("tradeMode"));
  bool b2b = IsB2b(mode);
  bool simplified_a = mode == "9610" && h.Get("statisticsFlag") == "A";
  if (b2b) {
    Decimal goods;
    for (const ceb::Node* n : e.entity->All("InventoryList")) goods += Dec(n->Get("totalPrice"));
    Decimal value = goods + Dec(h.Get("freight")) + Dec(h.Get("insuredFee"));
    if (value > B2bListLimit()) {
      return std::optional<std::string>(
          "跨境电商B2B出口(" + mode + ")清单货值[" + Money(value) + "](商品总价+运费+保费)超过" +
          Money(B2bListLimit()) +
          "元，不能以申报清单申报，请通过H2018通关管理系统以报关单申报 (goods + freight + "
          "insurance over 5,000.00 CNY: file a customs declaration (报关单) in H2018 instead)");
    }
    if (!h.Get("licenseNo").empty()) {
      return std::optional<std::string>(
          "清单涉及许可证件[" + std::string(h.Get("licenseNo")) +
          "]，涉证、涉检、涉税的跨境电商B2B出口货物须通过H2018通关管理系统以报关单申报 (a "
          "licence is involved: file a customs declaration (报关单) in H2018 instead)");
    }
  }
  if (mode == "9810") {
    std::string ebc(h.Get("ebcCode"));
    ASSIGN_OR_RETURN(auto rows, txn.ScanState("overseas", ebc + kSep, PrefixEnd(ebc), 1));
    if (rows.empty()) {
      return std::optional<std::string>(
          "电商企业[" + ebc +
          "]未办理出口海外仓业务模式备案(未登记海外仓)，不能申报9810出口海外仓清单 (no overseas "
          "warehouse is registered for this e-commerce enterprise: register it first)");
    }
  }
  for (const ceb::Node* n : e.entity->All("InventoryList")) {
    std::string_view gcode = n->Get("gcode");
    int digits = HsDigits(gcode);
    bool ok =
        digits == 10 || (digits == 4 && simplified_a) || (digits == 6 && (b2b || simplified_a));
    if (!ok) {
      return std::optional<std::string>(
          "清单第" + std::string(n->Get("gnum")) + "项商品编码[" + std::string(gcode) +
          "]不是10位编码：4位简化编码仅限申报业务类型A的9610清单，6位仅限9710/9810清单 (a "
          "4-digit heading is allowed only on 9610 lists with statisticsFlag A, 6 digits on "
          "9710/9810 lists; otherwise the full 10-digit code)");
    }
  }
  return std::optional<std::string>();
}

// ------------------------------------------------------------------ match and steps

Status ExportClearance::TryClear(store::WriteTxn& txn, const std::string& pkey, Parcel& p,
                                 Timestamp t) {
  Facts& l = p.list;
  if (l.empty() || l.Get("state") != "waiting" || p.order.empty()) return Status::Ok();
  std::string wkey = WaybillKey(l);
  ASSIGN_OR_RETURN(Facts w, Load(txn, "xwaybill", wkey));
  if (w.empty()) return Status::Ok();
  RETURN_IF_ERROR(txn.DeleteState("xwait", TimeKey(std::stoll(l.Get("since"))) + kSep + pkey));
  if (auto m = Mismatch(l, p.order, w)) {
    l["state"] = "refused";
    RETURN_IF_ERROR(steps_->Move(txn, l, t, {{"100", "三单对碰失败：" + *m}}));
    return SaveParcel(txn, pkey, p);
  }
  std::string invt_no = ExportInvtNo(l, t);
  l["k:invtNo"] = invt_no;
  l["state"] = "concluded";
  RETURN_IF_ERROR(txn.PutState("xinvt", invt_no, pkey));
  std::string concluded = "海关审结[" + invt_no + "]";
  RETURN_IF_ERROR(steps_->Move(
      txn, l, t, {{"120", "逻辑校验通过，清单编号[" + invt_no + "]"}, {"399", concluded}}));
  for (Facts* d : {&p.order, &w}) {
    RETURN_IF_ERROR(
        steps_->Move(txn, *d, t, {{"120", "逻辑校验通过[" + invt_no + "]"}, {"399", concluded}}));
  }
  RETURN_IF_ERROR(txn.PutState("xwaybill", wkey, EncodeFacts(w)));
  if (!p.payment.empty() && p.payment.Get("status") == "2") {
    RETURN_IF_ERROR(
        steps_->Move(txn, p.payment, t,
                     {{"120", "收款单已与清单[" + invt_no + "]关联 (matched with the list)"}}));
  }
  RETURN_IF_ERROR(Advance(txn, p, t));
  return SaveParcel(txn, pkey, p);
}

Status ExportClearance::Advance(store::WriteTxn& txn, Parcel& p, Timestamp t) {
  Facts& l = p.list;
  ASSIGN_OR_RETURN(Facts site, Load(txn, "xsite", WaybillKey(l)));
  const std::string& invt_no = l.Get("k:invtNo");
  if (l.Get("state") == "concluded" && !site.Get("arrival").empty()) {
    l["state"] = "released";
    RETURN_IF_ERROR(steps_->Move(
        txn, l, t,
        {{"800", "已运抵监管场所(运抵单" + site.Get("arrival") + ")，放行[" + invt_no + "]"}}));
  }
  if (l.Get("state") == "released" && !site.Get("departure").empty()) {
    l["state"] = "closed";
    RETURN_IF_ERROR(steps_->Move(
        txn, l, t,
        {{"899", "已离境(离境单" + site.Get("departure") + ")，结关[" + invt_no + "]"}}));
  }
  return Status::Ok();
}

// ------------------------------------------------------------------ arrival and departure

Status ExportClearance::OnArrival(store::WriteTxn& txn, const intake::AppliedEntity& e) {
  const ceb::Node& h = *e.head;
  std::string code(h.Get("logisticsCode"));
  std::string cop(h.Get("copNo"));
  int waybills = 0, released = 0, waiting = 0;
  for (const ceb::Node* n : e.entity->All("ArrivalList")) {
    ++waybills;
    std::string wkey = Join(code, n->Get("logisticsNo"));
    ASSIGN_OR_RETURN(Facts site, Load(txn, "xsite", wkey));
    site["arrival"] = cop;
    site["arrivalMs"] = std::to_string(e.time.millis);
    RETURN_IF_ERROR(txn.PutState("xsite", wkey, EncodeFacts(site)));
    ASSIGN_OR_RETURN(std::optional<std::string> pkey, txn.GetState("xwblink", wkey));
    if (!pkey) continue;
    ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, *pkey));
    if (p.list.empty()) continue;
    const std::string state = p.list.Get("state");
    if (state == "concluded") {
      RETURN_IF_ERROR(Advance(txn, p, e.time));
      RETURN_IF_ERROR(SaveParcel(txn, *pkey, p));
      ++released;
    } else if (state == "waiting") {
      RETURN_IF_ERROR(steps_->Note(txn, p.list, e.time,
                                   "已运抵监管场所(运抵单" + cop +
                                       ")，待清单审结后放行 (arrived; released once concluded)"));
      ++waiting;
    }
  }
  Facts a = steps_->DocFacts(e);
  return steps_->Move(txn, a, e.time,
                      {{"120", "运抵单已入库：运单" + std::to_string(waybills) + "个，放行清单" +
                                   std::to_string(released) + "个，待审结" +
                                   std::to_string(waiting) + "个 (arrival recorded)"}});
}

Status ExportClearance::OnDeparture(store::WriteTxn& txn, const intake::AppliedEntity& e) {
  const ceb::Node& h = *e.head;
  std::string code(h.Get("logisticsCode"));
  std::string cop(h.Get("copNo"));
  int waybills = 0, closed = 0, early = 0;
  for (const ceb::Node* n : e.entity->All("DepartureList")) {
    ++waybills;
    std::string wkey = Join(code, n->Get("logisticsNo"));
    ASSIGN_OR_RETURN(Facts site, Load(txn, "xsite", wkey));
    site["departure"] = cop;
    site["departureMs"] = std::to_string(e.time.millis);
    RETURN_IF_ERROR(txn.PutState("xsite", wkey, EncodeFacts(site)));
    ASSIGN_OR_RETURN(std::optional<std::string> pkey, txn.GetState("xwblink", wkey));
    if (!pkey) continue;
    ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, *pkey));
    if (p.list.empty()) continue;
    const std::string state = p.list.Get("state");
    if (state == "released") {
      RETURN_IF_ERROR(Advance(txn, p, e.time));
      RETURN_IF_ERROR(SaveParcel(txn, *pkey, p));
      ++closed;
    } else if (state == "waiting" || state == "concluded") {
      // A list closes only after release: the departure is applied when it arrives.
      RETURN_IF_ERROR(steps_->Note(txn, p.list, e.time,
                                   "离境单" + cop +
                                       "已申报离境，清单未放行，待运抵放行后结关 (departure before "
                                       "release: applied when the parcel arrives)"));
      ++early;
    }
  }
  Facts d = steps_->DocFacts(e);
  return steps_->Move(txn, d, e.time,
                      {{"120", "离境单已入库：运单" + std::to_string(waybills) + "个，结关清单" +
                                   std::to_string(closed) + "个，待放行" + std::to_string(early) +
                                   "个 (departure recorded)"}});
}

Status ExportClearance::OnLink(store::WriteTxn& txn, const intake::AppliedEntity& e) {
  const ceb::Node& h = *e.head;
  std::string code(h.Get("logisticsCode"));
  std::string info = "总分单关联(清单总分单" + std::string(h.Get("copNo")) + ")：提运单号[" +
                     std::string(h.Get("billNo")) + "]，运输工具[" +
                     std::string(h.Get("trafName")) + "]，航班航次[" +
                     std::string(h.Get("voyageNo")) + "] (master/house bill link, CEB607)";
  int linked = 0;
  std::string unknown;
  for (const ceb::Node* n : e.entity->All("WayBillList")) {
    std::optional<std::string> pkey;
    std::string invt_no(n->Get("invtNo"));
    if (!invt_no.empty()) {
      ASSIGN_OR_RETURN(pkey, txn.GetState("xinvt", invt_no));
    } else {
      ASSIGN_OR_RETURN(pkey, txn.GetState("xwblink", Join(code, n->Get("logisticsNo"))));
    }
    Parcel p;
    if (pkey) {
      ASSIGN_OR_RETURN(p, LoadParcel(txn, *pkey));
    }
    if (p.list.empty()) {
      unknown += (unknown.empty() ? "" : ",") + std::string(n->Get("logisticsNo"));
      continue;
    }
    RETURN_IF_ERROR(steps_->Note(txn, p.list, e.time, info));
    ++linked;
  }
  Facts doc = steps_->DocFacts(e);
  if (!unknown.empty()) {
    return steps_->Move(
        txn, doc, e.time,
        {{"100", "清单总分单中的运单[" + unknown + "]未找到对应的出口清单，已关联清单" +
                     std::to_string(linked) + "个 (no export list for these waybills)"}});
  }
  return steps_->Move(txn, doc, e.time,
                      {{"120", "清单总分单已入库，关联清单" + std::to_string(linked) +
                                   "个 (link recorded in the lists' history)"}});
}

// ------------------------------------------------------------------ cancels

Status ExportClearance::OnCancel(store::WriteTxn& txn, const intake::AppliedEntity& e) {
  // Check ran before the cancel was stored; an earlier cancel in the same message may have
  // changed the list since, so it is run again and a refusal now refuses the stored cancel.
  ASSIGN_OR_RETURN(std::optional<intake::HookRefusal> refusal, Check(txn, e));
  Facts c = steps_->DocFacts(e);
  if (refusal) {
    return steps_->Move(txn, c, e.time, {{refusal->return_status, refusal->return_info}});
  }
  std::string invt_no(e.head->Get("invtNo"));
  ASSIGN_OR_RETURN(std::optional<std::string> pkey, txn.GetState("xinvt", invt_no));
  if (!pkey) return Status::Ok();
  ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, *pkey));
  p.list["state"] = "cancelled";
  RETURN_IF_ERROR(steps_->Move(txn, p.list, e.time,
                               {{"100", "清单已撤销[" + e.row->key + "]：" +
                                            std::string(e.head->Get("reason")) + " (cancelled)"}}));
  RETURN_IF_ERROR(steps_->Move(txn, c, e.time, {{"399", "撤销申请审核通过[" + invt_no + "]"}}));
  return SaveParcel(txn, *pkey, p);
}

// ------------------------------------------------------------------ tick

Status ExportClearance::Tick(store::WriteTxn& txn, Timestamp now, TickSummary& sum) {
  std::string to = TimeKey(now.millis - opt_->match_timeout_ms);
  for (;;) {
    ASSIGN_OR_RETURN(auto rows, txn.ScanState("xwait", "", to, kPage));
    for (auto& [k, v] : rows) {
      RETURN_IF_ERROR(txn.DeleteState("xwait", k));
      std::string pkey = k.substr(k.find(kSep) + 1);
      ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, pkey));
      if (p.list.empty() || p.list.Get("state") != "waiting") continue;
      std::string missing;
      if (p.order.empty()) missing = "订单(CEB303 order)";
      ASSIGN_OR_RETURN(std::optional<std::string> w, txn.GetState("xwaybill", WaybillKey(p.list)));
      if (!w) missing += (missing.empty() ? "" : "、") + std::string("运单(CEB505 waybill)");
      int64_t hours = opt_->match_timeout_ms / 3600000;
      p.list["state"] = "refused";
      RETURN_IF_ERROR(steps_->Move(
          txn, p.list, now,
          {{"100", "三单对碰超时：清单申报后" + std::to_string(hours) + "小时内未收到" + missing +
                       " (missing after the match timeout)"}}));
      RETURN_IF_ERROR(SaveParcel(txn, pkey, p));
      ++sum.timed_out;
    }
    if (rows.size() < static_cast<size_t>(kPage)) break;
  }
  return Status::Ok();
}

// ------------------------------------------------------------------ overseas warehouses

Status ExportClearance::AddOverseasWarehouse(const OverseasWarehouse& w) {
  auto plain = [](const std::string& v) { return v.find(kSep) == std::string::npos; };
  if (w.ebc_code.empty() || !plain(w.ebc_code))
    return InvalidArgument("the e-commerce enterprise's code is required (no '|')", "ebc");
  if (w.code.empty() || !plain(w.code))
    return InvalidArgument("the warehouse code is required (no '|')", "code");
  if (w.name.empty()) return InvalidArgument("the warehouse's name is required", "name");
  if (w.country.size() != 3 ||
      !std::all_of(w.country.begin(), w.country.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return InvalidArgument("country must be a 3-digit customs country code", "country");
  if (w.address.empty()) return InvalidArgument("the address is required", "address");
  if (w.area_m2.IsNegative() || w.area_m2.IsZero())
    return InvalidArgument("the area must be above 0 m²", "area");
  Facts f;
  f["name"] = w.name;
  f["operator"] = w.operator_name.empty() ? w.name : w.operator_name;
  f["country"] = w.country;
  f["address"] = w.address;
  f["area"] = w.area_m2.ToShortString();
  for (const std::string& s : w.services) {
    if (!s.empty()) f.lines.push_back(Fields{{"service", s}});
  }
  ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, store_->BeginWrite());
  RETURN_IF_ERROR(txn->PutState("overseas", Join(w.ebc_code, w.code), EncodeFacts(f)));
  return txn->Commit();
}

StatusOr<std::vector<OverseasWarehouse>> ExportClearance::ListOverseasWarehouses(
    const std::string& ebc_code) {
  std::string from = ebc_code.empty() ? "" : ebc_code + kSep;
  std::string to = ebc_code.empty() ? "" : PrefixEnd(ebc_code);
  std::vector<OverseasWarehouse> out;
  for (;;) {
    ASSIGN_OR_RETURN(auto rows, store_->ReadStateRange("overseas", from, to, kPage));
    for (auto& [k, v] : rows) {
      ASSIGN_OR_RETURN(Facts f, DecodeFacts(v));
      OverseasWarehouse w;
      size_t bar = k.find(kSep);
      w.ebc_code = k.substr(0, bar);
      w.code = bar == std::string::npos ? "" : k.substr(bar + 1);
      w.name = f.Get("name");
      w.operator_name = f.Get("operator");
      w.country = f.Get("country");
      w.address = f.Get("address");
      w.area_m2 = Dec(f.Get("area"));
      for (const Fields& s : f.lines) w.services.push_back(s.at("service"));
      out.push_back(std::move(w));
    }
    if (rows.size() < static_cast<size_t>(kPage)) break;
    from = rows.back().first + '\0';
  }
  return out;
}

}  // namespace shumao::clearance

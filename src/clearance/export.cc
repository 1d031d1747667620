// Export clearance: see export.h for the flow and the records.
#include "clearance/export.h"

#include <algorithm>
#include <cstdio>
#include <map>

#include "common/code_tables.h"
#include "common/decimal.h"
#include "common/strings.h"
#include "common/time.h"

namespace shumao::clearance {
namespace {

using R = std::optional<intake::HookRefusal>;

constexpr char kSep = '|';
constexpr int kPage = 500;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;

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

std::string Plain(Decimal d) { return d.ToShortString(); }

const std::string& FieldOf(const Fields& f, const std::string& name) {
  static const std::string kEmpty;
  auto it = f.find(name);
  return it == f.end() ? kEmpty : it->second;
}

Fields* FindLine(Facts& l, const std::string& gnum) {
  auto it = std::find_if(l.lines.begin(), l.lines.end(),
                         [&](const Fields& f) { return FieldOf(f, "gnum") == gnum; });
  return it == l.lines.end() ? nullptr : &*it;
}

// Whether any quantity of the list is returned or waiting for a return's tally.
bool HasReturns(const Facts& l) {
  return std::any_of(l.lines.begin(), l.lines.end(), [](const Fields& f) {
    return !Dec(FieldOf(f, "pendingQty")).IsZero() || !Dec(FieldOf(f, "returnedQty")).IsZero();
  });
}

// A Beijing day as "YYYYMMDD" (sep empty) or "YYYY-MM-DD".
std::string DayText(int y, int m, int d, const char* sep) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%04d%s%02d%s%02d", y, sep, m, sep, d);
  return buf;
}
std::string DayText(Timestamp t, const char* sep) {
  CivilTime c = ToBeijing(t);
  return DayText(c.year, c.month, c.day, sep);
}

// The Beijing day `months` calendar months after the day of `t`, the day of the month
// clamped to the month's end (2026-08-31 + 6 months = 2027-02-28).
std::string DayPlusMonths(Timestamp t, int months, const char* sep) {
  CivilTime c = ToBeijing(t);
  int m0 = c.month - 1 + months;
  int y = c.year + m0 / 12;
  int m = m0 % 12 + 1;
  int64_t days_in_month =
      DaysFromCivil(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - DaysFromCivil(y, m, 1);
  return DayText(y, m, std::min<int>(c.day, static_cast<int>(days_in_month)), sep);
}

// Food, for the returned-exports tax policy: HS chapters 01–24 (our reading of "食品";
// docs/clearance.md).
bool IsFood(std::string_view gcode) {
  if (gcode.size() < 2 || gcode[0] < '0' || gcode[0] > '9' || gcode[1] < '0' || gcode[1] > '9')
    return false;
  int chapter = (gcode[0] - '0') * 10 + (gcode[1] - '0');
  return chapter >= 1 && chapter <= 24;
}

void JsonString(std::string& out, const std::string& key, const std::string& value) {
  out += "\"" + key + "\":\"";
  AppendJsonEscaped(out, value);
  out += "\"";
}

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
         type == "CEB509" || type == "CEB603" || type == "CEB605" || type == "CEB607" ||
         type == "CEB213" || type == "CEB215";
}

const ExportReturnPeriods& ExportClearance::Periods() const {
  return opt_->export_return_periods != nullptr ? *opt_->export_return_periods
                                                : ExportReturnPeriods::BuiltIn();
}

// ------------------------------------------------------------------ hook

StatusOr<std::optional<intake::HookRefusal>> ExportClearance::Check(
    store::WriteTxn& txn, const intake::AppliedEntity& e) {
  std::string_view type = e.spec->type;
  if (type == "CEB213") return CheckReturn(txn, e);
  if (type == "CEB215") return CheckTally(txn, e);
  if (type != "CEB605") return R();
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
  if (HasReturns(l)) {
    return R(intake::HookRefusal{
        state_code, "清单[" + invt_no + "]已申请出口退货，不允许撤销 (an export return exists)"});
  }
  return R();
}

Status ExportClearance::AfterApply(store::WriteTxn& txn, const intake::AppliedEntity& e) {
  std::string_view type = e.spec->type;
  if (type == "CEB303") return OnOrder(txn, e);
  if (type == "CEB403") return OnReceipts(txn, e);
  if (type == "CEB505") return OnWaybill(txn, e);
  if (type == "CEB603") return OnList(txn, e);
  if (type == "CEB213") return OnReturn(txn, e);
  // Arrivals, departures, links and cancels act once, when declared.
  if (e.app_type == "3" || e.row->status != "2") return Status::Ok();
  if (type == "CEB507") return OnArrival(txn, e);
  if (type == "CEB509") return OnDeparture(txn, e);
  if (type == "CEB607") return OnLink(txn, e);
  if (type == "CEB605") return OnCancel(txn, e);
  if (type == "CEB215") return OnTally(txn, e);
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
  for (const char* f :
       {"ebpCode", "ebcCode", "orderNo", "logisticsCode", "logisticsNo", "copNo", "agentCode",
        "customsCode", "tradeMode", "statisticsFlag", "grossWeight", "country", "packNo"}) {
    l[f] = std::string(h.Get(f));
  }
  for (const ceb::Node* n : e.entity->All("InventoryList")) {
    l.lines.push_back(Fields{{"gnum", std::string(n->Get("gnum"))},
                             {"gcode", std::string(n->Get("gcode"))},
                             {"gname", std::string(n->Get("gname"))},
                             {"itemNo", std::string(n->Get("itemNo"))},
                             {"price", std::string(n->Get("price"))},
                             {"qty", std::string(n->Get("qty"))},
                             {"totalPrice", std::string(n->Get("totalPrice"))},
                             {"currency", std::string(n->Get("currency"))},
                             {"country", std::string(n->Get("country"))}});
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
  if (opt_->risk != nullptr) {
    ASSIGN_OR_RETURN(std::vector<std::string> hits,
                     opt_->risk->ScreenExport(txn, ScreenFactsOfList(l)));
    if (!hits.empty() && opt_->stats != nullptr) {
      RETURN_IF_ERROR(opt_->stats->RiskHits(txn, StatListOf(l), hits, t));
    }
  }
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
    l["releaseMs"] = std::to_string(t.millis);
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

// Records an arrival or departure (`event`) of a waybill at the supervised site, so that a
// list matched later still sees it, and returns the parcel the waybill belongs to, if any.
StatusOr<std::optional<std::string>> ExportClearance::RecordSiteEvent(store::WriteTxn& txn,
                                                                      const std::string& wkey,
                                                                      const std::string& event,
                                                                      const std::string& cop,
                                                                      Timestamp t) {
  ASSIGN_OR_RETURN(Facts site, Load(txn, "xsite", wkey));
  site[event] = cop;
  site[event + "Ms"] = std::to_string(t.millis);
  RETURN_IF_ERROR(txn.PutState("xsite", wkey, EncodeFacts(site)));
  return txn.GetState("xwblink", wkey);
}

Status ExportClearance::OnArrival(store::WriteTxn& txn, const intake::AppliedEntity& e) {
  const ceb::Node& h = *e.head;
  std::string code(h.Get("logisticsCode"));
  std::string cop(h.Get("copNo"));
  int waybills = 0, released = 0, waiting = 0;
  for (const ceb::Node* n : e.entity->All("ArrivalList")) {
    ++waybills;
    ASSIGN_OR_RETURN(
        std::optional<std::string> pkey,
        RecordSiteEvent(txn, Join(code, n->Get("logisticsNo")), "arrival", cop, e.time));
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
    ASSIGN_OR_RETURN(
        std::optional<std::string> pkey,
        RecordSiteEvent(txn, Join(code, n->Get("logisticsNo")), "departure", cop, e.time));
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

// ------------------------------------------------------------------ export returns

StatusOr<std::optional<intake::HookRefusal>> ExportClearance::CheckReturn(
    store::WriteTxn& txn, const intake::AppliedEntity& e) {
  const ceb::Node& h = *e.head;
  const char* state_code = e.spec->code_state;  // -214003
  std::string invt_no(h.Get("invtNo"));
  ASSIGN_OR_RETURN(std::optional<std::string> pkey, txn.GetState("xinvt", invt_no));
  if (!pkey) {
    return R(intake::HookRefusal{
        e.spec->code_not_found,
        "未找到清单编号[" + invt_no + "]对应的出口清单 (no export list with this invtNo)"});
  }
  ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, *pkey));
  const Facts& l = p.list;
  auto refuse = [&](const std::string& info) { return R(intake::HookRefusal{state_code, info}); };
  if (l.Get("k:invtNo") != invt_no) {
    return refuse("清单[" + invt_no + "]已被订单的新清单[" + l.Get("copNo") +
                  "]取代，不允许退货 (the order is on a newer list)");
  }
  std::string co_el_no(h.Get("coElNo"));
  std::string rkey = Join(co_el_no, h.Get("agentCode"));
  ASSIGN_OR_RETURN(Facts old, Load(txn, "xret", rkey));
  if (!old.empty() && old.Get("state") != "waiting") {
    return refuse("出口退货申请[" + co_el_no + "]已办结(" + old.Get("status") +
                  ")，不能再次申报 (this return is already " + old.Get("state") + ")");
  }
  if (l.Get("ebcCode") != h.Get("ebcCode")) {
    return refuse("退货申请的电商企业[" + std::string(h.Get("ebcCode")) + "]与原清单的电商企业[" +
                  l.Get("ebcCode") + "]不一致 (ebcCode differs from the list's)");
  }
  const std::string& state = l.Get("state");
  if ((state != "released" && state != "closed") || l.Get("releaseMs").empty()) {
    return refuse("清单[" + invt_no + "]状态[" + l.Get("status") +
                  "]不允许出口退货 (only a released (800) or closed (899) list can be returned)");
  }
  int64_t released = std::stoll(l.Get("releaseMs"));
  int days = opt_->export_return_days;
  if (e.time.millis - released > days * kDayMs) {
    return refuse("出口退货申请时间超过清单放行之日起" + std::to_string(days) +
                  "天(海关总署公告2020年第44号) (applied " +
                  std::to_string((e.time.millis - released) / kDayMs) + " days after release on " +
                  FormatC8(Timestamp{released}) + "; export returns must be applied within " +
                  std::to_string(days) + " days of release)");
  }
  std::string wkey = Join(h.Get("logisticsCode"), h.Get("logisticsNo"));
  ASSIGN_OR_RETURN(std::optional<std::string> other, txn.GetState("xretwb", wkey));
  if (other && *other != rkey) {
    return refuse("运单[" + std::string(h.Get("logisticsNo")) + "]已有待理货的出口退货申请[" +
                  other->substr(0, other->find(kSep)) +
                  "] (a return on this waybill is already waiting for its tally)");
  }
  // Requested quantities per gnum; a line may appear more than once.
  std::map<std::string, Decimal> want;
  for (const ceb::Node* n : e.entity->All("InvtRefundList")) {
    std::string gnum(n->Get("gnum"));
    auto it = std::find_if(l.lines.begin(), l.lines.end(),
                           [&](const Fields& f) { return FieldOf(f, "gnum") == gnum; });
    if (it == l.lines.end() || FieldOf(*it, "gcode") != n->Get("gcode")) {
      return refuse("退货商品序号[" + gnum + "]商品编码[" + std::string(n->Get("gcode")) +
                    "]在原清单中不存在 (line not on the list: gnum and gcode must match)");
    }
    Decimal q = Dec(n->Get("qty"));
    if (q.IsZero() || q.IsNegative()) {
      return refuse("退货商品序号[" + gnum + "]数量[" + std::string(n->Get("qty")) +
                    "]必须大于0 (the quantity must be above 0)");
    }
    want[gnum] += q;
  }
  for (const auto& [gnum, q] : want) {
    const Fields& ln = *std::find_if(l.lines.begin(), l.lines.end(),
                                     [&](const Fields& f) { return FieldOf(f, "gnum") == gnum; });
    Decimal remaining =
        Dec(FieldOf(ln, "qty")) - Dec(FieldOf(ln, "returnedQty")) - Dec(FieldOf(ln, "pendingQty"));
    if (old.Get("state") == "waiting") {  // a modification: its own reservation is free
      for (const Fields& ol : old.lines) {
        if (FieldOf(ol, "gnum") == gnum) remaining += Dec(FieldOf(ol, "qty"));
      }
    }
    if (q > remaining) {
      return refuse("退货商品序号[" + gnum + "]数量[" + Plain(q) + "]超过清单可退数量[" +
                    Plain(remaining) + "] (more than remains on the list: declared " +
                    FieldOf(ln, "qty") + ", returned or being returned " +
                    Plain(Dec(FieldOf(ln, "qty")) - remaining) + ")");
    }
  }
  return R();
}

Status ExportClearance::DropWaiting(store::WriteTxn& txn, const std::string& rkey, const Facts& r) {
  ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, r.Get("pkey")));
  if (p.list.Get("k:invtNo") == r.Get("invtNo")) {
    for (const Fields& rl : r.lines) {
      if (Fields* ln = FindLine(p.list, FieldOf(rl, "gnum"))) {
        (*ln)["pendingQty"] = Plain(Dec(FieldOf(*ln, "pendingQty")) - Dec(FieldOf(rl, "qty")));
      }
    }
    RETURN_IF_ERROR(SaveParcel(txn, r.Get("pkey"), p));
  }
  ASSIGN_OR_RETURN(std::optional<std::string> wb, txn.GetState("xretwb", r.Get("wkey")));
  if (wb && *wb == rkey) RETURN_IF_ERROR(txn.DeleteState("xretwb", r.Get("wkey")));
  return txn.DeleteState("xretwait", TimeKey(std::stoll(r.Get("deadlineMs"))) + kSep + rkey);
}

Status ExportClearance::OnReturn(store::WriteTxn& txn, const intake::AppliedEntity& e) {
  const ceb::Node& h = *e.head;
  std::string co_el_no(h.Get("coElNo"));
  std::string rkey = Join(co_el_no, h.Get("agentCode"));
  if (e.app_type == "3") {  // a return withdrawn before its tally frees its quantities
    ASSIGN_OR_RETURN(Facts old, Load(txn, "xret", rkey));
    if (old.Get("state") != "waiting") return Status::Ok();
    RETURN_IF_ERROR(DropWaiting(txn, rkey, old));
    return txn.DeleteState("xret", rkey);
  }
  if (e.row->status != "2") return Status::Ok();  // saved (暂存), not declared
  // Check ran before the return was stored; an earlier return in the same message may have
  // taken the quantities since, so it runs again and a refusal now refuses the stored one.
  ASSIGN_OR_RETURN(std::optional<intake::HookRefusal> refusal, CheckReturn(txn, e));
  Facts r = steps_->DocFacts(e);
  if (refusal) {
    return steps_->Move(txn, r, e.time, {{refusal->return_status, refusal->return_info}});
  }
  ASSIGN_OR_RETURN(Facts old, Load(txn, "xret", rkey));
  if (old.Get("state") == "waiting") RETURN_IF_ERROR(DropWaiting(txn, rkey, old));
  std::string invt_no(h.Get("invtNo"));
  ASSIGN_OR_RETURN(std::optional<std::string> pkey, txn.GetState("xinvt", invt_no));
  if (!pkey) return Status::Ok();
  ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, *pkey));
  Facts& l = p.list;
  int64_t release = std::stoll(l.Get("releaseMs"));
  int64_t deadline = release + opt_->export_return_days * kDayMs;
  r["invtNo"] = invt_no;
  r["pkey"] = *pkey;
  r["ebcCode"] = std::string(h.Get("ebcCode"));
  r["logisticsCode"] = std::string(h.Get("logisticsCode"));
  r["logisticsNo"] = std::string(h.Get("logisticsNo"));
  r["wkey"] = Join(h.Get("logisticsCode"), h.Get("logisticsNo"));
  r["releaseMs"] = l.Get("releaseMs");
  r["appliedMs"] = std::to_string(e.time.millis);
  r["deadlineMs"] = std::to_string(deadline);
  r["state"] = "waiting";
  std::string what;
  for (const ceb::Node* n : e.entity->All("InvtRefundList")) {
    std::string gnum(n->Get("gnum"));
    r.lines.push_back(Fields{{"gnum", gnum},
                             {"gcode", std::string(n->Get("gcode"))},
                             {"gname", std::string(n->Get("gname"))},
                             {"qty", std::string(n->Get("qty"))}});
    Fields* ln = FindLine(l, gnum);
    (*ln)["pendingQty"] = Plain(Dec(FieldOf(*ln, "pendingQty")) + Dec(n->Get("qty")));
    what += (what.empty() ? "第" : "、第") + gnum + "项×" + Plain(Dec(n->Get("qty")));
  }
  r["info"] = "出口退货申请已受理，待退货商品运抵监管场所理货(CEB215)，须在" +
              FormatC8(Timestamp{deadline}) + "前(清单放行之日起" +
              std::to_string(opt_->export_return_days) +
              "天内)完成 (accepted; waiting for the tally of the returned goods)";
  RETURN_IF_ERROR(steps_->Move(txn, r, e.time, {{"120", r.Get("info")}}));
  RETURN_IF_ERROR(txn.PutState("xret", rkey, EncodeFacts(r)));
  RETURN_IF_ERROR(txn.PutState("xretwb", r.Get("wkey"), rkey));
  RETURN_IF_ERROR(txn.PutState("xretwait", TimeKey(deadline) + kSep + rkey, ""));
  RETURN_IF_ERROR(steps_->Note(txn, l, e.time,
                               "出口退货申请[" + co_el_no + "]已受理：" + what +
                                   " (export return applied, waiting for the tally)"));
  return SaveParcel(txn, *pkey, p);
}

StatusOr<std::optional<intake::HookRefusal>> ExportClearance::CheckTally(
    store::WriteTxn& txn, const intake::AppliedEntity& e) {
  const ceb::Node& h = *e.head;
  std::string logistics_no(h.Get("logisticsNo"));
  ASSIGN_OR_RETURN(std::optional<std::string> rkey,
                   txn.GetState("xretwb", Join(h.Get("logisticsCode"), logistics_no)));
  Facts r;
  if (rkey) {
    ASSIGN_OR_RETURN(r, Load(txn, "xret", *rkey));
  }
  if (r.Get("state") != "waiting") {
    return R(intake::HookRefusal{
        e.spec->code_not_found,  // -216002
        "运单[" + logistics_no +
            "]没有待理货的出口退货申请 (no export return (CEB213) is waiting for a tally of "
            "this waybill)"});
  }
  std::string invt_no(h.Get("invtNo"));
  if (!invt_no.empty() && invt_no != r.Get("invtNo")) {
    return R(intake::HookRefusal{
        e.spec->code_state, "理货明细的清单编号[" + invt_no + "]与出口退货申请[" + r.Get("key") +
                                "]的清单编号[" + r.Get("invtNo") +
                                "]不一致 (invtNo differs from the return's)"});
  }
  int64_t deadline = std::stoll(r.Get("deadlineMs"));
  if (e.time.millis > deadline) {
    return R(intake::HookRefusal{
        e.spec->code_state,
        "理货时间超过清单放行之日起" + std::to_string(opt_->export_return_days) + "天(" +
            FormatC8(Timestamp{deadline}) + ")，不予退货 (the goods came back after the " +
            std::to_string(opt_->export_return_days) + " days after release)"});
  }
  return R();
}

Status ExportClearance::OnTally(store::WriteTxn& txn, const intake::AppliedEntity& e) {
  ASSIGN_OR_RETURN(std::optional<intake::HookRefusal> refusal, CheckTally(txn, e));
  Facts tally = steps_->DocFacts(e);
  if (refusal) {
    return steps_->Move(txn, tally, e.time, {{refusal->return_status, refusal->return_info}});
  }
  const ceb::Node& h = *e.head;
  std::string wkey = Join(h.Get("logisticsCode"), h.Get("logisticsNo"));
  ASSIGN_OR_RETURN(std::optional<std::string> rkey, txn.GetState("xretwb", wkey));
  ASSIGN_OR_RETURN(Facts r, Load(txn, "xret", *rkey));
  ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, r.Get("pkey")));
  Facts& l = p.list;

  // The tax-free re-import flag of each line (policy-rules.md §3): the three conditions,
  // every failing one named.
  Timestamp release{std::stoll(r.Get("releaseMs"))};
  int months = opt_->export_return_taxfree_months;
  std::string export_day = FormatC8(release);
  std::string limit_day = DayPlusMonths(release, months, "");
  bool in_time = FormatC8(e.time) <= limit_day;
  std::optional<CoveredPeriod> period = Periods().Covering(release);
  bool all_free = true;
  std::string summary_zh, summary_en, what;
  for (Fields& rl : r.lines) {
    const std::string& gnum = FieldOf(rl, "gnum");
    std::vector<std::pair<std::string, std::string>> failed;
    if (!in_time) {
      failed.emplace_back("退运时间超过出口放行(" + export_day + ")后" + std::to_string(months) +
                              "个月(" + limit_day + ")",
                          "tallied on " + FormatC8(e.time) + ", more than " +
                              std::to_string(months) + " months after the export on " + export_day);
    }
    if (!period) {
      failed.emplace_back("出口日期(" + export_day + ")不在退运商品税收政策覆盖期间内",
                          "export date " + export_day + " outside every covered period");
    }
    if (IsFood(FieldOf(rl, "gcode"))) {
      failed.emplace_back("食品(商品编码第01-24章)不适用", "food (HS chapters 01-24) is excluded");
    }
    std::string reason_zh, reason_en;
    if (failed.empty()) {
      reason_zh = "出口放行(" + export_day + ")后" + std::to_string(months) + "个月内(" +
                  limit_day + "前)退运，出口日期在" + period->document + "覆盖期间(" +
                  period->from + "至" + period->to + ")，非食品";
      reason_en = "returned within " + std::to_string(months) +
                  " months of the export, export date in a covered period, not food";
    } else {
      for (const auto& [zh, en] : failed) {
        reason_zh += (reason_zh.empty() ? "" : "；") + zh;
        reason_en += (reason_en.empty() ? "" : "; ") + en;
      }
    }
    rl["taxFree"] = failed.empty() ? "1" : "0";
    rl["reason"] = reason_zh + " (" + reason_en + ")";
    all_free = all_free && failed.empty();
    summary_zh += (summary_zh.empty() ? "第" : "；第") + gnum + "项" +
                  (failed.empty() ? "免税" : "不免税：" + reason_zh);
    summary_en +=
        (summary_en.empty() ? "line " : ", line ") + gnum + (failed.empty() ? " yes" : " no");
    what += (what.empty() ? "第" : "、第") + gnum + "项×" + Plain(Dec(FieldOf(rl, "qty")));
    if (Fields* ln = FindLine(l, gnum)) {
      Decimal q = Dec(FieldOf(rl, "qty"));
      (*ln)["pendingQty"] = Plain(Dec(FieldOf(*ln, "pendingQty")) - q);
      (*ln)["returnedQty"] = Plain(Dec(FieldOf(*ln, "returnedQty")) + q);
    }
  }
  if (opt_->stats != nullptr) {
    Fields qty;
    for (const Fields& rl : r.lines) qty[FieldOf(rl, "gnum")] = FieldOf(rl, "qty");
    RETURN_IF_ERROR(opt_->stats->Returned(txn, ReturnedPartOf(l, qty), Decimal(), e.time));
  }
  r["state"] = "completed";
  r["talliedMs"] = std::to_string(e.time.millis);
  r["tally"] = e.row->key;
  r["taxFree"] = all_free ? "1" : "0";
  r["info"] = "出口退货理货完成[" + e.row->key + "]；复进口免征进口关税、进口环节增值税和消费税：" +
              summary_zh + " (tallied; tax-free re-import: " + summary_en + ")";
  RETURN_IF_ERROR(steps_->Move(txn, r, e.time, {{"399", r.Get("info")}}));
  RETURN_IF_ERROR(txn.PutState("xret", *rkey, EncodeFacts(r)));
  RETURN_IF_ERROR(txn.DeleteState("xretwb", wkey));
  RETURN_IF_ERROR(
      txn.DeleteState("xretwait", TimeKey(std::stoll(r.Get("deadlineMs"))) + kSep + *rkey));
  RETURN_IF_ERROR(steps_->Move(
      txn, tally, e.time,
      {{"399", "理货明细已核对，出口退货申请[" + r.Get("key") + "]清单[" + r.Get("invtNo") +
                   "]完成 (the tally completes the export return)"}}));
  RETURN_IF_ERROR(steps_->Note(txn, l, e.time,
                               "出口退货[" + r.Get("key") + "]理货完成(理货单" + e.row->key +
                                   ")：退回" + what + "，复进口" +
                                   (all_free ? "免税" : "不全免税") + " (export return tallied)"));
  return SaveParcel(txn, r.Get("pkey"), p);
}

StatusOr<std::string> ExportClearance::ReturnJson(const std::string& co_el_no,
                                                  const std::string& agent_code) {
  std::string rkey;
  std::optional<std::string> value;
  if (!agent_code.empty()) {
    rkey = Join(co_el_no, agent_code);
    ASSIGN_OR_RETURN(value, store_->ReadState("xret", rkey));
  } else {
    ASSIGN_OR_RETURN(auto rows,
                     store_->ReadStateRange("xret", co_el_no + kSep, PrefixEnd(co_el_no), 2));
    if (rows.size() > 1) {
      return InvalidArgument(
          "several agents declared export return " + co_el_no + ": give the agentCode",
          "agentCode");
    }
    if (!rows.empty()) value = rows[0].second;
  }
  if (!value) return Status(Code::kNotFound, "no export return " + co_el_no, "coElNo");
  ASSIGN_OR_RETURN(Facts r, DecodeFacts(*value));
  Timestamp release{std::stoll(r.Get("releaseMs"))};
  bool tallied = !r.Get("talliedMs").empty();
  std::string out = "{";
  JsonString(out, "coElNo", r.Get("key"));
  out += ",";
  JsonString(out, "agentCode", r.Get("scope"));
  for (const char* f : {"ebcCode", "invtNo", "logisticsCode", "logisticsNo", "status", "state"}) {
    out += ",";
    JsonString(out, f, r.Get(f));
  }
  out += ",";
  JsonString(out, "returnInfo", r.Get("info"));
  out += ",";
  JsonString(out, "appliedAt", FormatIso(Timestamp{std::stoll(r.Get("appliedMs"))}));
  out += ",";
  JsonString(out, "exportDate", DayText(release, "-"));
  out += ",";
  JsonString(out, "deadline", FormatIso(Timestamp{std::stoll(r.Get("deadlineMs"))}));
  out += ",";
  JsonString(out, "taxFreeUntil", DayPlusMonths(release, opt_->export_return_taxfree_months, "-"));
  out += ",\"coveredPeriod\":";
  if (std::optional<CoveredPeriod> period = Periods().Covering(release)) {
    out += "{";
    JsonString(out, "from", period->from);
    out += ",";
    JsonString(out, "to", period->to);
    out += ",";
    JsonString(out, "document", period->document);
    out += "}";
  } else {
    out += "null";
  }
  if (tallied) {
    out += ",";
    JsonString(out, "talliedAt", FormatIso(Timestamp{std::stoll(r.Get("talliedMs"))}));
    out += ",";
    JsonString(out, "tally", r.Get("tally"));
    out += std::string(",\"taxFree\":") + (r.Get("taxFree") == "1" ? "true" : "false");
  } else {
    out += ",\"talliedAt\":null,\"tally\":null,\"taxFree\":null";
  }
  out += ",\"lines\":[";
  for (size_t i = 0; i < r.lines.size(); ++i) {
    const Fields& rl = r.lines[i];
    out += i ? ",{" : "{";
    out += "\"gnum\":" + std::to_string(std::stoi(FieldOf(rl, "gnum"))) + ",";
    JsonString(out, "gcode", FieldOf(rl, "gcode"));
    out += ",";
    JsonString(out, "gname", FieldOf(rl, "gname"));
    out += ",";
    JsonString(out, "qty", Plain(Dec(FieldOf(rl, "qty"))));
    if (tallied) {
      out += std::string(",\"taxFree\":") + (FieldOf(rl, "taxFree") == "1" ? "true" : "false");
      out += ",";
      JsonString(out, "reason", FieldOf(rl, "reason"));
    } else {
      out += ",\"taxFree\":null,\"reason\":null";
    }
    out += "}";
  }
  out += "]}";
  return out;
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
  // Export returns not tallied within export_return_days of the list's release.
  std::string due = TimeKey(now.millis);
  for (;;) {
    ASSIGN_OR_RETURN(auto rows, txn.ScanState("xretwait", "", due, kPage));
    for (auto& [k, v] : rows) {
      RETURN_IF_ERROR(txn.DeleteState("xretwait", k));
      std::string rkey = k.substr(k.find(kSep) + 1);
      ASSIGN_OR_RETURN(Facts r, Load(txn, "xret", rkey));
      if (r.Get("state") != "waiting") continue;
      RETURN_IF_ERROR(DropWaiting(txn, rkey, r));
      r["state"] = "lapsed";
      r["info"] = "出口退货申请[" + r.Get("key") + "]在清单放行之日起" +
                  std::to_string(opt_->export_return_days) +
                  "天内未完成理货，不予退货 (the goods were not tallied back within " +
                  std::to_string(opt_->export_return_days) + " days of release)";
      RETURN_IF_ERROR(steps_->Move(txn, r, now, {{"100", r.Get("info")}}));
      RETURN_IF_ERROR(txn.PutState("xret", rkey, EncodeFacts(r)));
      ++sum.returns_failed;
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

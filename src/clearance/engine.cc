// The clearance engine: see clearance.h for what it does and records.h for what it keeps.
#include <algorithm>
#include <cctype>
#include <cstring>
#include <mutex>
#include <set>
#include <unordered_map>

#include "ceb/catalog.h"
#include "ceb/codec.h"
#include "ceb/receipt.h"
#include "clearance/clearance.h"
#include "clearance/export.h"
#include "clearance/records.h"
#include "clearance/tax_bill.h"
#include "common/strings.h"

namespace shumao::clearance {
namespace {

constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr char kSep = '|';

std::string Join(std::string_view a, std::string_view b) {
  std::string k(a);
  k += kSep;
  k += b;
  return k;
}

Decimal Dec(const std::string& text) {
  auto d = Decimal::Parse(text);
  return d.ok() ? *d : Decimal();
}

std::string Money(Decimal d) { return d.RoundTo(2).ToString(2); }

int YearOf(Timestamp t) { return ToBeijing(t).year; }

std::string Plain(Decimal d) { return d.ToShortString(); }

// What the receipt of each document kind echoes (besides guid and the return fields).
void KeepReceiptKeys(const ceb::DocumentSpec& spec, const ceb::Node& head, Facts& doc) {
  const ceb::MessageDef* def = ceb::FindMessageByType(spec.receipt_type);
  if (def == nullptr) return;
  for (const ceb::ElementDef& f : def->root_element().children()[0].children()) {
    std::string_view n = f.name;
    if (n == "returnStatus" || n == "returnTime" || n == "returnInfo") continue;
    if (head.Has(n)) doc["k:" + std::string(n)] = std::string(head.Get(n));
  }
}

class RandomGate : public RiskGate {
 public:
  explicit RandomGate(Decimal rate) : rate_(rate) {}
  StatusOr<LaneDecision> Screen(store::WriteTxn&, const ScreenFacts& facts) const override {
    if (rate_.IsZero() || rate_.IsNegative()) return LaneDecision{};
    // FNV-1a of the key: reproducible across runs and replays.
    uint64_t h = 1469598103934665603ULL;
    for (unsigned char c : facts.key) h = (h ^ c) * 1099511628211ULL;
    __int128 draw = static_cast<__int128>(h % 1000000) * Decimal::kOne / 1000000;
    if (draw < rate_.units())
      return LaneDecision{Lane::kInspect, "布控查验 (selected for inspection)", false, {}};
    return LaneDecision{};
  }

 private:
  Decimal rate_;
};

class EngineImpl : public Engine, private DocumentSteps {
 public:
  EngineImpl(store::Store* store, Options opt) : store_(store), opt_(std::move(opt)) {}

  // ---------------------------------------------------------------- intake hook

  StatusOr<std::optional<intake::HookRefusal>> Check(store::WriteTxn& txn,
                                                     const intake::AppliedEntity& e) override {
    std::string_view type = e.spec->type;
    if (e.app_type == "3" || e.row->status != "2") return std::optional<intake::HookRefusal>();
    if (ExportClearance::Handles(type)) return export_.Check(txn, e);
    if (type == "CEB623") return CheckCancel(txn, e);
    if (type == "CEB625") return CheckReturn(txn, e);
    return std::optional<intake::HookRefusal>();
  }

  Status AfterApply(store::WriteTxn& txn, const intake::AppliedEntity& e) override {
    std::string_view type = e.spec->type;
    if (ExportClearance::Handles(type)) return export_.AfterApply(txn, e);
    if (type == "CEB311") return OnOrder(txn, e);
    if (type == "CEB411") return OnPayment(txn, e);
    if (type == "CEB511") return OnWaybill(txn, e);
    if (type == "CEB621") return OnList(txn, e);
    if (type == "CEB623") return e.app_type == "3" ? Status::Ok() : OnCancel(txn, e);
    if (type == "CEB625") return e.app_type == "3" ? Status::Ok() : OnReturn(txn, e);
    if (type == "CEB513") return OnSigned(txn, e);
    if (type == "CEB711") return OnDelivery(txn, e);
    return Status::Ok();
  }

  // ---------------------------------------------------------------- other entry points

  void InvalidateRegistry() override {
    std::lock_guard lock(mu_);
    identity_.clear();
  }

  StatusOr<TickSummary> Tick(Timestamp now) override {
    TickSummary sum;
    ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, store_->BeginWrite());
    RETURN_IF_ERROR(TickWaiting(*txn, now, sum));
    RETURN_IF_ERROR(TickReturns(*txn, now, sum));
    RETURN_IF_ERROR(TickTaxDue(*txn, now, sum));
    RETURN_IF_ERROR(TickUnpaid(*txn, now, sum));
    RETURN_IF_ERROR(export_.Tick(*txn, now, sum));
    RETURN_IF_ERROR(txn->Commit());
    return sum;
  }

  Status Decide(const std::string& list_key, const std::string& decision, const std::string& reason,
                const std::string& officer) override {
    if (decision != "release" && decision != "refuse") {
      return InvalidArgument("decision must be release or refuse", "decision");
    }
    if (decision == "refuse" && reason.empty()) {
      return InvalidArgument("a refusal needs a reason", "reason");
    }
    ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, store_->BeginWrite());
    ASSIGN_OR_RETURN(std::optional<std::string> pkey, FindParcelOfList(*txn, list_key));
    if (!pkey)
      return Status(Code::kNotFound, "no import list with copNo or invtNo " + list_key, "key");
    ASSIGN_OR_RETURN(Parcel p, LoadParcel(*txn, *pkey));
    Facts& list = p.list;
    if (list.Get("k:invtNo") != list_key && list.Get("copNo") != list_key) {
      return Status(
          Code::kFailedPrecondition,
          "list " + list_key + " was replaced by list " + list.Get("copNo") + " of the same order",
          "key");
    }
    const std::string& st = list.Get("status");
    if (st != "500" && st != "300") {
      return Status(Code::kFailedPrecondition,
                    "list " + list_key + " is in status " + st +
                        "; only a list under inspection (500) or manual review (300) waits for "
                        "a decision",
                    "key");
    }
    Timestamp now = opt_.clock->Now();
    if (opt_.risk != nullptr) {
      RETURN_IF_ERROR(opt_.risk->Outcome(*txn, list.Get("copNo") + kSep + list.Get("agentCode"),
                                         decision == "refuse", now));
    }
    if (decision == "release" && list.Get("guaranteeRequired") == "1") {
      ASSIGN_OR_RETURN(Facts bill, LoadFacts(*txn, "taxbill", list.Get("k:invtNo")));
      ASSIGN_OR_RETURN(std::optional<std::string> shortfall,
                       GuaranteeShortfall(*txn, list.Get("assureCode"), Dec(bill.Get("taxTotal"))));
      if (shortfall) return Status(Code::kFailedPrecondition, *shortfall, "decision");
    }
    if (decision == "release") {
      RETURN_IF_ERROR(Release(*txn, p, now, "查验/审核通过 (" + officer + ")"));
    } else {
      RETURN_IF_ERROR(Reverse(*txn, p, now, /*restore_stock=*/true));
      RETURN_IF_ERROR(
          Move(*txn, list, now, {{"100", "海关退单：" + reason + " (" + officer + ")"}}));
      list["state"] = "refused";
    }
    RETURN_IF_ERROR(SaveParcel(*txn, *pkey, p));
    return txn->Commit();
  }

  Status AddInbound(const std::vector<InboundRecord>& records) override {
    for (size_t i = 0; i < records.size(); ++i) {
      const InboundRecord& r = records[i];
      std::string at = "records[" + std::to_string(i) + "]";
      if (r.warehouse.empty()) return InvalidArgument("warehouse is required", at + ".warehouse");
      if (r.item_record_no.empty())
        return InvalidArgument("itemRecordNo is required", at + ".itemRecordNo");
      if (r.qty.IsNegative() || r.qty.IsZero())
        return InvalidArgument("qty must be above 0", at + ".qty");
    }
    ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, store_->BeginWrite());
    for (const InboundRecord& r : records) {
      std::string key = Join(r.warehouse, r.item_record_no);
      ASSIGN_OR_RETURN(Facts s, LoadFacts(*txn, "stock", key));
      s["in"] = Plain(Dec(s.Get("in")) + r.qty);
      auto keep = [&](const char* name, const std::string& v) {
        if (!v.empty()) s[name] = v;
      };
      keep("emsNo", r.ems_no);
      keep("itemNo", r.item_no);
      keep("gcode", r.gcode);
      keep("gname", r.gname);
      keep("unit", r.unit);
      keep("lastEntryNo", r.entry_no);
      RETURN_IF_ERROR(txn->PutState("stock", key, EncodeFacts(s)));
    }
    return txn->Commit();
  }

  StatusOr<std::vector<StockLine>> StockReport(const std::string& warehouse) override {
    std::string from = warehouse.empty() ? "" : warehouse + kSep;
    std::string to = warehouse.empty() ? "" : warehouse + static_cast<char>(kSep + 1);
    std::vector<StockLine> out;
    std::string cursor = from;
    for (;;) {
      ASSIGN_OR_RETURN(auto rows, store_->ReadStateRange("stock", cursor, to, 1000));
      for (auto& [k, v] : rows) {
        ASSIGN_OR_RETURN(Facts s, DecodeFacts(v));
        StockLine line;
        size_t bar = k.find(kSep);
        line.warehouse = k.substr(0, bar);
        line.item_record_no = bar == std::string::npos ? "" : k.substr(bar + 1);
        line.item_no = s.Get("itemNo");
        line.gcode = s.Get("gcode");
        line.gname = s.Get("gname");
        line.unit = s.Get("unit");
        line.in = Dec(s.Get("in"));
        line.out = Dec(s.Get("out"));
        line.returned = Dec(s.Get("returned"));
        line.balance = line.in - line.out + line.returned;
        out.push_back(std::move(line));
      }
      if (rows.size() < 1000) break;
      cursor = rows.back().first + '\0';
    }
    return out;
  }

  StatusOr<QuotaView> Quota(const std::string& id_type, const std::string& id_number,
                            int year) override {
    std::string hash = opt_.vault->KeyedHash(id_type + ":" + id_number);
    ASSIGN_OR_RETURN(std::optional<std::string> used,
                     store_->ReadState("quota", std::to_string(year) + kSep + hash));
    QuotaView q;
    q.year = year;
    CivilTime end{year, 12, 31, 23, 59, 59, 0};
    q.limit = opt_.tariff->PolicyAt(FromBeijing(end)).annual_limit;
    q.used = used ? Dec(*used) : Decimal();
    q.remaining = q.limit - q.used;
    if (q.remaining.IsNegative()) q.remaining = Decimal();
    return q;
  }

  StatusOr<LedgerAudit> AuditQuota(int year) override {
    LedgerAudit a;
    std::string from = std::to_string(year) + kSep;
    std::string to = std::to_string(year) + static_cast<char>(kSep + 1);
    for (const char* ns : {"quota", "ledger"}) {
      std::string cursor = from;
      for (;;) {
        ASSIGN_OR_RETURN(auto rows, store_->ReadStateRange(ns, cursor, to, 5000));
        for (auto& [k, v] : rows) {
          Decimal d = Dec(v);
          if (std::strcmp(ns, "quota") == 0) {
            a.ledger_total += d;
            ++a.buyers;
            a.max_used = std::max(a.max_used, d);
          } else {
            a.lists_total += d;
          }
        }
        if (rows.size() < 5000) break;
        cursor = rows.back().first + '\0';
      }
    }
    return a;
  }

  Status SetGuarantee(const std::string& code, Decimal amount) override {
    if (code.empty()) return InvalidArgument("code is required", "code");
    if (amount.IsNegative()) return InvalidArgument("amount must not be negative", "amount");
    ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, store_->BeginWrite());
    ASSIGN_OR_RETURN(Facts g, LoadFacts(*txn, "guarantee", code));
    g["balance"] = Money(amount);
    if (g.Get("outstanding").empty()) g["outstanding"] = "0.00";
    if (g.Get("paid").empty()) g["paid"] = "0.00";
    RETURN_IF_ERROR(txn->PutState("guarantee", code, EncodeFacts(g)));
    return txn->Commit();
  }

  StatusOr<GuaranteeView> Guarantee(const std::string& code) override {
    ASSIGN_OR_RETURN(std::optional<std::string> v, store_->ReadState("guarantee", code));
    if (!v) return Status(Code::kNotFound, "no tax guarantee is lodged for " + code, "code");
    ASSIGN_OR_RETURN(Facts g, DecodeFacts(*v));
    return GuaranteeView{code, Dec(g.Get("balance")), Dec(g.Get("outstanding")),
                         Dec(g.Get("paid"))};
  }

  StatusOr<std::string> TaxBillXml(const std::string& invt_no) override {
    ASSIGN_OR_RETURN(std::optional<std::string> v, store_->ReadState("taxbill", invt_no));
    if (!v) return Status(Code::kNotFound, "no tax bill for list " + invt_no, "invtNo");
    ASSIGN_OR_RETURN(Facts bill, DecodeFacts(*v));
    return ceb::EncodeXml(BuildTaxBill(bill, opt_.clock->Now()));
  }

  StatusOr<std::string> TaxBillJson(const std::string& invt_no) override {
    ASSIGN_OR_RETURN(std::optional<std::string> v, store_->ReadState("taxbill", invt_no));
    if (!v) return Status(Code::kNotFound, "no tax bill for list " + invt_no, "invtNo");
    ASSIGN_OR_RETURN(Facts bill, DecodeFacts(*v));
    return TaxBillToJson(bill);
  }

  StatusOr<std::vector<std::string>> Alerts(int limit) override {
    std::vector<std::string> out;
    ASSIGN_OR_RETURN(auto rows, store_->ReadStateRange("alert", "", "", limit));
    for (auto& [k, v] : rows) out.push_back(v);
    return out;
  }

  Status AddOverseasWarehouse(const OverseasWarehouse& w) override {
    return export_.AddOverseasWarehouse(w);
  }
  StatusOr<std::vector<OverseasWarehouse>> ListOverseasWarehouses(
      const std::string& ebc_code) override {
    return export_.ListOverseasWarehouses(ebc_code);
  }
  StatusOr<std::string> ExportReturnJson(const std::string& co_el_no,
                                         const std::string& agent_code) override {
    return export_.ReturnJson(co_el_no, agent_code);
  }

 private:
  // ---------------------------------------------------------------- records

  StatusOr<Facts> LoadFacts(store::WriteTxn& txn, const char* ns, const std::string& key) {
    ASSIGN_OR_RETURN(std::optional<std::string> v, txn.GetState(ns, key));
    if (!v) return Facts();
    return DecodeFacts(*v);
  }

  StatusOr<Parcel> LoadParcel(store::WriteTxn& txn, const std::string& key) {
    ASSIGN_OR_RETURN(std::optional<std::string> v, txn.GetState("parcel", key));
    if (!v) return Parcel();
    return DecodeParcel(*v);
  }

  Status SaveParcel(store::WriteTxn& txn, const std::string& key, const Parcel& p) {
    return txn.PutState("parcel", key, EncodeParcel(p));
  }

  StatusOr<std::optional<std::string>> FindParcelOfList(store::WriteTxn& txn,
                                                        const std::string& key) {
    ASSIGN_OR_RETURN(std::optional<std::string> p, txn.GetState("invt", key));
    if (p) return p;
    ASSIGN_OR_RETURN(auto rows, txn.ScanState("copno", key + kSep, key + char(kSep + 1), 1));
    if (!rows.empty()) return std::optional<std::string>(rows[0].second);
    return std::optional<std::string>();
  }

  // What every document record holds: where the document is and how to answer for it.
  Facts DocFacts(const intake::AppliedEntity& e) override {
    Facts d;
    d["id"] = std::to_string(e.row->id);
    d["sender"] = e.sender;
    d["rt"] = e.spec->receipt_type;
    d["kind"] = e.spec->kind;
    d["key"] = e.row->key;
    d["scopeField"] = e.spec->scope_field;
    d["scope"] = e.row->scope;
    d["status"] = e.row->status;
    d["since"] = std::to_string(e.time.millis);
    d["k:preNo"] = e.pre_no;
    KeepReceiptKeys(*e.spec, *e.head, d);
    return d;
  }

  std::string Hash(std::string_view v) { return opt_.vault->KeyedHash(std::string(v)); }

  // ---------------------------------------------------------------- status changes

  // Moves a document through `steps` (status, info): one row update, a history row and a
  // receipt to its sender per step.
  Status Move(store::WriteTxn& txn, Facts& doc, Timestamp t,
              const std::vector<std::pair<std::string, std::string>>& steps) override {
    if (steps.empty()) return Status::Ok();
    int64_t id = std::stoll(doc.Get("id"));
    // A refusal with the standard's negative code (-621005) leaves the list refused (100);
    // the receipt and the history carry the code.
    std::string status = steps.back().first.starts_with('-') ? "100" : steps.back().first;
    std::string alt_key = doc.Get("kind") == "inventories" ? doc.Get("k:invtNo") : std::string();
    RETURN_IF_ERROR(txn.SetDocumentStatus(id, status, steps.back().second, t.millis, alt_key));
    doc["status"] = status;
    if (opt_.stats != nullptr && doc.Get("kind") == "inventories") {
      std::vector<std::string> entered;
      for (const auto& step : steps)
        entered.push_back(step.first.starts_with('-') ? "100" : step.first);
      RETURN_IF_ERROR(opt_.stats->Entered(txn, StatListOf(doc), entered, t));
    }
    // A refused list (not one its sender cancelled) counts against the enterprise's credit.
    if (status == "100" && opt_.risk != nullptr && doc.Get("kind") == "inventories" &&
        steps.back().second.find("已撤销") == std::string::npos) {
      RETURN_IF_ERROR(opt_.risk->Event(txn, doc.Get("ebcCode"), "refused", t));
    }
    const ceb::MessageDef* def = ceb::FindMessageByType(doc.Get("rt"));
    for (const auto& [status, info] : steps) {
      RETURN_IF_ERROR(txn.AddHistory(id, store::HistoryRow{status, t.millis, info}));
      if (def == nullptr) continue;
      ceb::ReceiptEntry entry{nullptr, status, info, {}};
      for (const auto& [k, v] : doc.f) {
        if (k.starts_with("k:")) entry.values.emplace_back(k.substr(2), v);
      }
      store::ReceiptRow rr;
      rr.recipient = doc.Get("sender");
      rr.type = def->type;
      rr.return_status = status;
      rr.return_info = info;
      rr.keys_json = "{\"kind\":\"" + doc.Get("kind") + "\",\"key\":\"";
      AppendJsonEscaped(rr.keys_json, doc.Get("key"));
      rr.keys_json += "\",\"" + doc.Get("scopeField") + "\":\"";
      AppendJsonEscaped(rr.keys_json, doc.Get("scope"));
      if (!doc.Get("k:invtNo").empty()) {
        rr.keys_json += "\",\"invtNo\":\"";
        AppendJsonEscaped(rr.keys_json, doc.Get("k:invtNo"));
      }
      rr.keys_json += "\"}";
      rr.xml = ceb::EncodeXml(ceb::BuildReceipt(*def, {entry}, t));
      rr.time_ms = t.millis;
      RETURN_IF_ERROR(txn.AddReceipt(rr));
    }
    return Status::Ok();
  }

  // A note in a document's history that does not change its status (arrival, delivery).
  Status Note(store::WriteTxn& txn, const Facts& doc, Timestamp t,
              const std::string& info) override {
    return txn.AddHistory(std::stoll(doc.Get("id")),
                          store::HistoryRow{doc.Get("status"), t.millis, info});
  }

  Status Alert(store::WriteTxn& txn, Timestamp t, const std::string& invt_no,
               const std::string& kind, const std::string& enterprise, const std::string& text) {
    std::string json =
        "{\"time\":\"" + FormatIso(t) + "\",\"kind\":\"" + kind + "\",\"enterprise\":\"";
    AppendJsonEscaped(json, enterprise);
    json += "\",\"invtNo\":\"";
    AppendJsonEscaped(json, invt_no);
    json += "\",\"message\":\"";
    AppendJsonEscaped(json, text);
    json += "\"}";
    return txn.PutState("alert", TimeKey(t.millis) + kSep + invt_no + kSep + kind, json);
  }

  // ---------------------------------------------------------------- arrivals

  Status OnOrder(store::WriteTxn& txn, const intake::AppliedEntity& e) {
    const ceb::Node& h = *e.head;
    std::string pkey = Join(h.Get("ebpCode"), h.Get("orderNo"));
    ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, pkey));
    if (e.app_type == "3") {
      p.order = Facts();
      return SaveParcel(txn, pkey, p);
    }
    if (e.row->status != "2") return Status::Ok();  // saved only: not declared yet
    Facts o = DocFacts(e);
    for (const char* f : {"ebcCode", "goodsValue", "freight", "discount", "taxTotal", "acturalPaid",
                          "orderNo", "ebpCode"}) {
      o[f] = std::string(h.Get(f));
    }
    o["h:buyerId"] = e.row->buyer_hash;
    o["h:buyerName"] = Hash(h.Get("buyerName"));
    o["h:buyerTelephone"] = Hash(h.Get("buyerTelephone"));
    o["h:consignee"] = Hash(h.Get("consignee"));
    o["h:consigneeTelephone"] = Hash(h.Get("consigneeTelephone"));
    o["h:consigneeAddress"] = Hash(h.Get("consigneeAddress"));
    for (const ceb::Node* l : e.entity->All("OrderList")) {
      Fields line;
      for (const char* f : {"gnum", "itemName", "qty", "totalPrice"})
        line[f] = std::string(l->Get(f));
      o.lines.push_back(std::move(line));
    }
    p.order = std::move(o);
    RETURN_IF_ERROR(SaveParcel(txn, pkey, p));
    return TryClear(txn, pkey, p, e.time);
  }

  Status OnPayment(store::WriteTxn& txn, const intake::AppliedEntity& e) {
    const ceb::Node& h = *e.head;
    std::string pkey = Join(h.Get("ebpCode"), h.Get("orderNo"));
    ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, pkey));
    if (e.app_type == "3") {
      p.payment = Facts();
      return SaveParcel(txn, pkey, p);
    }
    if (e.row->status != "2") return Status::Ok();
    Facts pay = DocFacts(e);
    pay["amountPaid"] = std::string(h.Get("amountPaid"));
    pay["h:payerId"] = e.row->buyer_hash;
    pay["h:payerName"] = Hash(h.Get("payerName"));
    p.payment = std::move(pay);
    RETURN_IF_ERROR(SaveParcel(txn, pkey, p));
    return TryClear(txn, pkey, p, e.time);
  }

  Status OnWaybill(store::WriteTxn& txn, const intake::AppliedEntity& e) {
    const ceb::Node& h = *e.head;
    std::string wkey = Join(h.Get("logisticsCode"), h.Get("logisticsNo"));
    if (e.app_type == "3") return txn.DeleteState("waybill", wkey);
    if (e.row->status != "2") return Status::Ok();
    Facts w = DocFacts(e);
    w["orderNo"] = std::string(h.Get("orderNo"));
    w["weight"] = std::string(h.Get("weight"));
    w["h:consignee"] = Hash(h.Get("consignee"));
    w["h:consigneeTelephone"] = Hash(h.Get("consigneeTelephone"));
    w["h:consigneeAddress"] = Hash(h.Get("consigneeAddress"));
    RETURN_IF_ERROR(txn.PutState("waybill", wkey, EncodeFacts(w)));
    ASSIGN_OR_RETURN(std::optional<std::string> pkey, txn.GetState("wblink", wkey));
    if (!pkey) return Status::Ok();
    ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, *pkey));
    return TryClear(txn, *pkey, p, e.time);
  }

  Status OnList(store::WriteTxn& txn, const intake::AppliedEntity& e) {
    const ceb::Node& h = *e.head;
    std::string pkey = Join(h.Get("ebpCode"), h.Get("orderNo"));
    ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, pkey));
    if (!p.list.empty() && p.list.Get("id") != std::to_string(e.row->id)) {
      // Another list document holds the order. While that list lives (waiting, in customs'
      // hands, released, closed) the order clears on it alone; a refused or cancelled one
      // gives way to the new list.
      if (e.app_type == "3" || e.row->status != "2") return Status::Ok();
      const std::string& state = p.list.Get("state");
      if (state != "refused" && state != "cancelled") {
        Facts dup = DocFacts(e);
        return Move(
            txn, dup, e.time,
            {{"100", "订单[" + std::string(h.Get("orderNo")) + "]已在清单[" + p.list.Get("copNo") +
                         "]中申报，不能重复申报 (the order is already on another list)"}});
      }
    }
    if (!p.list.empty() && !p.list.Get("since").empty()) {
      RETURN_IF_ERROR(
          txn.DeleteState("wait", TimeKey(std::stoll(p.list.Get("since"))) + kSep + pkey));
    }
    if (e.app_type == "3") {
      p.list = Facts();
      return SaveParcel(txn, pkey, p);
    }
    if (e.row->status != "2") return Status::Ok();
    Facts l = DocFacts(e);
    for (const char* f :
         {"ebpCode", "ebcCode", "orderNo", "logisticsCode", "logisticsNo", "copNo", "agentCode",
          "customsCode", "tradeMode", "areaCode", "emsNo", "assureCode", "freight", "insuredFee",
          "declTime", "grossWeight", "country", "currency", "packNo"}) {
      l[f] = std::string(h.Get(f));
    }
    l["h:buyerId"] = e.row->buyer_hash;
    l["h:buyerName"] = Hash(h.Get("buyerName"));
    l["h:buyerTelephone"] = Hash(h.Get("buyerTelephone"));
    l["h:consigneeAddress"] = Hash(h.Get("consigneeAddress"));
    l["state"] = "waiting";
    for (const ceb::Node* n : e.entity->All("InventoryList")) {
      Fields line;
      for (const char* f : {"gnum", "gcode", "gname", "gmodel", "qty", "unit", "price",
                            "totalPrice", "itemRecordNo", "itemNo", "country", "currency"}) {
        line[f] = std::string(n->Get(f));
      }
      l.lines.push_back(std::move(line));
    }
    std::string wkey = Join(h.Get("logisticsCode"), h.Get("logisticsNo"));
    RETURN_IF_ERROR(txn.PutState("wblink", wkey, pkey));
    RETURN_IF_ERROR(txn.PutState("copno", Join(e.row->key, e.row->scope), pkey));
    RETURN_IF_ERROR(txn.PutState("wait", TimeKey(e.time.millis) + kSep + pkey, ""));
    p.list = std::move(l);
    RETURN_IF_ERROR(SaveParcel(txn, pkey, p));
    return TryClear(txn, pkey, p, e.time);
  }

  Status OnSigned(store::WriteTxn& txn, const intake::AppliedEntity& e) {
    if (e.app_type == "3") return Status::Ok();
    const ceb::Node& h = *e.head;
    ASSIGN_OR_RETURN(std::optional<std::string> pkey,
                     txn.GetState("wblink", Join(h.Get("logisticsCode"), h.Get("logisticsNo"))));
    if (!pkey) return Status::Ok();
    ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, *pkey));
    if (p.list.empty()) return Status::Ok();
    return Note(
        txn, p.list, e.time,
        "运单已签收 (signed for, CEB513) 签收时间[" + std::string(h.Get("logisticsTime")) + "]");
  }

  Status OnDelivery(store::WriteTxn& txn, const intake::AppliedEntity& e) {
    if (e.app_type == "3") return Status::Ok();
    const ceb::Node& h = *e.head;
    std::string code(h.Get("logisticsCode"));
    for (const ceb::Node* d : e.entity->All("DeliveryList")) {
      std::string wkey = Join(code, d->Get("logisticsNo"));
      ASSIGN_OR_RETURN(std::optional<std::string> pkey, txn.GetState("wblink", wkey));
      if (!pkey) continue;
      ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, *pkey));
      if (p.list.empty()) continue;
      RETURN_IF_ERROR(Note(
          txn, p.list, e.time,
          "运抵入库 (arrived at the supervised site, CEB711 " + std::string(h.Get("copNo")) + ")"));
      if (!p.list.Get("returnPending").empty()) {
        RETURN_IF_ERROR(CompleteReturn(txn, *pkey, p, e.time));
      }
    }
    return Status::Ok();
  }

  // ---------------------------------------------------------------- matching

  struct Mismatch {
    std::string info;
  };

  // Equal-field rules of the match: a field of one document (by its record prefix, "l"
  // list, "o" order, "w" waybill) against a field of another, compared as stored (personal
  // values as keyed hashes), and the text that names both when they differ.
  struct FieldRule {
    char a;
    const char* field_a;
    char b;
    const char* field_b;
    const char* text;
  };
  static constexpr FieldRule kListOrder[] = {
      {'l', "ebcCode", 'o', "ebcCode",
       "清单上的电商企业代码与订单上的电商企业代码不一致 (InventoryHead.ebcCode differs from "
       "OrderHead.ebcCode)"},
      {'l', "h:buyerId", 'o', "h:buyerId",
       "清单上的订购人证件号码与订单上的订购人证件号码不一致 (InventoryHead.buyerIdNumber differs "
       "from OrderHead.buyerIdNumber)"},
      {'l', "h:buyerName", 'o', "h:buyerName",
       "清单上的订购人姓名与订单上的订购人姓名不一致 (InventoryHead.buyerName differs from "
       "OrderHead.buyerName)"},
      {'l', "h:buyerTelephone", 'o', "h:buyerTelephone",
       "清单上的订购人电话号码与订单上的订购人电话号码不一致 (InventoryHead.buyerTelephone differs "
       "from OrderHead.buyerTelephone)"},
      {'l', "h:consigneeAddress", 'o', "h:consigneeAddress",
       "清单上的收货地址与订单上的收货地址不一致 (InventoryHead.consigneeAddress differs from "
       "OrderHead.consigneeAddress)"},
  };
  static constexpr FieldRule kWaybillOrder[] = {
      {'w', "h:consignee", 'o', "h:consignee",
       "运单上的收货人姓名与订单上的收货人姓名不一致 (LogisticsHead.consignee differs from "
       "OrderHead.consignee)"},
      {'w', "h:consigneeTelephone", 'o', "h:consigneeTelephone",
       "运单上的收货人电话与订单上的收货人电话不一致 (LogisticsHead.consigneeTelephone differs "
       "from OrderHead.consigneeTelephone)"},
      {'w', "h:consigneeAddress", 'o', "h:consigneeAddress",
       "运单上的收货地址与订单上的收货地址不一致 (LogisticsHead.consigneeAddress differs from "
       "OrderHead.consigneeAddress)"},
  };

  // The first rule of `rules` that fails, if any.
  template <size_t N>
  static std::optional<Mismatch> FirstDifference(const FieldRule (&rules)[N], const Facts& l,
                                                 const Facts& o, const Facts& w) {
    auto doc = [&](char c) -> const Facts& { return c == 'l' ? l : c == 'o' ? o : w; };
    for (const FieldRule& r : rules) {
      if (doc(r.a).Get(r.field_a) != doc(r.b).Get(r.field_b)) return Mismatch{r.text};
    }
    return std::nullopt;
  }

  // The three-document match of a list against its order, payment and waybill.
  std::optional<Mismatch> Match(const Parcel& p, const Facts& w, bool identity_verified) {
    const Facts& l = p.list;
    const Facts& o = p.order;
    const Facts& pay = p.payment;
    // List and order.
    if (auto m = FirstDifference(kListOrder, l, o, w)) return m;
    if (Dec(l.Get("freight")) != Dec(o.Get("freight")))
      return Mismatch{"清单上的运费与订单上的运杂费不一致 (InventoryHead.freight " +
                      l.Get("freight") + " differs from OrderHead.freight " + o.Get("freight") +
                      ")"};
    if (l.lines.size() != o.lines.size())
      return Mismatch{"清单商品项数[" + std::to_string(l.lines.size()) + "]与订单商品项数[" +
                      std::to_string(o.lines.size()) +
                      "]不一致 (InventoryList and OrderList must correspond one to one by gnum)"};
    for (const Fields& ll : l.lines) {
      const std::string& gnum = ll.at("gnum");
      auto it = std::find_if(o.lines.begin(), o.lines.end(),
                             [&](const Fields& ol) { return ol.at("gnum") == gnum; });
      if (it == o.lines.end())
        return Mismatch{"清单商品序号[" + gnum + "]在订单中不存在 (InventoryList.gnum " + gnum +
                        " has no OrderList.gnum)"};
      if (ll.at("gname") != it->at("itemName"))
        return Mismatch{"清单第" + gnum +
                        "项的商品名称与订单上的商品名称不一致 (InventoryList.gname differs from "
                        "OrderList.itemName)"};
      if (Dec(ll.at("qty")) != Dec(it->at("qty")))
        return Mismatch{
            "清单第" + gnum +
            "项的数量与订单上的数量不一致 (InventoryList.qty differs from OrderList.qty)"};
      if (Dec(ll.at("totalPrice")) != Dec(it->at("totalPrice")))
        return Mismatch{"清单第" + gnum +
                        "项的总价与订单上的总价不一致 (InventoryList.totalPrice differs from "
                        "OrderList.totalPrice)"};
    }
    // Order and payment.
    Decimal paid = Dec(o.Get("acturalPaid"));
    if (Dec(pay.Get("amountPaid")) != paid)
      return Mismatch{"支付单上的支付金额[" + pay.Get("amountPaid") + "]与订单上的实际支付金额[" +
                      o.Get("acturalPaid") +
                      "]不一致 (PaymentHead.amountPaid differs from OrderHead.acturalPaid)"};
    Decimal expect = Dec(o.Get("goodsValue")) + Dec(o.Get("freight")) + Dec(o.Get("taxTotal")) -
                     Dec(o.Get("discount"));
    if (expect != paid)
      return Mismatch{"订单实际支付金额[" + o.Get("acturalPaid") +
                      "]不等于商品价格+运杂费+代扣税款-非现金抵扣金额[" + Money(expect) +
                      "] (acturalPaid must equal goodsValue + freight + taxTotal - discount)"};
    if (!identity_verified) {
      if (pay.Get("h:payerId") != o.Get("h:buyerId") ||
          pay.Get("h:payerName") != o.Get("h:buyerName"))
        return Mismatch{
            "支付单上的支付人与订单上的订购人不一致，且电商平台未经身份核验备案 (payer differs "
            "from buyer: PaymentHead.payerIdNumber/payerName vs OrderHead.buyerIdNumber/buyerName; "
            "allowed only for identity-verifying platforms)"};
    }
    // Order and waybill.
    if (auto m = FirstDifference(kWaybillOrder, l, o, w)) return m;
    if (!w.Get("orderNo").empty() && w.Get("orderNo") != o.Get("orderNo"))
      return Mismatch{
          "运单上的订单编号与清单上的订单编号不一致 (LogisticsHead.orderNo differs from "
          "InventoryHead.orderNo)"};
    return std::nullopt;
  }

  bool IdentityVerified(const std::string& ebp) {
    {
      std::lock_guard lock(mu_);
      auto it = identity_.find(ebp);
      if (it != identity_.end()) return it->second;
    }
    auto e = store_->FindEnterprise(ebp);
    bool v = e.ok() && e->has_value() && (*e)->HasRole("identity");
    std::lock_guard lock(mu_);
    identity_[ebp] = v;
    return v;
  }

  // Runs the match and the decision once the list and all three documents are in.
  Status TryClear(store::WriteTxn& txn, const std::string& pkey, Parcel& p, Timestamp t) {
    Facts& l = p.list;
    if (l.empty() || l.Get("state") != "waiting") return Status::Ok();
    if (p.order.empty() || p.payment.empty()) return Status::Ok();
    ASSIGN_OR_RETURN(Facts w,
                     LoadFacts(txn, "waybill", Join(l.Get("logisticsCode"), l.Get("logisticsNo"))));
    if (w.empty()) return Status::Ok();
    RETURN_IF_ERROR(txn.DeleteState("wait", TimeKey(std::stoll(l.Get("since"))) + kSep + pkey));
    if (auto m = Match(p, w, IdentityVerified(l.Get("ebpCode")))) {
      RETURN_IF_ERROR(Move(txn, l, t, {{"100", "三单对碰失败：" + m->info}}));
      l["state"] = "refused";
      return SaveParcel(txn, pkey, p);
    }
    RETURN_IF_ERROR(Clear(txn, p, w, t, pkey));
    return SaveParcel(txn, pkey, p);
  }

  // The quota, tax, stock and lane of a matched list.
  Status Clear(store::WriteTxn& txn, Parcel& p, Facts& w, Timestamp t, const std::string& pkey) {
    Facts& l = p.list;
    Timestamp declared{std::stoll(l.Get("since"))};
    int year = YearOf(declared);
    std::string qkey = std::to_string(year) + kSep + l.Get("h:buyerId");
    ASSIGN_OR_RETURN(std::optional<std::string> used_text, txn.GetState("quota", qkey));
    Decimal used = used_text ? Dec(*used_text) : Decimal();

    tax::QuoteRequest req;
    req.date = declared;
    req.trade_mode = l.Get("tradeMode");
    req.freight = Dec(l.Get("freight"));
    req.insured_fee = Dec(l.Get("insuredFee"));
    req.annual_used_before = used;
    for (const Fields& ll : l.lines) {
      tax::Line line;
      line.gcode = ll.at("gcode");
      line.item_name = ll.at("gname");
      line.unit = ll.at("unit");
      line.qty = Dec(ll.at("qty"));
      line.price = Dec(ll.at("price"));
      ResolveConsumption(ll, declared, line);
      req.lines.push_back(std::move(line));
    }
    StatusOr<tax::Quote> quote = tax::ComputeQuote(req, *opt_.tariff);
    if (!quote.ok()) {
      RETURN_IF_ERROR(Move(txn, l, t, {{"100", "税款计算失败：" + quote.status().message()}}));
      l["state"] = "refused";
      return Status::Ok();
    }
    const tax::Policy& policy = opt_.tariff->PolicyAt(declared);
    if (quote->regime == "refused") {
      // Which limit: a single indivisible item over the single limit may use the retail
      // channel (49号) unless the year would go over; anything else over the single limit
      // is over the single limit.
      bool over_single = quote->dutiable_value > policy.single_limit;
      bool over_annual = used + quote->dutiable_value > policy.annual_limit;
      bool indivisible = req.lines.size() == 1 && req.lines[0].qty == Decimal::FromInt(1) &&
                         policy.indivisible_item == tax::IndivisibleItemRule::kRetailFull;
      std::string code, info;
      if (over_single && !indivisible) {
        code = "-621005";
        info = "订购人单次交易金额[" + Money(quote->dutiable_value) + "]超过单次限值[" +
               Money(policy.single_limit) +
               "] (goods + freight + insurance over the single-transaction limit)";
      } else if (over_annual) {
        code = "-621018";
        info = "订购人年度交易累计金额[" + Money(used) + "+" + Money(quote->dutiable_value) +
               "]超过年度限值[" + Money(policy.annual_limit) +
               "] (the buyer's annual quota would be exceeded)";
      } else {
        code = "100";
        info = "不符合跨境电商零售进口条件：";
        for (const std::string& r : quote->reasons) info += r + "；";
      }
      RETURN_IF_ERROR(Move(txn, l, t, {{code, info}}));
      l["state"] = "refused";
      return Status::Ok();
    }
    // Bonded stock: every line must be an item of the warehouse's ledger (账册), declared
    // under the HS code the item was brought in with, and in stock.
    bool bonded = l.Get("tradeMode") == "1210";
    if (bonded) {
      for (const Fields& ll : l.lines) {
        std::string skey = Join(l.Get("areaCode"), ll.at("itemRecordNo"));
        ASSIGN_OR_RETURN(Facts s, LoadFacts(txn, "stock", skey));
        if (!s.Get("gcode").empty() && s.Get("gcode") != ll.at("gcode")) {
          RETURN_IF_ERROR(Move(
              txn, l, t,
              {{"100", "清单第" + ll.at("gnum") + "项商品编码[" + ll.at("gcode") + "]与账册料号[" +
                           ll.at("itemRecordNo") + "]入区备案的商品编码[" + s.Get("gcode") +
                           "]不一致 (InventoryList.gcode differs from the HS code the item "
                           "entered the bonded ledger with)"}}));
          l["state"] = "refused";
          return Status::Ok();
        }
        Decimal balance = Dec(s.Get("in")) - Dec(s.Get("out")) + Dec(s.Get("returned"));
        if (balance < Dec(ll.at("qty"))) {
          RETURN_IF_ERROR(
              Move(txn, l, t,
                   {{"100", "账册库存不足：区内企业[" + l.Get("areaCode") + "]料号[" +
                                ll.at("itemRecordNo") + "]库存[" + Plain(balance) +
                                "]小于申报数量[" + ll.at("qty") + "] (bonded stock short)"}}));
          l["state"] = "refused";
          return Status::Ok();
        }
      }
      for (const Fields& ll : l.lines) {
        std::string skey = Join(l.Get("areaCode"), ll.at("itemRecordNo"));
        ASSIGN_OR_RETURN(Facts s, LoadFacts(txn, "stock", skey));
        s["out"] = Plain(Dec(s.Get("out")) + Dec(ll.at("qty")));
        RETURN_IF_ERROR(txn.PutState("stock", skey, EncodeFacts(s)));
      }
      l["stockOut"] = "1";
    }
    // Take the quota.
    Decimal amount = quote->dutiable_value;
    RETURN_IF_ERROR(txn.PutState("quota", qkey, Plain(used + amount)));
    std::string invt_no = InvtNo(l, t);
    RETURN_IF_ERROR(txn.PutState("ledger", std::to_string(year) + kSep + invt_no, Plain(amount)));
    RETURN_IF_ERROR(txn.PutState("invt", invt_no, pkey));
    l["k:invtNo"] = invt_no;
    l["amount"] = Plain(amount);
    l["year"] = std::to_string(year);
    l["regime"] = quote->regime;
    l["taxTotal"] = Money(quote->tax_total);
    // The tax the list owes, line by line (kept on the bill).
    Facts bill;
    bill["invtNo"] = invt_no;
    bill["taxNo"] = "T" + invt_no;
    bill["customsTax"] = Money(quote->customs_tax);
    bill["valueAddedTax"] = Money(quote->value_added_tax);
    bill["consumptionTax"] = Money(quote->consumption_tax);
    bill["taxTotal"] = Money(quote->tax_total);
    bill["regime"] = quote->regime;
    bill["status"] = "0";  // not issued until release
    for (const char* f : {"assureCode", "ebcCode", "logisticsCode", "agentCode", "customsCode",
                          "orderNo", "logisticsNo", "copNo"}) {
      bill[f] = l.Get(f);
    }
    for (size_t i = 0; i < quote->lines.size(); ++i) {
      const tax::LineTax& lt = quote->lines[i];
      Fields line;
      line["gnum"] = l.lines[i].at("gnum");
      line["gcode"] = l.lines[i].at("gcode");
      line["qty"] = l.lines[i].at("qty");
      line["taxPrice"] = Money(lt.dutiable_value);
      line["customsTax"] = Money(lt.customs_tax);
      line["valueAddedTax"] = Money(lt.value_added_tax);
      line["consumptionTax"] = Money(lt.consumption_tax);
      bill.lines.push_back(std::move(line));
    }
    // 120 for the list and the three documents it matched; on the release lane 399 and
    // 800 follow in the same step (one row update per document).
    std::string ok_info = "逻辑校验通过[" + invt_no + "]";
    std::string list_ok = "逻辑校验通过，清单编号[" + invt_no + "]";
    std::string wkey = Join(l.Get("logisticsCode"), l.Get("logisticsNo"));
    l["state"] = "held";
    LaneDecision lane;
    if (opt_.risk != nullptr) {
      ASSIGN_OR_RETURN(lane, opt_.risk->Screen(txn, ScreenFactsOf(p, w, policy, amount)));
      if (!lane.hit_rules.empty() && opt_.stats != nullptr) {
        RETURN_IF_ERROR(opt_.stats->RiskHits(txn, StatListOf(l), lane.hit_rules, t));
      }
    }
    if (lane.guarantee_required) {
      l["guaranteeRequired"] = "1";
      ASSIGN_OR_RETURN(std::optional<std::string> shortfall,
                       GuaranteeShortfall(txn, l.Get("assureCode"), quote->tax_total));
      if (shortfall && lane.lane == Lane::kRelease) lane = {Lane::kManual, *shortfall, true, {}};
    }
    if (lane.lane != Lane::kRelease) {
      RETURN_IF_ERROR(txn.PutState("taxbill", invt_no, EncodeFacts(bill)));
      bool inspect = lane.lane == Lane::kInspect;
      RETURN_IF_ERROR(Move(txn, l, t, {{"120", list_ok}, {inspect ? "500" : "300", lane.reason}}));
      for (Facts* d : {&p.order, &p.payment, &w}) {
        RETURN_IF_ERROR(Move(txn, *d, t, {{"120", ok_info}}));
      }
      return txn.PutState("waybill", wkey, EncodeFacts(w));
    }
    std::string concluded = "海关审结[" + invt_no + "]";
    RETURN_IF_ERROR(
        Move(txn, l, t, {{"120", list_ok}, {"399", concluded}, {"800", "放行[" + invt_no + "]"}}));
    for (Facts* d : {&p.order, &p.payment, &w}) {
      RETURN_IF_ERROR(Move(txn, *d, t, {{"120", ok_info}, {"399", concluded}}));
    }
    RETURN_IF_ERROR(txn.PutState("waybill", wkey, EncodeFacts(w)));
    return Books(txn, p, t, bill);
  }

  // What risk control is shown of a matched list: its keys, the parties, the buyer and
  // consignee as hashes, the amount, weights and lines.
  static ScreenFacts ScreenFactsOf(const Parcel& p, const Facts& w, const tax::Policy& policy,
                                   Decimal amount) {
    const Facts& l = p.list;
    auto since = [](const Facts& d) {
      return Timestamp{d.Get("since").empty() ? 0 : std::stoll(d.Get("since"))};
    };
    ScreenFacts f = ScreenFactsOfList(l);
    f.order_at = since(p.order);
    f.payment_at = since(p.payment);
    f.waybill_at = since(w);
    f.buyer = l.Get("h:buyerId");
    f.consignee = p.order.Get("h:consignee");
    f.consignee_phone = p.order.Get("h:consigneeTelephone");
    f.address = p.order.Get("h:consigneeAddress");
    f.value = amount;
    f.single_limit = policy.single_limit;
    f.waybill_weight = Dec(w.Get("weight"));
    return f;
  }

  // A consumption-tax threshold per ml or g (high-end cosmetics) cannot be tested on a
  // price per bottle or box: the content is read from the goods model or name ("50ml",
  // "230毫升", "3.5克", "10片"), and failing that the package is taken as one piece.
  void ResolveConsumption(const Fields& ll, Timestamp date, tax::Line& line) {
    tax::ConsumptionResult ct = opt_.tariff->Consumption(line.gcode, line.unit, line.price, date);
    if (ct.undetermined.empty()) return;
    std::string unit = "011";
    Decimal per_unit = line.price;
    for (const char* field : {"gmodel", "gname"}) {
      auto it = ll.find(field);
      if (it == ll.end()) continue;
      if (auto content = ReadContent(it->second)) {
        unit = content->first;
        per_unit = line.price.Div(content->second);
        break;
      }
    }
    line.consumption = opt_.tariff->Consumption(line.gcode, unit, per_unit, date).rate;
  }

  // The first "<number><unit>" in `text` with a unit of volume, mass or sheets: the unit
  // code the tariff table knows (096 ml, 036 g, 011 piece) and the amount.
  static std::optional<std::pair<std::string, Decimal>> ReadContent(const std::string& text) {
    static const std::pair<const char*, const char*> kUnits[] = {
        {"毫升", "096"}, {"ml", "096"}, {"mL", "096"}, {"ML", "096"},
        {"克", "036"},   {"g", "036"},  {"G", "036"},  {"片", "011"}};
    for (size_t i = 0; i < text.size(); ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) continue;
      if (i > 0 && (std::isdigit(static_cast<unsigned char>(text[i - 1])) || text[i - 1] == '.'))
        continue;
      size_t j = i;
      while (j < text.size() &&
             (std::isdigit(static_cast<unsigned char>(text[j])) || text[j] == '.'))
        ++j;
      size_t k = j;
      while (k < text.size() && text[k] == ' ') ++k;
      for (const auto& [word, code] : kUnits) {
        if (text.compare(k, std::strlen(word), word) != 0) continue;
        if (std::strcmp(word, "g") == 0 && k > 0 && text[k - 1] == 'k') continue;
        auto amount = Decimal::Parse(text.substr(i, j - i));
        if (amount.ok() && !amount->IsZero()) return std::make_pair(std::string(code), *amount);
      }
    }
    return std::nullopt;
  }

  // 4-digit customs code + 4-digit year + I + 9 digits of the list's document id: 18.
  static std::string InvtNo(const Facts& l, Timestamp t) {
    char buf[40];
    std::string customs = l.Get("customsCode");
    customs.resize(4, '0');
    std::snprintf(buf, sizeof buf, "%s%04dI%09lld", customs.c_str(), YearOf(t),
                  std::stoll(l.Get("id")) % 1000000000LL);
    return buf;
  }

  // 399 and 800 for the list, 399 for the documents it matched, and the tax bill issued.
  Status Release(store::WriteTxn& txn, Parcel& p, Timestamp t, const std::string& why) {
    Facts& l = p.list;
    const std::string& invt_no = l.Get("k:invtNo");
    std::string concluded = "海关审结[" + invt_no + "]" + (why.empty() ? "" : " " + why);
    RETURN_IF_ERROR(Move(txn, l, t, {{"399", concluded}, {"800", "放行[" + invt_no + "]"}}));
    ASSIGN_OR_RETURN(Facts w,
                     LoadFacts(txn, "waybill", Join(l.Get("logisticsCode"), l.Get("logisticsNo"))));
    for (Facts* d : {&p.order, &p.payment, &w}) {
      if (d->empty()) continue;
      RETURN_IF_ERROR(Move(txn, *d, t, {{"399", "海关审结[" + invt_no + "]"}}));
    }
    if (!w.empty()) {
      RETURN_IF_ERROR(txn.PutState("waybill", Join(l.Get("logisticsCode"), l.Get("logisticsNo")),
                                   EncodeFacts(w)));
    }
    ASSIGN_OR_RETURN(Facts bill, LoadFacts(txn, "taxbill", invt_no));
    return Books(txn, p, t, bill);
  }

  // What release sets going: the list's return and tax windows, and its tax bill issued
  // (CEB816, status 1) to the guarantor, counted against the guarantee.
  // Why the guarantor's tax guarantee does not cover `tax` with what is outstanding, or
  // nothing when it does (a dishonest enterprise's list waits for that: 联合惩戒).
  StatusOr<std::optional<std::string>> GuaranteeShortfall(store::WriteTxn& txn,
                                                          const std::string& assure, Decimal tax) {
    ASSIGN_OR_RETURN(Facts g, LoadFacts(txn, "guarantee", assure));
    Decimal balance = Dec(g.Get("balance"));
    Decimal need = Dec(g.Get("outstanding")) + tax;
    if (!g.empty() && need <= balance) return std::optional<std::string>();
    return std::optional<std::string>(
        "失信企业须提供足额税款担保：担保企业[" + assure + "]担保余额[" + Money(balance) +
        "]不足以覆盖待缴税款[" + Money(need) +
        "] (joint punishment: the guarantee must cover the tax before release)");
  }

  Status Books(store::WriteTxn& txn, Parcel& p, Timestamp t, Facts& bill) {
    Facts& l = p.list;
    const std::string& invt_no = l.Get("k:invtNo");
    l["state"] = "released";
    l["releaseMs"] = std::to_string(t.millis);
    RETURN_IF_ERROR(txn.PutState("taxdue", TimeKey(t.millis) + kSep + invt_no, ""));
    bill["status"] = "1";
    bill["releaseMs"] = std::to_string(t.millis);
    // The guarantee must cover what is outstanding. A bill is counted in the outstanding
    // amount ("guaranteed") only when a guarantee is lodged at release, so that paying,
    // voiding or returning a bill issued before takes off only what was added.
    const std::string& assure = bill.Get("assureCode");
    ASSIGN_OR_RETURN(Facts g, LoadFacts(txn, "guarantee", assure));
    if (!g.empty()) bill["guaranteed"] = "1";
    RETURN_IF_ERROR(txn.PutState("taxbill", invt_no, EncodeFacts(bill)));
    RETURN_IF_ERROR(SendBill(txn, bill, t));
    Decimal tax = Dec(bill.Get("taxTotal"));
    if (g.empty()) {
      if (!tax.IsZero()) {
        RETURN_IF_ERROR(Alert(txn, t, invt_no, "no-guarantee", assure,
                              "担保企业[" + assure + "]未提供税款担保，税款[" + Money(tax) +
                                  "]须在放行后第" + std::to_string(opt_.tax_due_days) +
                                  "天前缴纳 (no tax guarantee lodged)"));
      }
      return Status::Ok();
    }
    Decimal outstanding = Dec(g.Get("outstanding")) + tax;
    g["outstanding"] = Money(outstanding);
    RETURN_IF_ERROR(txn.PutState("guarantee", assure, EncodeFacts(g)));
    if (outstanding > Dec(g.Get("balance"))) {
      RETURN_IF_ERROR(Alert(txn, t, invt_no, "guarantee-short", assure,
                            "担保余额[" + g.Get("balance") + "]不足以覆盖待缴税款[" +
                                Money(outstanding) + "] (the guarantee would go negative)"));
    }
    return Status::Ok();
  }

  Status SendBill(store::WriteTxn& txn, const Facts& bill, Timestamp t) {
    std::set<std::string> to;
    for (const char* f : {"assureCode", "agentCode"}) {
      if (!bill.Get(f).empty()) to.insert(bill.Get(f));
    }
    std::string xml = ceb::EncodeXml(BuildTaxBill(bill, t));
    for (const std::string& r : to) {
      store::ReceiptRow rr;
      rr.recipient = r;
      rr.type = "CEB816";
      rr.return_status = bill.Get("status");
      rr.return_info =
          "电子税单[" + bill.Get("taxNo") + "]" + TaxBillStatusText(bill.Get("status"));
      rr.keys_json = "{\"kind\":\"taxbills\",\"key\":\"" + bill.Get("taxNo") + "\",\"invtNo\":\"" +
                     bill.Get("invtNo") + "\"}";
      rr.xml = xml;
      rr.time_ms = t.millis;
      RETURN_IF_ERROR(txn.AddReceipt(rr));
    }
    return Status::Ok();
  }

  // Gives back what a list took: quota (all of what it holds), tax bill (void), stock.
  Status Reverse(store::WriteTxn& txn, Parcel& p, Timestamp t, bool restore_stock) {
    Facts& l = p.list;
    const std::string& invt_no = l.Get("k:invtNo");
    if (invt_no.empty()) return Status::Ok();
    RETURN_IF_ERROR(GiveBackQuota(txn, l, Dec(l.Get("amount")) - Dec(l.Get("returnedAmount"))));
    ASSIGN_OR_RETURN(Facts bill, LoadFacts(txn, "taxbill", invt_no));
    if (!bill.empty() && bill.Get("status") != "3") {
      bool issued = bill.Get("status") == "1";
      Decimal due = Dec(bill.Get("taxTotal"));
      bill["status"] = "3";
      RETURN_IF_ERROR(txn.PutState("taxbill", invt_no, EncodeFacts(bill)));
      if (issued) RETURN_IF_ERROR(SendBill(txn, bill, t));
      if (issued && bill.Get("guaranteed") == "1") {
        RETURN_IF_ERROR(Outstanding(txn, bill.Get("assureCode"), Decimal() - due));
      }
    }
    if (restore_stock && l.Get("stockOut") == "1") {
      RETURN_IF_ERROR(StockBack(txn, l, nullptr));
      l["stockOut"] = "";
    }
    if (!l.Get("releaseMs").empty()) {
      RETURN_IF_ERROR(
          txn.DeleteState("taxdue", TimeKey(std::stoll(l.Get("releaseMs"))) + kSep + invt_no));
    }
    return Status::Ok();
  }

  Status GiveBackQuota(store::WriteTxn& txn, Facts& l, Decimal amount) {
    if (amount.IsZero()) return Status::Ok();
    std::string qkey = l.Get("year") + kSep + l.Get("h:buyerId");
    ASSIGN_OR_RETURN(std::optional<std::string> used, txn.GetState("quota", qkey));
    Decimal left = (used ? Dec(*used) : Decimal()) - amount;
    RETURN_IF_ERROR(txn.PutState("quota", qkey, Plain(left)));
    std::string lkey = l.Get("year") + kSep + l.Get("k:invtNo");
    Decimal held = Dec(l.Get("amount")) - Dec(l.Get("returnedAmount")) - amount;
    if (held.IsZero() || held.IsNegative()) return txn.DeleteState("ledger", lkey);
    return txn.PutState("ledger", lkey, Plain(held));
  }

  Status Outstanding(store::WriteTxn& txn, const std::string& code, Decimal delta) {
    ASSIGN_OR_RETURN(Facts g, LoadFacts(txn, "guarantee", code));
    if (g.empty()) return Status::Ok();
    g["outstanding"] = Money(Dec(g.Get("outstanding")) + delta);
    return txn.PutState("guarantee", code, EncodeFacts(g));
  }

  // Puts goods back into bonded stock: every line, or the returned quantities.
  Status StockBack(store::WriteTxn& txn, const Facts& l, const Fields* returned_qty) {
    for (const Fields& ll : l.lines) {
      Decimal q = Dec(ll.at("qty"));
      if (returned_qty != nullptr) {
        auto it = returned_qty->find(ll.at("gnum"));
        if (it == returned_qty->end()) continue;
        q = Dec(it->second);
      }
      std::string skey = Join(l.Get("areaCode"), ll.at("itemRecordNo"));
      ASSIGN_OR_RETURN(Facts s, LoadFacts(txn, "stock", skey));
      s["returned"] = Plain(Dec(s.Get("returned")) + q);
      RETURN_IF_ERROR(txn.PutState("stock", skey, EncodeFacts(s)));
    }
    return Status::Ok();
  }

  // ---------------------------------------------------------------- cancels

  // The list a cancel or return names by invtNo, or why it cannot be acted on: no such
  // list (`not_found`), or the order has moved on to a newer list (`state`).
  struct Named {
    Parcel parcel;
    std::optional<intake::HookRefusal> refusal;
  };
  StatusOr<Named> NamedList(store::WriteTxn& txn, const std::string& invt_no, const char* not_found,
                            const char* state, const char* action_zh) {
    Named out;
    ASSIGN_OR_RETURN(std::optional<std::string> pkey, txn.GetState("invt", invt_no));
    if (!pkey) {
      out.refusal = intake::HookRefusal{
          not_found, "未找到清单编号[" + invt_no + "]对应的进口清单 (no list with this invtNo)"};
      return out;
    }
    ASSIGN_OR_RETURN(out.parcel, LoadParcel(txn, *pkey));
    const Facts& l = out.parcel.list;
    if (l.Get("k:invtNo") != invt_no) {
      out.refusal = intake::HookRefusal{state, "清单[" + invt_no + "]已被订单的新清单[" +
                                                   l.Get("copNo") + "]取代，不允许" + action_zh +
                                                   " (the order is on a newer list)"};
    }
    return out;
  }

  StatusOr<std::optional<intake::HookRefusal>> CheckCancel(store::WriteTxn& txn,
                                                           const intake::AppliedEntity& e) {
    using R = std::optional<intake::HookRefusal>;
    std::string invt_no(e.head->Get("invtNo"));
    ASSIGN_OR_RETURN(Named named, NamedList(txn, invt_no, "-623003", "-623005", "撤销"));
    if (named.refusal) return named.refusal;
    const Facts& l = named.parcel.list;
    if (l.Get("agentCode") != e.head->Get("agentCode")) {
      return R(intake::HookRefusal{
          "-623005",
          "撤销申请的申报企业与原清单的申报企业不一致 (agentCode differs from the list's)"});
    }
    const std::string& state = l.Get("state");
    if (state != "held" && state != "released") {
      return R(intake::HookRefusal{
          "-623005", "清单[" + invt_no + "]状态[" + l.Get("status") +
                         "]不允许撤销 (only a list in customs' hands or released, not closed, "
                         "cancelled or returned, can be cancelled)"});
    }
    if (!l.Get("returnPending").empty() || !l.Get("returnedAmount").empty()) {
      return R(intake::HookRefusal{
          "-623005", "清单[" + invt_no + "]已申请退货，不允许撤销 (a return exists)"});
    }
    return R();
  }

  // The intake calls the hook once the whole message is stored, so an earlier cancel or
  // return of the same message may have changed the list since Check: `check` is Check run
  // again. A refusal now refuses the stored cancel or return (true).
  StatusOr<bool> Recheck(store::WriteTxn& txn, const intake::AppliedEntity& e,
                         StatusOr<std::optional<intake::HookRefusal>> check) {
    if (!check.ok()) return check.status();
    if (!check->has_value()) return false;
    Facts doc = DocFacts(e);
    RETURN_IF_ERROR(Move(txn, doc, e.time, {{(*check)->return_status, (*check)->return_info}}));
    return true;
  }

  Status OnCancel(store::WriteTxn& txn, const intake::AppliedEntity& e) {
    if (e.row->status != "2") return Status::Ok();  // saved (暂存), not declared
    ASSIGN_OR_RETURN(bool refused, Recheck(txn, e, CheckCancel(txn, e)));
    if (refused) return Status::Ok();
    std::string invt_no(e.head->Get("invtNo"));
    ASSIGN_OR_RETURN(std::optional<std::string> pkey, txn.GetState("invt", invt_no));
    if (!pkey) return Status::Ok();
    ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, *pkey));
    Facts c = DocFacts(e);
    RETURN_IF_ERROR(Reverse(txn, p, e.time, /*restore_stock=*/true));
    RETURN_IF_ERROR(
        Move(txn, p.list, e.time,
             {{"100", "清单已撤销[" + e.row->key + "]：" + std::string(e.head->Get("reason")) +
                          " (cancelled; quota, tax and stock given back)"}}));
    p.list["state"] = "cancelled";
    RETURN_IF_ERROR(Move(txn, c, e.time, {{"399", "撤销申请审核通过[" + invt_no + "]"}}));
    return SaveParcel(txn, *pkey, p);
  }

  // ---------------------------------------------------------------- returns

  StatusOr<std::optional<intake::HookRefusal>> CheckReturn(store::WriteTxn& txn,
                                                           const intake::AppliedEntity& e) {
    using R = std::optional<intake::HookRefusal>;
    std::string invt_no(e.head->Get("invtNo"));
    ASSIGN_OR_RETURN(Named named, NamedList(txn, invt_no, "-625003", "-625005", "退货"));
    if (named.refusal) return named.refusal;
    const Facts& l = named.parcel.list;
    if (l.Get("state") != "released") {
      return R(intake::HookRefusal{
          "-625005", "清单[" + invt_no + "]状态[" + l.Get("status") +
                         "]不允许退货 (only a released list within the return window)"});
    }
    if (!l.Get("returnPending").empty()) {
      return R(intake::HookRefusal{"-625005", "清单[" + invt_no + "]已有退货申请[" +
                                                  l.Get("returnPending") +
                                                  "]在处理中 (a return is pending)"});
    }
    int64_t released = std::stoll(l.Get("releaseMs"));
    int64_t days = (e.time.millis - released) / kDayMs;
    if (e.time.millis - released > opt_.return_apply_days * kDayMs) {
      return R(intake::HookRefusal{
          "-625005", "退货申请时间超过清单放行之日起" + std::to_string(opt_.return_apply_days) +
                         "天 (applied " + std::to_string(days) + " days after release on " +
                         FormatC8(Timestamp{released}) + "; returns must be applied within " +
                         std::to_string(opt_.return_apply_days) + " days)"});
    }
    ASSIGN_OR_RETURN(Facts returned, LoadFacts(txn, "returned", invt_no));
    for (const ceb::Node* n : e.entity->All("InvtRefundList")) {
      std::string gnum(n->Get("gnum"));
      auto it = std::find_if(l.lines.begin(), l.lines.end(),
                             [&](const Fields& f) { return f.at("gnum") == gnum; });
      if (it == l.lines.end() || it->at("gcode") != n->Get("gcode")) {
        return R(intake::HookRefusal{"-625209", "退货商品序号[" + gnum + "]商品编码[" +
                                                    std::string(n->Get("gcode")) +
                                                    "]在原清单中不存在 (line not on the list)"});
      }
      Decimal q = Dec(std::string(n->Get("qty")));
      Decimal before = Dec(returned.Get(gnum));
      if (q.IsZero() || q + before > Dec(it->at("qty"))) {
        return R(intake::HookRefusal{
            "-625209", "退货商品序号[" + gnum + "]数量[" + Plain(q) + "]超过清单可退数量[" +
                           Plain(Dec(it->at("qty")) - before) + "] (more than was declared)"});
      }
    }
    return R();
  }

  Status OnReturn(store::WriteTxn& txn, const intake::AppliedEntity& e) {
    if (e.row->status != "2") return Status::Ok();  // saved (暂存), not declared
    ASSIGN_OR_RETURN(bool refused, Recheck(txn, e, CheckReturn(txn, e)));
    if (refused) return Status::Ok();
    std::string invt_no(e.head->Get("invtNo"));
    ASSIGN_OR_RETURN(std::optional<std::string> pkey, txn.GetState("invt", invt_no));
    if (!pkey) return Status::Ok();
    ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, *pkey));
    Facts& l = p.list;
    Facts r = DocFacts(e);
    for (const ceb::Node* n : e.entity->All("InvtRefundList")) {
      r.lines.push_back(
          Fields{{"gnum", std::string(n->Get("gnum"))}, {"qty", std::string(n->Get("qty"))}});
    }
    l["returnPending"] = e.row->key;
    int64_t deadline = std::stoll(l.Get("releaseMs")) + opt_.return_arrive_days * kDayMs;
    RETURN_IF_ERROR(txn.PutState("retwait", TimeKey(deadline) + kSep + invt_no, *pkey));
    RETURN_IF_ERROR(
        Move(txn, r, e.time,
             {{"120", "退货申请已受理，待退货商品在" + FormatC8(Timestamp{deadline}) +
                          "前运抵原监管场所 (accepted; the goods must arrive by then)"}}));
    RETURN_IF_ERROR(txn.PutState("return", invt_no, EncodeFacts(r)));
    if (opt_.risk != nullptr) {
      RETURN_IF_ERROR(opt_.risk->Event(txn, l.Get("ebcCode"), "returned", e.time));
    }
    RETURN_IF_ERROR(Note(txn, l, e.time, "退货申请[" + e.row->key + "]已受理 (return applied)"));
    return SaveParcel(txn, *pkey, p);
  }

  // The returned goods arrived in time: quota back, tax not levied on them, stock back.
  Status CompleteReturn(store::WriteTxn& txn, const std::string& pkey, Parcel& p, Timestamp t) {
    Facts& l = p.list;
    const std::string& invt_no = l.Get("k:invtNo");
    ASSIGN_OR_RETURN(Facts r, LoadFacts(txn, "return", invt_no));
    ASSIGN_OR_RETURN(Facts bill, LoadFacts(txn, "taxbill", invt_no));
    ASSIGN_OR_RETURN(Facts returned, LoadFacts(txn, "returned", invt_no));
    Decimal value, tax;
    Fields qty_back;
    for (const Fields& rl : r.lines) {
      const std::string& gnum = rl.at("gnum");
      auto bl = std::find_if(bill.lines.begin(), bill.lines.end(),
                             [&](const Fields& f) { return f.at("gnum") == gnum; });
      if (bl == bill.lines.end()) continue;
      Decimal q = Dec(rl.at("qty"));
      Decimal line_qty = Dec(bl->at("qty"));
      Decimal before = Dec(returned.Get(gnum));
      Decimal after = before + q;
      // The share of the line's value and tax for q of line_qty pieces, so that returning
      // every piece gives back exactly the line's amounts (to the fen).
      auto share = [&](const std::string& field) {
        Decimal whole = Dec(bl->at(field));
        Decimal upto_after = after == line_qty ? whole : whole.Mul(after).Div(line_qty).RoundTo(2);
        Decimal upto_before =
            before == line_qty ? whole : whole.Mul(before).Div(line_qty).RoundTo(2);
        return upto_after - upto_before;
      };
      value += share("taxPrice");
      tax += share("customsTax") + share("valueAddedTax") + share("consumptionTax");
      for (const char* f : {"customsTax", "valueAddedTax", "consumptionTax"}) {
        bill[std::string("returned:") + f] =
            Money(Dec(bill.Get(std::string("returned:") + f)) + share(f));
      }
      returned[gnum] = Plain(after);
      qty_back[gnum] = rl.at("qty");
    }
    RETURN_IF_ERROR(txn.PutState("returned", invt_no, EncodeFacts(returned)));
    RETURN_IF_ERROR(GiveBackQuota(txn, l, value));
    l["returnedAmount"] = Plain(Dec(l.Get("returnedAmount")) + value);
    bill["returnedTax"] = Money(Dec(bill.Get("returnedTax")) + tax);
    RETURN_IF_ERROR(txn.PutState("taxbill", invt_no, EncodeFacts(bill)));
    if (bill.Get("guaranteed") == "1") {
      RETURN_IF_ERROR(Outstanding(txn, bill.Get("assureCode"), Decimal() - tax));
    }
    if (l.Get("tradeMode") == "1210") RETURN_IF_ERROR(StockBack(txn, l, &qty_back));
    if (opt_.stats != nullptr) {
      RETURN_IF_ERROR(opt_.stats->Returned(txn, ReturnedPartOf(l, qty_back), tax, t));
    }
    RETURN_IF_ERROR(
        Move(txn, r, t,
             {{"399", "退货完成：退回年度额度[" + Money(value) + "]，不予征税[" + Money(tax) +
                          "] (goods in; quota restored, tax not levied)"}}));
    RETURN_IF_ERROR(txn.PutState("return", invt_no, EncodeFacts(r)));
    RETURN_IF_ERROR(Note(txn, l, t, "退货完成[" + l.Get("returnPending") + "]"));
    int64_t deadline = std::stoll(l.Get("releaseMs")) + opt_.return_arrive_days * kDayMs;
    RETURN_IF_ERROR(txn.DeleteState("retwait", TimeKey(deadline) + kSep + invt_no));
    l["returnPending"] = "";
    return SaveParcel(txn, pkey, p);
  }

  // ---------------------------------------------------------------- tick

  Status TickWaiting(store::WriteTxn& txn, Timestamp now, TickSummary& sum) {
    std::string to = TimeKey(now.millis - opt_.match_timeout_ms);
    for (;;) {
      ASSIGN_OR_RETURN(auto rows, txn.ScanState("wait", "", to, 500));
      for (auto& [k, v] : rows) {
        RETURN_IF_ERROR(txn.DeleteState("wait", k));
        std::string pkey = k.substr(k.find(kSep) + 1);
        ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, pkey));
        if (p.list.empty() || p.list.Get("state") != "waiting") continue;
        std::vector<std::string> missing;
        if (p.order.empty()) missing.push_back("订单(CEB311 order)");
        if (p.payment.empty()) missing.push_back("支付单(CEB411 payment)");
        ASSIGN_OR_RETURN(
            std::optional<std::string> w,
            txn.GetState("waybill", Join(p.list.Get("logisticsCode"), p.list.Get("logisticsNo"))));
        if (!w) missing.push_back("运单(CEB511 waybill)");
        std::string names;
        for (const std::string& m : missing) names += (names.empty() ? "" : "、") + m;
        int64_t hours = opt_.match_timeout_ms / 3600000;
        RETURN_IF_ERROR(
            Move(txn, p.list, now,
                 {{"100", "三单对碰超时：清单申报后" + std::to_string(hours) + "小时内未收到" +
                              names + " (missing after the match timeout)"}}));
        p.list["state"] = "refused";
        RETURN_IF_ERROR(SaveParcel(txn, pkey, p));
        ++sum.timed_out;
      }
      if (rows.size() < 500) break;
    }
    return Status::Ok();
  }

  Status TickReturns(store::WriteTxn& txn, Timestamp now, TickSummary& sum) {
    std::string to = TimeKey(now.millis);
    for (;;) {
      ASSIGN_OR_RETURN(auto rows, txn.ScanState("retwait", "", to, 500));
      for (auto& [k, pkey] : rows) {
        RETURN_IF_ERROR(txn.DeleteState("retwait", k));
        ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, pkey));
        const std::string invt_no = p.list.Get("k:invtNo");
        ASSIGN_OR_RETURN(Facts r, LoadFacts(txn, "return", invt_no));
        if (r.empty() || p.list.Get("returnPending").empty()) continue;
        RETURN_IF_ERROR(
            Move(txn, r, now,
                 {{"100", "退货商品未在清单放行之日起" + std::to_string(opt_.return_arrive_days) +
                              "天内运抵，退货不予办理 (the goods did not arrive in time; "
                              "quota and tax stay)"}}));
        RETURN_IF_ERROR(txn.PutState("return", invt_no, EncodeFacts(r)));
        p.list["returnPending"] = "";
        RETURN_IF_ERROR(SaveParcel(txn, pkey, p));
        ++sum.returns_failed;
      }
      if (rows.size() < 500) break;
    }
    return Status::Ok();
  }

  // Day 31 after release: the return window is over, the list closes (899) and its tax
  // is payable; it is deducted from the guarantee when the guarantee covers it.
  Status TickTaxDue(store::WriteTxn& txn, Timestamp now, TickSummary& sum) {
    std::string to = TimeKey(now.millis - opt_.return_apply_days * kDayMs);
    std::string from;
    for (;;) {
      ASSIGN_OR_RETURN(auto rows, txn.ScanState("taxdue", from, to, 500));
      for (auto& [k, v] : rows) {
        std::string invt_no = k.substr(k.find(kSep) + 1);
        ASSIGN_OR_RETURN(std::optional<std::string> pkey, txn.GetState("invt", invt_no));
        if (!pkey) {
          RETURN_IF_ERROR(txn.DeleteState("taxdue", k));
          continue;
        }
        ASSIGN_OR_RETURN(Parcel p, LoadParcel(txn, *pkey));
        if (!p.list.Get("returnPending").empty()) continue;  // decided when the return is
        RETURN_IF_ERROR(txn.DeleteState("taxdue", k));
        if (p.list.Get("state") != "released") continue;
        RETURN_IF_ERROR(Move(txn, p.list, now, {{"899", "结关[" + invt_no + "]"}}));
        p.list["state"] = "closed";
        RETURN_IF_ERROR(SaveParcel(txn, *pkey, p));
        ++sum.closed;
        RETURN_IF_ERROR(PayBill(txn, invt_no, now, sum));
      }
      if (rows.size() < 500) break;
      from = rows.back().first + '\0';
    }
    return Status::Ok();
  }

  // Deducts the bill from its guarantor's guarantee, or records it unpaid with an alert.
  Status PayBill(store::WriteTxn& txn, const std::string& invt_no, Timestamp now,
                 TickSummary& sum) {
    ASSIGN_OR_RETURN(Facts bill, LoadFacts(txn, "taxbill", invt_no));
    if (bill.empty() || bill.Get("status") != "1") return Status::Ok();
    Decimal due = Dec(bill.Get("taxTotal")) - Dec(bill.Get("returnedTax"));
    const std::string& assure = bill.Get("assureCode");
    ASSIGN_OR_RETURN(Facts g, LoadFacts(txn, "guarantee", assure));
    int64_t released = std::stoll(bill.Get("releaseMs"));
    if (!g.empty() && Dec(g.Get("balance")) >= due) {
      g["balance"] = Money(Dec(g.Get("balance")) - due);
      if (bill.Get("guaranteed") == "1") g["outstanding"] = Money(Dec(g.Get("outstanding")) - due);
      g["paid"] = Money(Dec(g.Get("paid")) + due);
      RETURN_IF_ERROR(txn.PutState("guarantee", assure, EncodeFacts(g)));
      bill["status"] = "2";
      bill["paid"] = Money(due);
      bill["paidMs"] = std::to_string(now.millis);
      RETURN_IF_ERROR(txn.PutState("taxbill", invt_no, EncodeFacts(bill)));
      RETURN_IF_ERROR(SendBill(txn, bill, now));
      RETURN_IF_ERROR(txn.DeleteState(
          "taxlate", TimeKey(released + opt_.tax_due_days * kDayMs) + kSep + invt_no));
      ++sum.tax_paid;
      return Status::Ok();
    }
    if (due.IsZero()) {
      bill["status"] = "2";
      bill["paid"] = "0.00";
      return txn.PutState("taxbill", invt_no, EncodeFacts(bill));
    }
    std::string key = TimeKey(released + opt_.tax_due_days * kDayMs) + kSep + invt_no;
    ASSIGN_OR_RETURN(std::optional<std::string> known, txn.GetState("taxlate", key));
    if (!known) {
      RETURN_IF_ERROR(txn.PutState("taxlate", key, ""));
      RETURN_IF_ERROR(Alert(txn, now, invt_no, "tax-unpaid", assure,
                            "税款[" + Money(due) + "]已到期应缴，担保余额不足，须在" +
                                FormatC8(Timestamp{released + opt_.tax_due_days * kDayMs}) +
                                "前缴纳 (payable; the guarantee does not cover it)"));
      ++sum.alerts;
    }
    return Status::Ok();
  }

  // Unpaid bills: paid as soon as the guarantee covers them; an alert once overdue.
  Status TickUnpaid(store::WriteTxn& txn, Timestamp now, TickSummary& sum) {
    ASSIGN_OR_RETURN(auto rows, txn.ScanState("taxlate", "", "", 2000));
    for (auto& [k, v] : rows) {
      std::string invt_no = k.substr(k.find(kSep) + 1);
      ASSIGN_OR_RETURN(Facts bill, LoadFacts(txn, "taxbill", invt_no));
      if (bill.Get("status") != "1") {
        RETURN_IF_ERROR(txn.DeleteState("taxlate", k));
        continue;
      }
      RETURN_IF_ERROR(PayBill(txn, invt_no, now, sum));
      ASSIGN_OR_RETURN(Facts after, LoadFacts(txn, "taxbill", invt_no));
      int64_t due = std::stoll(k.substr(0, k.find(kSep)));
      if (after.Get("status") == "1" && now.millis >= due && v.empty()) {
        if (opt_.risk != nullptr) {
          RETURN_IF_ERROR(opt_.risk->Event(txn, bill.Get("assureCode"), "tax_overdue", now));
        }
        RETURN_IF_ERROR(Alert(txn, now, invt_no, "tax-overdue", bill.Get("assureCode"),
                              "税款逾期未缴：已超过放行后第" + std::to_string(opt_.tax_due_days) +
                                  "天 (tax overdue)"));
        RETURN_IF_ERROR(txn.PutState("taxlate", k, "overdue"));
        ++sum.alerts;
      }
    }
    return Status::Ok();
  }

  store::Store* store_;
  Options opt_;
  std::mutex mu_;
  std::unordered_map<std::string, bool> identity_;
  ExportClearance export_{this, &opt_, store_};
};

}  // namespace

std::unique_ptr<RiskGate> RandomInspection(Decimal rate) {
  return std::make_unique<RandomGate>(rate);
}

StatusOr<std::unique_ptr<Engine>> Engine::Create(store::Store* store, Options options) {
  if (store == nullptr || !options.vault || options.tariff == nullptr) {
    return Internal("clearance needs a store, a vault and a tariff table");
  }
  return std::unique_ptr<Engine>(new EngineImpl(store, std::move(options)));
}

}  // namespace shumao::clearance

#include "gen/ceb_render.h"

#include <string_view>

#include "common/strings.h"
#include "common/time.h"
#include "gen/rng.h"

namespace shumao::gen {
namespace {

constexpr std::string_view kCny = "142";
constexpr int64_t kMinuteMs = int64_t{60} * 1000;

// Appends elements with the samples' layout: tab indentation, one element a line.
class Xml {
 public:
  explicit Xml(std::string& out) : out_(out) { out_.clear(); }

  void Root(std::string_view name, std::string_view guid) {
    out_ += "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ceb:";
    out_ += name;
    out_ += " guid=\"";
    out_ += guid;
    out_ += "\" version=\"1.0\" xmlns:ceb=\"http://www.chinaport.gov.cn/ceb\">\n";
    depth_ = 1;
  }
  void EndRoot(std::string_view name) {
    out_ += "</ceb:";
    out_ += name;
    out_ += ">\n";
  }
  void Open(std::string_view name) {
    Indent();
    out_ += "<ceb:";
    out_ += name;
    out_ += ">\n";
    ++depth_;
  }
  void Close(std::string_view name) {
    --depth_;
    Indent();
    out_ += "</ceb:";
    out_ += name;
    out_ += ">\n";
  }
  void Leaf(std::string_view name, std::string_view value) {
    Indent();
    out_ += "<ceb:";
    out_ += name;
    out_ += '>';
    AppendXmlEscaped(out_, value);
    out_ += "</ceb:";
    out_ += name;
    out_ += ">\n";
  }
  void Opt(std::string_view name, std::string_view value) {
    if (!value.empty()) Leaf(name, value);
  }
  void Money(std::string_view name, Decimal d) { Leaf(name, d.ToString(2)); }
  void Number(std::string_view name, Decimal d) { Leaf(name, d.ToShortString()); }
  void Int(std::string_view name, int64_t v) { Leaf(name, std::to_string(v)); }
  void Time(std::string_view name, Timestamp t) { Leaf(name, FormatC14(t)); }
  // The four leaves every generated declaration opens with: a new record (appType 1),
  // declared (appStatus 2).
  void DeclarationStart(std::string_view guid, Timestamp app_time) {
    Leaf("guid", guid);
    Leaf("appType", "1");
    Time("appTime", app_time);
    Leaf("appStatus", "2");
  }
  void Raw(std::string_view s) { out_ += s; }

  void BaseTransfer(const Party& sender) {
    Open("BaseTransfer");
    Leaf("copCode", sender.code);
    Leaf("copName", sender.name);
    Leaf("dxpMode", "DXP");
    Leaf("dxpId", sender.dxp_id);
    Close("BaseTransfer");
  }

 private:
  void Indent() { out_.append(static_cast<size_t>(depth_), '\t'); }
  std::string& out_;
  int depth_ = 0;
};

void Base64(std::string& out, const unsigned char* data, size_t n) {
  static constexpr char kChars[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  for (size_t i = 0; i < n; i += 3) {
    uint32_t v = static_cast<uint32_t>(data[i]) << 16;
    if (i + 1 < n) v |= static_cast<uint32_t>(data[i + 1]) << 8;
    if (i + 2 < n) v |= data[i + 2];
    out.push_back(kChars[(v >> 18) & 63]);
    out.push_back(kChars[(v >> 12) & 63]);
    out.push_back(i + 1 < n ? kChars[(v >> 6) & 63] : '=');
    out.push_back(i + 2 < n ? kChars[v & 63] : '=');
  }
}

void RandomBase64(std::string& out, uint64_t seed, size_t n) {
  unsigned char buf[64];
  for (size_t i = 0; i < n; ++i) buf[i] = static_cast<unsigned char>(Mix(seed, i) >> 24);
  Base64(out, buf, n);
}

// An enveloped XML-DSig block with the 2022 algorithms (SM2-SM3) and the structure of the
// official signed sample. The digest and signature values are placeholders drawn from the
// PRNG: real signing (canonicalisation, SM3 digest, SM2 signature with the sender's
// certificate) belongs to the ceb signer and replaces this block when it exists.
void Signature(Xml& x, uint64_t seed, const Party& signer) {
  std::string s;
  s += "\t<ds:Signature xmlns:ds=\"http://www.w3.org/2000/09/xmldsig#\">\n";
  s += "\t\t<ds:SignedInfo>\n";
  s += "\t\t\t<ds:CanonicalizationMethod "
       "Algorithm=\"http://www.w3.org/TR/2001/REC-xml-c14n-20010315\"/>\n";
  s += "\t\t\t<ds:SignatureMethod "
       "Algorithm=\"http://www.chinaport.gov.cn/2022/04/xmldsig#sm2-sm3\"/>\n";
  s += "\t\t\t<ds:Reference URI=\"\">\n";
  s += "\t\t\t\t<ds:Transforms>\n";
  s += "\t\t\t\t\t<ds:Transform "
       "Algorithm=\"http://www.w3.org/2000/09/xmldsig#enveloped-signature\"/>\n";
  s += "\t\t\t\t</ds:Transforms>\n";
  s += "\t\t\t\t<ds:DigestMethod Algorithm=\"http://www.chinaport.gov.cn/2022/04/xmldsig#sm3\"/>\n";
  s += "\t\t\t\t<ds:DigestValue>";
  RandomBase64(s, Mix(seed, 0xD16E57), 32);
  s += "</ds:DigestValue>\n";
  s += "\t\t\t</ds:Reference>\n";
  s += "\t\t</ds:SignedInfo>\n";
  s += "\t\t<ds:SignatureValue>";
  RandomBase64(s, Mix(seed, 0x516), 64);
  s += "</ds:SignatureValue>\n";
  s += "\t\t<ds:KeyInfo>\n\t\t\t<ds:KeyName>";
  static constexpr char kHex[] = "0123456789abcdef";
  uint64_t serial = Mix(HashString(signer.code), 0xCE27);
  for (int i = 0; i < 8; ++i) s.push_back(kHex[(serial >> (4 * i)) & 15]);
  s += "</ds:KeyName>\n\t\t</ds:KeyInfo>\n";
  s += "\t</ds:Signature>\n";
  x.Raw(s);
}

uint64_t MessageSeed(uint64_t seed, int64_t uid, Msg kind) {
  return Mix(seed, 0x5EED, static_cast<uint64_t>(uid), static_cast<uint64_t>(kind));
}

std::string TruncateChars(const std::string& s, size_t max_chars) {
  if (Utf8Length(s) <= max_chars) return s;
  size_t chars = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (chars == max_chars) break;
      ++chars;
    }
  }
  return s.substr(0, i);
}

std::string GoodsInfo(const std::vector<Line>& lines) {
  std::string s;
  for (const Line& l : lines) {
    if (!s.empty()) s += "；";
    s += l.goods->name + "×" + std::to_string(l.qty);
  }
  return TruncateChars(s, 200);
}

std::string Itemized(std::string_view gmodel, size_t max_chars) {
  return TruncateChars(std::string(gmodel), max_chars);
}

const Party& OrderSender(const ExportParcel& p) {
  return p.ebp->registered ? *p.ebp : *p.store->ebc;
}

std::string_view EbpName(const ExportParcel& p) {
  return p.ebp->registered ? std::string_view(p.ebp->name) : p.ebp_name;
}

void ImportOrder(const RenderContext& ctx, const ImportParcel& p, std::string& out) {
  Xml x(out);
  x.Root("CEB311Message", Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x311));
  x.Open("Order");
  x.Open("OrderHead");
  x.DeclarationStart(Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x3110), p.t_order);
  x.Leaf("orderType", "I");
  x.Leaf("orderNo", p.order_no);
  x.Leaf("ebpCode", p.store->ebp->code);
  x.Leaf("ebpName", p.store->ebp->name);
  x.Leaf("ebcCode", p.ebc->code);
  x.Leaf("ebcName", p.ebc->name);
  x.Money("goodsValue", p.goods_value);
  x.Money("freight", p.freight);
  x.Money("discount", p.discount);
  x.Money("taxTotal", p.tax);
  x.Money("acturalPaid", p.paid);
  x.Leaf("currency", kCny);
  x.Leaf("buyerRegNo", *p.buyer_reg_no);
  x.Leaf("buyerName", p.buyer->name);
  x.Leaf("buyerTelephone", p.buyer->phone);
  x.Leaf("buyerIdType", "1");
  x.Leaf("buyerIdNumber", p.buyer->id_number);
  x.Leaf("payCode", p.pay_company->code);
  x.Leaf("payName", p.pay_company->name);
  x.Leaf("payTransactionId", p.pay_tx);
  x.Leaf("consignee", p.consignee->name);
  x.Leaf("consigneeTelephone", p.consignee->phone);
  x.Leaf("consigneeAddress", p.address->text);
  x.Leaf("consigneeDistrict", p.address->district);
  x.Close("OrderHead");
  int gnum = 0;
  for (const Line& l : p.lines) {
    x.Open("OrderList");
    x.Int("gnum", ++gnum);
    x.Leaf("itemNo", l.goods->item_no);
    x.Leaf("itemName", l.goods->name);
    x.Leaf("gmodel", Itemized(l.goods->gmodel, 510));
    x.Leaf("barCode", l.goods->bar_code);
    x.Leaf("unit", l.goods->unit);
    x.Int("qty", l.qty);
    x.Money("price", l.price);
    x.Money("totalPrice", l.total);
    x.Leaf("currency", kCny);
    x.Leaf("country", *l.country);
    x.Close("OrderList");
  }
  x.Close("Order");
  x.BaseTransfer(*p.store->ebp);
  x.EndRoot("CEB311Message");
}

void ImportPayment(const RenderContext& ctx, const ImportParcel& p, std::string& out) {
  Xml x(out);
  x.Root("CEB411Message", Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x411));
  x.Open("Payment");
  x.Open("PaymentHead");
  x.DeclarationStart(Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x4110), p.t_payment);
  x.Leaf("payCode", p.pay_company->code);
  x.Leaf("payName", p.pay_company->name);
  x.Leaf("payTransactionId", p.pay_tx);
  x.Leaf("orderNo", p.order_no);
  x.Leaf("ebpCode", p.store->ebp->code);
  x.Leaf("ebpName", p.store->ebp->name);
  x.Leaf("payerIdType", "1");
  x.Leaf("payerIdNumber", p.payer->id_number);
  x.Leaf("payerName", p.payer->name);
  x.Leaf("telephone", p.payer->phone);
  x.Money("amountPaid", p.amount_paid);
  x.Leaf("currency", kCny);
  x.Time("payTime", p.t_pay);
  x.Close("PaymentHead");
  x.Close("Payment");
  x.BaseTransfer(*p.pay_company);
  x.EndRoot("CEB411Message");
}

void ImportWaybill(const RenderContext& ctx, const ImportParcel& p, std::string& out) {
  Xml x(out);
  x.Root("CEB511Message", Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x511));
  x.Open("Logistics");
  x.Open("LogisticsHead");
  x.DeclarationStart(Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x5110), p.t_waybill);
  x.Leaf("logisticsCode", p.carrier->code);
  x.Leaf("logisticsName", p.carrier->name);
  x.Leaf("logisticsNo", p.logistics_no);
  x.Opt("billNo", p.bill_no);
  x.Leaf("orderNo", p.order_no);
  x.Money("freight", p.freight);
  x.Money("insuredFee", Decimal());
  x.Leaf("currency", kCny);
  x.Number("weight", p.gross);
  x.Int("packNo", 1);
  x.Leaf("goodsInfo", GoodsInfo(p.lines));
  x.Leaf("consignee", p.wb_consignee->name);
  x.Leaf("consigneeAddress", p.wb_address->text);
  x.Leaf("consigneeTelephone", p.wb_consignee->phone);
  x.Close("LogisticsHead");
  x.Close("Logistics");
  x.BaseTransfer(*p.carrier);
  x.EndRoot("CEB511Message");
}

void ImportStatus(const RenderContext& ctx, const ImportParcel& p, std::string& out) {
  Xml x(out);
  x.Root("CEB513Message", Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x513));
  x.Open("LogisticsStatus");
  x.DeclarationStart(Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x5130), p.t_signed);
  x.Leaf("logisticsCode", p.carrier->code);
  x.Leaf("logisticsName", p.carrier->name);
  x.Leaf("logisticsNo", p.logistics_no);
  x.Leaf("logisticsStatus", "S");
  x.Time("logisticsTime", Timestamp{p.t_signed.millis - (p.uid % 20 + 1) * kMinuteMs});
  x.Close("LogisticsStatus");
  x.BaseTransfer(*p.carrier);
  x.EndRoot("CEB513Message");
}

void ImportList(const RenderContext& ctx, const ImportParcel& p, std::string& out) {
  const PartySet& parties = *ctx.parties;
  const Party& agent = *p.store->agent;
  Xml x(out);
  x.Root("CEB621Message", Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x621));
  x.Open("Inventory");
  x.Open("InventoryHead");
  x.DeclarationStart(Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x6210), p.t_list);
  x.Leaf("orderNo", p.order_no);
  x.Leaf("ebpCode", p.store->ebp->code);
  x.Leaf("ebpName", p.store->ebp->name);
  x.Leaf("ebcCode", p.ebc->code);
  x.Leaf("ebcName", p.ebc->name);
  x.Leaf("logisticsNo", p.logistics_no);
  x.Leaf("logisticsCode", p.carrier->code);
  x.Leaf("logisticsName", p.carrier->name);
  x.Leaf("copNo", p.cop_no);
  x.Leaf("assureCode", agent.code);
  if (p.bonded) x.Leaf("emsNo", BondedEmsNo(parties));
  x.Leaf("ieFlag", "I");
  x.Leaf("declTime", FormatC8(p.t_list));
  const ImportSite& site = p.bonded ? kBondedSite : kDirectSite;
  x.Leaf("customsCode", site.customs);
  x.Leaf("portCode", site.port);
  x.Leaf("ieDate", FormatC8(p.t_list));
  x.Leaf("buyerIdType", "1");
  x.Leaf("buyerIdNumber", p.buyer->id_number);
  x.Leaf("buyerName", p.buyer->name);
  x.Leaf("buyerTelephone", p.buyer->phone);
  x.Leaf("consigneeAddress", p.address->text);
  x.Leaf("agentCode", agent.code);
  x.Leaf("agentName", agent.name);
  if (p.bonded) {
    x.Leaf("areaCode", parties.warehouse->code);
    x.Leaf("areaName", parties.warehouse->name);
  }
  x.Leaf("tradeMode", site.trade_mode);
  x.Leaf("trafMode", site.traf_mode);
  if (!p.bonded) {
    x.Leaf("trafNo", p.flight);
    x.Leaf("voyageNo", p.flight + FormatC8(p.t_list).substr(4));
    x.Leaf("billNo", p.bill_no);
  }
  x.Leaf("country", *p.country);
  x.Money("freight", p.freight);
  x.Money("insuredFee", Decimal());
  x.Leaf("currency", kCny);
  x.Leaf("wrapType", "2");
  x.Int("packNo", 1);
  x.Number("grossWeight", p.gross);
  x.Number("netWeight", p.net);
  x.Close("InventoryHead");
  int gnum = 0;
  for (const Line& l : p.lines) {
    const Goods& d = *l.declared;
    x.Open("InventoryList");
    x.Int("gnum", ++gnum);
    if (p.bonded) x.Leaf("itemRecordNo", ItemRecordNo(*l.goods));
    x.Leaf("itemNo", l.goods->item_no);
    x.Leaf("itemName", l.goods->name);
    x.Leaf("gcode", d.hs);
    x.Leaf("gname", l.goods->name);
    x.Leaf("gmodel", Itemized(l.goods->gmodel, 510));
    x.Leaf("barCode", l.goods->bar_code);
    x.Leaf("country", *l.country);
    x.Leaf("currency", kCny);
    x.Int("qty", l.qty);
    x.Leaf("unit", l.goods->unit);
    x.Number("qty1", Catalog::LegalQty(*l.goods, d.unit1, l.qty));
    x.Leaf("unit1", d.unit1);
    if (!d.unit2.empty()) {
      x.Number("qty2", Catalog::LegalQty(*l.goods, d.unit2, l.qty));
      x.Leaf("unit2", d.unit2);
    }
    x.Money("price", l.price);
    x.Money("totalPrice", l.total);
    x.Close("InventoryList");
  }
  x.Close("Inventory");
  x.BaseTransfer(agent);
  // The import XSD requires the signature on CEB621 (after BaseTransfer here, as there is
  // no BaseSubscribe or ExtendMessage).
  Signature(x, MessageSeed(ctx.seed, p.uid, Msg::k621), agent);
  x.EndRoot("CEB621Message");
}

void ExportOrder(const RenderContext& ctx, const ExportParcel& p, std::string& out) {
  Xml x(out);
  x.Root("CEB303Message", Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x303));
  x.Open("Order");
  x.Open("OrderHead");
  x.DeclarationStart(Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x3030), p.t_order);
  x.Leaf("orderType", std::string(1, p.order_type));
  x.Leaf("orderNo", p.order_no);
  x.Leaf("ebpCode", p.ebp->code);
  x.Leaf("ebpName", EbpName(p));
  x.Leaf("ebcCode", p.ebc->code);
  x.Leaf("ebcName", p.ebc->name);
  x.Money("goodsValue", p.goods_value);
  x.Money("freight", p.freight);
  x.Leaf("currency", kCny);
  x.Close("OrderHead");
  int gnum = 0;
  for (const Line& l : p.lines) {
    x.Open("OrderList");
    x.Int("gnum", ++gnum);
    x.Leaf("itemNo", l.goods->item_no);
    x.Leaf("itemName", l.goods->name);
    x.Leaf("itemDescribe", l.goods->english);
    x.Leaf("barCode", l.goods->bar_code);
    x.Leaf("unit", l.goods->unit);
    x.Leaf("currency", kCny);
    x.Int("qty", l.qty);
    x.Money("price", l.price);
    x.Money("totalPrice", l.total);
    x.Close("OrderList");
  }
  x.Close("Order");
  x.BaseTransfer(OrderSender(p));
  x.EndRoot("CEB303Message");
}

void ExportReceipts(const RenderContext& ctx, const ExportParcel& p, std::string& out) {
  Xml x(out);
  x.Root("CEB403Message", Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x403));
  x.Open("Receipts");
  x.DeclarationStart(Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x4030), p.t_receipts);
  x.Leaf("ebpCode", p.ebp->code);
  x.Leaf("ebpName", EbpName(p));
  x.Leaf("ebcCode", p.ebc->code);
  x.Leaf("ebcName", p.ebc->name);
  x.Leaf("orderNo", p.order_no);
  x.Leaf("payCode", p.pay_company->code);
  x.Leaf("payName", p.pay_company->name);
  x.Leaf("payNo", p.pay_no);
  x.Money("charge", p.charge);
  x.Leaf("currency", kCny);
  x.Time("accountingDate", p.t_accounting);
  x.Close("Receipts");
  x.BaseTransfer(*p.pay_company);
  x.EndRoot("CEB403Message");
}

void ExportWaybill(const RenderContext& ctx, const ExportParcel& p, std::string& out) {
  Xml x(out);
  x.Root("CEB505Message", Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x505));
  x.Open("Logistics");
  x.DeclarationStart(Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x5050), p.t_waybill);
  x.Leaf("logisticsCode", p.carrier->code);
  x.Leaf("logisticsName", p.carrier->name);
  x.Leaf("logisticsNo", p.logistics_no);
  x.Money("freight", p.freight);
  x.Money("insuredFee", p.insured);
  x.Leaf("currency", kCny);
  x.Number("grossWeight", p.gross);
  x.Int("packNo", p.pack_no);
  x.Leaf("goodsInfo", GoodsInfo(p.lines));
  x.Leaf("ebcCode", p.ebc->code);
  x.Leaf("ebcName", p.ebc->name);
  x.Leaf("ebcTelephone", p.ebc->phone);
  x.Close("Logistics");
  x.BaseTransfer(*p.carrier);
  x.EndRoot("CEB505Message");
}

void ExportList(const RenderContext& ctx, const ExportParcel& p, std::string& out) {
  const Party& agent = *p.store->agent;
  const Batch* batch = p.batch >= 0 ? &ctx.plan->batches[static_cast<size_t>(p.batch)] : nullptr;
  Xml x(out);
  x.Root("CEB603Message", Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x603));
  x.Open("Inventory");
  x.Open("InventoryHead");
  x.DeclarationStart(Guid(ctx.seed, static_cast<uint64_t>(p.uid), 0x6030), p.t_list);
  x.Leaf("customsCode", p.site->customs);
  x.Leaf("ebpCode", p.ebp->code);
  x.Leaf("ebpName", EbpName(p));
  x.Leaf("orderNo", p.order_no);
  x.Leaf("logisticsCode", p.carrier->code);
  x.Leaf("logisticsName", p.carrier->name);
  x.Leaf("logisticsNo", p.logistics_no);
  x.Leaf("copNo", p.cop_no);
  x.Leaf("ieFlag", "E");
  x.Leaf("portCode", p.site->port);
  x.Leaf("ieDate", FormatC8(p.t_list));
  x.Leaf("statisticsFlag", std::string(1, p.statistics_flag));
  x.Leaf("agentCode", agent.code);
  x.Leaf("agentName", agent.name);
  x.Leaf("ebcCode", p.ebc->code);
  x.Leaf("ebcName", p.ebc->name);
  x.Leaf("ownerCode", p.ebc->code);
  x.Leaf("ownerName", p.ebc->name);
  x.Leaf("tradeMode", p.trade_mode);
  x.Leaf("trafMode", p.site->traf_mode);
  if (batch != nullptr) {
    x.Leaf("trafName", batch->traf_name);
    x.Leaf("voyageNo", batch->voyage);
    x.Leaf("billNo", batch->bill_no);
  }
  x.Leaf("country", p.country);
  x.Leaf("POD", p.country);
  x.Money("freight", p.freight);
  x.Leaf("fCurrency", kCny);
  x.Leaf("fFlag", "3");
  x.Money("insuredFee", p.insured);
  x.Leaf("iCurrency", kCny);
  x.Leaf("iFlag", "3");
  x.Leaf("wrapType", "2");
  x.Int("packNo", p.pack_no);
  x.Number("grossWeight", p.gross);
  x.Number("netWeight", p.net);
  x.Close("InventoryHead");
  int gnum = 0;
  for (const Line& l : p.lines) {
    const Goods& d = *l.declared;
    x.Open("InventoryList");
    x.Int("gnum", ++gnum);
    x.Leaf("itemNo", l.goods->item_no);
    x.Leaf("itemName", l.goods->name);
    x.Leaf("gcode", d.hs);
    x.Leaf("gname", l.goods->name);
    x.Leaf("gmodel", Itemized(l.goods->gmodel, 250));
    x.Leaf("barCode", l.goods->bar_code);
    x.Leaf("country", p.country);
    x.Leaf("currency", kCny);
    x.Int("qty", l.qty);
    x.Number("qty1", Catalog::LegalQty(*l.goods, d.unit1, l.qty));
    if (!d.unit2.empty()) x.Number("qty2", Catalog::LegalQty(*l.goods, d.unit2, l.qty));
    x.Leaf("unit", l.goods->unit);
    x.Leaf("unit1", d.unit1);
    if (!d.unit2.empty()) x.Leaf("unit2", d.unit2);
    x.Money("price", l.price);
    x.Money("totalPrice", l.total);
    x.Close("InventoryList");
  }
  x.Close("Inventory");
  x.BaseTransfer(agent);
  Signature(x, MessageSeed(ctx.seed, p.uid, Msg::k603), agent);
  x.EndRoot("CEB603Message");
}

}  // namespace

std::string Guid(uint64_t seed, uint64_t a, uint64_t b) {
  uint64_t hi = Mix(seed, 0x6E1D, a, b);
  uint64_t lo = Mix(hi, 0x6E1D, b, a);
  hi = (hi & ~0xF000ULL) | 0x4000ULL;        // version 4
  lo = (lo & ~(3ULL << 62)) | (2ULL << 62);  // RFC 4122 variant
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string s;
  s.reserve(36);
  for (int i = 15; i >= 0; --i) {
    s.push_back(kHex[(hi >> (4 * i)) & 15]);
    if (i == 8 || i == 4) s.push_back('-');
  }
  s.push_back('-');
  for (int i = 15; i >= 0; --i) {
    s.push_back(kHex[(lo >> (4 * i)) & 15]);
    if (i == 12) s.push_back('-');
  }
  return s;
}

std::string BondedEmsNo(const PartySet& parties) {
  return std::string("T") + kBondedSite.customs + "W" +
         std::to_string(100000 + HashString(parties.warehouse->code) % 900000);
}

std::string ItemRecordNo(const Goods& goods) { return "BS" + goods.item_no; }

const std::string& ImportKey(Msg kind, const ImportParcel& p) {
  switch (kind) {
    case Msg::k311: return p.order_no;
    case Msg::k411: return p.pay_tx;
    case Msg::k511:
    case Msg::k513: return p.logistics_no;
    default: return p.cop_no;
  }
}

const std::string& ExportKey(Msg kind, const ExportParcel& p) {
  switch (kind) {
    case Msg::k303: return p.order_no;
    case Msg::k403: return p.pay_no;
    case Msg::k505: return p.logistics_no;
    default: return p.cop_no;
  }
}

void RenderImport(const RenderContext& ctx, Msg kind, const ImportParcel& p, std::string& out) {
  switch (kind) {
    case Msg::k311: return ImportOrder(ctx, p, out);
    case Msg::k411: return ImportPayment(ctx, p, out);
    case Msg::k511: return ImportWaybill(ctx, p, out);
    case Msg::k513: return ImportStatus(ctx, p, out);
    case Msg::k621: return ImportList(ctx, p, out);
    default: out.clear();
  }
}

void RenderExport(const RenderContext& ctx, Msg kind, const ExportParcel& p, std::string& out) {
  switch (kind) {
    case Msg::k303: return ExportOrder(ctx, p, out);
    case Msg::k403: return ExportReceipts(ctx, p, out);
    case Msg::k505: return ExportWaybill(ctx, p, out);
    case Msg::k603: return ExportList(ctx, p, out);
    default: out.clear();
  }
}

void RenderBatch(const RenderContext& ctx, Msg kind, const Batch& b, std::string& out) {
  const Plan& plan = *ctx.plan;
  uint64_t uid = (1ULL << 40) + static_cast<uint64_t>(b.id);
  Xml x(out);
  if (kind == Msg::k507) {
    const Party& op = *ctx.parties->warehouse;
    x.Root("CEB507Message", Guid(ctx.seed, uid, 0x507));
    x.Open("Arrival");
    x.Open("ArrivalHead");
    x.Leaf("guid", Guid(ctx.seed, uid, 0x5070));
    x.Leaf("appType", "1");
    x.Time("appTime", b.t_arrival);
    x.Leaf("appStatus", "2");
    x.Leaf("customsCode", b.site->customs);
    x.Leaf("copNo", b.arrival_cop);
    x.Leaf("operatorCode", op.code);
    x.Leaf("operatorName", op.name);
    x.Leaf("ieFlag", "E");
    x.Leaf("trafMode", b.site->traf_mode);
    x.Leaf("billNo", b.bill_no);
    x.Leaf("domesticTrafNo", b.plate);
    x.Leaf("logisticsCode", b.carrier->code);
    x.Leaf("logisticsName", b.carrier->name);
    x.Int("msgCount", 1);
    x.Int("msgSeqNo", 1);
    x.Close("ArrivalHead");
    int gnum = 0;
    for (int64_t i : b.parcels) {
      x.Open("ArrivalList");
      x.Int("gnum", ++gnum);
      x.Leaf("logisticsNo", plan.exports[static_cast<size_t>(i)].logistics_no);
      x.Close("ArrivalList");
    }
    x.Close("Arrival");
    x.BaseTransfer(op);
    x.EndRoot("CEB507Message");
    return;
  }
  x.Root("CEB509Message", Guid(ctx.seed, uid, 0x509));
  x.Open("Departure");
  x.Open("DepartureHead");
  x.DeclarationStart(Guid(ctx.seed, uid, 0x5090), b.t_departure);
  x.Leaf("customsCode", b.site->customs);
  x.Leaf("copNo", b.departure_cop);
  x.Leaf("logisticsCode", b.carrier->code);
  x.Leaf("logisticsName", b.carrier->name);
  x.Leaf("trafMode", b.site->traf_mode);
  x.Leaf("trafName", b.traf_name);
  x.Leaf("voyageNo", b.voyage);
  x.Leaf("billNo", b.bill_no);
  x.Time("leaveTime", b.t_departure);
  x.Int("msgCount", 1);
  x.Int("msgSeqNo", 1);
  x.Close("DepartureHead");
  int gnum = 0;
  for (int64_t i : b.parcels) {
    const ExportParcel& p = plan.exports[static_cast<size_t>(i)];
    if (!p.in_departure) continue;
    x.Open("DepartureList");
    x.Int("gnum", ++gnum);
    x.Leaf("logisticsNo", p.logistics_no);
    x.Close("DepartureList");
  }
  x.Close("Departure");
  x.BaseTransfer(*b.carrier);
  Signature(x, Mix(ctx.seed, 0x509, uid), *b.carrier);
  x.EndRoot("CEB509Message");
}

}  // namespace shumao::gen

#include "clearance/tax_bill.h"

#include "common/crypto.h"
#include "common/strings.h"

namespace shumao::clearance {
namespace {

// Adds a child group element named `name` to `parent` (schema order is the caller's).
ceb::Node& AddGroup(ceb::Node& parent, std::string_view name) {
  const ceb::ElementDef& def = parent.def->children()[parent.def->ChildIndex(name)];
  ceb::Node& n = parent.children.emplace_back();
  n.def = &def;
  return n;
}

void SetIf(ceb::Node& n, std::string_view name, const std::string& value) {
  if (!value.empty()) n.Set(name, value);
}

}  // namespace

std::string TaxBillStatusText(const std::string& status) {
  if (status == "1") return "已生成";
  if (status == "2") return "已汇总";
  if (status == "3") return "作废";
  return "未生成";
}

ceb::Message BuildTaxBill(const Facts& bill, Timestamp time) {
  const ceb::MessageDef* def = ceb::FindMessageByType("CEB816");
  ceb::Message m;
  m.def = def;
  m.guid = NewGuid();
  m.version = "1.0";
  m.root.def = &def->root_element();
  ceb::Node& tax = AddGroup(m.root, "Tax");
  ceb::Node& head = AddGroup(tax, "TaxHeadRd");
  head.Set("guid", NewGuid());
  head.Set("returnTime", FormatC17(time));
  head.Set("invtNo", bill.Get("invtNo"));
  head.Set("taxNo", bill.Get("taxNo"));
  head.Set("customsTax", bill.Get("customsTax"));
  head.Set("valueAddedTax", bill.Get("valueAddedTax"));
  head.Set("consumptionTax", bill.Get("consumptionTax"));
  head.Set("status", bill.Get("status") == "0" ? "1" : bill.Get("status"));
  std::string note = "应缴税款合计" + bill.Get("taxTotal");
  if (!bill.Get("returnedTax").empty()) note += "，退货不予征税" + bill.Get("returnedTax");
  head.Set("note", note);
  SetIf(head, "assureCode", bill.Get("assureCode"));
  SetIf(head, "ebcCode", bill.Get("ebcCode"));
  SetIf(head, "logisticsCode", bill.Get("logisticsCode"));
  SetIf(head, "agentCode", bill.Get("agentCode"));
  SetIf(head, "customsCode", bill.Get("customsCode"));
  for (const Fields& l : bill.lines) {
    ceb::Node& line = AddGroup(tax, "TaxListRd");
    line.Set("gnum", l.at("gnum"));
    line.Set("gcode", l.at("gcode"));
    line.Set("taxPrice", l.at("taxPrice"));
    line.Set("customsTax", l.at("customsTax"));
    line.Set("valueAddedTax", l.at("valueAddedTax"));
    line.Set("consumptionTax", l.at("consumptionTax"));
  }
  return m;
}

std::string TaxBillToJson(const Facts& bill) {
  std::string out = "{";
  bool first = true;
  auto field = [&](const char* name, const std::string& v) {
    if (!first) out += ',';
    first = false;
    out += '"';
    out += name;
    out += "\":\"";
    AppendJsonEscaped(out, v);
    out += '"';
  };
  for (const char* f : {"invtNo", "taxNo", "status", "regime", "customsTax", "valueAddedTax",
                        "consumptionTax", "taxTotal", "returnedTax", "paid", "assureCode",
                        "ebcCode", "agentCode", "customsCode", "orderNo", "logisticsNo", "copNo"}) {
    field(f, bill.Get(f));
  }
  field("statusText", TaxBillStatusText(bill.Get("status")));
  if (!bill.Get("releaseMs").empty()) {
    field("released", FormatIso(Timestamp{std::stoll(bill.Get("releaseMs"))}));
  }
  out += ",\"lines\":[";
  for (size_t i = 0; i < bill.lines.size(); ++i) {
    if (i > 0) out += ',';
    out += '{';
    bool f2 = true;
    for (const auto& [k, v] : bill.lines[i]) {
      if (!f2) out += ',';
      f2 = false;
      out += '"' + k + "\":\"";
      AppendJsonEscaped(out, v);
      out += '"';
    }
    out += '}';
  }
  out += "]}";
  return out;
}

}  // namespace shumao::clearance

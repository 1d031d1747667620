// CEB701 / CEB702 / CEB792 built from the schema tables (ceb-messages.md §3.11).
#include <map>
#include <set>

#include "ceb/schema.h"
#include "common/crypto.h"
#include "summary/summary.h"

namespace shumao::summary {
namespace {

constexpr size_t kMaxEntities = 100;  // business entities per message (the standard's limit)

// Adds a child group element named `name` to `parent`; callers add groups in schema order.
ceb::Node& AddGroup(ceb::Node& parent, std::string_view name) {
  const ceb::ElementDef& def = parent.def->children()[parent.def->ChildIndex(name)];
  ceb::Node& n = parent.children.emplace_back();
  n.def = &def;
  return n;
}

ceb::Message NewMessage(const char* type) {
  const ceb::MessageDef* def = ceb::FindMessageByType(type);
  ceb::Message m;
  m.def = def;
  m.guid = NewGuid();
  m.version = "1.0";
  m.root.def = &def->root_element();
  return m;
}

// The platform's own numbers are digits after a prefix; a receipt's preNo is
// "B" + yyyyMMdd + 9 digits.
std::string PreNo(const std::string& sum_no, Timestamp time) {
  std::string digits = sum_no.size() >= 7 ? sum_no.substr(sum_no.size() - 7) : sum_no;
  return "B" + FormatC8(time) + std::string(9 - digits.size(), '0') + digits;
}

}  // namespace

std::vector<ceb::Message> BuildApplications(const Summary& summary, Timestamp time) {
  std::vector<ceb::Message> out;
  // One application per sumNo, its declarations in order.
  std::vector<std::string> order;
  std::map<std::string, std::vector<const Declaration*>> by_sum;
  for (const Declaration& d : summary.declarations) {
    auto& v = by_sum[d.sum_no];
    if (v.empty()) order.push_back(d.sum_no);
    v.push_back(&d);
  }
  for (const std::string& sum_no : order) {
    const std::vector<const Declaration*>& decls = by_sum[sum_no];
    const Declaration& first = *decls.front();
    ceb::Message m = NewMessage("CEB701");
    ceb::Node& apply = AddGroup(m.root, "SummaryApply");
    ceb::Node& head = AddGroup(apply, "SummaryApplyHead");
    head.Set("guid", NewGuid());
    head.Set("appType", "1");
    head.Set("appTime", FormatC14(time));
    head.Set("appStatus", "2");
    head.Set("customsCode", sum_no.substr(0, 4));
    head.Set("copNo", sum_no);
    head.Set("sumNo", sum_no);
    head.Set("agentCode", first.agent_code);
    head.Set("agentName", first.agent_name);
    head.Set("ebcCode", first.ebc_code);
    head.Set("ebcName", first.ebc_name);
    head.Set("declAgentCode", first.agent_code);
    head.Set("declAgentName", first.agent_name);
    head.Set("summaryFlag", first.summary_flag);
    // The XSD wants one character; "0" stands for the standard's empty (by the
    // comprehensive classification name).
    head.Set("itemNameFlag", first.item_name_flag == "1" ? "1" : "0");
    head.Set("msgCount", "1");
    head.Set("msgSeqNo", "1");
    std::set<std::string> seen;
    for (const Declaration* d : decls) {
      for (const LineRef& r : d->lines) {
        if (!seen.insert(r.invt_no).second) continue;
        AddGroup(apply, "SummaryApplyList").Set("invtNo", r.invt_no);
      }
    }
    ceb::Node& base = AddGroup(m.root, "BaseTransfer");
    base.Set("copCode", first.agent_code);
    base.Set("copName", first.agent_name);
    base.Set("dxpMode", "DXP");
    base.Set("dxpId", "DXPENT" + first.agent_code.substr(0, 24));
    out.push_back(std::move(m));
  }
  return out;
}

ceb::Message BuildApplicationReceipt(const ceb::Message& application, Timestamp time) {
  ceb::Message m = NewMessage("CEB702");
  for (const ceb::Node* apply : application.Entities()) {
    const ceb::Node* head = apply->Child("SummaryApplyHead");
    if (head == nullptr) continue;
    std::string sum_no(head->Get("sumNo"));
    ceb::Node& ret = AddGroup(m.root, "SummaryReturn");
    ret.Set("guid", NewGuid());
    ret.Set("agentCode", std::string(head->Get("agentCode")));
    ret.Set("ebcCode", std::string(head->Get("ebcCode")));
    ret.Set("copNo", std::string(head->Get("copNo")));
    ret.Set("preNo", PreNo(sum_no, time));
    if (sum_no.size() == 18) ret.Set("sumNo", sum_no);
    ret.Set("msgSeqNo", std::string(head->Get("msgSeqNo")));
    ret.Set("returnStatus", "399");
    ret.Set("returnTime", FormatC17(time));
    ret.Set("returnInfo", "汇总申请已审结，汇总结果见CEB792");
  }
  return m;
}

std::vector<ceb::Message> BuildResults(const Summary& summary, Timestamp time) {
  std::vector<ceb::Message> out;
  for (size_t i = 0; i < summary.declarations.size(); ++i) {
    if (i % kMaxEntities == 0) out.push_back(NewMessage("CEB792"));
    const Declaration& d = summary.declarations[i];
    ceb::Node& result = AddGroup(out.back().root, "SummaryResult");
    ceb::Node& head = AddGroup(result, "SummaryResultHead");
    head.Set("guid", NewGuid());
    head.Set("customsCode", d.sum_no.substr(0, 4));
    head.Set("sumNo", d.sum_no);
    head.Set("opDate", FormatC17(time));
    head.Set("declSeqNo", d.decl_seq_no);
    // decState: customs does not publish its values; "1" here means the declaration is
    // generated and waits for the customs declaration (报关单).
    head.Set("decState", "1");
    head.Set("agentCode", d.agent_code);
    head.Set("agentName", d.agent_name);
    head.Set("ebcCode", d.ebc_code);
    head.Set("ebcName", d.ebc_name);
    head.Set("declAgentCode", d.agent_code);
    head.Set("declAgentName", d.agent_name);
    head.Set("grossWeight", d.gross_weight.ToString());
    head.Set("netWeight", d.net_weight.ToString());
    head.Set("msgCount", "1");
    head.Set("msgSeqNo", "1");
    for (const LineRef& r : d.lines) {
      ceb::Node& line = AddGroup(result, "SummaryResultList");
      line.Set("invtNo", r.invt_no);
      line.Set("logisticsNo", r.logistics_no);
      line.Set("gseqno", std::to_string(r.gseqno));
      line.Set("gnum", std::to_string(r.gnum));
      line.Set("gcode", r.gcode);
    }
  }
  return out;
}

}  // namespace shumao::summary

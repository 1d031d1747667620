#include "ceb/check.h"

#include <cstring>
#include <initializer_list>
#include <vector>

#include "ceb/catalog.h"
#include "ceb/decode_common.h"
#include "common/decimal.h"
#include "common/strings.h"
#include "common/time.h"

namespace shumao::ceb {
namespace {

struct Ctx {
  const Message& msg;
  const CheckOptions& opt;
  bool declaration;  // enumerations are checked on declarations, not on receipts
  std::string path;
};

// The code table an element's values come from, if any.
bool CodeTableOf(std::string_view name, CodeTable* t) {
  static const struct {
    const char* name;
    CodeTable table;
  } kMap[] = {
      {"currency", CodeTable::kCurrency},
      {"fCurrency", CodeTable::kCurrency},
      {"iCurrency", CodeTable::kCurrency},
      {"country", CodeTable::kCountry},
      {"tradeCountry", CodeTable::kCountry},
      {"unit", CodeTable::kUnit},
      {"unit1", CodeTable::kUnit},
      {"unit2", CodeTable::kUnit},
      {"customsCode", CodeTable::kCustomsDistrict},
      {"portCode", CodeTable::kCustomsDistrict},
      {"tradeMode", CodeTable::kTradeMode},
      {"trafMode", CodeTable::kTransportMode},
  };
  for (const auto& m : kMap) {
    if (name == m.name) {
      *t = m.table;
      return true;
    }
  }
  return false;
}

// The value rules of one leaf element, worked out once per element of the schema table
// (each element belongs to one message, so its parent and direction are fixed).
struct LeafRule {
  std::vector<std::string_view> allowed;  // enumeration, empty: none
  bool time = false;                      // a C14 time
  int table = -1;                         // a CodeTable, -1: none
  bool gcode = false;                     // an HS code
};

std::vector<std::string_view> AllowedValues(std::string_view name, std::string_view parent,
                                            bool import, std::string_view type) {
  if (name == "appType") return {"1", "2", "3"};
  if (name == "appStatus") return {"1", "2"};
  if (name == "orderType")
    return import ? std::vector<std::string_view>{"I"}
                  : std::vector<std::string_view>{"E", "B", "W"};
  if (name == "ieFlag") {
    bool in = import || type == "CEB213" || type == "CEB215";
    return {in ? "I" : "E"};
  }
  if (name == "buyerIdType" || name == "payerIdType") return {"1", "2"};
  if (name == "statisticsFlag") return {"A", "B"};
  if (name == "summaryFlag") return {"1", "2"};
  if (name == "itemNameFlag") return {"", "1"};
  // logisticsStatus: the notes list only S (签收) but the official CEB513 sample sends R,
  // so no enumeration is enforced for it.
  if (name == "dxpMode") return {"DXP"};
  if (name == "fFlag" || name == "iFlag") return {"1", "2", "3"};
  if (name == "status" && parent == "BaseSubscribe") return {"ALL", "DATA", "RET"};
  if (name == "status" && (parent == "TaxHeadRd" || parent == "TaxHeadStatus"))
    return {"1", "2", "3"};
  if (import && name == "currency") return {"142"};
  return {};
}

void BuildRules(const ElementDef& group, const MessageDef& m, std::vector<LeafRule>& rules) {
  bool declaration = FindDocumentSpec(m.type) != nullptr;
  for (const ElementDef& d : group.children()) {
    if (d.kind == ElementKind::kGroup) {
      BuildRules(d, m, rules);
      continue;
    }
    LeafRule& r = rules[ElementIndex(d)];
    std::string_view n = d.name;
    if (declaration)
      r.allowed = AllowedValues(n, group.name, m.direction == Direction::kImport, m.type);
    r.time = n == "appTime" || n == "payTime" || n == "logisticsTime" || n == "leaveTime" ||
             n == "accountingDate" || n == "startTime" || n == "endTime";
    CodeTable t;
    if (CodeTableOf(n, &t)) r.table = static_cast<int>(t);
    r.gcode = n == "gcode";
  }
}

const std::vector<LeafRule>& Rules() {
  static const std::vector<LeafRule> rules = [] {
    std::vector<LeafRule> r(ElementCount());
    for (const MessageDef& m : AllMessages()) BuildRules(m.root_element(), m, r);
    return r;
  }();
  return rules;
}

Status CheckLeaf(const Ctx& c, const Node& n, const std::string& field) {
  const ElementDef& d = *n.def;
  const std::string& v = n.text;
  switch (d.kind) {
    case ElementKind::kString: {
      size_t len = Utf8Length(v);
      if (len < static_cast<size_t>(d.min_length)) {
        if (v.empty()) return InvalidArgument("must not be empty", field);
        return InvalidArgument(
            "'" + v + "' is shorter than " + std::to_string(d.min_length) + " characters", field);
      }
      if (d.max_length >= 0 && len > static_cast<size_t>(d.max_length)) {
        return InvalidArgument("is " + std::to_string(len) + " characters long; at most " +
                                   std::to_string(d.max_length) + " are allowed",
                               field);
      }
      break;
    }
    case ElementKind::kDecimal: {
      int total = d.total_digits > 0 ? d.total_digits : 19;
      int frac = d.fraction_digits >= 0 ? d.fraction_digits : Decimal::kScale;
      auto dec = Decimal::Parse(v, total, frac);
      if (!dec.ok()) return InvalidArgument("malformed amount: " + dec.status().message(), field);
      if (dec->IsNegative()) return InvalidArgument("'" + v + "' must not be negative", field);
      break;
    }
    case ElementKind::kInt: {
      std::string_view s = v;
      if (!s.empty() && (s[0] == '-' || s[0] == '+')) s.remove_prefix(1);
      if (!IsDigits(s) || s.size() > 10 || std::stoll(std::string(s)) > 2147483647LL) {
        return InvalidArgument("'" + v + "' is not an integer", field);
      }
      if (d.total_digits > 0 && static_cast<int>(s.size()) > d.total_digits) {
        return InvalidArgument(
            "'" + v + "' has more than " + std::to_string(d.total_digits) + " digits", field);
      }
      break;
    }
    default: return Status::Ok();
  }
  if (v.empty() && d.min_occurs == 0) return Status::Ok();
  const LeafRule& rule = Rules()[ElementIndex(d)];
  if (!rule.allowed.empty()) {
    bool ok = false;
    for (std::string_view a : rule.allowed) ok |= v == a;
    if (!ok) {
      std::string list;
      for (std::string_view a : rule.allowed) {
        if (!list.empty()) list += ", ";
        list += a.empty() ? "(empty)" : std::string(a);
      }
      return InvalidArgument("'" + v + "' is not allowed here; expected one of: " + list, field);
    }
  }
  if (rule.time) {
    auto t = ParseC14(v);
    if (!t.ok()) return InvalidArgument(t.status().message(), field);
  }
  if (rule.table >= 0) {
    CodeTable table = static_cast<CodeTable>(rule.table);
    if (!c.opt.codes->Contains(table, v)) {
      return InvalidArgument("unknown " + std::string(CodeTableName(table)) + " code '" + v + "'",
                             field);
    }
  }
  if (rule.gcode) {
    bool simplified = v.size() == 4 || v.size() == 6 || v.size() == 8;
    if (!IsDigits(v) || (!simplified && !c.opt.codes->Contains(CodeTable::kHsCode, v))) {
      return InvalidArgument("unknown HS code '" + v + "'", field);
    }
  }
  return Status::Ok();
}

Status Walk(Ctx& c, const Node& n, ElementPath& path) {
  const ElementDef* prev = nullptr;
  int index = 0;
  for (const Node& child : n.children) {
    index = child.def == prev ? index + 1 : 1;
    prev = child.def;
    path.Push(*child.def, index);
    if (child.def->kind == ElementKind::kGroup) {
      RETURN_IF_ERROR(Walk(c, child, path));
    } else {
      Status st = CheckLeaf(c, child, c.path);
      if (!st.ok()) return Status(st.code(), st.message(), path.ToString());
    }
    path.Pop();
  }
  return Status::Ok();
}

}  // namespace

Status CheckMessage(const Message& message, const CheckOptions& options) {
  if (Utf8Length(message.guid) != 36) {
    return InvalidArgument("the message guid must be 36 characters", "guid");
  }
  if (message.version.empty() || message.version.size() > 10) {
    return InvalidArgument("the message version must be 1 to 10 characters", "version");
  }
  Ctx c{message, options, FindDocumentSpec(message.type()) != nullptr, {}};
  ElementPath path;
  return Walk(c, message.root, path);
}

}  // namespace shumao::ceb

// Reading the released lists, the conditions, CSV, JSON, totals and the deemed EIT.
#include <rapidjson/document.h>

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "common/code_tables.h"
#include "common/strings.h"
#include "exporttax/exporttax.h"
#include "exporttax/totals.h"

namespace shumao::exporttax {
namespace {

constexpr int kPage = 2000;
constexpr int64_t kDayMs = 24LL * 3600 * 1000;
constexpr char kCny[] = "142";

std::string Member(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd()) return {};
  if (it->value.IsString()) return std::string(it->value.GetString(), it->value.GetStringLength());
  if (it->value.IsInt64()) return std::to_string(it->value.GetInt64());
  return {};
}

std::string Trimmed(std::string s) {
  auto space = [](unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && space(s.back())) s.pop_back();
  size_t i = 0;
  while (i < s.size() && space(s[i])) ++i;
  return s.substr(i);
}

std::string IsoDate(Timestamp t) {
  CivilTime c = ToBeijing(t);
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.year, c.month, c.day);
  return buf;
}

const CodeTables* Tables() {
  static const std::shared_ptr<const CodeTables> kTables = [] {
    auto t = CodeTables::LoadEmbedded();
    return t.ok() ? *t : nullptr;
  }();
  return kTables.get();
}

// The release time of a list: its first 800 history row, else its updated_ms.
StatusOr<int64_t> ReleaseMs(store::Store& store, const store::DocumentRow& row) {
  ASSIGN_OR_RETURN(std::vector<store::HistoryRow> history, store.History(row.id));
  for (const store::HistoryRow& h : history) {
    if (h.status == "800") return h.time_ms;
  }
  return row.updated_ms;
}

// Condition 1's "six fields" of a line: the Chinese and English names of those missing.
std::string MissingFields(const RecordLine& l) {
  std::vector<std::pair<const char*, const char*>> missing;
  if (l.export_date.empty()) missing.push_back({"出口日期", "export date"});
  if (l.gname.empty()) missing.push_back({"商品名称", "goods name"});
  if (l.unit.empty()) missing.push_back({"计量单位", "unit"});
  if (l.qty.empty()) missing.push_back({"数量", "quantity"});
  if (l.price.empty()) missing.push_back({"单价", "unit price"});
  if (l.total_price.empty()) missing.push_back({"金额", "amount"});
  if (missing.empty()) return {};
  std::string zh, en;
  for (const auto& [z, e] : missing) {
    zh += (zh.empty() ? "" : "、") + std::string(z);
    en += (en.empty() ? "" : ", ") + std::string(e);
  }
  return "平台记录缺少" + zh + " (the platform's record lacks " + en + ")";
}

struct Enterprise {
  bool registered = false;
  std::string name;
};

// The lines of one list (nothing if it is another enterprise's), conditions checked.
Status AddLines(const store::DocumentRow& row, int64_t release_ms, const RecordsRequest& req,
                const Enterprise& ebc, const Parameters& params, std::vector<RecordLine>& out,
                std::string& ebc_name) {
  rapidjson::Document d;
  d.Parse(row.body_json.data(), row.body_json.size());
  if (d.HasParseError() || !d.IsObject()) {
    return Internal("exporttax: list document " + std::to_string(row.id) + " is not JSON");
  }
  auto head_it = d.FindMember("InventoryHead");
  if (head_it == d.MemberEnd() || !head_it->value.IsObject()) {
    return Internal("exporttax: list document " + std::to_string(row.id) + " has no InventoryHead");
  }
  const rapidjson::Value& head = head_it->value;
  if (Member(head, "ebcCode") != req.ebc_code) return Status::Ok();
  if (ebc_name.empty()) ebc_name = Member(head, "ebcName");

  RecordLine base;
  base.release_ms = release_ms;
  base.export_date = IsoDate(Timestamp{release_ms});
  base.cop_no = row.key;
  base.invt_no = !row.alt_key.empty() ? row.alt_key : Member(head, "invtNo");
  base.customs_code = Member(head, "customsCode");
  base.status = row.status;

  Condition zone;
  const Prefix* z = params.ZoneCustoms(base.customs_code);
  zone.passed = z != nullptr;
  if (!zone.passed) {
    zone.reason = base.customs_code.empty()
                      ? "清单未填申报海关 (the list names no customsCode)"
                      : "申报海关" + base.customs_code + "不在综试区所在地 (customs " +
                            base.customs_code + " is not of the zone's locality)";
  }

  auto add_line = [&](const rapidjson::Value& v) -> Status {
    if (!v.IsObject()) {
      return Internal("exporttax: list " + base.cop_no + ": a line is not an object");
    }
    RecordLine l = base;
    l.gnum = Member(v, "gnum");
    l.gname = Trimmed(Member(v, "gname"));
    l.gcode = Member(v, "gcode");
    l.unit = Trimmed(Member(v, "unit"));
    if (const CodeTables* t = Tables(); t && !l.unit.empty()) {
      l.unit_name = t->Name(CodeTable::kUnit, l.unit).value_or("");
    }
    l.qty = Trimmed(Member(v, "qty"));
    l.price = Trimmed(Member(v, "price"));
    l.total_price = Trimmed(Member(v, "totalPrice"));
    l.currency = Member(v, "currency");

    Condition& c1 = l.conditions[0];
    std::string missing = MissingFields(l);
    std::string reason;
    if (!ebc.registered) {
      reason = "电商企业" + req.ebc_code +
               "未在综试区登记 (the e-commerce enterprise is not "
               "registered in the zone)";
    }
    if (!missing.empty()) reason += (reason.empty() ? "" : "; ") + missing;
    c1.passed = reason.empty();
    c1.reason = std::move(reason);
    l.conditions[1] = zone;
    Condition& c3 = l.conditions[2];
    const Prefix* hs = params.NoExemption(l.gcode);
    c3.passed = hs == nullptr;
    if (hs) {
      c3.reason = "商品编码" + l.gcode + "属取消出口退(免)税货物：" + hs->description + "，" +
                  hs->document + " (goods whose export refund or exemption is cancelled)";
    }
    out.push_back(std::move(l));
    return Status::Ok();
  };
  auto lines_it = d.FindMember("InventoryList");
  if (lines_it != d.MemberEnd()) {
    if (lines_it->value.IsArray()) {
      for (const auto& v : lines_it->value.GetArray()) RETURN_IF_ERROR(add_line(v));
    } else {
      RETURN_IF_ERROR(add_line(lines_it->value));
    }
  }
  return Status::Ok();
}

int GnumOrder(const std::string& gnum) {
  return IsDigits(gnum) && !gnum.empty() && gnum.size() < 9 ? std::stoi(gnum) : 0;
}

// A CSV field: quoted when it holds a comma, quote or line break; a text cell that Excel
// would read as a formula (= + - @) gets a leading apostrophe.
void AppendCsvField(std::string& out, const std::string& v, bool text = true) {
  std::string s = v;
  if (text && !s.empty() && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@')) {
    s = "'" + s;
  }
  if (s.find_first_of(",\"\r\n") == std::string::npos) {
    out += s;
    return;
  }
  out += '"';
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
}

void AppendJsonString(std::string& out, std::string_view s) {
  out += '"';
  AppendJsonEscaped(out, s);
  out += '"';
}

}  // namespace

std::string RecordLine::FailedNumbers() const {
  std::string s;
  for (int i = 0; i < 3; ++i) {
    if (!conditions[i].passed) s += (s.empty() ? "" : "、") + std::to_string(i + 1);
  }
  return s;
}

Status CheckRecordsRequest(const RecordsRequest& r) {
  if (r.ebc_code.empty()) return InvalidArgument("ebcCode is required", "ebcCode");
  StatusOr<Timestamp> from = ParseDate(r.from);
  if (!from.ok() || r.from.size() != 10) return InvalidArgument("from must be YYYY-MM-DD", "from");
  StatusOr<Timestamp> to = ParseDate(r.to);
  if (!to.ok() || r.to.size() != 10) return InvalidArgument("to must be YYYY-MM-DD", "to");
  if (*to < *from) return InvalidArgument("to is before from", "to");
  return Status::Ok();
}

StatusOr<Records> BuildRecords(store::Store& store, const RecordsRequest& req,
                               const Parameters& params) {
  RETURN_IF_ERROR(CheckRecordsRequest(req));
  const int64_t from_ms = ParseDate(req.from)->millis;
  const int64_t to_ms = ParseDate(req.to)->millis + kDayMs;  // end of the `to` day
  Records records;
  records.ebc_code = req.ebc_code;
  records.from = req.from;
  records.to = req.to;
  Enterprise ebc;
  ASSIGN_OR_RETURN(std::optional<registry::Enterprise> reg, store.FindEnterprise(req.ebc_code));
  if (reg) {
    ebc.registered = true;
    ebc.name = reg->name;
  }
  const std::string party = "," + req.ebc_code + ",";
  // A list released in the period has updated_ms at or after its release (a closed list's
  // is its departure), so the lists whose updated_ms is from `from` on hold all of them.
  for (const char* status : {"800", "899"}) {
    int64_t after = 0;
    while (true) {
      ASSIGN_OR_RETURN(std::vector<store::DocumentRow> rows,
                       store.DocumentsByStatus("inventories", "CEB603", status, from_ms,
                                               std::numeric_limits<int64_t>::max(), after, kPage));
      if (rows.empty()) break;
      after = rows.back().id;
      for (const store::DocumentRow& row : rows) {
        // Intake lists the ebcCode among the parties; rows written otherwise have none.
        if (!row.parties.empty() && row.parties.find(party) == std::string::npos) continue;
        ASSIGN_OR_RETURN(int64_t released, ReleaseMs(store, row));
        if (released < from_ms || released >= to_ms) continue;
        RETURN_IF_ERROR(AddLines(row, released, req, ebc, params, records.lines, records.ebc_name));
      }
      if (rows.size() < static_cast<size_t>(kPage)) break;
    }
  }
  if (!ebc.name.empty()) records.ebc_name = ebc.name;
  std::stable_sort(records.lines.begin(), records.lines.end(),
                   [](const RecordLine& a, const RecordLine& b) {
                     if (a.release_ms != b.release_ms) return a.release_ms < b.release_ms;
                     if (a.invt_no != b.invt_no) return a.invt_no < b.invt_no;
                     return GnumOrder(a.gnum) < GnumOrder(b.gnum);
                   });
  return records;
}

// ---- CSV and JSON

std::string RecordsToCsv(const Records& records) {
  std::string out = "\xEF\xBB\xBF";  // UTF-8 byte order mark
  const std::vector<std::string>& header = RecordHeader();
  for (size_t i = 0; i < header.size(); ++i) {
    if (i) out += ',';
    AppendCsvField(out, header[i], false);
  }
  out += "\r\n";
  for (const RecordLine& l : records.lines) {
    std::vector<std::pair<std::string, bool>> f = {
        {l.export_date, false}, {l.invt_no, true}, {l.cop_no, true},       {l.gnum, false},
        {l.gname, true},        {l.gcode, false},  {l.unit, false},        {l.unit_name, true},
        {l.qty, false},         {l.price, false},  {l.total_price, false}, {l.currency, false},
        {l.customs_code, false}};
    for (const Condition& c : l.conditions) f.push_back({c.passed ? "是" : "否", false});
    f.push_back({l.Qualifies() ? "是" : "否", false});
    std::string reasons;
    for (int i = 0; i < 3; ++i) {
      if (l.conditions[i].passed) continue;
      reasons += (reasons.empty() ? "" : " | ") + std::string("条件") + std::to_string(i + 1) +
                 ": " + l.conditions[i].reason;
    }
    f.push_back({reasons, false});
    for (size_t i = 0; i < f.size(); ++i) {
      if (i) out += ',';
      AppendCsvField(out, f[i].first, f[i].second);
    }
    out += "\r\n";
  }
  return out;
}

std::string RecordsToJson(const Records& records) {
  std::string o = "{\"ebcCode\":";
  AppendJsonString(o, records.ebc_code);
  o += ",\"ebcName\":";
  AppendJsonString(o, records.ebc_name);
  o += ",\"from\":";
  AppendJsonString(o, records.from);
  o += ",\"to\":";
  AppendJsonString(o, records.to);
  o += ",\"lines\":[";
  bool first = true;
  for (const RecordLine& l : records.lines) {
    if (!first) o += ',';
    first = false;
    const std::pair<const char*, const std::string*> fields[] = {{"exportDate", &l.export_date},
                                                                 {"invtNo", &l.invt_no},
                                                                 {"copNo", &l.cop_no},
                                                                 {"customsCode", &l.customs_code},
                                                                 {"gnum", &l.gnum},
                                                                 {"goodsName", &l.gname},
                                                                 {"gcode", &l.gcode},
                                                                 {"unit", &l.unit},
                                                                 {"unitName", &l.unit_name},
                                                                 {"qty", &l.qty},
                                                                 {"unitPrice", &l.price},
                                                                 {"amount", &l.total_price},
                                                                 {"currency", &l.currency}};
    o += '{';
    for (size_t i = 0; i < std::size(fields); ++i) {
      if (i) o += ',';
      AppendJsonString(o, fields[i].first);
      o += ':';
      AppendJsonString(o, *fields[i].second);
    }
    o += ",\"conditions\":[";
    for (int i = 0; i < 3; ++i) {
      if (i) o += ',';
      o += "{\"number\":" + std::to_string(i + 1) +
           ",\"passed\":" + (l.conditions[i].passed ? "true" : "false");
      if (!l.conditions[i].passed) {
        o += ",\"reason\":";
        AppendJsonString(o, l.conditions[i].reason);
      }
      o += '}';
    }
    o += "],\"qualifies\":";
    o += l.Qualifies() ? "true" : "false";
    o += ",\"failed\":";
    AppendJsonString(o, l.FailedNumbers());
    o += '}';
  }
  o += "],\"totals\":[";
  first = true;
  for (const TotalRow& t : ComputeTotals(records)) {
    if (!first) o += ',';
    first = false;
    o += "{\"category\":";
    AppendJsonString(o, t.key);
    o += ",\"currency\":";
    AppendJsonString(o, t.currency);
    o += ",\"lines\":" + std::to_string(t.lines) + ",\"amount\":";
    AppendJsonString(o, Amount(t.amount));
    o += '}';
  }
  o += "]}";
  return o;
}

// ---- Totals (the XLSX's second sheet and the JSON's "totals")

std::string Amount(Decimal d) {
  std::string s = d.ToString(5);
  while (s.size() > 3 && s.back() == '0' && s[s.size() - 3] != '.') s.pop_back();
  return s;
}

const std::vector<std::string>& RecordHeader() {
  static const std::vector<std::string> kHeader = {
      "出口日期(export date)",
      "清单编号(list number)",
      "企业内部编号(copNo)",
      "商品项号(gnum)",
      "商品名称(goods name)",
      "商品编码(HS code)",
      "计量单位代码(unit code)",
      "计量单位(unit)",
      "数量(quantity)",
      "单价(unit price)",
      "金额(amount)",
      "币制(currency)",
      "申报海关(customs)",
      "条件1 综试区登记并在平台登记六项(registered and six fields recorded)",
      "条件2 所在地海关申报(declared at the zone's customs)",
      "条件3 非取消退(免)税货物(not cancelled goods)",
      "符合无票免税(qualifies)",
      "不符合的条件(failed conditions)",
  };
  return kHeader;
}

std::vector<TotalRow> ComputeTotals(const Records& records) {
  // category -> currency -> (lines, amount); categories in a fixed order.
  static const char* const kKeys[] = {"all", "qualifying", "failed-1", "failed-2", "failed-3"};
  std::map<std::string, std::map<std::string, TotalRow>> by;
  auto add = [&](const std::string& key, const RecordLine& l) {
    TotalRow& t = by[key][l.currency];
    t.key = key;
    t.currency = l.currency;
    ++t.lines;
    StatusOr<Decimal> d = Decimal::Parse(l.total_price);
    if (d.ok()) t.amount += *d;
  };
  for (const RecordLine& l : records.lines) {
    add("all", l);
    if (l.Qualifies()) add("qualifying", l);
    for (int i = 0; i < 3; ++i) {
      if (!l.conditions[i].passed) add("failed-" + std::to_string(i + 1), l);
    }
  }
  std::vector<TotalRow> out;
  for (const char* k : kKeys) {
    for (auto& [cur, t] : by[k]) out.push_back(t);
  }
  return out;
}

std::string TotalLabel(const std::string& key) {
  if (key == "all") return "全部明细(all lines)";
  if (key == "qualifying") return "符合无票免税(qualifying)";
  if (key == "failed-1") return "不符合条件1(failed condition 1: registration, six fields)";
  if (key == "failed-2") return "不符合条件2(failed condition 2: customs of the zone)";
  if (key == "failed-3") return "不符合条件3(failed condition 3: cancelled goods)";
  return key;
}

// ---- Deemed EIT

StatusOr<EitEstimate> EstimateEit(store::Store& store, const EitRequest& req,
                                  const Parameters& params) {
  if (req.ebc_code.empty()) return InvalidArgument("ebcCode is required", "ebcCode");
  if (req.year < 2000 || req.year > 2100) return InvalidArgument("year must be YYYY", "year");
  const std::string y = std::to_string(req.year);
  const std::string year_end = y + "-12-31";
  const DeemedRate* deemed = params.DeemedOn(year_end);
  if (!deemed) {
    return InvalidArgument("no deemed taxable income rate for " + y +
                               " (the deemed basis applies from 2020, 公告2019年第36号)",
                           "year");
  }
  ASSIGN_OR_RETURN(
      Records records,
      BuildRecords(store, RecordsRequest{req.ebc_code, y + "-01-01", year_end}, params));
  EitEstimate e;
  e.ebc_code = req.ebc_code;
  e.ebc_name = records.ebc_name;
  e.year = req.year;
  e.small_micro_requested = req.small_micro;
  e.lines = static_cast<int>(records.lines.size());
  for (const RecordLine& l : records.lines) {
    if (!l.Qualifies()) continue;
    StatusOr<Decimal> amount = Decimal::Parse(l.total_price);
    if (!amount.ok()) continue;  // condition 1 would have failed on an empty amount
    ++e.qualifying_lines;
    if (l.currency == kCny) {
      e.revenue += *amount;
    } else {
      e.not_converted[l.currency] += *amount;
    }
  }
  e.taxable_income_rate = deemed->taxable_income_rate;
  e.taxable_income = e.revenue.Mul(deemed->taxable_income_rate).RoundTo(2);
  e.documents.push_back(deemed->document);
  e.basis = "standard";
  e.rate = deemed->standard_rate;
  if (req.small_micro) {
    const SmallMicroRule* rule = params.SmallMicroOn(year_end);
    if (!rule) {
      e.note = "no small and micro enterprise rule for " + y +
               " in data/tax/eit_small_micro.csv: the standard rate applies";
    } else if (e.taxable_income > rule->taxable_income_limit) {
      e.note = "taxable income " + e.taxable_income.ToString(2) +
               " is over the small and micro "
               "limit of " +
               Amount(rule->taxable_income_limit) + ": the standard rate applies";
      e.documents.push_back(rule->document);
    } else {
      e.basis = "small-micro";
      e.rate = rule->effective_rate;
      e.documents.push_back(rule->document);
    }
  }
  e.tax = e.taxable_income.Mul(e.rate).RoundTo(2);
  return e;
}

std::string EitToJson(const EitEstimate& e) {
  std::string o = "{\"ebcCode\":";
  AppendJsonString(o, e.ebc_code);
  o += ",\"ebcName\":";
  AppendJsonString(o, e.ebc_name);
  o += ",\"year\":" + std::to_string(e.year) + ",\"lines\":" + std::to_string(e.lines) +
       ",\"qualifyingLines\":" + std::to_string(e.qualifying_lines) + ",\"currency\":\"142\"";
  o += ",\"revenue\":";
  AppendJsonString(o, Amount(e.revenue));
  o += ",\"taxableIncomeRate\":";
  AppendJsonString(o, e.taxable_income_rate.ToShortString());
  o += ",\"taxableIncome\":";
  AppendJsonString(o, e.taxable_income.ToString(2));
  o += ",\"basis\":";
  AppendJsonString(o, e.basis);
  o += ",\"rate\":";
  AppendJsonString(o, e.rate.ToShortString());
  o += ",\"tax\":";
  AppendJsonString(o, e.tax.ToString(2));
  o += ",\"smallMicroRequested\":";
  o += e.small_micro_requested ? "true" : "false";
  if (!e.note.empty()) {
    o += ",\"note\":";
    AppendJsonString(o, e.note);
  }
  o += ",\"notConverted\":[";
  bool first = true;
  for (const auto& [cur, amount] : e.not_converted) {
    if (!first) o += ',';
    first = false;
    o += "{\"currency\":";
    AppendJsonString(o, cur);
    o += ",\"amount\":";
    AppendJsonString(o, Amount(amount));
    o += '}';
  }
  o += "],\"documents\":[";
  for (size_t i = 0; i < e.documents.size(); ++i) {
    if (i) o += ',';
    AppendJsonString(o, e.documents[i]);
  }
  o += "]}";
  return o;
}

}  // namespace shumao::exporttax

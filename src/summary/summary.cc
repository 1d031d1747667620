#include "summary/summary.h"

#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "common/strings.h"

namespace shumao::summary {
namespace {

constexpr char kNs[] = "summary";         // "YYYY-MM/nnnnnnn" -> a declaration (JSON)
constexpr char kListNs[] = "summarized";  // document id (20 digits) -> declSeqNo
constexpr int kPage = 5000;
constexpr int kAttempts = 4;

struct Month {
  int year = 0, month = 0;
  int64_t from_ms = 0, to_ms = 0;  // [first instant, first instant of the next month)
  std::string compact;             // "YYYYMM"
};

std::optional<Month> ParseMonth(const std::string& text) {
  if (text.size() != 7 || text[4] != '-' || !IsDigits(text.substr(0, 4)) ||
      !IsDigits(text.substr(5, 2))) {
    return std::nullopt;
  }
  Month m;
  m.year = std::stoi(text.substr(0, 4));
  m.month = std::stoi(text.substr(5, 2));
  if (m.year < 2000 || m.year > 2100 || m.month < 1 || m.month > 12) return std::nullopt;
  m.from_ms = FromBeijing(CivilTime{m.year, m.month, 1}).millis;
  m.to_ms = FromBeijing(CivilTime{m.month == 12 ? m.year + 1 : m.year, m.month % 12 + 1, 1}).millis;
  m.compact = text.substr(0, 4) + text.substr(5, 2);
  return m;
}

std::string Pad(int64_t n, int width) {
  std::string s = std::to_string(n);
  return s.size() >= static_cast<size_t>(width) ? s : std::string(width - s.size(), '0') + s;
}

std::string IdKey(int64_t id) { return Pad(id, 20); }

// Exactly four characters of a customs code (the numbers the platform assigns are 18).
std::string Code4(const std::string& code) {
  std::string s = code.substr(0, 4);
  return s + std::string(4 - s.size(), '0');
}

// An amount with at least two decimals and no trailing zeros beyond: "161.00", "0.125".
std::string Amount(Decimal d) {
  std::string s = d.ToString(5);
  while (s.size() > 3 && s.back() == '0' && s[s.size() - 3] != '.') s.pop_back();
  return s;
}

// ---- The lists, as read from their documents.

struct Line {
  int gnum = 0;
  std::string gcode, country, currency, item_name;
  Decimal qty, total_price;
};

struct List {
  int64_t id = 0;
  std::string cop_no, invt_no, logistics_no;
  std::string ebc_code, ebc_name, traf_mode, owner_code, country, port_code;
  std::string customs_code, agent_code, agent_name;
  Decimal gross_weight, net_weight;
  std::vector<Line> lines;
};

std::string Member(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

StatusOr<Decimal> DecimalMember(const rapidjson::Value& obj, const char* name,
                                const std::string& cop_no) {
  std::string text = Member(obj, name);
  if (text.empty()) return Decimal();
  StatusOr<Decimal> d = Decimal::Parse(text);
  if (!d.ok()) return Internal("summary: list " + cop_no + ": " + name + " is not a number");
  return *d;
}

// The list of a closed CEB603 document, or nullopt when it is not summarised
// (statisticsFlag A, or another enterprise's when `ebc` is given).
StatusOr<std::optional<List>> ReadList(const store::DocumentRow& row, const std::string& ebc) {
  rapidjson::Document d;
  d.Parse(row.body_json.data(), row.body_json.size());
  if (d.HasParseError() || !d.IsObject()) {
    return Internal("summary: list document " + std::to_string(row.id) + " is not JSON");
  }
  auto head_it = d.FindMember("InventoryHead");
  if (head_it == d.MemberEnd() || !head_it->value.IsObject()) {
    return Internal("summary: list document " + std::to_string(row.id) + " has no InventoryHead");
  }
  const rapidjson::Value& head = head_it->value;
  if (Member(head, "statisticsFlag") != "B") return std::optional<List>();
  List l;
  l.ebc_code = Member(head, "ebcCode");
  if (!ebc.empty() && l.ebc_code != ebc) return std::optional<List>();
  l.id = row.id;
  l.cop_no = row.key;
  l.invt_no = !row.alt_key.empty() ? row.alt_key : Member(head, "invtNo");
  if (l.invt_no.empty()) l.invt_no = row.key;
  l.logistics_no = Member(head, "logisticsNo");
  l.ebc_name = Member(head, "ebcName");
  l.traf_mode = Member(head, "trafMode");
  l.owner_code = Member(head, "ownerCode");
  l.country = Member(head, "country");
  l.port_code = Member(head, "portCode");
  l.customs_code = Member(head, "customsCode");
  l.agent_code = Member(head, "agentCode");
  l.agent_name = Member(head, "agentName");
  ASSIGN_OR_RETURN(l.gross_weight, DecimalMember(head, "grossWeight", l.cop_no));
  ASSIGN_OR_RETURN(l.net_weight, DecimalMember(head, "netWeight", l.cop_no));
  auto add_line = [&](const rapidjson::Value& v) -> Status {
    if (!v.IsObject()) return Internal("summary: list " + l.cop_no + ": a line is not an object");
    Line line;
    std::string gnum = Member(v, "gnum");
    line.gnum = IsDigits(gnum) && !gnum.empty() && gnum.size() < 9 ? std::stoi(gnum) : 0;
    line.gcode = Member(v, "gcode");
    line.country = Member(v, "country");
    line.currency = Member(v, "currency");
    line.item_name = Member(v, "itemName");
    ASSIGN_OR_RETURN(line.qty, DecimalMember(v, "qty", l.cop_no));
    ASSIGN_OR_RETURN(line.total_price, DecimalMember(v, "totalPrice", l.cop_no));
    l.lines.push_back(std::move(line));
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
  return std::optional<List>(std::move(l));
}

// ---- Stored declarations (module state), as JSON.

std::string DeclarationToStateJson(const Declaration& d) {
  rapidjson::StringBuffer sb;
  rapidjson::Writer<rapidjson::StringBuffer> w(sb);
  auto str = [&](const char* k, const std::string& v) {
    w.Key(k);
    w.String(v.data(), static_cast<rapidjson::SizeType>(v.size()));
  };
  w.StartObject();
  str("declSeqNo", d.decl_seq_no);
  str("sumNo", d.sum_no);
  str("ebcCode", d.ebc_code);
  str("trafMode", d.traf_mode);
  str("ownerCode", d.owner_code);
  str("country", d.country);
  str("portCode", d.port_code);
  str("ebcName", d.ebc_name);
  str("customsCode", d.customs_code);
  str("agentCode", d.agent_code);
  str("agentName", d.agent_name);
  str("summaryFlag", d.summary_flag);
  str("itemNameFlag", d.item_name_flag);
  str("grossWeight", d.gross_weight.ToString());
  str("netWeight", d.net_weight.ToString());
  w.Key("builtMs");
  w.Int64(d.built_ms);
  w.Key("items");
  w.StartArray();
  for (const Item& it : d.items) {
    w.StartObject();
    w.Key("gseqno");
    w.Int(it.gseqno);
    str("gcode", it.gcode);
    str("country", it.country);
    str("currency", it.currency);
    str("itemName", it.item_name);
    str("qty", it.qty.ToString());
    str("totalPrice", it.total_price.ToString());
    w.Key("lists");
    w.StartArray();
    for (const std::string& c : it.lists)
      w.String(c.data(), static_cast<rapidjson::SizeType>(c.size()));
    w.EndArray();
    w.EndObject();
  }
  w.EndArray();
  // Lines as compact arrays: [copNo, invtNo, logisticsNo, gcode, gnum, gseqno].
  w.Key("lines");
  w.StartArray();
  for (const LineRef& r : d.lines) {
    w.StartArray();
    for (const std::string* s : {&r.cop_no, &r.invt_no, &r.logistics_no, &r.gcode}) {
      w.String(s->data(), static_cast<rapidjson::SizeType>(s->size()));
    }
    w.Int(r.gnum);
    w.Int(r.gseqno);
    w.EndArray();
  }
  w.EndArray();
  w.EndObject();
  return std::string(sb.GetString(), sb.GetSize());
}

StatusOr<Declaration> DeclarationFromStateJson(const std::string& key, const std::string& json) {
  rapidjson::Document doc;
  doc.Parse(json.data(), json.size());
  Status bad = Internal("summary: stored declaration " + key + " is damaged");
  if (doc.HasParseError() || !doc.IsObject()) return bad;
  Declaration d;
  d.decl_seq_no = Member(doc, "declSeqNo");
  d.sum_no = Member(doc, "sumNo");
  d.ebc_code = Member(doc, "ebcCode");
  d.traf_mode = Member(doc, "trafMode");
  d.owner_code = Member(doc, "ownerCode");
  d.country = Member(doc, "country");
  d.port_code = Member(doc, "portCode");
  d.ebc_name = Member(doc, "ebcName");
  d.customs_code = Member(doc, "customsCode");
  d.agent_code = Member(doc, "agentCode");
  d.agent_name = Member(doc, "agentName");
  d.summary_flag = Member(doc, "summaryFlag");
  d.item_name_flag = Member(doc, "itemNameFlag");
  auto dec = [&](const rapidjson::Value& v, const char* name) -> StatusOr<Decimal> {
    StatusOr<Decimal> x = Decimal::Parse(Member(v, name), 38);
    if (!x.ok()) return bad;
    return *x;
  };
  ASSIGN_OR_RETURN(d.gross_weight, dec(doc, "grossWeight"));
  ASSIGN_OR_RETURN(d.net_weight, dec(doc, "netWeight"));
  if (doc.HasMember("builtMs") && doc["builtMs"].IsInt64()) d.built_ms = doc["builtMs"].GetInt64();
  if (!doc.HasMember("items") || !doc["items"].IsArray()) return bad;
  for (const auto& v : doc["items"].GetArray()) {
    if (!v.IsObject() || !v.HasMember("gseqno") || !v["gseqno"].IsInt()) return bad;
    Item it;
    it.gseqno = v["gseqno"].GetInt();
    it.gcode = Member(v, "gcode");
    it.country = Member(v, "country");
    it.currency = Member(v, "currency");
    it.item_name = Member(v, "itemName");
    ASSIGN_OR_RETURN(it.qty, dec(v, "qty"));
    ASSIGN_OR_RETURN(it.total_price, dec(v, "totalPrice"));
    if (v.HasMember("lists") && v["lists"].IsArray()) {
      for (const auto& c : v["lists"].GetArray()) {
        if (c.IsString()) it.lists.emplace_back(c.GetString(), c.GetStringLength());
      }
    }
    d.items.push_back(std::move(it));
  }
  if (!doc.HasMember("lines") || !doc["lines"].IsArray()) return bad;
  for (const auto& v : doc["lines"].GetArray()) {
    if (!v.IsArray() || v.Size() != 6 || !v[4].IsInt() || !v[5].IsInt()) return bad;
    for (int i = 0; i < 4; ++i) {
      if (!v[i].IsString()) return bad;
    }
    LineRef r;
    r.cop_no = v[0].GetString();
    r.invt_no = v[1].GetString();
    r.logistics_no = v[2].GetString();
    r.gcode = v[3].GetString();
    r.gnum = v[4].GetInt();
    r.gseqno = v[5].GetInt();
    d.lines.push_back(std::move(r));
  }
  return d;
}

// ---- Grouping.

// A declaration being filled: its item keys -> index into items.
struct OpenDeclaration {
  Declaration decl;
  std::unordered_map<std::string, int> index;
};

std::string ItemKey(const Line& line, bool by_name) {
  std::string k = line.country + '\x1f' + line.gcode + '\x1f' + line.currency;
  if (by_name) k += '\x1f' + line.item_name;
  return k;
}

// Adds the lines of `list` whose keys are in `keys` (all when null) to `open`.
void AddList(OpenDeclaration& open, const List& list, bool by_name,
             const std::set<std::string>* keys, bool weights) {
  Declaration& d = open.decl;
  for (const Line& line : list.lines) {
    std::string key = ItemKey(line, by_name);
    if (keys != nullptr && !keys->contains(key)) continue;
    auto [it, added] = open.index.emplace(key, static_cast<int>(d.items.size()));
    if (added) {
      Item item;
      item.gseqno = static_cast<int>(d.items.size()) + 1;
      item.gcode = line.gcode;
      item.country = line.country;
      item.currency = line.currency;
      if (by_name) item.item_name = line.item_name;
      d.items.push_back(std::move(item));
    }
    Item& item = d.items[it->second];
    item.qty += line.qty;
    item.total_price += line.total_price;
    if (item.lists.empty() || item.lists.back() != list.cop_no) item.lists.push_back(list.cop_no);
    d.lines.push_back(
        LineRef{list.cop_no, list.invt_no, list.logistics_no, line.gcode, line.gnum, item.gseqno});
  }
  if (weights) {
    d.list_ids.push_back(list.id);
    d.gross_weight += list.gross_weight;
    d.net_weight += list.net_weight;
  }
}

// The declarations of one head's lists (in id order); numbers are assigned later.
std::vector<Declaration> GroupHead(const std::vector<const List*>& lists, const Request& req,
                                   bool by_owner, int64_t now_ms) {
  bool by_name = req.item_name_flag == "1";
  std::vector<OpenDeclaration> decls;
  // Indices into decls that may take a list: every declaration of the head, full ones too
  // (a full declaration still takes a list whose keys it already has).
  std::vector<size_t> with_room;
  auto open_new = [&](const List& first) -> OpenDeclaration& {
    OpenDeclaration& o = decls.emplace_back();
    Declaration& d = o.decl;
    d.ebc_code = first.ebc_code;
    d.traf_mode = first.traf_mode;
    d.owner_code = by_owner ? first.owner_code : "";
    d.country = first.country;
    d.port_code = first.port_code;
    d.ebc_name = first.ebc_name;
    d.customs_code = first.customs_code;
    d.agent_code = first.agent_code;
    d.agent_name = first.agent_name;
    d.summary_flag = req.summary_flag;
    d.item_name_flag = req.item_name_flag;
    d.built_ms = now_ms;
    with_room.push_back(decls.size() - 1);
    return o;
  };
  for (const List* list : lists) {
    std::vector<std::string> keys;  // distinct, in line order
    std::set<std::string> seen;
    for (const Line& line : list->lines) {
      std::string k = ItemKey(line, by_name);
      if (seen.insert(k).second) keys.push_back(std::move(k));
    }
    bool placed = false;
    if (keys.size() <= static_cast<size_t>(req.max_items)) {
      for (size_t i = 0; i < with_room.size() && !placed; ++i) {
        OpenDeclaration& o = decls[with_room[i]];
        size_t fresh = 0;
        for (const std::string& k : keys) fresh += o.index.contains(k) ? 0 : 1;
        if (o.index.size() + fresh > static_cast<size_t>(req.max_items)) continue;
        AddList(o, *list, by_name, nullptr, true);
        placed = true;
      }
      if (!placed) {
        AddList(open_new(*list), *list, by_name, nullptr, true);
        placed = true;
      }
    } else {
      // More distinct keys than a declaration holds: the list spans new declarations.
      for (size_t from = 0; from < keys.size(); from += req.max_items) {
        std::set<std::string> chunk(keys.begin() + from,
                                    keys.begin() + std::min(keys.size(), from + req.max_items));
        AddList(open_new(*list), *list, by_name, &chunk, from == 0);
      }
    }
  }
  std::vector<Declaration> out;
  out.reserve(decls.size());
  for (OpenDeclaration& o : decls) out.push_back(std::move(o.decl));
  return out;
}

struct Existing {
  std::vector<Declaration> declarations;
  int64_t next_seq = 1;
};

StatusOr<Existing> ReadExisting(store::Store& store, const std::string& month) {
  Existing e;
  std::string from = month + "/";
  const std::string to = month + "0";  // '0' follows '/'
  while (true) {
    ASSIGN_OR_RETURN(auto page, store.ReadStateRange(kNs, from, to, 500));
    for (const auto& [k, v] : page) {
      ASSIGN_OR_RETURN(Declaration d, DeclarationFromStateJson(k, v));
      e.declarations.push_back(std::move(d));
      e.next_seq = std::stoll(k.substr(month.size() + 1)) + 1;
    }
    if (page.size() < 500) break;
    from = page.back().first + '\x01';
  }
  return e;
}

// The lists closed in the month that no declaration holds yet.
StatusOr<std::vector<List>> ReadNewLists(store::Store& store, const Month& m,
                                         const std::string& ebc) {
  std::vector<List> out;
  int64_t after = 0;
  while (true) {
    ASSIGN_OR_RETURN(
        std::vector<store::DocumentRow> rows,
        store.DocumentsByStatus("inventories", "CEB603", "899", m.from_ms, m.to_ms, after, kPage));
    if (rows.empty()) break;
    after = rows.back().id;
    ASSIGN_OR_RETURN(auto marked, store.ReadStateRange(kListNs, IdKey(rows.front().id),
                                                       IdKey(rows.back().id + 1),
                                                       static_cast<int>(rows.size()) + 1));
    std::set<std::string> taken;
    for (auto& [k, v] : marked) taken.insert(k);
    for (const store::DocumentRow& row : rows) {
      if (taken.contains(IdKey(row.id))) continue;
      ASSIGN_OR_RETURN(std::optional<List> l, ReadList(row, ebc));
      if (l) out.push_back(std::move(*l));
    }
    if (rows.size() < static_cast<size_t>(kPage)) break;
  }
  return out;
}

using HeadKey = std::tuple<std::string, std::string, std::string, std::string, std::string>;

}  // namespace

Status CheckRequest(const Request& r, Timestamp now) {
  std::optional<Month> m = ParseMonth(r.month);
  if (!m) return InvalidArgument("month must be YYYY-MM", "month");
  if (m->from_ms > now.millis) return InvalidArgument("month has not begun yet", "month");
  if (r.summary_flag != "1" && r.summary_flag != "2") {
    return InvalidArgument("summaryFlag must be \"1\" (by consignor) or \"2\" (also by producer)",
                           "summaryFlag");
  }
  if (!r.item_name_flag.empty() && r.item_name_flag != "1") {
    return InvalidArgument("itemNameFlag must be \"\" or \"1\"", "itemNameFlag");
  }
  if (r.ebc_code.size() > 18) {
    return InvalidArgument("ebcCode is an enterprise code of up to 18 characters", "ebcCode");
  }
  if (r.max_items < 1 || r.max_items > 999) {
    return InvalidArgument("max items must be 1 to 999", "maxItems");
  }
  return Status::Ok();
}

StatusOr<Summary> Build(store::Store& store, const Request& req, const Clock& clock,
                        const Calendar& calendar) {
  Timestamp now = clock.Now();
  RETURN_IF_ERROR(CheckRequest(req, now));
  Month m = *ParseMonth(req.month);
  bool by_owner = req.summary_flag == "2";

  Existing existing;
  std::vector<Declaration> built;
  for (int attempt = 0;; ++attempt) {
    if (attempt == kAttempts) {
      return Unavailable("summary: other summary runs of " + req.month + " kept interfering");
    }
    ASSIGN_OR_RETURN(existing, ReadExisting(store, req.month));
    ASSIGN_OR_RETURN(std::vector<List> lists, ReadNewLists(store, m, req.ebc_code));
    std::map<HeadKey, std::vector<const List*>> heads;
    for (const List& l : lists) {
      heads[HeadKey{l.ebc_code, l.traf_mode, by_owner ? l.owner_code : "", l.country, l.port_code}]
          .push_back(&l);
    }
    built.clear();
    for (const auto& [key, group] : heads) {
      for (Declaration& d : GroupHead(group, req, by_owner, now.millis))
        built.push_back(std::move(d));
    }
    if (built.empty()) break;
    // Numbers, in head order; one application (sumNo) per ebcCode.
    int64_t seq = existing.next_seq;
    std::string sum_no, sum_ebc;
    for (Declaration& d : built) {
      if (sum_no.empty() || d.ebc_code != sum_ebc) {
        sum_no = Code4(d.customs_code) + m.compact + "S" + Pad(seq, 7);
        sum_ebc = d.ebc_code;
      }
      d.sum_no = sum_no;
      d.decl_seq_no = Code4(d.port_code) + m.compact + "H" + Pad(seq, 7);
      ++seq;
    }
    ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, store.BeginWrite());
    // Another run may have written declarations of this month since they were read.
    ASSIGN_OR_RETURN(auto newer, txn->ScanState(kNs, req.month + "/" + Pad(existing.next_seq, 7),
                                                req.month + "0", 1));
    if (!newer.empty()) continue;  // the transaction rolls back; read again
    int64_t s = existing.next_seq;
    for (const Declaration& d : built) {
      RETURN_IF_ERROR(txn->PutState(kNs, req.month + "/" + Pad(s++, 7), DeclarationToStateJson(d)));
      for (int64_t id : d.list_ids)
        RETURN_IF_ERROR(txn->PutState(kListNs, IdKey(id), d.decl_seq_no));
    }
    RETURN_IF_ERROR(txn->Commit());
    break;
  }

  Summary out;
  out.month = req.month;
  out.deadline = calendar.Deadline(m.year, m.month);
  CivilTime next_day{out.deadline.year, out.deadline.month, out.deadline.day};
  out.overdue = now.millis >= FromBeijing(next_day).millis + 86400000;
  for (Declaration& d : existing.declarations) {
    if (req.ebc_code.empty() || d.ebc_code == req.ebc_code)
      out.declarations.push_back(std::move(d));
  }
  for (Declaration& d : built) out.declarations.push_back(std::move(d));
  return out;
}

StatusOr<std::vector<Due>> Pending(store::Store& store, Timestamp now, int months,
                                   const Calendar& calendar) {
  std::vector<Due> out;
  CivilTime today = ToBeijing(now);
  int64_t today_days = DaysFromCivil(today.year, today.month, today.day);
  for (int back = months; back >= 1; --back) {
    int y = today.year, mo = today.month - back;
    while (mo < 1) {
      mo += 12;
      --y;
    }
    char text[16];
    std::snprintf(text, sizeof text, "%04d-%02d", y, mo);
    std::optional<Month> m = ParseMonth(text);
    if (!m) continue;
    ASSIGN_OR_RETURN(std::vector<List> lists, ReadNewLists(store, *m, ""));
    std::map<std::string, int64_t> per_ebc;
    for (const List& l : lists) ++per_ebc[l.ebc_code];
    Date deadline = calendar.Deadline(y, mo);
    int days_left =
        static_cast<int>(DaysFromCivil(deadline.year, deadline.month, deadline.day) - today_days);
    for (const auto& [ebc, n] : per_ebc) {
      out.push_back(Due{text, ebc, n, deadline, days_left, days_left < 0});
    }
  }
  return out;
}

std::string PendingToJson(const std::vector<Due>& due, Timestamp now) {
  CivilTime t = ToBeijing(now);
  std::string out = "{\"at\":\"" + FormatDate(Date{t.year, t.month, t.day}) + "\",\"due\":[";
  for (size_t i = 0; i < due.size(); ++i) {
    const Due& d = due[i];
    if (i > 0) out += ',';
    out += "{\"month\":\"" + d.month + "\",\"ebcCode\":\"";
    AppendJsonEscaped(out, d.ebc_code);
    out += "\",\"lists\":" + std::to_string(d.lists) + ",\"deadline\":\"" + FormatDate(d.deadline) +
           "\",\"daysLeft\":" + std::to_string(d.days_left) +
           ",\"overdue\":" + (d.overdue ? "true" : "false") + "}";
  }
  out += "]}";
  return out;
}

std::string SummaryToJson(const Summary& s) {
  std::string out = "{\"month\":\"";
  AppendJsonEscaped(out, s.month);
  out += "\",\"deadline\":\"" + FormatDate(s.deadline) + "\",\"overdue\":";
  out += s.overdue ? "true" : "false";
  out += ",\"declarations\":[";
  auto field = [&](const char* name, const std::string& v, bool first = false) {
    if (!first) out += ',';
    out += '"';
    out += name;
    out += "\":\"";
    AppendJsonEscaped(out, v);
    out += '"';
  };
  for (size_t i = 0; i < s.declarations.size(); ++i) {
    const Declaration& d = s.declarations[i];
    if (i > 0) out += ',';
    out += '{';
    field("declSeqNo", d.decl_seq_no, true);
    field("ebcCode", d.ebc_code);
    field("trafMode", d.traf_mode);
    field("ownerCode", d.owner_code);
    field("country", d.country);
    field("portCode", d.port_code);
    out += ",\"items\":[";
    for (size_t j = 0; j < d.items.size(); ++j) {
      const Item& it = d.items[j];
      if (j > 0) out += ',';
      out += "{\"gseqno\":" + std::to_string(it.gseqno);
      field("gcode", it.gcode);
      field("country", it.country);
      field("currency", it.currency);
      if (d.item_name_flag == "1") field("itemName", it.item_name);
      field("qty", it.qty.ToShortString());
      field("totalPrice", Amount(it.total_price));
      out += ",\"lists\":[";
      for (size_t k = 0; k < it.lists.size(); ++k) {
        if (k > 0) out += ',';
        out += '"';
        AppendJsonEscaped(out, it.lists[k]);
        out += '"';
      }
      out += "]}";
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

}  // namespace shumao::summary

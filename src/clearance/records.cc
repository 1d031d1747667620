#include "clearance/records.h"

#include <rapidjson/document.h>

#include <cstdio>

#include "clearance/clearance.h"
#include "common/strings.h"

namespace shumao::clearance {
namespace {

void AppendFields(std::string& out, const Fields& fields) {
  out += '{';
  bool first = true;
  for (const auto& [k, v] : fields) {
    if (!first) out += ',';
    first = false;
    out += '"';
    AppendJsonEscaped(out, k);
    out += "\":\"";
    AppendJsonEscaped(out, v);
    out += '"';
  }
  out += '}';
}

void AppendFacts(std::string& out, const Facts& facts) {
  out += "{\"f\":";
  AppendFields(out, facts.f);
  out += ",\"l\":[";
  for (size_t i = 0; i < facts.lines.size(); ++i) {
    if (i > 0) out += ',';
    AppendFields(out, facts.lines[i]);
  }
  out += "]}";
}

Status ReadFields(const rapidjson::Value& v, Fields& out) {
  if (!v.IsObject()) return Internal("clearance record: fields are not an object");
  for (auto it = v.MemberBegin(); it != v.MemberEnd(); ++it) {
    if (!it->value.IsString()) return Internal("clearance record: a field is not a string");
    out.emplace(std::string(it->name.GetString(), it->name.GetStringLength()),
                std::string(it->value.GetString(), it->value.GetStringLength()));
  }
  return Status::Ok();
}

Status ReadFacts(const rapidjson::Value& v, Facts& out) {
  if (!v.IsObject()) return Internal("clearance record: not an object");
  auto f = v.FindMember("f");
  if (f != v.MemberEnd()) RETURN_IF_ERROR(ReadFields(f->value, out.f));
  auto l = v.FindMember("l");
  if (l != v.MemberEnd() && l->value.IsArray()) {
    for (const auto& line : l->value.GetArray()) {
      RETURN_IF_ERROR(ReadFields(line, out.lines.emplace_back()));
    }
  }
  return Status::Ok();
}

StatusOr<rapidjson::Document> Parse(std::string_view json) {
  rapidjson::Document d;
  d.Parse(json.data(), json.size());
  if (d.HasParseError() || !d.IsObject()) return Internal("clearance record is not valid JSON");
  return d;
}

}  // namespace

std::string EncodeFacts(const Facts& facts) {
  std::string out;
  AppendFacts(out, facts);
  return out;
}

StatusOr<Facts> DecodeFacts(std::string_view json) {
  ASSIGN_OR_RETURN(rapidjson::Document d, Parse(json));
  Facts facts;
  RETURN_IF_ERROR(ReadFacts(d, facts));
  return facts;
}

std::string EncodeParcel(const Parcel& p) {
  std::string out = "{";
  const std::pair<const char*, const Facts*> parts[] = {
      {"o", &p.order}, {"p", &p.payment}, {"l", &p.list}};
  bool first = true;
  for (const auto& [name, facts] : parts) {
    if (facts->empty()) continue;
    if (!first) out += ',';
    first = false;
    out += '"';
    out += name;
    out += "\":";
    AppendFacts(out, *facts);
  }
  out += '}';
  return out;
}

StatusOr<Parcel> DecodeParcel(std::string_view json) {
  ASSIGN_OR_RETURN(rapidjson::Document d, Parse(json));
  Parcel p;
  const std::pair<const char*, Facts*> parts[] = {
      {"o", &p.order}, {"p", &p.payment}, {"l", &p.list}};
  for (const auto& [name, facts] : parts) {
    auto it = d.FindMember(name);
    if (it != d.MemberEnd()) RETURN_IF_ERROR(ReadFacts(it->value, *facts));
  }
  return p;
}

std::string TimeKey(int64_t ms) {
  char buf[24];
  std::snprintf(buf, sizeof buf, "%013lld", static_cast<long long>(ms < 0 ? 0 : ms));
  return buf;
}

namespace {

// A decimal field, zero when missing or malformed (records hold checked values).
Decimal DecOrZero(const std::string& text) {
  auto d = Decimal::Parse(text);
  return d.ok() ? *d : Decimal();
}

std::string FieldOr(const Fields& f, const char* k) {
  auto it = f.find(k);
  return it == f.end() ? std::string() : it->second;
}

}  // namespace

ScreenFacts ScreenFactsOfList(const Facts& l) {
  ScreenFacts f;
  f.key = l.Get("copNo") + "|" + l.Get("agentCode");
  f.cop_no = l.Get("copNo");
  f.invt_no = l.Get("k:invtNo");
  f.order_no = l.Get("orderNo");
  f.logistics_no = l.Get("logisticsNo");
  f.trade_mode = l.Get("tradeMode");
  f.ebc_code = l.Get("ebcCode");
  f.ebp_code = l.Get("ebpCode");
  f.agent_code = l.Get("agentCode");
  f.logistics_code = l.Get("logisticsCode");
  f.declared = Timestamp{l.Get("since").empty() ? 0 : std::stoll(l.Get("since"))};
  f.gross_weight = DecOrZero(l.Get("grossWeight"));
  for (const Fields& ll : l.lines) {
    auto get = [&ll](const char* k) { return FieldOr(ll, k); };
    ScreenLine sl;
    sl.gnum = get("gnum");
    sl.gcode = get("gcode");
    sl.gname = get("gname");
    sl.item_no = get("itemNo");
    sl.unit = get("unit");
    sl.qty = DecOrZero(get("qty"));
    sl.price = DecOrZero(get("price"));
    f.lines.push_back(std::move(sl));
  }
  return f;
}

StatList StatListOf(const Facts& l) {
  StatList s;
  s.direction.assign(1, l.Get("rt") == "CEB622" ? 'I' : 'E');
  s.cop_no = l.Get("copNo");
  s.trade_mode = l.Get("tradeMode");
  s.ebc_code = l.Get("ebcCode");
  s.agent_code = l.Get("agentCode");
  s.country = l.Get("country");
  s.currency = l.Get("currency");
  const std::string& packs = l.Get("packNo");
  s.packs = IsDigits(packs) && packs.size() < 9 && std::stoi(packs) > 0 ? std::stoi(packs) : 1;
  s.declared = Timestamp{IsDigits(l.Get("since")) ? std::stoll(l.Get("since")) : 0};
  s.tax = DecOrZero(l.Get("taxTotal"));
  for (const Fields& ll : l.lines) {
    auto get = [&ll](const char* k) { return FieldOr(ll, k); };
    s.lines.push_back(
        StatLine{get("gcode"), get("country"), get("currency"), DecOrZero(get("totalPrice"))});
  }
  return s;
}

StatList ReturnedPartOf(const Facts& l, const Fields& qty) {
  StatList all = StatListOf(l);
  StatList s = all;
  s.lines.clear();
  for (size_t i = 0; i < l.lines.size() && i < all.lines.size(); ++i) {
    auto gnum = l.lines[i].find("gnum");
    auto price = l.lines[i].find("price");
    if (gnum == l.lines[i].end() || price == l.lines[i].end()) continue;
    auto q = qty.find(gnum->second);
    if (q == qty.end()) continue;
    auto p = Decimal::Parse(price->second);
    auto n = Decimal::Parse(q->second);
    if (!p.ok() || !n.ok()) continue;
    StatLine line = all.lines[i];
    line.total_price = p->Mul(*n);
    s.lines.push_back(std::move(line));
  }
  return s;
}

}  // namespace shumao::clearance

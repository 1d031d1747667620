#include "http/clearance_json.h"

#include <rapidjson/document.h>

#include "common/strings.h"

namespace shumao::http {
namespace {

void Field(std::string& out, const char* name, std::string_view value, bool first = false) {
  if (!first) out += ',';
  out += '"';
  out += name;
  out += "\":\"";
  AppendJsonEscaped(out, value);
  out += '"';
}

}  // namespace

StatusOr<std::vector<clearance::InboundRecord>> InboundFromJson(std::string_view body) {
  rapidjson::Document d;
  d.Parse<rapidjson::kParseNumbersAsStringsFlag>(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject()) {
    return InvalidArgument("the body is not a JSON object", "");
  }
  auto recs = d.FindMember("records");
  if (recs == d.MemberEnd() || !recs->value.IsArray()) {
    return InvalidArgument("records must be an array", "records");
  }
  std::vector<clearance::InboundRecord> out;
  int i = 0;
  for (const auto& r : recs->value.GetArray()) {
    std::string at = "records[" + std::to_string(i++) + "]";
    if (!r.IsObject()) return InvalidArgument("a record must be an object", at);
    auto text = [&](const char* name, std::string& dst) -> Status {
      auto it = r.FindMember(name);
      if (it == r.MemberEnd()) return Status::Ok();
      if (!it->value.IsString()) return InvalidArgument("must be a string", at + "." + name);
      dst.assign(it->value.GetString(), it->value.GetStringLength());
      return Status::Ok();
    };
    clearance::InboundRecord rec;
    std::string qty;
    RETURN_IF_ERROR(text("warehouse", rec.warehouse));
    RETURN_IF_ERROR(text("emsNo", rec.ems_no));
    RETURN_IF_ERROR(text("itemRecordNo", rec.item_record_no));
    RETURN_IF_ERROR(text("itemNo", rec.item_no));
    RETURN_IF_ERROR(text("gcode", rec.gcode));
    RETURN_IF_ERROR(text("gname", rec.gname));
    RETURN_IF_ERROR(text("unit", rec.unit));
    RETURN_IF_ERROR(text("entryNo", rec.entry_no));
    RETURN_IF_ERROR(text("time", rec.time));
    RETURN_IF_ERROR(text("qty", qty));
    if (rec.warehouse.empty()) return InvalidArgument("warehouse is required", at + ".warehouse");
    if (rec.item_record_no.empty())
      return InvalidArgument("itemRecordNo is required", at + ".itemRecordNo");
    auto q = Decimal::Parse(qty);
    if (!q.ok() || q->IsNegative() || q->IsZero()) {
      return InvalidArgument("qty must be a number above 0", at + ".qty");
    }
    rec.qty = *q;
    out.push_back(std::move(rec));
  }
  return out;
}

std::string StockToJson(const std::vector<clearance::StockLine>& lines) {
  std::string out = "{\"stock\":[";
  for (size_t i = 0; i < lines.size(); ++i) {
    const auto& l = lines[i];
    if (i > 0) out += ',';
    out += '{';
    Field(out, "warehouse", l.warehouse, true);
    Field(out, "itemRecordNo", l.item_record_no);
    Field(out, "itemNo", l.item_no);
    Field(out, "gcode", l.gcode);
    Field(out, "gname", l.gname);
    Field(out, "unit", l.unit);
    Field(out, "in", l.in.ToShortString());
    Field(out, "out", l.out.ToShortString());
    Field(out, "returned", l.returned.ToShortString());
    Field(out, "balance", l.balance.ToShortString());
    out += '}';
  }
  out += "]}";
  return out;
}

std::string QuotaToJson(const clearance::QuotaView& q) {
  std::string out = "{\"year\":" + std::to_string(q.year);
  Field(out, "limit", q.limit.ToString(2));
  Field(out, "used", q.used.ToString(2));
  Field(out, "remaining", q.remaining.ToString(2));
  out += '}';
  return out;
}

std::string GuaranteeToJson(const clearance::GuaranteeView& g) {
  std::string out = "{";
  Field(out, "code", g.code, true);
  Field(out, "balance", g.balance.ToString(2));
  Field(out, "outstanding", g.outstanding.ToString(2));
  Field(out, "paid", g.paid.ToString(2));
  out += '}';
  return out;
}

}  // namespace shumao::http

#include "http/tax_quote_json.h"

#include <rapidjson/document.h>
#include <rapidjson/error/en.h>

#include "common/strings.h"

namespace shumao::http {
namespace {

constexpr unsigned kFlags = rapidjson::kParseIterativeFlag | rapidjson::kParseValidateEncodingFlag |
                            rapidjson::kParseNumbersAsStringsFlag;

// An amount given as a string or a number; absent → `fallback` (or an error when none).
StatusOr<Decimal> Amount(const rapidjson::Value& obj, const char* name, const std::string& field,
                         std::optional<Decimal> fallback) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || it->value.IsNull()) {
    if (fallback) return *fallback;
    return InvalidArgument("required", field);
  }
  if (!it->value.IsString()) return InvalidArgument("must be a number or a decimal string", field);
  auto d = Decimal::Parse(std::string_view(it->value.GetString(), it->value.GetStringLength()));
  if (!d.ok()) return InvalidArgument(d.status().message(), field);
  return *d;
}

std::string Str(const rapidjson::Value& obj, const char* name) {
  auto it = obj.FindMember(name);
  if (it == obj.MemberEnd() || !it->value.IsString()) return {};
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

std::string Money(Decimal d) { return "\"" + d.ToString(2) + "\""; }

}  // namespace

StatusOr<std::string> QuoteFromJson(std::string_view body, const tax::TariffTable& table,
                                    const Clock& clock, const QuotaLookup& quota) {
  rapidjson::Document doc;
  doc.Parse<kFlags>(body.data(), body.size());
  if (doc.HasParseError()) {
    return InvalidArgument(std::string("malformed JSON at byte ") +
                           std::to_string(doc.GetErrorOffset()) + ": " +
                           rapidjson::GetParseError_En(doc.GetParseError()));
  }
  if (!doc.IsObject()) return InvalidArgument("the quote request must be a JSON object");
  tax::QuoteRequest req;
  std::string date = Str(doc, "date");
  if (date.empty()) {
    req.date = clock.Now();
  } else {
    auto t = ParseDate(date);
    if (!t.ok()) return InvalidArgument(t.status().message(), "date");
    req.date = *t;
  }
  req.trade_mode = Str(doc, "tradeMode");
  if (req.trade_mode.empty()) return InvalidArgument("required (1210, 9610 or 1239)", "tradeMode");
  ASSIGN_OR_RETURN(req.freight, Amount(doc, "freight", "freight", Decimal()));
  ASSIGN_OR_RETURN(req.insured_fee, Amount(doc, "insuredFee", "insuredFee", Decimal()));
  auto buyer = doc.FindMember("buyer");
  bool with_buyer = buyer != doc.MemberEnd() && buyer->value.IsObject();
  if (with_buyer) {
    std::string id_number = Str(buyer->value, "idNumber");
    if (id_number.empty()) return InvalidArgument("required", "buyer.idNumber");
    std::string id_type = Str(buyer->value, "idType");
    if (id_type.empty()) id_type = "1";
    if (quota) {
      ASSIGN_OR_RETURN(req.annual_used_before, quota(id_type, id_number, ToBeijing(req.date).year));
    } else {
      req.annual_used_before = Decimal();  // no ledger at hand: nothing used yet
    }
  }
  auto items = doc.FindMember("items");
  if (items == doc.MemberEnd() || !items->value.IsArray() || items->value.Empty()) {
    return InvalidArgument("at least one item is required", "items");
  }
  int n = 0;
  for (const auto& it : items->value.GetArray()) {
    ++n;
    std::string f = "items[" + std::to_string(n) + "]";
    if (!it.IsObject()) return InvalidArgument("must be an object", f);
    tax::Line line;
    line.gcode = Str(it, "gcode");
    line.item_name = Str(it, "itemName");
    line.unit = Str(it, "unit");
    if (line.gcode.empty()) return InvalidArgument("required", f + ".gcode");
    ASSIGN_OR_RETURN(line.qty, Amount(it, "qty", f + ".qty", std::nullopt));
    ASSIGN_OR_RETURN(line.price, Amount(it, "price", f + ".price", std::nullopt));
    auto rates = it.FindMember("rates");
    if (rates != it.MemberEnd() && rates->value.IsObject()) {
      const auto& r = rates->value;
      for (auto [name, slot] : {std::pair{"duty", &line.duty}, std::pair{"vat", &line.vat},
                                std::pair{"consumption", &line.consumption}}) {
        if (r.HasMember(name)) {
          ASSIGN_OR_RETURN(Decimal v, Amount(r, name, f + ".rates." + name, std::nullopt));
          *slot = v;
        }
      }
    }
    req.lines.push_back(std::move(line));
  }
  ASSIGN_OR_RETURN(tax::Quote q, tax::ComputeQuote(req, table));
  std::string out =
      "{\"regime\":\"" + q.regime + "\",\"dutiableValue\":" + Money(q.dutiable_value) +
      ",\"customsTax\":" + Money(q.customs_tax) + ",\"valueAddedTax\":" + Money(q.value_added_tax) +
      ",\"consumptionTax\":" + Money(q.consumption_tax) + ",\"taxTotal\":" + Money(q.tax_total) +
      ",\"lines\":[";
  for (size_t i = 0; i < q.lines.size(); ++i) {
    const tax::LineTax& l = q.lines[i];
    if (i) out += ',';
    out += "{\"gnum\":" + std::to_string(l.gnum) + ",\"dutiableValue\":" + Money(l.dutiable_value) +
           ",\"customsTax\":" + Money(l.customs_tax) +
           ",\"valueAddedTax\":" + Money(l.value_added_tax) +
           ",\"consumptionTax\":" + Money(l.consumption_tax) + "}";
  }
  out += "]";
  if (with_buyer) {
    out += ",\"quota\":{\"year\":" + std::to_string(ToBeijing(req.date).year) +
           ",\"usedBefore\":" + Money(q.annual_used_before) +
           ",\"usedAfter\":" + Money(q.annual_used_after) + "}";
  }
  out += ",\"policyVersion\":\"";
  AppendJsonEscaped(out, q.policy_version);
  out += "\",\"reasons\":[";
  for (size_t i = 0; i < q.reasons.size(); ++i) {
    if (i) out += ',';
    out += '"';
    AppendJsonEscaped(out, q.reasons[i]);
    out += '"';
  }
  out += "]}";
  return out;
}

}  // namespace shumao::http

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "common/code_tables.h"
#include "tax/tax.h"

namespace shumao::tax {
namespace {

// Far enough in the future to close an open-ended row.
constexpr Timestamp kForever{INT64_C(253402300799000)};  // 9999-12-31T23:59:59Z

struct CsvRow {
  int line = 0;
  std::vector<std::string> fields;
};

// Rows after the header, each with `columns` fields.
StatusOr<std::vector<CsvRow>> ReadCsv(std::string_view text, std::string_view file,
                                      size_t columns) {
  std::vector<CsvRow> rows;
  int line_no = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view() : text.substr(end + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 || line.empty()) continue;
    CsvRow row{line_no, SplitCsvLine(line)};
    if (row.fields.size() != columns) {
      return InvalidArgument("expected " + std::to_string(columns) + " fields",
                             std::string(file) + ":" + std::to_string(line_no));
    }
    rows.push_back(std::move(row));
  }
  return rows;
}

std::string Where(std::string_view file, const CsvRow& row) {
  return std::string(file) + ":" + std::to_string(row.line);
}

StatusOr<Decimal> ParseAmount(const std::string& text, std::string_view file, const CsvRow& row) {
  auto d = Decimal::Parse(text);
  if (!d.ok()) return InvalidArgument("bad amount '" + text + "'", Where(file, row));
  return *d;
}

StatusOr<std::optional<Decimal>> ParseOptionalAmount(const std::string& text, std::string_view file,
                                                     const CsvRow& row) {
  if (text.empty()) return std::optional<Decimal>();
  ASSIGN_OR_RETURN(Decimal d, ParseAmount(text, file, row));
  return std::optional<Decimal>(d);
}

StatusOr<Timestamp> ParseDay(const std::string& text, std::string_view file, const CsvRow& row) {
  auto t = ParseDate(text);
  if (!t.ok()) return InvalidArgument("bad date '" + text + "'", Where(file, row));
  return *t;
}

bool IsDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

Status CheckRange(const std::string& from, const std::string& to, std::string_view file,
                  const CsvRow& row) {
  if (!IsDigits(from) || !IsDigits(to) || from.size() != to.size() || from > to) {
    return InvalidArgument("bad HS prefix range " + from + ".." + to, Where(file, row));
  }
  return Status::Ok();
}

// Whether `gcode` starts with a prefix in [from, to] (prefixes of equal length).
bool InRange(std::string_view gcode, const std::string& from, const std::string& to) {
  if (gcode.size() < from.size()) return false;
  std::string_view prefix = gcode.substr(0, from.size());
  return prefix >= from && prefix <= to;
}

// Declared units whose price can be turned into a price per ml or g: code → ml or g per
// unit (data/units.csv: 096 毫升, 036 克, 095 升, 035 千克).
std::optional<int64_t> MillilitresOrGrams(std::string_view unit) {
  if (unit == "096" || unit == "036") return 1;
  if (unit == "095" || unit == "035") return 1000;
  return std::nullopt;
}

// Piece or sheet units (011 件, 007 个, 020 片, 010 张).
bool IsPieceOrSheet(std::string_view unit) {
  return unit == "011" || unit == "007" || unit == "020" || unit == "010";
}

}  // namespace

StatusOr<TariffTable> TariffTable::Parse(std::string_view policy_csv,
                                         std::string_view vat_periods_csv,
                                         std::string_view vat_reduced_csv,
                                         std::string_view consumption_csv) {
  TariffTable t;
  {
    constexpr std::string_view kFile = "policy.csv";
    ASSIGN_OR_RETURN(auto rows, ReadCsv(policy_csv, kFile, 6));
    for (const CsvRow& r : rows) {
      Policy p;
      ASSIGN_OR_RETURN(p.effective_from, ParseDay(r.fields[0], kFile, r));
      ASSIGN_OR_RETURN(p.single_limit, ParseAmount(r.fields[1], kFile, r));
      ASSIGN_OR_RETURN(p.annual_limit, ParseAmount(r.fields[2], kFile, r));
      ASSIGN_OR_RETURN(p.factor, ParseAmount(r.fields[3], kFile, r));
      if (r.fields[4] == "retail-full") {
        p.indivisible_item = IndivisibleItemRule::kRetailFull;
      } else if (r.fields[4] == "general-trade") {
        p.indivisible_item = IndivisibleItemRule::kGeneralTrade;
      } else {
        return InvalidArgument("bad indivisible_item_over_limit", Where(kFile, r));
      }
      p.version = r.fields[5];
      if (!t.policies_.empty() && t.policies_.back().effective_from >= p.effective_from) {
        return InvalidArgument("rows must be in date order", Where(kFile, r));
      }
      t.policies_.push_back(std::move(p));
    }
    if (t.policies_.empty()) return InvalidArgument("no rows", std::string(kFile));
    for (size_t i = 0; i < t.policies_.size(); ++i) {
      t.policies_[i].effective_to =
          i + 1 < t.policies_.size() ? t.policies_[i + 1].effective_from : kForever;
    }
  }
  {
    constexpr std::string_view kFile = "vat_periods.csv";
    ASSIGN_OR_RETURN(auto rows, ReadCsv(vat_periods_csv, kFile, 3));
    for (const CsvRow& r : rows) {
      VatPeriod v;
      ASSIGN_OR_RETURN(v.effective_from, ParseDay(r.fields[0], kFile, r));
      ASSIGN_OR_RETURN(v.standard, ParseAmount(r.fields[1], kFile, r));
      ASSIGN_OR_RETURN(v.reduced, ParseAmount(r.fields[2], kFile, r));
      if (!t.vat_periods_.empty() && t.vat_periods_.back().effective_from >= v.effective_from) {
        return InvalidArgument("rows must be in date order", Where(kFile, r));
      }
      t.vat_periods_.push_back(v);
    }
    if (t.vat_periods_.empty()) return InvalidArgument("no rows", std::string(kFile));
  }
  {
    constexpr std::string_view kFile = "vat_reduced.csv";
    ASSIGN_OR_RETURN(auto rows, ReadCsv(vat_reduced_csv, kFile, 3));
    for (const CsvRow& r : rows) {
      RETURN_IF_ERROR(CheckRange(r.fields[0], r.fields[1], kFile, r));
      t.reduced_.push_back({r.fields[0], r.fields[1], r.fields[2]});
    }
  }
  {
    constexpr std::string_view kFile = "consumption_tax.csv";
    ASSIGN_OR_RETURN(auto rows, ReadCsv(consumption_csv, kFile, 9));
    for (const CsvRow& r : rows) {
      ConsumptionRule c;
      RETURN_IF_ERROR(CheckRange(r.fields[0], r.fields[1], kFile, r));
      c.hs_from = r.fields[0];
      c.hs_to = r.fields[1];
      c.category = r.fields[2];
      if (r.fields[3] == "ad_valorem") {
        c.kind = ConsumptionKind::kAdValorem;
      } else if (r.fields[3] == "specific") {
        c.kind = ConsumptionKind::kSpecific;
      } else {
        return InvalidArgument("bad kind '" + r.fields[3] + "'", Where(kFile, r));
      }
      ASSIGN_OR_RETURN(c.rate, ParseAmount(r.fields[4], kFile, r));
      if (c.rate.IsNegative() || c.rate >= Decimal::FromInt(1)) {
        return InvalidArgument("rate must be in [0, 1)", Where(kFile, r));
      }
      ASSIGN_OR_RETURN(c.min_unit_price, ParseOptionalAmount(r.fields[5], kFile, r));
      ASSIGN_OR_RETURN(c.min_price_per_ml_g, ParseOptionalAmount(r.fields[6], kFile, r));
      ASSIGN_OR_RETURN(c.effective_from, ParseDay(r.fields[7], kFile, r));
      if (r.fields[8].empty()) {
        c.effective_to = kForever;
      } else {
        // The CSV names the last day; the rule ends at the start of the next day.
        ASSIGN_OR_RETURN(Timestamp last, ParseDay(r.fields[8], kFile, r));
        c.effective_to = Timestamp{last.millis + INT64_C(86400000)};
      }
      if (c.effective_to <= c.effective_from) {
        return InvalidArgument("effective_to before effective_from", Where(kFile, r));
      }
      t.consumption_.push_back(std::move(c));
    }
  }
  return t;
}

const TariffTable& TariffTable::BuiltIn() {
  // Built once from bytes compiled into the binary; a failure is a build defect, caught by
  // the tests (tax_test.cc parses the same bytes).
  static const TariffTable* const kTable = [] {
    auto t = Parse(BuiltInFile("policy.csv"), BuiltInFile("vat_periods.csv"),
                   BuiltInFile("vat_reduced.csv"), BuiltInFile("consumption_tax.csv"));
    return new TariffTable(std::move(t).value());
  }();
  return *kTable;
}

const Policy& TariffTable::PolicyAt(Timestamp date) const {
  const Policy* found = &policies_.front();
  for (const Policy& p : policies_) {
    if (p.effective_from <= date) found = &p;
  }
  return *found;
}

Decimal TariffTable::VatRate(std::string_view gcode, Timestamp date) const {
  const VatPeriod* period = &vat_periods_.front();
  for (const VatPeriod& v : vat_periods_) {
    if (v.effective_from <= date) period = &v;
  }
  for (const ReducedVatRange& r : reduced_) {
    if (InRange(gcode, r.hs_from, r.hs_to)) return period->reduced;
  }
  return period->standard;
}

ConsumptionResult TariffTable::Consumption(std::string_view gcode, std::string_view unit,
                                           Decimal unit_price, Timestamp date) const {
  ConsumptionResult result;
  for (const ConsumptionRule& c : consumption_) {
    if (!InRange(gcode, c.hs_from, c.hs_to)) continue;
    if (date < c.effective_from || date >= c.effective_to) continue;
    if (c.kind == ConsumptionKind::kSpecific) {
      result.category = c.category;
      result.specific = true;
      return result;
    }
    if (c.min_price_per_ml_g) {
      if (auto per = MillilitresOrGrams(unit)) {
        // price / per < min, kept exact as price < min × per.
        if (unit_price < c.min_price_per_ml_g->Mul(Decimal::FromInt(*per))) return result;
      } else if (IsPieceOrSheet(unit)) {
        if (c.min_unit_price && unit_price < *c.min_unit_price) return result;
      } else {
        result.category = c.category;
        result.undetermined = "unit " + std::string(unit) +
                              " is neither ml/g nor piece/sheet: the price threshold of " +
                              c.category + " cannot be tested";
        return result;
      }
    } else if (c.min_unit_price && unit_price < *c.min_unit_price) {
      return result;
    }
    result.rate = c.rate;
    result.category = c.category;
    return result;
  }
  return result;
}

}  // namespace shumao::tax

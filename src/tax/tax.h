// Comprehensive tax of a cross-border retail import order (跨境电商零售进口综合税) and the
// regime decision (retail, retail-full, refused), after policy-rules.md §1.2–1.5.
//
// Pure domain code: no I/O. The policy (limits, the 0.7 factor) and the tariff rules (VAT
// periods, reduced-rate headings, consumption-tax categories) are effective-dated data:
// data/tax/*.csv, compiled into the binary (builtin_tables.cc holds the same bytes) and
// parsed by TariffTable. docs/tax.md gives the formulas, the allocation and rounding rules,
// the provenance of each table and what is not supported.
//
// Thread safety: a TariffTable is immutable after construction; share it freely.
// ComputeQuote is a pure function.
#ifndef SHUMAO_TAX_TAX_H_
#define SHUMAO_TAX_TAX_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"
#include "common/status.h"
#include "common/time.h"

namespace shumao::tax {

// What happens to a single indivisible item whose order total is over the single limit.
enum class IndivisibleItemRule {
  kGeneralTrade,  // 财关税〔2016〕18号: taxed as general trade, i.e. refused here
  kRetailFull,    // 财关税〔2018〕49号: retail channel with full tax, counted in the quota
};

// The retail import limits and the preferential factor in force over [from, to).
struct Policy {
  Timestamp effective_from;
  Timestamp effective_to;  // exclusive; the start of the next row, or far in the future
  Decimal single_limit;    // inclusive
  Decimal annual_limit;    // inclusive
  Decimal factor;          // applied to statutory VAT and consumption tax within the limits
  IndivisibleItemRule indivisible_item = IndivisibleItemRule::kGeneralTrade;
  std::string version;  // the document that set it, e.g. "财关税〔2018〕49号"
};

enum class ConsumptionKind { kAdValorem, kSpecific };

// One consumption-tax category over an HS prefix range, effective [from, to).
struct ConsumptionRule {
  std::string hs_from, hs_to;  // prefixes of equal length, inclusive range
  std::string category;
  ConsumptionKind kind = ConsumptionKind::kAdValorem;
  Decimal rate;
  // Thresholds on the declared unit price; the category applies only at or above them.
  // min_price_per_ml_g set: the cosmetics rule (per ml/g for mass and volume units, else
  // min_unit_price per piece or sheet); otherwise min_unit_price for any unit.
  std::optional<Decimal> min_unit_price;
  std::optional<Decimal> min_price_per_ml_g;
  Timestamp effective_from;
  Timestamp effective_to;  // exclusive
};

struct VatPeriod {
  Timestamp effective_from;
  Decimal standard, reduced;
};

struct ReducedVatRange {
  std::string hs_from, hs_to;
  std::string category;
};

// The consumption tax a goods line attracts by default.
struct ConsumptionResult {
  Decimal rate;              // 0 when no category applies
  std::string category;      // empty when none
  bool specific = false;     // a specific or compound category: not computed
  std::string undetermined;  // why the threshold could not be tested, else empty
};

// The effective-dated policy and tariff tables.
class TariffTable {
 public:
  // The tables compiled into the binary (the bytes of data/tax/*.csv).
  static const TariffTable& BuiltIn();
  // Parses the four CSV files' contents. InvalidArgument names the file and line at fault.
  static StatusOr<TariffTable> Parse(std::string_view policy_csv, std::string_view vat_periods_csv,
                                     std::string_view vat_reduced_csv,
                                     std::string_view consumption_csv);

  // The policy in force on `date`. Dates before the first row (2016-04-08) get the first
  // row: the 2016 limits are the earliest the retail regime knows.
  const Policy& PolicyAt(Timestamp date) const;
  // The default VAT rate of an HS code on `date` (standard or reduced by heading).
  Decimal VatRate(std::string_view gcode, Timestamp date) const;
  // The default consumption tax of a line: its HS code, declared unit (code table units)
  // and unit price, on `date`.
  ConsumptionResult Consumption(std::string_view gcode, std::string_view unit, Decimal unit_price,
                                Timestamp date) const;

  const std::vector<Policy>& policies() const { return policies_; }
  const std::vector<VatPeriod>& vat_periods() const { return vat_periods_; }
  const std::vector<ReducedVatRange>& reduced() const { return reduced_; }
  const std::vector<ConsumptionRule>& consumption() const { return consumption_; }

 private:
  TariffTable() = default;
  std::vector<Policy> policies_;
  std::vector<VatPeriod> vat_periods_;
  std::vector<ReducedVatRange> reduced_;
  std::vector<ConsumptionRule> consumption_;
};

// The embedded bytes of a data/tax file by base name ("policy.csv"); empty if unknown.
std::string_view BuiltInFile(std::string_view name);

// One goods line. qty and price are the declared quantity and unit price (CNY); the rates,
// when set, override the tariff table for this line (duty defaults to 0: the project has
// no MFN rates).
struct Line {
  std::string gcode, item_name, unit;
  Decimal qty, price;
  std::optional<Decimal> duty, vat, consumption;
};

struct QuoteRequest {
  Timestamp date;          // the declaration date: selects policy and rates
  std::string trade_mode;  // 1210, 9610 or 1239
  Decimal freight, insured_fee;
  std::vector<Line> lines;
  // The buyer's amount used this calendar year before this order. Without it the annual
  // limit is not checked.
  std::optional<Decimal> annual_used_before;
};

struct LineTax {
  int gnum = 0;            // 1-based
  Decimal dutiable_value;  // goods value + allocated freight and insurance
  Decimal customs_tax, value_added_tax, consumption_tax;
};

struct Quote {
  std::string regime;  // "retail" | "retail-full" | "refused"
  Decimal dutiable_value, customs_tax, value_added_tax, consumption_tax, tax_total;
  std::vector<LineTax> lines;
  Decimal annual_used_before, annual_used_after;
  // Why the order was refused, and notes (an unknown duty rate taken as 0), each in
  // Chinese then English.
  std::vector<std::string> reasons;
  std::string policy_version;
};

// Computes the regime and the taxes. InvalidArgument (with the field path, e.g.
// "items[2].qty") for a malformed request: no lines, a quantity not above 0, a negative
// price, fee or rate, a rate of consumption tax not below 1, a zero goods total, an
// unknown trade mode. A refused order is a Quote with regime "refused" and reasons.
StatusOr<Quote> ComputeQuote(const QuoteRequest& request, const TariffTable& table);

}  // namespace shumao::tax

#endif  // SHUMAO_TAX_TAX_H_

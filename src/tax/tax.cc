#include "tax/tax.h"

#include <string>
#include <vector>

namespace shumao::tax {
namespace {

constexpr __int128 kS = Decimal::kOne;  // units per yuan (1e5)

// THE rounding rule (docs/tax.md, "Rounding"): every amount charged, and every share of
// freight and insurance, is the exact value num / den yuan (num, den >= 0, den > 0),
// rounded half-up to the fen. Nothing is rounded before this point, so a base never
// carries an earlier rounding.
Decimal RoundToFen(__int128 num, __int128 den) {
  __int128 scaled = num * 100;
  __int128 fen = scaled / den;
  if (2 * (scaled % den) >= den) ++fen;
  return Decimal::FromUnits(fen * (kS / 100));
}

// An ad valorem tax: P × (1 + d) × rate × factor / (1 − c), rounded once.
Decimal AdValoremTax(Decimal p, Decimal d, Decimal rate, Decimal factor, Decimal c) {
  __int128 num = p.units() * (kS + d.units()) * rate.units() * factor.units();
  __int128 den = kS * kS * kS * (kS - c.units());
  return RoundToFen(num, den);
}

// "5000.00" for amounts in fen, the short form for finer ones.
std::string Money(Decimal d) { return d == d.RoundTo(2) ? d.ToString(2) : d.ToShortString(); }

std::string Field(size_t i, const char* name) { return "items[" + std::to_string(i) + "]." + name; }

Status CheckRate(const std::optional<Decimal>& rate, Decimal max_exclusive, size_t i,
                 const char* name) {
  if (rate && (rate->IsNegative() || *rate >= max_exclusive)) {
    return InvalidArgument("rate out of range", Field(i, name));
  }
  return Status::Ok();
}

Status Validate(const QuoteRequest& r) {
  if (r.trade_mode != "1210" && r.trade_mode != "9610" && r.trade_mode != "1239") {
    return InvalidArgument("trade mode must be 1210, 9610 or 1239", "tradeMode");
  }
  if (r.lines.empty()) return InvalidArgument("the order has no items", "items");
  if (r.freight.IsNegative()) return InvalidArgument("negative freight", "freight");
  if (r.insured_fee.IsNegative()) return InvalidArgument("negative insured fee", "insuredFee");
  if (r.annual_used_before && r.annual_used_before->IsNegative()) {
    return InvalidArgument("negative annual amount", "annualUsedBefore");
  }
  // Bounds that keep AdValoremTax's products inside 128 bits with a wide margin.
  const Decimal kMaxAmount = Decimal::FromInt(1'000'000'000);
  if (r.freight > kMaxAmount || r.insured_fee > kMaxAmount) {
    return InvalidArgument("fee too large", "freight");
  }
  for (size_t i = 0; i < r.lines.size(); ++i) {
    const Line& l = r.lines[i];
    if (l.qty <= Decimal()) return InvalidArgument("quantity must be above 0", Field(i, "qty"));
    if (l.price <= Decimal()) return InvalidArgument("price must be above 0", Field(i, "price"));
    if (l.qty > kMaxAmount || l.price > kMaxAmount || l.qty.Mul(l.price) > kMaxAmount) {
      return InvalidArgument("amount too large", Field(i, "price"));
    }
    RETURN_IF_ERROR(CheckRate(l.duty, Decimal::FromInt(10), i, "rates.duty"));
    RETURN_IF_ERROR(CheckRate(l.vat, Decimal::FromInt(1), i, "rates.vat"));
    RETURN_IF_ERROR(CheckRate(l.consumption, Decimal::FromInt(1), i, "rates.consumption"));
  }
  return Status::Ok();
}

// Spreads `fees` over the lines in proportion to their value: each share rounded to the
// fen, the largest line (the first of equals) takes what rounding leaves, so the shares
// add up to `fees` exactly.
StatusOr<std::vector<Decimal>> Allocate(Decimal fees, const std::vector<Decimal>& values) {
  Decimal total;
  size_t largest = 0;
  for (size_t i = 0; i < values.size(); ++i) {
    total += values[i];
    if (values[i] > values[largest]) largest = i;
  }
  std::vector<Decimal> shares(values.size());
  Decimal given;
  for (size_t i = 0; i < values.size(); ++i) {
    if (i == largest) continue;
    shares[i] = RoundToFen(fees.units() * values[i].units(), kS * total.units());
    given += shares[i];
  }
  shares[largest] = fees - given;
  if (shares[largest].IsNegative()) {
    return InvalidArgument("freight and insurance cannot be spread to the fen", "freight");
  }
  return shares;
}

std::string LineLabel(size_t i, const Line& l) {
  return std::to_string(i + 1) + " (" + l.gcode + ")";
}

}  // namespace

StatusOr<Quote> ComputeQuote(const QuoteRequest& request, const TariffTable& table) {
  RETURN_IF_ERROR(Validate(request));
  const Policy& policy = table.PolicyAt(request.date);

  Quote q;
  q.policy_version = policy.version;

  // Order total = goods + freight + insurance (policy-rules.md §1.2, §1.4).
  std::vector<Decimal> values;
  Decimal goods;
  for (const Line& l : request.lines) {
    values.push_back(l.qty.Mul(l.price));
    goods += values.back();
  }
  const Decimal fees = request.freight + request.insured_fee;
  const Decimal total = goods + fees;
  ASSIGN_OR_RETURN(std::vector<Decimal> shares, Allocate(fees, values));
  q.dutiable_value = total;

  const Decimal used = request.annual_used_before.value_or(Decimal());
  q.annual_used_before = used;
  q.annual_used_after = used;

  // The regime (policy-rules.md §1.3, "Decision logic for implementation").
  const bool within_single = total <= policy.single_limit;
  const bool within_annual = !request.annual_used_before || used + total <= policy.annual_limit;
  const bool indivisible = request.lines.size() == 1 && request.lines[0].qty == Decimal::FromInt(1);
  if (!within_single) {
    if (!indivisible) {
      q.reasons.push_back("订单金额" + Money(total) + "元超过单次交易限值" +
                          Money(policy.single_limit) + "元，且不是单个不可分割商品 (order amount " +
                          Money(total) + " exceeds the single-transaction limit " +
                          Money(policy.single_limit) + " and is not a single indivisible item)");
    } else if (policy.indivisible_item == IndivisibleItemRule::kGeneralTrade) {
      q.reasons.push_back("订单金额" + Money(total) + "元超过单次交易限值" +
                          Money(policy.single_limit) + "元，按" + policy.version +
                          "应按一般贸易全额征税 (order amount " + Money(total) +
                          " exceeds the single-transaction limit " + Money(policy.single_limit) +
                          "; under " + policy.version + " it is taxed as general trade)");
    }
  }
  if (!within_annual) {
    q.reasons.push_back("年度累计金额" + Money(used + total) + "元(已用" + Money(used) + "元+本单" +
                        Money(total) + "元)超过年度限值" + Money(policy.annual_limit) +
                        "元 (annual amount " + Money(used + total) + " (used " + Money(used) +
                        " + order " + Money(total) + ") exceeds the annual limit " +
                        Money(policy.annual_limit) + ")");
  }

  // Rates per line; a category this module cannot compute refuses the order.
  struct Rates {
    Decimal duty, vat, consumption;
  };
  std::vector<Rates> rates;
  for (size_t i = 0; i < request.lines.size(); ++i) {
    const Line& l = request.lines[i];
    Rates r;
    r.duty = l.duty.value_or(Decimal());
    r.vat = l.vat ? *l.vat : table.VatRate(l.gcode, request.date);
    ConsumptionResult ct = table.Consumption(l.gcode, l.unit, l.price, request.date);
    if (ct.specific) {
      q.reasons.push_back("第" + LineLabel(i, l) + "项商品(" + ct.category +
                          ")为从量或复合计征消费税，暂不支持 (line " + LineLabel(i, l) + ", " +
                          ct.category + ": specific-rate consumption tax not supported yet)");
    } else if (l.consumption) {
      r.consumption = *l.consumption;
    } else if (!ct.undetermined.empty()) {
      q.reasons.push_back("第" + LineLabel(i, l) +
                          "项商品无法判断消费税起征标准，请给出消费税率 (line " + LineLabel(i, l) +
                          ": " + ct.undetermined + "; give rates.consumption)");
    } else {
      r.consumption = ct.rate;
    }
    rates.push_back(r);
  }

  std::string regime = "refused";
  if (q.reasons.empty()) regime = within_single ? "retail" : "retail-full";
  q.regime = regime;

  for (size_t i = 0; i < request.lines.size(); ++i) {
    LineTax t;
    t.gnum = static_cast<int>(i + 1);
    t.dutiable_value = values[i] + shares[i];
    const Rates& r = rates[i];
    if (regime == "retail") {
      // Duty 0 and out of the base; statutory VAT and CT × the factor.
      t.value_added_tax =
          AdValoremTax(t.dutiable_value, Decimal(), r.vat, policy.factor, r.consumption);
      t.consumption_tax =
          AdValoremTax(t.dutiable_value, Decimal(), r.consumption, policy.factor, r.consumption);
    } else if (regime == "retail-full") {
      const Decimal one = Decimal::FromInt(1);
      t.customs_tax = RoundToFen(t.dutiable_value.units() * r.duty.units(), kS * kS);
      t.value_added_tax = AdValoremTax(t.dutiable_value, r.duty, r.vat, one, r.consumption);
      t.consumption_tax = AdValoremTax(t.dutiable_value, r.duty, r.consumption, one, r.consumption);
      if (!request.lines[i].duty) {
        q.reasons.push_back("第" + LineLabel(i, request.lines[i]) +
                            "项商品无最惠国关税税率，关税按0计 (line " +
                            LineLabel(i, request.lines[i]) +
                            ": no duty rate known, duty taken as 0; give rates.duty)");
      }
    }
    q.customs_tax += t.customs_tax;
    q.value_added_tax += t.value_added_tax;
    q.consumption_tax += t.consumption_tax;
    q.lines.push_back(t);
  }
  q.tax_total = q.customs_tax + q.value_added_tax + q.consumption_tax;
  if (regime != "refused") q.annual_used_after = used + total;
  return q;
}

}  // namespace shumao::tax

// The policy and tariff tables compiled into the binary: the bytes of data/tax/*.csv
// (provenance in docs/tax.md). Keep them identical to the files; tax_test.cc
// (BuiltInTables.MatchDataFiles) fails when they differ.
#include <string_view>

#include "tax/tax.h"

namespace shumao::tax {
namespace {

// data/tax/policy.csv
constexpr std::string_view kPolicy =
    R"csv(effective_from,single_limit,annual_limit,preferential_factor,indivisible_item_over_limit,version
2016-04-08,2000,20000,0.7,general-trade,财关税〔2016〕18号
2019-01-01,5000,26000,0.7,retail-full,财关税〔2018〕49号
)csv";

// data/tax/vat_periods.csv
constexpr std::string_view kVatPeriods = R"csv(effective_from,standard,reduced
1994-01-01,0.17,0.13
2017-07-01,0.17,0.11
2018-05-01,0.16,0.10
2019-04-01,0.13,0.09
)csv";

// data/tax/vat_reduced.csv
constexpr std::string_view kVatReduced = R"csv(hs_from,hs_to,category
01,14,primary agricultural products
1507,1517,edible vegetable oils
2309,2309,animal feed
2501,2501,edible salt
31,31,fertilisers
4901,4904,books newspapers and printed music
)csv";

// data/tax/consumption_tax.csv
constexpr std::string_view kConsumptionTax =
    R"csv(hs_from,hs_to,category,kind,rate,min_unit_price,min_price_per_ml_g,effective_from,effective_to
3303,3304,cosmetics,ad_valorem,0.30,,,1994-01-01,2016-09-30
3307,3307,cosmetics,ad_valorem,0.30,,,1994-01-01,2016-09-30
3303,3304,high-end cosmetics,ad_valorem,0.15,15,10,2016-10-01,
3307,3307,high-end cosmetics,ad_valorem,0.15,15,10,2016-10-01,
9101,9102,high-end watches,ad_valorem,0.20,10000,,1994-01-01,
7101,7116,precious jewellery and jade,ad_valorem,0.10,,,1994-01-01,
950631,950639,golf balls and equipment,ad_valorem,0.10,,,1994-01-01,
8903,8903,yachts,ad_valorem,0.10,,,1994-01-01,
2204,2206,wine and other fermented drinks,ad_valorem,0.10,,,1994-01-01,
2203,2203,beer,specific,0,,,1994-01-01,
2208,2208,spirits,specific,0.20,,,1994-01-01,
24,24,tobacco,specific,0,,,1994-01-01,
8506,8507,batteries,ad_valorem,0.04,,,2015-02-01,
3208,3210,coatings,ad_valorem,0.04,,,2015-02-01,
4418,4419,wooden flooring and disposable chopsticks,ad_valorem,0.05,,,1994-01-01,
)csv";

}  // namespace

std::string_view BuiltInFile(std::string_view name) {
  if (name == "policy.csv") return kPolicy;
  if (name == "vat_periods.csv") return kVatPeriods;
  if (name == "vat_reduced.csv") return kVatReduced;
  if (name == "consumption_tax.csv") return kConsumptionTax;
  return {};
}

}  // namespace shumao::tax

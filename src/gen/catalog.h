// The goods the generator sells: a fixed catalogue of import and export articles with
// real 10-digit HS codes (checked against the embedded tariff table, whose legal units are
// used), typical prices, weights, VAT rates and countries.
//
// Thread safety: a Catalog is immutable after Load; share freely.
#ifndef SHUMAO_GEN_CATALOG_H_
#define SHUMAO_GEN_CATALOG_H_

#include <string>
#include <vector>

#include "common/code_tables.h"
#include "common/decimal.h"
#include "common/status.h"

namespace shumao::gen {

enum class Category {
  kInfantFormula,
  kDiapers,
  kSkincare,
  kMakeup,
  kPerfume,
  kPersonalCare,
  kHealth,
  kFood,
  kBags,
  kShoes,
  kElectronics,
  kWatches,
  kEyewear,
  kToys,
  kApparel,
  kHome,
  kTools,
};

struct Goods {
  std::string item_no;       // the seller's SKU, <= 20 characters
  std::string name;          // Chinese goods name (itemName, gname)
  std::string english;       // listing title (export itemDescribe)
  std::string gmodel;        // declaration elements (规格型号)
  std::string hs;            // 10-digit HS code, listed in hs_codes.csv
  std::string unit;          // declared unit of the sale (罐, 瓶, 件, ...)
  std::string unit1, unit2;  // legal units of the HS code (unit2 may be empty)
  int legal_per_unit = 1;    // legal count units per declared unit (a 4-piece set: 4)
  Decimal net_kg, gross_kg;  // per declared unit
  Decimal price;             // typical unit price, CNY
  Decimal vat;               // 0.13 or 0.09
  int content = 0;           // ml or g per unit: cosmetics are "high-end" at >= 10 CNY per ml or g
  int pieces = 0;            // sheets per unit: ... or at >= 15 CNY per piece
  bool watch = false;        // watches carry consumption tax from 10,000 CNY
  Category category = Category::kFood;
  int weight = 0;                    // popularity; 0 = used only to make faults
  std::vector<std::string> origins;  // customs country codes
  std::string bar_code;              // EAN-13 with its check digit
};

class Catalog {
 public:
  // Resolves the catalogue against the code tables. Internal error if an HS code, unit or
  // country of the catalogue is not in the tables (a bug in the catalogue).
  static StatusOr<Catalog> Load(const CodeTables& tables);

  const std::vector<Goods>& imports() const { return imports_; }
  const std::vector<Goods>& exports() const { return exports_; }
  // Import luxury articles (one piece over the single limit), for faults only.
  const std::vector<Goods>& luxury() const { return luxury_; }

  // Legal quantities of `qty` declared units: per kg, g or count unit.
  static Decimal LegalQty(const Goods& g, const std::string& legal_unit, int64_t qty);
  // Consumption-tax rate of one unit sold at `price` (0, 0.15 cosmetics, 0.20 watches).
  static Decimal ConsumptionRate(const Goods& g, Decimal price);

 private:
  std::vector<Goods> imports_, exports_, luxury_;
};

}  // namespace shumao::gen

#endif  // SHUMAO_GEN_CATALOG_H_

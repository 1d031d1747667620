// Code tables of the customs parameter system: countries, currencies, units, customs
// districts (关区), transport modes, trade modes (监管方式) and the 10-digit HS codes with
// their legal units. Built from the project's data files (data/*.csv, provenance in
// data/SOURCES.md), embedded in the binary at build time.
//
// The tables are known to be partial (2019 snapshots). Two lenient rules are therefore
// applied, both documented in docs/decisions/0005-code-tables.md:
//   - a customs district code is known when it is listed, or when it is four characters
//     ending in two digits and its directly subordinate customs (first two characters +
//     "00") is listed: offices opened after 2019 are accepted under their customs;
//   - an HS code is known when it is listed, or (unless strict) when it has ten digits in a
//     listed chapter.
//
// Thread safety: immutable after Load; share freely.
#ifndef SHUMAO_COMMON_CODE_TABLES_H_
#define SHUMAO_COMMON_CODE_TABLES_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "common/status.h"

namespace shumao {

// The bytes of an embedded data file by base name ("countries.csv"); empty if unknown.
std::string_view EmbeddedFile(std::string_view name);

enum class CodeTable {
  kCountry,
  kCurrency,
  kUnit,
  kCustomsDistrict,
  kTransportMode,
  kTradeMode,
  kHsCode,
};

std::string_view CodeTableName(CodeTable t);  // "country", "currency", ...

struct HsCode {
  std::string code;
  std::string name;
  std::string unit1;  // legal first unit
  std::string unit2;  // legal second unit, may be empty
};

class CodeTables {
 public:
  // Parses the embedded data files.
  static StatusOr<std::shared_ptr<const CodeTables>> LoadEmbedded();

  // Whether `code` is known in `table` (with the lenient rules above).
  bool Contains(CodeTable table, std::string_view code) const;
  // The Chinese name of a code, if listed exactly.
  std::optional<std::string> Name(CodeTable table, std::string_view code) const;
  const HsCode* FindHs(std::string_view code) const;
  size_t Size(CodeTable table) const;

 private:
  CodeTables() = default;
  std::unordered_map<std::string, std::string> tables_[6];
  std::unordered_map<std::string, HsCode> hs_;
  std::unordered_set<std::string> hs_chapters_;
};

// Splits one CSV line (RFC 4180 quoting) into fields.
std::vector<std::string> SplitCsvLine(std::string_view line);

}  // namespace shumao

#endif  // SHUMAO_COMMON_CODE_TABLES_H_

// The parameter files of data/tax/ (compiled in) and their parsing.
#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "common/code_tables.h"
#include "common/strings.h"
#include "exporttax/exporttax.h"

namespace shumao::exporttax {
namespace {

// data/tax/zone_customs.csv, byte for byte (exporttax_test.cc:
// BuiltInParameters.MatchTheDataFiles).
constexpr std::string_view kZoneCustoms = R"csv(code_prefix,name,note
23,南京海关 (Nanjing Customs: every customs office in Jiangsu),2300 南京海关 and its offices 2301-23xx in data/customs_districts.csv
)csv";

// data/tax/no_exemption_hs.csv, byte for byte (exporttax_test.cc:
// BuiltInParameters.MatchTheDataFiles).
constexpr std::string_view kNoExemptionHs = R"csv(hs_prefix,description,document
1518,"化学改性的动植物油脂 (chemically modified animal and vegetable fats and oils)",财政部 税务总局公告2024年第15号 [M]
7604,"铝条、杆、型材及异型材 (aluminium bars, rods and profiles)",财政部 税务总局公告2024年第15号 [M]
7606,"铝板、片及带 (aluminium plates, sheets and strip)",财政部 税务总局公告2024年第15号 [M]
7407,"铜条、杆、型材及异型材 (copper bars, rods and profiles)",财政部 税务总局公告2024年第15号 [M]
7408,"铜丝 (copper wire)",财政部 税务总局公告2024年第15号 [M]
)csv";

// data/tax/eit_deemed.csv, byte for byte (exporttax_test.cc: BuiltInParameters.MatchTheDataFiles).
constexpr std::string_view kEitDeemed =
    R"csv(effective_from,effective_to,taxable_income_rate,standard_rate,document
2020-01-01,,0.04,0.25,国家税务总局公告2019年第36号 (taxable income rate); 企业所得税法 第四条 (standard rate)
)csv";

// data/tax/eit_small_micro.csv, byte for byte (exporttax_test.cc:
// BuiltInParameters.MatchTheDataFiles).
constexpr std::string_view kEitSmallMicro =
    R"csv(effective_from,effective_to,taxable_income_limit,effective_rate,document
2023-01-01,2027-12-31,3000000,0.05,财政部 税务总局公告2023年第12号 [M]
)csv";

// The rows of a CSV file after its header, each split into fields; `columns` is the
// header's width, which every row must have.
StatusOr<std::vector<std::vector<std::string>>> Rows(std::string_view csv, const char* file,
                                                     size_t columns) {
  std::vector<std::vector<std::string>> rows;
  size_t pos = 0;
  int lineno = 0;
  while (pos < csv.size()) {
    size_t end = csv.find('\n', pos);
    if (end == std::string_view::npos) end = csv.size();
    std::string_view line = csv.substr(pos, end - pos);
    pos = end + 1;
    ++lineno;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (lineno == 1 || line.empty()) continue;
    std::vector<std::string> f = SplitCsvLine(line);
    if (f.size() != columns) {
      return InvalidArgument(std::string(file) + " line " + std::to_string(lineno) + ": " +
                             std::to_string(columns) + " fields expected");
    }
    rows.push_back(std::move(f));
  }
  return rows;
}

bool IsDate(const std::string& s) { return s.empty() || ParseDate(s).ok(); }

StatusOr<Decimal> Number(const std::string& text, const char* file, size_t row) {
  StatusOr<Decimal> d = Decimal::Parse(text);
  if (!d.ok() || d->IsNegative()) {
    return InvalidArgument(std::string(file) + " row " + std::to_string(row) + ": \"" + text +
                           "\" is not a number");
  }
  return *d;
}

template <typename Row>
const Row* InEffect(const std::vector<Row>& rows, std::string_view date) {
  for (const Row& r : rows) {
    // "YYYY-MM-DD" compares as text in date order.
    if (r.effective_from <= date && (r.effective_to.empty() || date <= r.effective_to)) return &r;
  }
  return nullptr;
}

const Prefix* Longest(const std::vector<Prefix>& list, std::string_view code) {
  const Prefix* best = nullptr;
  for (const Prefix& p : list) {
    if (code.starts_with(p.prefix) && (!best || p.prefix.size() > best->prefix.size())) best = &p;
  }
  return best;
}

}  // namespace

std::string_view BuiltInZoneCustomsCsv() { return kZoneCustoms; }
std::string_view BuiltInNoExemptionHsCsv() { return kNoExemptionHs; }
std::string_view BuiltInEitDeemedCsv() { return kEitDeemed; }
std::string_view BuiltInEitSmallMicroCsv() { return kEitSmallMicro; }

StatusOr<Parameters> Parameters::FromCsv(std::string_view zone_customs_csv,
                                         std::string_view no_exemption_hs_csv,
                                         std::string_view eit_deemed_csv,
                                         std::string_view eit_small_micro_csv) {
  Parameters p;
  ASSIGN_OR_RETURN(auto zone, Rows(zone_customs_csv, "zone_customs.csv", 3));
  for (auto& f : zone) {
    if (f[0].empty()) return InvalidArgument("zone_customs.csv: an empty code_prefix");
    p.zone_customs_.push_back(Prefix{f[0], f[1], f[2]});
  }
  ASSIGN_OR_RETURN(auto hs, Rows(no_exemption_hs_csv, "no_exemption_hs.csv", 3));
  for (auto& f : hs) {
    if (f[0].empty() || !IsDigits(f[0])) {
      return InvalidArgument("no_exemption_hs.csv: hs_prefix \"" + f[0] + "\" is not digits");
    }
    p.no_exemption_.push_back(Prefix{f[0], f[1], f[2]});
  }
  ASSIGN_OR_RETURN(auto deemed, Rows(eit_deemed_csv, "eit_deemed.csv", 5));
  for (size_t i = 0; i < deemed.size(); ++i) {
    auto& f = deemed[i];
    if (f[0].empty() || !IsDate(f[0]) || !IsDate(f[1])) {
      return InvalidArgument("eit_deemed.csv row " + std::to_string(i + 1) + ": bad dates");
    }
    DeemedRate r{f[0], f[1], {}, {}, f[4]};
    ASSIGN_OR_RETURN(r.taxable_income_rate, Number(f[2], "eit_deemed.csv", i + 1));
    ASSIGN_OR_RETURN(r.standard_rate, Number(f[3], "eit_deemed.csv", i + 1));
    p.deemed_.push_back(std::move(r));
  }
  ASSIGN_OR_RETURN(auto small, Rows(eit_small_micro_csv, "eit_small_micro.csv", 5));
  for (size_t i = 0; i < small.size(); ++i) {
    auto& f = small[i];
    if (f[0].empty() || !IsDate(f[0]) || !IsDate(f[1])) {
      return InvalidArgument("eit_small_micro.csv row " + std::to_string(i + 1) + ": bad dates");
    }
    SmallMicroRule r{f[0], f[1], {}, {}, f[4]};
    ASSIGN_OR_RETURN(r.taxable_income_limit, Number(f[2], "eit_small_micro.csv", i + 1));
    ASSIGN_OR_RETURN(r.effective_rate, Number(f[3], "eit_small_micro.csv", i + 1));
    p.small_micro_.push_back(std::move(r));
  }
  return p;
}

const Parameters& Parameters::BuiltIn() {
  static const Parameters* const kBuiltIn = [] {
    StatusOr<Parameters> p = FromCsv(kZoneCustoms, kNoExemptionHs, kEitDeemed, kEitSmallMicro);
    // The compiled-in files are checked by the tests; a bad one is a build defect.
    if (!p.ok()) std::abort();
    return new Parameters(std::move(*p));
  }();
  return *kBuiltIn;
}

const Prefix* Parameters::ZoneCustoms(std::string_view customs_code) const {
  return customs_code.empty() ? nullptr : Longest(zone_customs_, customs_code);
}

const Prefix* Parameters::NoExemption(std::string_view gcode) const {
  return gcode.empty() ? nullptr : Longest(no_exemption_, gcode);
}

const DeemedRate* Parameters::DeemedOn(std::string_view date) const {
  return InEffect(deemed_, date);
}

const SmallMicroRule* Parameters::SmallMicroOn(std::string_view date) const {
  return InEffect(small_micro_, date);
}

}  // namespace shumao::exporttax

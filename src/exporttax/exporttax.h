// Export tax records for the tax bureau: the no-invoice exemption record (无票免税,
// 财税〔2018〕103号) of each released export list line, and the deemed enterprise income
// tax estimate (国家税务总局公告2019年第36号). Rules and sources: ../shared/domain/
// policy-rules.md §5; parameters in data/tax/ (provenance in data/SOURCES.md).
//
// Records. The lines of every export list (kind "inventories", CEB603) of one e-commerce
// enterprise (InventoryHead.ebcCode) released by customs — status 800, or 899 closed after
// release — in a period of Beijing days [from, to], by release date. The release time is
// the time of the list's first history row with status 800 (written by export clearance
// when the arrival releases it); a list without such a row counts as released at its
// updated_ms. Each line carries the three conditions of 103号, each passed or failed with
// the reason:
//   1. the enterprise is registered in the zone (in the registry) and the platform holds
//      the six fields of the line: export date, goods name (gname), unit, qty, unit price
//      (price), amount (totalPrice) — each present and not empty;
//   2. the list was declared at customs of the zone's locality: its customsCode starts
//      with a prefix of data/tax/zone_customs.csv (Jiangsu: "23", 南京海关);
//   3. the goods (gcode) are not goods whose export refund or exemption is cancelled: no
//      prefix of data/tax/no_exemption_hs.csv (a seed list, unverified) starts it.
// Amounts are the list's decimals as declared (exact, never a double); no currency is
// converted.
//
// Deemed EIT. For a calendar year, revenue = the sum of the amounts of the lines released
// in that year that pass all three conditions and are in CNY (currency 142); the amounts
// of lines in other currencies are reported per currency, not converted. Then
//   taxable income = round_fen(revenue × taxable_income_rate)        (4%, eit_deemed.csv)
//   EIT            = round_fen(taxable income × standard_rate)       (25%)
// or, for an enterprise flagged small and micro (小型微利企业) whose taxable income is at
// most the limit of the eit_small_micro.csv row in effect on 31 December of the year,
//   EIT            = round_fen(taxable income × effective_rate)      (5% for 2023–2027)
// A flagged enterprise over the limit is not small and micro that year: the standard rate
// applies (the answer says why). Rounding is half away from zero to the fen (0.01 CNY),
// once for the taxable income and once for the tax, as a tax return states both.
//
// The parameter files are compiled into the binary (Parameters::BuiltIn; a test compares
// the copies with the files); Parameters::FromCsv reads other ones.
//
// Thread safety: Parameters are immutable; the functions only read the store and may run
// concurrently with anything.
#ifndef SHUMAO_EXPORTTAX_EXPORTTAX_H_
#define SHUMAO_EXPORTTAX_EXPORTTAX_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"
#include "common/status.h"
#include "common/time.h"
#include "store/store.h"

namespace shumao::exporttax {

// One prefix of a configurable code list, with what it stands for.
struct Prefix {
  std::string prefix;
  std::string description;
  std::string document;  // the source, for the HS list
};

// A row of an effective-dated parameter file; dates "YYYY-MM-DD", effective_to empty when
// open-ended.
struct DeemedRate {
  std::string effective_from, effective_to;
  Decimal taxable_income_rate;  // 0.04
  Decimal standard_rate;        // 0.25
  std::string document;
};

struct SmallMicroRule {
  std::string effective_from, effective_to;
  Decimal taxable_income_limit;  // 3000000
  Decimal effective_rate;        // 0.05
  std::string document;
};

class Parameters {
 public:
  // Parses the four files (header row first; RFC 4180 quoting). Errors are InvalidArgument
  // naming the file and line.
  static StatusOr<Parameters> FromCsv(std::string_view zone_customs_csv,
                                      std::string_view no_exemption_hs_csv,
                                      std::string_view eit_deemed_csv,
                                      std::string_view eit_small_micro_csv);
  // The files of data/tax/ as compiled into the binary.
  static const Parameters& BuiltIn();

  // The zone prefix `customs_code` starts with, or nullptr.
  const Prefix* ZoneCustoms(std::string_view customs_code) const;
  // The no-exemption entry `gcode` starts with, or nullptr.
  const Prefix* NoExemption(std::string_view gcode) const;
  // The row in effect on `date` ("YYYY-MM-DD"), or nullptr.
  const DeemedRate* DeemedOn(std::string_view date) const;
  const SmallMicroRule* SmallMicroOn(std::string_view date) const;

 private:
  std::vector<Prefix> zone_customs_, no_exemption_;
  std::vector<DeemedRate> deemed_;
  std::vector<SmallMicroRule> small_micro_;
};

// The compiled-in copies (for the test that compares them with data/tax/).
std::string_view BuiltInZoneCustomsCsv();
std::string_view BuiltInNoExemptionHsCsv();
std::string_view BuiltInEitDeemedCsv();
std::string_view BuiltInEitSmallMicroCsv();

// ---- Records

struct RecordsRequest {
  std::string ebc_code;
  std::string from, to;  // "YYYY-MM-DD", Beijing, both included
};

struct Condition {
  bool passed = false;
  std::string reason;  // why it failed (Chinese, English in parentheses); empty if passed
};

struct RecordLine {
  std::string export_date;  // release date, "YYYY-MM-DD"
  int64_t release_ms = 0;
  std::string invt_no, cop_no, customs_code, status;
  std::string gnum, gname, gcode, unit, unit_name, currency;
  std::string qty, price, total_price;  // exact, as declared
  Condition conditions[3];
  bool Qualifies() const {
    return conditions[0].passed && conditions[1].passed && conditions[2].passed;
  }
  // "1、3" style list of the failed conditions' numbers, empty if none.
  std::string FailedNumbers() const;
};

struct Records {
  std::string ebc_code, ebc_name, from, to;
  std::vector<RecordLine> lines;  // by release time, then list, then gnum
};

// Checks the request: ebcCode not empty, dates YYYY-MM-DD that exist, from <= to.
// InvalidArgument naming the field ("ebcCode", "from", "to").
Status CheckRecordsRequest(const RecordsRequest& request);

// Reads the released lists of the period. Errors: InvalidArgument from the check; Internal
// for a stored list that is not the JSON intake writes; the store's errors.
StatusOr<Records> BuildRecords(store::Store& store, const RecordsRequest& request,
                               const Parameters& params = Parameters::BuiltIn());

// CSV: UTF-8 with a byte order mark (so that Excel reads the Chinese), CRLF line ends
// (RFC 4180), a header row in Chinese with English in parentheses, one row per line.
std::string RecordsToCsv(const Records& records);
// {"ebcCode","ebcName","from","to","lines":[{"exportDate","invtNo","copNo","customsCode",
// "gnum","goodsName","gcode","unit","unitName","qty","unitPrice","amount","currency",
// "conditions":[{"number":1,"passed":true},{"number":2,"passed":false,"reason":".."},..],
// "qualifies":false,"failed":"2"}],"totals":{...}}; amounts and numbers as strings.
std::string RecordsToJson(const Records& records);
// XLSX (libxlsxwriter): sheet "无票免税明细" with a header row, frozen under the header,
// column widths, numbers in the qty, price and amount cells; sheet "汇总" with the lines,
// qualifying lines and amounts per currency, and per failed condition. Written to `path`.
Status WriteXlsx(const Records& records, const std::string& path);
// The same workbook as bytes (through a temporary file).
StatusOr<std::string> RecordsToXlsx(const Records& records);

// ---- Deemed enterprise income tax

struct EitRequest {
  std::string ebc_code;
  int year = 0;
  bool small_micro = false;
};

struct EitEstimate {
  std::string ebc_code, ebc_name;
  int year = 0;
  int lines = 0, qualifying_lines = 0;
  Decimal revenue;                    // CNY, qualifying lines, exact
  Decimal taxable_income;             // to the fen
  Decimal tax;                        // to the fen
  Decimal taxable_income_rate, rate;  // the rate applied to the taxable income
  std::string basis;                  // "standard" or "small-micro"
  bool small_micro_requested = false;
  std::string note;  // why small-micro was not applied, when requested
  std::vector<std::string> documents;
  // Qualifying lines in other currencies: currency -> sum, not converted.
  std::map<std::string, Decimal> not_converted;
};

// Errors: InvalidArgument for an empty ebcCode or a year outside 2020..2100 or before the
// deemed rate's first row ("year"); the errors of BuildRecords.
StatusOr<EitEstimate> EstimateEit(store::Store& store, const EitRequest& request,
                                  const Parameters& params = Parameters::BuiltIn());
std::string EitToJson(const EitEstimate& estimate);

}  // namespace shumao::exporttax

#endif  // SHUMAO_EXPORTTAX_EXPORTTAX_H_

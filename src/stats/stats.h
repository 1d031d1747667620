// Statistical monitoring (统计监测): the rollups of released lists, the queries behind
// GET /api/v1/stats and the overview screen, the monthly report a zone sends the province
// (定期汇总报送) and the zone evaluation (综试区考核评估). docs/stats.md.
//
// Rollups. The clearance engine tells the Recorder (a clearance::StatsSink) of every
// status a list enters, every completed return and every risk hit, inside its write
// transaction; the Recorder adds counters to store::StatCell rows for the day and the month
// of the event, keyed by direction, trade mode, zone and e-commerce enterprise, under one
// of these dims:
//   ""           the list as a whole
//   "country"    per line: import country of origin, export final destination
//   "hs"         per line: HS heading (4 digits); chapters are its first two digits
//   "status"     per status entered (lists entering 120, 300, 399, 500, 800, 899, 100)
//   "rule"       per risk rule hit
//   "clr", "clr:country", "clr:hs"   clearance-time histograms (declared → released):
//                ten buckets a cell (ClearanceBucketIndex), counters 0..9
// Line dims take the value and line count of each line; the list-level counters (lists,
// parcels, tax, returns, hits, clearance) go to the list's first line. Every cell is kept
// at three levels: with the enterprise; without it (the dim's name and "~"); without it,
// the trade mode and the zone ("~~"): a query reads the most summed level that answers it
// (the zone's dashboard reads hundreds of times fewer cells). Queries read only
// these cells: whole months from the month rows, the days at the ends of a range from the
// day rows, so a year is at most 12 month reads and 60 day reads of one dim.
//
// Scope (海关统计口径, policy-rules.md §7.1): lists of the CBEC modes only — import 9610,
// 1210, 1239; export 9610, 1210, 9710, 9810 — counted when released (800), by the date of
// release in Beijing time. Values are the lines' declared totalPrice converted to CNY and
// USD at the month's rate of data/stats/fx_rates.csv (stand-in rates, [M]).
//
// Thread safety: the Recorder and the Tables may be used from any thread.
#ifndef SHUMAO_STATS_STATS_H_
#define SHUMAO_STATS_STATS_H_

#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "clearance/clearance.h"
#include "common/decimal.h"
#include "common/status.h"
#include "common/time.h"
#include "registry/registry_types.h"
#include "store/store.h"

namespace shumao::stats {

// What the counters of a store::StatCell mean.
enum Counter : int {
  kLists = 0,        // lists released (or entering the status of a "status" cell)
  kParcels = 1,      // packages (packNo) of those lists
  kLines = 2,        // goods lines
  kValueCny = 3,     // declared value, CNY, in units of 0.00001
  kValueUsd = 4,     // the same in USD
  kTaxCny = 5,       // import tax of released lists less tax not levied on returns
  kReturns = 6,      // returns completed
  kReturnValue = 7,  // declared value of the returned goods, CNY units
  kRiskHits = 8,     // risk rule hits at screening
  kClrCount = 9,     // released lists with a clearance time
  kClrSeconds = 10,  // their clearance seconds, summed
  kRefused = 11,     // lists refused (100)
};

struct Zone {
  std::string id, region, name_zh, name_en;
};

struct Country {
  std::string code, iso2, iso3, name_zh, name_en;
};

struct Indicator {
  std::string id;
  Decimal weight;
  std::optional<Decimal> target;  // none: scored against the best zone compared
  std::string unit, source, name_zh, name_en;
};

// The statistics tables: exchange rates, zones, HS chapter names, countries, evaluation
// indicators. Embedded from data/stats/ (and data/countries.csv).
class Tables {
 public:
  static StatusOr<std::shared_ptr<const Tables>> LoadEmbedded();
  // From CSV texts (tests, a zone's own files).
  static StatusOr<std::shared_ptr<const Tables>> Load(std::string_view fx_rates,
                                                      std::string_view zones,
                                                      std::string_view chapters,
                                                      std::string_view countries,
                                                      std::string_view indicators);

  // CNY per unit of `currency` (customs code, "142" CNY) on `day` (YYYY-MM-DD): the row
  // with the latest `from` on or before the day. NotFound for an unknown currency.
  StatusOr<Decimal> CnyPerUnit(const std::string& currency, const std::string& day) const;
  const std::vector<Zone>& Zones() const { return zones_; }
  const Zone* FindZone(const std::string& id) const;
  // The zone whose region (4-digit administrative code) an enterprise code carries: the
  // first 4 digits of a customs code, digits 3-6 of a USCC; null when none matches.
  const Zone* ZoneOfCode(const std::string& code) const;
  const Country* FindCountry(const std::string& code) const;
  std::pair<std::string, std::string> ChapterName(const std::string& chapter) const;
  const std::vector<Indicator>& Indicators() const { return indicators_; }

 private:
  Tables() = default;
  struct Rate {
    std::string from;
    Decimal cny;
  };
  std::map<std::string, std::vector<Rate>> rates_;  // currency → rows by from
  std::vector<Zone> zones_;
  std::map<std::string, std::pair<std::string, std::string>> chapters_;
  std::map<std::string, Country> countries_;
  std::vector<Indicator> indicators_;
};

// The zone a list counts in: the registered zone of its e-commerce enterprise, else of its
// declaring agent, else the zone of the enterprise code's region, else "" (unassigned).
// Caches the registry; Invalidate after an enterprise changes.
class ZoneResolver {
 public:
  ZoneResolver(store::Store* store, std::shared_ptr<const Tables> tables);
  std::string ZoneOf(const std::string& ebc_code, const std::string& agent_code) const;
  std::string NameOf(const std::string& code) const;  // an enterprise's registered name
  void Invalidate() const;

 private:
  struct Entry {
    std::string zone, name;
    bool registered = false;
  };
  Entry Lookup(const std::string& code) const;

  store::Store* store_;
  std::shared_ptr<const Tables> tables_;
  mutable std::mutex mu_;
  mutable std::map<std::string, Entry> cache_;  // guarded by mu_
};

// The clearance engine's statistics sink.
std::unique_ptr<clearance::StatsSink> NewRecorder(std::shared_ptr<const Tables> tables,
                                                  std::shared_ptr<const ZoneResolver> zones);

// The bucket of a clearance time in the histograms: exact below 10 seconds, then the
// largest step of a 20-a-decade grid (10, 11, 12, 14, 16, 18, 20, 22, 25, 28, 32, 36, 40,
// 45, 50, 56, 63, 71, 80, 90 times a power of ten) not above it, so at most 12% below
// (59 → 56, 1234 → 1200). Percentiles answer with the bucket.
int64_t ClearanceBucket(int64_t seconds);
// The buckets numbered from 0 (0..9 the seconds below 10, then 20 a decade), and back. A
// histogram cell holds ten buckets: dim value index / 10, counter index % 10.
int ClearanceBucketIndex(int64_t seconds);
int64_t ClearanceBucketValue(int index);

// ---------------------------------------------------------------- queries

struct Query {
  std::string measure;    // lists value_cny value_usd tax_cny parcels lines returns
                          // return_value_cny risk_hits refused clearance_seconds_p50 _p95 _mean
  std::string by;         // day month tradeMode direction country hsChapter hsHeading ebcCode
                          // status zone
  std::string from, to;   // YYYY-MM-DD, inclusive
  std::string direction;  // "import", "export" or "" (both)
  std::string trade_mode, ebc_code, zone;
};

struct Row {
  std::string key;
  std::string value;             // JSON: a number, or a quoted decimal string for money
  int64_t raw = 0;               // for ordering: counts, seconds or money units
  std::string name_zh, name_en;  // of countries, chapters, zones, enterprises, if known
  std::string iso2, iso3;        // of countries
};

struct Answer {
  std::string measure, by, from, to, unit;  // unit: "count", "CNY", "USD", "seconds"
  std::vector<Row> rows;
};

// Runs a query over the rollups. InvalidArgument names the parameter that is wrong
// ("measure", "by", "from", "to", "direction").
StatusOr<Answer> Run(store::Store& store, const Tables& tables, const ZoneResolver& zones,
                     const Query& q);
std::string AnswerJson(const Answer& a);

// The whole of a query's filters summed into one set of counters (day cells at the ends,
// month cells between), for the report and the evaluation.
StatusOr<store::StatCounters> Totals(store::Store& store, const Query& q);

// The data of the overview screen (数据大屏) for [from, to] (see docs/stats.md for the
// shape); `departments` adds the top enterprises.
StatusOr<std::string> OverviewJson(store::Store& store, const Tables& tables,
                                   const ZoneResolver& zones, const std::string& from,
                                   const std::string& to, const std::string& zone,
                                   bool departments);

// ---------------------------------------------------------------- monthly report

struct ReportInputs {
  std::vector<clearance::OverseasWarehouse> warehouses;
  std::vector<registry::Enterprise> enterprises;
};

struct ReportSection {
  std::string id, title_zh, title_en;
  std::vector<std::string> columns;            // header: "中文 English"
  std::vector<std::vector<std::string>> rows;  // cells as text; numbers unformatted
  std::vector<bool> numeric;                   // per column
};

struct MonthlyReport {
  std::string month, zone, zone_name, generated;
  std::string json;                     // the whole report as JSON
  std::vector<ReportSection> sections;  // the tables of the CSV and the workbook
};

// `month` YYYY-MM; `zone` empty for the whole platform.
StatusOr<MonthlyReport> BuildMonthlyReport(store::Store& store, const Tables& tables,
                                           const ZoneResolver& zones, const std::string& month,
                                           const std::string& zone, const ReportInputs& in);
std::string ReportCsv(const MonthlyReport& r);  // UTF-8 with BOM, sections one after another
StatusOr<std::string> ReportXlsx(const MonthlyReport& r);  // the workbook's bytes

// ---------------------------------------------------------------- zone evaluation

// What the zone administration enters for a year (not in the platform's own data).
struct ZoneInputs {
  std::string zone;
  int year = 0;
  Decimal foreign_trade_cny;  // the zone's total foreign trade (for the share)
  int64_t high_tech = 0;      // high-tech enterprises in CBEC
  int64_t parks = 0;          // industrial parks and incubators
  int64_t policy_cases = 0;   // policy innovation cases (外贸新业态优秀实践案例)
};

Status PutZoneInputs(store::Store& store, const ZoneInputs& in);
StatusOr<std::optional<ZoneInputs>> GetZoneInputs(store::Store& store, const std::string& zone,
                                                  int year);

// Scores every zone of the tables that has traffic, registered enterprises or inputs in
// `year`, side by side. `weights` overrides indicator weights by id (InvalidArgument for an
// unknown id). Answer as JSON (docs/stats.md).
StatusOr<std::string> EvaluationJson(store::Store& store, const Tables& tables,
                                     const ZoneResolver& zones, int year,
                                     const std::map<std::string, Decimal>& weights,
                                     const ReportInputs& in);

}  // namespace shumao::stats

#endif  // SHUMAO_STATS_STATS_H_

// What the stats module's files share: date spans over the rollups, sums of cells, money
// and JSON formatting. Not for other modules.
#ifndef SHUMAO_STATS_INTERNAL_H_
#define SHUMAO_STATS_INTERNAL_H_

#include <map>
#include <string>
#include <vector>

#include "stats/stats.h"

namespace shumao::stats::internal {

// A date YYYY-MM-DD checked to exist; InvalidArgument names `field`.
Status CheckDate(const std::string& day, const char* field);
// The last day of the month YYYY-MM, "YYYY-MM-DD".
std::string LastDay(const std::string& month);
// YYYY-MM of the month before / after.
std::string PrevMonth(const std::string& month);
std::string NextMonth(const std::string& month);
// Every day / month from `from` to `to`, inclusive.
std::vector<std::string> Days(const std::string& from, const std::string& to);
std::vector<std::string> Months(const std::string& from_month, const std::string& to_month);

// The filters of a sum, as in Query (direction "I", "E" or "").
struct Filter {
  std::string from, to;  // YYYY-MM-DD
  std::string direction, trade_mode, zone, ebc;
};

inline constexpr uint32_t kAllCounters = (1u << store::kStatCounters) - 1;
inline constexpr uint32_t kHistogramCounters = (1u << 10) - 1;  // the ten buckets of a cell
constexpr uint32_t Bit(int counter) { return 1u << counter; }

// The level of cells a sum reads: "" (with the enterprise) when the filter or the group
// names an enterprise, "~" when they name a trade mode or a zone, else "~~".
std::string Level(const Filter& f, const std::string& group);

// The cells of `dim` at the Level of `filter` and `group`, summed per group (store::StatQuery's
// groups), reading month cells for whole months unless `days_only`. With `and_dim_value` the key is
// "group|dim_value".
StatusOr<std::map<std::string, store::StatCounters>> Sum(
    store::Store& store, const std::string& dim, const std::string& group, bool and_dim_value,
    const Filter& f, bool days_only = false, uint32_t counters = kAllCounters);

// Adds the ten buckets of a histogram cell (dim value `group`, the bucket index / 10) to
// `histogram` (bucket value → count).
void AddHistogram(std::map<int64_t, int64_t>& histogram, const std::string& group,
                  const store::StatCounters& n);

// The histogram (bucket value → count) of the sums whose key is "`key`|group".
std::map<int64_t, int64_t> HistogramOf(const std::map<std::string, store::StatCounters>& sums,
                                       const std::string& key);

// The "totals" object of the overview and the report: `t` all, `ti` imports, `te` exports,
// and the clearance percentiles (-1: none).
std::string TotalsJson(const store::StatCounters& t, const store::StatCounters& ti,
                       const store::StatCounters& te, int64_t p50, int64_t p95);

// The keys of `sums` with the largest `counter`, at most `n`, largest first (ties in key
// order); keys whose counter is 0 are left out.
std::vector<std::pair<std::string, store::StatCounters>> Top(
    const std::map<std::string, store::StatCounters>& sums, int counter, size_t n);

// Seconds as JSON: the number, or null for -1 (no list).
std::string SecondsJson(int64_t s);

// The nearest-rank percentile (p in percent) of a histogram bucket → count; -1 when empty.
int64_t Percentile(const std::map<int64_t, int64_t>& histogram, int p);

// 0.00001 units as a decimal string with 2 digits.
std::string Money(int64_t units);
// A JSON string literal.
std::string Q(const std::string& s);

}  // namespace shumao::stats::internal

#endif  // SHUMAO_STATS_INTERNAL_H_

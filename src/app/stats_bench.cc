// `shumao bench --scenario stats`: a year of released lists (10 million lines at the
// default 4,000,000 lists) through the statistics Recorder into a fresh store, then every
// query shape of GET /api/v1/stats over the year answered from the rollups, timed, against
// floors measured in the same run: the raw insert of the same lines into a plain table, and
// one GROUP BY scan over them (what a query costs without rollups). bench/README.md.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>

#include "app/bench.h"
#include "app/context.h"
#include "floor.h"

namespace shumao::app {
namespace {

using Rng = SplitMix;

constexpr const char* kRegions[] = {"3201", "3205", "3202", "3206", "3204", "3207"};
constexpr const char* kCountries[] = {"502", "116", "133", "304", "305", "303", "601", "110",
                                      "132", "112", "129", "136", "141", "142", "143", "112",
                                      "501", "609", "307", "312", "315", "344", "330", "331",
                                      "105", "106", "108", "111", "113", "118", "121", "122",
                                      "127", "134", "135", "137", "138", "139", "144", "147"};

// One e-commerce enterprise of the synthetic zone: what it trades and with whom.
struct Seller {
  std::string code;
  int zone = 0;
  int direction = 0;  // 0 import, 1 export, 2 both
  std::vector<int> countries, headings, modes_import, modes_export;
};

std::vector<Seller> Sellers(Rng& rng, int n) {
  std::vector<Seller> out;
  for (int i = 0; i < n; ++i) {
    Seller s;
    s.zone = rng.Below(6);
    char code[16];
    std::snprintf(code, sizeof code, "%s96%04d", kRegions[s.zone], i);
    s.code = code;
    double u = rng.Unit();
    s.direction = u < 0.5 ? 0 : u < 0.9 ? 1 : 2;
    for (int k = 0; k < 6; ++k) s.countries.push_back(rng.Below(40));
    int chapter = 1 + rng.Below(96);
    for (int k = 0; k < 8; ++k) {
      // Headings of two or three neighbouring chapters, as a seller's catalogue has.
      s.headings.push_back((chapter + rng.Below(3)) % 97 * 100 + 1 + rng.Below(20));
    }
    s.modes_import = {rng.Below(2) ? 1210 : 9610};
    if (rng.Below(5) == 0) s.modes_import.push_back(1239);
    s.modes_export = {rng.Below(2) ? 9610 : 9710};
    if (rng.Below(4) == 0) s.modes_export.push_back(9810);
    out.push_back(std::move(s));
  }
  return out;
}

int64_t ClearanceSeconds(Rng& rng) {
  double u = rng.Unit();
  if (u < 0.6) return rng.Below(30);
  if (u < 0.9) return 30 + rng.Below(570);
  if (u < 0.99) return 600 + rng.Below(6600);
  return 7200 + rng.Below(165600);
}

double Since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace

StatusOr<std::string> RunStatsBench(const BenchOptions& o, const std::filesystem::path& dir) {
  ContextOptions co;
  co.db = o.db.empty() ? (dir / "bench.db").string() : o.db;
  co.key_file = (dir / "bench.key").string();
  co.clearance = false;
  ASSIGN_OR_RETURN(std::unique_ptr<Context> ctx, Context::Open(co));
  Rng rng{2026};
  std::vector<Seller> sellers = Sellers(rng, 400);
  const Timestamp first_day = *ParseDate("2025-12-01");
  const int64_t lists = o.parcels;

  std::fprintf(stderr, "bench: %lld released lists through the statistics recorder ...\n",
               static_cast<long long>(lists));
  std::vector<bench::FloorLine> floor_lines;
  floor_lines.reserve(static_cast<size_t>(lists) * 5 / 2 + 1000);
  int64_t lines = 0;
  auto start = std::chrono::steady_clock::now();
  constexpr int64_t kBatch = 5000;
  for (int64_t n = 0; n < lists;) {
    ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, ctx->store->BeginWrite());
    for (int64_t end = std::min(lists, n + kBatch); n < end; ++n) {
      // Busy sellers sell much more: the square of a uniform draw.
      double u = rng.Unit();
      const Seller& s = sellers[static_cast<size_t>(u * u * static_cast<double>(sellers.size()))];
      bool import = s.direction == 0 || (s.direction == 2 && rng.Below(2) == 0);
      clearance::StatList l;
      l.direction = import ? "I" : "E";
      const std::vector<int>& modes = import ? s.modes_import : s.modes_export;
      l.trade_mode = std::to_string(modes[rng.Below(static_cast<int>(modes.size()))]);
      l.cop_no = "B" + std::to_string(n);
      l.ebc_code = s.code;
      l.agent_code = s.code;
      l.currency = "142";
      l.packs = 1;
      // Lists come in time order, as the writer sees them.
      int day = static_cast<int>(n * 365 / lists);
      int64_t secs = ClearanceSeconds(rng);
      Timestamp released{first_day.millis + day * 86400000LL + rng.Below(86400) * 1000LL};
      l.declared = Timestamp{released.millis - secs * 1000};
      int count = 1 + rng.Below(4);
      int64_t total = 0;
      for (int k = 0; k < count; ++k) {
        clearance::StatLine line;
        int heading = s.headings[static_cast<size_t>(rng.Below(8))];
        char gcode[16];
        std::snprintf(gcode, sizeof gcode, "%04d000000", heading);
        line.gcode = gcode;
        int country = s.countries[static_cast<size_t>(rng.Below(6))];
        line.country = kCountries[country];
        int64_t value = (2000 + rng.Below(200000)) * int64_t{1000};  // 20 to 2,000 CNY
        line.total_price = Decimal::FromUnits(value);
        total += value;
        l.lines.push_back(line);
        floor_lines.push_back({day, import ? 0 : 1, std::stoi(l.trade_mode), s.zone,
                               static_cast<int32_t>(&s - sellers.data()), country, heading, value});
      }
      lines += count;
      l.tax = import ? Decimal::FromUnits(total / 11) : Decimal();
      RETURN_IF_ERROR(ctx->stats->Entered(*txn, l, {"120"}, l.declared));
      RETURN_IF_ERROR(ctx->stats->Entered(*txn, l, {"399", "800"}, released));
      if (rng.Below(50) == 0) {
        RETURN_IF_ERROR(ctx->stats->RiskHits(*txn, l, {"split_order"}, l.declared));
      }
    }
    RETURN_IF_ERROR(txn->Commit());
    if (n % 500000 == 0) {
      std::fprintf(stderr, "bench:   %lld lists, %.0f s\n", static_cast<long long>(n),
                   Since(start));
    }
  }
  double rollup_s = Since(start);

  std::fprintf(stderr, "bench: floor: inserting %lld raw lines ...\n",
               static_cast<long long>(lines));
  std::string floor_db = (dir / "lines.db").string();
  // --parcels 0 with --db: the queries only, over the rollups already in DB.
  double floor_s = lines > 0 ? bench::LineInsertFloorSeconds(floor_lines, floor_db, 20000) : 0;
  floor_lines = {};
  int64_t scan_rows = 0;
  double scan_s = lines == 0
                      ? 0
                      : bench::LineScanFloorSeconds(floor_db,
                                                    "SELECT country, sum(value), count(*) FROM "
                                                    "lines WHERE day BETWEEN 0 AND 364 GROUP BY "
                                                    "country",
                                                    &scan_rows);

  std::fprintf(stderr, "bench: queries over the year from the rollups ...\n");
  const char* measures[] = {"lists",
                            "value_cny",
                            "value_usd",
                            "tax_cny",
                            "parcels",
                            "lines",
                            "returns",
                            "risk_hits",
                            "clearance_seconds_p50",
                            "clearance_seconds_p95"};
  const char* bys[] = {"day",       "month",     "tradeMode", "direction", "country",
                       "hsChapter", "hsHeading", "ebcCode",   "status",    "zone"};
  struct Range {
    const char* from;
    const char* to;
  };
  const Range ranges[] = {{"2025-12-01", "2026-11-30"}, {"2025-12-15", "2026-11-14"}};
  std::vector<double> ms;
  double slowest = 0;
  std::string slowest_query, over;  // the queries over 50 ms
  for (const Range& r : ranges) {
    for (const char* m : measures) {
      for (const char* b : bys) {
        if ((std::string(b) == "status" || std::string(b) == "hsHeading") &&
            std::string(m).starts_with("clearance")) {
          continue;
        }
        stats::Query q;
        q.measure = m;
        q.by = b;
        q.from = r.from;
        q.to = r.to;
        double best = 1e9;
        for (int rep = 0; rep < 3; ++rep) {
          auto t0 = std::chrono::steady_clock::now();
          ASSIGN_OR_RETURN(stats::Answer a,
                           stats::Run(*ctx->store, *ctx->stats_tables, *ctx->zones, q));
          std::string json = stats::AnswerJson(a);
          best = std::min(best, Since(t0) * 1000);
          if (a.rows.empty()) return Internal(std::string("no rows for ") + m + " by " + b);
        }
        ms.push_back(best);
        if (best > 50) {
          char one[160];
          std::snprintf(one, sizeof one, "%s\"%s by %s %s..%s: %.1f ms\"", over.empty() ? "" : ",",
                        m, b, r.from, r.to, best);
          over += one;
        }
        if (best > slowest) {
          slowest = best;
          slowest_query = std::string(m) + " by " + b + " " + r.from + ".." + r.to;
        }
      }
    }
  }
  std::sort(ms.begin(), ms.end());
  double p50 = ms[ms.size() / 2], p95 = ms[ms.size() * 95 / 100];
  stats::Query cq{"value_cny", "country", "2025-12-01", "2026-11-30", "", "", "", ""};
  auto t0 = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(stats::Answer ca, stats::Run(*ctx->store, *ctx->stats_tables, *ctx->zones, cq));
  double country_ms = Since(t0) * 1000;
  std::error_code size_ec;
  auto db_bytes = static_cast<int64_t>(std::filesystem::file_size(co.db, size_ec));
  if (size_ec) db_bytes = -1;  // PostgreSQL
  ctx.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir, ec);
  char buf[4096];
  std::snprintf(buf, sizeof buf,
                "{\"scenario\":\"stats\",\"parcels\":%lld,\"lines\":%lld,\"seconds\":%.3f,"
                "\"parcels_per_s\":%.0f,\"floor_seconds\":%.3f,\"floor_parcels_per_s\":%.0f,"
                "\"ratio\":%.3f,\"db_bytes\":%lld,\"queries\":%zu,\"query_ms_p50\":%.2f,"
                "\"query_ms_p95\":%.2f,\"query_ms_max\":%.2f,\"slowest\":\"%s\","
                "\"value_by_country_ms\":%.2f,\"scan_floor_ms\":%.1f,\"scan_groups\":%lld,"
                "\"scan_over_rollup\":%.1f,\"over_50ms\":[%s]}",
                static_cast<long long>(lists), static_cast<long long>(lines), rollup_s,
                lists > 0 ? lists / rollup_s : 0.0, floor_s, lists > 0 ? lists / floor_s : 0.0,
                lists > 0 ? floor_s / rollup_s : 0.0, static_cast<long long>(db_bytes), ms.size(),
                p50, p95, slowest, slowest_query.c_str(), country_ms, scan_s * 1000,
                static_cast<long long>(scan_rows), scan_s * 1000 / std::max(country_ms, 0.001),
                over.c_str());
  return std::string(buf);
}

}  // namespace shumao::app

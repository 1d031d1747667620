// The statistics commands: `shumao report` (the monthly report a zone sends the province),
// `shumao stats` (one query over the rollups, as GET /api/v1/stats answers it) and
// `shumao evaluation show|set` (the zone evaluation and the zone's own inputs).
#ifndef SHUMAO_APP_STATS_CLI_H_
#define SHUMAO_APP_STATS_CLI_H_

#include <string>
#include <vector>

#include "app/context.h"

namespace shumao::app {

struct StatsCliOptions {
  std::string month, format = "json", out, zone;
  stats::Query query;
  int year = 0;
  std::vector<std::string> weights;  // id=W
  stats::ZoneInputs inputs;
  std::string foreign_trade = "0";
};

int RunReport(Context& ctx, const StatsCliOptions& o);
int RunStatsQuery(Context& ctx, const StatsCliOptions& o);
int RunEvaluationShow(Context& ctx, const StatsCliOptions& o);
int RunEvaluationSet(Context& ctx, StatsCliOptions o);

// What the report and the evaluation read besides the rollups.
StatusOr<stats::ReportInputs> ReportInputsOf(Context& ctx);

}  // namespace shumao::app

#endif  // SHUMAO_APP_STATS_CLI_H_

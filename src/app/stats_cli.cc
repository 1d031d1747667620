#include "app/stats_cli.h"

#include <cstdio>
#include <fstream>

namespace shumao::app {

StatusOr<stats::ReportInputs> ReportInputsOf(Context& ctx) {
  stats::ReportInputs in;
  ASSIGN_OR_RETURN(in.warehouses, ctx.clearance->ListOverseasWarehouses(""));
  ASSIGN_OR_RETURN(in.enterprises, ctx.store->ListEnterprises());
  return in;
}

namespace {

// Writes `bytes` to `path`, or to stdout when `path` is empty or "-".
Status Output(const std::string& path, const std::string& bytes) {
  if (path.empty() || path == "-") {
    std::fwrite(bytes.data(), 1, bytes.size(), stdout);
    if (!bytes.empty() && bytes.back() != '\n' && bytes.front() == '{') std::fputc('\n', stdout);
    return Status::Ok();
  }
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) return Unavailable("cannot write " + path);
  f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!f) return Unavailable("cannot write " + path);
  return Status::Ok();
}

}  // namespace

int RunReport(Context& ctx, const StatsCliOptions& o) {
  if (o.format == "xlsx" && (o.out.empty() || o.out == "-")) {
    return Fail(InvalidArgument("an xlsx report needs --out FILE", "out"));
  }
  auto in = ReportInputsOf(ctx);
  if (!in.ok()) return Fail(in.status());
  auto r =
      stats::BuildMonthlyReport(*ctx.store, *ctx.stats_tables, *ctx.zones, o.month, o.zone, *in);
  if (!r.ok()) return Fail(r.status());
  std::string bytes;
  if (o.format == "json") {
    bytes = r->json;
  } else if (o.format == "csv") {
    bytes = stats::ReportCsv(*r);
  } else {
    auto x = stats::ReportXlsx(*r);
    if (!x.ok()) return Fail(x.status());
    bytes = std::move(*x);
  }
  Status st = Output(o.out, bytes);
  if (!st.ok()) return Fail(st);
  if (!o.out.empty() && o.out != "-") {
    std::fprintf(stderr, "report: %s written (%zu bytes)\n", o.out.c_str(), bytes.size());
  }
  return 0;
}

int RunStatsQuery(Context& ctx, const StatsCliOptions& o) {
  auto a = stats::Run(*ctx.store, *ctx.stats_tables, *ctx.zones, o.query);
  if (!a.ok()) return Fail(a.status());
  std::printf("%s\n", stats::AnswerJson(*a).c_str());
  return 0;
}

int RunEvaluationShow(Context& ctx, const StatsCliOptions& o) {
  std::map<std::string, Decimal> weights;
  for (const std::string& w : o.weights) {
    size_t eq = w.find('=');
    auto d = eq == std::string::npos ? StatusOr<Decimal>(InvalidArgument("no value"))
                                     : Decimal::Parse(w.substr(eq + 1));
    if (!d.ok())
      return Fail(InvalidArgument("--weight takes ID=NUMBER, not '" + w + "'", "weight"));
    weights[w.substr(0, eq)] = *d;
  }
  auto in = ReportInputsOf(ctx);
  if (!in.ok()) return Fail(in.status());
  int year = o.year > 0 ? o.year : std::stoi(FormatIso(Clock::System().Now()).substr(0, 4));
  auto e = stats::EvaluationJson(*ctx.store, *ctx.stats_tables, *ctx.zones, year, weights, *in);
  if (!e.ok()) return Fail(e.status());
  std::printf("%s\n", e->c_str());
  return 0;
}

int RunEvaluationSet(Context& ctx, StatsCliOptions o) {
  auto trade = Decimal::Parse(o.foreign_trade);
  if (!trade.ok())
    return Fail(InvalidArgument("--foreign-trade is an amount in CNY", "foreign-trade"));
  o.inputs.foreign_trade_cny = *trade;
  o.inputs.zone = o.zone;
  o.inputs.year = o.year;
  Status st = stats::PutZoneInputs(*ctx.store, o.inputs);
  if (!st.ok()) return Fail(st);
  std::printf("{\"zone\":\"%s\",\"year\":%d,\"stored\":true}\n", o.zone.c_str(), o.year);
  return 0;
}

}  // namespace shumao::app

// The wiring of one shumao process: store, vault, code tables, strict-mode schemas and
// intake, opened from the command-line options. Nothing else in the program builds these.
#ifndef SHUMAO_APP_CONTEXT_H_
#define SHUMAO_APP_CONTEXT_H_

#include <functional>
#include <memory>
#include <string>

#include "ceb/xsd_validator.h"
#include "clearance/clearance.h"
#include "common/code_tables.h"
#include "common/crypto.h"
#include "intake/intake.h"
#include "registry/registry_types.h"
#include "risk/risk.h"
#include "stats/stats.h"
#include "store/store.h"
#include "tax/tax.h"

#define ASSIGN_OR_RETURN_INT(lhs, expr)                                     \
  do {                                                                      \
    auto _r = (expr);                                                       \
    if (!_r.ok()) {                                                         \
      std::fprintf(stderr, "shumao: %s\n", _r.status().ToString().c_str()); \
      return 1;                                                             \
    }                                                                       \
    lhs = std::move(_r).value();                                            \
  } while (0)

namespace shumao::app {

struct ContextOptions {
  std::string db = "shumao.db";
  std::string key_file;  // default: db + ".key" (SQLite) or "shumao.key" (PostgreSQL)
  std::string schemas;   // XSD folder for strict mode, or empty
  // Lane targets: the shares of matched lists sent to inspection and to document review
  // (empty: data/risk/lanes.csv). Risk rules send lists to a lane whatever the targets.
  std::string inspection_rate;
  std::string review_rate;
  std::string risk_dir;             // folder with the zone's own data/risk tables; empty: built in
  double match_timeout_hours = 24;  // a list missing a document is refused after this
  bool clearance = true;            // false: intake only (the intake benchmark)
  // false: lanes by a random draw at the inspection target only, no risk rules (the
  // floor of the risk benchmark)
  bool screening = true;
  // Folder with the zone's own policy.csv, vat_periods.csv, vat_reduced.csv and
  // consumption_tax.csv (the format of data/tax/); empty: the tables built in.
  std::string tariff_dir;
  bool stats = true;  // false: no rollups (the floor of the stats benchmark)
};

// The tariff and policy tables from `dir` (all four files), or the built-in ones when
// `dir` is empty. InvalidArgument names the file and line at fault.
StatusOr<std::unique_ptr<tax::TariffTable>> LoadTariff(const std::string& dir);

struct Context {
  std::unique_ptr<store::Store> store;
  std::shared_ptr<const Vault> vault;
  std::shared_ptr<const CodeTables> codes;
  std::unique_ptr<ceb::XsdValidator> xsd;
  std::unique_ptr<tax::TariffTable> tariff;  // the zone's tables, or a copy of the built-in
  std::unique_ptr<risk::Risk> risk;          // risk control and credit (the clearance lanes)
  std::unique_ptr<clearance::RiskGate> random_lanes;  // instead of `risk` without screening
  std::shared_ptr<const stats::Tables> stats_tables;
  std::shared_ptr<const stats::ZoneResolver> zones;  // the zone each list counts in
  std::unique_ptr<clearance::StatsSink> stats;       // the rollups (before clearance)
  std::unique_ptr<clearance::Engine> clearance;      // before intake: intake calls it
  std::unique_ptr<intake::Intake> intake;

  static StatusOr<std::unique_ptr<Context>> Open(const ContextOptions& options);

  // Registers (or updates) an enterprise and issues a new token for it.
  StatusOr<std::string> AddEnterprise(const registry::Enterprise& e);
  StatusOr<std::string> AddUser(const registry::User& u);
  // The platform's own operator enterprise (code SHUMAO-OPERATOR), used by `ingest`.
  StatusOr<std::string> EnsureSystemOperator();
};

// Pushes `count` submissions through intake in order: chunks are prepared (decoded and
// checked) on worker threads while the previous chunk commits, so both cores work.
// on_chunk gets each chunk's results in order. If `commit_seconds` is given, the time
// spent committing (the single writer) is added to it.
void RunPipeline(
    intake::Intake& in, size_t count, const std::function<intake::Submission(size_t index)>& make,
    size_t chunk,
    const std::function<void(size_t begin, std::vector<intake::IntakeResult>&)>& on_chunk,
    double* commit_seconds = nullptr);

// Prints "shumao: <status>" on stderr and returns 1, the exit code of failed work.
int Fail(const Status& st);

// Fills an empty database with a year of generated traffic and prints demo tokens.
Status FillDemo(Context& ctx, int64_t parcels);

}  // namespace shumao::app

#endif  // SHUMAO_APP_CONTEXT_H_

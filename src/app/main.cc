// shumao: one binary, every command (see CONTRACT.md). Wiring lives here and only here.
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>
#include <thread>

#include "app/bench.h"
#include "app/context.h"
#include "app/risk_cli.h"
#include "app/stats_cli.h"
#include "ceb/codec.h"
#include "common/strings.h"
#include "exporttax/exporttax.h"
#include "gen/generator.h"
#include "http/clearance_json.h"
#include "http/server.h"
#include "http/tax_quote_json.h"
#include "summary/summary.h"

namespace shumao::app {
namespace {

namespace fs = std::filesystem;

std::atomic<http::Server*> g_server{nullptr};

void OnSignal(int) {
  if (http::Server* s = g_server.load()) s->Stop();
}

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  AppendJsonEscaped(out, s);
  return out + "\"";
}

// The files under PATHs (folders recursively), CEB messages only, in file-name order.
std::vector<fs::path> CollectFiles(const std::vector<std::string>& paths) {
  std::vector<fs::path> files;
  for (const auto& p : paths) {
    if (fs::is_directory(p)) {
      for (const auto& e : fs::recursive_directory_iterator(p)) {
        auto ext = e.path().extension();
        std::string name = e.path().filename().string();
        // gen's sidecar files describe the traffic; they are not messages.
        if (name == "parties.json" || name == "manifest.json" || name == "stock.json") continue;
        if (e.is_regular_file() && (ext == ".xml" || ext == ".json")) files.push_back(e.path());
      }
    } else {
      files.emplace_back(p);
    }
  }
  std::sort(files.begin(), files.end(), [](const fs::path& a, const fs::path& b) {
    return a.filename().string() != b.filename().string()
               ? a.filename().string() < b.filename().string()
               : a.string() < b.string();
  });
  return files;
}

int RunIngest(Context& ctx, const std::vector<std::string>& paths, bool replay) {
  std::vector<fs::path> files = CollectFiles(paths);
  if (files.empty()) return Fail(InvalidArgument("no .xml or .json files under the given paths"));
  registry::Principal operator_principal{registry::Principal::Kind::kEnterprise, "", ""};
  ASSIGN_OR_RETURN_INT(operator_principal.id, ctx.EnsureSystemOperator());
  int64_t accepted = 0, refused = 0;
  auto start = std::chrono::steady_clock::now();
  RunPipeline(
      *ctx.intake, files.size(),
      [&](size_t i) {
        intake::Submission s;
        std::ifstream in(files[i], std::ios::binary);
        std::stringstream ss;
        ss << in.rdbuf();
        s.body = ss.str();
        s.format = files[i].extension() == ".json" ? ceb::Format::kJson : ceb::Format::kXml;
        s.principal = operator_principal;
        s.replay = replay;
        return s;
      },
      2000,
      [&](size_t begin, std::vector<intake::IntakeResult>& results) {
        for (size_t i = 0; i < results.size(); ++i) {
          const auto& r = results[i];
          std::string file = JsonString(files[begin + i].filename().string());
          if (r.entities.empty()) {
            ++refused;
            std::printf("{\"file\":%s,\"type\":%s,\"http\":%d,\"error\":%s,\"field\":%s}\n",
                        file.c_str(), JsonString(r.message_type).c_str(), r.http_status,
                        JsonString(r.error.message()).c_str(), JsonString(r.error.field()).c_str());
            continue;
          }
          for (const auto& e : r.entities) {
            (e.return_status.empty() || e.return_status[0] == '-') ? ++refused : ++accepted;
            std::printf(
                "{\"file\":%s,\"type\":%s,\"receipt\":%s,\"kind\":%s,\"key\":%s,"
                "\"returnStatus\":%s,\"returnInfo\":%s}\n",
                file.c_str(), JsonString(r.message_type).c_str(),
                JsonString(r.receipt_type).c_str(), JsonString(e.kind).c_str(),
                JsonString(e.key).c_str(), JsonString(e.return_status).c_str(),
                JsonString(e.return_info).c_str());
          }
        }
        size_t done = begin + results.size();
        double secs =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        std::fprintf(stderr, "\ringest: %zu/%zu files (%.0f%%), %.0f files/s", done, files.size(),
                     100.0 * done / files.size(), done / std::max(secs, 1e-9));
      });
  std::fprintf(stderr, "\ningest: %lld entities accepted, %lld refused\n",
               static_cast<long long>(accepted), static_cast<long long>(refused));
  return 0;
}

int RunTick(Context& ctx, const std::string& at) {
  Timestamp now = Clock::System().Now();
  if (!at.empty()) {
    auto t = at.size() == 14 ? ParseC14(at) : ParseDate(at);
    if (!t.ok()) return Fail(InvalidArgument("--at is YYYYMMDDhhmmss or YYYY-MM-DD", "at"));
    now = *t;
  }
  auto sum = ctx.clearance->Tick(now);
  if (!sum.ok()) return Fail(sum.status());
  std::printf(
      "{\"at\":%s,\"timedOut\":%d,\"closed\":%d,\"taxPaid\":%d,\"returnsFailed\":%d,"
      "\"alerts\":%d}\n",
      JsonString(FormatIso(now)).c_str(), sum->timed_out, sum->closed, sum->tax_paid,
      sum->returns_failed, sum->alerts);
  return 0;
}

int RunStockIn(Context& ctx, const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return Fail(InvalidArgument("cannot read " + file, "FILE"));
  std::stringstream ss;
  ss << in.rdbuf();
  auto records = http::InboundFromJson(ss.str());
  if (!records.ok()) return Fail(records.status());
  Status st = ctx.clearance->AddInbound(*records);
  if (!st.ok()) return Fail(st);
  std::printf("{\"records\":%zu}\n", records->size());
  return 0;
}

int RunStockReport(Context& ctx, const std::string& warehouse) {
  auto lines = ctx.clearance->StockReport(warehouse);
  if (!lines.ok()) return Fail(lines.status());
  std::printf("%s\n", http::StockToJson(*lines).c_str());
  return 0;
}

// The monthly export summary: prints the declarations; with `out_dir`, writes the CEB701
// applications and the CEB792 results there.
int RunSummary(Context& ctx, const summary::Request& req, const std::string& out_dir) {
  auto s = summary::Build(*ctx.store, req, Clock::System());
  if (!s.ok()) return Fail(s.status());
  if (!out_dir.empty()) {
    std::error_code ec;
    fs::create_directories(out_dir, ec);
    Timestamp now = Clock::System().Now();
    auto write = [&](const std::string& name, const ceb::Message& m) {
      std::ofstream f(fs::path(out_dir) / name, std::ios::binary | std::ios::trunc);
      f << ceb::EncodeXml(m);
      return static_cast<bool>(f);
    };
    for (const ceb::Message& m : summary::BuildApplications(*s, now)) {
      std::string sum_no(m.Entities()[0]->Child("SummaryApplyHead")->Get("sumNo"));
      if (!write("CEB701-" + sum_no + ".xml", m)) {
        return Fail(Unavailable("cannot write to " + out_dir));
      }
    }
    std::vector<ceb::Message> results = summary::BuildResults(*s, now);
    for (size_t i = 0; i < results.size(); ++i) {
      if (!write("CEB792-" + req.month + "-" + std::to_string(i + 1) + ".xml", results[i])) {
        return Fail(Unavailable("cannot write to " + out_dir));
      }
    }
  }
  std::printf("%s\n", summary::SummaryToJson(*s).c_str());
  return 0;
}

// The export tax records (无票免税) of one enterprise in a period, written to `out` as CSV,
// XLSX or JSON; prints {"lines":N,"qualifying":N,"out":..}.
int RunExportTaxRecords(Context& ctx, const exporttax::RecordsRequest& req,
                        const std::string& format, const std::string& out) {
  auto r = exporttax::BuildRecords(*ctx.store, req);
  if (!r.ok()) return Fail(r.status());
  if (format == "xlsx") {
    Status st = exporttax::WriteXlsx(*r, out);
    if (!st.ok()) return Fail(st);
  } else {
    std::ofstream f(out, std::ios::binary | std::ios::trunc);
    f << (format == "csv" ? exporttax::RecordsToCsv(*r) : exporttax::RecordsToJson(*r));
    if (!f) return Fail(Unavailable("cannot write " + out));
  }
  size_t qualifying = std::count_if(r->lines.begin(), r->lines.end(),
                                    [](const exporttax::RecordLine& l) { return l.Qualifies(); });
  std::printf("{\"lines\":%zu,\"qualifying\":%zu,\"out\":%s}\n", r->lines.size(), qualifying,
              JsonString(out).c_str());
  return 0;
}

// JSON-lines logger on stderr: {"time":..,"level":..,"event":..}.
std::shared_ptr<spdlog::logger> MakeLogger(const std::string& level) {
  auto log =
      std::make_shared<spdlog::logger>("shumao", std::make_shared<spdlog::sinks::stderr_sink_mt>());
  log->set_pattern("{\"time\":\"%Y-%m-%dT%H:%M:%S.%e%z\",\"level\":\"%l\",%v",
                   spdlog::pattern_time_type::local);
  log->set_level(spdlog::level::from_str(level));
  return log;
}

int RunServe(Context& ctx, const std::string& listen, bool public_overview,
             const std::string& web_root, const std::string& log_level) {
  http::ServerOptions so;
  auto colon = listen.rfind(':');
  if (colon == std::string::npos)
    return Fail(InvalidArgument("--listen must be HOST:PORT", "listen"));
  so.host = listen.substr(0, colon);
  try {
    so.port = std::stoi(listen.substr(colon + 1));
  } catch (...) {
    return Fail(InvalidArgument("--listen must be HOST:PORT", "listen"));
  }
  so.public_overview = public_overview;
  so.web_root = web_root;
  // The dashboard built by `make` (web/dist of the source tree) unless --web-root says.
  if (so.web_root.empty() && std::filesystem::exists(SHUMAO_WEB_DIST "/index.html")) {
    so.web_root = SHUMAO_WEB_DIST;
  }
  so.stats_tables = ctx.stats_tables.get();
  so.zones = ctx.zones.get();
  so.log = MakeLogger(log_level);
  so.tariff = ctx.tariff.get();
  so.risk = ctx.risk.get();
  auto server =
      http::Server::Create(ctx.store.get(), ctx.intake.get(), ctx.vault, so, ctx.clearance.get());
  if (!server.ok()) return Fail(server.status());
  // Clearance's time-driven work (match timeouts, tax windows, return deadlines).
  std::atomic<bool> ticking{true};
  std::thread ticker([&] {
    while (ticking.load()) {
      for (int i = 0; i < 50 && ticking.load(); ++i)
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
      if (!ticking.load()) break;
      auto sum = ctx.clearance->Tick(Clock::System().Now());
      if (!sum.ok() && so.log)
        so.log->warn("\"event\":\"tick\",\"error\":\"{}\"}}", sum.status().message());
    }
  });
  struct StopTicker {
    std::atomic<bool>& flag;
    std::thread& t;
    ~StopTicker() {
      flag = false;
      t.join();
    }
  } stop_ticker{ticking, ticker};
  g_server = server->get();
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::fprintf(stderr, "shumao: serving http://%s (database: %s)\n", listen.c_str(),
               ctx.store->Engine().c_str());
  Status st = (*server)->Run();
  g_server = nullptr;
  if (!st.ok()) return Fail(st);
  return 0;
}

}  // namespace

int Main(int argc, char** argv) {
  CLI::App app{
      "shumao — the online comprehensive service platform of a cross-border e-commerce "
      "comprehensive pilot zone (跨境电商综试区线上综合服务平台)"};
  app.require_subcommand(1);
  ContextOptions copt;
  auto add_db = [&](CLI::App* c) {
    c->add_option("--db", copt.db, "SQLite file path (default engine) or postgresql:// URL")
        ->capture_default_str();
    c->add_option("--key-file", copt.key_file,
                  "file with the data key for personal data (created 0600 on first start; "
                  "default: DB path + .key, or ./shumao.key for PostgreSQL)");
    c->add_option("--schemas", copt.schemas,
                  "folder of the official CEB 2022 XSDs: strict mode validates every message");
  };

  auto add_clearance = [&](CLI::App* c) {
    c->add_option("--inspection-rate", copt.inspection_rate,
                  "target share of matched import lists sent to inspection (500), 0..1; risk "
                  "rules add theirs (default: data/risk/lanes.csv, 0.02)");
    c->add_option("--review-rate", copt.review_rate,
                  "target share sent to document review (300), 0..1 (default: "
                  "data/risk/lanes.csv, 0.01)");
    c->add_flag_callback(
        "--no-screening", [&copt] { copt.screening = false; },
        "no risk rules: lanes by a random draw at --inspection-rate only (tests of other "
        "modules, the floor of bench --scenario risk)");
    c->add_option("--risk-data", copt.risk_dir,
                  "folder with the zone's own risk tables (rules.csv, lanes.csv, "
                  "credit_levels.csv, ... as data/risk/); a file missing there is taken from "
                  "the tables built in");
    c->add_option("--tariff", copt.tariff_dir,
                  "folder with the zone's policy.csv, vat_periods.csv, vat_reduced.csv and "
                  "consumption_tax.csv (as data/tax/); default: the tables built in");
    c->add_option("--match-timeout-hours", copt.match_timeout_hours,
                  "a list still missing its order, payment or waybill this long after it was "
                  "declared is refused (100)")
        ->capture_default_str();
  };

  std::string listen = "127.0.0.1:8080", web_root, log_level = "info";
  bool public_overview = false;
  auto* serve = app.add_subcommand("serve", "run the platform's HTTP API");
  add_db(serve);
  add_clearance(serve);
  serve->add_option("--listen", listen, "HOST:PORT to listen on")->capture_default_str();
  serve->add_flag("--public-overview", public_overview,
                  "show the statistics overview at / without login");
  serve->add_option("--web-root", web_root,
                    "folder of the built dashboard to serve at / (default: web/dist of the "
                    "source tree, when built)");
  serve
      ->add_option(
          "--log-level", log_level,
          "trace debug info warn error off (info logs every request as a JSON line on stderr)")
      ->capture_default_str()
      ->check(CLI::IsMember({"trace", "debug", "info", "warn", "error", "off"}));

  int64_t demo_lists = 20000;
  auto* demo =
      app.add_subcommand("demo", "create a demo zone with a year of synthetic traffic, then serve");
  add_db(demo);
  demo->add_option("--lists", demo_lists, "parcels to generate (import and export together)")
      ->capture_default_str();
  demo->add_option("--listen", listen, "HOST:PORT to listen on")->capture_default_str();
  demo->add_option("--web-root", web_root,
                   "folder of the built dashboard to serve at / (default: web/dist of the "
                   "source tree, when built)");

  auto* enterprise = app.add_subcommand("enterprise", "the enterprise registry (备案)");
  enterprise->require_subcommand(1);
  auto* ent_add = enterprise->add_subcommand(
      "add", "register an enterprise; prints {\"code\":..,\"token\":..}");
  add_db(ent_add);
  registry::Enterprise ent;
  ent_add->add_option("--code", ent.code, "customs code (10) or USCC (18)")->required();
  ent_add->add_option("--name", ent.name, "registered name")->required();
  ent_add
      ->add_option("--role", ent.roles,
                   "role: ebp ebc agent logistics payment warehouse operator (repeatable)")
      ->required()
      ->check(
          CLI::IsMember({"ebp", "ebc", "agent", "logistics", "payment", "warehouse", "operator"}));
  bool identity_verifying = false;
  ent_add->add_flag("--identity-verifying", identity_verifying,
                    "the platform's buyer identity check is recognised (实名认证): its buyer and "
                    "payer may differ");
  ent_add->add_option("--zone", ent.zone, "the zone it belongs to");
  ent_add->add_option("--park", ent.park, "the park within the zone");

  auto* user = app.add_subcommand("user", "department users");
  user->require_subcommand(1);
  auto* user_add =
      user->add_subcommand("add", "add a department user; prints {\"name\":..,\"token\":..}");
  add_db(user_add);
  registry::User u;
  user_add
      ->add_option("--department", u.department, "customs tax fx commerce market security admin")
      ->required()
      ->check(CLI::IsMember({"customs", "tax", "fx", "commerce", "market", "security", "admin"}));
  user_add->add_option("--name", u.name, "user name")->required();

  gen::GenOptions gopt;
  auto* gen_cmd =
      app.add_subcommand("gen", "write deterministic, realistic CEB traffic as XML files");
  gen_cmd->add_option("--seed", gopt.seed, "random seed: same seed, same bytes")->required();
  gen_cmd->add_option("--import", gopt.import_parcels,
                      "import parcels (order, payment, waybill, list, ...)");
  gen_cmd->add_option("--export", gopt.export_parcels,
                      "export parcels (order, receipts, waybill, list, arrival, departure)");
  gen_cmd->add_option("--faults", gopt.faults, "fraction of parcels with one labelled fault (0..1)")
      ->check(CLI::Range(0.0, 1.0));
  gen_cmd->add_option("--from", gopt.from, "first day, YYYY-MM-DD (Beijing)")
      ->capture_default_str();
  gen_cmd->add_option("--to", gopt.to, "last day, YYYY-MM-DD (Beijing)")->capture_default_str();
  gen_cmd->add_option("--out", gopt.out_dir, "output folder")->required();

  std::vector<std::string> ingest_paths;
  bool replay = false;
  auto* ingest = app.add_subcommand("ingest",
                                    "ingest CEB XML/JSON files or folders as the operator, in "
                                    "file-name order; prints one NDJSON line per business entity");
  add_db(ingest);
  add_clearance(ingest);
  ingest->add_flag("--replay", replay,
                   "take each message's appTime as the clock (backfills, demo history)");
  ingest->add_option("PATH", ingest_paths, "files or folders")->required();

  std::string tick_at;
  auto* tick = app.add_subcommand(
      "tick",
      "run clearance's time-driven work once: lists whose match timed out are refused, lists "
      "past the 30-day return window close (899) and their tax is deducted from the guarantee, "
      "returns whose goods did not arrive in time fail; prints a JSON summary");
  add_db(tick);
  add_clearance(tick);
  tick->add_option("--at", tick_at,
                   "the time to run as, YYYYMMDDhhmmss or YYYY-MM-DD (Beijing); default now");

  summary::Request sum_req;
  std::string sum_out;
  auto* summary_cmd = app.add_subcommand(
      "summary",
      "the monthly export summary declaration (汇总申报) of the lists closed (899) in a month, "
      "statisticsFlag B; prints {\"month\":..,\"deadline\":..,\"overdue\":..,\"declarations\":"
      "[..]}; running it again returns the same declarations");
  add_db(summary_cmd);
  summary_cmd->add_option("--month", sum_req.month, "YYYY-MM (Beijing); the current month too")
      ->required();
  summary_cmd->add_option("--ebc", sum_req.ebc_code, "one e-commerce enterprise (default: all)");
  summary_cmd
      ->add_option("--summary-flag", sum_req.summary_flag,
                   "1: by consignor; 2: by consignor and producer/seller (ownerCode)")
      ->check(CLI::IsMember({"1", "2"}))
      ->capture_default_str();
  summary_cmd
      ->add_option("--item-name-flag", sum_req.item_name_flag,
                   "1: items also by the list's goods name (itemName)")
      ->check(CLI::IsMember({"1"}));
  summary_cmd->add_option("--out", sum_out, "folder to write the CEB701 and CEB792 XML to");
  std::string due_at;
  int due_months = 3;
  auto* summary_due = app.add_subcommand(
      "summary-due",
      "reminders: per month and e-commerce enterprise, the closed lists (statisticsFlag B) "
      "not yet in a summary declaration, with the deadline (the 15th, moved past holidays), "
      "the days left and whether it is overdue; prints {\"at\":..,\"due\":[..]}");
  add_db(summary_due);
  summary_due->add_option("--at", due_at, "the day to look from, YYYY-MM-DD; default today");
  summary_due->add_option("--months", due_months, "how many past months to look at")
      ->check(CLI::Range(1, 24))
      ->capture_default_str();

  auto* export_tax = app.add_subcommand(
      "export-tax",
      "export tax records for the tax bureau (无票免税, deemed enterprise income tax)");
  export_tax->require_subcommand(1);
  exporttax::RecordsRequest etx_req;
  std::string etx_format = "csv", etx_out;
  auto* etx_records = export_tax->add_subcommand(
      "records",
      "the no-invoice exemption record (财税〔2018〕103号) of every export list line of an "
      "enterprise released (800/899) in a period, the three conditions checked and named");
  add_db(etx_records);
  etx_records->add_option("--ebc", etx_req.ebc_code, "the e-commerce enterprise (ebcCode)")
      ->required();
  etx_records->add_option("--from", etx_req.from, "first release day, YYYY-MM-DD (Beijing)")
      ->required();
  etx_records->add_option("--to", etx_req.to, "last release day, YYYY-MM-DD (Beijing)")->required();
  etx_records->add_option("--format", etx_format, "csv (UTF-8 with BOM), xlsx or json")
      ->check(CLI::IsMember({"csv", "xlsx", "json"}))
      ->capture_default_str();
  etx_records->add_option("--out", etx_out, "the file to write")->required();
  exporttax::EitRequest eit_req;
  auto* etx_eit = export_tax->add_subcommand(
      "eit",
      "the deemed enterprise income tax estimate of a year (公告2019年第36号): revenue of the "
      "qualifying CNY lines × 4%, × 25% or the small and micro rate; prints JSON");
  add_db(etx_eit);
  etx_eit->add_option("--ebc", eit_req.ebc_code, "the e-commerce enterprise (ebcCode)")->required();
  etx_eit->add_option("--year", eit_req.year, "YYYY")->required()->check(CLI::Range(2020, 2100));
  etx_eit->add_flag("--small-micro", eit_req.small_micro,
                    "the enterprise is a small and micro enterprise (小型微利企业)");

  auto* stock = app.add_subcommand("stock", "the bonded (1210) stock ledger");
  stock->require_subcommand(1);
  std::string stock_file, warehouse;
  auto* stock_in =
      stock->add_subcommand("in",
                            "record inbound stock from a JSON file {\"records\":[{\"warehouse\":..,"
                            "\"itemRecordNo\":..,\"qty\":..}]} (as gen writes stock.json)");
  add_db(stock_in);
  stock_in->add_option("FILE", stock_file, "the JSON file")->required();
  auto* stock_report = stock->add_subcommand(
      "report", "print the stock per warehouse and item as JSON: in, out, returned, balance");
  add_db(stock_report);
  stock_report->add_option("--warehouse", warehouse, "one warehouse (areaCode); default all");

  auto* quota_cmd = app.add_subcommand("quota", "the retail import annual quota ledger");
  quota_cmd->require_subcommand(1);
  int quota_year = 0;
  std::string id_type = "1", id_number;
  auto* quota_show = quota_cmd->add_subcommand("show", "one buyer's quota in a year");
  add_db(quota_show);
  quota_show->add_option("--id-type", id_type, "buyerIdType")->capture_default_str();
  quota_show->add_option("--id-number", id_number, "buyerIdNumber")->required();
  quota_show->add_option("--year", quota_year, "calendar year")->required();
  auto* quota_audit = quota_cmd->add_subcommand(
      "audit",
      "the ledger's total against the lists that hold quota (released minus cancelled and "
      "returned); prints {\"year\":..,\"ledger\":..,\"lists\":..,\"buyers\":..,\"maxUsed\":..,"
      "\"balanced\":true|false}");
  add_db(quota_audit);
  quota_audit->add_option("--year", quota_year, "calendar year")->required();

  auto* overseas =
      app.add_subcommand("overseas-warehouse",
                         "e-commerce enterprises' overseas warehouses (海外仓, needed for 9810)");
  overseas->require_subcommand(1);
  clearance::OverseasWarehouse ow;
  std::string ow_area;
  auto* ow_add = overseas->add_subcommand(
      "add", "register an overseas warehouse of an enterprise (or replace it); prints it as JSON");
  add_db(ow_add);
  ow_add->add_option("--ebc", ow.ebc_code, "the e-commerce enterprise (ebcCode)")->required();
  ow_add->add_option("--code", ow.code, "the warehouse's code")->required();
  ow_add->add_option("--name", ow.name, "the warehouse's name")->required();
  ow_add->add_option("--operator", ow.operator_name, "who runs it (default: --name)");
  ow_add->add_option("--country", ow.country, "customs country code, e.g. 502")->required();
  ow_add->add_option("--address", ow.address, "address")->required();
  ow_add->add_option("--area-m2", ow_area, "floor area in m²")->required();
  ow_add->add_option("--service", ow.services, "a service offered (repeatable)");
  auto* ow_list =
      overseas->add_subcommand("list", "registered overseas warehouses, one JSON line each");
  add_db(ow_list);
  ow_list->add_option("--ebc", ow.ebc_code, "one enterprise (default: all)");

  auto* guarantee = app.add_subcommand("guarantee", "enterprises' tax guarantees (税款担保)");
  guarantee->require_subcommand(1);
  std::string g_code, g_amount;
  auto* g_set = guarantee->add_subcommand("set", "set the amount a guarantee covers");
  add_db(g_set);
  g_set->add_option("--code", g_code, "the guarantor (assureCode)")->required();
  g_set->add_option("--amount", g_amount, "CNY")->required();
  auto* g_show = guarantee->add_subcommand("show", "balance, outstanding tax and tax paid");
  add_db(g_show);
  g_show->add_option("--code", g_code, "the guarantor (assureCode)")->required();

  RiskCliOptions ro;
  auto* risk_cmd = app.add_subcommand("risk", "risk control (风险防控): rule hits, rules, lanes");
  risk_cmd->require_subcommand(1);
  auto* risk_hits = risk_cmd->add_subcommand(
      "hits", "rule hits in a period, one JSON line each (as GET /api/v1/risk/hits)");
  add_db(risk_hits);
  risk_hits->add_option("--from", ro.from, "first day, YYYY-MM-DD")->required();
  risk_hits->add_option("--to", ro.to, "last day (included), YYYY-MM-DD")->required();
  risk_hits->add_option("--rule", ro.rule, "one rule id (e.g. split_order)");
  risk_hits->add_option("--buyer", ro.buyer, "the buyer's ID number (type 1) or TYPE:NUMBER");
  risk_hits->add_option("--limit", ro.limit, "at most this many")->capture_default_str();
  auto* risk_rules = risk_cmd->add_subcommand(
      "rules", "the rules in force with their hits and inspection results, one JSON line each");
  add_db(risk_rules);
  auto* risk_decision = risk_cmd->add_subcommand(
      "decision", "why one list took its lane: selection, credit level, targets, hits");
  add_db(risk_decision);
  risk_decision->add_option("--cop-no", ro.cop_no, "the list's copNo")->required();
  risk_decision->add_option("--agent-code", ro.agent_code, "the declaring agent")->required();
  auto* risk_eval = risk_cmd->add_subcommand(
      "eval",
      "precision and recall of each rule against the labels.ndjson of shumao gen --faults, and "
      "the unlabelled (ordinary) lists flagged");
  add_db(risk_eval);
  risk_eval->add_option("--labels", ro.labels, "labels.ndjson written by shumao gen --faults")
      ->required();

  auto* credit =
      app.add_subcommand("credit", "enterprise credit (电商信用): levels, score, 失信公示");
  credit->require_subcommand(1);
  auto* credit_set = credit->add_subcommand(
      "set", "set an enterprise's customs credit level from a date (海关总署令第282号)");
  add_db(credit_set);
  credit_set->add_option("--code", ro.code, "the enterprise")->required();
  credit_set
      ->add_option("--level", ro.level,
                   "advanced_certified, certified, regular, dishonest or seriously_dishonest "
                   "(第251号's 一般信用企业 is regular)")
      ->required();
  credit_set->add_option("--from", ro.from, "effective date YYYY-MM-DD")->required();
  credit_set->add_option("--reason", ro.reason, "why (published with a dishonest level)");
  auto* credit_show = credit->add_subcommand(
      "show", "an enterprise's level, history and platform credit score with its reasons");
  add_db(credit_show);
  credit_show->add_option("--code", ro.code, "the enterprise")->required();
  credit_show->add_option("--at", ro.at, "as of this day YYYY-MM-DD (default: now)");
  auto* credit_dishonest =
      credit->add_subcommand("dishonest", "the published dishonest list, one JSON line each");
  add_db(credit_dishonest);
  credit_dishonest->add_option("--at", ro.at, "as of this day YYYY-MM-DD (default: now)");
  auto* credit_complain =
      credit->add_subcommand("complain", "record a complaint against an enterprise");
  add_db(credit_complain);
  credit_complain->add_option("--code", ro.code, "the enterprise")->required();
  credit_complain->add_option("--text", ro.text, "what the complaint says")->required();

  auto* tax_cmd = app.add_subcommand("tax", "the comprehensive tax of cross-border retail imports");
  tax_cmd->require_subcommand(1);
  auto* quote = tax_cmd->add_subcommand(
      "quote",
      "read a quote request (JSON, as POST /api/v1/tax/quote takes it) on stdin and print the "
      "answer: regime, taxes per line and in total, reasons");
  std::string quote_db;
  quote->add_option("--db", quote_db,
                    "with a buyer in the request: check the annual limit against this "
                    "database's quota ledger (default: nothing used yet)");
  quote->add_option("--key-file", copt.key_file, "the data key of that database (default: DB.key)");
  quote->add_option("--tariff", copt.tariff_dir,
                    "folder with the zone's tariff tables (as data/tax/); default: built in");

  // Statistics: the monthly report, one query, the zone evaluation.
  StatsCliOptions so;
  auto* report = app.add_subcommand(
      "report",
      "the zone's monthly statistical report (定期汇总报送): totals, growth on the previous "
      "month and year, trade modes, top countries, categories and enterprises, overseas "
      "warehouses, parks; from the rollups");
  add_db(report);
  report->add_option("--month", so.month, "the month, YYYY-MM")->required();
  report->add_option("--format", so.format, "json, csv (UTF-8 with BOM, for Excel) or xlsx")
      ->check(CLI::IsMember({"json", "csv", "xlsx"}))
      ->capture_default_str();
  report->add_option("--out", so.out, "the file to write (default: stdout; xlsx needs a file)");
  report->add_option("--zone", so.zone, "one zone (e.g. suzhou); default: the whole platform");
  auto* stats_cmd = app.add_subcommand(
      "stats", "one statistics query over the rollups, answered as GET /api/v1/stats");
  add_db(stats_cmd);
  stats_cmd
      ->add_option("--measure", so.query.measure,
                   "lists value_cny value_usd tax_cny parcels lines returns return_value_cny "
                   "risk_hits refused clearance_seconds_p50 clearance_seconds_p95 "
                   "clearance_seconds_mean")
      ->required();
  stats_cmd
      ->add_option("--by", so.query.by,
                   "day month tradeMode direction country hsChapter hsHeading ebcCode status zone")
      ->required();
  stats_cmd->add_option("--from", so.query.from, "first day, YYYY-MM-DD")->required();
  stats_cmd->add_option("--to", so.query.to, "last day (included), YYYY-MM-DD")->required();
  stats_cmd->add_option("--direction", so.query.direction, "import or export");
  stats_cmd->add_option("--trade-mode", so.query.trade_mode, "9610 1210 1239 9710 9810");
  stats_cmd->add_option("--ebc", so.query.ebc_code, "one e-commerce enterprise");
  stats_cmd->add_option("--zone", so.query.zone, "one zone");
  auto* evaluation = app.add_subcommand(
      "evaluation", "the zone evaluation (综试区考核评估): indicators, scores, zones side by side");
  evaluation->require_subcommand(1);
  auto* eval_show = evaluation->add_subcommand("show", "score every zone for a year, as JSON");
  add_db(eval_show);
  eval_show->add_option("--year", so.year, "the year (default: this year)");
  eval_show->add_option("--weight", so.weights,
                        "ID=WEIGHT, repeatable: override an indicator's weight "
                        "(data/stats/evaluation.csv)");
  auto* eval_set = evaluation->add_subcommand(
      "set", "enter a zone's own figures for a year (not in the platform's data)");
  add_db(eval_set);
  eval_set->add_option("--zone", so.zone, "the zone (e.g. suzhou)")->required();
  eval_set->add_option("--year", so.year, "the year")->required();
  eval_set->add_option("--foreign-trade", so.foreign_trade,
                       "the zone's total foreign trade, CNY (for the CBEC share)");
  eval_set->add_option("--high-tech", so.inputs.high_tech, "high-tech enterprises in CBEC");
  eval_set->add_option("--parks", so.inputs.parks, "industrial parks and incubators");
  eval_set->add_option("--policy-cases", so.inputs.policy_cases, "policy innovation cases");

  BenchOptions bopt;
  auto* bench =
      app.add_subcommand("bench", "run one benchmark in-process and print its JSON result");
  bench
      ->add_option(
          "--scenario", bopt.scenario,
          "intake (messages through intake alone), import (intake with import "
          "clearance: match, quota, tax, lanes, receipts) or import-http (import "
          "clearance through a real server on loopback at --rate parcels/s: latency), "
          "export (intake with export clearance, October's traffic, to 899) or summary "
          "(the monthly summary of --parcels closed lists written into a fresh store) or risk "
          "(labelled import traffic cleared with and without risk screening: overhead, "
          "precision and recall) or stats (--parcels released lists, 2.5 lines each, a year "
          "of them into the rollups, then every GET /api/v1/stats query shape timed; use "
          "--parcels 4000000 for 10 million lines)")
      ->check(
          CLI::IsMember({"intake", "import", "import-http", "export", "summary", "risk", "stats"}))
      ->capture_default_str();
  bench
      ->add_option("--parcels", bopt.parcels,
                   "messages to push through (parcels × about 4.5); summary: closed lists")
      ->capture_default_str();
  bench->add_option("--db", bopt.db, "database (default: a temporary SQLite file)");
  bench->add_option("--rate", bopt.rate, "import-http: offered parcels per second")
      ->capture_default_str();
  bench->add_flag_callback(
      "--no-stats", [&bopt] { bopt.stats = false; },
      "import, export: clear without the statistics rollups (to measure their cost)");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    // --help prints and succeeds; any other parse error is a usage error: exit code 2.
    int rc = app.exit(e);
    return rc == 0 ? 0 : 2;
  }

  if (*gen_cmd) {
    auto summary = gen::Generate(gopt);
    if (!summary.ok()) return Fail(summary.status());
    std::printf(
        "{\"files\":%lld,\"messages\":%lld,\"import\":%lld,\"export\":%lld,\"faults\":%lld,\"out\":"
        "%s}\n",
        static_cast<long long>(summary->files), static_cast<long long>(summary->messages),
        static_cast<long long>(summary->import_parcels),
        static_cast<long long>(summary->export_parcels), static_cast<long long>(summary->faults),
        JsonString(gopt.out_dir).c_str());
    return 0;
  }
  if (*quote) {
    std::stringstream in;
    in << std::cin.rdbuf();
    std::unique_ptr<Context> ledger;
    http::QuotaLookup lookup = nullptr;
    if (!quote_db.empty()) {
      ContextOptions qo = copt;
      qo.db = quote_db;
      auto opened = Context::Open(qo);
      if (!opened.ok()) return Fail(opened.status());
      ledger = std::move(*opened);
      lookup = [&ledger](const std::string& id_type, const std::string& id_number,
                         int year) -> StatusOr<Decimal> {
        ASSIGN_OR_RETURN(clearance::QuotaView q,
                         ledger->clearance->Quota(id_type, id_number, year));
        return q.used;
      };
    }
    auto tariff = LoadTariff(copt.tariff_dir);
    if (!tariff.ok()) return Fail(tariff.status());
    auto answer = http::QuoteFromJson(in.str(), **tariff, Clock::System(), lookup);
    if (!answer.ok()) {
      std::printf("%s\n", intake::JsonError(answer.status()).c_str());
      return Fail(answer.status());
    }
    std::printf("%s\n", answer->c_str());
    return 0;
  }
  if (*bench) {
    auto result = RunBench(bopt);
    if (!result.ok()) return Fail(result.status());
    std::printf("%s\n", result->c_str());
    return 0;
  }

  if (*summary_due) {
    Timestamp at = Clock::System().Now();
    if (!due_at.empty()) {
      auto t = ParseDate(due_at);
      if (!t.ok()) {
        std::fprintf(stderr, "shumao: --at must be YYYY-MM-DD\n");
        return 2;
      }
      at = Timestamp{t->millis + 12 * 3600 * 1000};  // midday of that Beijing day
    }
    auto ctx = Context::Open(copt);
    if (!ctx.ok()) return Fail(ctx.status());
    auto due = summary::Pending(*(*ctx)->store, at, due_months);
    if (!due.ok()) return Fail(due.status());
    std::printf("%s\n", summary::PendingToJson(*due, at).c_str());
    return 0;
  }
  if (*summary_cmd) {
    Status st = summary::CheckRequest(sum_req, Clock::System().Now());
    if (!st.ok()) {
      std::fprintf(stderr, "shumao: %s\n", st.ToString().c_str());
      return 2;
    }
  }

  if (*etx_records) {
    Status st = exporttax::CheckRecordsRequest(etx_req);
    if (!st.ok()) {
      std::fprintf(stderr, "shumao: %s\n", st.ToString().c_str());
      return 2;
    }
  }

  auto ctx = Context::Open(copt);
  if (!ctx.ok()) return Fail(ctx.status());
  Context& c = **ctx;
  if (*ent_add) {
    if (identity_verifying) ent.roles.push_back("identity");
    auto token = c.AddEnterprise(ent);
    if (!token.ok()) return Fail(token.status());
    std::printf("{\"code\":%s,\"token\":%s}\n", JsonString(ent.code).c_str(),
                JsonString(*token).c_str());
    return 0;
  }
  if (*user_add) {
    auto token = c.AddUser(u);
    if (!token.ok()) return Fail(token.status());
    std::printf("{\"name\":%s,\"token\":%s}\n", JsonString(u.name).c_str(),
                JsonString(*token).c_str());
    return 0;
  }
  if (*risk_hits) return RunRiskHits(c, ro);
  if (*risk_rules) return RunRiskRules(c);
  if (*risk_decision) return RunRiskDecision(c, ro);
  if (*risk_eval) return RunRiskEval(c, ro);
  if (*credit_set) return RunCreditSet(c, ro);
  if (*credit_show) return RunCreditShow(c, ro);
  if (*credit_dishonest) return RunCreditDishonest(c, ro);
  if (*credit_complain) return RunCreditComplain(c, ro);
  if (*ingest) return RunIngest(c, ingest_paths, replay);
  if (*tick) return RunTick(c, tick_at);
  if (*summary_cmd) return RunSummary(c, sum_req, sum_out);
  if (*etx_records) return RunExportTaxRecords(c, etx_req, etx_format, etx_out);
  if (*etx_eit) {
    auto e = exporttax::EstimateEit(*c.store, eit_req);
    if (!e.ok()) return Fail(e.status());
    std::printf("%s\n", exporttax::EitToJson(*e).c_str());
    return 0;
  }
  if (*stock_in) return RunStockIn(c, stock_file);
  if (*stock_report) return RunStockReport(c, warehouse);
  if (*quota_show) {
    auto q = c.clearance->Quota(id_type, id_number, quota_year);
    if (!q.ok()) return Fail(q.status());
    std::printf("{\"year\":%d,\"limit\":\"%s\",\"used\":\"%s\",\"remaining\":\"%s\"}\n", q->year,
                q->limit.ToString(2).c_str(), q->used.ToString(2).c_str(),
                q->remaining.ToString(2).c_str());
    return 0;
  }
  if (*quota_audit) {
    auto a = c.clearance->AuditQuota(quota_year);
    if (!a.ok()) return Fail(a.status());
    std::printf(
        "{\"year\":%d,\"ledger\":\"%s\",\"lists\":\"%s\",\"buyers\":%d,\"maxUsed\":\"%s\","
        "\"balanced\":%s}\n",
        quota_year, a->ledger_total.ToString(2).c_str(), a->lists_total.ToString(2).c_str(),
        a->buyers, a->max_used.ToString(2).c_str(),
        a->ledger_total == a->lists_total ? "true" : "false");
    return 0;
  }
  if (*g_set) {
    auto amount = Decimal::Parse(g_amount);
    if (!amount.ok()) return Fail(InvalidArgument("amount is not a number", "amount"));
    Status st = c.clearance->SetGuarantee(g_code, *amount);
    if (!st.ok()) return Fail(st);
  }
  if (*ow_add) {
    auto area = Decimal::Parse(ow_area);
    if (!area.ok()) return Fail(InvalidArgument("area is not a number", "area-m2"));
    ow.area_m2 = *area;
    Status st = c.clearance->AddOverseasWarehouse(ow);
    if (!st.ok()) return Fail(st);
  }
  if (*ow_add || *ow_list) {
    auto list = c.clearance->ListOverseasWarehouses(ow.ebc_code);
    if (!list.ok()) return Fail(list.status());
    for (const clearance::OverseasWarehouse& w : *list) {
      if (*ow_add && w.code != ow.code) continue;
      std::string services;
      for (const std::string& sv : w.services) {
        services += (services.empty() ? "" : ",") + JsonString(sv);
      }
      std::printf(
          "{\"ebc\":%s,\"code\":%s,\"name\":%s,\"operator\":%s,\"country\":%s,\"address\":%s,"
          "\"areaM2\":\"%s\",\"services\":[%s]}\n",
          JsonString(w.ebc_code).c_str(), JsonString(w.code).c_str(), JsonString(w.name).c_str(),
          JsonString(w.operator_name).c_str(), JsonString(w.country).c_str(),
          JsonString(w.address).c_str(), w.area_m2.ToShortString().c_str(), services.c_str());
    }
    return 0;
  }
  if (*g_set || *g_show) {
    auto g = c.clearance->Guarantee(g_code);
    if (!g.ok()) return Fail(g.status());
    std::printf("{\"code\":%s,\"balance\":\"%s\",\"outstanding\":\"%s\",\"paid\":\"%s\"}\n",
                JsonString(g->code).c_str(), g->balance.ToString(2).c_str(),
                g->outstanding.ToString(2).c_str(), g->paid.ToString(2).c_str());
    return 0;
  }
  if (*report) return RunReport(c, so);
  if (*stats_cmd) return RunStatsQuery(c, so);
  if (*eval_show) return RunEvaluationShow(c, so);
  if (*eval_set) return RunEvaluationSet(c, so);
  if (*serve) return RunServe(c, listen, public_overview, web_root, log_level);
  if (*demo) {
    Status st = FillDemo(c, demo_lists);
    if (!st.ok()) return Fail(st);
    return RunServe(c, listen, true, web_root, "warn");
  }
  return 2;
}

}  // namespace shumao::app

int main(int argc, char** argv) { return shumao::app::Main(argc, argv); }

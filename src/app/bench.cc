#include "app/bench.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/context.h"
#include "ceb/catalog.h"
#include "ceb/codec.h"
#include "common/strings.h"
#include "floor.h"
#include "gen/generator.h"
#include "http/clearance_json.h"
#include "http/load.h"
#include "http/server.h"

namespace shumao::app {

namespace {

std::string JsonQuote(const std::string& s) {
  std::string out = "\"";
  AppendJsonEscaped(out, s);
  return out + "\"";
}

// Import clearance over HTTP: a real server on loopback, messages offered open-loop at
// `rate` parcels/s in their sending order; the latency of each list's POST is the
// decision latency (the list is the document that completes its parcel).
StatusOr<std::string> RunHttp(const BenchOptions& o, Context& ctx, const std::string& op,
                              const std::vector<std::string>& bodies,
                              const std::vector<bench::FloorKeys>& keys, int64_t parcels,
                              double floor_rate, const std::filesystem::path& dir) {
  registry::Enterprise opr{op, "数贸平台运营方 (platform operator)", {"operator"}, "", ""};
  ASSIGN_OR_RETURN(std::string token, ctx.AddEnterprise(opr));
  http::ServerOptions so;
  so.port = 0;
  so.threads = 64;  // requests waiting on one group commit: more of them, bigger batches
  ASSIGN_OR_RETURN(
      std::unique_ptr<http::Server> server,
      http::Server::Create(ctx.store.get(), ctx.intake.get(), ctx.vault, so, ctx.clearance.get()));
  Status run_status;
  std::thread runner([&] { run_status = server->Run(); });
  if (!server->WaitUntilReady(10000)) {
    server->Stop();
    runner.join();
    return Internal("bench: the server did not start: " + run_status.ToString());
  }
  http::LoadOptions lo;
  lo.port = server->port();
  lo.token = token;
  lo.threads = 64;
  double per_parcel = static_cast<double>(bodies.size()) / std::max<int64_t>(parcels, 1);
  lo.messages_per_s = o.rate * per_parcel;
  std::fprintf(stderr, "bench: offering %.0f parcels/s (%.0f messages/s) over HTTP ...\n", o.rate,
               lo.messages_per_s);
  http::LoadResult r = http::RunLoad(lo, bodies);
  server->Stop();
  runner.join();
  std::vector<double> decisions;
  for (size_t i = 0; i < keys.size() && i < r.latency_ms.size(); ++i) {
    if (keys[i].kind == "inventories") decisions.push_back(r.latency_ms[i]);
  }
  std::filesystem::remove_all(dir);
  char buf[1536];
  std::snprintf(buf, sizeof buf,
                "{\"scenario\":\"%s\",\"parcels\":%lld,\"messages\":%zu,\"errors\":%zu,"
                "\"seconds\":%.3f,\"offered_parcels_per_s\":%.0f,\"parcels_per_s\":%.0f,"
                "\"latency_p50_ms\":%.2f,\"latency_p99_ms\":%.2f,\"decision_p50_ms\":%.2f,"
                "\"decision_p99_ms\":%.2f,\"decision_max_ms\":%.2f,\"floor_parcels_per_s\":%.0f,"
                "\"ratio\":%.3f,\"first_error\":%s}",
                o.scenario.c_str(), static_cast<long long>(parcels), bodies.size(), r.errors,
                r.seconds, o.rate, parcels / r.seconds, http::Quantile(r.latency_ms, 0.5),
                http::Quantile(r.latency_ms, 0.99), http::Quantile(decisions, 0.5),
                http::Quantile(decisions, 0.99), http::Quantile(decisions, 1.0),
                floor_rate / per_parcel, (parcels / r.seconds) / (floor_rate / per_parcel),
                JsonQuote(r.first_error).c_str());
  return std::string(buf);
}

}  // namespace

StatusOr<std::string> RunBench(const BenchOptions& o) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("shumao-bench-" + RandomToken().substr(0, 8));
  fs::create_directories(dir);
  gen::GenOptions g;
  g.seed = 7;
  g.import_parcels = std::max<int64_t>(1, o.parcels / 4);
  g.out_dir = (dir / "traffic").string();
  std::fprintf(stderr, "bench: generating traffic ...\n");
  ASSIGN_OR_RETURN(gen::GenSummary summary, gen::Generate(g));
  std::vector<std::string> bodies;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(g.out_dir)) {
    if (e.path().extension() == ".xml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bodies.push_back(ss.str());
  }
  ContextOptions co;
  co.db = o.db.empty() ? (dir / "bench.db").string() : o.db;
  co.key_file = (dir / "bench.key").string();
  const bool over_http = o.scenario == "import-http";
  const bool import = o.scenario == "import" || over_http;
  co.clearance = import;  // intake alone, or intake with import clearance
  ASSIGN_OR_RETURN(std::unique_ptr<Context> ctx, Context::Open(co));
  if (import) {
    std::ifstream in(fs::path(g.out_dir) / "stock.json");
    std::stringstream ss;
    ss << in.rdbuf();
    ASSIGN_OR_RETURN(std::vector<clearance::InboundRecord> stock, http::InboundFromJson(ss.str()));
    RETURN_IF_ERROR(ctx->clearance->AddInbound(stock));
  }
  ASSIGN_OR_RETURN(std::string op, ctx->EnsureSystemOperator());
  {
    std::ifstream in(fs::path(g.out_dir) / "parties.json");
    std::stringstream ss;
    ss << in.rdbuf();
    rapidjson::Document parties;
    parties.Parse(ss.str().c_str());
    for (const auto& p : parties.GetArray()) {
      registry::Enterprise e;
      e.code = p["code"].GetString();
      e.name = p["name"].GetString();
      for (const auto& r : p["roles"].GetArray()) e.roles.emplace_back(r.GetString());
      RETURN_IF_ERROR(ctx->store->PutEnterprise(e));
    }
    ctx->intake->InvalidateRegistry();
  }
  std::fprintf(stderr, "bench: %zu messages; measuring the floor ...\n", bodies.size());
  double parse_s = bench::ParseFloorSeconds(bodies);
  // The floor writes into a database with the project's own schema (same tables and
  // indexes), created by the store's migrations.
  std::string floor_db = (dir / "floor.db").string();
  {
    ContextOptions fo;
    fo.db = floor_db;
    fo.key_file = (dir / "floor.key").string();
    ASSIGN_OR_RETURN(std::unique_ptr<Context> schema_only, Context::Open(fo));
  }
  // The keys each message's rows carry, taken from the message as intake takes them.
  std::vector<bench::FloorKeys> keys(bodies.size());
  for (size_t i = 0; i < bodies.size(); ++i) {
    auto m = ceb::DecodeXml(bodies[i]);
    if (!m.ok()) continue;
    const ceb::DocumentSpec* spec = ceb::FindDocumentSpec(m->type());
    if (spec == nullptr || m->Entities().empty()) continue;
    const ceb::Node* head = ceb::HeadOf(*spec, *m->Entities()[0]);
    bench::FloorKeys& k = keys[i];
    k.guid = std::string(m->type()) + ":" + m->guid;
    k.kind = spec->kind;
    k.scope = std::string(head->Get(spec->scope_field));
    k.key = std::string(head->Get(spec->key_field));
    if (spec->alt_key_field[0] != '\0') k.alt_key = std::string(head->Get(spec->alt_key_field));
    if (head->Has("buyerIdNumber")) k.buyer_hash = Sha256Hex(head->Get("buyerIdNumber"));
  }
  double insert_s = bench::InsertFloorSeconds(bodies, keys, floor_db, 1000);
  double floor_rate = bodies.size() / (parse_s + insert_s);

  if (over_http) return RunHttp(o, *ctx, op, bodies, keys, summary.import_parcels, floor_rate, dir);
  std::fprintf(stderr, "bench: running %s ...\n",
               import ? "intake with import clearance" : "intake");
  auto start = std::chrono::steady_clock::now();
  int64_t accepted = 0;
  double commit_s = 0;
  RunPipeline(
      *ctx->intake, bodies.size(),
      [&](size_t i) {
        intake::Submission s;
        s.body = bodies[i];
        s.replay = import;  // decisions dated as declared: the year's quota, the policy
        s.principal = registry::Principal{registry::Principal::Kind::kEnterprise, op, ""};
        return s;
      },
      4000,
      [&](size_t, std::vector<intake::IntakeResult>& results) {
        for (const auto& r : results) {
          for (const auto& e : r.entities) accepted += e.return_status == "2";
        }
      },
      &commit_s);
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  double rate = bodies.size() / secs;
  int64_t released = 0;
  if (import) {
    // How many lists the run cleared (800) or sent to inspection (500): a benchmark that
    // refused everything would be fast and worthless.
    for (size_t i = 0; i < keys.size(); ++i) {
      if (keys[i].kind != "inventories") continue;
      auto docs = ctx->store->FindDocuments("inventories", keys[i].key);
      if (docs.ok() && !docs->empty() &&
          ((*docs)[0].status == "800" || (*docs)[0].status == "500")) {
        ++released;
      }
    }
  }
  ctx.reset();
  fs::remove_all(dir);
  char buf[512];
  std::snprintf(
      buf, sizeof buf,
      "{\"scenario\":\"%s\",\"parcels\":%lld,\"messages\":%zu,\"accepted\":%lld,\"seconds\":%.3f,"
      "\"parcels_per_s\":%.0f,\"messages_per_s\":%.0f,\"floor_parcels_per_s\":%.0f,"
      "\"floor_messages_per_s\":%.0f,\"floor_parse_s\":%.3f,\"floor_insert_s\":%.3f,"
      "\"commit_s\":%.3f,\"ratio\":%.3f,\"lists_released\":%lld}",
      o.scenario.c_str(), static_cast<long long>(summary.import_parcels), bodies.size(),
      static_cast<long long>(accepted), secs, summary.import_parcels / secs, rate,
      summary.import_parcels / (parse_s + insert_s), floor_rate, parse_s, insert_s, commit_s,
      rate / floor_rate, static_cast<long long>(released));
  return std::string(buf);
}

}  // namespace shumao::app

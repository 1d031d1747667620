#include "app/bench.h"

#include <rapidjson/document.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>
#include <thread>

#include "app/context.h"
#include "app/risk_cli.h"
#include "ceb/catalog.h"
#include "ceb/codec.h"
#include "common/strings.h"
#include "floor.h"
#include "gen/generator.h"
#include "http/clearance_json.h"
#include "http/load.h"
#include "http/server.h"
#include "summary/summary.h"

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

// ---- The monthly summary: N closed export lists written straight into a fresh store.

// A small deterministic PRNG (splitmix64): the synthetic lists are the same in every run.

std::string Fen(int64_t fen) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%02lld", static_cast<long long>(fen / 100),
                static_cast<long long>(fen % 100));
  return buf;
}

// A closed CEB603 list document as intake and clearance leave it (the body_json has every
// head field the generator writes, 1 to 3 lines). Heads: 12 enterprises x 3 sites x 8
// countries = 288; line keys: 64 HS codes per head (the larger heads need two declarations).
store::DocumentRow SyntheticList(SplitMix& rng, int64_t n, int64_t month_from_ms,
                                 int64_t month_ms) {
  struct Site {
    const char *customs, *traf, *traf_name;
  };
  static constexpr Site kSites[] = {
      {"2301", "5", "航空运输"}, {"2338", "6", "邮政航空"}, {"2305", "4", "公路运输"}};
  static constexpr const char* kCountries[] = {"502", "303", "304", "116",
                                               "133", "110", "601", "305"};
  static constexpr const char* kUnits[] = {"011", "006", "007", "035"};
  int ebc = rng.Below(12);
  const Site& site = kSites[rng.Below(3)];
  const char* country = kCountries[rng.Below(8)];
  char ebc_code[24], agent_code[24], cop_no[32], invt_no[32], logistics_no[32], guid[48];
  std::snprintf(ebc_code, sizeof ebc_code, "91320505G7578067%02d", ebc);
  std::snprintf(agent_code, sizeof agent_code, "91320411J091140%03d", ebc % 4);
  std::snprintf(cop_no, sizeof cop_no, "WHEE2610%010lld", static_cast<long long>(n));
  std::snprintf(invt_no, sizeof invt_no, "%s2026E%09lld", site.customs, static_cast<long long>(n));
  std::snprintf(logistics_no, sizeof logistics_no, "LX%09lldCN", static_cast<long long>(n));
  std::snprintf(guid, sizeof guid, "%08llX-0000-4000-8000-%012llX",
                static_cast<unsigned long long>(rng.Next() & 0xFFFFFFFF),
                static_cast<unsigned long long>(n));
  int lines = 1 + rng.Below(3);
  std::string list_json;
  for (int g = 1; g <= lines; ++g) {
    int hs = rng.Below(64);
    int64_t qty = 1 + rng.Below(5);
    int64_t price = 500 + rng.Below(40000);  // fen
    char gcode[16];
    std::snprintf(gcode, sizeof gcode, "%04d%06d", 3901 + hs * 71 % 5600, 100000 + hs * 17);
    std::string name = "商品" + std::to_string(hs);
    if (g > 1) list_json += ',';
    list_json += "{\"gnum\":\"" + std::to_string(g) + "\",\"itemNo\":\"SKU-" + std::to_string(hs) +
                 "\",\"itemName\":\"" + name + "\",\"gcode\":\"" + gcode + "\",\"gname\":\"" +
                 name + "\",\"gmodel\":\"规格|品牌:无\",\"barCode\":\"69082647" +
                 std::to_string(10000 + hs) + "\",\"country\":\"" + country +
                 "\",\"currency\":\"142\",\"qty\":\"" + std::to_string(qty) + "\",\"qty1\":\"" +
                 std::to_string(qty) + "\",\"unit\":\"" + kUnits[hs % 4] + "\",\"unit1\":\"" +
                 kUnits[hs % 4] + "\",\"price\":\"" + Fen(price) + "\",\"totalPrice\":\"" +
                 Fen(qty * price) + "\"}";
  }
  int64_t grams = 100 + rng.Below(5000);
  std::string weight =
      std::to_string(grams / 1000) + "." + std::to_string(1000 + grams % 1000).substr(1);
  std::string body =
      std::string("{\"InventoryHead\":{\"guid\":\"") + guid +
      "\",\"appType\":\"1\",\"appTime\":\"20261015120000\",\"appStatus\":\"2\","
      "\"customsCode\":\"" +
      site.customs +
      "\",\"ebpCode\":\"3206946VYC\",\"ebpName\":\"南通金陵出海电子商务有限公司\","
      "\"orderNo\":\"XCL" +
      std::to_string(n) +
      "\",\"logisticsCode\":\"320591T3EY\",\"logisticsName\":\"苏州宏远国际邮件快递有限公司\","
      "\"logisticsNo\":\"" +
      logistics_no + "\",\"copNo\":\"" + cop_no + "\",\"invtNo\":\"" + invt_no +
      "\",\"ieFlag\":\"E\",\"portCode\":\"" + site.customs +
      "\",\"ieDate\":\"20261015\",\"statisticsFlag\":\"B\",\"agentCode\":\"" + agent_code +
      "\",\"agentName\":\"常州云购关务服务有限公司\",\"ebcCode\":\"" + ebc_code +
      "\",\"ebcName\":\"苏州江海家居用品有限公司\",\"ownerCode\":\"" + ebc_code +
      "\",\"ownerName\":\"苏州江海家居用品有限公司\",\"tradeMode\":\"9610\",\"trafMode\":\"" +
      site.traf + "\",\"trafName\":\"" + site.traf_name + "\",\"country\":\"" + country +
      "\",\"POD\":\"" + country +
      "\",\"freight\":\"0.00\",\"fCurrency\":\"142\",\"fFlag\":\"3\",\"insuredFee\":\"0.00\","
      "\"iCurrency\":\"142\",\"iFlag\":\"3\",\"wrapType\":\"2\",\"packNo\":\"1\","
      "\"grossWeight\":\"" +
      weight + "\",\"netWeight\":\"" + weight + "\"},\"InventoryList\":[" + list_json + "]}";
  store::DocumentRow row;
  row.kind = "inventories";
  row.scope = agent_code;
  row.key = cop_no;
  row.alt_key = invt_no;
  row.message_type = "CEB603";
  row.status = "899";
  row.return_info = "离境结关";
  row.guid = guid;
  row.sender = agent_code;
  row.parties = std::string(",") + ebc_code + ",3206946VYC,320591T3EY," + agent_code + ",";
  row.body_json = std::move(body);
  row.updated_ms =
      month_from_ms + static_cast<int64_t>(rng.Next() % static_cast<uint64_t>(month_ms));
  return row;
}

// `shumao bench --scenario summary`: N closed lists of October 2026 written into a fresh
// store, then the floor (every document read back page by page with DocumentsByStatus and
// its JSON parsed, nothing grouped) and summary::Build of the month.
StatusOr<std::string> RunSummaryBench(const BenchOptions& o, const std::filesystem::path& dir) {
  ContextOptions co;
  co.db = o.db.empty() ? (dir / "bench.db").string() : o.db;
  co.key_file = (dir / "bench.key").string();
  co.clearance = false;
  ASSIGN_OR_RETURN(std::unique_ptr<Context> ctx, Context::Open(co));
  const int64_t from_ms = FromBeijing(CivilTime{2026, 10, 1}).millis;
  const int64_t to_ms = FromBeijing(CivilTime{2026, 11, 1}).millis;
  std::fprintf(stderr, "bench: writing %lld closed lists ...\n", static_cast<long long>(o.parcels));
  auto start = std::chrono::steady_clock::now();
  SplitMix rng{7};
  constexpr int64_t kBatch = 20000;
  for (int64_t n = 0; n < o.parcels;) {
    ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, ctx->store->BeginWrite());
    for (int64_t end = std::min(o.parcels, n + kBatch); n < end; ++n) {
      store::DocumentRow row = SyntheticList(rng, n, from_ms, to_ms - from_ms);
      RETURN_IF_ERROR(txn->PutDocument(row));
    }
    RETURN_IF_ERROR(txn->Commit());
  }
  double write_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::fprintf(stderr, "bench: measuring the floor (read and parse) ...\n");
  start = std::chrono::steady_clock::now();
  int64_t read = 0, after = 0;
  while (true) {
    ASSIGN_OR_RETURN(
        std::vector<store::DocumentRow> rows,
        ctx->store->DocumentsByStatus("inventories", "CEB603", "899", from_ms, to_ms, after, 5000));
    if (rows.empty()) break;
    after = rows.back().id;
    for (const store::DocumentRow& r : rows) {
      rapidjson::Document d;
      d.Parse(r.body_json.data(), r.body_json.size());
      read += !d.HasParseError() && d.IsObject();
    }
  }
  double floor_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();

  std::fprintf(stderr, "bench: running the summary of 2026-10 ...\n");
  summary::Request req;
  req.month = "2026-10";
  FixedClock clock(Timestamp{FromBeijing(CivilTime{2026, 11, 5}).millis});
  start = std::chrono::steady_clock::now();
  ASSIGN_OR_RETURN(summary::Summary s, summary::Build(*ctx->store, req, clock));
  double secs = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  int64_t items = 0, lists = 0;
  for (const summary::Declaration& d : s.declarations) {
    items += static_cast<int64_t>(d.items.size());
    lists += static_cast<int64_t>(d.list_ids.size());
  }
  ctx.reset();
  std::filesystem::remove_all(dir);
  char buf[768];
  std::snprintf(buf, sizeof buf,
                "{\"scenario\":\"summary\",\"parcels\":%lld,\"lists_summarized\":%lld,"
                "\"declarations\":%zu,\"items\":%lld,\"write_s\":%.3f,\"seconds\":%.3f,"
                "\"parcels_per_s\":%.0f,\"floor_seconds\":%.3f,\"floor_lists_read\":%lld,"
                "\"floor_parcels_per_s\":%.0f,\"ratio\":%.3f}",
                static_cast<long long>(o.parcels), static_cast<long long>(lists),
                s.declarations.size(), static_cast<long long>(items), write_s, secs,
                o.parcels / secs, floor_s, static_cast<long long>(read), o.parcels / floor_s,
                floor_s / secs);
  return std::string(buf);
}

// Registers the enterprises gen names in parties.json (and, for exports, an overseas
// warehouse for every e-commerce enterprise, for its 9810 lists).
Status RegisterParties(Context& ctx, const std::string& out_dir, bool exports) {
  namespace fs = std::filesystem;
  std::ifstream in(fs::path(out_dir) / "parties.json");
  std::stringstream ss;
  ss << in.rdbuf();
  rapidjson::Document parties;
  parties.Parse(ss.str().c_str());
  if (parties.HasParseError() || !parties.IsArray()) {
    return InvalidArgument("parties.json is not a JSON array", "parties.json");
  }
  for (const auto& p : parties.GetArray()) {
    registry::Enterprise e;
    e.code = p["code"].GetString();
    e.name = p["name"].GetString();
    for (const auto& r : p["roles"].GetArray()) e.roles.emplace_back(r.GetString());
    RETURN_IF_ERROR(ctx.store->PutEnterprise(e));
    if (exports && std::find(e.roles.begin(), e.roles.end(), "ebc") != e.roles.end()) {
      clearance::OverseasWarehouse w;
      w.ebc_code = e.code;
      w.code = "LAX01";
      w.name = w.operator_name = "美国洛杉矶海外仓";
      w.country = "502";
      w.address = "1000 Warehouse Way, Los Angeles";
      w.area_m2 = Decimal::FromInt(12000);
      w.services = {"一件代发"};
      RETURN_IF_ERROR(ctx.clearance->AddOverseasWarehouse(w));
    }
  }
  ctx.intake->InvalidateRegistry();
  return Status::Ok();
}

// The bonded stock gen's parcels draw on (stock.json), brought into the ledger.
Status LoadStock(Context& ctx, const std::string& out_dir) {
  std::ifstream in(std::filesystem::path(out_dir) / "stock.json");
  std::stringstream ss;
  ss << in.rdbuf();
  ASSIGN_OR_RETURN(std::vector<clearance::InboundRecord> stock, http::InboundFromJson(ss.str()));
  return ctx.clearance->AddInbound(stock);
}

// The XML messages of a gen folder in file-name order.
std::vector<std::string> ReadBodies(const std::string& out_dir) {
  namespace fs = std::filesystem;
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(out_dir)) {
    if (e.path().extension() == ".xml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> bodies;
  for (const auto& f : files) {
    std::ifstream in(f, std::ios::binary);
    std::stringstream ss;
    ss << in.rdbuf();
    bodies.push_back(ss.str());
  }
  return bodies;
}

// Ingests `bodies` as the operator `op` through the pipeline (replayed: decisions dated
// as declared); returns the seconds taken.
double IngestAll(Context& ctx, const std::vector<std::string>& bodies, const std::string& op,
                 bool replay, int64_t* accepted, double* commit_s) {
  auto start = std::chrono::steady_clock::now();
  RunPipeline(
      *ctx.intake, bodies.size(),
      [&](size_t i) {
        intake::Submission s;
        s.body = bodies[i];
        s.replay = replay;
        s.principal = registry::Principal{registry::Principal::Kind::kEnterprise, op, ""};
        return s;
      },
      4000,
      [&](size_t, std::vector<intake::IntakeResult>& results) {
        for (const auto& r : results) {
          for (const auto& e : r.entities) *accepted += e.return_status == "2";
        }
      },
      commit_s);
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// `shumao bench --scenario risk`: labelled import traffic (gen --faults 0.05) cleared in
// fresh stores with risk screening and with the lanes drawn at random only (the floor: the
// same clearance without the rules), three times each; the overhead of screening and each rule's
// precision and recall on the labels.
StatusOr<std::string> RunRiskBench(const BenchOptions& o, const std::filesystem::path& dir) {
  gen::GenOptions g;
  g.seed = 11;
  g.import_parcels = std::max<int64_t>(1, o.parcels / 4);
  g.faults = 0.05;
  g.from = "2026-03-01";
  g.to = "2026-05-31";
  g.out_dir = (dir / "traffic").string();
  std::fprintf(stderr, "bench: generating labelled traffic ...\n");
  ASSIGN_OR_RETURN(gen::GenSummary summary, gen::Generate(g));
  std::vector<std::string> bodies = ReadBodies(g.out_dir);
  // Each mode three times, alternating (plain, screened, ...), each in a fresh store
  // whose files are removed and synced away before the next run starts, so that one run's
  // write-back does not slow the next; the fastest of each mode's runs counts (this
  // machine is shared: single runs vary by ±15%).
  double seconds[2] = {1e300, 1e300};
  int64_t accepted = 0;
  std::string eval, runs;
  constexpr int kRuns = 6;
  for (int i = 0; i < kRuns; ++i) {
    bool screening = i % 2 == 1;
    ContextOptions co;
    std::filesystem::path db = dir / (screening ? "risk.db" : "plain.db");
    co.db = db.string();
    co.key_file = (dir / "bench.key").string();
    co.screening = screening;
    double secs = 0;
    {
      ASSIGN_OR_RETURN(std::unique_ptr<Context> ctx, Context::Open(co));
      RETURN_IF_ERROR(LoadStock(*ctx, g.out_dir));
      ASSIGN_OR_RETURN(std::string op, ctx->EnsureSystemOperator());
      RETURN_IF_ERROR(RegisterParties(*ctx, g.out_dir, false));
      std::fprintf(stderr, "bench: clearing %zu messages %s (run %d of %d) ...\n", bodies.size(),
                   screening ? "with risk screening" : "with random lanes only", i + 1, kRuns);
      double commit_s = 0;
      int64_t n = 0;
      secs = IngestAll(*ctx, bodies, op, true, &n, &commit_s);
      if (screening && eval.empty()) {
        accepted = n;
        ASSIGN_OR_RETURN(
            eval, EvaluateRisk(*ctx->store, *ctx->risk,
                               (std::filesystem::path(g.out_dir) / "labels.ndjson").string()));
      }
    }
    for (const char* suffix : {"", "-wal", "-shm", ".key"}) {
      std::filesystem::remove(db.string() + suffix);
    }
    ::sync();
    seconds[screening ? 0 : 1] = std::min(seconds[screening ? 0 : 1], secs);
    char r[64];
    std::snprintf(r, sizeof r, "%s{\"screening\":%s,\"seconds\":%.3f}", runs.empty() ? "" : ",",
                  screening ? "true" : "false", secs);
    runs += r;
  }
  std::filesystem::remove_all(dir);
  int64_t parcels = summary.import_parcels;
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"scenario\":\"risk\",\"parcels\":%lld,\"messages\":%zu,\"accepted\":%lld,"
                "\"seconds\":%.3f,\"parcels_per_s\":%.0f,\"floor_seconds\":%.3f,"
                "\"floor_parcels_per_s\":%.0f,\"ratio\":%.3f,\"overhead\":%.3f,\"runs\":[",
                static_cast<long long>(parcels), bodies.size(), static_cast<long long>(accepted),
                seconds[0], parcels / seconds[0], seconds[1], parcels / seconds[1],
                seconds[1] / seconds[0], seconds[0] / seconds[1] - 1);
  return std::string(buf) + runs + "],\"eval\":" + eval + "}";
}

}  // namespace

StatusOr<std::string> RunBench(const BenchOptions& o) {
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("shumao-bench-" + RandomToken().substr(0, 8));
  fs::create_directories(dir);
  if (o.scenario == "summary") return RunSummaryBench(o, dir);
  if (o.scenario == "risk") return RunRiskBench(o, dir);
  if (o.scenario == "stats") return RunStatsBench(o, dir);
  const bool exports = o.scenario == "export";
  gen::GenOptions g;
  g.seed = 7;
  (exports ? g.export_parcels : g.import_parcels) = std::max<int64_t>(1, o.parcels / 4);
  if (exports) {
    g.from = "2026-10-01";
    g.to = "2026-10-31";
  }
  g.out_dir = (dir / "traffic").string();
  std::fprintf(stderr, "bench: generating traffic ...\n");
  ASSIGN_OR_RETURN(gen::GenSummary summary, gen::Generate(g));
  std::vector<std::string> bodies = ReadBodies(g.out_dir);
  ContextOptions co;
  co.db = o.db.empty() ? (dir / "bench.db").string() : o.db;
  co.key_file = (dir / "bench.key").string();
  const bool over_http = o.scenario == "import-http";
  const bool import = o.scenario == "import" || over_http;
  co.clearance = import || exports;  // intake alone, or intake with clearance
  co.stats = o.stats;
  ASSIGN_OR_RETURN(std::unique_ptr<Context> ctx, Context::Open(co));
  if (import) RETURN_IF_ERROR(LoadStock(*ctx, g.out_dir));
  ASSIGN_OR_RETURN(std::string op, ctx->EnsureSystemOperator());
  RETURN_IF_ERROR(RegisterParties(*ctx, g.out_dir, exports));
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
               import    ? "intake with import clearance"
               : exports ? "intake with export clearance"
                         : "intake");
  int64_t accepted = 0;
  double commit_s = 0;
  double secs = IngestAll(*ctx, bodies, op, import || exports, &accepted, &commit_s);
  double rate = bodies.size() / secs;
  const int64_t parcels = summary.import_parcels + summary.export_parcels;
  int64_t released = 0;
  if (exports) {
    // The lists that went all the way to 899 (closed on departure).
    int64_t after = 0;
    while (true) {
      auto rows = ctx->store->DocumentsByStatus("inventories", "CEB603", "899", 0,
                                                std::numeric_limits<int64_t>::max(), after, 5000);
      if (!rows.ok() || rows->empty()) break;
      released += static_cast<int64_t>(rows->size());
      after = rows->back().id;
    }
  }
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
      "\"commit_s\":%.3f,\"ratio\":%.3f,\"%s\":%lld}",
      o.scenario.c_str(), static_cast<long long>(parcels), bodies.size(),
      static_cast<long long>(accepted), secs, parcels / secs, rate, parcels / (parse_s + insert_s),
      floor_rate, parse_s, insert_s, commit_s, rate / floor_rate,
      exports ? "lists_closed" : "lists_released", static_cast<long long>(released));
  return std::string(buf);
}

}  // namespace shumao::app

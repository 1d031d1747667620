#include "app/context.h"

#include <rapidjson/document.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <future>
#include <set>
#include <sstream>
#include <thread>
#include <tuple>

#include "common/time.h"
#include "gen/generator.h"
#include "http/clearance_json.h"

namespace shumao::app {

StatusOr<std::unique_ptr<tax::TariffTable>> LoadTariff(const std::string& dir) {
  if (dir.empty()) return std::make_unique<tax::TariffTable>(tax::TariffTable::BuiltIn());
  std::string text[4];
  const char* names[4] = {"policy.csv", "vat_periods.csv", "vat_reduced.csv",
                          "consumption_tax.csv"};
  for (int i = 0; i < 4; ++i) {
    std::filesystem::path path = std::filesystem::path(dir) / names[i];
    std::ifstream in(path, std::ios::binary);
    if (!in) return InvalidArgument("cannot read " + path.string(), "tariff");
    std::stringstream ss;
    ss << in.rdbuf();
    text[i] = ss.str();
  }
  ASSIGN_OR_RETURN(tax::TariffTable table,
                   tax::TariffTable::Parse(text[0], text[1], text[2], text[3]));
  return std::make_unique<tax::TariffTable>(std::move(table));
}

int Fail(const Status& st) {
  std::fprintf(stderr, "shumao: %s\n", st.ToString().c_str());
  return 1;
}

StatusOr<std::unique_ptr<Context>> Context::Open(const ContextOptions& o) {
  auto ctx = std::make_unique<Context>();
  ASSIGN_OR_RETURN(ctx->store, store::Store::Open(store::StoreConfig{o.db}));
  std::string key = o.key_file;
  if (key.empty()) {
    bool pg = o.db.rfind("postgres", 0) == 0;
    key = pg ? "shumao.key" : o.db + ".key";
  }
  ASSIGN_OR_RETURN(ctx->vault, Vault::OpenOrCreate(key));
  ASSIGN_OR_RETURN(ctx->codes, CodeTables::LoadEmbedded());
  if (!o.schemas.empty()) {
    ASSIGN_OR_RETURN(ctx->xsd, ceb::XsdValidator::Load(o.schemas));
  }
  risk::Options ro;
  ro.vault = ctx->vault;
  for (auto [text, target, field] :
       {std::tuple{&o.inspection_rate, &ro.inspect_target, "inspection-rate"},
        std::tuple{&o.review_rate, &ro.review_target, "review-rate"}}) {
    if (text->empty()) continue;
    StatusOr<Decimal> rate = Decimal::Parse(*text);
    if (!rate.ok() || rate->IsNegative() || *rate > Decimal::FromInt(1)) {
      return InvalidArgument(std::string("the ") + field + " is a number from 0 to 1", field);
    }
    *target = *rate;
  }
  if (!(o.match_timeout_hours > 0)) {
    return InvalidArgument("the match timeout must be above 0 hours", "match-timeout-hours");
  }
  if (!o.risk_dir.empty()) {
    ASSIGN_OR_RETURN(ro.tables, risk::Tables::Load(o.risk_dir));
  }
  ASSIGN_OR_RETURN(ctx->risk, risk::Risk::Create(ctx->store.get(), ro));
  ASSIGN_OR_RETURN(ctx->tariff, LoadTariff(o.tariff_dir));
  clearance::Options co;
  co.tariff = ctx->tariff.get();
  co.vault = ctx->vault;
  co.risk = ctx->risk.get();
  if (!o.screening) {
    ctx->random_lanes = clearance::RandomInspection(
        ro.inspect_target.value_or(Decimal::FromUnits(Decimal::kOne / 50)));
    co.risk = ctx->random_lanes.get();
  }
  co.match_timeout_ms = static_cast<int64_t>(o.match_timeout_hours * 3600 * 1000);
  ASSIGN_OR_RETURN(ctx->stats_tables, stats::Tables::LoadEmbedded());
  ctx->zones = std::make_shared<stats::ZoneResolver>(ctx->store.get(), ctx->stats_tables);
  if (o.stats) {
    ctx->stats = stats::NewRecorder(ctx->stats_tables, ctx->zones);
    co.stats = ctx->stats.get();
  }
  ASSIGN_OR_RETURN(ctx->clearance, clearance::Engine::Create(ctx->store.get(), co));
  intake::IntakeOptions io;
  io.hook = o.clearance ? ctx->clearance.get() : nullptr;
  io.codes = ctx->codes;
  io.vault = ctx->vault;
  io.xsd = ctx->xsd.get();
  ASSIGN_OR_RETURN(ctx->intake, intake::Intake::Create(ctx->store.get(), io));
  return ctx;
}

StatusOr<std::string> Context::AddEnterprise(const registry::Enterprise& e) {
  if (e.code.empty() || e.code.size() > 18) {
    return InvalidArgument("an enterprise code has 1 to 18 characters", "code");
  }
  for (const auto& r : e.roles) {
    if (!registry::IsRole(r)) return InvalidArgument("unknown role '" + r + "'", "role");
  }
  RETURN_IF_ERROR(store->PutEnterprise(e));
  std::string token = RandomToken();
  RETURN_IF_ERROR(store->PutToken(
      Sha256Hex(token), registry::Principal{registry::Principal::Kind::kEnterprise, e.code, ""}));
  intake->InvalidateRegistry();
  if (clearance) clearance->InvalidateRegistry();
  if (zones) zones->Invalidate();
  return token;
}

StatusOr<std::string> Context::AddUser(const registry::User& u) {
  if (!registry::IsDepartment(u.department)) {
    return InvalidArgument("unknown department '" + u.department + "'", "department");
  }
  RETURN_IF_ERROR(store->PutUser(u));
  std::string token = RandomToken();
  RETURN_IF_ERROR(
      store->PutToken(Sha256Hex(token),
                      registry::Principal{registry::Principal::Kind::kUser, u.name, u.department}));
  return token;
}

StatusOr<std::string> Context::EnsureSystemOperator() {
  const std::string code = "SHUMAO-OPERATOR";
  ASSIGN_OR_RETURN(auto found, store->FindEnterprise(code));
  if (!found) {
    registry::Enterprise e{code, "数贸平台运营方 (platform operator)", {"operator"}, "", ""};
    RETURN_IF_ERROR(store->PutEnterprise(e));
    intake->InvalidateRegistry();
  }
  return code;
}

void RunPipeline(intake::Intake& in, size_t count,
                 const std::function<intake::Submission(size_t)>& make, size_t chunk,
                 const std::function<void(size_t, std::vector<intake::IntakeResult>&)>& on_chunk,
                 double* commit_seconds) {
  auto prepare = [&](size_t begin) {
    size_t end = std::min(count, begin + chunk);
    std::vector<intake::Intake::Prepared> prepared(end - begin);
    std::atomic<size_t> next{begin};
    auto worker = [&] {
      for (size_t i; (i = next++) < end;) prepared[i - begin] = in.Prepare(make(i));
    };
    unsigned n = std::max(1u, std::thread::hardware_concurrency());
    std::vector<std::thread> threads;
    for (unsigned t = 1; t < n; ++t) threads.emplace_back(worker);
    worker();
    for (auto& t : threads) t.join();
    return prepared;
  };
  if (count == 0) return;
  std::vector<intake::Intake::Prepared> current = prepare(0);
  for (size_t begin = 0; begin < count; begin += chunk) {
    std::future<std::vector<intake::Intake::Prepared>> ahead;
    if (begin + chunk < count) ahead = std::async(std::launch::async, prepare, begin + chunk);
    auto t0 = std::chrono::steady_clock::now();
    std::vector<intake::IntakeResult> results = in.CommitAll(std::move(current));
    if (commit_seconds) {
      *commit_seconds +=
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    }
    on_chunk(begin, results);
    if (ahead.valid()) current = ahead.get();
  }
}

Status FillDemo(Context& ctx, int64_t parcels) {
  ASSIGN_OR_RETURN(int64_t docs, ctx.store->CountDocuments());
  if (docs > 0) {
    std::fprintf(stderr, "demo: the database already holds %lld documents; not generating again\n",
                 static_cast<long long>(docs));
    return Status::Ok();
  }
  namespace fs = std::filesystem;
  fs::path dir = fs::temp_directory_path() / ("shumao-demo-" + RandomToken().substr(0, 8));
  gen::GenOptions g;
  g.seed = 2026;
  g.import_parcels = parcels / 2;
  g.export_parcels = parcels - parcels / 2;
  g.faults = 0.02;
  Timestamp now = Clock::System().Now();
  g.to = FormatIso(now).substr(0, 10);
  g.from = FormatIso(Timestamp{now.millis - 364LL * 86400000}).substr(0, 10);
  g.out_dir = dir.string();
  std::fprintf(stderr, "demo: generating %lld parcels from %s to %s ...\n",
               static_cast<long long>(parcels), g.from.c_str(), g.to.c_str());
  ASSIGN_OR_RETURN(gen::GenSummary summary, gen::Generate(g));
  // Register the generated parties and print their tokens.
  std::ifstream in(dir / "parties.json");
  std::stringstream ss;
  ss << in.rdbuf();
  rapidjson::Document parties;
  parties.Parse(ss.str().c_str());
  if (parties.HasParseError() || !parties.IsArray())
    return Internal("gen wrote an unreadable parties.json");
  std::printf("Demo tokens (Authorization: Bearer TOKEN):\n");
  // Overseas warehouses for the e-commerce enterprises (their 9810 lists need one), in
  // turn from these; parks for every other enterprise, by zone.
  struct DemoWarehouse {
    const char* code;
    const char* name;
    const char* country;
    const char* address;
    int area;
  };
  constexpr DemoWarehouse kWarehouses[] = {
      {"LAX01", "美国洛杉矶海外仓", "502", "1000 Warehouse Way, Los Angeles", 12000},
      {"FRA01", "德国法兰克福海外仓", "304", "Logistikpark 5, Frankfurt am Main", 8000},
      {"TYO01", "日本东京海外仓", "116", "Koto-ku 3-1, Tokyo", 5000},
      {"LON01", "英国伦敦海外仓", "303", "Heathrow Trade Park, London", 6500},
      {"KUL01", "马来西亚吉隆坡海外仓", "122", "Port Klang Free Zone, Selangor", 4000}};
  size_t next_warehouse = 0;
  int nth = 0;
  for (const auto& p : parties.GetArray()) {
    registry::Enterprise e;
    e.code = p["code"].GetString();
    e.name = p["name"].GetString();
    for (const auto& r : p["roles"].GetArray()) e.roles.emplace_back(r.GetString());
    // The zone of the enterprise's city (its code's region), as a zone registers them.
    const stats::Zone* zone = ctx.stats_tables->ZoneOfCode(e.code);
    e.zone = zone != nullptr ? zone->id : "demo";
    if (zone != nullptr && nth++ % 2 == 0) {
      size_t open = zone->name_zh.find("（") + std::string_view("（").size();
      e.park = zone->name_zh.substr(open, zone->name_zh.find("）") - open) + "跨境电商产业园";
    }
    ASSIGN_OR_RETURN(std::string token, ctx.AddEnterprise(e));
    if (e.HasRole("ebc")) {
      for (int k = 0; k < 1 + static_cast<int>(next_warehouse % 2); ++k) {
        const DemoWarehouse& d = kWarehouses[next_warehouse++ % std::size(kWarehouses)];
        clearance::OverseasWarehouse w;
        w.ebc_code = e.code;
        w.code = d.code;
        w.name = w.operator_name = d.name;
        w.country = d.country;
        w.address = d.address;
        w.area_m2 = Decimal::FromInt(d.area);
        w.services = {"一件代发", "退货处理"};
        RETURN_IF_ERROR(ctx.clearance->AddOverseasWarehouse(w));
      }
    }
    std::string roles;
    for (const auto& r : e.roles) roles += (roles.empty() ? "" : ",") + r;
    std::printf("  %-20s %-12s %s  %s\n", e.code.c_str(), roles.c_str(), token.c_str(),
                e.name.c_str());
  }
  // The zones' own figures for the evaluation (synthetic, like the rest of the demo).
  {
    std::set<std::string> zones;
    ASSIGN_OR_RETURN(std::vector<registry::Enterprise> all, ctx.store->ListEnterprises());
    for (const registry::Enterprise& e : all) {
      if (ctx.stats_tables->FindZone(e.zone) != nullptr) zones.insert(e.zone);
    }
    int i = 0;
    for (const std::string& z : zones) {
      for (const std::string& year : {g.from.substr(0, 4), g.to.substr(0, 4)}) {
        stats::ZoneInputs in{z,         std::stoi(year), Decimal::FromInt(2000000 + 400000 * i),
                             8 + 3 * i, 2 + i % 3,       i % 3};
        RETURN_IF_ERROR(stats::PutZoneInputs(*ctx.store, in));
      }
      ++i;
    }
  }
  // Credit levels (令第282号) from the first day: the first e-commerce enterprise is an
  // advanced certified one (inspection at a fifth of the regular rate); a registered
  // enterprise without traffic is on the published dishonest list.
  for (const auto& p : parties.GetArray()) {
    bool ebc = false;
    for (const auto& r : p["roles"].GetArray()) ebc |= std::string_view(r.GetString()) == "ebc";
    if (!ebc) continue;
    RETURN_IF_ERROR(ctx.risk->SetCreditLevel(
        {p["code"].GetString(), "advanced_certified", g.from, "演示：高级认证企业 (demo AEO)"}));
    break;
  }
  {
    registry::Enterprise bad{"3201960BAD", "示例失信企业（演示）", {"ebc"}, "nanjing", ""};
    RETURN_IF_ERROR(ctx.AddEnterprise(bad).status());
    RETURN_IF_ERROR(ctx.risk->SetCreditLevel(
        {bad.code, "dishonest", g.from, "演示：走私违规，列入失信企业名单 (demo)"}));
  }
  for (const char* dept : {"customs", "commerce", "admin"}) {
    ASSIGN_OR_RETURN(std::string token,
                     ctx.AddUser(registry::User{std::string("demo-") + dept, dept}));
    std::printf("  %-20s %-12s %s\n", (std::string("demo-") + dept).c_str(), dept, token.c_str());
  }
  std::fflush(stdout);
  ASSIGN_OR_RETURN(std::string op, ctx.EnsureSystemOperator());
  // The bonded warehouses' stock, and a tax guarantee for every declaring agent (the
  // generator's guarantors), so that the year's lists release and their tax is paid.
  {
    std::ifstream sf(dir / "stock.json");
    std::stringstream stock;
    stock << sf.rdbuf();
    ASSIGN_OR_RETURN(std::vector<clearance::InboundRecord> records,
                     http::InboundFromJson(stock.str()));
    RETURN_IF_ERROR(ctx.clearance->AddInbound(records));
    for (const auto& p : parties.GetArray()) {
      for (const auto& r : p["roles"].GetArray()) {
        if (std::string_view(r.GetString()) == "agent") {
          RETURN_IF_ERROR(
              ctx.clearance->SetGuarantee(p["code"].GetString(), Decimal::FromInt(5000000)));
        }
      }
    }
  }
  // Ingest every generated file in name order, replaying the generated clock.
  std::vector<fs::path> files;
  for (const auto& e : fs::directory_iterator(dir)) {
    if (e.path().extension() == ".xml") files.push_back(e.path());
  }
  std::sort(files.begin(), files.end());
  RunPipeline(
      *ctx.intake, files.size(),
      [&](size_t i) {
        std::ifstream f(files[i], std::ios::binary);
        std::stringstream body;
        body << f.rdbuf();
        intake::Submission s;
        s.body = body.str();
        s.principal = registry::Principal{registry::Principal::Kind::kEnterprise, op, ""};
        s.replay = true;
        return s;
      },
      2000,
      [&](size_t begin, std::vector<intake::IntakeResult>& results) {
        size_t end = begin + results.size();
        std::fprintf(stderr, "\rdemo: ingested %zu/%zu messages (%.0f%%)", end, files.size(),
                     100.0 * end / files.size());
      });
  std::fprintf(stderr, "\n");
  fs::remove_all(dir);
  (void)summary;
  // Catch up with the clock: timeouts, lists past their return window, tax due.
  ASSIGN_OR_RETURN(clearance::TickSummary tick, ctx.clearance->Tick(Clock::System().Now()));
  std::fprintf(stderr, "demo: %d lists closed (899), %d tax bills paid, %d timed out\n",
               tick.closed, tick.tax_paid, tick.timed_out);
  return Status::Ok();
}

}  // namespace shumao::app

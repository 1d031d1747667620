#include "gen/generator.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <mutex>
#include <thread>
#include <tuple>

#include "common/code_tables.h"
#include "common/strings.h"
#include "common/time.h"
#include "gen/catalog.h"
#include "gen/ceb_render.h"
#include "gen/parties.h"
#include "gen/planner.h"
#include "gen/stock.h"

namespace shumao::gen {
namespace {

namespace fs = std::filesystem;

constexpr int64_t kDayMs = 86400000;

enum class Source : uint8_t { kImport, kExport, kBatch };

// One file to write: a message of a parcel or a batch, at its send time.
struct Event {
  int64_t t;
  uint64_t order;  // tie-break among equal times: parcel, then the parcel's message order
  uint32_t index;
  Source source;
  Msg kind;
};

bool IsDigits(std::string_view s, size_t pos, size_t n) {
  if (pos + n > s.size()) return false;
  for (size_t i = pos; i < pos + n; ++i) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  return true;
}

// Whether a file name is one this generator writes (so a rerun may replace it).
bool IsOurs(std::string_view name) {
  if (name == "parties.json" || name == "labels.ndjson" || name == "manifest.json" ||
      name == "stock.json") {
    return true;
  }
  // NNNNNNNNN-YYYYMMDDTHHMMSS-CEBnnn-KEY.xml
  return name.size() > 36 && IsDigits(name, 0, 9) && name[9] == '-' && IsDigits(name, 10, 8) &&
         name[18] == 'T' && IsDigits(name, 19, 6) && name.substr(25, 4) == "-CEB" &&
         IsDigits(name, 29, 3) && name[32] == '-' && name.ends_with(".xml");
}

Status PrepareDir(const std::string& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return Internal("cannot create " + dir + ": " + ec.message());
  std::vector<fs::path> old;
  for (const auto& entry : fs::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && IsOurs(entry.path().filename().string()))
      old.push_back(entry.path());
  }
  if (ec) return Internal("cannot list " + dir + ": " + ec.message());
  for (const fs::path& p : old) {
    fs::remove(p, ec);
    if (ec) return Internal("cannot remove " + p.string() + ": " + ec.message());
  }
  return Status::Ok();
}

Status WriteFile(const std::string& path, std::string_view data) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (f == nullptr) return Internal("cannot write " + path + ": " + std::strerror(errno));
  size_t n = std::fwrite(data.data(), 1, data.size(), f);
  int closed = std::fclose(f);
  if (n != data.size() || closed != 0)
    return Internal("cannot write " + path + ": " + std::strerror(errno));
  return Status::Ok();
}

std::string FileName(uint64_t seq, const Event& e, std::string_view key) {
  std::string t = FormatC14(Timestamp{e.t});
  std::string name = Digits(seq, 9);
  name += '-';
  name.append(t, 0, 8);
  name += 'T';
  name.append(t, 8, 6);
  name += '-';
  name += MsgCode(e.kind);
  name += '-';
  name += key;
  name += ".xml";
  return name;
}

void JsonString(std::string& out, std::string_view s) {
  out += '"';
  AppendJsonEscaped(out, s);
  out += '"';
}

std::string PartiesJson(const PartySet& parties) {
  std::string out = "[\n";
  for (size_t i = 0; i < parties.registered.size(); ++i) {
    const Party& p = *parties.registered[i];
    out += "  {\"code\":";
    JsonString(out, p.code);
    out += ",\"name\":";
    JsonString(out, p.name);
    out += ",\"roles\":[";
    for (size_t r = 0; r < p.roles.size(); ++r) {
      if (r > 0) out += ',';
      JsonString(out, p.roles[r]);
    }
    out += i + 1 < parties.registered.size() ? "]},\n" : "]}\n";
  }
  out += "]\n";
  return out;
}

std::string CountsJson(const std::map<std::string, int64_t>& m) {
  std::string out = "{";
  bool first = true;
  for (const auto& [k, v] : m) {
    if (!first) out += ',';
    first = false;
    JsonString(out, k);
    out += ':' + std::to_string(v);
  }
  return out + "}";
}

std::string ManifestJson(const GenOptions& o, const GenSummary& s) {
  char faults[32];
  std::snprintf(faults, sizeof faults, "%.10g", o.faults);
  std::string out =
      "{\n  \"generator\":\"shumao gen\",\n  \"options\":{\"seed\":" + std::to_string(o.seed) +
      ",\"import\":" + std::to_string(o.import_parcels) +
      ",\"export\":" + std::to_string(o.export_parcels) + ",\"faults\":" + faults + ",\"from\":";
  JsonString(out, o.from);
  out += ",\"to\":";
  JsonString(out, o.to);
  out += "},\n  \"summary\":{\"files\":" + std::to_string(s.files) +
         ",\"messages\":" + std::to_string(s.messages) +
         ",\"import_parcels\":" + std::to_string(s.import_parcels) +
         ",\"export_parcels\":" + std::to_string(s.export_parcels) +
         ",\"faults\":" + std::to_string(s.faults) +
         ",\n    \"faults_by_type\":" + CountsJson(s.faults_by_type) +
         ",\n    \"files_by_type\":" + CountsJson(s.files_by_type) + "}\n}\n";
  return out;
}

struct Label {
  uint64_t first_seq = 0;
  std::string line;
};

std::string LabelLine(std::string_view direction, Fault fault, const std::string& order_no,
                      const std::string& cop_no, const std::string& logistics_no,
                      const std::vector<std::string>& files, const std::string& detail) {
  std::string out = "{\"fault\":";
  JsonString(out, FaultName(fault));
  out += ",\"direction\":";
  JsonString(out, direction);
  out += ",\"orderNo\":";
  JsonString(out, order_no);
  out += ",\"copNo\":";
  JsonString(out, cop_no);
  out += ",\"logisticsNo\":";
  JsonString(out, logistics_no);
  out += ",\"files\":[";
  for (size_t i = 0; i < files.size(); ++i) {
    if (i > 0) out += ',';
    JsonString(out, files[i]);
  }
  out += "],\"detail\":";
  JsonString(out, detail);
  out += "}\n";
  return out;
}

uint64_t Order(int64_t uid, Msg kind, bool dup) {
  return static_cast<uint64_t>(uid) * 32 + static_cast<uint64_t>(kind) + (dup ? 16 : 0);
}

std::vector<Event> Events(const Plan& plan) {
  std::vector<Event> ev;
  ev.reserve(plan.imports.size() * 5 + plan.exports.size() * 4 + plan.batches.size() * 2);
  auto add = [&](Timestamp t, int64_t uid, size_t index, Source s, Msg kind, bool dup = false) {
    ev.push_back({t.millis, Order(uid, kind, dup), static_cast<uint32_t>(index), s, kind});
  };
  for (size_t i = 0; i < plan.imports.size(); ++i) {
    const ImportParcel& p = plan.imports[i];
    add(p.t_order, p.uid, i, Source::kImport, Msg::k311);
    if (p.has_payment) add(p.t_payment, p.uid, i, Source::kImport, Msg::k411);
    if (p.has_waybill) add(p.t_waybill, p.uid, i, Source::kImport, Msg::k511);
    add(p.t_list, p.uid, i, Source::kImport, Msg::k621);
    if (p.has_signed) add(p.t_signed, p.uid, i, Source::kImport, Msg::k513);
    if (p.dup != Msg::kNone) add(p.t_dup, p.uid, i, Source::kImport, p.dup, true);
  }
  for (size_t i = 0; i < plan.exports.size(); ++i) {
    const ExportParcel& p = plan.exports[i];
    add(p.t_order, p.uid, i, Source::kExport, Msg::k303);
    if (p.has_receipts) add(p.t_receipts, p.uid, i, Source::kExport, Msg::k403);
    if (p.has_waybill) add(p.t_waybill, p.uid, i, Source::kExport, Msg::k505);
    add(p.t_list, p.uid, i, Source::kExport, Msg::k603);
    if (p.dup != Msg::kNone) add(p.t_dup, p.uid, i, Source::kExport, p.dup, true);
  }
  for (size_t i = 0; i < plan.batches.size(); ++i) {
    const Batch& b = plan.batches[i];
    int64_t uid = (int64_t{1} << 40) + b.id;
    add(b.t_arrival, uid, i, Source::kBatch, Msg::k507);
    bool any = std::any_of(b.parcels.begin(), b.parcels.end(), [&](int64_t k) {
      return plan.exports[static_cast<size_t>(k)].in_departure;
    });
    if (any) add(b.t_departure, uid, i, Source::kBatch, Msg::k509);
  }
  std::sort(ev.begin(), ev.end(), [](const Event& a, const Event& b) {
    return std::tie(a.t, a.order) < std::tie(b.t, b.order);
  });
  return ev;
}

}  // namespace

StatusOr<GenSummary> Generate(const GenOptions& options) {
  if (options.import_parcels < 0 || options.export_parcels < 0) {
    return InvalidArgument("parcel counts must not be negative");
  }
  if (!(options.faults >= 0.0 && options.faults <= 1.0)) {
    return InvalidArgument("faults must be a fraction between 0 and 1");
  }
  if (options.out_dir.empty()) return InvalidArgument("an output directory is required");
  // An empty end of the range is taken 30 days from the other end; both empty: January
  // 2026 (never "today": the output must not depend on the day it is made).
  GenOptions effective = options;
  if (effective.from.empty() && effective.to.empty()) {
    effective.from = "2026-01-01";
    effective.to = "2026-01-31";
  }
  if (effective.from.empty() || effective.to.empty()) {
    const std::string& given = effective.from.empty() ? effective.to : effective.from;
    StatusOr<Timestamp> t = ParseDate(given);
    if (!t.ok()) return InvalidArgument(given + ": " + t.status().message());
    int64_t shift = (effective.from.empty() ? -30 : 30) * kDayMs;
    (effective.from.empty() ? effective.from : effective.to) =
        FormatIso(Timestamp{t->millis + shift}).substr(0, 10);
  }
  StatusOr<Timestamp> from = ParseDate(effective.from);
  if (!from.ok()) return InvalidArgument("from: " + from.status().message());
  StatusOr<Timestamp> to = ParseDate(effective.to);
  if (!to.ok()) return InvalidArgument("to: " + to.status().message());
  if (*to < *from) return InvalidArgument("the range ends (to) before it starts (from)");
  int64_t parcels = options.import_parcels + options.export_parcels;
  if (parcels > 50'000'000) return InvalidArgument("at most 50,000,000 parcels per run");

  ASSIGN_OR_RETURN(std::shared_ptr<const CodeTables> tables, CodeTables::LoadEmbedded());
  ASSIGN_OR_RETURN(Catalog catalog, Catalog::Load(*tables));
  RETURN_IF_ERROR(CheckCodes(*tables));
  std::unique_ptr<PartySet> parties = MakeParties(options.seed);

  PlanInput in;
  in.seed = options.seed;
  in.imports = options.import_parcels;
  in.exports = options.export_parcels;
  in.import_faults = std::llround(options.faults * static_cast<double>(options.import_parcels));
  in.export_faults = std::llround(options.faults * static_cast<double>(options.export_parcels));
  in.first_day = *from;
  in.days = (to->millis - from->millis) / kDayMs + 1;
  ASSIGN_OR_RETURN(std::unique_ptr<Plan> plan, MakePlan(in, catalog, *parties));

  RETURN_IF_ERROR(PrepareDir(options.out_dir));
  std::string dir = options.out_dir + "/";
  std::vector<Event> events = Events(*plan);

  // Names first (they number the files), then the bytes, written by a few threads.
  std::vector<std::string> names(events.size());
  GenSummary summary;
  summary.import_parcels = options.import_parcels;
  summary.export_parcels = options.export_parcels;
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    const std::string& key = e.source == Source::kImport ? ImportKey(e.kind, plan->imports[e.index])
                             : e.source == Source::kExport
                                 ? ExportKey(e.kind, plan->exports[e.index])
                                 : (e.kind == Msg::k507 ? plan->batches[e.index].arrival_cop
                                                        : plan->batches[e.index].departure_cop);
    names[i] = FileName(i + 1, e, key);
    ++summary.files_by_type[std::string(MsgCode(e.kind))];
    ++summary.files;
    if ((e.order & 16) == 0 || e.source == Source::kBatch) ++summary.messages;
  }

  RenderContext ctx{options.seed, parties.get(), plan.get()};
  std::atomic<bool> failed{false};
  Status first_error;
  std::mutex error_mu;
  auto work = [&](size_t begin, size_t step) {
    std::string buf;
    buf.reserve(16384);
    for (size_t i = begin; i < events.size() && !failed.load(std::memory_order_relaxed);
         i += step) {
      const Event& e = events[i];
      if (e.source == Source::kImport) {
        RenderImport(ctx, e.kind, plan->imports[e.index], buf);
      } else if (e.source == Source::kExport) {
        RenderExport(ctx, e.kind, plan->exports[e.index], buf);
      } else {
        RenderBatch(ctx, e.kind, plan->batches[e.index], buf);
      }
      Status st = WriteFile(dir + names[i], buf);
      if (!st.ok()) {
        std::lock_guard<std::mutex> lock(error_mu);
        if (!failed.exchange(true)) first_error = st;
      }
    }
  };
  size_t threads = std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
  if (events.size() < 2000) threads = 1;
  std::vector<std::thread> pool;
  for (size_t t = 1; t < threads; ++t) pool.emplace_back(work, t, threads);
  work(0, threads);
  for (std::thread& t : pool) t.join();
  if (failed) return first_error;

  // Labels: every file of each faulty parcel, arrivals and departures included.
  std::vector<std::vector<std::string>> import_files(plan->imports.size());
  std::vector<std::vector<std::string>> export_files(plan->exports.size());
  std::vector<uint64_t> import_first(plan->imports.size(), 0),
      export_first(plan->exports.size(), 0);
  for (size_t i = 0; i < events.size(); ++i) {
    const Event& e = events[i];
    auto note = [&](std::vector<std::string>& files, uint64_t& first) {
      if (files.empty()) first = i + 1;
      files.push_back(names[i]);
    };
    if (e.source == Source::kImport) {
      if (plan->imports[e.index].fault != Fault::kNone)
        note(import_files[e.index], import_first[e.index]);
    } else if (e.source == Source::kExport) {
      if (plan->exports[e.index].fault != Fault::kNone)
        note(export_files[e.index], export_first[e.index]);
    } else {
      for (int64_t k : plan->batches[e.index].parcels) {
        const ExportParcel& p = plan->exports[static_cast<size_t>(k)];
        if (p.fault == Fault::kNone || (e.kind == Msg::k509 && !p.in_departure)) continue;
        note(export_files[static_cast<size_t>(k)], export_first[static_cast<size_t>(k)]);
      }
    }
  }
  std::vector<Label> labels;
  for (size_t i = 0; i < plan->imports.size(); ++i) {
    const ImportParcel& p = plan->imports[i];
    if (p.fault == Fault::kNone) continue;
    labels.push_back({import_first[i], LabelLine("import", p.fault, p.order_no, p.cop_no,
                                                 p.logistics_no, import_files[i], p.detail)});
    ++summary.faults_by_type[std::string(FaultName(p.fault))];
  }
  for (size_t i = 0; i < plan->exports.size(); ++i) {
    const ExportParcel& p = plan->exports[i];
    if (p.fault == Fault::kNone) continue;
    labels.push_back({export_first[i], LabelLine("export", p.fault, p.order_no, p.cop_no,
                                                 p.logistics_no, export_files[i], p.detail)});
    ++summary.faults_by_type[std::string(FaultName(p.fault))];
  }
  std::sort(labels.begin(), labels.end(),
            [](const Label& a, const Label& b) { return a.first_seq < b.first_seq; });
  summary.faults = static_cast<int64_t>(labels.size());
  std::string ndjson;
  for (const Label& l : labels) ndjson += l.line;

  RETURN_IF_ERROR(WriteFile(dir + "labels.ndjson", ndjson));
  RETURN_IF_ERROR(WriteFile(dir + "parties.json", PartiesJson(*parties)));
  RETURN_IF_ERROR(
      WriteFile(dir + "stock.json", StockJson(BondedStock(options.seed, *parties, *plan))));
  RETURN_IF_ERROR(WriteFile(dir + "manifest.json", ManifestJson(effective, summary)));
  return summary;
}

}  // namespace shumao::gen

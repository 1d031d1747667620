#include <algorithm>

#include "common/code_tables.h"
#include "common/strings.h"
#include "stats/stats.h"

namespace shumao::stats {
namespace {

// Rows of a CSV text with a header, as maps by column name; lines that are empty or start
// with '#' are skipped.
StatusOr<std::vector<std::map<std::string, std::string>>> Rows(std::string_view text,
                                                               std::string_view what) {
  std::vector<std::map<std::string, std::string>> out;
  std::vector<std::string> header;
  size_t line_no = 0;
  while (!text.empty()) {
    size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_no == 1 && line.starts_with("\xEF\xBB\xBF")) line.remove_prefix(3);
    if (line.empty() || line.front() == '#') continue;
    std::vector<std::string> fields = SplitCsvLine(line);
    if (header.empty()) {
      header = std::move(fields);
      continue;
    }
    if (fields.size() != header.size()) {
      return InvalidArgument(std::string(what) + " line " + std::to_string(line_no) + ": " +
                             std::to_string(fields.size()) + " fields, the header has " +
                             std::to_string(header.size()));
    }
    std::map<std::string, std::string> row;
    for (size_t i = 0; i < header.size(); ++i) row[header[i]] = fields[i];
    out.push_back(std::move(row));
  }
  if (header.empty()) return InvalidArgument(std::string(what) + " is empty");
  return out;
}

}  // namespace

StatusOr<std::shared_ptr<const Tables>> Tables::LoadEmbedded() {
  return Load(EmbeddedFile("fx_rates.csv"), EmbeddedFile("zones.csv"),
              EmbeddedFile("hs_chapters.csv"), EmbeddedFile("countries.csv"),
              EmbeddedFile("evaluation.csv"));
}

StatusOr<std::shared_ptr<const Tables>> Tables::Load(std::string_view fx_rates,
                                                     std::string_view zones,
                                                     std::string_view chapters,
                                                     std::string_view countries,
                                                     std::string_view indicators) {
  auto t = std::shared_ptr<Tables>(new Tables());
  ASSIGN_OR_RETURN(auto rates, Rows(fx_rates, "fx_rates.csv"));
  for (auto& r : rates) {
    auto cny = Decimal::Parse(r["cny_per_unit"]);
    if (!cny.ok() || cny->IsNegative() || cny->IsZero() || r["from"].size() != 10) {
      return InvalidArgument("fx_rates.csv: bad row for currency " + r["currency"]);
    }
    t->rates_[r["currency"]].push_back(Rate{r["from"], *cny});
  }
  for (auto& [c, list] : t->rates_) {
    std::sort(list.begin(), list.end(),
              [](const Rate& a, const Rate& b) { return a.from < b.from; });
  }
  ASSIGN_OR_RETURN(auto zs, Rows(zones, "zones.csv"));
  for (auto& z : zs) t->zones_.push_back(Zone{z["zone"], z["region"], z["name_zh"], z["name_en"]});
  ASSIGN_OR_RETURN(auto ch, Rows(chapters, "hs_chapters.csv"));
  for (auto& c : ch) t->chapters_[c["chapter"]] = {c["name_zh"], c["name_en"]};
  ASSIGN_OR_RETURN(auto cs, Rows(countries, "countries.csv"));
  for (auto& c : cs) {
    t->countries_[c["customs_code"]] =
        Country{c["customs_code"], c["iso2"], c["iso3"], c["name_zh"], c["name_en"]};
  }
  ASSIGN_OR_RETURN(auto ind, Rows(indicators, "evaluation.csv"));
  for (auto& i : ind) {
    Indicator x;
    x.id = i["indicator"];
    auto w = Decimal::Parse(i["weight"]);
    if (!w.ok() || w->IsNegative()) return InvalidArgument("evaluation.csv: bad weight of " + x.id);
    x.weight = *w;
    if (!i["target"].empty()) {
      auto target = Decimal::Parse(i["target"]);
      if (!target.ok() || !(*target > Decimal())) {
        return InvalidArgument("evaluation.csv: bad target of " + x.id);
      }
      x.target = *target;
    }
    x.unit = i["unit"];
    x.source = i["source"];
    x.name_zh = i["name_zh"];
    x.name_en = i["name_en"];
    t->indicators_.push_back(std::move(x));
  }
  if (!t->rates_.contains("502")) return InvalidArgument("fx_rates.csv: no USD (502) rate");
  return std::shared_ptr<const Tables>(std::move(t));
}

StatusOr<Decimal> Tables::CnyPerUnit(const std::string& currency, const std::string& day) const {
  if (currency.empty() || currency == "142") return Decimal::FromInt(1);
  auto it = rates_.find(currency);
  if (it == rates_.end()) return NotFound("no exchange rate for currency " + currency);
  const Rate* best = nullptr;
  for (const Rate& r : it->second) {
    if (r.from <= day) best = &r;
  }
  if (best == nullptr) best = &it->second.front();  // before the table: its first rate
  return best->cny;
}

const Zone* Tables::FindZone(const std::string& id) const {
  for (const Zone& z : zones_) {
    if (z.id == id) return &z;
  }
  return nullptr;
}

const Zone* Tables::ZoneOfCode(const std::string& code) const {
  std::string region;
  if (code.size() == 10) region = code.substr(0, 4);
  if (code.size() == 18) region = code.substr(2, 4);
  if (region.empty()) return nullptr;
  for (const Zone& z : zones_) {
    if (z.region == region) return &z;
  }
  return nullptr;
}

const Country* Tables::FindCountry(const std::string& code) const {
  auto it = countries_.find(code);
  return it == countries_.end() ? nullptr : &it->second;
}

std::pair<std::string, std::string> Tables::ChapterName(const std::string& chapter) const {
  auto it = chapters_.find(chapter);
  return it == chapters_.end() ? std::pair<std::string, std::string>() : it->second;
}

// ---------------------------------------------------------------- zones

ZoneResolver::ZoneResolver(store::Store* store, std::shared_ptr<const Tables> tables)
    : store_(store), tables_(std::move(tables)) {}

ZoneResolver::Entry ZoneResolver::Lookup(const std::string& code) const {
  {
    std::lock_guard lock(mu_);
    auto it = cache_.find(code);
    if (it != cache_.end()) return it->second;
  }
  Entry e;
  if (!code.empty()) {
    auto found = store_->FindEnterprise(code);
    if (found.ok() && found->has_value()) {
      e.registered = true;
      e.zone = (*found)->zone;
      e.name = (*found)->name;
    }
  }
  std::lock_guard lock(mu_);
  return cache_.emplace(code, std::move(e)).first->second;
}

std::string ZoneResolver::ZoneOf(const std::string& ebc_code, const std::string& agent_code) const {
  for (const std::string* code : {&ebc_code, &agent_code}) {
    Entry e = Lookup(*code);
    if (!e.zone.empty()) return e.zone;
  }
  for (const std::string* code : {&ebc_code, &agent_code}) {
    if (const Zone* z = tables_->ZoneOfCode(*code)) return z->id;
  }
  return "";
}

std::string ZoneResolver::NameOf(const std::string& code) const { return Lookup(code).name; }

void ZoneResolver::Invalidate() const {
  std::lock_guard lock(mu_);
  cache_.clear();
}

}  // namespace shumao::stats

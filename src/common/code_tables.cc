#include "common/code_tables.h"

namespace shumao {
namespace {

constexpr const char* kFiles[] = {"countries.csv",       "currencies.csv",
                                  "units.csv",           "customs_districts.csv",
                                  "transport_modes.csv", "trade_modes.csv"};
// The column holding the Chinese name in each file (code is always column 0).
constexpr int kNameColumn[] = {3, 2, 1, 1, 1, 1};

template <typename F>
Status ForEachRow(std::string_view file, F&& f) {
  std::string_view data = EmbeddedFile(file);
  if (data.empty())
    return Internal(std::string("embedded data file missing: ") + std::string(file));
  size_t pos = data.find('\n');  // skip the header
  while (pos != std::string_view::npos && pos + 1 < data.size()) {
    size_t end = data.find('\n', pos + 1);
    std::string_view line =
        data.substr(pos + 1, end == std::string_view::npos ? end : end - pos - 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (!line.empty()) f(SplitCsvLine(line));
    pos = end;
  }
  return Status::Ok();
}

}  // namespace

std::string_view CodeTableName(CodeTable t) {
  switch (t) {
    case CodeTable::kCountry: return "country";
    case CodeTable::kCurrency: return "currency";
    case CodeTable::kUnit: return "unit";
    case CodeTable::kCustomsDistrict: return "customs district";
    case CodeTable::kTransportMode: return "transport mode";
    case CodeTable::kTradeMode: return "trade mode";
    case CodeTable::kHsCode: return "HS code";
  }
  return "code";
}

std::vector<std::string> SplitCsvLine(std::string_view line) {
  std::vector<std::string> out(1);
  bool quoted = false;
  for (size_t i = 0; i < line.size(); ++i) {
    char c = line[i];
    if (quoted) {
      if (c == '"' && i + 1 < line.size() && line[i + 1] == '"') {
        out.back().push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        out.back().push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      out.emplace_back();
    } else {
      out.back().push_back(c);
    }
  }
  return out;
}

StatusOr<std::shared_ptr<const CodeTables>> CodeTables::LoadEmbedded() {
  std::shared_ptr<CodeTables> t(new CodeTables());
  for (int i = 0; i < 6; ++i) {
    RETURN_IF_ERROR(ForEachRow(kFiles[i], [&](const std::vector<std::string>& row) {
      if (row.empty() || row[0].empty()) return;
      std::string name = static_cast<int>(row.size()) > kNameColumn[i] ? row[kNameColumn[i]] : "";
      t->tables_[i].emplace(row[0], std::move(name));
    }));
  }
  RETURN_IF_ERROR(ForEachRow("hs_codes.csv", [&](const std::vector<std::string>& row) {
    if (row.size() < 4 || row[0].size() != 10) return;
    t->hs_chapters_.insert(row[0].substr(0, 2));
    t->hs_.emplace(row[0], HsCode{row[0], row[1], row[2], row[3]});
  }));
  return std::shared_ptr<const CodeTables>(std::move(t));
}

bool CodeTables::Contains(CodeTable table, std::string_view code) const {
  if (table == CodeTable::kHsCode) {
    if (hs_.count(std::string(code))) return true;
    if (code.size() != 10) return false;
    for (char c : code) {
      if (c < '0' || c > '9') return false;
    }
    return hs_chapters_.count(std::string(code.substr(0, 2))) > 0;
  }
  const auto& m = tables_[static_cast<int>(table)];
  if (m.count(std::string(code))) return true;
  if (table == CodeTable::kCustomsDistrict && code.size() == 4) {
    // An office number is two digits: "80ZZ" is not an office of 8000.
    if (code[2] < '0' || code[2] > '9' || code[3] < '0' || code[3] > '9') return false;
    return m.count(std::string(code.substr(0, 2)) + "00") > 0;
  }
  return false;
}

std::optional<std::string> CodeTables::Name(CodeTable table, std::string_view code) const {
  if (table == CodeTable::kHsCode) {
    const HsCode* h = FindHs(code);
    return h ? std::optional<std::string>(h->name) : std::nullopt;
  }
  const auto& m = tables_[static_cast<int>(table)];
  auto it = m.find(std::string(code));
  return it == m.end() ? std::nullopt : std::optional<std::string>(it->second);
}

const HsCode* CodeTables::FindHs(std::string_view code) const {
  auto it = hs_.find(std::string(code));
  return it == hs_.end() ? nullptr : &it->second;
}

size_t CodeTables::Size(CodeTable table) const {
  return table == CodeTable::kHsCode ? hs_.size() : tables_[static_cast<int>(table)].size();
}

}  // namespace shumao

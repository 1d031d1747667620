// The monthly report's workbook through libxlsxwriter (this file only; see
// tools/check_layering.py): one sheet per section, numbers as numbers (the exact decimal
// figures are the JSON's and the CSV's strings).
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "stats/stats.h"

namespace shumao::stats {
namespace {

Status Write(const MonthlyReport& r, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (wb == nullptr) return Unavailable("cannot create " + path);
  lxw_format* title = workbook_add_format(wb);
  format_set_bold(title);
  format_set_font_size(title, 14);
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_text_wrap(head);
  format_set_bg_color(head, 0xDDEBF7);
  format_set_border(head, LXW_BORDER_THIN);
  lxw_format* number = workbook_add_format(wb);
  format_set_num_format(number, "#,##0.####");
  for (const ReportSection& s : r.sections) {
    // Sheet names: at most 31 characters, unique.
    std::string name = s.title_zh;
    lxw_worksheet* ws = workbook_add_worksheet(wb, name.c_str());
    if (ws == nullptr) {
      workbook_close(wb);
      return Internal("cannot add the sheet " + name);
    }
    std::string heading = s.title_zh + " " + s.title_en + " — " + r.month +
                          (r.zone_name.empty() ? std::string() : " " + r.zone_name);
    worksheet_write_string(ws, 0, 0, heading.c_str(), title);
    for (size_t c = 0; c < s.columns.size(); ++c) {
      worksheet_write_string(ws, 2, static_cast<lxw_col_t>(c), s.columns[c].c_str(), head);
      worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                           c == 0 || !s.numeric[c] ? 30 : 18, nullptr);
    }
    for (size_t i = 0; i < s.rows.size(); ++i) {
      auto row = static_cast<lxw_row_t>(3 + i);
      for (size_t c = 0; c < s.rows[i].size(); ++c) {
        const std::string& v = s.rows[i][c];
        auto col = static_cast<lxw_col_t>(c);
        if (s.numeric[c] && !v.empty()) {
          worksheet_write_number(ws, row, col, std::strtod(v.c_str(), nullptr), number);
        } else {
          worksheet_write_string(ws, row, col, v.c_str(), nullptr);
        }
      }
    }
    worksheet_freeze_panes(ws, 3, 0);
  }
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) return Internal(std::string("xlsx: ") + lxw_strerror(err));
  return Status::Ok();
}

}  // namespace

StatusOr<std::string> ReportXlsx(const MonthlyReport& r) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "shumao-report-XXXXXX").string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return Unavailable("cannot create a temporary file");
  close(fd);
  Status st = Write(r, tmpl);
  std::string bytes;
  if (st.ok()) {
    std::ifstream f(tmpl, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    bytes = ss.str();
    if (bytes.empty()) st = Unavailable("cannot read back " + tmpl);
  }
  std::error_code ec;
  std::filesystem::remove(tmpl, ec);
  RETURN_IF_ERROR(st);
  return bytes;
}

}  // namespace shumao::stats

// The XLSX workbook, through libxlsxwriter (used in this file only; tools/check_layering.py).
// Spreadsheet numbers are doubles: the qty, price and amount cells hold the nearest double
// of the exact decimal, for sorting and sums in Excel; the exact figures are the CSV's and
// the JSON's strings.
#include <unistd.h>
#include <xlsxwriter.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <sstream>
#include <string>

#include "exporttax/exporttax.h"
#include "exporttax/totals.h"

namespace shumao::exporttax {
namespace {

// Column widths of the lines sheet, in characters, in RecordHeader() order.
constexpr double kWidths[] = {12, 22, 20, 8, 28, 13, 8, 8, 12, 12, 14, 8, 10, 14, 14, 14, 10, 60};

double ToDouble(const std::string& s) { return std::strtod(s.c_str(), nullptr); }

}  // namespace

Status WriteXlsx(const Records& records, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return Unavailable("cannot create " + path);
  lxw_format* head = workbook_add_format(wb);
  format_set_bold(head);
  format_set_text_wrap(head);
  format_set_align(head, LXW_ALIGN_VERTICAL_TOP);
  format_set_bg_color(head, 0xDDEBF7);
  format_set_border(head, LXW_BORDER_THIN);
  lxw_format* money = workbook_add_format(wb);
  format_set_num_format(money, "#,##0.00###");
  lxw_format* qty = workbook_add_format(wb);
  format_set_num_format(qty, "0.#####");

  lxw_worksheet* ws = workbook_add_worksheet(wb, "无票免税明细");
  const std::vector<std::string>& header = RecordHeader();
  for (size_t c = 0; c < header.size(); ++c) {
    worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), header[c].c_str(), head);
    worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c),
                         c < std::size(kWidths) ? kWidths[c] : 12, nullptr);
  }
  worksheet_set_row(ws, 0, 45, nullptr);
  worksheet_freeze_panes(ws, 1, 0);
  lxw_row_t r = 1;
  for (const RecordLine& l : records.lines) {
    lxw_col_t c = 0;
    auto text = [&](const std::string& v) {
      worksheet_write_string(ws, r, c++, v.c_str(), nullptr);
    };
    auto number = [&](const std::string& v, lxw_format* f) {
      if (v.empty()) {
        ++c;
      } else {
        worksheet_write_number(ws, r, c++, ToDouble(v), f);
      }
    };
    text(l.export_date);
    text(l.invt_no);
    text(l.cop_no);
    number(l.gnum, nullptr);
    text(l.gname);
    text(l.gcode);
    text(l.unit);
    text(l.unit_name);
    number(l.qty, qty);
    number(l.price, money);
    number(l.total_price, money);
    text(l.currency);
    text(l.customs_code);
    std::string reasons;
    for (int i = 0; i < 3; ++i) {
      text(l.conditions[i].passed ? "是" : "否");
      if (!l.conditions[i].passed) {
        reasons += (reasons.empty() ? "" : " | ") + std::string("条件") + std::to_string(i + 1) +
                   ": " + l.conditions[i].reason;
      }
    }
    text(l.Qualifies() ? "是" : "否");
    text(reasons);
    ++r;
  }
  if (!records.lines.empty()) {
    worksheet_autofilter(ws, 0, 0, r - 1, static_cast<lxw_col_t>(header.size() - 1));
  }

  lxw_worksheet* sum = workbook_add_worksheet(wb, "汇总");
  const char* const sum_header[] = {"项目(category)", "币制(currency)", "明细行数(lines)",
                                    "金额(amount)"};
  for (lxw_col_t c = 0; c < 4; ++c) worksheet_write_string(sum, 0, c, sum_header[c], head);
  worksheet_set_column(sum, 0, 0, 52, nullptr);
  worksheet_set_column(sum, 1, 3, 16, nullptr);
  worksheet_freeze_panes(sum, 1, 0);
  std::string info = "电商企业(e-commerce enterprise) " + records.ebc_code + " " +
                     records.ebc_name + "，放行日期(release dates) " + records.from + " — " +
                     records.to;
  lxw_row_t sr = 1;
  for (const TotalRow& t : ComputeTotals(records)) {
    worksheet_write_string(sum, sr, 0, TotalLabel(t.key).c_str(), nullptr);
    worksheet_write_string(sum, sr, 1, t.currency.c_str(), nullptr);
    worksheet_write_number(sum, sr, 2, t.lines, nullptr);
    worksheet_write_number(sum, sr, 3, ToDouble(Amount(t.amount)), money);
    ++sr;
  }
  worksheet_write_string(sum, sr + 1, 0, info.c_str(), nullptr);

  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR) {
    return Unavailable("cannot write " + path + ": " + lxw_strerror(err));
  }
  return Status::Ok();
}

StatusOr<std::string> RecordsToXlsx(const Records& records) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "shumao-etx-XXXXXX").string();
  int fd = mkstemp(tmpl.data());
  if (fd < 0) return Unavailable("cannot create a temporary file");
  close(fd);
  Status st = WriteXlsx(records, tmpl);
  std::string bytes;
  if (st.ok()) {
    std::ifstream f(tmpl, std::ios::binary);
    if (!f.is_open()) {
      st = Unavailable("cannot read back " + tmpl);
    } else {
      std::ostringstream ss;
      ss << f.rdbuf();
      bytes = ss.str();
    }
  }
  std::error_code ec;
  std::filesystem::remove(tmpl, ec);
  RETURN_IF_ERROR(st);
  return bytes;
}

}  // namespace shumao::exporttax

// The monthly summary declaration (汇总申报) of retail export lists, "清单核放、汇总申报"
// (194号 §10; ../shared/domain/ceb-messages.md §8.3, policy-rules.md §3).
//
// The export lists closed (status 899) in a Beijing month M with statisticsFlag B are
// merged into declarations: one declaration per list head (ebcCode, trafMode, ownerCode
// when summaryFlag is 2, country of arrival, portCode) with one item per line key (final
// destination country, 10-digit gcode, currency, and itemName when itemNameFlag is 1);
// quantities and totals are summed exactly (Decimal). Lists with statisticsFlag A (汇总统计)
// are never summarised. A declaration holds at most `max_items` items (the customs
// declaration's 50): the lists of one head go, in id order, into the first declaration of
// that head that still has room for their lines' keys, so that a list stays in one
// declaration; only a list that alone has more distinct keys than `max_items` spans
// several.
//
// Idempotent: every declaration built is kept in module state, namespace "summary" (key
// "YYYY-MM/nnnnnnn"), and every summarised list in namespace "summarized" (key: the
// document id, 20 digits; value: the declSeqNo), so that building the month again returns
// the same declarations, a list is in at most one declaration ever, and lists closed in
// the month since the last run form new declarations (with the flags of the new run).
//
// Numbers the platform assigns (18 characters, as CEB792 wants them):
//   declSeqNo  portCode(4) + YYYYMM + "H" + 7-digit sequence of the declaration in month M
//   sumNo      customsCode(4) + YYYYMM + "S" + the sequence of the application's first
//              declaration (one application per ebcCode and run, CEB701)
// Sequences follow the order of the head keys, so a given database and sequence of runs
// always yields the same numbers.
//
// Thread safety: Build may run concurrently with intake and with another Build: the
// state is written in one transaction that first checks that no other run has written
// declarations of the month meanwhile (and recomputes if one has).
#ifndef SHUMAO_SUMMARY_SUMMARY_H_
#define SHUMAO_SUMMARY_SUMMARY_H_

#include <cstdint>
#include <string>
#include <vector>

#include "ceb/message.h"
#include "common/decimal.h"
#include "common/status.h"
#include "common/time.h"
#include "store/store.h"
#include "summary/holidays.h"

namespace shumao::summary {

struct Request {
  std::string ebc_code;            // empty: every enterprise's lists
  std::string month;               // "YYYY-MM", Beijing
  std::string summary_flag = "1";  // "1" by consignor; "2" also by ownerCode
  std::string item_name_flag;      // "" or "1" (also by itemName)
  int max_items = 50;              // items per declaration
};

// One list line's place in the summary (CEB792 SummaryResultList).
struct LineRef {
  std::string cop_no, invt_no, logistics_no, gcode;
  int gnum = 0;
  int gseqno = 0;
};

struct Item {
  int gseqno = 0;                                   // 1.. within the declaration
  std::string gcode, country, currency, item_name;  // item_name only with itemNameFlag 1
  Decimal qty, total_price;
  std::vector<std::string> lists;  // copNos, each once, in list order
};

struct Declaration {
  std::string decl_seq_no, sum_no;
  // The head key.
  std::string ebc_code, traf_mode, owner_code, country, port_code;
  // From the first list: who declares, and the names the messages carry.
  std::string ebc_name, customs_code, agent_code, agent_name;
  std::string summary_flag, item_name_flag;
  Decimal gross_weight, net_weight;  // of the lists whose first line is here
  std::vector<Item> items;
  std::vector<LineRef> lines;  // every list line in this declaration
  int64_t built_ms = 0;
  // The list documents whose first line is here, as built in this run (not kept: a
  // declaration read back from state has none).
  std::vector<int64_t> list_ids;
};

struct Summary {
  std::string month;
  Date deadline;
  bool overdue = false;                   // now is after the deadline day (Beijing)
  std::vector<Declaration> declarations;  // by declSeqNo; with an ebc, only its own
};

// Checks the request: month YYYY-MM (a month that has begun), flags, max_items 1..999.
// Errors are InvalidArgument naming the field ("month", "summaryFlag", "itemNameFlag",
// "ebcCode").
Status CheckRequest(const Request& request, Timestamp now);

// Builds (or returns the built) declarations of the month. Errors: InvalidArgument from
// CheckRequest; the store's errors.
StatusOr<Summary> Build(store::Store& store, const Request& request, const Clock& clock,
                        const Calendar& calendar = Calendar::BuiltIn());

// Reminders: per month and e-commerce enterprise, the closed statisticsFlag B lists that
// no declaration holds yet, with the month's deadline. Looks at the `months` months
// before the one `now` falls in (the current month's lists are not due yet).
struct Due {
  std::string month, ebc_code;
  int64_t lists = 0;
  Date deadline;
  int days_left = 0;  // to the deadline day, Beijing; negative once it has passed
  bool overdue = false;
};
StatusOr<std::vector<Due>> Pending(store::Store& store, Timestamp now, int months = 3,
                                   const Calendar& calendar = Calendar::BuiltIn());
// {"at":"YYYY-MM-DD","due":[{"month":..,"ebcCode":..,"lists":..,"deadline":..,
// "daysLeft":..,"overdue":..}]}
std::string PendingToJson(const std::vector<Due>& due, Timestamp now);

// The answer of `shumao summary` and POST /api/v1/summaries (CONTRACT.md):
// {"month":..,"deadline":"YYYY-MM-DD","overdue":..,"declarations":[{"declSeqNo":..,
// "ebcCode":..,"trafMode":..,"ownerCode":..,"country":..,"portCode":..,"items":[{"gseqno":..,
// "gcode":..,"country":..,"currency":..,"qty":..,"totalPrice":..,"lists":[copNo,..]}]}]}.
// ownerCode is empty in declarations built with summaryFlag 1; items carry "itemName"
// when built with itemNameFlag 1.
std::string SummaryToJson(const Summary& summary);

// The messages, built from the schema (each validates against the official XSD):
// CEB701 applications, one per sumNo (a SummaryApply with its lists' invtNos); CEB702,
// the platform's receipt of one (returnStatus 399, its sumNo); CEB792, one SummaryResult
// per declaration with the list line -> item mapping, at most 100 per message (the
// standard's limit of entities). `time` is appTime/opDate/returnTime.
std::vector<ceb::Message> BuildApplications(const Summary& summary, Timestamp time);
ceb::Message BuildApplicationReceipt(const ceb::Message& application, Timestamp time);
std::vector<ceb::Message> BuildResults(const Summary& summary, Timestamp time);

}  // namespace shumao::summary

#endif  // SHUMAO_SUMMARY_SUMMARY_H_

// The generator's plan: every parcel with its parties, people, goods, amounts, numbers,
// times and fault, decided before a single byte is written. The planner (planner.h)
// builds it; the renderer (ceb_render.h) turns it into CEB XML; generator.cc orders and
// writes the messages.
//
// Pointers in a plan point into the Catalog, the PartySet and the plan's own deques of
// people, which all outlive the plan's use.
#ifndef SHUMAO_GEN_MODEL_H_
#define SHUMAO_GEN_MODEL_H_

#include <cstdint>
#include <deque>
#include <string>
#include <string_view>
#include <vector>

#include "common/decimal.h"
#include "common/time.h"
#include "gen/catalog.h"
#include "gen/identity.h"
#include "gen/parties.h"

namespace shumao::gen {

enum class Fault : uint8_t {
  kNone,
  kPaymentAmountMismatch,
  kConsigneeMismatch,
  kOverSingleLimit,
  kOverAnnualLimit,
  kMissingPayment,
  kMissingWaybill,
  kBuyerPayerMismatch,
  kUnregisteredEbc,
  kDuplicateMessage,
  kSplitOrder,
  kIdentityMisuse,
  kUndervaluation,
  kNameHsMismatch,
  kB2bOver5000,
  kMissingDeparture,
};

// The label name, e.g. "payment_amount_mismatch".
std::string_view FaultName(Fault f);

// Message kinds, in the order a parcel sends them.
enum class Msg : uint8_t {
  kNone,
  k311,
  k411,
  k511,
  k621,
  k513,
  k303,
  k403,
  k505,
  k603,
  k507,
  k509,
};

std::string_view MsgCode(Msg m);  // "CEB311"

struct Line {
  const Goods* goods = nullptr;
  const Goods* declared = nullptr;  // whose HS code the list declares (name_hs_mismatch)
  int64_t qty = 1;
  Decimal price, total;
  const std::string* country = nullptr;  // import: origin
};

struct ImportParcel {
  int64_t uid = 0;     // global parcel number (imports first, then exports)
  bool bonded = true;  // 1210 from the zone warehouse; false: 9610 direct purchase by air
  const Store* store = nullptr;
  const Party* ebc = nullptr;  // the store's, or an unregistered one
  const Party* carrier = nullptr;
  const Party* pay_company = nullptr;
  const Buyer* owner = nullptr;  // whose account and ID the order uses
  const std::string* buyer_reg_no = nullptr;
  const Person* buyer = nullptr;  // buyerName, buyerIdNumber, buyerTelephone
  const Person* payer = nullptr;
  const Person* consignee = nullptr;  // order and list
  const Address* address = nullptr;
  const Person* wb_consignee = nullptr;  // waybill
  const Address* wb_address = nullptr;
  std::vector<Line> lines;
  Decimal goods_value, freight, discount, tax, paid, amount_paid;
  Decimal gross, net;
  std::string order_no, pay_tx, logistics_no, cop_no;
  std::string flight, bill_no;           // direct purchase only
  const std::string* country = nullptr;  // departure country (9610) or 142 (1210)
  Timestamp t_order, t_pay, t_payment, t_waybill, t_list, t_signed;
  bool has_payment = true, has_waybill = true, has_signed = false;
  Msg dup = Msg::kNone;
  Timestamp t_dup;
  Fault fault = Fault::kNone;
  std::string detail;
  int64_t buyer_index = -1;  // clean buyer pool index, -1 for a fault's own buyer
  int64_t group = -1;        // split_order and identity_misuse: the parcels of one fault
};

// Where import lists are declared: the Nanjing comprehensive bonded zone (龙潭片, 1210,
// second-line exit, transport mode Y) and Nanjing Lukou airport (9610 by air).
struct ImportSite {
  const char* customs;
  const char* port;
  const char* traf_mode;
  const char* trade_mode;
};
inline constexpr ImportSite kBondedSite = {"2377", "2377", "Y", "1210"};
inline constexpr ImportSite kDirectSite = {"2317", "2317", "5", "9610"};

struct ExportSite {
  const char* customs;
  const char* port;
  const char* traf_mode;  // 2 sea, 3 rail, 5 air, 6 post
};

struct ExportParcel {
  int64_t uid = 0;
  std::string_view trade_mode = "9610";  // 9610, 9710, 9810
  char order_type = 'E';                 // E, B, W
  const Store* store = nullptr;
  const Party* ebp = nullptr;  // the store's platform, or the 无 pseudo-platform (9810)
  const Party* ebc = nullptr;
  const Party* carrier = nullptr;
  const Party* pay_company = nullptr;
  const ExportSite* site = nullptr;
  const char* country = nullptr;  // destination (运抵国 and 最终目的国)
  std::string_view ebp_name;      // 9810 without a platform: the overseas warehouse
  std::vector<Line> lines;
  Decimal goods_value, freight, insured, charge, gross, net;
  int pack_no = 1;
  char statistics_flag = 'B';
  std::string order_no, pay_no, logistics_no, cop_no;
  Timestamp t_order, t_accounting, t_receipts, t_waybill, t_list;
  int batch = -1;
  bool has_receipts = true, has_waybill = true, in_departure = true;
  Msg dup = Msg::kNone;
  Timestamp t_dup;
  Fault fault = Fault::kNone;
  std::string detail;
};

// One arrival (CEB507) and one departure (CEB509): the parcels of one carrier at one site
// on one day (at most 100 per batch).
struct Batch {
  int64_t id = 0;
  const Party* carrier = nullptr;
  const ExportSite* site = nullptr;
  std::vector<int64_t> parcels;  // indices into Plan::exports
  Timestamp t_arrival, t_departure;
  std::string arrival_cop, departure_cop, bill_no, traf_name, voyage, plate;
};

struct Plan {
  std::vector<ImportParcel> imports;
  std::vector<ExportParcel> exports;
  std::vector<Batch> batches;
  // Storage for the people and addresses parcels point to.
  std::deque<Buyer> buyers;
  std::deque<Person> people;
  std::deque<Address> addresses;
  std::deque<std::string> strings;
};

}  // namespace shumao::gen

#endif  // SHUMAO_GEN_MODEL_H_

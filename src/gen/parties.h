// The enterprises of a generated zone: platforms, e-commerce enterprises, customs brokers,
// logistics and payment companies, the bonded warehouse operator and the platform
// operator, with who sells on which platform and who carries and declares for whom.
//
// The set depends only on the seed (never on parcel counts), so a demo zone keeps its
// enterprises when it is regenerated with more traffic.
//
// Thread safety: immutable after MakeParties; the pointers inside stay valid as long as
// the PartySet lives (it is not copyable).
#ifndef SHUMAO_GEN_PARTIES_H_
#define SHUMAO_GEN_PARTIES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "gen/catalog.h"

namespace shumao::gen {

// How a carrier numbers its waybills.
enum class WaybillStyle { kPostS10, kExpress12, kJd, kYto };
// How a payment company numbers its transactions.
enum class PayStyle { kWallet28, kAlipay28, kBank };

struct Party {
  std::string code;  // 10-character customs code or 18-character USCC
  std::string name;
  std::vector<std::string> roles;
  std::string dxp_id;  // DXP user id of its client
  std::string phone;   // company telephone
  std::string tag;     // two or three capitals used in its document numbers
  bool registered = true;
  WaybillStyle waybill_style = WaybillStyle::kExpress12;
  PayStyle pay_style = PayStyle::kWallet28;
};

// One seller on one platform, with the broker declaring its lists and the goods it sells.
struct Store {
  const Party* ebp = nullptr;
  const Party* ebc = nullptr;
  const Party* agent = nullptr;
  int weight = 0;
  std::vector<Category> categories;  // empty: sells everything in the catalogue
};

struct PartySet {
  std::vector<std::unique_ptr<Party>> registered;  // the order of parties.json
  std::vector<std::unique_ptr<Party>> ghosts;      // unregistered sellers (faults)
  Party no_platform;                               // ebpCode 无 (9810 without a platform)
  std::vector<Store> import_stores, export_stores;
  const Party* warehouse = nullptr;  // bonded warehouse / supervised site operator
  const Party* operator_ = nullptr;  // the platform operator
  std::vector<const Party*> import_carriers_bonded, import_carriers_direct, export_carriers;
  std::vector<const Party*> payments, export_payments;
  std::vector<const Party*> import_ghosts, export_ghosts;
};

std::unique_ptr<PartySet> MakeParties(uint64_t seed);

}  // namespace shumao::gen

#endif  // SHUMAO_GEN_PARTIES_H_

#include "ceb/catalog.h"

#include "common/strings.h"

namespace shumao::ceb {
namespace {

const std::vector<DocumentSpec>& Specs() {
  static const std::vector<DocumentSpec> kSpecs = {
      // Import.
      {"CEB311",
       "orders",
       "OrderHead",
       "ebpCode",
       "orderNo",
       "",
       "",
       "CEB312",
       "-301010",
       "-301009",
       "-301011",
       {{"ebp", "ebpCode"}, {"ebc", "ebcCode"}}},
      {"CEB411",
       "payments",
       "PaymentHead",
       "payCode",
       "payTransactionId",
       "",
       "orderNo",
       "CEB412",
       "-401010",
       "-401009",
       "-401011",
       {{"payment", "payCode"}}},
      {"CEB511",
       "waybills",
       "LogisticsHead",
       "logisticsCode",
       "logisticsNo",
       "",
       "orderNo",
       "CEB512",
       "-504003",
       "-504005",
       "-504006",
       {{"logistics", "logisticsCode"}}},
      {"CEB513",
       "waybill-statuses",
       "",
       "logisticsCode",
       "logisticsNo",
       "",
       "",
       "CEB514",
       "-505003",
       "-505005",
       "-505006",
       {{"logistics", "logisticsCode"}}},
      {"CEB621",
       "inventories",
       "InventoryHead",
       "agentCode",
       "copNo",
       "orderNo",
       "invtNo",
       "CEB622",
       "-621004",
       "-621009",
       "-621011",
       {{"agent", "agentCode"}, {"ebc", "ebcCode"}}},
      {"CEB623",
       "cancels",
       "",
       "agentCode",
       "copNo",
       "invtNo",
       "invtNo",
       "CEB624",
       "-623009",
       "-623003",
       "-623005",
       {{"agent", "agentCode"}, {"ebc", "ebcCode"}}},
      {"CEB625",
       "returns",
       "InvtRefundHead",
       "agentCode",
       "copNo",
       "invtNo",
       "invtNo",
       "CEB626",
       "-625004",
       "-625003",
       "-625005",
       {{"agent", "agentCode"}, {"ebc", "ebcCode"}}},
      {"CEB711",
       "deliveries",
       "DeliveryHead",
       "operatorCode",
       "copNo",
       "billNo",
       "preNo",
       "CEB712",
       "-800003",
       "-800004",
       "-800005",
       {{"warehouse", "operatorCode"}, {"logistics", "logisticsCode"}}},
      // Export.
      {"CEB303",
       "orders",
       "OrderHead",
       "ebpCode",
       "orderNo",
       "",
       "",
       "CEB304",
       "-304001",
       "-304002",
       "-304003",
       {{"ebp", "ebpCode"}, {"ebc", "ebcCode"}}},
      {"CEB403",
       "payments",
       "",
       "ebcCode",
       "orderNo",
       "",
       "payNo",
       "CEB404",
       "-404001",
       "-404002",
       "-404003",
       {{"payment", "payCode"}, {"ebc", "ebcCode"}, {"ebp", "ebpCode"}}},
      {"CEB505",
       "waybills",
       "",
       "logisticsCode",
       "logisticsNo",
       "",
       "",
       "CEB506",
       "-506001",
       "-506002",
       "-506003",
       {{"logistics", "logisticsCode"}}},
      {"CEB507",
       "arrivals",
       "ArrivalHead",
       "operatorCode",
       "copNo",
       "",
       "preNo",
       "CEB508",
       "-508001",
       "-508002",
       "-508003",
       {{"warehouse", "operatorCode"}, {"logistics", "logisticsCode"}}},
      {"CEB509",
       "departures",
       "DepartureHead",
       "logisticsCode",
       "copNo",
       "",
       "preNo",
       "CEB510",
       "-510001",
       "-510002",
       "-510003",
       {{"logistics", "logisticsCode"}}},
      {"CEB603",
       "inventories",
       "InventoryHead",
       "agentCode",
       "copNo",
       "",
       "invtNo",
       "CEB604",
       "-604001",
       "-604002",
       "-604003",
       {{"agent", "agentCode"}, {"ebc", "ebcCode"}}},
      {"CEB605",
       "cancels",
       "",
       "agentCode",
       "copNo",
       "",
       "invtNo",
       "CEB606",
       "-606001",
       "-606002",
       "-606003",
       {{"agent", "agentCode"}, {"ebc", "ebcCode"}}},
      {"CEB607",
       "waybill-links",
       "WayBillHead",
       "agentCode",
       "copNo",
       "",
       "billNo",
       "CEB608",
       "-608001",
       "-608002",
       "-608003",
       {{"agent", "agentCode"}, {"logistics", "logisticsCode"}}},
      {"CEB213",
       "returns",
       "InvtRefundHead",
       "agentCode",
       "coElNo",
       "",
       "invtNo",
       "CEB214",
       "-214001",
       "-214002",
       "-214003",
       {{"agent", "agentCode"}, {"ebc", "ebcCode"}}},
      {"CEB215",
       "return-tallies",
       "",
       "operatorCode",
       "coElNo",
       "",
       "logisticsNo",
       "CEB216",
       "-216001",
       "-216002",
       "-216003",
       {{"warehouse", "operatorCode"}, {"logistics", "logisticsCode"}}},
      {"CEB701",
       "summaries",
       "SummaryApplyHead",
       "agentCode",
       "copNo",
       "",
       "sumNo",
       "CEB702",
       "-702001",
       "-702002",
       "-702003",
       {{"agent", "agentCode"}, {"ebc", "ebcCode"}}},
  };
  return kSpecs;
}

const PartyField kParties[] = {
    {"ebpCode", "ebp", nullptr, "电商平台"},
    {"ebcCode", "ebc", nullptr, "电商企业"},
    {"payCode", "payment", nullptr, "支付企业"},
    {"logisticsCode", "logistics", nullptr, "物流企业"},
    {"agentCode", "agent", "ebc", "申报企业"},
    {"operatorCode", "warehouse", "logistics", "监管场所经营人"},
};

}  // namespace

const DocumentSpec* FindDocumentSpec(std::string_view type) {
  for (const auto& s : Specs()) {
    if (type == s.type) return &s;
  }
  return nullptr;
}

std::span<const DocumentSpec> AllDocumentSpecs() { return Specs(); }

std::span<const PartyField> PartyFields() { return kParties; }

bool IsPersonalField(std::string_view n) {
  return n == "buyerName" || n == "buyerIdNumber" || n == "buyerTelephone" || n == "payerName" ||
         n == "payerIdNumber" || n == "telephone" || n == "consignee" ||
         n == "consigneeTelephone" || n == "consigneeAddress";
}

std::string MaskPersonal(std::string_view field, std::string_view v) {
  // Work on code points so that Chinese names and addresses are cut cleanly.
  std::vector<std::string_view> cps;
  for (size_t i = 0; i < v.size();) {
    size_t n = 1;
    unsigned char c = static_cast<unsigned char>(v[i]);
    if (c >= 0xF0)
      n = 4;
    else if (c >= 0xE0)
      n = 3;
    else if (c >= 0xC0)
      n = 2;
    cps.push_back(v.substr(i, n));
    i += n;
  }
  auto keep = [&](size_t head, size_t tail) {
    std::string out;
    for (size_t i = 0; i < cps.size(); ++i) {
      bool show = i < head || i + tail >= cps.size();
      out += show ? std::string(cps[i]) : std::string("*");
    }
    return out;
  };
  if (cps.empty()) return {};
  if (field == "buyerName" || field == "payerName" || field == "consignee") return keep(1, 0);
  if (field == "consigneeAddress") return keep(6, 0);
  if (cps.size() <= 7) return keep(1, 1);
  return keep(3, 4);  // ID numbers and phones
}

const Node* HeadOf(const DocumentSpec& spec, const Node& entity) {
  if (spec.head[0] == '\0') return &entity;
  return entity.Child(spec.head);
}

}  // namespace shumao::ceb

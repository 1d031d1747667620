#include "gen/parties.h"

#include <array>
#include <set>
#include <span>

#include "gen/identity.h"
#include "gen/rng.h"

namespace shumao::gen {
namespace {

struct City {
  const char* name;
  const char* region4;
  const char* region6;    // a district of the city, for USCCs
  const char* area_code;  // telephone area code
};

constexpr City kCities[] = {
    {"南京", "3201", "320115", "025"},  {"苏州", "3205", "320505", "0512"},
    {"无锡", "3202", "320214", "0510"}, {"南通", "3206", "320612", "0513"},
    {"常州", "3204", "320411", "0519"}, {"连云港", "3207", "320703", "0518"},
};

// Two-character trade names (字号); shuffled per seed.
constexpr const char* kTradeNames[] = {
    "云购", "海纳", "优选", "环球", "汇通", "嘉禾", "远航", "星链", "易达", "鼎盛",
    "华信", "锦程", "恒泰", "瑞丰", "宏远", "通达", "晟世", "博远", "金桥", "万邦",
    "润丰", "聚鑫", "凯捷", "天诚", "中联", "新瑞", "美途", "优享", "悦购", "德信",
    "佳禾", "盛达", "海跃", "启航", "众诚", "长风", "金陵", "江海", "蓝鲸", "百川",
};

struct Slot {
  std::vector<std::string> roles;
  const char* suffix;
  const char* tag;
};

constexpr char kCapitals[] = "ABCDEFGHJKLMNPQRSTWXYZ";

class Builder {
 public:
  explicit Builder(uint64_t seed) : rng_(Mix(seed, 0x9A27135)) {
    for (size_t i = 0; i < std::size(kTradeNames); ++i) names_.push_back(kTradeNames[i]);
    rng_.Shuffle(std::span<const char*>(names_));
  }

  // city < 0: drawn, most enterprises are in Nanjing and Suzhou.
  std::unique_ptr<Party> Make(std::vector<std::string> roles, const std::string& suffix,
                              bool registered = true, int city_index = -1) {
    auto p = std::make_unique<Party>();
    size_t drawn = rng_.Weighted(std::array<int, 6>{30, 30, 15, 10, 10, 5});
    const City& city = kCities[city_index < 0 ? drawn : static_cast<size_t>(city_index)];
    p->name = std::string(city.name) + names_[next_name_++ % names_.size()] + suffix;
    do {
      p->code = rng_.Chance(350) ? Uscc(rng_, city.region6) : CustomsCode(rng_, city.region4);
    } while (!codes_.insert(p->code).second);
    p->roles = std::move(roles);
    bool logistics = false;
    for (const std::string& r : p->roles) logistics |= r == "logistics";
    p->dxp_id =
        std::string(logistics ? "DXPLGS" : "DXPENT") + Digits(rng_.Below(10000000000ULL), 10);
    p->phone = std::string(city.area_code) + "-" + Digits(rng_.Range(50000000, 89999999), 8);
    std::string tag;
    do {
      tag.clear();
      for (int i = 0; i < 3; ++i) tag.push_back(kCapitals[rng_.Below(sizeof(kCapitals) - 1)]);
    } while (!tags_.insert(tag).second);
    p->tag = tag;
    p->registered = registered;
    return p;
  }

 private:
  Rng rng_;
  std::vector<const char*> names_;
  size_t next_name_ = 0;
  std::set<std::string> codes_, tags_;
};

}  // namespace

std::unique_ptr<PartySet> MakeParties(uint64_t seed) {
  auto set = std::make_unique<PartySet>();
  Builder b(seed);
  auto add = [&](std::vector<std::string> roles, const std::string& suffix, int city = -1) {
    set->registered.push_back(b.Make(std::move(roles), suffix, true, city));
    return set->registered.back().get();
  };

  // Platforms: two for imports, two for exports; one of each also sells itself (自营).
  Party* imp_self = add({"ebp", "ebc"}, "跨境电子商务有限公司");
  Party* imp_platform = add({"ebp"}, "网络科技有限公司");
  Party* exp_self = add({"ebp", "ebc"}, "出海电子商务有限公司");
  Party* exp_platform = add({"ebp"}, "跨境贸易服务平台有限公司");
  // E-commerce enterprises: domestic agents of foreign sellers (import) and Jiangsu
  // manufacturers and traders (export).
  Party* imp_ebc1 = add({"ebc"}, "国际贸易有限公司");
  Party* imp_ebc2 = add({"ebc"}, "供应链管理有限公司");
  Party* imp_ebc3 = add({"ebc"}, "进出口贸易有限公司");
  Party* exp_apparel = add({"ebc"}, "服饰有限公司");
  Party* exp_tech = add({"ebc"}, "电子科技有限公司");
  Party* exp_home = add({"ebc"}, "家居用品有限公司");
  // Customs brokers.
  Party* agent1 = add({"agent"}, "报关有限公司");
  Party* agent2 = add({"agent"}, "国际报关有限公司");
  Party* agent3 = add({"agent"}, "关务服务有限公司");
  // Carriers.
  Party* post = add({"logistics"}, "国际邮件快递有限公司");
  post->waybill_style = WaybillStyle::kPostS10;
  Party* express = add({"logistics"}, "速运有限公司");
  express->waybill_style = WaybillStyle::kExpress12;
  Party* jd = add({"logistics"}, "供应链物流有限公司");
  jd->waybill_style = WaybillStyle::kJd;
  Party* yto = add({"logistics"}, "国际物流有限公司");
  yto->waybill_style = WaybillStyle::kYto;
  // Payment companies.
  Party* pay1 = add({"payment"}, "支付科技有限公司");
  pay1->pay_style = PayStyle::kWallet28;
  Party* pay2 = add({"payment"}, "网络支付有限公司");
  pay2->pay_style = PayStyle::kAlipay28;
  Party* pay3 = add({"payment"}, "跨境支付服务有限公司");
  pay3->pay_style = PayStyle::kBank;
  // The bonded warehouse in the Nanjing comprehensive bonded zone (also the export
  // supervised site) and the platform operator of the zone.
  Party* warehouse = add({"warehouse"}, "综合保税区仓储物流有限公司", 0);
  Party* op = add({"operator"}, "跨境电商公共服务平台运营有限公司", 0);
  set->warehouse = warehouse;
  set->operator_ = op;

  for (int i = 0; i < 2; ++i) {
    set->ghosts.push_back(b.Make({"ebc"}, i == 0 ? "商贸有限公司" : "贸易商行有限公司", false));
    set->import_ghosts.push_back(set->ghosts.back().get());
  }
  for (int i = 0; i < 2; ++i) {
    set->ghosts.push_back(b.Make({"ebc"}, i == 0 ? "工贸有限公司" : "实业有限公司", false));
    set->export_ghosts.push_back(set->ghosts.back().get());
  }
  set->no_platform.code = "无";
  set->no_platform.name = "海外仓";
  set->no_platform.registered = false;

  using C = Category;
  set->import_stores = {
      {imp_self, imp_self, agent1, 40, {}},
      {imp_platform, imp_ebc1, agent1, 25, {}},
      {imp_platform, imp_ebc2, agent2, 20, {}},
      {imp_self, imp_ebc3, agent2, 15, {}},
  };
  set->export_stores = {
      {exp_self, exp_self, agent3, 20, {}},
      {exp_platform, exp_apparel, agent2, 30, {C::kApparel, C::kShoes, C::kBags}},
      {exp_platform, exp_tech, agent3, 25, {C::kElectronics, C::kTools}},
      {exp_self, exp_home, agent3, 25, {C::kHome, C::kToys, C::kEyewear}},
  };
  set->import_carriers_bonded = {express, jd};
  set->import_carriers_direct = {post, express};
  set->export_carriers = {post, express, yto};
  set->payments = {pay1, pay2, pay3};
  set->export_payments = {pay2, pay3};
  return set;
}

}  // namespace shumao::gen

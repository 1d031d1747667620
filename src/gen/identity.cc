#include "gen/identity.h"

#include <array>
#include <span>

namespace shumao::gen {
namespace {

struct District {
  const char* code;
  const char* prefix;  // province + city + district
  int weight;          // share of buyers (coastal cities buy most cross-border goods)
};

constexpr District kDistricts[] = {
    {"110105", "北京市朝阳区", 40},       {"110108", "北京市海淀区", 35},
    {"120101", "天津市和平区", 10},       {"310104", "上海市徐汇区", 30},
    {"310112", "上海市闵行区", 30},       {"310115", "上海市浦东新区", 45},
    {"320102", "江苏省南京市玄武区", 20}, {"320106", "江苏省南京市鼓楼区", 22},
    {"320113", "江苏省南京市栖霞区", 12}, {"320115", "江苏省南京市江宁区", 20},
    {"320213", "江苏省无锡市梁溪区", 12}, {"320214", "江苏省无锡市新吴区", 12},
    {"320311", "江苏省徐州市泉山区", 8},  {"320402", "江苏省常州市天宁区", 10},
    {"320505", "江苏省苏州市虎丘区", 15}, {"320506", "江苏省苏州市吴中区", 15},
    {"320508", "江苏省苏州市姑苏区", 15}, {"320612", "江苏省南通市通州区", 10},
    {"321002", "江苏省扬州市广陵区", 8},  {"330106", "浙江省杭州市西湖区", 25},
    {"330108", "浙江省杭州市滨江区", 18}, {"330203", "浙江省宁波市海曙区", 12},
    {"340104", "安徽省合肥市蜀山区", 10}, {"350203", "福建省厦门市思明区", 10},
    {"370202", "山东省青岛市市南区", 10}, {"410105", "河南省郑州市金水区", 10},
    {"420106", "湖北省武汉市武昌区", 12}, {"430104", "湖南省长沙市岳麓区", 10},
    {"440106", "广东省广州市天河区", 30}, {"440304", "广东省深圳市福田区", 25},
    {"440305", "广东省深圳市南山区", 30}, {"500112", "重庆市渝北区", 12},
    {"510107", "四川省成都市武侯区", 18}, {"530102", "云南省昆明市五华区", 6},
    {"610113", "陕西省西安市雁塔区", 10}, {"210106", "辽宁省沈阳市铁西区", 8},
};

constexpr const char* kRoads[] = {
    "中山路",   "人民路",   "建设路", "解放路",   "长江路",   "珠江路", "和平路", "新华路",
    "文化路",   "学府路",   "科技路", "创新大道", "江东中路", "汉中路", "湖滨路", "青年路",
    "滨江大道", "世纪大道", "金融街", "东风路",   "南京路",   "光明路", "幸福路", "迎宾大道",
    "花园路",   "望江路",   "星湖街", "天元路",   "锦绣路",   "胜利路",
};

constexpr const char* kEstates[] = {
    "阳光花园",   "金色家园",     "翠苑小区",     "御景湾",       "万科城",       "保利香槟国际",
    "绿地世纪城", "中海国际社区", "碧桂园",       "华润国际社区", "龙湖春江郦城", "融创玖樟台",
    "招商雍华府", "世茂外滩新城", "恒大绿洲",     "紫金名门",     "东方红郡",     "锦绣江南",
    "新城花园",   "滨湖雅苑",     "金地格林世界", "仁恒江湾城",   "复地御钟山",   "星河湾",
    "蓝湾国际",   "水岸华庭",
};

constexpr const char* kOffices[] = {
    "国际金融中心", "科技园",   "创业大厦", "软件园",     "商务广场", "环球中心",
    "时代广场",     "世贸中心", "万达广场", "创意产业园", "总部基地", "新城科技园",
};

// The most common surnames, roughly by frequency.
constexpr const char* kSurnames[] = {
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡",
    "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹",
    "彭", "曾", "肖", "田", "董", "袁", "潘", "于", "蒋", "蔡", "余", "杜", "叶", "程", "苏",
    "魏", "吕", "丁", "任", "沈", "姚", "卢", "姜", "崔", "钟", "谭", "陆", "汪", "范", "金",
    "石", "廖", "贾", "夏", "韦", "方", "白", "邹", "孟", "熊", "秦", "邱", "江", "尹", "薛",
    "段", "雷", "侯", "龙", "史", "陶", "黎", "贺", "顾", "毛", "郝", "龚", "邵", "万", "钱",
};
constexpr int kSurnameWeights[] = {
    72, 72, 70, 54, 46, 32, 25, 21, 20, 18, 17, 16, 13, 12, 12, 11, 10, 10, 10, 9, 9, 8, 8,
    8,  8,  7,  7,  7,  6,  6,  6,  6,  6,  5,  5,  5,  5,  5,  5,  5,  4,  4,  4, 4, 4, 4,
    4,  4,  4,  4,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  3,  2, 2, 2, 2,
    2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2,  2, 2,
};
static_assert(std::size(kSurnames) == std::size(kSurnameWeights));

constexpr const char* kFemaleChars[] = {
    "静", "丽", "敏", "婷", "娜", "燕", "芳", "颖", "雪", "琳", "晶", "欣", "怡", "佳",
    "慧", "倩", "璐", "瑶", "萱", "雯", "梦", "蕾", "莉", "晓", "思", "雨", "涵", "诗",
    "悦", "梓", "妍", "楠", "菲", "彤", "宁", "玉", "兰", "琪", "嘉", "可",
};
constexpr const char* kMaleChars[] = {
    "伟", "强", "磊", "军", "洋", "勇", "杰", "涛", "斌", "超", "明", "刚", "平", "辉",
    "鹏", "华", "飞", "鑫", "波", "宇", "浩", "凯", "健", "俊", "帆", "帅", "旭", "宁",
    "龙", "林", "博", "文", "轩", "睿", "泽", "航", "昊", "晨", "志", "建",
};

constexpr const char* kMobilePrefixes[] = {
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "173", "176", "177", "178", "180",
    "181", "182", "183", "185", "186", "187", "188", "189", "191", "198", "199",
};

template <typename T, size_t N>
const T& Pick(Rng& rng, const T (&a)[N]) {
  return a[rng.Below(N)];
}

const District& PickDistrict(Rng& rng) {
  static const std::array<int, std::size(kDistricts)> kWeights = [] {
    std::array<int, std::size(kDistricts)> w{};
    for (size_t i = 0; i < w.size(); ++i) w[i] = kDistricts[i].weight;
    return w;
  }();
  return kDistricts[rng.Weighted(kWeights)];
}

int DaysIn(int y, int m) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return m == 2 && leap ? 29 : kDays[m - 1];
}

std::string MakeName(Rng& rng, bool female) {
  std::string name = kSurnames[rng.Weighted(kSurnameWeights)];
  int chars = rng.Chance(720) ? 2 : 1;
  for (int i = 0; i < chars; ++i) name += female ? Pick(rng, kFemaleChars) : Pick(rng, kMaleChars);
  return name;
}

Person MakePersonBorn(Rng& rng, int year_lo, int year_hi) {
  bool female = rng.Chance(620);  // most cross-border shoppers are women
  Person p;
  p.name = MakeName(rng, female);
  const District& d = PickDistrict(rng);
  int year = static_cast<int>(rng.Range(year_lo, year_hi));
  int month = static_cast<int>(rng.Range(1, 12));
  int day = static_cast<int>(rng.Range(1, DaysIn(year, month)));
  int seq = static_cast<int>(rng.Range(0, 499)) * 2 + (female ? 0 : 1);
  p.id_number = ResidentId(d.code, year, month, day, seq);
  p.phone = MakeMobile(rng);
  return p;
}

constexpr char kUsccChars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

int UsccValue(char c) {
  for (int i = 0; i < 31; ++i) {
    if (kUsccChars[i] == c) return i;
  }
  return 0;
}

}  // namespace

std::string Digits(uint64_t v, int width) {
  std::string s(static_cast<size_t>(width), '0');
  for (int i = width - 1; i >= 0; --i) {
    s[static_cast<size_t>(i)] = static_cast<char>('0' + v % 10);
    v /= 10;
  }
  return s;
}

uint32_t Scramble8(uint64_t index, uint64_t salt) {
  // A three-round Feistel network on two 4-digit halves: a permutation of [0, 10^8).
  uint32_t v = static_cast<uint32_t>(index % 100000000);
  uint32_t left = v / 10000, right = v % 10000;
  for (uint64_t round = 0; round < 3; ++round) {
    uint32_t f = static_cast<uint32_t>(Mix(salt, round, right) % 10000);
    uint32_t next = (left + f) % 10000;
    left = right;
    right = next;
  }
  return left * 10000 + right;
}

std::string ResidentId(std::string_view region6, int year, int month, int day, int seq3) {
  static constexpr int kWeights[] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kCheck[] = "10X98765432";
  std::string id(region6);
  id += Digits(static_cast<uint64_t>(year), 4) + Digits(static_cast<uint64_t>(month), 2) +
        Digits(static_cast<uint64_t>(day), 2) + Digits(static_cast<uint64_t>(seq3), 3);
  int sum = 0;
  for (int i = 0; i < 17; ++i) sum += (id[static_cast<size_t>(i)] - '0') * kWeights[i];
  id.push_back(kCheck[sum % 11]);
  return id;
}

bool ResidentIdValid(std::string_view id) {
  if (id.size() != 18) return false;
  for (size_t i = 0; i < 17; ++i) {
    if (id[i] < '0' || id[i] > '9') return false;
  }
  return ResidentId(id.substr(0, 6), std::stoi(std::string(id.substr(6, 4))),
                    std::stoi(std::string(id.substr(10, 2))),
                    std::stoi(std::string(id.substr(12, 2))),
                    std::stoi(std::string(id.substr(14, 3)))) == id;
}

std::string MakeMobile(Rng& rng) {
  return std::string(Pick(rng, kMobilePrefixes)) + Digits(rng.Below(100000000), 8);
}

Person MakePerson(Rng& rng) { return MakePersonBorn(rng, 1965, 2003); }

Address MakeAddress(Rng& rng) {
  const District& d = PickDistrict(rng);
  Address a;
  a.district = d.code;
  a.text = std::string(d.prefix) + Pick(rng, kRoads) + std::to_string(rng.Range(1, 399)) + "号" +
           Pick(rng, kEstates) + std::to_string(rng.Range(1, 32)) + "栋" +
           std::to_string(rng.Range(1, 4)) + "单元" + std::to_string(rng.Range(1, 33)) +
           Digits(static_cast<uint64_t>(rng.Range(1, 6)), 2) + "室";
  return a;
}

Buyer MakeBuyer(uint64_t seed, uint64_t index) {
  Rng rng(Mix(seed, 0xB0BE5, index));
  Buyer b;
  // Shoppers are mostly 23 to 45 (young parents buy formula and diapers).
  b.self = MakePersonBorn(rng, 1980, 2002);
  b.relative = MakePersonBorn(rng, 1960, 2004);
  if (rng.Chance(500)) {  // a spouse or parent often shares the surname
    std::string_view s = b.self.name;
    std::string_view r = b.relative.name;
    size_t rest = r.size() >= 6 ? 3 : 0;  // surnames here are one character (3 bytes)
    b.relative.name = std::string(s.substr(0, 3)) + std::string(r.substr(rest));
    if (b.relative.name.size() < 6) b.relative.name = b.relative.name + "华";
  }
  b.home = MakeAddress(rng);
  b.work = b.home;
  if (rng.Chance(550)) {
    const District* d = nullptr;
    for (const District& x : kDistricts) {
      if (b.home.district == x.code) d = &x;
    }
    b.work.text = std::string(d->prefix) + Pick(rng, kRoads) + std::to_string(rng.Range(1, 599)) +
                  "号" + Pick(rng, kOffices) + std::to_string(rng.Range(1, 28)) + "楼";
  }
  b.reg_no = "u" + Digits(Mix(seed, 0xACC7, index), 11);
  return b;
}

std::string CustomsCode(Rng& rng, std::string_view region4) {
  static constexpr char kAlnum[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  static constexpr const char* kKinds[] = {"91", "93", "94", "96", "26", "36"};
  std::string code(region4);
  code += Pick(rng, kKinds);
  for (int i = 0; i < 4; ++i) code.push_back(kAlnum[rng.Below(sizeof(kAlnum) - 1)]);
  return code;
}

std::string Uscc(Rng& rng, std::string_view region6) {
  // Organisation code: 8 characters and a check character (GB 11714).
  static constexpr int kOrgWeights[] = {3, 7, 9, 10, 5, 8, 4, 2};
  static constexpr char kOrgChars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
  std::string org;
  int sum = 0;
  for (int i = 0; i < 8; ++i) {
    // Mostly digits, as most organisation codes are.
    char c = i == 0 && rng.Chance(400) ? kOrgChars[10 + rng.Below(21)]
                                       : static_cast<char>('0' + rng.Below(10));
    org.push_back(c);
    int v = c >= '0' && c <= '9' ? c - '0' : c - 'A' + 10;
    sum += v * kOrgWeights[i];
  }
  int check = 11 - sum % 11;
  org.push_back(check == 10 ? 'X' : check == 11 ? '0' : static_cast<char>('0' + check));
  // USCC: registering authority 9 (market regulation), kind 1 (enterprise), region, org
  // code, check character (GB 32100).
  static constexpr int kWeights[] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
                                     29, 25, 13, 8,  24, 10, 30, 28};
  std::string code = "91" + std::string(region6) + org;
  int total = 0;
  for (int i = 0; i < 17; ++i) total += UsccValue(code[static_cast<size_t>(i)]) * kWeights[i];
  int c = 31 - total % 31;
  code.push_back(kUsccChars[c == 31 ? 0 : c]);
  return code;
}

std::string S10(std::string_view service, uint32_t serial8) {
  static constexpr int kWeights[] = {8, 6, 4, 2, 3, 5, 9, 7};
  std::string digits = Digits(serial8, 8);
  int sum = 0;
  for (int i = 0; i < 8; ++i) sum += (digits[static_cast<size_t>(i)] - '0') * kWeights[i];
  int check = 11 - sum % 11;
  if (check == 10) check = 0;
  if (check == 11) check = 5;
  return std::string(service) + digits + static_cast<char>('0' + check) + "CN";
}

std::string AirWaybill(std::string_view airline3, uint32_t serial7) {
  serial7 %= 10000000;
  return std::string(airline3) + "-" + Digits(serial7, 7) + static_cast<char>('0' + serial7 % 7);
}

std::string LorryPlate(Rng& rng) {
  static constexpr char kCities[] = "ABCDEFGHJKLMN";  // the 13 Jiangsu cities
  static constexpr char kAlnum[] = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  std::string plate = "苏";
  plate.push_back(kCities[rng.Below(sizeof(kCities) - 1)]);
  for (int i = 0; i < 5; ++i) {
    plate.push_back(i < 2 ? kAlnum[rng.Below(sizeof(kAlnum) - 1)]
                          : static_cast<char>('0' + rng.Below(10)));
  }
  return plate;
}

}  // namespace shumao::gen

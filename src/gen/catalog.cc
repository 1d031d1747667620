#include "gen/catalog.h"

#include <string_view>

#include "gen/rng.h"

namespace shumao::gen {
namespace {

struct Row {
  const char* item_no;
  const char* name;
  const char* english;
  const char* gmodel;
  const char* hs;
  const char* unit;
  int legal_per_unit;
  const char* net_kg;
  const char* gross_kg;
  const char* price;
  const char* vat;
  int content;
  int pieces;
  Category category;
  int weight;
  const char* origins;  // comma-separated customs country codes
};

using C = Category;

// Weights are relative popularity within the catalogue (import: what Chinese consumers buy
// cross-border most: formula, skincare, health food, personal care).
constexpr Row kImports[] = {
    {"APT-P3-800", "爱他美（Aptamil）婴儿配方奶粉3段 800克", "",
     "品牌:爱他美|规格:800克/罐|适用年龄:1-3岁", "1901101000", "122", 1, "0.8", "1.05", "238",
     "0.13", 0, 0, C::kInfantFormula, 60, "304,306"},
    {"A2-ZC3-900", "a2 至初婴儿配方奶粉3段 900克", "", "品牌:a2|规格:900克/罐|适用年龄:12-36个月",
     "1901101000", "122", 1, "0.9", "1.15", "268", "0.13", 0, 0, C::kInfantFormula, 55, "609,601"},
    {"MJN-EN2-850", "美赞臣（Enfamil）铂睿婴儿配方奶粉2段 850克", "",
     "品牌:美赞臣|规格:850克/罐|适用年龄:6-12个月", "1901101000", "122", 1, "0.85", "1.1", "298",
     "0.13", 0, 0, C::kInfantFormula, 30, "502,309"},
    {"NES-NAN3-800", "雀巢（Nestle）能恩全护婴儿配方奶粉3段 800克", "",
     "品牌:雀巢|规格:800克/罐|适用年龄:1-3岁", "1901101000", "122", 1, "0.8", "1.05", "218", "0.13",
     0, 0, C::kInfantFormula, 25, "304,331"},
    {"FRS-RY2-800", "美素佳儿（Friso）皇家婴儿配方奶粉2段 800克", "",
     "品牌:美素佳儿|规格:800克/罐|适用年龄:6-12个月", "1901101000", "122", 1, "0.8", "1.05", "258",
     "0.13", 0, 0, C::kInfantFormula, 30, "309"},
    {"KAO-MRS-L54", "花王（Merries）妙而舒婴儿纸尿裤 L码54片", "",
     "品牌:花王|规格:L码54片/包|材质:无纺布、高分子吸水树脂", "9619001100", "125", 1, "1.3", "1.5",
     "109", "0.13", 0, 0, C::kDiapers, 40, "116"},
    {"GOON-TS-M64", "大王（GOO.N）天使系列婴儿纸尿裤 M码64片", "",
     "品牌:大王|规格:M码64片/包|材质:无纺布、高分子吸水树脂", "9619001100", "125", 1, "1.2", "1.4",
     "119", "0.13", 0, 0, C::kDiapers, 25, "116"},
    {"EL-ANR-50", "雅诗兰黛（Estee Lauder）特润修护肌活精华露 50毫升", "",
     "品牌:雅诗兰黛|规格:50ml/瓶|功效:修护保湿", "3304990039", "142", 1, "0.06", "0.2", "680",
     "0.13", 50, 0, C::kSkincare, 40, "502"},
    {"LC-GEN-50", "兰蔻（Lancome）小黑瓶精华肌底液 50毫升", "", "品牌:兰蔻|规格:50ml/瓶|功效:修护",
     "3304990039", "142", 1, "0.06", "0.2", "760", "0.13", 50, 0, C::kSkincare, 35, "305"},
    {"SSD-UTM-50", "资生堂（Shiseido）红妍肌活精华露 50毫升", "",
     "品牌:资生堂|规格:50ml/瓶|功效:修护保湿", "3304990039", "142", 1, "0.06", "0.2", "590", "0.13",
     50, 0, C::kSkincare, 30, "116"},
    {"SK2-FTE-230", "SK-II 护肤精华露 230毫升", "", "品牌:SK-II|规格:230ml/瓶|功效:保湿提亮",
     "3304990039", "142", 1, "0.25", "0.5", "1290", "0.13", 230, 0, C::kSkincare, 30, "116"},
    {"LM-CDLM-60", "海蓝之谜（La Mer）精华面霜 60毫升", "",
     "品牌:海蓝之谜|规格:60ml/瓶|功效:修护保湿", "3304990029", "142", 1, "0.07", "0.35", "2690",
     "0.13", 60, 0, C::kSkincare, 10, "502"},
    {"KHL-UFC-125", "科颜氏（Kiehl's）高保湿面霜 125毫升", "",
     "品牌:科颜氏|规格:125ml/瓶|功效:保湿", "3304990039", "142", 1, "0.14", "0.3", "345", "0.13",
     125, 0, C::kSkincare, 25, "502"},
    {"SWS-FCS-90", "雪花秀（Sulwhasoo）润燥养肤精华 90毫升", "",
     "品牌:雪花秀|规格:90ml/瓶|功效:保湿", "3304990039", "142", 1, "0.1", "0.3", "850", "0.13", 90,
     0, C::kSkincare, 15, "133"},
    {"INF-GTS-80", "悦诗风吟（innisfree）绿茶籽精华 80毫升", "",
     "品牌:悦诗风吟|规格:80ml/瓶|功效:补水", "3304990039", "142", 1, "0.09", "0.2", "185", "0.13",
     80, 0, C::kSkincare, 20, "133"},
    {"CLN-MSK-10", "可莱丝（Clinie）补水面膜 10片装", "", "品牌:可莱丝|规格:10片/盒|功效:补水",
     "3304990049", "140", 1, "0.28", "0.35", "99", "0.13", 0, 10, C::kSkincare, 30, "133"},
    {"CLR-DS-50", "娇韵诗（Clarins）双萃焕活修护精华露 50毫升", "",
     "品牌:娇韵诗|规格:50ml/瓶|功效:紧致", "3304990039", "142", 1, "0.06", "0.2", "780", "0.13", 50,
     0, C::kSkincare, 15, "305"},
    {"MAC-LIP-3", "魅可（MAC）子弹头口红 3克", "", "品牌:魅可|规格:3g/支|用途:唇部彩妆",
     "3304100091", "012", 1, "0.003", "0.03", "170", "0.13", 3, 0, C::kMakeup, 20, "501"},
    {"GA-LSF-30", "阿玛尼（Giorgio Armani）权力粉底液 30毫升", "",
     "品牌:阿玛尼|规格:30ml/瓶|用途:面部彩妆", "3304990039", "142", 1, "0.035", "0.15", "560",
     "0.13", 30, 0, C::kMakeup, 15, "307"},
    {"DIOR-RB-35", "迪奥（Dior）烈艳蓝金唇膏 3.5克", "", "品牌:迪奥|规格:3.5g/支|用途:唇部彩妆",
     "3304100091", "012", 1, "0.0035", "0.04", "320", "0.13", 4, 0, C::kMakeup, 20, "305"},
    {"JM-EPF-100", "祖玛珑（Jo Malone）英国梨与小苍兰香水 100毫升", "",
     "品牌:祖玛珑|规格:100ml/瓶|香型:果香调", "3303000020", "142", 1, "0.1", "0.45", "1120", "0.13",
     100, 0, C::kPerfume, 10, "303"},
    {"TSB-SHP-490", "丝蓓绮（TSUBAKI）洗发水 490毫升", "", "品牌:丝蓓绮|规格:490ml/瓶|用途:洗发",
     "3305100090", "142", 1, "0.5", "0.6", "69", "0.13", 0, 0, C::kPersonalCare, 20, "116"},
    {"LION-TP-150", "狮王（LION）美白牙膏 150克", "", "品牌:狮王|规格:150g/支|用途:清洁牙齿",
     "3306101090", "012", 1, "0.15", "0.18", "35", "0.13", 0, 0, C::kPersonalCare, 20, "116"},
    {"SWS-FO-400", "Swisse 深海鱼油软胶囊 400粒", "", "品牌:Swisse|规格:400粒/瓶|成分:鱼油",
     "1504200091", "142", 1, "0.6", "0.75", "219", "0.13", 0, 0, C::kHealth, 35, "601"},
    {"BLK-VC-200", "澳佳宝（Blackmores）维生素C咀嚼片 200粒", "",
     "品牌:澳佳宝|规格:200粒/瓶|成分:维生素C", "2106909090", "142", 1, "0.3", "0.4", "139", "0.13",
     0, 0, C::kHealth, 25, "601"},
    {"GNC-Q10-60", "GNC 辅酶Q10软胶囊 60粒", "", "品牌:GNC|规格:60粒/瓶|成分:辅酶Q10", "2106909090",
     "142", 1, "0.08", "0.15", "299", "0.13", 0, 0, C::kHealth, 15, "502"},
    {"CMV-UMF10-500", "康维他（Comvita）麦卢卡蜂蜜 UMF10+ 500克", "",
     "品牌:康维他|规格:500g/瓶|成分:蜂蜜", "0409000000", "142", 1, "0.5", "0.8", "459", "0.09", 0,
     0, C::kHealth, 15, "609"},
    {"LSP-PRB-60", "Life-Space 益生菌胶囊 60粒", "", "品牌:Life-Space|规格:60粒/瓶|成分:益生菌",
     "2106909090", "142", 1, "0.05", "0.12", "189", "0.13", 0, 0, C::kHealth, 20, "601"},
    {"FNC-CLG-180", "芳珂（FANCL）胶原蛋白片 180粒", "", "品牌:芳珂|规格:180粒/袋|成分:胶原蛋白",
     "2106909090", "136", 1, "0.05", "0.08", "268", "0.13", 0, 0, C::kHealth, 15, "116"},
    {"LDT-EXC-5", "瑞士莲（Lindt）特醇排装黑巧克力 100克×5", "",
     "品牌:瑞士莲|规格:100g×5/盒|可可含量:70%", "1806320000", "140", 1, "0.5", "0.6", "89", "0.13",
     0, 0, C::kFood, 15, "331"},
    {"NSP-CAP-50", "奈斯派索（Nespresso）咖啡胶囊 50颗", "",
     "品牌:奈斯派索|规格:50颗/盒|种类:已焙炒咖啡", "0901210000", "140", 1, "0.28", "0.45", "198",
     "0.13", 0, 0, C::kFood, 10, "331"},
    {"COA-SHB-01", "蔻驰（COACH）女士真皮单肩包", "", "品牌:蔻驰|材质:牛皮革|款式:单肩包",
     "4202210090", "007", 1, "0.7", "1.1", "1890", "0.13", 0, 0, C::kBags, 10, "141"},
    {"MK-TOTE-01", "迈克高仕（Michael Kors）女士手提包", "",
     "品牌:迈克高仕|材质:牛皮革|款式:手提包", "4202210090", "007", 1, "0.8", "1.2", "1590", "0.13",
     0, 0, C::kBags, 10, "141"},
    {"LCP-LP-M", "珑骧（Longchamp）尼龙折叠手提包 中号", "", "品牌:珑骧|材质:尼龙|款式:手提包",
     "4202220000", "007", 1, "0.3", "0.5", "790", "0.13", 0, 0, C::kBags, 10, "305"},
    {"NK-AZ-42", "耐克（Nike）Air Zoom 跑步鞋", "", "品牌:耐克|鞋面材质:纺织材料|用途:跑步",
     "6404110000", "025", 1, "0.6", "1.0", "899", "0.13", 0, 0, C::kShoes, 15, "141"},
    {"AD-UB-42", "阿迪达斯（adidas）Ultraboost 跑步鞋", "",
     "品牌:阿迪达斯|鞋面材质:纺织材料|用途:跑步", "6404110000", "025", 1, "0.65", "1.05", "1099",
     "0.13", 0, 0, C::kShoes, 12, "141"},
    {"UGG-CLS-38", "UGG 经典短靴", "", "品牌:UGG|鞋面材质:羊皮革|款式:过踝短靴", "6403919190",
     "025", 1, "0.9", "1.4", "1399", "0.13", 0, 0, C::kShoes, 8, "141"},
    {"APL-APP2", "苹果（Apple）AirPods Pro 无线耳机", "", "品牌:苹果|型号:A2698|连接方式:蓝牙",
     "8517629400", "007", 1, "0.06", "0.25", "1799", "0.13", 0, 0, C::kElectronics, 10, "141"},
    {"SNY-WH1000", "索尼（SONY）WH-1000XM5 头戴式降噪耳机", "",
     "品牌:索尼|型号:WH-1000XM5|类型:头戴式", "8518300000", "007", 1, "0.25", "0.9", "2299", "0.13",
     0, 0, C::kElectronics, 8, "122"},
    {"PHL-HX9911", "飞利浦（Philips）钻石亮白电动牙刷", "", "品牌:飞利浦|型号:HX9911|电压:100-240V",
     "8509809010", "001", 1, "0.3", "0.8", "899", "0.13", 0, 0, C::kElectronics, 10, "309"},
    {"DYS-HD15", "戴森（Dyson）Supersonic 吹风机 HD15", "", "品牌:戴森|型号:HD15|功率:1600W",
     "8516310000", "007", 1, "0.7", "1.9", "2999", "0.13", 0, 0, C::kElectronics, 8, "122"},
    {"BRN-S9-9465", "博朗（Braun）9系电动剃须刀", "", "品牌:博朗|型号:9465cc|刀头:往复式",
     "8510100000", "007", 1, "0.35", "1.1", "2199", "0.13", 0, 0, C::kElectronics, 6, "304"},
    {"CSO-GSK-5600", "卡西欧（CASIO）G-SHOCK 运动手表", "",
     "品牌:卡西欧|型号:DW-5600|显示方式:数字", "9102120000", "008", 1, "0.06", "0.2", "899", "0.13",
     0, 0, C::kWatches, 8, "116"},
    {"TST-PRC-T006", "天梭（TISSOT）力洛克自动机械表", "", "品牌:天梭|型号:T006.407|机芯:自动上弦",
     "9102210090", "008", 1, "0.1", "0.4", "4200", "0.13", 0, 0, C::kWatches, 4, "331"},
    {"RB-AVI-3025", "雷朋（Ray-Ban）飞行员系列太阳镜", "", "品牌:雷朋|型号:RB3025|镜片:玻璃",
     "9004100000", "019", 1, "0.03", "0.15", "1190", "0.13", 0, 0, C::kEyewear, 6, "307"},
    {"LEGO-42115", "乐高（LEGO）机械组拼装积木玩具", "", "品牌:乐高|型号:42115|适用年龄:18岁以上",
     "9503008900", "006", 1, "2.6", "3.4", "2999", "0.13", 0, 0, C::kToys, 4, "302"},
};

// Import articles over the single limit as one piece: faults only.
constexpr Row kLuxury[] = {
    {"LV-NVF-MM", "路易威登（Louis Vuitton）Neverfull 中号手提包", "",
     "品牌:路易威登|材质:涂层帆布配牛皮|款式:手提包", "4202220000", "007", 1, "0.6", "1.2", "15600",
     "0.13", 0, 0, C::kBags, 0, "305"},
    {"OMG-SMD-300", "欧米茄（OMEGA）海马系列自动机械表", "",
     "品牌:欧米茄|型号:210.30.42|机芯:自动上弦", "9102210090", "008", 1, "0.15", "0.6", "42000",
     "0.13", 0, 0, C::kWatches, 0, "331"},
    {"HMS-PCO-20", "爱马仕（Hermes）牛皮手提包", "", "品牌:爱马仕|材质:牛皮革|款式:手提包",
     "4202210090", "007", 1, "0.8", "1.5", "28800", "0.13", 0, 0, C::kBags, 0, "305"},
};

// Export: what Jiangsu sellers ship abroad (apparel, home textiles, shoes, bags, small
// electronics, tools, toys).
constexpr Row kExports[] = {
    {"TS-W-COT-01", "女式纯棉印花短袖T恤", "Women's Cotton Printed Short Sleeve T-Shirt",
     "针织|棉100%|女式|品牌:无", "6109100022", "011", 1, "0.18", "0.22", "45", "0.13", 0, 0,
     C::kApparel, 60, ""},
    {"HD-M-COT-02", "男式棉质套头连帽卫衣", "Men's Cotton Pullover Hoodie",
     "针织|棉80%涤纶20%|男式|品牌:无", "6110200090", "011", 1, "0.5", "0.58", "89", "0.13", 0, 0,
     C::kApparel, 40, ""},
    {"DR-W-POL-03", "女式雪纺印花连衣裙", "Women's Floral Chiffon Dress",
     "机织|涤纶100%|女式|品牌:无", "6204430090", "011", 1, "0.3", "0.36", "120", "0.13", 0, 0,
     C::kApparel, 35, ""},
    {"DR-W-KNT-04", "女式针织棉质连衣裙", "Women's Knit Cotton Dress",
     "针织|棉95%氨纶5%|女式|品牌:无", "6104420000", "011", 1, "0.32", "0.38", "99", "0.13", 0, 0,
     C::kApparel, 20, ""},
    {"DJ-M-DWN-05", "男式化纤羽绒大衣", "Men's Down Puffer Coat",
     "机织|面料涤纶100%|填充白鸭绒|男式", "6201131000", "011", 1, "1.1", "1.3", "399", "0.13", 0, 0,
     C::kApparel, 15, ""},
    {"WG-SYN-06", "合成纤维长卷发整头假发", "Synthetic Long Curly Full Wig",
     "合成纤维|整头|长卷发|品牌:无", "6704110000", "007", 1, "0.25", "0.35", "89", "0.13", 0, 0,
     C::kApparel, 20, ""},
    {"SH-RUN-TX-07", "纺织鞋面跑步鞋", "Breathable Mesh Running Shoes",
     "鞋面纺织材料|橡胶外底|运动鞋|品牌:无", "6404110000", "025", 1, "0.7", "0.9", "159", "0.13", 0,
     0, C::kShoes, 30, ""},
    {"SH-M-LTH-08", "男士真皮休闲鞋", "Men's Leather Casual Shoes",
     "鞋面牛皮革|橡胶外底|休闲鞋|品牌:无", "6403990090", "025", 1, "0.9", "1.1", "269", "0.13", 0,
     0, C::kShoes, 15, ""},
    {"SH-EVA-SLP-09", "EVA沙滩拖鞋", "EVA Beach Slippers", "鞋面塑料|塑料外底|拖鞋|品牌:无",
     "6402992900", "025", 1, "0.25", "0.3", "29", "0.13", 0, 0, C::kShoes, 20, ""},
    {"BG-PU-SHD-10", "女士单肩包（纺织面）", "Women's Canvas Shoulder Bag",
     "面料涤纶|单肩包|品牌:无", "4202220000", "007", 1, "0.5", "0.6", "99", "0.13", 0, 0, C::kBags,
     25, ""},
    {"BG-LTH-WLT-11", "真皮男士钱包", "Men's Genuine Leather Wallet", "牛皮革|钱包|品牌:无",
     "4202310090", "007", 1, "0.15", "0.2", "79", "0.13", 0, 0, C::kBags, 20, ""},
    {"EL-TWS-12", "蓝牙无线耳机", "True Wireless Bluetooth Earbuds", "蓝牙5.3|充电仓|品牌:无",
     "8517629400", "007", 1, "0.06", "0.15", "89", "0.13", 0, 0, C::kElectronics, 35, ""},
    {"EL-WRD-13", "入耳式有线耳机", "In-Ear Wired Earphones", "3.5mm接口|入耳式|品牌:无",
     "8518300000", "007", 1, "0.03", "0.06", "25", "0.13", 0, 0, C::kElectronics, 15, ""},
    {"EL-PB-10K-14", "10000毫安移动电源", "10000mAh Portable Power Bank", "锂离子|10000mAh|品牌:无",
     "8507600090", "007", 1, "0.22", "0.3", "69", "0.13", 0, 0, C::kElectronics, 25, ""},
    {"EL-HD-15", "负离子电吹风机", "Ionic Hair Dryer 1800W", "1800W|负离子|品牌:无", "8516310000",
     "007", 1, "0.6", "0.85", "129", "0.13", 0, 0, C::kElectronics, 15, ""},
    {"EL-TAB-10-16", "10.1英寸平板电脑", "10.1 inch Android Tablet", "10.1英寸|4GB+64GB|品牌:无",
     "8471301000", "001", 1, "0.5", "0.8", "699", "0.13", 0, 0, C::kElectronics, 10, ""},
    {"HM-BED-4P-17", "纯棉四件套床上用品", "Cotton 4-Piece Bedding Set",
     "棉100%|被套床单枕套|品牌:无", "6302319900", "006", 4, "2.2", "2.6", "199", "0.13", 0, 0,
     C::kHome, 20, ""},
    {"HM-TWL-18", "纯棉浴巾", "Cotton Bath Towel", "棉100%|毛巾布|品牌:无", "6302601090", "015", 1,
     "0.45", "0.5", "39", "0.13", 0, 0, C::kHome, 15, ""},
    {"HM-CUT-19", "不锈钢餐具套装", "Stainless Steel Cutlery Set", "不锈钢|24件套|品牌:无",
     "8215200000", "006", 1, "1.2", "1.5", "79", "0.13", 0, 0, C::kHome, 12, ""},
    {"HM-PCL-20", "骨瓷餐具套装", "Bone China Dinnerware Set", "骨瓷|16件套|品牌:无", "6911101100",
     "006", 1, "3.0", "3.8", "199", "0.13", 0, 0, C::kHome, 8, ""},
    {"HM-GLS-21", "玻璃水杯", "Glass Water Tumbler", "钠钙玻璃|400ml|品牌:无", "7013370000", "007",
     1, "0.3", "0.4", "19", "0.13", 0, 0, C::kHome, 10, ""},
    {"TY-BLK-22", "智力拼装积木玩具", "Building Blocks Puzzle Toy Set",
     "塑料|拼装积木|适用年龄:6岁以上", "9503006000", "006", 1, "0.6", "0.8", "59", "0.13", 0, 0,
     C::kToys, 20, ""},
    {"TY-PLS-23", "毛绒动物玩偶", "Plush Animal Toy", "聚酯纤维|毛绒玩具|品牌:无", "9503002100",
     "007", 1, "0.3", "0.4", "35", "0.13", 0, 0, C::kToys, 15, ""},
    {"TL-DRL-24", "手提式锂电电钻", "Cordless Electric Drill", "锂电|20V|品牌:无", "8467210000",
     "001", 1, "1.4", "1.9", "159", "0.13", 0, 0, C::kTools, 10, ""},
    {"TL-LED-25", "LED强光手电筒", "LED Tactical Flashlight", "铝合金|可充电|品牌:无", "8513109000",
     "007", 1, "0.2", "0.28", "29", "0.13", 0, 0, C::kTools, 12, ""},
    {"AC-PHC-26", "塑料手机保护壳", "Plastic Phone Case", "TPU|手机壳|品牌:无", "3926909090", "007",
     1, "0.03", "0.05", "10", "0.13", 0, 0, C::kElectronics, 25, ""},
    {"AC-SGL-27", "时尚太阳镜", "Fashion Polarized Sunglasses", "塑料镜框|偏光镜片|品牌:无",
     "9004100000", "019", 1, "0.03", "0.08", "39", "0.13", 0, 0, C::kEyewear, 15, ""},
};

std::string Ean13(std::string_view prefix, uint64_t h) {
  std::string d(prefix);
  while (d.size() < 12) {
    d.push_back(static_cast<char>('0' + h % 10));
    h /= 10;
  }
  int sum = 0;
  for (int i = 0; i < 12; ++i) sum += (d[i] - '0') * (i % 2 ? 3 : 1);
  d.push_back(static_cast<char>('0' + (10 - sum % 10) % 10));
  return d;
}

// GS1 prefixes of the countries the catalogue names (China for the export articles).
std::string_view Gs1Prefix(std::string_view country) {
  if (country == "116") return "49";
  if (country == "133") return "880";
  if (country == "305") return "30";
  if (country == "304") return "40";
  if (country == "502" || country == "501") return "0";
  if (country == "601") return "93";
  if (country == "609") return "94";
  if (country == "303") return "50";
  if (country == "307") return "80";
  if (country == "331") return "76";
  if (country == "309") return "87";
  if (country == "302") return "57";
  if (country == "306") return "539";
  if (country == "141") return "893";
  if (country == "122") return "955";
  return "69";
}

StatusOr<Decimal> Dec(const char* text) {
  StatusOr<Decimal> d = Decimal::Parse(text);
  if (!d.ok()) return Internal(std::string("catalogue number: ") + d.status().message());
  return d;
}

template <size_t N>
Status Resolve(const Row (&rows)[N], const CodeTables& tables, std::vector<Goods>& out) {
  for (const Row& r : rows) {
    Goods g;
    g.item_no = r.item_no;
    g.name = r.name;
    g.english = r.english;
    g.gmodel = r.gmodel;
    g.hs = r.hs;
    const HsCode* hs = tables.FindHs(r.hs);
    if (hs == nullptr) return Internal(std::string("catalogue HS code not in the tariff: ") + r.hs);
    g.unit1 = hs->unit1;
    g.unit2 = hs->unit2;
    g.unit = r.unit;
    for (const std::string* u : {&g.unit, &g.unit1, &g.unit2}) {
      if (!u->empty() && !tables.Contains(CodeTable::kUnit, *u)) {
        return Internal("catalogue unit unknown: " + *u);
      }
    }
    g.legal_per_unit = r.legal_per_unit;
    ASSIGN_OR_RETURN(g.net_kg, Dec(r.net_kg));
    ASSIGN_OR_RETURN(g.gross_kg, Dec(r.gross_kg));
    ASSIGN_OR_RETURN(g.price, Dec(r.price));
    ASSIGN_OR_RETURN(g.vat, Dec(r.vat));
    g.content = r.content;
    g.pieces = r.pieces;
    g.watch = r.category == Category::kWatches;
    g.category = r.category;
    g.weight = r.weight;
    std::string_view o = r.origins;
    while (!o.empty()) {
      size_t comma = o.find(',');
      std::string code(o.substr(0, comma));
      if (!tables.Contains(CodeTable::kCountry, code)) {
        return Internal("catalogue country unknown: " + code);
      }
      g.origins.push_back(code);
      o = comma == std::string_view::npos ? std::string_view() : o.substr(comma + 1);
    }
    std::string_view first = g.origins.empty() ? std::string_view("142") : g.origins[0];
    g.bar_code = Ean13(Gs1Prefix(first), Mix(0xBA5C0DE, HashString(r.item_no)));
    out.push_back(std::move(g));
  }
  return Status::Ok();
}

}  // namespace

StatusOr<Catalog> Catalog::Load(const CodeTables& tables) {
  Catalog c;
  RETURN_IF_ERROR(Resolve(kImports, tables, c.imports_));
  RETURN_IF_ERROR(Resolve(kLuxury, tables, c.luxury_));
  RETURN_IF_ERROR(Resolve(kExports, tables, c.exports_));
  return c;
}

Decimal Catalog::LegalQty(const Goods& g, const std::string& legal_unit, int64_t qty) {
  if (legal_unit == "035") return g.net_kg.Mul(Decimal::FromInt(qty));
  if (legal_unit == "036") return g.net_kg.Mul(Decimal::FromInt(qty * 1000));
  return Decimal::FromInt(qty * g.legal_per_unit);
}

Decimal Catalog::ConsumptionRate(const Goods& g, Decimal price) {
  if (g.content > 0 && price >= Decimal::FromInt(int64_t{10} * g.content))
    return Decimal::FromUnits(15000);
  if (g.pieces > 0 && price >= Decimal::FromInt(int64_t{15} * g.pieces))
    return Decimal::FromUnits(15000);
  if (g.watch && price >= Decimal::FromInt(10000)) return Decimal::FromUnits(20000);
  return Decimal();
}

}  // namespace shumao::gen

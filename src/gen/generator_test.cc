#include "gen/generator.h"

#include <gtest/gtest.h>
#include <libxml/parser.h>
#include <libxml/xmlschemas.h>
#include <rapidjson/document.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <pugixml.hpp>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "common/decimal.h"
#include "common/strings.h"
#include "common/time.h"
#include "gen/identity.h"

namespace shumao::gen {
namespace {

namespace fs = std::filesystem;

std::string ReadAll(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// A fresh directory for one test run.
fs::path TempDir(const std::string& name) {
  fs::path dir =
      fs::temp_directory_path() / ("shumao_gen_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  return dir;
}

GenSummary GenerateInto(const fs::path& dir, uint64_t seed, int64_t imports, int64_t exports,
                        double faults, std::string from = "2026-01-01",
                        std::string to = "2026-01-31") {
  GenOptions o;
  o.seed = seed;
  o.import_parcels = imports;
  o.export_parcels = exports;
  o.faults = faults;
  o.from = std::move(from);
  o.to = std::move(to);
  o.out_dir = dir.string();
  StatusOr<GenSummary> s = Generate(o);
  EXPECT_TRUE(s.ok()) << s.status().ToString();
  return s.ok() ? *s : GenSummary();
}

// The XML files of a run, in name order.
std::vector<std::string> XmlFiles(const fs::path& dir) {
  std::vector<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) {
    std::string n = e.path().filename().string();
    if (n.ends_with(".xml")) names.push_back(n);
  }
  std::sort(names.begin(), names.end());
  return names;
}

std::string TypeOf(const std::string& name) { return name.substr(26, 6); }  // "CEB311"

Decimal Dec(const pugi::xml_node& n, const char* child) {
  StatusOr<Decimal> d = Decimal::Parse(n.child(child).text().as_string());
  EXPECT_TRUE(d.ok()) << child << "=" << n.child(child).text().as_string();
  return d.ok() ? *d : Decimal();
}

std::string Text(const pugi::xml_node& n, const char* child) {
  return n.child(child).text().as_string();
}

struct Label {
  std::string fault, direction, order_no, cop_no, logistics_no, detail;
  std::vector<std::string> files;
};

// Reads labels.ndjson with a small parser for the flat objects the generator writes.
std::vector<Label> ReadLabels(const fs::path& dir) {
  std::vector<Label> out;
  std::ifstream in(dir / "labels.ndjson");
  std::string line;
  auto field = [](const std::string& l, const std::string& key) {
    size_t p = l.find("\"" + key + "\":\"");
    if (p == std::string::npos) return std::string();
    p += key.size() + 4;
    std::string v;
    for (; p < l.size() && l[p] != '"'; ++p) {
      if (l[p] == '\\') ++p;
      v.push_back(l[p]);
    }
    return v;
  };
  while (std::getline(in, line)) {
    Label l;
    l.fault = field(line, "fault");
    l.direction = field(line, "direction");
    l.order_no = field(line, "orderNo");
    l.cop_no = field(line, "copNo");
    l.logistics_no = field(line, "logisticsNo");
    l.detail = field(line, "detail");
    size_t a = line.find("\"files\":[") + 9, b = line.find(']', a);
    std::string files = line.substr(a, b - a);
    for (size_t p = files.find('"'); p != std::string::npos;) {
      size_t q = files.find('"', p + 1);
      l.files.push_back(files.substr(p + 1, q - p - 1));
      p = files.find('"', q + 1);
    }
    out.push_back(l);
  }
  return out;
}

TEST(Generate, SameSeedSameBytesOtherSeedOtherBytes) {
  fs::path a = TempDir("det_a"), b = TempDir("det_b"), c = TempDir("det_c");
  GenerateInto(a, 7, 80, 60, 0.2);
  GenerateInto(b, 7, 80, 60, 0.2);
  GenerateInto(c, 8, 80, 60, 0.2);
  std::vector<std::string> na = XmlFiles(a), nb = XmlFiles(b);
  ASSERT_EQ(na, nb);
  ASSERT_GT(na.size(), 400u);
  for (const std::string& n : na) ASSERT_EQ(ReadAll(a / n), ReadAll(b / n)) << n;
  for (const char* f : {"parties.json", "labels.ndjson", "manifest.json", "stock.json"}) {
    EXPECT_EQ(ReadAll(a / f), ReadAll(b / f)) << f;
  }
  EXPECT_NE(ReadAll(a / "parties.json"), ReadAll(c / "parties.json"));
  EXPECT_NE(XmlFiles(c), na);
  for (const fs::path& d : {a, b, c}) fs::remove_all(d);
}

TEST(Generate, CountsFollowTheOptions) {
  fs::path dir = TempDir("counts");
  GenSummary s = GenerateInto(dir, 3, 30, 20, 0.0);
  std::map<std::string, int64_t> by_type;
  std::vector<std::string> names = XmlFiles(dir);
  for (const std::string& n : names) ++by_type[TypeOf(n)];
  EXPECT_EQ(by_type["CEB311"], 30);
  EXPECT_EQ(by_type["CEB411"], 30);
  EXPECT_EQ(by_type["CEB511"], 30);
  EXPECT_EQ(by_type["CEB621"], 30);
  EXPECT_LE(by_type["CEB513"], 30);
  EXPECT_EQ(by_type["CEB303"], 20);
  EXPECT_EQ(by_type["CEB403"], 20);
  EXPECT_EQ(by_type["CEB505"], 20);
  EXPECT_EQ(by_type["CEB603"], 20);
  EXPECT_GE(by_type["CEB507"], 1);
  EXPECT_GE(by_type["CEB509"], 1);
  EXPECT_EQ(s.files, static_cast<int64_t>(names.size()));
  EXPECT_EQ(s.messages, s.files);  // no duplicates without faults
  EXPECT_EQ(s.import_parcels, 30);
  EXPECT_EQ(s.export_parcels, 20);
  EXPECT_EQ(s.faults, 0);
  EXPECT_EQ(s.files_by_type, by_type);
  EXPECT_EQ(ReadAll(dir / "labels.ndjson"), "");
  EXPECT_NE(ReadAll(dir / "manifest.json").find("\"files\":" + std::to_string(s.files)),
            std::string::npos);

  // Only imports, then nothing at all; a rerun replaces the earlier files.
  GenSummary only = GenerateInto(dir, 3, 5, 0, 0.0);
  EXPECT_EQ(static_cast<int64_t>(XmlFiles(dir).size()), only.files);
  for (const std::string& n : XmlFiles(dir)) EXPECT_NE(TypeOf(n), "CEB303");
  GenSummary none = GenerateInto(dir, 3, 0, 0, 0.0);
  EXPECT_EQ(none.files, 0);
  EXPECT_TRUE(XmlFiles(dir).empty());
  fs::remove_all(dir);
}

TEST(Generate, RejectsBadOptions) {
  GenOptions o;
  o.out_dir = TempDir("bad").string();
  o.import_parcels = -1;
  EXPECT_EQ(Generate(o).status().code(), Code::kInvalidArgument);
  o.import_parcels = 1;
  o.faults = 1.5;
  EXPECT_EQ(Generate(o).status().code(), Code::kInvalidArgument);
  o.faults = 0;
  o.from = "2026-02-30";
  EXPECT_EQ(Generate(o).status().code(), Code::kInvalidArgument);
  o.from = "2026-03-01";
  o.to = "2026-02-01";
  EXPECT_EQ(Generate(o).status().code(), Code::kInvalidArgument);
  o.to = "2026-03-01";
  o.out_dir.clear();
  EXPECT_EQ(Generate(o).status().code(), Code::kInvalidArgument);

  // An open end is 30 days from the other one.
  fs::path dir = TempDir("open_range");
  o.out_dir = dir.string();
  o.from = "2026-06-01";
  o.to.clear();
  ASSERT_TRUE(Generate(o).ok());
  EXPECT_NE(ReadAll(dir / "manifest.json").find("\"to\":\"2026-07-01\""), std::string::npos);
  o.from.clear();
  o.to.clear();
  ASSERT_TRUE(Generate(o).ok());
  EXPECT_NE(ReadAll(dir / "manifest.json").find("\"from\":\"2026-01-01\",\"to\":\"2026-01-31\""),
            std::string::npos);
  fs::remove_all(dir);
}

TEST(Generate, NameOrderIsASendingOrder) {
  fs::path dir = TempDir("order");
  GenerateInto(dir, 11, 120, 80, 0.1);
  std::vector<std::string> names = XmlFiles(dir);
  // Sequence numbers run 1..N in name order; the times in the names never go back.
  std::map<std::string, size_t> pos_of_key;  // business key -> first position
  for (size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(std::stoul(names[i].substr(0, 9)), i + 1);
    if (i > 0) {
      EXPECT_LE(names[i - 1].substr(10, 15), names[i].substr(10, 15)) << names[i];
    }
    std::string key = names[i].substr(33, names[i].size() - 37);
    pos_of_key.emplace(TypeOf(names[i]) + ":" + key, i);
  }
  int checked = 0;
  for (size_t i = 0; i < names.size(); ++i) {
    std::string type = TypeOf(names[i]);
    if (type != "CEB621" && type != "CEB603") continue;
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file((dir / names[i]).c_str()));
    pugi::xml_node head = doc.first_child().child("ceb:Inventory").child("ceb:InventoryHead");
    std::string order = Text(head, "ceb:orderNo"), waybill = Text(head, "ceb:logisticsNo");
    std::string order_key = (type == "CEB621" ? "CEB311:" : "CEB303:") + order;
    std::string waybill_key = (type == "CEB621" ? "CEB511:" : "CEB505:") + waybill;
    ASSERT_TRUE(pos_of_key.count(order_key)) << order;
    EXPECT_LT(pos_of_key[order_key], i);
    if (pos_of_key.count(waybill_key)) {
      EXPECT_LT(pos_of_key[waybill_key], i);
    }
    ++checked;
  }
  EXPECT_GE(checked, 200);
  fs::remove_all(dir);
}

TEST(Generate, PartiesDependOnTheSeedOnly) {
  fs::path a = TempDir("parties_a"), b = TempDir("parties_b");
  GenerateInto(a, 5, 10, 10, 0.0);
  GenerateInto(b, 5, 300, 0, 0.5);
  std::string pa = ReadAll(a / "parties.json");
  EXPECT_EQ(pa, ReadAll(b / "parties.json"));
  std::map<std::string, int> roles;
  std::set<std::string> codes;
  size_t pos = 0;
  while ((pos = pa.find("{\"code\":\"", pos)) != std::string::npos) {
    pos += 9;
    std::string code = pa.substr(pos, pa.find('"', pos) - pos);
    EXPECT_TRUE(code.size() == 10 || code.size() == 18) << code;
    EXPECT_TRUE(codes.insert(code).second) << code;
    size_t r = pa.find("\"roles\":[", pos) + 9;
    std::string list = pa.substr(r, pa.find(']', r) - r);
    for (const char* role :
         {"ebp", "ebc", "agent", "logistics", "payment", "warehouse", "operator"}) {
      if (list.find(std::string("\"") + role + "\"") != std::string::npos) ++roles[role];
    }
  }
  EXPECT_EQ(roles["operator"], 1);
  EXPECT_GE(roles["ebp"], 2);
  EXPECT_GE(roles["ebc"], 4);
  EXPECT_GE(roles["agent"], 2);
  EXPECT_GE(roles["logistics"], 2);
  EXPECT_GE(roles["payment"], 2);
  EXPECT_EQ(roles["warehouse"], 1);
  // Unregistered sellers named by faults are not in the set.
  for (const Label& l : ReadLabels(b)) {
    if (l.fault != "unregistered_ebc") continue;
    std::string code = l.detail.substr(8, l.detail.find(' ', 8) - 8);
    EXPECT_EQ(codes.count(code), 0u) << code;
  }
  fs::remove_all(a);
  fs::remove_all(b);
}

TEST(Generate, FaultsAreExactAndEveryTypeAppears) {
  fs::path dir = TempDir("faults");
  GenSummary s = GenerateInto(dir, 42, 500, 500, 0.1);
  std::vector<Label> labels = ReadLabels(dir);
  EXPECT_EQ(labels.size(), 100u);
  EXPECT_EQ(s.faults, 100);
  std::map<std::string, int> import_types, export_types;
  int imports = 0;
  for (const Label& l : labels) {
    (l.direction == "import" ? import_types : export_types)[l.fault]++;
    imports += l.direction == "import";
    EXPECT_FALSE(l.files.empty()) << l.fault;
    EXPECT_FALSE(l.detail.empty()) << l.fault;
    EXPECT_FALSE(l.order_no.empty());
    for (const std::string& f : l.files) EXPECT_TRUE(fs::exists(dir / f)) << f;
  }
  EXPECT_EQ(imports, 50);
  for (const char* f : {"payment_amount_mismatch", "consignee_mismatch", "over_single_limit",
                        "over_annual_limit", "missing_payment", "missing_waybill",
                        "buyer_payer_mismatch", "unregistered_ebc", "duplicate_message",
                        "split_order", "identity_misuse", "undervaluation", "name_hs_mismatch"}) {
    EXPECT_GE(import_types[f], 1) << f;
  }
  for (const char* f : {"b2b_over_5000", "missing_payment", "missing_waybill", "unregistered_ebc",
                        "duplicate_message", "name_hs_mismatch", "missing_departure"}) {
    EXPECT_GE(export_types[f], 1) << f;
  }
  EXPECT_GE(import_types["split_order"], 2);
  EXPECT_GE(import_types["identity_misuse"], 4);
  int64_t by_type = 0;
  for (const auto& [k, v] : s.faults_by_type) by_type += v;
  EXPECT_EQ(by_type, 100);

  // A duplicate is the same bytes under two names; missing documents are missing.
  for (const Label& l : labels) {
    std::map<std::string, std::vector<std::string>> of_type;
    for (const std::string& f : l.files) of_type[TypeOf(f)].push_back(f);
    if (l.fault == "duplicate_message") {
      bool twice = false;
      for (const auto& [type, files] : of_type) {
        if (files.size() == 2) {
          twice = true;
          EXPECT_EQ(ReadAll(dir / files[0]), ReadAll(dir / files[1]));
        }
      }
      EXPECT_TRUE(twice) << l.order_no;
    }
    if (l.fault == "missing_payment") {
      EXPECT_EQ(of_type.count(l.direction == "import" ? "CEB411" : "CEB403"), 0u);
    }
    if (l.fault == "missing_waybill") {
      EXPECT_EQ(of_type.count(l.direction == "import" ? "CEB511" : "CEB505"), 0u);
    }
    if (l.fault == "missing_departure") {
      EXPECT_EQ(of_type.count("CEB509"), 0u);
      EXPECT_EQ(of_type.count("CEB507"), 1u);
    }
  }
  // A fraction of one: every parcel carries a fault.
  fs::path all = TempDir("faults_all");
  GenSummary every = GenerateInto(all, 42, 40, 30, 1.0);
  EXPECT_EQ(every.faults, 70);
  fs::remove_all(all);
  fs::remove_all(dir);
}

// What the bonded lists of a run draw on one article of the zone warehouse.
struct BondedUse {
  int64_t qty = 0;
  std::set<std::string> ems_no, item_no, gcode, unit;
  std::string first_list = "99999999999999";  // appTime of its first list
};

TEST(Generate, StockCoversEveryBondedList) {
  fs::path dir = TempDir("stock");
  GenerateInto(dir, 17, 300, 40, 0.1);
  std::map<std::pair<std::string, std::string>, BondedUse> bonded;  // (areaCode, itemRecordNo)
  std::set<std::string> bonded_items, direct_items, lists_seen;
  int direct_lists = 0;
  for (const std::string& n : XmlFiles(dir)) {
    if (TypeOf(n) != "CEB621") continue;
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file((dir / n).c_str()));
    pugi::xml_node inv = doc.first_child().child("ceb:Inventory");
    pugi::xml_node head = inv.child("ceb:InventoryHead");
    // A duplicate_message list is the same list sent twice: its goods leave once.
    if (!lists_seen.insert(Text(head, "ceb:copNo")).second) continue;
    std::string mode = Text(head, "ceb:tradeMode");
    if (mode == "9610") ++direct_lists;
    for (pugi::xml_node l : inv.children("ceb:InventoryList")) {
      if (mode == "9610") {
        EXPECT_TRUE(head.child("ceb:areaCode").empty());
        EXPECT_TRUE(l.child("ceb:itemRecordNo").empty());
        direct_items.insert(Text(l, "ceb:itemNo"));
        continue;
      }
      ASSERT_EQ(mode, "1210") << n;
      BondedUse& u = bonded[{Text(head, "ceb:areaCode"), Text(l, "ceb:itemRecordNo")}];
      u.qty += std::stoll(Text(l, "ceb:qty"));
      u.ems_no.insert(Text(head, "ceb:emsNo"));
      u.item_no.insert(Text(l, "ceb:itemNo"));
      u.gcode.insert(Text(l, "ceb:gcode"));
      u.unit.insert(Text(l, "ceb:unit"));
      u.first_list = std::min(u.first_list, Text(head, "ceb:appTime"));
      bonded_items.insert(Text(l, "ceb:itemNo"));
    }
  }
  ASSERT_GE(bonded.size(), 10u);
  ASSERT_GE(direct_lists, 30);

  rapidjson::Document d;
  d.Parse(ReadAll(dir / "stock.json").c_str());
  ASSERT_FALSE(d.HasParseError());
  ASSERT_TRUE(d.IsObject() && d.HasMember("records") && d["records"].IsArray());
  std::map<std::pair<std::string, std::string>, int64_t> stocked;
  std::set<std::string> entry_nos;
  std::pair<std::string, std::string> previous;
  for (const rapidjson::Value& r : d["records"].GetArray()) {
    for (const char* f : {"warehouse", "emsNo", "itemRecordNo", "itemNo", "gcode", "gname", "qty",
                          "unit", "entryNo", "time"}) {
      ASSERT_TRUE(r.HasMember(f) && r[f].IsString()) << f;
    }
    std::pair<std::string, std::string> key{r["warehouse"].GetString(),
                                            r["itemRecordNo"].GetString()};
    EXPECT_LT(previous, key);  // sorted, one record per article
    previous = key;
    // (c) and (d): only what bonded lists name is stocked; direct lists add nothing.
    ASSERT_TRUE(bonded.count(key)) << key.second;
    const BondedUse& u = bonded[key];
    StatusOr<Decimal> qty = Decimal::Parse(r["qty"].GetString());
    ASSERT_TRUE(qty.ok()) << r["qty"].GetString();
    stocked[key] = std::stoll(r["qty"].GetString());
    EXPECT_EQ(stocked[key], (u.qty * 12 + 9) / 10 + 5) << key.second;  // ceil(1.2 x) + 5
    // The record names the article as its lists do.
    EXPECT_EQ(u.ems_no, std::set<std::string>{r["emsNo"].GetString()});
    EXPECT_EQ(u.item_no, std::set<std::string>{r["itemNo"].GetString()});
    EXPECT_EQ(u.unit, std::set<std::string>{r["unit"].GetString()});
    EXPECT_TRUE(u.gcode.count(r["gcode"].GetString())) << key.second;
    EXPECT_EQ(std::string(r["gcode"].GetString()).size(), 10u);
    EXPECT_TRUE(bonded_items.count(r["itemNo"].GetString()));
    // In before the first list that draws on it.
    std::string time = r["time"].GetString();
    EXPECT_TRUE(ParseC14(time).ok()) << time;
    EXPECT_LT(time, u.first_list) << key.second;
    std::string entry = r["entryNo"].GetString();
    EXPECT_EQ(entry.size(), 18u);
    EXPECT_TRUE(IsDigits(entry)) << entry;
    EXPECT_EQ(entry.substr(4, 4), time.substr(0, 4));
    EXPECT_TRUE(entry_nos.insert(entry).second) << entry;
  }
  // (a) and (b): every bonded article of every list is stocked, at least as much as used.
  for (const auto& [key, u] : bonded) {
    ASSERT_TRUE(stocked.count(key)) << key.first << " " << key.second;
    EXPECT_GE(stocked[key], u.qty) << key.second;
  }
  EXPECT_EQ(stocked.size(), bonded.size());

  // Without bonded imports there is nothing to stock.
  GenerateInto(dir, 17, 0, 10, 0.0);
  d.Parse(ReadAll(dir / "stock.json").c_str());
  ASSERT_TRUE(d.IsObject() && d["records"].IsArray());
  EXPECT_EQ(d["records"].Size(), 0u);
  fs::remove_all(dir);
}

// The documents of one import parcel, read back.
struct ImportDocs {
  pugi::xml_document order, payment, waybill, list;
  bool has_payment = false, has_waybill = false, has_list = false;
};

TEST(Generate, MoneyAndCrossReferencesAreConsistent) {
  fs::path dir = TempDir("money");
  GenerateInto(dir, 99, 400, 200, 0.15, "2026-01-01", "2026-12-31");
  std::map<std::string, std::string> fault_of;  // orderNo -> fault
  std::map<std::string, Label> label_of;
  for (const Label& l : ReadLabels(dir)) {
    fault_of[l.order_no] = l.fault;
    label_of[l.order_no] = l;
  }
  std::map<std::string, ImportDocs> docs;  // by orderNo
  std::map<std::string, std::string> order_of_waybill, order_of_pay;
  std::vector<std::string> names = XmlFiles(dir);
  for (const std::string& n : names) {
    std::string type = TypeOf(n);
    pugi::xml_document doc;
    ASSERT_TRUE(doc.load_file((dir / n).c_str())) << n;
    pugi::xml_node root = doc.first_child();
    if (type == "CEB311") {
      std::string no = Text(root.child("ceb:Order").child("ceb:OrderHead"), "ceb:orderNo");
      docs[no].order.reset(doc);
    } else if (type == "CEB411") {
      std::string no = Text(root.child("ceb:Payment").child("ceb:PaymentHead"), "ceb:orderNo");
      docs[no].payment.reset(doc);
      docs[no].has_payment = true;
    } else if (type == "CEB511") {
      std::string no = Text(root.child("ceb:Logistics").child("ceb:LogisticsHead"), "ceb:orderNo");
      docs[no].waybill.reset(doc);
      docs[no].has_waybill = true;
    } else if (type == "CEB621") {
      std::string no = Text(root.child("ceb:Inventory").child("ceb:InventoryHead"), "ceb:orderNo");
      docs[no].list.reset(doc);
      docs[no].has_list = true;
    }
  }
  ASSERT_EQ(docs.size(), 400u);
  const Decimal kLimit = Decimal::FromInt(5000);
  std::map<std::string, Decimal> year_of_buyer;                         // clean parcels
  std::map<std::pair<std::string, std::string>, Decimal> day_of_buyer;  // (id, day)
  std::map<std::string, std::set<std::string>> consignees_of_id;
  std::map<std::string, std::vector<std::string>> split_groups;  // by detail
  int clean = 0;
  for (auto& [no, d] : docs) {
    std::string fault = fault_of.count(no) ? fault_of[no] : "";
    pugi::xml_node oh = d.order.first_child().child("ceb:Order").child("ceb:OrderHead");
    Decimal goods = Dec(oh, "ceb:goodsValue"), freight = Dec(oh, "ceb:freight");
    Decimal discount = Dec(oh, "ceb:discount"), tax = Dec(oh, "ceb:taxTotal");
    Decimal paid = Dec(oh, "ceb:acturalPaid");
    EXPECT_EQ(paid, goods + freight + tax - discount) << no;
    EXPECT_EQ(Text(oh, "ceb:currency"), "142");
    EXPECT_TRUE(ResidentIdValid(Text(oh, "ceb:buyerIdNumber"))) << Text(oh, "ceb:buyerIdNumber");
    EXPECT_EQ(Text(oh, "ceb:buyerTelephone").size(), 11u);
    Decimal sum;
    int gnum = 0;
    std::vector<std::string> item_names;
    for (pugi::xml_node l : d.order.first_child().child("ceb:Order").children("ceb:OrderList")) {
      EXPECT_EQ(l.child("ceb:gnum").text().as_int(), ++gnum);
      EXPECT_EQ(Dec(l, "ceb:price").Mul(Dec(l, "ceb:qty")), Dec(l, "ceb:totalPrice"));
      sum += Dec(l, "ceb:totalPrice");
      item_names.push_back(Text(l, "ceb:itemName"));
    }
    EXPECT_EQ(sum, goods) << no;
    Decimal transaction = goods + freight + tax;
    // Tax is roughly the retail comprehensive rate: 6.3% to 23.1% of goods + freight.
    Decimal base = goods + freight;
    if (fault != "name_hs_mismatch") {
      EXPECT_GE(tax, base.Mul(Decimal::FromUnits(6200))) << no;
      EXPECT_LE(tax, base.Mul(Decimal::FromUnits(23200))) << no;
    }

    if (d.has_payment) {
      pugi::xml_node ph = d.payment.first_child().child("ceb:Payment").child("ceb:PaymentHead");
      EXPECT_EQ(Text(ph, "ceb:payTransactionId"), Text(oh, "ceb:payTransactionId"));
      EXPECT_EQ(Text(ph, "ceb:ebpCode"), Text(oh, "ceb:ebpCode"));
      if (fault == "payment_amount_mismatch") {
        EXPECT_NE(Dec(ph, "ceb:amountPaid"), paid) << no;
      } else {
        EXPECT_EQ(Dec(ph, "ceb:amountPaid"), paid) << no;
      }
      if (fault == "buyer_payer_mismatch") {
        EXPECT_NE(Text(ph, "ceb:payerIdNumber"), Text(oh, "ceb:buyerIdNumber"));
      } else {
        EXPECT_EQ(Text(ph, "ceb:payerIdNumber"), Text(oh, "ceb:buyerIdNumber"));
        EXPECT_EQ(Text(ph, "ceb:payerName"), Text(oh, "ceb:buyerName"));
      }
      EXPECT_LT(Text(ph, "ceb:payTime"), Text(ph, "ceb:appTime").append("1"));
    } else {
      EXPECT_EQ(fault, "missing_payment") << no;
    }
    pugi::xml_node wh;
    if (d.has_waybill) {
      wh = d.waybill.first_child().child("ceb:Logistics").child("ceb:LogisticsHead");
      bool same = Text(wh, "ceb:consignee") == Text(oh, "ceb:consignee") &&
                  Text(wh, "ceb:consigneeTelephone") == Text(oh, "ceb:consigneeTelephone") &&
                  Text(wh, "ceb:consigneeAddress") == Text(oh, "ceb:consigneeAddress");
      EXPECT_EQ(same, fault != "consignee_mismatch") << no;
      EXPECT_EQ(Dec(wh, "ceb:freight"), freight);
    } else {
      EXPECT_EQ(fault, "missing_waybill") << no;
    }
    ASSERT_TRUE(d.has_list) << no;
    pugi::xml_node ih = d.list.first_child().child("ceb:Inventory").child("ceb:InventoryHead");
    EXPECT_EQ(Text(ih, "ceb:ebpCode"), Text(oh, "ceb:ebpCode"));
    EXPECT_EQ(Text(ih, "ceb:ebcCode"), Text(oh, "ceb:ebcCode"));
    EXPECT_EQ(Text(ih, "ceb:buyerIdNumber"), Text(oh, "ceb:buyerIdNumber"));
    EXPECT_EQ(Text(ih, "ceb:buyerName"), Text(oh, "ceb:buyerName"));
    EXPECT_EQ(Text(ih, "ceb:buyerTelephone"), Text(oh, "ceb:buyerTelephone"));
    EXPECT_EQ(Text(ih, "ceb:consigneeAddress"), Text(oh, "ceb:consigneeAddress"));
    EXPECT_EQ(Dec(ih, "ceb:freight"), freight);
    if (d.has_waybill) {
      EXPECT_EQ(Text(ih, "ceb:logisticsNo"), Text(wh, "ceb:logisticsNo"));
      EXPECT_EQ(Text(ih, "ceb:logisticsCode"), Text(wh, "ceb:logisticsCode"));
      EXPECT_EQ(Dec(ih, "ceb:grossWeight"), Dec(wh, "ceb:weight"));
    }
    std::string mode = Text(ih, "ceb:tradeMode");
    EXPECT_TRUE(mode == "1210" || mode == "9610") << mode;
    gnum = 0;
    for (pugi::xml_node l :
         d.list.first_child().child("ceb:Inventory").children("ceb:InventoryList")) {
      EXPECT_EQ(l.child("ceb:gnum").text().as_int(), gnum + 1);
      EXPECT_EQ(Text(l, "ceb:gname"), item_names[static_cast<size_t>(gnum)]);
      EXPECT_EQ(Text(l, "ceb:gcode").size(), 10u);
      ++gnum;
    }
    EXPECT_EQ(gnum, static_cast<int>(item_names.size()));

    std::string id = Text(oh, "ceb:buyerIdNumber");
    std::string day = Text(oh, "ceb:appTime").substr(0, 8);
    if (fault.empty()) {
      ++clean;
      EXPECT_LE(transaction, kLimit) << no;
      year_of_buyer[id] += transaction;
      day_of_buyer[{id, day}] += transaction;
      consignees_of_id[id].insert(Text(oh, "ceb:consigneeTelephone"));
    }
    if (fault == "over_single_limit") {  // over the limit however it is measured
      EXPECT_GT(goods + freight, kLimit) << no;
    }
    if (fault == "split_order") {
      EXPECT_LE(transaction, kLimit) << no;
      split_groups[label_of[no].detail].push_back(no);
      day_of_buyer[{id, day}] += Decimal();  // the group's day is checked below
    }
    if (fault == "undervaluation") {
      EXPECT_NE(label_of[no].detail.find("% of its usual price"), std::string::npos);
    }
  }
  EXPECT_GT(clean, 300);
  for (const auto& [id, total] : year_of_buyer) EXPECT_LE(total, Decimal::FromInt(26000)) << id;
  for (const auto& [key, total] : day_of_buyer)
    EXPECT_LE(total, kLimit) << key.first << " " << key.second;
  for (const auto& [id, phones] : consignees_of_id) EXPECT_LE(phones.size(), 2u) << id;
  // Each split group: one buyer, one day, together over the limit.
  EXPECT_FALSE(split_groups.empty());
  for (const auto& [detail, orders] : split_groups) {
    EXPECT_GE(orders.size(), 2u);
    std::set<std::string> ids, days;
    Decimal total;
    for (const std::string& no : orders) {
      pugi::xml_node oh = docs[no].order.first_child().child("ceb:Order").child("ceb:OrderHead");
      ids.insert(Text(oh, "ceb:buyerIdNumber"));
      days.insert(Text(oh, "ceb:appTime").substr(0, 8));
      total += Dec(oh, "ceb:goodsValue") + Dec(oh, "ceb:freight");
    }
    EXPECT_EQ(ids.size(), 1u);
    EXPECT_EQ(days.size(), 1u);
    EXPECT_GT(total, kLimit);
  }
  fs::remove_all(dir);
}

// libxml2 schema validation of every file of a run against the official XSDs.
class XsdValidator {
 public:
  XsdValidator() {
    const char* shared = std::getenv("SHUMAO_SHARED");
    std::string base = std::string(shared != nullptr ? shared : "../shared") + "/ceb/xsd/";
    import_ = Load(base + "ceb-import-2022.xsd");
    export_ = Load(base + "ceb-export-2022.xsd");
  }
  ~XsdValidator() {
    for (xmlSchemaPtr s : {import_, export_}) {
      if (s != nullptr) xmlSchemaFree(s);
    }
  }
  bool Ready() const { return import_ != nullptr && export_ != nullptr; }

  // Empty when valid, else the first errors.
  std::string Validate(const fs::path& file) {
    std::string type = TypeOf(file.filename().string());
    bool imports = type == "CEB311" || type == "CEB411" || type == "CEB511" || type == "CEB513" ||
                   type == "CEB621";
    std::string content = ReadAll(file);
    xmlDocPtr doc = xmlReadMemory(content.data(), static_cast<int>(content.size()), nullptr,
                                  nullptr, XML_PARSE_NONET);
    if (doc == nullptr) return "not well-formed";
    xmlSchemaValidCtxtPtr ctx = xmlSchemaNewValidCtxt(imports ? import_ : export_);
    std::string errors;
    xmlSchemaSetValidStructuredErrors(ctx, &Collect, &errors);
    int rc = xmlSchemaValidateDoc(ctx, doc);
    xmlSchemaFreeValidCtxt(ctx);
    xmlFreeDoc(doc);
    if (rc != 0 && errors.empty()) errors = "invalid (rc " + std::to_string(rc) + ")";
    return errors;
  }

 private:
  // xmlError is const in the callback from libxml2 2.12 on; deduce either form.
  template <typename E>
  static void Collect(void* user, E* e) {
    auto* s = static_cast<std::string*>(user);
    if (s->size() < 2000)
      *s += "line " + std::to_string(e->line) + ": " + (e->message ? e->message : "");
  }
  static xmlSchemaPtr Load(const std::string& path) {
    xmlSchemaParserCtxtPtr p = xmlSchemaNewParserCtxt(path.c_str());
    xmlSchemaPtr s = p != nullptr ? xmlSchemaParse(p) : nullptr;
    if (p != nullptr) xmlSchemaFreeParserCtxt(p);
    return s;
  }
  xmlSchemaPtr import_ = nullptr;
  xmlSchemaPtr export_ = nullptr;
};

void ExpectAllValid(const fs::path& dir, size_t min_files) {
  XsdValidator v;
  ASSERT_TRUE(v.Ready()) << "official XSDs not found (set SHUMAO_SHARED)";
  std::set<std::string> types;
  size_t n = 0;
  for (const std::string& name : XmlFiles(dir)) {
    types.insert(TypeOf(name));
    EXPECT_EQ(v.Validate(dir / name), "") << name;
    ++n;
  }
  EXPECT_GE(n, min_files);
  for (const char* t : {"CEB311", "CEB411", "CEB511", "CEB621", "CEB303", "CEB403", "CEB505",
                        "CEB603", "CEB507", "CEB509"}) {
    EXPECT_TRUE(types.count(t)) << t;
  }
}

TEST(GenerateXsd, CleanTrafficValidates) {
  fs::path dir = TempDir("xsd_clean");
  GenerateInto(dir, 2026, 20, 20, 0.0);
  ExpectAllValid(dir, 150);
  fs::remove_all(dir);
}

TEST(GenerateXsd, FaultyTrafficValidatesToo) {
  fs::path dir = TempDir("xsd_faults");
  GenerateInto(dir, 31337, 120, 80, 0.5, "2026-10-25", "2026-11-30");
  ExpectAllValid(dir, 700);
  fs::remove_all(dir);
}

TEST(Identity, ResidentIdCheckCharacter) {
  // The check character of a published example (GB 11643).
  EXPECT_EQ(ResidentId("110105", 1949, 12, 31, 2), "11010519491231002X");
  EXPECT_TRUE(ResidentIdValid("11010519491231002X"));
  EXPECT_FALSE(ResidentIdValid("110105194912310021"));
  EXPECT_EQ(S10("AA", 47312482), "AA473124829CN");  // the check digit of the UPU S10 example
  EXPECT_EQ(AirWaybill("784", 1234567), "784-12345675");
  std::set<uint32_t> seen;
  for (uint64_t i = 0; i < 20000; ++i) EXPECT_TRUE(seen.insert(Scramble8(i, 77)).second);
}

}  // namespace
}  // namespace shumao::gen

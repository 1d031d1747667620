// Every receipt type the platform can produce validates against the official XSD.
#include "ceb/receipt.h"

#include <gtest/gtest.h>

#include "../../tests/support/shared_dir.h"
#include "ceb/catalog.h"
#include "ceb/codec.h"
#include "ceb/xsd_validator.h"

namespace shumao::ceb {
namespace {

using shumao::testing::ReadFile;
using shumao::testing::SharedDir;

class ReceiptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto v = XsdValidator::Load(SharedDir() + "/ceb/xsd");
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    xsd_ = std::move(*v);
  }
  std::unique_ptr<XsdValidator> xsd_;
};

// A minimal head holding the business keys of any declaration type, built from the
// spec's own fields so that every receipt type can be exercised.
TEST_F(ReceiptTest, EveryReceiptTypeValidatesForEveryStatus) {
  Timestamp now{1764400000000};
  int built = 0;
  for (const DocumentSpec& spec : AllDocumentSpecs()) {
    const MessageDef* rdef = FindMessageByType(spec.receipt_type);
    ASSERT_NE(rdef, nullptr) << spec.receipt_type;
    const MessageDef* ddef = FindMessageByType(spec.type);
    ASSERT_NE(ddef, nullptr);
    // Head definition of the declaration: fill every leaf with a value of valid shape.
    const ElementDef& entity_def = ddef->root_element().children()[0];
    const ElementDef* head_def = &entity_def;
    if (spec.head[0] != '\0') head_def = &entity_def.children()[entity_def.ChildIndex(spec.head)];
    Node head;
    head.def = head_def;
    for (const ElementDef& f : head_def->children()) {
      if (f.kind == ElementKind::kGroup) continue;
      std::string v = f.min_length > 0 ? std::string(f.min_length, '1') : "1";
      if (f.max_length >= 0 && static_cast<int>(v.size()) > f.max_length) v.resize(f.max_length);
      head.Set(f.name, v);
    }
    for (const char* status : {"2", "120", "399", "800", "100", "-301010"}) {
      ReceiptEntry e{&head, status, "新增申报成功[测试]<&>\"", {{"preNo", "B20261129000000001"}}};
      Message r = BuildReceipt(*rdef, {e, e}, now);
      std::string xml = EncodeXml(r);
      Status st = xsd_->Validate(xml, rdef->direction);
      EXPECT_TRUE(st.ok()) << spec.receipt_type << " " << status << ": " << st.ToString() << "\n"
                           << xml;
      auto back = DecodeXml(xml);
      EXPECT_TRUE(back.ok()) << back.status().ToString();
      ++built;
    }
  }
  EXPECT_EQ(built, 6 * static_cast<int>(AllDocumentSpecs().size()));
}

TEST_F(ReceiptTest, FormatReceiptValidatesEvenForHostileInput) {
  Timestamp now{1764400000000};
  for (std::string ori : {std::string("<a>]]></a>"), std::string("\x01\x02 bad"),
                          std::string("\xff\xfe not utf8"), std::string(10000, 'x')}) {
    Message r = BuildFormatReceipt("-1", std::string(6000, 'e'), "CEB311Message", ori, now);
    Status st = xsd_->Validate(EncodeXml(r), Direction::kImport);
    EXPECT_TRUE(st.ok()) << st.ToString();
  }
}

}  // namespace
}  // namespace shumao::ceb

#include "ceb/codec.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "../../tests/support/shared_dir.h"
#include "ceb/catalog.h"
#include "ceb/check.h"
#include "ceb/xsd_validator.h"
#include "common/strings.h"

namespace shumao::ceb {
namespace {

using shumao::testing::ReadFile;
using shumao::testing::SampleFiles;
using shumao::testing::SharedDir;

std::shared_ptr<const CodeTables> Codes() {
  static auto codes = CodeTables::LoadEmbedded();
  return *codes;
}

TEST(SchemaTest, EveryMessageOfTheStandardIsInTheTable) {
  for (const char* t :
       {"CEB311", "CEB312", "CEB411", "CEB412", "CEB511", "CEB512", "CEB513", "CEB514", "CEB621",
        "CEB622", "CEB623", "CEB624", "CEB625", "CEB626", "CEB711", "CEB712", "CEB816", "CEB818",
        "CEB303", "CEB304", "CEB403", "CEB404", "CEB505", "CEB506", "CEB507", "CEB508", "CEB509",
        "CEB510", "CEB603", "CEB604", "CEB605", "CEB606", "CEB607", "CEB608", "CEB213", "CEB214",
        "CEB215", "CEB216", "CEB701", "CEB702", "CEB792", "CEB900"}) {
    EXPECT_NE(FindMessageByType(t), nullptr) << t;
  }
}

TEST(CodecTest, EveryImportSampleDecodesChecksAndRoundTrips) {
  auto xsd = XsdValidator::Load(SharedDir() + "/ceb/xsd");
  ASSERT_TRUE(xsd.ok()) << xsd.status().ToString();
  int n = 0;
  for (const std::string& path : SampleFiles("import")) {
    SCOPED_TRACE(path);
    std::string bytes = ReadFile(path);
    auto m = DecodeXml(bytes);
    ASSERT_TRUE(m.ok()) << m.status().ToString();
    Status checked = CheckMessage(*m, {Codes().get()});
    EXPECT_TRUE(checked.ok()) << checked.ToString();
    // XML → JSON → message → XML gives the same XML, and that XML is schema-valid.
    std::string xml = EncodeXml(*m);
    auto back = DecodeJson(EncodeJson(*m));
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(EncodeXml(*back), xml);
    EXPECT_TRUE((*xsd)->Validate(xml, Direction::kImport).ok())
        << (*xsd)->Validate(xml, Direction::kImport).ToString();
    ++n;
  }
  EXPECT_GE(n, 17);
}

TEST(CodecTest, ExportSamplesThatFailTheXsdAreRefusedWithTheFieldNamed) {
  auto xsd = XsdValidator::Load(SharedDir() + "/ceb/xsd");
  ASSERT_TRUE(xsd.ok());
  int refused = 0;
  for (const std::string& path : SampleFiles("export")) {
    SCOPED_TRACE(path);
    std::string bytes = ReadFile(path);
    bool xsd_ok = (*xsd)->Validate(bytes, Direction::kExport).ok();
    auto m = DecodeXml(bytes);
    Status st = m.ok() ? CheckMessage(*m, {Codes().get()}) : m.status();
    if (!xsd_ok) {
      EXPECT_FALSE(st.ok()) << "the fast checker accepted a message the XSD refuses";
      EXPECT_FALSE(st.field().empty()) << st.ToString();
      ++refused;
    } else {
      EXPECT_TRUE(st.ok()) << st.ToString();
    }
  }
  EXPECT_GE(refused, 10);  // 214 303 403 505 507 509 603 605 607 792 per ../shared/ceb/README.md
}

TEST(CodecTest, PathNamesTheEntityIndexAndField) {
  std::string bytes = ReadFile(SharedDir() + "/ceb/samples/import/CEB311Message.xml");
  size_t p = bytes.find("<ceb:orderNo>");
  ASSERT_NE(p, std::string::npos);
  size_t e = bytes.find("</ceb:orderNo>", p);
  bytes.replace(p, e + 14 - p, "");
  auto m = DecodeXml(bytes);
  ASSERT_FALSE(m.ok());
  EXPECT_EQ(m.status().field(), "Order[1].OrderHead.orderNo");
}

TEST(CodecTest, JsonNumbersKeepTheirDigits) {
  std::string bytes = ReadFile(SharedDir() + "/ceb/samples/import/CEB411Message.xml");
  auto m = DecodeXml(bytes);
  ASSERT_TRUE(m.ok());
  std::string json = EncodeJson(*m);
  size_t p = json.find("\"amountPaid\":\"");
  ASSERT_NE(p, std::string::npos);
  size_t q = json.find('"', p + 14);
  json.replace(p + 13, q - p - 13 + 1, "12345678901234.12345");
  auto back = DecodeJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->Entities()[0]->Child("PaymentHead")->Get("amountPaid"), "12345678901234.12345");
}

TEST(CodecTest, DxpEnvelopeIsUnwrapped) {
  std::string inner = ReadFile(SharedDir() + "/ceb/samples/import/CEB411Message.xml");
  std::string dxp =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><dxp:DxpMsg ver=\"1.0\" "
      "xmlns:dxp=\"http://www.chinaport.gov.cn/dxp\"><dxp:TransInfo><dxp:CopMsgId>1</dxp:CopMsgId>"
      "<dxp:SenderId>DXPENT0000000001</dxp:SenderId><dxp:ReceiverIds><dxp:ReceiverId>"
      "DXPEDCCEB0000002</dxp:ReceiverId></dxp:ReceiverIds><dxp:CreatTime>2026-11-29T10:00:00"
      "</dxp:CreatTime><dxp:MsgType>CEB411Message</dxp:MsgType></dxp:TransInfo><dxp:Data>" +
      Base64Encode(inner) + "</dxp:Data></dxp:DxpMsg>";
  auto m = DecodeXml(dxp);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->type(), "CEB411");
  EXPECT_EQ(EncodeXml(*m), EncodeXml(*DecodeXml(inner)));
  // A damaged payload is refused and says where.
  auto bad = DecodeXml(dxp.replace(dxp.find("<dxp:Data>") + 10, 4, "!!!!"));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().field(), "DxpMsg.Data");
}

TEST(MaskTest, MasksNamesIdsPhonesAddresses) {
  EXPECT_EQ(MaskPersonal("buyerName", "张三丰"), "张**");
  EXPECT_EQ(MaskPersonal("buyerIdNumber", "110101199001011234"), "110***********1234");
  EXPECT_EQ(MaskPersonal("buyerTelephone", "13812345678"), "138****5678");
  EXPECT_EQ(MaskPersonal("consigneeAddress", "江苏省苏州市工业园区星湖街328号"),
            "江苏省苏州市***********");
}

}  // namespace
}  // namespace shumao::ceb

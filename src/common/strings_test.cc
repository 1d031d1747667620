#include "common/strings.h"

#include <gtest/gtest.h>

#include <string>

namespace shumao {
namespace {

using namespace std::string_literals;

// Checks that `s` is refused and that the first bad sequence is reported at `offset`.
void ExpectBadAt(const std::string& s, size_t offset) {
  size_t bad = 12345;
  EXPECT_FALSE(IsValidUtf8(s, &bad)) << testing::PrintToString(s);
  EXPECT_EQ(bad, offset) << testing::PrintToString(s);
  EXPECT_FALSE(IsValidUtf8(s));  // bad_offset is optional
}

TEST(Utf8, ValidText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII 123"));
  EXPECT_TRUE(IsValidUtf8("中华人民共和国海关总署 abc"));
  EXPECT_TRUE(IsValidUtf8("\x7f"));
  EXPECT_TRUE(IsValidUtf8("\0"s));
  EXPECT_TRUE(IsValidUtf8("\xc2\x80"));          // U+0080, smallest 2-byte
  EXPECT_TRUE(IsValidUtf8("\xe0\xa0\x80"));      // U+0800, smallest 3-byte
  EXPECT_TRUE(IsValidUtf8("\xed\x9f\xbf"));      // U+D7FF, just below the surrogates
  EXPECT_TRUE(IsValidUtf8("\xee\x80\x80"));      // U+E000, just above
  EXPECT_TRUE(IsValidUtf8("\xf0\x9f\x98\x80"));  // U+1F600
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF, the last code point
  EXPECT_TRUE(IsValidUtf8("\xef\xbb\xbf"));      // BOM
}

TEST(Utf8, OverlongEncodingsRefused) {
  ExpectBadAt("\xc0\x80", 0);  // NUL in two bytes
  ExpectBadAt("\xc1\xbf", 0);
  ExpectBadAt("ab\xc0\xaf", 2);        // '/' in two bytes
  ExpectBadAt("\xe0\x80\x80", 0);      // three bytes for U+0000
  ExpectBadAt("\xe0\x9f\xbf", 0);      // U+07FF in three bytes
  ExpectBadAt("\xf0\x80\x80\x80", 0);  // four bytes for U+0000
  ExpectBadAt("\xf0\x8f\xbf\xbf", 0);  // U+FFFF in four bytes
}

TEST(Utf8, SurrogatesRefused) {
  ExpectBadAt("\xed\xa0\x80", 0);  // U+D800
  ExpectBadAt("\xed\xbf\xbf", 0);  // U+DFFF
  ExpectBadAt("中\xed\xa0\x80", 3);
  ExpectBadAt("\xed\xa0\xbd\xed\xb8\x80", 0);  // CESU-8 pair
}

TEST(Utf8, AboveUnicodeRefused) {
  ExpectBadAt("\xf4\x90\x80\x80", 0);  // U+110000
  ExpectBadAt("\xf5\x80\x80\x80", 0);
  ExpectBadAt("\xf8\x88\x80\x80\x80", 0);  // 5-byte form
  ExpectBadAt("\xfe", 0);
  ExpectBadAt("\xff", 0);
}

TEST(Utf8, TruncatedAndBrokenSequencesRefused) {
  const std::string zhong = "中";  // e4 b8 ad
  ExpectBadAt(zhong.substr(0, 2), 0);
  ExpectBadAt(zhong.substr(0, 1), 0);
  ExpectBadAt("abc" + zhong.substr(0, 2), 3);
  ExpectBadAt(
      "\xe4\xb8"
      "a",
      0);                                  // continuation replaced by ASCII
  ExpectBadAt(zhong + "\xf0\x9f\x98", 3);  // 4-byte cut short
  ExpectBadAt("\x80", 0);                  // lone continuation
  ExpectBadAt(
      "a\xbf"
      "b",
      1);
  ExpectBadAt(zhong + zhong.substr(1), 3);  // stray continuations after a whole character
}

TEST(Utf8, Length) {
  EXPECT_EQ(Utf8Length("中文ab"), 4u);
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("\xf0\x9f\x98\x80"), 1u);
  EXPECT_EQ(Utf8Length("中华人民共和国"), 7u);
}

TEST(Escape, Xml) {
  std::string out = "<a>";
  AppendXmlEscaped(out, "x<y>&\"z\" 中文 'q'");
  EXPECT_EQ(out, "<a>x&lt;y&gt;&amp;&quot;z&quot; 中文 'q'");  // appends, does not clear
  out.clear();
  AppendXmlEscaped(out, "&amp;");
  EXPECT_EQ(out, "&amp;amp;");  // escapes, never interprets
  out.clear();
  AppendXmlEscaped(out, "");
  EXPECT_EQ(out, "");
}

TEST(Escape, Json) {
  std::string out = "\"";
  AppendJsonEscaped(out, "a\"b\\c\nd\re\tf");
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\nd\\re\\tf");
  out.clear();
  AppendJsonEscaped(out, "\x01\x1f\b\f"s + '\0');
  EXPECT_EQ(out, "\\u0001\\u001f\\u0008\\u000c\\u0000");
  out.clear();
  AppendJsonEscaped(out, "中文 / \x7f <>");
  EXPECT_EQ(out, "中文 / \x7f <>");
}

TEST(Strings, IsDigits) {
  EXPECT_TRUE(IsDigits("0"));
  EXPECT_TRUE(IsDigits("8541401000"));
  EXPECT_FALSE(IsDigits(""));
  EXPECT_FALSE(IsDigits("12a"));
  EXPECT_FALSE(IsDigits("-1"));
  EXPECT_FALSE(IsDigits(" 1"));
  EXPECT_FALSE(IsDigits("1.0"));
  EXPECT_FALSE(IsDigits("\xef\xbc\x91"));  // fullwidth 1
}

}  // namespace
}  // namespace shumao

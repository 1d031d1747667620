// Small string helpers shared by the codecs: UTF-8 validation and length, escaping.
#ifndef SHUMAO_COMMON_STRINGS_H_
#define SHUMAO_COMMON_STRINGS_H_

#include <string>
#include <string_view>

namespace shumao {

// Whether `s` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
// On failure *bad_offset (if given) is the byte offset of the first bad sequence.
bool IsValidUtf8(std::string_view s, size_t* bad_offset = nullptr);
// Number of code points of valid UTF-8 (XSD length facets count characters).
size_t Utf8Length(std::string_view s);

void AppendXmlEscaped(std::string& out, std::string_view s);
void AppendJsonEscaped(std::string& out, std::string_view s);  // without the quotes

// Standard base64 (RFC 4648) decoding; whitespace is skipped. False on bad input.
bool Base64Decode(std::string_view in, std::string& out);
std::string Base64Encode(std::string_view in);

// Whether every character is an ASCII digit (and s is not empty).
bool IsDigits(std::string_view s);

}  // namespace shumao

#endif  // SHUMAO_COMMON_STRINGS_H_

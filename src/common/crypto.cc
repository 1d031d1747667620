#include "common/crypto.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace shumao {
namespace {

constexpr size_t kNonce = 12, kTag = 16;
constexpr unsigned char kVersion = 0x01;

bool HexDecode(std::string_view hex, std::string& out) {
  if (hex.size() % 2) return false;
  out.clear();
  auto val = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (size_t i = 0; i < hex.size(); i += 2) {
    int hi = val(hex[i]), lo = val(hex[i + 1]);
    if (hi < 0 || lo < 0) return false;
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return true;
}

}  // namespace

std::string RandomBytes(size_t n) {
  std::string s(n, '\0');
  RAND_bytes(reinterpret_cast<unsigned char*>(s.data()), static_cast<int>(n));
  return s;
}

std::string HexEncode(std::string_view bytes) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kHex[c >> 4]);
    out.push_back(kHex[c & 15]);
  }
  return out;
}

std::string RandomToken() { return HexEncode(RandomBytes(32)); }

std::string NewGuid() {
  std::string b = RandomBytes(16);
  b[6] = static_cast<char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<char>((b[8] & 0x3F) | 0x80);
  std::string h = HexEncode(b);
  for (char& c : h) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

std::string Sha256Hex(std::string_view data) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), md, &len, EVP_sha256(), nullptr);
  return HexEncode(std::string_view(reinterpret_cast<char*>(md), len));
}

StatusOr<std::shared_ptr<const Vault>> Vault::OpenOrCreate(const std::string& key_path) {
  std::ifstream in(key_path);
  if (!in) {
    std::string hex = HexEncode(RandomBytes(64));
    int fd = ::open(key_path.c_str(), O_WRONLY | O_CREAT | O_EXCL, 0600);
    if (fd < 0) {
      return Status(Code::kFailedPrecondition,
                    "cannot create key file " + key_path + ": " + std::strerror(errno));
    }
    std::string line = hex + "\n";
    bool ok = ::write(fd, line.data(), line.size()) == static_cast<ssize_t>(line.size()) &&
              ::fsync(fd) == 0;
    ::close(fd);
    if (!ok) return Internal("cannot write key file " + key_path);
    return FromKey(HexDecodeOr(hex));
  }
  struct stat st {};
  if (::stat(key_path.c_str(), &st) == 0 && (st.st_mode & 077) != 0) {
    return Status(Code::kFailedPrecondition,
                  "key file " + key_path + " is readable by others; chmod 600 it");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  std::string hex = ss.str();
  while (!hex.empty() && (hex.back() == '\n' || hex.back() == '\r' || hex.back() == ' ')) {
    hex.pop_back();
  }
  std::string key;
  if (!HexDecode(hex, key) || key.size() != 64) {
    return Status(Code::kFailedPrecondition, "key file " + key_path + " is not a 64-byte hex key");
  }
  return FromKey(key);
}

std::string Vault::HexDecodeOr(std::string_view hex) {
  std::string out;
  HexDecode(hex, out);
  return out;
}

std::shared_ptr<const Vault> Vault::FromKey(std::string_view key64) {
  return std::shared_ptr<const Vault>(new Vault(std::string(key64)));
}

std::string Vault::Seal(std::string_view plaintext) const {
  std::string out(1 + kNonce + plaintext.size() + kTag, '\0');
  auto* p = reinterpret_cast<unsigned char*>(out.data());
  p[0] = kVersion;
  RAND_bytes(p + 1, kNonce);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  EVP_EncryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                     reinterpret_cast<const unsigned char*>(key_.data()), p + 1);
  EVP_EncryptUpdate(ctx, p + 1 + kNonce, &len,
                    reinterpret_cast<const unsigned char*>(plaintext.data()),
                    static_cast<int>(plaintext.size()));
  EVP_EncryptFinal_ex(ctx, p + 1 + kNonce + len, &len);
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, kTag, p + 1 + kNonce + plaintext.size());
  EVP_CIPHER_CTX_free(ctx);
  return out;
}

StatusOr<std::string> Vault::Open(std::string_view sealed) const {
  if (sealed.size() < 1 + kNonce + kTag || static_cast<unsigned char>(sealed[0]) != kVersion) {
    return Internal("sealed data is truncated or of an unknown version");
  }
  const auto* p = reinterpret_cast<const unsigned char*>(sealed.data());
  size_t n = sealed.size() - 1 - kNonce - kTag;
  std::string out(n, '\0');
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  int len = 0;
  EVP_DecryptInit_ex(ctx, EVP_aes_256_gcm(), nullptr,
                     reinterpret_cast<const unsigned char*>(key_.data()), p + 1);
  EVP_DecryptUpdate(ctx, reinterpret_cast<unsigned char*>(out.data()), &len, p + 1 + kNonce,
                    static_cast<int>(n));
  EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, kTag,
                      const_cast<unsigned char*>(p + 1 + kNonce + n));
  int ok = EVP_DecryptFinal_ex(ctx, reinterpret_cast<unsigned char*>(out.data()) + len, &len);
  EVP_CIPHER_CTX_free(ctx);
  if (ok <= 0) return Internal("sealed data failed authentication (wrong key or tampered)");
  return out;
}

std::string Vault::KeyedHash(std::string_view data) const {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(EVP_sm3(), key_.data() + 32, 32, reinterpret_cast<const unsigned char*>(data.data()),
       data.size(), md, &len);
  return HexEncode(std::string_view(reinterpret_cast<char*>(md), len));
}

}  // namespace shumao

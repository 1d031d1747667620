// Cryptography for personal data at rest (OpenSSL 3).
//
// A Vault holds the platform's data key: 32 bytes for AES-256-GCM and 32 bytes for the
// keyed hash (HMAC-SM3) used to look personal data up without decrypting it. The key
// lives in a file created on first start with rights 0600 (hex, one line).
//
// Sealed format: "v1" marker byte 0x01 | 12-byte random nonce | ciphertext | 16-byte tag.
//
// Thread safety: a Vault is immutable after creation; Seal/Open/KeyedHash may be called
// from many threads at once.
#ifndef SHUMAO_COMMON_CRYPTO_H_
#define SHUMAO_COMMON_CRYPTO_H_

#include <memory>
#include <string>
#include <string_view>

#include "common/status.h"

namespace shumao {

class Vault {
 public:
  // Reads the key file, creating it (0600) with a fresh random key if it does not exist.
  static StatusOr<std::shared_ptr<const Vault>> OpenOrCreate(const std::string& key_path);
  // A vault over a given 64-byte key (tests, benchmarks).
  static std::shared_ptr<const Vault> FromKey(std::string_view key64);

  std::string Seal(std::string_view plaintext) const;
  StatusOr<std::string> Open(std::string_view sealed) const;
  // Hex HMAC-SM3 of the input under the hash key.
  std::string KeyedHash(std::string_view data) const;

 private:
  explicit Vault(std::string key) : key_(std::move(key)) {}
  static std::string HexDecodeOr(std::string_view hex);
  std::string key_;  // 64 bytes
};

std::string Sha256Hex(std::string_view data);
std::string RandomBytes(size_t n);
std::string HexEncode(std::string_view bytes);
std::string RandomToken();  // 32 random bytes, hex: a bearer token
// A random UUID (version 4) in upper case, 36 characters: a CEB guid.
std::string NewGuid();

}  // namespace shumao

#endif  // SHUMAO_COMMON_CRYPTO_H_

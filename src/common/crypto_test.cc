#include "common/crypto.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

namespace shumao {
namespace {

namespace fs = std::filesystem;

// The 64-byte key 00 01 02 ... 3f: AES key 00..1f, hash key 20..3f.
std::string TestKey() {
  std::string k;
  for (int i = 0; i < 64; ++i) k.push_back(static_cast<char>(i));
  return k;
}

std::string Unhex(std::string_view hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) {
    out.push_back(static_cast<char>(std::stoi(std::string(hex.substr(i, 2)), nullptr, 16)));
  }
  return out;
}

bool IsLowerHex(std::string_view s) {
  for (char c : s) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

// A fresh directory under the temp dir, removed with everything in it.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "shumao_crypto_XXXXXX").string();
    path_ = ::mkdtemp(tmpl.data());
  }
  ~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  std::string File(const char* name) const { return (fs::path(path_) / name).string(); }

 private:
  std::string path_;
};

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  EXPECT_EQ(::stat(path.c_str(), &st), 0) << path;
  return st.st_mode & 07777;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

TEST(Vault, SealOpenRoundTrip) {
  auto v = Vault::FromKey(TestKey());
  std::string binary(1 << 20, '\0');
  for (size_t i = 0; i < binary.size(); ++i) binary[i] = static_cast<char>(i * 131 + 7);
  for (const std::string& plain :
       {std::string(), std::string("hello"), std::string("张三 110101199003071234"), binary}) {
    std::string sealed = v->Seal(plain);
    // marker | 12-byte nonce | ciphertext | 16-byte tag
    ASSERT_EQ(sealed.size(), 1 + 12 + plain.size() + 16);
    EXPECT_EQ(sealed[0], '\x01');
    if (plain.size() >= 8) {
      EXPECT_EQ(sealed.find(plain.substr(0, 8)), std::string::npos) << "plaintext leaked";
    }
    StatusOr<std::string> opened = v->Open(sealed);
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, plain);
  }
}

TEST(Vault, OpensStandardAes256Gcm) {
  // Made with Python's cryptography AESGCM(key[0:32]), nonce 64..6f, no associated data.
  std::string sealed = Unhex(
      "016465666768696a6b6c6d6e6faca37482c353b2219f84de47fa04089e46de9758da41caf62e069b224ec4a08"
      "c");
  StatusOr<std::string> opened = Vault::FromKey(TestKey())->Open(sealed);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(*opened, "个人信息 abc");
}

TEST(Vault, TamperedDataFailsToOpen) {
  auto v = Vault::FromKey(TestKey());
  const std::string sealed = v->Seal("身份证号 110101199003071234");
  // Every single byte: marker, nonce, ciphertext and tag.
  for (size_t i = 0; i < sealed.size(); ++i) {
    std::string bad = sealed;
    bad[i] = static_cast<char>(bad[i] ^ 0x01);
    EXPECT_FALSE(v->Open(bad).ok()) << "flipped byte " << i;
  }
  EXPECT_FALSE(v->Open(sealed.substr(0, sealed.size() - 1)).ok());
  EXPECT_FALSE(v->Open(sealed + "x").ok());
  EXPECT_FALSE(v->Open("").ok());
  EXPECT_FALSE(v->Open(sealed.substr(0, 1 + 12 + 15)).ok());
  EXPECT_TRUE(v->Open(sealed).ok());
}

TEST(Vault, WrongKeyFailsToOpen) {
  std::string other = TestKey();
  other[0] ^= 1;  // differs in the AES half
  std::string sealed = Vault::FromKey(TestKey())->Seal("secret");
  EXPECT_FALSE(Vault::FromKey(other)->Open(sealed).ok());
  // The hash half is not used for encryption.
  std::string same_aes = TestKey();
  same_aes[40] ^= 1;
  StatusOr<std::string> opened = Vault::FromKey(same_aes)->Open(sealed);
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "secret");
}

TEST(Vault, SealUsesARandomNonce) {
  auto v = Vault::FromKey(TestKey());
  std::set<std::string> seen;
  for (int i = 0; i < 100; ++i) seen.insert(v->Seal("same plaintext"));
  EXPECT_EQ(seen.size(), 100u);
  std::string a = v->Seal("same plaintext"), b = v->Seal("same plaintext");
  EXPECT_NE(a.substr(1, 12), b.substr(1, 12));
}

TEST(Vault, KeyedHash) {
  auto v = Vault::FromKey(TestKey());
  // HMAC-SM3 under key bytes 20..3f, from `openssl mac -digest SM3 -macopt hexkey:... HMAC`.
  EXPECT_EQ(v->KeyedHash("hello"),
            "45ac40469195f542d633a21895c6d9145a995c08b35ad9f6cdeae58e478bb744");
  EXPECT_EQ(v->KeyedHash(""), "ed069bd59617e6a8da0b34daeaa3c6e3ac72f3b9ba4eec0e419d0109c6ccc24d");
  EXPECT_EQ(v->KeyedHash("110101199003071234"), v->KeyedHash("110101199003071234"));
  EXPECT_NE(v->KeyedHash("110101199003071234"), v->KeyedHash("110101199003071235"));
  EXPECT_EQ(Vault::FromKey(TestKey())->KeyedHash("x"), v->KeyedHash("x"));

  std::string other = TestKey();
  other[63] ^= 1;
  EXPECT_NE(Vault::FromKey(other)->KeyedHash("hello"), v->KeyedHash("hello"));
  // The AES half does not enter the hash.
  std::string same_hash = TestKey();
  same_hash[0] ^= 1;
  EXPECT_EQ(Vault::FromKey(same_hash)->KeyedHash("hello"), v->KeyedHash("hello"));
}

TEST(Vault, OpenOrCreateCreatesA0600KeyFile) {
  TempDir dir;
  std::string path = dir.File("data.key");
  mode_t old_umask = ::umask(0);  // the file must be 0600 even with a permissive umask
  auto created = Vault::OpenOrCreate(path);
  ::umask(old_umask);
  ASSERT_TRUE(created.ok()) << created.status().ToString();
  EXPECT_EQ(ModeOf(path), 0600);
  std::string content = ReadAll(path);
  ASSERT_EQ(content.size(), 129u);  // 128 hex digits and a newline
  EXPECT_EQ(content.back(), '\n');
  EXPECT_TRUE(IsLowerHex(content.substr(0, 128)));

  auto reopened = Vault::OpenOrCreate(path);
  ASSERT_TRUE(reopened.ok()) << reopened.status().ToString();
  EXPECT_EQ((*reopened)->KeyedHash("13800138000"), (*created)->KeyedHash("13800138000"));
  StatusOr<std::string> opened = (*reopened)->Open((*created)->Seal("persisted"));
  ASSERT_TRUE(opened.ok());
  EXPECT_EQ(*opened, "persisted");
  // The file holds the key itself.
  EXPECT_EQ(Vault::FromKey(Unhex(content.substr(0, 128)))->KeyedHash("a"),
            (*created)->KeyedHash("a"));
  EXPECT_EQ(ReadAll(path), content);  // reopening does not rewrite it

  // Another key file gives another key.
  auto other = Vault::OpenOrCreate(dir.File("other.key"));
  ASSERT_TRUE(other.ok());
  EXPECT_NE((*other)->KeyedHash("13800138000"), (*created)->KeyedHash("13800138000"));
}

TEST(Vault, OpenOrCreateRefusesAKeyFileReadableByOthers) {
  TempDir dir;
  std::string path = dir.File("data.key");
  ASSERT_TRUE(Vault::OpenOrCreate(path).ok());
  for (mode_t mode : {0644, 0640, 0604, 0660}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto v = Vault::OpenOrCreate(path);
    ASSERT_FALSE(v.ok()) << std::oct << mode;
    EXPECT_EQ(v.status().code(), Code::kFailedPrecondition);
  }
  ASSERT_EQ(::chmod(path.c_str(), 0400), 0);
  EXPECT_TRUE(Vault::OpenOrCreate(path).ok());
}

TEST(Vault, OpenOrCreateRefusesABadKeyFile) {
  TempDir dir;
  auto write = [&](const char* name, const std::string& content) {
    std::string path = dir.File(name);
    std::ofstream(path) << content;
    ::chmod(path.c_str(), 0600);
    return path;
  };
  EXPECT_FALSE(Vault::OpenOrCreate(write("short.key", std::string(126, 'a') + "\n")).ok());
  EXPECT_FALSE(Vault::OpenOrCreate(write("long.key", std::string(130, 'a') + "\n")).ok());
  EXPECT_FALSE(Vault::OpenOrCreate(write("nothex.key", std::string(127, 'a') + "g\n")).ok());
  EXPECT_FALSE(Vault::OpenOrCreate(write("empty.key", "")).ok());
  // CRLF and upper-case hex are accepted.
  auto crlf = Vault::OpenOrCreate(write("crlf.key", std::string(128, 'A') + "\r\n"));
  ASSERT_TRUE(crlf.ok()) << crlf.status().ToString();
  EXPECT_EQ((*crlf)->KeyedHash("x"), Vault::FromKey(std::string(64, '\xaa'))->KeyedHash("x"));
  // A folder that does not exist: an error, not a crash.
  auto missing = Vault::OpenOrCreate(dir.File("no/such/dir/data.key"));
  EXPECT_FALSE(missing.ok());
}

TEST(Crypto, Sha256Hex) {
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(Crypto, HexEncode) {
  EXPECT_EQ(HexEncode(std::string_view("\x00\xff\x10\xab", 4)), "00ff10ab");
  EXPECT_EQ(HexEncode(""), "");
}

TEST(Crypto, RandomBytesAndTokens) {
  EXPECT_EQ(RandomBytes(0).size(), 0u);
  EXPECT_EQ(RandomBytes(33).size(), 33u);
  EXPECT_NE(RandomBytes(16), RandomBytes(16));
  std::set<std::string> tokens;
  for (int i = 0; i < 100; ++i) {
    std::string t = RandomToken();
    ASSERT_EQ(t.size(), 64u);
    EXPECT_TRUE(IsLowerHex(t)) << t;
    tokens.insert(t);
  }
  EXPECT_EQ(tokens.size(), 100u);
}

}  // namespace
}  // namespace shumao

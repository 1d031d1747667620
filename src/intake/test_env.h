// Test support for intake tests: a fresh store on either engine ("sqlite" in a temp
// folder, "postgresql" in a private schema on SHUMAO_TEST_PG_URL), a vault and an intake,
// optionally with a hook (the clearance engine) that the env owns.
#ifndef SHUMAO_INTAKE_TEST_ENV_H_
#define SHUMAO_INTAKE_TEST_ENV_H_

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <functional>

#include "intake/intake.h"
#include "store/postgres/test_schema.h"

namespace shumao::intake {

class IntakeEnv {
 public:
  explicit IntakeEnv(std::string engine) : engine_(std::move(engine)) {}
  ~IntakeEnv() {
    intake.reset();
    hook.reset();
    store.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
    if (!schema_.empty()) (void)store::DropTestSchema(base_, schema_);
  }

  // Makes the intake's hook once the store and the vault exist (the clearance engine needs
  // both); null for no hook.
  using HookFactory =
      std::function<std::unique_ptr<Hook>(store::Store*, std::shared_ptr<const Vault>)>;

  ::testing::AssertionResult Open(const Clock* clock = &Clock::System(),
                                  const ceb::XsdValidator* xsd = nullptr,
                                  const HookFactory& make_hook = nullptr) {
    static std::atomic<int> n{0};
    std::string url;
    if (engine_ == "sqlite") {
      dir_ = std::filesystem::temp_directory_path() /
             ("shumao-intake-" + std::to_string(getpid()) + "-" + std::to_string(n++));
      std::filesystem::create_directories(dir_);
      url = (dir_ / "zone.db").string();
      db_path = url;
    } else {
      const char* env = std::getenv("SHUMAO_TEST_PG_URL");
      if (env == nullptr || *env == '\0') {
        return ::testing::AssertionFailure()
               << "SHUMAO_TEST_PG_URL is not set: run the tests with scripts/test (make test), "
                  "which starts a PostgreSQL server";
      }
      base_ = env;
      schema_ = "intake_" + std::to_string(getpid()) + "_" + std::to_string(n++);
      auto u = store::CreateTestSchema(base_, schema_);
      if (!u.ok()) return ::testing::AssertionFailure() << u.status().ToString();
      url = *u;
    }
    auto s = store::Store::Open(store::StoreConfig{url});
    if (!s.ok()) return ::testing::AssertionFailure() << s.status().ToString();
    store = std::move(*s);
    auto codes = CodeTables::LoadEmbedded();
    if (!codes.ok()) return ::testing::AssertionFailure() << codes.status().ToString();
    vault = Vault::FromKey(std::string(64, 'k'));
    IntakeOptions o;
    o.codes = *codes;
    o.vault = vault;
    o.clock = clock;
    o.max_batch = 64;
    o.xsd = xsd;
    if (make_hook) {
      hook = make_hook(store.get(), vault);
      if (!hook) return ::testing::AssertionFailure() << "the hook factory made no hook";
      o.hook = hook.get();
    }
    auto in = Intake::Create(store.get(), o);
    if (!in.ok()) return ::testing::AssertionFailure() << in.status().ToString();
    intake = std::move(*in);
    return ::testing::AssertionSuccess();
  }

  void Register(const std::string& code, std::vector<std::string> roles) {
    ASSERT_TRUE(
        store
            ->PutEnterprise(registry::Enterprise{code, "测试企业" + code, std::move(roles), "", ""})
            .ok());
    intake->InvalidateRegistry();
  }

  std::unique_ptr<store::Store> store;
  std::shared_ptr<const Vault> vault;
  std::unique_ptr<Hook> hook;  // destroyed after the intake that calls it
  std::unique_ptr<Intake> intake;
  std::string db_path;  // sqlite only

 private:
  std::string engine_;
  std::filesystem::path dir_;
  std::string base_, schema_;
};

inline registry::Principal Operator() {
  return registry::Principal{registry::Principal::Kind::kEnterprise, "OPERATOR01", ""};
}

}  // namespace shumao::intake

#endif  // SHUMAO_INTAKE_TEST_ENV_H_

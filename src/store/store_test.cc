// Every store test runs on both engines: "sqlite" on a file in a temporary directory,
// "postgresql" on the server named by SHUMAO_TEST_PG_URL (scripts/test starts one), in a
// schema of its own.
#include "store/store.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include "store/migrations/migrations.h"
#include "store/postgres/test_schema.h"

namespace shumao::store {
namespace {

namespace fs = std::filesystem;
using registry::Enterprise;
using registry::Principal;

#define ASSERT_OK(expr)                                       \
  do {                                                        \
    const ::shumao::Status& _st = (expr);                     \
    ASSERT_TRUE(_st.ok()) << #expr << ": " << _st.ToString(); \
  } while (0)

// Evaluates a StatusOr, fails the test if it is an error, else yields the value.
#define ASSERT_OK_AND_ASSIGN(lhs, expr) \
  ASSERT_OK_AND_ASSIGN_IMPL(SHUMAO_CONCAT(_test_or_, __LINE__), lhs, expr)
// NOLINTBEGIN(bugprone-macro-parentheses): lhs may be a declaration.
#define ASSERT_OK_AND_ASSIGN_IMPL(tmp, lhs, expr)                    \
  auto tmp = (expr);                                                 \
  ASSERT_TRUE(tmp.ok()) << #expr << ": " << tmp.status().ToString(); \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)

std::string Unique(const std::string& prefix) {
  static std::atomic<int> counter{0};
  return prefix + std::to_string(getpid()) + "_" + std::to_string(counter++);
}

// Where a test's database lives; cleaned up by the destructor.
class TestDatabase {
 public:
  explicit TestDatabase(const std::string& engine) : engine_(engine) {}
  ~TestDatabase() {
    if (!dir_.empty()) {
      std::error_code ignored;
      fs::remove_all(dir_, ignored);
    }
    if (!schema_.empty()) (void)DropTestSchema(base_url_, schema_);
  }

  // Prepares an empty database and sets Url(); a failure explains itself.
  ::testing::AssertionResult Create() {
    if (engine_ == "sqlite") {
      dir_ = fs::temp_directory_path() / Unique("shumao_store_test_");
      fs::create_directories(dir_);
      url_ = (dir_ / "test.db").string();
      return ::testing::AssertionSuccess();
    }
    const char* env = std::getenv("SHUMAO_TEST_PG_URL");
    if (env == nullptr || *env == '\0') {
      return ::testing::AssertionFailure()
             << "SHUMAO_TEST_PG_URL is not set, so the PostgreSQL store tests cannot run. "
                "Run them through scripts/test (or `make test`), which starts a PostgreSQL 15 "
                "test server and sets it; or start one with `scripts/pg-test-server start DIR` "
                "and export SHUMAO_TEST_PG_URL=<the URL it prints>.";
    }
    base_url_ = env;
    schema_ = Unique("t_");
    StatusOr<std::string> url = CreateTestSchema(base_url_, schema_);
    if (!url.ok()) {
      schema_.clear();
      return ::testing::AssertionFailure() << url.status().ToString();
    }
    url_ = *url;
    return ::testing::AssertionSuccess();
  }

  const std::string& Url() const { return url_; }
  // PostgreSQL: ends the server sessions of Url(), as a server restart would.
  Status TerminateSessions() { return TerminateTestSessions(base_url_, schema_); }

 private:
  std::string engine_;
  fs::path dir_;
  std::string base_url_;
  std::string schema_;
  std::string url_;
};

DocumentRow Doc(const std::string& kind, const std::string& scope, const std::string& key,
                const std::string& alt_key = "") {
  DocumentRow d;
  d.kind = kind;
  d.scope = scope;
  d.key = key;
  d.alt_key = alt_key;
  d.message_type = "CEB311";
  d.status = "2";
  d.return_info = "accepted";
  d.guid = "guid-" + key;
  d.sender = scope;
  d.parties = "," + scope + ",";
  d.body_json = R"({"orderNo":")" + key + R"("})";
  d.pii_sealed = "sealed";
  d.buyer_hash = "bh";
  d.updated_ms = 1700000000000;
  return d;
}

MessageRow Msg(const std::string& guid, const std::string& body = "body") {
  MessageRow m;
  m.guid = guid;
  m.type = "CEB311";
  m.sender = "3301960001";
  m.format = "xml";
  m.received_ms = 1700000000123;
  m.body_sealed = body;
  return m;
}

ReceiptRow Receipt(const std::string& recipient, const std::string& info) {
  ReceiptRow r;
  r.recipient = recipient;
  r.type = "CEB312";
  r.return_status = "2";
  r.return_info = info;
  r.keys_json = R"({"orderNo":"1"})";
  r.xml = "<CEB312Message/>";
  r.time_ms = 1700000000456;
  return r;
}

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    db_ = std::make_unique<TestDatabase>(GetParam());
    ASSERT_TRUE(db_->Create());
    ASSERT_OK_AND_ASSIGN(store_, Open());
    ASSERT_EQ(store_->Engine(), GetParam());
  }
  void TearDown() override {
    store_.reset();
    db_.reset();
  }

  StatusOr<std::unique_ptr<Store>> Open() { return Store::Open(StoreConfig{db_->Url()}); }

  std::unique_ptr<TestDatabase> db_;
  std::unique_ptr<Store> store_;
};

TEST(StoreOpenTest, RejectsInMemorySqlite) {
  StatusOr<std::unique_ptr<Store>> s = Store::Open(StoreConfig{":memory:"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kInvalidArgument);
}

TEST(StoreOpenTest, PostgresDownIsUnavailable) {
  // Port 1 on loopback: nothing listens there.
  StatusOr<std::unique_ptr<Store>> s =
      Store::Open(StoreConfig{"postgresql://nobody@127.0.0.1:1/none?connect_timeout=2"});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.status().code(), Code::kUnavailable) << s.status().ToString();
}

TEST(StoreOpenTest, MigrationVersionsIncrease) {
  for (auto list : {SqliteMigrations(), PostgresMigrations()}) {
    ASSERT_FALSE(list.empty());
    for (size_t i = 1; i < list.size(); ++i) EXPECT_LT(list[i - 1].version, list[i].version);
  }
  EXPECT_EQ(SqliteMigrations().back().version, PostgresMigrations().back().version);
}

TEST(PostgresStoreTest, LostConnectionIsUnavailableAndThePoolRecovers) {
  TestDatabase db("postgresql");
  ASSERT_TRUE(db.Create());
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> store, Store::Open(StoreConfig{db.Url()}));
  ASSERT_OK(store->PutUser({"alice", "customs"}));  // leaves an idle pooled connection
  ASSERT_OK_AND_ASSIGN(auto txn, store->BeginWrite());
  ASSERT_OK(txn->AddMessage(Msg("g1")));

  ASSERT_OK(db.TerminateSessions());
  Status lost = txn->AddMessage(Msg("g2"));
  EXPECT_EQ(lost.code(), Code::kUnavailable) << lost.ToString();
  EXPECT_NE(lost.message().find("connection"), std::string::npos) << lost.ToString();
  EXPECT_EQ(txn->Commit().code(), Code::kFailedPrecondition);
  txn.reset();

  // Dead idle connections are dropped, not handed out: the store works again at once.
  ASSERT_OK_AND_ASSIGN(int64_t n, store->CountMessages());
  EXPECT_EQ(n, 0);
  ASSERT_OK_AND_ASSIGN(txn, store->BeginWrite());
  ASSERT_OK(txn->AddMessage(Msg("g3")));
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(n, store->CountMessages());
  EXPECT_EQ(n, 1);
}

TEST_P(StoreTest, OpenTwiceKeepsData) {
  Enterprise e{"3301960001", "Hangzhou EBP", {"ebp"}, "hangzhou", ""};
  ASSERT_OK(store_->PutEnterprise(e));
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> second, Open());  // migrations already applied
  ASSERT_OK_AND_ASSIGN(auto found, second->FindEnterprise(e.code));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, e.name);
  store_.reset();
  second.reset();
  ASSERT_OK_AND_ASSIGN(store_, Open());
  ASSERT_OK_AND_ASSIGN(auto list, store_->ListEnterprises());
  EXPECT_EQ(list.size(), 1u);
}

TEST_P(StoreTest, ConcurrentOpenOfFreshDatabase) {
  // A second empty database, opened by four threads at once: each migration applies once.
  TestDatabase fresh(GetParam());
  ASSERT_TRUE(fresh.Create());
  std::vector<Status> results(4);
  std::vector<std::thread> threads;
  threads.reserve(4);
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&, i] {
      StatusOr<std::unique_ptr<Store>> s = Store::Open(StoreConfig{fresh.Url()});
      results[i] = s.ok() ? (*s)->PutUser({"user" + std::to_string(i), "customs"}) : s.status();
    });
  }
  for (auto& t : threads) t.join();
  for (const Status& st : results) EXPECT_TRUE(st.ok()) << st.ToString();
}

TEST_P(StoreTest, EnterpriseRoundTrip) {
  Enterprise a{"3301960001", "浙江某电商平台", {"ebp", "ebc"}, "hangzhou", "xiasha"};
  Enterprise b{"91330100MA2XXXXX0X", "Logistics Co", {"logistics"}, "", ""};
  ASSERT_OK(store_->PutEnterprise(b));
  ASSERT_OK(store_->PutEnterprise(a));
  ASSERT_OK_AND_ASSIGN(auto found, store_->FindEnterprise(a.code));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->code, a.code);
  EXPECT_EQ(found->name, a.name);
  EXPECT_EQ(found->roles, a.roles);
  EXPECT_EQ(found->zone, "hangzhou");
  EXPECT_EQ(found->park, "xiasha");
  EXPECT_TRUE(found->HasRole("ebc"));

  a.name = "renamed";
  a.roles = {"agent"};
  a.park = "";
  ASSERT_OK(store_->PutEnterprise(a));  // replaces
  ASSERT_OK_AND_ASSIGN(found, store_->FindEnterprise(a.code));
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "renamed");
  EXPECT_EQ(found->roles, std::vector<std::string>{"agent"});
  EXPECT_EQ(found->park, "");

  ASSERT_OK_AND_ASSIGN(auto list, store_->ListEnterprises());
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].code, a.code);  // ordered by code
  EXPECT_EQ(list[1].code, b.code);
  EXPECT_TRUE(list[1].roles == std::vector<std::string>{"logistics"});

  ASSERT_OK_AND_ASSIGN(auto missing, store_->FindEnterprise("0000000000"));
  EXPECT_FALSE(missing.has_value());
}

TEST_P(StoreTest, UserAndTokenRoundTrip) {
  ASSERT_OK(store_->PutUser({"alice", "customs"}));
  ASSERT_OK(store_->PutUser({"alice", "tax"}));  // replaces
  Principal ent{Principal::Kind::kEnterprise, "3301960001", ""};
  Principal user{Principal::Kind::kUser, "alice", "tax"};
  ASSERT_OK(store_->PutToken("hash-1", ent));
  ASSERT_OK(store_->PutToken("hash-2", user));

  ASSERT_OK_AND_ASSIGN(auto p1, store_->FindToken("hash-1"));
  ASSERT_TRUE(p1.has_value());
  EXPECT_EQ(p1->kind, Principal::Kind::kEnterprise);
  EXPECT_EQ(p1->id, "3301960001");
  EXPECT_EQ(p1->department, "");
  ASSERT_OK_AND_ASSIGN(auto p2, store_->FindToken("hash-2"));
  ASSERT_TRUE(p2.has_value());
  EXPECT_EQ(p2->kind, Principal::Kind::kUser);
  EXPECT_EQ(p2->id, "alice");
  EXPECT_EQ(p2->department, "tax");

  ASSERT_OK(store_->PutToken("hash-1", user));  // a token can be reassigned
  ASSERT_OK_AND_ASSIGN(p1, store_->FindToken("hash-1"));
  ASSERT_TRUE(p1.has_value());
  EXPECT_EQ(p1->kind, Principal::Kind::kUser);

  ASSERT_OK_AND_ASSIGN(auto none, store_->FindToken("nope"));
  EXPECT_FALSE(none.has_value());
}

TEST_P(StoreTest, PutDocumentInsertThenUpdateKeepsId) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  ASSERT_OK_AND_ASSIGN(auto missing, txn->FindDocument("orders", "ebp1", "O1"));
  EXPECT_FALSE(missing.has_value());

  DocumentRow d = Doc("orders", "ebp1", "O1");
  ASSERT_OK(txn->PutDocument(d));
  EXPECT_GT(d.id, 0);
  int64_t id = d.id;

  DocumentRow update = Doc("orders", "ebp1", "O1", "L1");
  update.status = "120";
  update.deleted = true;
  update.pii_sealed = "";
  update.updated_ms = 1700000009999;
  ASSERT_OK(txn->PutDocument(update));
  EXPECT_EQ(update.id, id);

  DocumentRow other_scope = Doc("orders", "ebp2", "O1");
  ASSERT_OK(txn->PutDocument(other_scope));
  EXPECT_NE(other_scope.id, id);
  DocumentRow other_kind = Doc("payments", "ebp1", "O1");
  ASSERT_OK(txn->PutDocument(other_kind));
  EXPECT_NE(other_kind.id, id);

  ASSERT_OK_AND_ASSIGN(auto found, txn->FindDocument("orders", "ebp1", "O1"));  // own writes
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->id, id);
  EXPECT_EQ(found->status, "120");
  EXPECT_EQ(found->alt_key, "L1");
  EXPECT_TRUE(found->deleted);
  EXPECT_EQ(found->pii_sealed, "");
  EXPECT_EQ(found->updated_ms, 1700000009999);
  EXPECT_EQ(found->message_type, "CEB311");
  EXPECT_EQ(found->parties, ",ebp1,");
  EXPECT_EQ(found->body_json, R"({"orderNo":"O1"})");
  EXPECT_EQ(found->buyer_hash, "bh");
  EXPECT_EQ(found->guid, "guid-O1");
  EXPECT_EQ(found->sender, "ebp1");
  EXPECT_EQ(found->return_info, "accepted");
  ASSERT_OK(txn->Commit());

  ASSERT_OK_AND_ASSIGN(int64_t count, store_->CountDocuments());
  EXPECT_EQ(count, 3);
}

TEST_P(StoreTest, FindDocumentsByKeyAndAltKeyAcrossScopes) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  DocumentRow a = Doc("inventories", "ebp1", "K1", "INV1");
  DocumentRow b = Doc("inventories", "ebp2", "K1");
  DocumentRow c = Doc("inventories", "ebp3", "K2", "K1");    // alt_key equals K1
  DocumentRow d = Doc("orders", "ebp1", "K1");               // other kind
  DocumentRow e = Doc("inventories", "ebp1", "K3", "INV3");  // unrelated
  DocumentRow f = Doc("inventories", "ebp4", "K1", "K1");    // both keys match: listed once
  for (DocumentRow* row : {&a, &b, &c, &d, &e, &f}) ASSERT_OK(txn->PutDocument(*row));
  ASSERT_OK(txn->Commit());

  ASSERT_OK_AND_ASSIGN(auto by_key, store_->FindDocuments("inventories", "K1"));
  ASSERT_EQ(by_key.size(), 4u);
  EXPECT_EQ(by_key[0].id, a.id);  // oldest first
  EXPECT_EQ(by_key[1].id, b.id);
  EXPECT_EQ(by_key[2].id, c.id);
  EXPECT_EQ(by_key[2].scope, "ebp3");
  EXPECT_EQ(by_key[3].id, f.id);

  ASSERT_OK_AND_ASSIGN(auto by_alt, store_->FindDocuments("inventories", "INV1"));
  ASSERT_EQ(by_alt.size(), 1u);
  EXPECT_EQ(by_alt[0].key, "K1");
  EXPECT_EQ(by_alt[0].scope, "ebp1");

  ASSERT_OK_AND_ASSIGN(auto none, store_->FindDocuments("inventories", "nope"));
  EXPECT_TRUE(none.empty());
  ASSERT_OK_AND_ASSIGN(auto empty_key, store_->FindDocuments("orders", ""));
  EXPECT_TRUE(empty_key.empty());  // d has no alt_key: an empty key matches nothing
}

TEST_P(StoreTest, DocumentsByStatusFiltersByKindTypeStatusAndTimeAndPagesById) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  std::vector<int64_t> want;
  for (int i = 0; i < 7; ++i) {
    DocumentRow d = Doc("inventories", "AGENT00001", "L" + std::to_string(i));
    d.message_type = "CEB603";
    ASSERT_OK(txn->PutDocument(d));
    ASSERT_OK(txn->SetDocumentStatus(d.id, "899", "closed", 1000 + i, ""));
    want.push_back(d.id);
  }
  DocumentRow other_type = Doc("inventories", "AGENT00001", "I1");  // CEB311 (import)
  DocumentRow other_status = Doc("inventories", "AGENT00001", "S1");
  other_status.message_type = "CEB603";
  DocumentRow other_kind = Doc("orders", "AGENT00001", "O1");
  other_kind.message_type = "CEB603";
  DocumentRow too_early = Doc("inventories", "AGENT00001", "E1");
  too_early.message_type = "CEB603";
  DocumentRow at_end = Doc("inventories", "AGENT00001", "E2");  // the end is exclusive
  at_end.message_type = "CEB603";
  DocumentRow deleted = Doc("inventories", "AGENT00001", "D1");
  deleted.message_type = "CEB603";
  deleted.deleted = true;
  for (DocumentRow* row : {&other_type, &other_status, &other_kind, &too_early, &at_end, &deleted})
    ASSERT_OK(txn->PutDocument(*row));
  ASSERT_OK(txn->SetDocumentStatus(other_type.id, "899", "", 1001, ""));
  ASSERT_OK(txn->SetDocumentStatus(other_kind.id, "899", "", 1001, ""));
  ASSERT_OK(txn->SetDocumentStatus(other_status.id, "800", "", 1001, ""));
  ASSERT_OK(txn->SetDocumentStatus(too_early.id, "899", "", 999, ""));
  ASSERT_OK(txn->SetDocumentStatus(at_end.id, "899", "", 2000, ""));
  ASSERT_OK(txn->SetDocumentStatus(deleted.id, "899", "", 1001, ""));
  ASSERT_OK(txn->Commit());

  std::vector<int64_t> got;
  int64_t after = 0;
  int pages = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(
        std::vector<DocumentRow> page,
        store_->DocumentsByStatus("inventories", "CEB603", "899", 1000, 2000, after, 3));
    if (page.empty()) break;
    ++pages;
    ASSERT_LE(page.size(), 3u);
    for (const DocumentRow& d : page) {
      EXPECT_EQ(d.status, "899");
      EXPECT_EQ(d.return_info, "closed");
      got.push_back(d.id);
    }
    after = page.back().id;
  }
  EXPECT_EQ(got, want);  // id order, nothing else
  EXPECT_EQ(pages, 3);
  ASSERT_OK_AND_ASSIGN(auto none,
                       store_->DocumentsByStatus("inventories", "CEB603", "899", 0, 1000, 0, 10));
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].id, too_early.id);
  ASSERT_OK_AND_ASSIGN(auto zero,
                       store_->DocumentsByStatus("inventories", "CEB603", "899", 0, 5000, 0, 0));
  EXPECT_TRUE(zero.empty());
}

StatCell Cell(std::string dim, std::string grain, std::string period, std::string direction,
              std::string mode, std::string ebc, std::string value, int64_t lists, int64_t money) {
  StatCell c;
  c.dim = std::move(dim);
  c.grain = std::move(grain);
  c.period = std::move(period);
  c.direction = std::move(direction);
  c.trade_mode = std::move(mode);
  c.zone = "suzhou";
  c.ebc = std::move(ebc);
  c.dim_value = std::move(value);
  c.n[0] = lists;
  c.n[3] = money;
  c.n[11] = -lists;  // counters may be negative (tax given back)
  return c;
}

TEST_P(StoreTest, StatCellsAddUpAndQueryGroupsByEveryKeyColumn) {
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
    ASSERT_OK(txn->AddStatCells({
        Cell("", "d", "2026-03-01", "I", "9610", "EBC1", "", 1, 100),
        Cell("", "d", "2026-03-02", "I", "1210", "EBC1", "", 2, 200),
        Cell("", "d", "2026-03-31", "E", "9710", "EBC2", "", 4, 400),
        Cell("", "d", "2026-04-01", "E", "9710", "EBC2", "", 8, 800),  // outside the range
        Cell("", "m", "2026-03", "I", "9610", "EBC1", "", 16, 1600),   // another grain
        Cell("hs", "d", "2026-03-01", "I", "9610", "EBC1", "3304", 32, 3200),
        Cell("hs", "d", "2026-03-01", "I", "9610", "EBC1", "3305", 64, 6400),
        // Quotes, backslashes, commas and braces survive PostgreSQL's array literals.
        Cell("country", "d", "2026-03-01", "I", "9610", "E\"B,C{}\\", "5\"0\\2", 1, 1),
        Cell("clr", "d", "2026-03-01", "I", "9610", "EBC1", "1200", 3, 0),
        Cell("clr", "d", "2026-03-02", "I", "9610", "EBC1", "1200", 2, 0),
        Cell("clr", "d", "2026-03-02", "E", "9610", "EBC1", "59", 1, 0),
    }));
    ASSERT_OK(txn->Commit());
  }
  {
    // A second transaction adds to the same keys.
    ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
    ASSERT_OK(txn->AddStatCells({Cell("", "d", "2026-03-01", "I", "9610", "EBC1", "", 1, 50)}));
    ASSERT_OK(txn->Commit());
  }
  StatQuery q;
  q.dim = "";
  q.grain = "d";
  q.period_from = "2026-03-01";
  q.period_to = "2026-03-31";
  q.group = "period";
  ASSERT_OK_AND_ASSIGN(std::vector<StatGroup> by_day, store_->QueryStats(q));
  ASSERT_EQ(by_day.size(), 3u);
  EXPECT_EQ(by_day[0].key, "2026-03-01");
  EXPECT_EQ(by_day[0].n[0], 2);
  EXPECT_EQ(by_day[0].n[3], 150);
  EXPECT_EQ(by_day[0].n[11], -2);
  EXPECT_EQ(by_day[2].key, "2026-03-31");
  EXPECT_EQ(by_day[2].n[0], 4);

  q.group = "";
  ASSERT_OK_AND_ASSIGN(std::vector<StatGroup> all, store_->QueryStats(q));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].key, "");
  EXPECT_EQ(all[0].n[0], 1 + 1 + 2 + 4);

  q.group = "direction";
  q.trade_mode = "9710";
  ASSERT_OK_AND_ASSIGN(std::vector<StatGroup> exports, store_->QueryStats(q));
  ASSERT_EQ(exports.size(), 1u);
  EXPECT_EQ(exports[0].key, "E");
  EXPECT_EQ(exports[0].n[0], 4);
  q.trade_mode.clear();
  q.ebc = "EBC1";
  q.group = "trade_mode";
  ASSERT_OK_AND_ASSIGN(std::vector<StatGroup> modes, store_->QueryStats(q));
  ASSERT_EQ(modes.size(), 2u);
  EXPECT_EQ(modes[0].key, "1210");
  EXPECT_EQ(modes[1].key, "9610");
  EXPECT_EQ(modes[1].n[0], 2);
  q.ebc.clear();
  q.zone = "wuxi";
  ASSERT_OK_AND_ASSIGN(std::vector<StatGroup> none, store_->QueryStats(q));
  EXPECT_TRUE(none.empty());
  q.zone.clear();

  q.dim = "hs";
  q.group = "dim_value2";
  ASSERT_OK_AND_ASSIGN(std::vector<StatGroup> chapters, store_->QueryStats(q));
  ASSERT_EQ(chapters.size(), 1u);
  EXPECT_EQ(chapters[0].key, "33");
  EXPECT_EQ(chapters[0].n[0], 96);

  q.dim = "country";
  q.group = "ebc";
  q.and_dim_value = true;
  ASSERT_OK_AND_ASSIGN(std::vector<StatGroup> odd, store_->QueryStats(q));
  ASSERT_EQ(odd.size(), 1u);
  EXPECT_EQ(odd[0].key, "E\"B,C{}\\");
  EXPECT_EQ(odd[0].dim_value, "5\"0\\2");

  q.dim = "clr";
  q.group = "direction";
  ASSERT_OK_AND_ASSIGN(std::vector<StatGroup> hist, store_->QueryStats(q));
  ASSERT_EQ(hist.size(), 2u);  // (E, 59) and (I, 1200)
  EXPECT_EQ(hist[0].key, "E");
  EXPECT_EQ(hist[0].dim_value, "59");
  EXPECT_EQ(hist[1].key, "I");
  EXPECT_EQ(hist[1].dim_value, "1200");
  EXPECT_EQ(hist[1].n[0], 5);

  q.dim = "";
  q.grain = "m";
  q.period_from = "2026-01";
  q.period_to = "2026-12";
  q.group = "month";
  q.and_dim_value = false;
  ASSERT_OK_AND_ASSIGN(std::vector<StatGroup> months, store_->QueryStats(q));
  ASSERT_EQ(months.size(), 1u);
  EXPECT_EQ(months[0].key, "2026-03");
  EXPECT_EQ(months[0].n[0], 16);

  q.group = "bogus";
  EXPECT_EQ(store_->QueryStats(q).status().code(), Code::kInvalidArgument);
}

TEST_P(StoreTest, DocumentsOfPartyListsAPartysDocumentsNewestFirst) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  std::vector<int64_t> mine;
  for (int i = 0; i < 5; ++i) {
    DocumentRow d = Doc(i % 2 ? "orders" : "inventories", "AGENT00001", "K" + std::to_string(i));
    d.parties = ",EBC_0001,AGENT00001,";
    ASSERT_OK(txn->PutDocument(d));
    mine.push_back(d.id);
  }
  DocumentRow other = Doc("orders", "AGENT00002", "X");
  other.parties = ",EBCX0001,";  // EBC_0001's '_' must not match any character
  ASSERT_OK(txn->PutDocument(other));
  DocumentRow gone = Doc("orders", "AGENT00001", "G");
  gone.parties = ",EBC_0001,";
  gone.deleted = true;
  ASSERT_OK(txn->PutDocument(gone));
  ASSERT_OK(txn->Commit());

  ASSERT_OK_AND_ASSIGN(auto page1, store_->DocumentsOfParty("EBC_0001", "", 0, 3));
  ASSERT_EQ(page1.size(), 3u);
  EXPECT_EQ(page1[0].id, mine[4]);
  EXPECT_EQ(page1[2].id, mine[2]);
  ASSERT_OK_AND_ASSIGN(auto page2, store_->DocumentsOfParty("EBC_0001", "", page1[2].id, 3));
  ASSERT_EQ(page2.size(), 2u);
  EXPECT_EQ(page2[1].id, mine[0]);
  ASSERT_OK_AND_ASSIGN(auto orders, store_->DocumentsOfParty("EBC_0001", "orders", 0, 10));
  ASSERT_EQ(orders.size(), 2u);
  ASSERT_OK_AND_ASSIGN(auto everyone, store_->DocumentsOfParty("", "", 0, 100));
  EXPECT_EQ(everyone.size(), 6u);  // all but the deleted one
}

TEST_P(StoreTest, BuyerHasDocumentWithMatchesWholePartyCodes) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  DocumentRow order = Doc("orders", "EBP0000001", "O1");
  order.parties = ",EBP0000001,EBC0000001,";
  order.buyer_hash = "buyer-a";
  DocumentRow other = Doc("orders", "EBP0000002", "O2");
  other.parties = ",EBP0000002,A_B,";
  other.buyer_hash = "buyer-b";
  DocumentRow anonymous = Doc("orders", "EBP0000003", "O3");
  anonymous.parties = ",EBP0000003,";
  anonymous.buyer_hash = "";
  for (DocumentRow* row : {&order, &other, &anonymous}) ASSERT_OK(txn->PutDocument(*row));
  ASSERT_OK(txn->Commit());

  auto has = [&](const std::string& hash, const std::string& code) {
    StatusOr<bool> r = store_->BuyerHasDocumentWith(hash, code);
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    return r.ok() && *r;
  };
  EXPECT_TRUE(has("buyer-a", "EBP0000001"));
  EXPECT_TRUE(has("buyer-a", "EBC0000001"));
  EXPECT_FALSE(has("buyer-a", "EBP0000002"));  // a party of another buyer's document
  EXPECT_FALSE(has("buyer-a", "EBP000000"));   // a prefix is not the code
  EXPECT_FALSE(has("buyer-a", "BP0000001"));   // nor a suffix
  EXPECT_FALSE(has("buyer-a", "EBP%"));        // LIKE wildcards are plain characters
  EXPECT_FALSE(has("buyer-b", "A%B"));
  EXPECT_FALSE(has("buyer-b", "AxB"));
  EXPECT_TRUE(has("buyer-b", "A_B"));
  EXPECT_FALSE(has("buyer-c", "EBP0000001"));  // no document of that buyer
  EXPECT_FALSE(has("", "EBP0000003"));         // an empty hash matches nothing
  EXPECT_FALSE(has("buyer-a", ""));
}

TEST_P(StoreTest, SetDocumentStatusChangesOnlyStatusInfoTimeAndAltKey) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  DocumentRow d = Doc("inventories", "AGENT00001", "COP1");
  d.body_json = R"({"copNo":"COP1"})";
  d.pii_sealed = std::string("\0sealed", 7);
  ASSERT_OK(txn->PutDocument(d));
  ASSERT_OK(txn->SetDocumentStatus(d.id, "120", "matched", 5000, "2377202600000001I"));
  ASSERT_OK(txn->SetDocumentStatus(d.id, "800", "released", 6000, ""));  // keeps the alt_key
  Status missing = txn->SetDocumentStatus(d.id + 1000, "800", "x", 1, "");
  EXPECT_EQ(missing.code(), Code::kNotFound);
  ASSERT_OK_AND_ASSIGN(txn, store_->BeginWrite());  // the failure finished the first txn
  ASSERT_OK(txn->PutState("ns", "k", "v"));
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(std::vector<DocumentRow> found,
                       store_->FindDocuments("inventories", "2377202600000001I"));
  // The failed transaction rolled the status changes back with it.
  EXPECT_TRUE(found.empty());

  ASSERT_OK_AND_ASSIGN(txn, store_->BeginWrite());
  ASSERT_OK(txn->PutDocument(d));
  ASSERT_OK(txn->SetDocumentStatus(d.id, "120", "matched", 5000, "2377202600000001I"));
  ASSERT_OK(txn->SetDocumentStatus(d.id, "800", "released", 6000, ""));
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(found, store_->FindDocuments("inventories", "2377202600000001I"));
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].status, "800");
  EXPECT_EQ(found[0].return_info, "released");
  EXPECT_EQ(found[0].updated_ms, 6000);
  EXPECT_EQ(found[0].body_json, d.body_json);
  EXPECT_EQ(found[0].pii_sealed, d.pii_sealed);
  EXPECT_EQ(found[0].key, "COP1");
}

TEST_P(StoreTest, ModuleStateGetPutDeleteAndScanInKeyOrder) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  for (const char* k : {"0000000000200|b", "0000000000100|a", "0000000000300|c"})
    ASSERT_OK(txn->PutState("wait", k, std::string("v") + k[14]));
  ASSERT_OK(txn->PutState("other", "0000000000150|x", "no"));
  ASSERT_OK(txn->PutState("wait", "0000000000100|a", "replaced"));
  ASSERT_OK_AND_ASSIGN(auto got, txn->GetState("wait", "0000000000100|a"));
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, "replaced");
  ASSERT_OK_AND_ASSIGN(auto range, txn->ScanState("wait", "", "0000000000250", 10));
  ASSERT_EQ(range.size(), 2u);
  EXPECT_EQ(range[0].first, "0000000000100|a");
  EXPECT_EQ(range[1].first, "0000000000200|b");
  ASSERT_OK(txn->DeleteState("wait", "0000000000200|b"));
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(auto all, store_->ReadStateRange("wait", "", "", 10));
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].first, "0000000000300|c");
  ASSERT_OK_AND_ASSIGN(auto limited, store_->ReadStateRange("wait", "0000000000101", "", 1));
  ASSERT_EQ(limited.size(), 1u);
  EXPECT_EQ(limited[0].second, "vc");
  ASSERT_OK_AND_ASSIGN(auto none, store_->ReadState("wait", "0000000000200|b"));
  EXPECT_FALSE(none.has_value());
}

TEST_P(StoreTest, HistoryInInsertionOrder) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  DocumentRow d = Doc("orders", "ebp1", "O1");
  DocumentRow other = Doc("orders", "ebp1", "O2");
  ASSERT_OK(txn->PutDocument(d));
  ASSERT_OK(txn->PutDocument(other));
  ASSERT_OK(txn->AddHistory(d.id, {"2", 1000, "received"}));
  ASSERT_OK(txn->AddHistory(other.id, {"2", 1500, "other"}));
  ASSERT_OK(txn->AddHistory(d.id, {"120", 2000, "cleared"}));
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(txn, store_->BeginWrite());
  ASSERT_OK(txn->AddHistory(d.id, {"399", 3000, "released"}));
  ASSERT_OK(txn->Commit());

  ASSERT_OK_AND_ASSIGN(auto history, store_->History(d.id));
  ASSERT_EQ(history.size(), 3u);
  EXPECT_EQ(history[0].status, "2");
  EXPECT_EQ(history[0].time_ms, 1000);
  EXPECT_EQ(history[0].info, "received");
  EXPECT_EQ(history[1].status, "120");
  EXPECT_EQ(history[2].status, "399");
  EXPECT_EQ(history[2].time_ms, 3000);
  ASSERT_OK_AND_ASSIGN(auto none, store_->History(d.id + other.id + 100));
  EXPECT_TRUE(none.empty());
}

TEST_P(StoreTest, TxnDestroyedWithoutCommitRollsBack) {
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
    DocumentRow d = Doc("orders", "ebp1", "O1");
    ASSERT_OK(txn->PutDocument(d));
    ASSERT_OK(txn->AddHistory(d.id, {"2", 1, ""}));
    ASSERT_OK(txn->AddMessage(Msg("g1")));
    ReceiptRow r = Receipt("ebp1", "x");
    ASSERT_OK(txn->AddReceipt(r));
  }
  ASSERT_OK_AND_ASSIGN(int64_t messages, store_->CountMessages());
  ASSERT_OK_AND_ASSIGN(int64_t documents, store_->CountDocuments());
  ASSERT_OK_AND_ASSIGN(int64_t receipts, store_->CountReceipts());
  EXPECT_EQ(messages, 0);
  EXPECT_EQ(documents, 0);
  EXPECT_EQ(receipts, 0);
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());  // the writer is free again
  ASSERT_OK_AND_ASSIGN(bool exists, txn->MessageExists("g1"));
  EXPECT_FALSE(exists);
  ASSERT_OK_AND_ASSIGN(auto doc, txn->FindDocument("orders", "ebp1", "O1"));
  EXPECT_FALSE(doc.has_value());
}

TEST_P(StoreTest, MessageExistsAfterCommit) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  ASSERT_OK_AND_ASSIGN(bool exists, txn->MessageExists("g1"));
  EXPECT_FALSE(exists);
  ASSERT_OK(txn->AddMessage(Msg("g1")));
  ASSERT_OK_AND_ASSIGN(exists, txn->MessageExists("g1"));  // own write
  EXPECT_TRUE(exists);
  ASSERT_OK(txn->Commit());

  ASSERT_OK_AND_ASSIGN(txn, store_->BeginWrite());
  ASSERT_OK_AND_ASSIGN(exists, txn->MessageExists("g1"));
  EXPECT_TRUE(exists);
  ASSERT_OK_AND_ASSIGN(exists, txn->MessageExists("g2"));
  EXPECT_FALSE(exists);
}

TEST_P(StoreTest, DuplicateMessageFailsTheTxn) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  ASSERT_OK(txn->AddMessage(Msg("g1")));
  ASSERT_OK(txn->Commit());

  ASSERT_OK_AND_ASSIGN(txn, store_->BeginWrite());
  ASSERT_OK(txn->AddMessage(Msg("g2")));
  Status dup = txn->AddMessage(Msg("g1"));
  EXPECT_EQ(dup.code(), Code::kAlreadyExists) << dup.ToString();
  // Same on both engines: the transaction is finished and commits nothing.
  EXPECT_EQ(txn->AddMessage(Msg("g3")).code(), Code::kFailedPrecondition);
  EXPECT_EQ(txn->Commit().code(), Code::kFailedPrecondition);
  txn.reset();
  ASSERT_OK_AND_ASSIGN(int64_t count, store_->CountMessages());
  EXPECT_EQ(count, 1);
}

TEST_P(StoreTest, CommitTwiceFails) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  ASSERT_OK(txn->AddMessage(Msg("g1")));
  ASSERT_OK(txn->Commit());
  EXPECT_EQ(txn->Commit().code(), Code::kFailedPrecondition);
  EXPECT_EQ(txn->AddMessage(Msg("g2")).code(), Code::kFailedPrecondition);
  txn.reset();
  ASSERT_OK_AND_ASSIGN(int64_t count, store_->CountMessages());
  EXPECT_EQ(count, 1);
}

TEST_P(StoreTest, ReceiptsPageByCursorPerRecipient) {
  std::vector<int64_t> mine;
  for (int batch = 0; batch < 3; ++batch) {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
    for (int i = 0; i < 3; ++i) {
      ReceiptRow r = Receipt("ebp1", "r" + std::to_string(batch * 3 + i));
      ASSERT_OK(txn->AddReceipt(r));
      if (!mine.empty()) {
        EXPECT_GT(r.cursor, mine.back());
      }
      mine.push_back(r.cursor);
      ReceiptRow other = Receipt("ebp2", "other");
      ASSERT_OK(txn->AddReceipt(other));
      EXPECT_GT(other.cursor, r.cursor);
    }
    ASSERT_OK(txn->Commit());
  }

  std::vector<ReceiptRow> all;
  int64_t after = 0;
  int pages = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto page, store_->Receipts("ebp1", after, 4));
    if (page.empty()) break;
    ++pages;
    EXPECT_LE(page.size(), 4u);
    for (auto& r : page) all.push_back(r);
    after = page.back().cursor;
  }
  EXPECT_EQ(pages, 3);  // 4 + 4 + 1
  ASSERT_EQ(all.size(), 9u);
  for (size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].cursor, mine[i]);
    EXPECT_EQ(all[i].recipient, "ebp1");
    EXPECT_EQ(all[i].return_info, "r" + std::to_string(i));
  }
  EXPECT_EQ(all[0].type, "CEB312");
  EXPECT_EQ(all[0].return_status, "2");
  EXPECT_EQ(all[0].keys_json, R"({"orderNo":"1"})");
  EXPECT_EQ(all[0].xml, "<CEB312Message/>");
  EXPECT_EQ(all[0].time_ms, 1700000000456);

  ASSERT_OK_AND_ASSIGN(auto tail, store_->Receipts("ebp1", mine[6], 100));
  ASSERT_EQ(tail.size(), 2u);
  EXPECT_EQ(tail[0].cursor, mine[7]);
  ASSERT_OK_AND_ASSIGN(auto none, store_->Receipts("ebp1", mine.back(), 100));
  EXPECT_TRUE(none.empty());
  ASSERT_OK_AND_ASSIGN(auto nobody, store_->Receipts("ebp9", 0, 100));
  EXPECT_TRUE(nobody.empty());
  ASSERT_OK_AND_ASSIGN(auto zero, store_->Receipts("ebp1", 0, 0));
  EXPECT_TRUE(zero.empty());
  ASSERT_OK_AND_ASSIGN(int64_t count, store_->CountReceipts());
  EXPECT_EQ(count, 18);
}

TEST_P(StoreTest, BlobsWithNulBytesRoundTripExactly) {
  std::string bytes;
  for (int i = 0; i < 256; ++i) bytes.push_back(static_cast<char>(i));
  bytes += std::string("\0\0\xff\0", 4);
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  DocumentRow d = Doc("orders", "ebp1", "O1");
  d.pii_sealed = bytes;
  ASSERT_OK(txn->PutDocument(d));
  ASSERT_OK(txn->AddMessage(Msg("g1", bytes)));
  ASSERT_OK(txn->AddMessage(Msg("g2", "")));
  ASSERT_OK_AND_ASSIGN(auto in_txn, txn->FindDocument("orders", "ebp1", "O1"));
  ASSERT_TRUE(in_txn.has_value());
  EXPECT_EQ(in_txn->pii_sealed, bytes);
  ASSERT_OK(txn->Commit());

  ASSERT_OK_AND_ASSIGN(auto docs, store_->FindDocuments("orders", "O1"));
  ASSERT_EQ(docs.size(), 1u);
  EXPECT_EQ(docs[0].pii_sealed.size(), bytes.size());
  EXPECT_EQ(docs[0].pii_sealed, bytes);
  ASSERT_OK_AND_ASSIGN(auto messages, store_->Messages(0, 10));
  ASSERT_EQ(messages.size(), 2u);
  EXPECT_EQ(messages[0].body_sealed, bytes);
  EXPECT_EQ(messages[1].body_sealed, "");
}

TEST_P(StoreTest, MessagesPageInArrivalOrder) {
  for (int batch = 0; batch < 2; ++batch) {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
    for (int i = 0; i < 5; ++i) {
      ASSERT_OK(txn->AddMessage(Msg("g" + std::to_string(batch * 5 + i))));
    }
    ASSERT_OK(txn->Commit());
  }
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());  // rolled back: leaves a gap on PG
    ASSERT_OK(txn->AddMessage(Msg("rolled-back")));
  }
  {
    ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
    ASSERT_OK(txn->AddMessage(Msg("g10")));
    ASSERT_OK(txn->Commit());
  }

  std::vector<MessageRow> all;
  int64_t after = 0;
  while (true) {
    ASSERT_OK_AND_ASSIGN(auto page, store_->Messages(after, 3));
    if (page.empty()) break;
    EXPECT_LE(page.size(), 3u);
    for (auto& m : page) {
      EXPECT_GT(m.id, after);
      after = m.id;
      all.push_back(m);
    }
  }
  ASSERT_EQ(all.size(), 11u);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i].guid, "g" + std::to_string(i));
  EXPECT_EQ(all[0].type, "CEB311");
  EXPECT_EQ(all[0].sender, "3301960001");
  EXPECT_EQ(all[0].format, "xml");
  EXPECT_EQ(all[0].received_ms, 1700000000123);
  EXPECT_EQ(all[0].body_sealed, "body");
  ASSERT_OK_AND_ASSIGN(auto zero, store_->Messages(0, 0));
  EXPECT_TRUE(zero.empty());
}

TEST_P(StoreTest, Counts) {
  ASSERT_OK_AND_ASSIGN(int64_t n, store_->CountMessages());
  EXPECT_EQ(n, 0);
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  for (int i = 0; i < 7; ++i) {
    ASSERT_OK(txn->AddMessage(Msg("g" + std::to_string(i))));
    DocumentRow d = Doc("orders", "ebp1", "O" + std::to_string(i % 3));  // 3 distinct
    ASSERT_OK(txn->PutDocument(d));
    ReceiptRow r = Receipt("ebp1", "");
    ASSERT_OK(txn->AddReceipt(r));
    ASSERT_OK(txn->AddReceipt(r));
  }
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(n, store_->CountMessages());
  EXPECT_EQ(n, 7);
  ASSERT_OK_AND_ASSIGN(n, store_->CountDocuments());
  EXPECT_EQ(n, 3);
  ASSERT_OK_AND_ASSIGN(n, store_->CountReceipts());
  EXPECT_EQ(n, 14);
}

TEST_P(StoreTest, ReadsDoNotWaitForTheWriter) {
  ASSERT_OK_AND_ASSIGN(auto txn, store_->BeginWrite());
  ASSERT_OK(txn->AddMessage(Msg("g1")));
  // Same thread, writer open with an uncommitted row: reads answer with the committed state.
  ASSERT_OK_AND_ASSIGN(int64_t n, store_->CountMessages());
  EXPECT_EQ(n, 0);
  ASSERT_OK_AND_ASSIGN(auto messages, store_->Messages(0, 10));
  EXPECT_TRUE(messages.empty());
  ASSERT_OK(txn->Commit());
  ASSERT_OK_AND_ASSIGN(n, store_->CountMessages());
  EXPECT_EQ(n, 1);
}

TEST_P(StoreTest, BeginWriteWaitsForTheOpenTxn) {
  ASSERT_OK_AND_ASSIGN(auto first, store_->BeginWrite());
  std::atomic<bool> first_done{false};
  std::atomic<bool> second_saw_first_done{false};
  Status second_status;
  std::thread second([&] {
    StatusOr<std::unique_ptr<WriteTxn>> txn = store_->BeginWrite();
    second_saw_first_done = first_done.load();
    if (!txn.ok()) {
      second_status = txn.status();
      return;
    }
    second_status = (*txn)->AddMessage(Msg("g2"));
    if (second_status.ok()) second_status = (*txn)->Commit();
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  ASSERT_OK(first->AddMessage(Msg("g1")));
  first_done = true;
  ASSERT_OK(first->Commit());
  first.reset();  // releases the writer
  second.join();
  ASSERT_OK(second_status);
  EXPECT_TRUE(second_saw_first_done);
  ASSERT_OK_AND_ASSIGN(int64_t n, store_->CountMessages());
  EXPECT_EQ(n, 2);
}

// Two writer threads committing small transactions; on a second Store too, the way two
// server replicas share one database.
void WriteConcurrently(Store& a, Store& b, int per_thread) {
  std::vector<Status> errors[2];
  std::vector<int64_t> cursors[2];
  auto writer = [&](int t, Store& store) {
    for (int i = 0; i < per_thread; ++i) {
      std::string key = "t" + std::to_string(t) + "_" + std::to_string(i);
      Status st = [&]() -> Status {
        ASSIGN_OR_RETURN(std::unique_ptr<WriteTxn> txn, store.BeginWrite());
        ASSIGN_OR_RETURN(bool exists, txn->MessageExists("g" + key));
        if (exists) return Internal("message seen before it was written: " + key);
        MessageRow m;
        m.guid = "g" + key;
        m.body_sealed = key;
        RETURN_IF_ERROR(txn->AddMessage(m));
        DocumentRow d;
        d.kind = "orders";
        d.scope = "ebp" + std::to_string(t);
        d.key = key;
        RETURN_IF_ERROR(txn->PutDocument(d));
        RETURN_IF_ERROR(txn->AddHistory(d.id, HistoryRow{"2", i, key}));
        ReceiptRow r;
        r.recipient = "ebp" + std::to_string(t);
        RETURN_IF_ERROR(txn->AddReceipt(r));
        cursors[t].push_back(r.cursor);
        return txn->Commit();
      }();
      if (!st.ok()) errors[t].push_back(st);
    }
  };
  std::atomic<bool> stop{false};
  std::atomic<int> reads{0};
  std::thread reader([&] {
    while (!stop) {
      if (a.CountMessages().ok()) ++reads;
    }
  });
  std::thread t0(writer, 0, std::ref(a));
  std::thread t1(writer, 1, std::ref(b));
  t0.join();
  t1.join();
  stop = true;
  reader.join();

  for (int t = 0; t < 2; ++t) {
    for (const Status& st : errors[t]) ADD_FAILURE() << "thread " << t << ": " << st.ToString();
    for (size_t i = 1; i < cursors[t].size(); ++i) EXPECT_GT(cursors[t][i], cursors[t][i - 1]);
  }
  EXPECT_GT(reads.load(), 0);
  int64_t total = 2 * static_cast<int64_t>(per_thread);
  for (Store* s : {&a, &b}) {
    StatusOr<int64_t> n = s->CountMessages();
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, total);
    n = s->CountDocuments();
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, total);
    n = s->CountReceipts();
    ASSERT_TRUE(n.ok());
    EXPECT_EQ(*n, total);
  }
  for (int t = 0; t < 2; ++t) {
    StatusOr<std::vector<ReceiptRow>> feed = a.Receipts("ebp" + std::to_string(t), 0, 1000);
    ASSERT_TRUE(feed.ok());
    ASSERT_EQ(feed->size(), static_cast<size_t>(per_thread));
    for (int i = 0; i < per_thread; ++i) EXPECT_EQ((*feed)[i].cursor, cursors[t][i]);
    StatusOr<std::vector<DocumentRow>> docs =
        a.FindDocuments("orders", "t" + std::to_string(t) + "_" + std::to_string(per_thread - 1));
    ASSERT_TRUE(docs.ok());
    ASSERT_EQ(docs->size(), 1u);
    StatusOr<std::vector<HistoryRow>> history = b.History((*docs)[0].id);
    ASSERT_TRUE(history.ok());
    ASSERT_EQ(history->size(), 1u);
  }
}

TEST_P(StoreTest, TwoThreadsCommitConcurrently) { WriteConcurrently(*store_, *store_, 200); }

TEST_P(StoreTest, TwoStoresOnOneDatabaseCommitConcurrently) {
  ASSERT_OK_AND_ASSIGN(std::unique_ptr<Store> second, Open());
  WriteConcurrently(*store_, *second, 200);
}

INSTANTIATE_TEST_SUITE_P(Engines, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const ::testing::TestParamInfo<std::string>& info) {
                           return info.param;
                         });

}  // namespace
}  // namespace shumao::store

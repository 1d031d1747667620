// Intake: the path of every CEB message from bytes to a durable, answered record.
//
//   Prepare (any thread, pure but for registry look-ups):
//     decode XML/JSON → [strict: official XSD] → field rules → who may send it →
//     registered parties → a PreparedMessage ready to commit, or the error answer
//   Commit (the batching writer, one thread):
//     duplicate checks (same guid; same business key with appType 1), appType 1/2/3
//     against the stored state, documents + history + sealed raw message + receipts,
//     ONE transaction for many messages (group commit); each caller is answered only
//     after its batch has committed.
//
// Thread safety: Submit/Prepare/Commit may be called from many threads.
#ifndef SHUMAO_INTAKE_INTAKE_H_
#define SHUMAO_INTAKE_INTAKE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ceb/catalog.h"
#include "ceb/codec.h"
#include "ceb/message.h"
#include "ceb/xsd_validator.h"
#include "common/code_tables.h"
#include "common/crypto.h"
#include "common/time.h"
#include "registry/registry_types.h"
#include "store/store.h"

namespace shumao::intake {

// A business module that follows declarations as they are stored (clearance). Both calls
// run on the writer thread inside the batch's transaction, so what the hook writes commits
// or rolls back with the declaration. An error status means the store failed: the whole
// batch is rolled back and answered 503. Business refusals are answers, not errors.
struct AppliedEntity {
  const ceb::DocumentSpec* spec = nullptr;
  const ceb::Node* entity = nullptr;  // the whole entity (head and lists), personal data included
  const ceb::Node* head = nullptr;
  const store::DocumentRow* row = nullptr;  // as stored: id, status, kind, scope, key
  std::string app_type;                     // "1", "2" or "3"
  std::string pre_no;                       // the e-Port number the receipt carries
  std::string sender;
  Timestamp time;
};

struct HookRefusal {
  std::string return_status;  // a negative code of the standard, e.g. "-623005"
  std::string return_info;
};

class Hook {
 public:
  virtual ~Hook() = default;
  // Before the entity is stored (row.id is 0 for a new document): a refusal answers the
  // sender with it and stores nothing.
  virtual StatusOr<std::optional<HookRefusal>> Check(store::WriteTxn& txn,
                                                     const AppliedEntity& e) = 0;
  // After the entity and its history row are stored.
  virtual Status AfterApply(store::WriteTxn& txn, const AppliedEntity& e) = 0;
};

struct IntakeOptions {
  ceb::DecodeLimits limits;
  const ceb::XsdValidator* xsd = nullptr;  // strict mode when set
  std::shared_ptr<const CodeTables> codes;
  std::shared_ptr<const Vault> vault;
  const Clock* clock = &Clock::System();
  size_t max_batch = 1000;  // messages per transaction
  Hook* hook = nullptr;     // clearance; must outlive the Intake
};

struct Submission {
  std::string body;
  ceb::Format format = ceb::Format::kXml;
  registry::Principal principal;
  bool replay = false;  // take the message's appTime as the clock
};

// One business entity's answer, for NDJSON output and tests.
struct EntityOutcome {
  std::string kind;           // "orders"
  std::string key;            // business key
  std::string return_status;  // "2" or a negative code
  std::string return_info;
};

struct IntakeResult {
  int http_status = 200;  // 200, 400, 403, 413, 415, 503
  ceb::Format format = ceb::Format::kXml;
  std::string body;          // the receipt, CEB900, or the JSON error
  std::string message_type;  // "CEB311" when known
  std::string receipt_type;  // "CEB312" when a receipt was produced
  std::vector<EntityOutcome> entities;
  Status error;  // why it was refused (ok when a receipt was produced)
};

class PreparedMessage;  // opaque: a checked message ready to commit

class Intake {
 public:
  virtual ~Intake() = default;
  static StatusOr<std::unique_ptr<Intake>> Create(store::Store* store, IntakeOptions options);

  // Prepare and commit one message; blocks until it is durable (or refused).
  virtual IntakeResult Submit(Submission submission) = 0;

  // The two halves, for callers that parse in parallel and commit in order (ingest,
  // benchmarks). A refused message's Prepare result carries its final answer.
  struct Prepared {
    std::shared_ptr<PreparedMessage> message;  // null when refused
    IntakeResult refused;
  };
  virtual Prepared Prepare(Submission submission) = 0;
  // Commits in the given order, in as few transactions as the batch limit allows.
  virtual std::vector<IntakeResult> CommitAll(std::vector<Prepared> prepared) = 0;

  // Forget cached registry entries (after `enterprise add` in this process).
  virtual void InvalidateRegistry() = 0;
};

// The JSON error body of the API: {"error":{"code":..,"message":..,"field":..}}.
std::string JsonError(const Status& status);
int HttpStatusOf(Code code);

}  // namespace shumao::intake

#endif  // SHUMAO_INTAKE_INTAKE_H_

#include "intake/intake.h"

#include <condition_variable>
#include <deque>
#include <future>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "ceb/catalog.h"
#include "ceb/check.h"
#include "ceb/receipt.h"
#include "common/strings.h"
#include "registry/authorizer.h"

namespace shumao::intake {

// One business entity of a checked message, with everything the writer needs.
struct PreparedEntity {
  const ceb::Node* entity = nullptr;
  const ceb::Node* head = nullptr;
  std::string app_type;
  std::string status;  // "1" saved (appStatus 1) or "2" declared
  store::DocumentRow row;
  std::optional<registry::PartyProblem> refused;
};

class PreparedMessage {
 public:
  ceb::Message message;
  const ceb::DocumentSpec* spec = nullptr;
  const ceb::MessageDef* receipt_def = nullptr;
  Submission submission;
  std::string sender;  // enterprise code (or user name)
  Timestamp time;
  std::string body_sealed;  // the raw message, sealed on the preparing thread
  std::vector<PreparedEntity> entities;
  // For one-entity messages: the receipt as it will read if the entity is accepted, built
  // on the preparing thread with kPreNoMark where the preNo goes (the writer patches it).
  std::string accept_xml, accept_json;
  std::string accept_info;
};

namespace {

std::string CodeString(Code c) {
  switch (c) {
    case Code::kInvalidArgument: return "invalid_argument";
    case Code::kUnsupportedMedia: return "unsupported_media_type";
    case Code::kTooLarge: return "too_large";
    case Code::kUnauthenticated: return "unauthenticated";
    case Code::kPermissionDenied: return "permission_denied";
    case Code::kNotFound: return "not_found";
    case Code::kAlreadyExists: return "already_exists";
    case Code::kFailedPrecondition: return "failed_precondition";
    case Code::kResourceExhausted: return "rate_limited";
    case Code::kUnavailable: return "unavailable";
    default: return "internal";
  }
}

// The document is still with the sender (saved or declared, not yet taken up by
// customs), or customs sent it back (100) to be corrected: modify and delete are allowed
// only then.
bool Modifiable(const std::string& status) {
  return status == "1" || status == "2" || status == "100";
}

// The text of an accepting receipt, by operation.
std::string AcceptInfo(const std::string& app_type, const std::string& status,
                       const std::string& guid) {
  if (app_type == "2") return "变更申报成功[" + guid + "]";
  if (app_type == "3") return "删除成功[" + guid + "]";
  return status == "1" ? "暂存成功[" + guid + "]" : "新增申报成功[" + guid + "]";
}

// Stands for the preNo in a receipt built before the document has its id; 18 characters,
// like a real preNo, so that the receipt validates and the patch is a plain overwrite.
constexpr std::string_view kPreNoMark = "PRENO_PLACEHOLDER_";
static_assert(kPreNoMark.size() == 18);

std::string PreNo(Timestamp t, int64_t id) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "B%s%09lld", FormatC8(t).c_str(),
                static_cast<long long>(id % 1000000000LL));
  return buf;
}

class IntakeImpl : public Intake {
 public:
  IntakeImpl(store::Store* store, IntakeOptions options)
      : store_(store), opt_(std::move(options)), writer_([this] { WriterLoop(); }) {}

  ~IntakeImpl() override {
    {
      std::lock_guard lock(mu_);
      stop_ = true;
    }
    cv_.notify_all();
    writer_.join();
  }

  IntakeResult Submit(Submission submission) override {
    Prepared p = Prepare(std::move(submission));
    if (!p.message) return std::move(p.refused);
    std::promise<IntakeResult> done;
    auto future = done.get_future();
    {
      std::lock_guard lock(mu_);
      queue_.push_back(Job{std::move(p.message), &done});
    }
    cv_.notify_one();
    return future.get();
  }

  std::vector<IntakeResult> CommitAll(std::vector<Prepared> prepared) override {
    std::vector<IntakeResult> results(prepared.size());
    std::vector<std::shared_ptr<PreparedMessage>> batch;
    std::vector<size_t> where;
    auto flush = [&] {
      if (batch.empty()) return;
      std::vector<IntakeResult> r = CommitBatch(batch);
      for (size_t i = 0; i < r.size(); ++i) results[where[i]] = std::move(r[i]);
      batch.clear();
      where.clear();
    };
    for (size_t i = 0; i < prepared.size(); ++i) {
      if (!prepared[i].message) {
        results[i] = std::move(prepared[i].refused);
        continue;
      }
      batch.push_back(std::move(prepared[i].message));
      where.push_back(i);
      if (batch.size() >= opt_.max_batch) flush();
    }
    flush();
    return results;
  }

  Prepared Prepare(Submission s) override {
    Prepared out;
    ceb::Format format = s.format;
    auto refuse = [&](const Status& st, std::string_view type) {
      out.refused = Refusal(st, format, type, s.body);
      return std::move(out);
    };
    StatusOr<ceb::Message> decoded = format == ceb::Format::kXml
                                         ? ceb::DecodeXml(s.body, opt_.limits)
                                         : ceb::DecodeJson(s.body, opt_.limits);
    if (!decoded.ok()) return refuse(decoded.status(), ceb::SniffRootName(s.body));
    ceb::Message& m = *decoded;
    std::string root = m.def->root;
    const ceb::DocumentSpec* spec = ceb::FindDocumentSpec(m.type());
    if (spec == nullptr) {
      return refuse(InvalidArgument(root + " is a receipt or a customs-issued message, not a "
                                           "declaration an enterprise can send",
                                    root),
                    root);
    }
    if (opt_.xsd != nullptr) {
      Status st = opt_.xsd->Validate(format == ceb::Format::kXml ? s.body : ceb::EncodeXml(m),
                                     m.def->direction);
      if (!st.ok()) return refuse(st, root);
    }
    Status checked = ceb::CheckMessage(m, ceb::CheckOptions{opt_.codes.get()});
    if (!checked.ok()) return refuse(checked, root);

    // Who sends it.
    std::optional<registry::Enterprise> sender;
    if (s.principal.kind == registry::Principal::Kind::kEnterprise)
      sender = LookupEnterprise(s.principal.id);
    auto msg = std::make_shared<PreparedMessage>();
    msg->spec = spec;
    msg->receipt_def = ceb::FindMessageByType(spec->receipt_type);
    msg->sender = s.principal.id;
    msg->time = opt_.clock->Now();
    auto entities = m.Entities();
    for (size_t i = 0; i < entities.size(); ++i) {
      const ceb::Node* head = ceb::HeadOf(*spec, *entities[i]);
      std::string path = std::string(entities[i]->name()) + "[" + std::to_string(i + 1) + "]";
      if (head == nullptr) return refuse(InvalidArgument("entity has no head", path), root);
      Status allowed =
          registry::CheckSender(s.principal, sender ? &*sender : nullptr, *spec, *head, path);
      if (!allowed.ok()) return refuse(allowed, root);
      if (s.replay && i == 0) {
        auto t = ParseC14(head->Get("appTime"));
        if (t.ok()) msg->time = *t;
      }
    }
    for (size_t i = 0; i < entities.size(); ++i) {
      const ceb::Node* head = ceb::HeadOf(*spec, *entities[i]);
      PreparedEntity e;
      e.entity = entities[i];
      e.head = head;
      e.app_type = std::string(head->Get("appType"));
      e.status = head->Get("appStatus") == "1" ? "1" : "2";
      e.refused = registry::CheckParties(
          *head, [this](const std::string& code) { return LookupEnterprise(code); });
      FillRow(*spec, *entities[i], *head, msg->sender, msg->time, e.row);
      msg->entities.push_back(std::move(e));
    }
    if (msg->entities.size() == 1 && !msg->entities[0].refused) {
      const PreparedEntity& e = msg->entities[0];
      msg->accept_info = AcceptInfo(e.app_type, e.status, e.row.guid);
      ceb::Message receipt =
          ceb::BuildReceipt(*msg->receipt_def,
                            {ceb::ReceiptEntry{e.head, e.status, msg->accept_info,
                                               AcceptValues(*spec, e, std::string(kPreNoMark))}},
                            msg->time);
      msg->accept_xml = ceb::EncodeXml(receipt);
      if (s.format == ceb::Format::kJson) msg->accept_json = ceb::EncodeJson(receipt);
    }
    msg->message = std::move(m);
    msg->body_sealed = opt_.vault->Seal(s.body);
    msg->submission = std::move(s);
    out.message = std::move(msg);
    return out;
  }

  void InvalidateRegistry() override {
    std::unique_lock lock(registry_mu_);
    enterprises_.clear();
  }

 private:
  struct Job {
    std::shared_ptr<PreparedMessage> message;
    std::promise<IntakeResult>* done;
  };

  IntakeResult Refusal(const Status& st, ceb::Format format, std::string_view type,
                       std::string_view body) {
    IntakeResult r;
    r.http_status = HttpStatusOf(st.code());
    r.format = format;
    r.error = st;
    r.message_type = std::string(type);
    if (r.message_type.size() > 7 && r.message_type.ends_with("Message")) {
      r.message_type.resize(r.message_type.size() - 7);
    }
    if (format == ceb::Format::kXml && st.code() != Code::kPermissionDenied) {
      std::string info = st.message();
      if (!st.field().empty()) info = "字段[" + st.field() + "]: " + info;
      std::string_view echo = body.size() > 64 * 1024 ? body.substr(0, 64 * 1024) : body;
      ceb::Message m = ceb::BuildFormatReceipt(st.code() == Code::kInvalidArgument ? "-2" : "-1",
                                               info, type, echo, opt_.clock->Now());
      r.body = ceb::EncodeXml(m);
      r.receipt_type = "CEB900";
    } else {
      r.format = ceb::Format::kJson;
      r.body = JsonError(st);
    }
    return r;
  }

  std::optional<registry::Enterprise> LookupEnterprise(const std::string& code) {
    {
      std::shared_lock lock(registry_mu_);
      auto it = enterprises_.find(code);
      if (it != enterprises_.end()) return it->second;
    }
    auto found = store_->FindEnterprise(code);
    if (!found.ok() || !found->has_value()) return std::nullopt;
    std::unique_lock lock(registry_mu_);
    enterprises_[code] = **found;
    return **found;
  }

  void FillRow(const ceb::DocumentSpec& spec, const ceb::Node& entity, const ceb::Node& head,
               const std::string& sender, Timestamp time, store::DocumentRow& row) {
    row.kind = spec.kind;
    row.scope = std::string(head.Get(spec.scope_field));
    row.key = std::string(head.Get(spec.key_field));
    if (row.key.empty() && spec.key_fallback[0] != '\0')
      row.key = std::string(head.Get(spec.key_fallback));
    if (row.key.empty()) row.key = std::string(head.Get("guid"));
    if (spec.alt_key_field[0] != '\0') row.alt_key = std::string(head.Get(spec.alt_key_field));
    row.message_type = spec.type;
    row.guid = std::string(head.Get("guid"));
    row.sender = sender;
    row.parties = ",";
    for (const ceb::PartyField& p : ceb::PartyFields()) {
      std::string_view code = head.Get(p.field);
      if (!code.empty() && row.parties.find("," + std::string(code) + ",") == std::string::npos) {
        row.parties += std::string(code) + ",";
      }
    }
    if (row.parties.find("," + sender + ",") == std::string::npos) row.parties += sender + ",";
    // Personal fields leave the document body and are sealed on their own.
    std::string pii = "{";
    CollectPersonal(entity, pii);
    pii += "}";
    row.body_json = ceb::EncodeNodeJson(entity, &ceb::IsPersonalField);
    row.pii_sealed = pii.size() > 2 ? opt_.vault->Seal(pii) : std::string();
    std::string_view id_type =
        head.Has("buyerIdNumber") ? head.Get("buyerIdType") : head.Get("payerIdType");
    std::string_view id_number =
        head.Has("buyerIdNumber") ? head.Get("buyerIdNumber") : head.Get("payerIdNumber");
    if (!id_number.empty())
      row.buyer_hash = opt_.vault->KeyedHash(std::string(id_type) + ":" + std::string(id_number));
    row.updated_ms = time.millis;
  }

  static void CollectPersonal(const ceb::Node& n, std::string& pii) {
    for (const ceb::Node& c : n.children) {
      if (c.def->kind == ceb::ElementKind::kGroup) {
        CollectPersonal(c, pii);
      } else if (ceb::IsPersonalField(c.name())) {
        if (pii.size() > 1) pii += ',';
        pii += '"';
        pii += c.name();
        pii += "\":\"";
        AppendJsonEscaped(pii, c.text);
        pii += '"';
      }
    }
  }

  void WriterLoop() {
    for (;;) {
      std::vector<Job> jobs;
      {
        std::unique_lock lock(mu_);
        cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty() && stop_) return;
        while (!queue_.empty() && jobs.size() < opt_.max_batch) {
          jobs.push_back(std::move(queue_.front()));
          queue_.pop_front();
        }
      }
      std::vector<std::shared_ptr<PreparedMessage>> batch;
      for (auto& j : jobs) batch.push_back(j.message);
      std::vector<IntakeResult> results = CommitBatch(batch);
      for (size_t i = 0; i < jobs.size(); ++i) jobs[i].done->set_value(std::move(results[i]));
    }
  }

  struct Answer {
    std::string status, info;
    std::vector<std::pair<std::string, std::string>> values;
    bool accepted = false;
    std::optional<AppliedEntity> applied;  // for the hook, once the receipts are written
  };

  std::vector<IntakeResult> CommitBatch(
      const std::vector<std::shared_ptr<PreparedMessage>>& batch) {
    std::vector<IntakeResult> results(batch.size());
    Status st = TryCommit(batch, results);
    if (!st.ok()) {
      for (size_t i = 0; i < batch.size(); ++i) {
        results[i] =
            Refusal(Status(Code::kUnavailable, "the message was not stored: " + st.message()),
                    ceb::Format::kJson, batch[i]->message.def->root, "");
      }
    }
    return results;
  }

  Status TryCommit(const std::vector<std::shared_ptr<PreparedMessage>>& batch,
                   std::vector<IntakeResult>& results) {
    ASSIGN_OR_RETURN(std::unique_ptr<store::WriteTxn> txn, store_->BeginWrite());
    for (size_t i = 0; i < batch.size(); ++i) {
      PreparedMessage& pm = *batch[i];
      const ceb::DocumentSpec& spec = *pm.spec;
      std::vector<Answer> answers(pm.entities.size());
      // The log is keyed by type and guid: the official samples reuse one guid across
      // message types, and a guid is unique only among one sender's messages of a type.
      const std::string log_key = std::string(spec.type) + ":" + pm.message.guid;
      ASSIGN_OR_RETURN(bool seen, txn->MessageExists(log_key));
      bool any_accepted = false;
      for (size_t k = 0; k < pm.entities.size(); ++k) {
        PreparedEntity& e = pm.entities[k];
        Answer& a = answers[k];
        if (seen) {
          a.status = spec.code_exists;
          a.info =
              "重复报文，报文guid[" + pm.message.guid + "]已接收，不重复入库 (duplicate message)";
          continue;
        }
        if (e.refused) {
          a.status = e.refused->return_status;
          a.info = e.refused->return_info;
          continue;
        }
        RETURN_IF_ERROR(Apply(*txn, pm, e, a));
        any_accepted |= a.accepted;
      }
      if (any_accepted) {
        store::MessageRow mr;
        mr.guid = log_key;
        mr.type = spec.type;
        mr.sender = pm.sender;
        mr.format = pm.submission.format == ceb::Format::kXml ? "xml" : "json";
        mr.received_ms = pm.time.millis;
        mr.body_sealed = std::move(pm.body_sealed);
        RETURN_IF_ERROR(txn->AddMessage(mr));
      }
      // The synchronous receipt: one return entity per business entity.
      std::vector<ceb::ReceiptEntry> entries;
      IntakeResult& r = results[i];
      for (size_t k = 0; k < pm.entities.size(); ++k) {
        entries.push_back(ceb::ReceiptEntry{pm.entities[k].head, answers[k].status, answers[k].info,
                                            answers[k].values});
        r.entities.push_back(
            EntityOutcome{spec.kind, pm.entities[k].row.key, answers[k].status, answers[k].info});
      }
      r.http_status = 200;
      r.format = pm.submission.format;
      r.message_type = spec.type;
      r.receipt_type = pm.receipt_def->type;
      std::string receipt_xml;
      bool as_prepared =
          !pm.accept_xml.empty() && answers[0].accepted && answers[0].info == pm.accept_info;
      if (as_prepared) {
        // The common case: the receipt built while preparing, with its preNo filled in.
        const std::string& pre_no = answers[0].values[0].second;
        receipt_xml = Patch(std::move(pm.accept_xml), pre_no);
        r.body =
            r.format == ceb::Format::kXml ? receipt_xml : Patch(std::move(pm.accept_json), pre_no);
      } else {
        ceb::Message receipt = ceb::BuildReceipt(*pm.receipt_def, entries, pm.time);
        receipt_xml = ceb::EncodeXml(receipt);
        r.body = r.format == ceb::Format::kXml ? receipt_xml : ceb::EncodeJson(receipt);
      }
      if (!any_accepted) continue;
      // The feed keeps one receipt per entity; a one-entity message reuses its receipt.
      for (size_t k = 0; k < pm.entities.size(); ++k) {
        store::ReceiptRow rr;
        rr.recipient = pm.sender;
        rr.type = pm.receipt_def->type;
        rr.return_status = answers[k].status;
        rr.return_info = answers[k].info;
        rr.keys_json = "{\"kind\":\"" + std::string(spec.kind) + "\",\"key\":\"";
        AppendJsonEscaped(rr.keys_json, pm.entities[k].row.key);
        rr.keys_json += "\",\"" + std::string(spec.scope_field) + "\":\"";
        AppendJsonEscaped(rr.keys_json, pm.entities[k].row.scope);
        rr.keys_json += "\"}";
        rr.xml = pm.entities.size() == 1
                     ? receipt_xml
                     : ceb::EncodeXml(ceb::BuildReceipt(*pm.receipt_def, {entries[k]}, pm.time));
        rr.time_ms = pm.time.millis;
        RETURN_IF_ERROR(txn->AddReceipt(rr));
      }
      for (const Answer& a : answers) {
        if (a.applied) RETURN_IF_ERROR(opt_.hook->AfterApply(*txn, *a.applied));
      }
    }
    return txn->Commit();
  }

  // appType 1 add, 2 modify, 3 delete, against what is stored.
  Status Apply(store::WriteTxn& txn, PreparedMessage& pm, PreparedEntity& e, Answer& a) {
    const ceb::DocumentSpec& spec = *pm.spec;
    store::DocumentRow& row = e.row;
    ASSIGN_OR_RETURN(std::optional<store::DocumentRow> existing,
                     txn.FindDocument(row.kind, row.scope, row.key));
    bool live = existing && !existing->deleted;
    std::string what = std::string(spec.key_field) + "[" + row.key + "]";
    if (live && existing->guid == row.guid) {
      a.status = spec.code_exists;
      a.info = "重复报文，记录guid[" + row.guid + "]已接收，不重复入库 (duplicate entity)";
      return Status::Ok();
    }
    std::string info;
    if (e.app_type == "1") {
      if (live) {
        a.status = spec.code_exists;
        a.info = "业务主键重复，" + what +
                 "已存在 (a document with this key exists; use appType 2 to modify it)";
        return Status::Ok();
      }
      info = AcceptInfo(e.app_type, e.status, row.guid);
    } else {
      if (!live) {
        a.status = spec.code_not_found;
        a.info = "未找到要" + std::string(e.app_type == "2" ? "变更" : "删除") + "的单证，" + what +
                 " (no such document)";
        return Status::Ok();
      }
      if (!Modifiable(existing->status)) {
        a.status = spec.code_state;
        a.info = "单证状态[" + existing->status + "]不允许" +
                 std::string(e.app_type == "2" ? "变更" : "删除") + "，" + what;
        return Status::Ok();
      }
      info = AcceptInfo(e.app_type, e.status, row.guid);
      row.id = existing->id;
      if (e.app_type == "3") {
        row.body_json = existing->body_json;
        row.pii_sealed = existing->pii_sealed;
        row.deleted = true;
      }
    }
    row.status = e.status;
    row.return_info = info;
    intake::AppliedEntity applied{&spec,      e.entity, e.head,    &row,
                                  e.app_type, "",       pm.sender, pm.time};
    if (opt_.hook != nullptr) {
      ASSIGN_OR_RETURN(std::optional<HookRefusal> refusal, opt_.hook->Check(txn, applied));
      if (refusal) {
        a.status = refusal->return_status;
        a.info = refusal->return_info;
        return Status::Ok();
      }
    }
    RETURN_IF_ERROR(txn.PutDocument(row));
    RETURN_IF_ERROR(txn.AddHistory(row.id, store::HistoryRow{row.status, row.updated_ms, info}));
    a.status = e.status;
    a.info = info;
    a.accepted = true;
    a.values = AcceptValues(spec, e, PreNo(pm.time, row.id));
    if (opt_.hook != nullptr) {
      // Run after the message's own receipts are in the feed (TryCommit), so that a
      // reader sees "2" before the decisions the hook makes.
      applied.pre_no = a.values[0].second;
      a.applied = applied;
    }
    return Status::Ok();
  }

  // Values an accepting receipt carries beyond the head: the e-Port number and the key.
  static std::vector<std::pair<std::string, std::string>> AcceptValues(
      const ceb::DocumentSpec& spec, const PreparedEntity& e, std::string pre_no) {
    std::vector<std::pair<std::string, std::string>> values;
    values.emplace_back("preNo", std::move(pre_no));
    if (std::string_view(spec.key_field) == "copNo" || e.head->Get("copNo").empty()) {
      values.emplace_back("copNo", e.row.key);
    }
    return values;
  }

  // Overwrites the preNo mark in a prebuilt receipt.
  static std::string Patch(std::string text, const std::string& pre_no) {
    size_t p = text.find(kPreNoMark);
    if (p != std::string::npos) text.replace(p, kPreNoMark.size(), pre_no);
    return text;
  }

  store::Store* store_;
  IntakeOptions opt_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Job> queue_;
  bool stop_ = false;
  std::shared_mutex registry_mu_;
  std::unordered_map<std::string, registry::Enterprise> enterprises_;
  std::thread writer_;  // last: started after everything it uses
};

}  // namespace

int HttpStatusOf(Code code) {
  switch (code) {
    case Code::kOk: return 200;
    case Code::kInvalidArgument: return 400;
    case Code::kUnsupportedMedia: return 415;
    case Code::kTooLarge: return 413;
    case Code::kUnauthenticated: return 401;
    case Code::kPermissionDenied: return 403;
    case Code::kNotFound: return 404;
    case Code::kAlreadyExists: return 409;
    case Code::kResourceExhausted: return 429;
    case Code::kUnavailable: return 503;
    default: return 500;
  }
}

std::string JsonError(const Status& st) {
  std::string out = "{\"error\":{\"code\":\"" + CodeString(st.code()) + "\",\"message\":\"";
  AppendJsonEscaped(out, st.message());
  out += "\",\"field\":\"";
  AppendJsonEscaped(out, st.field());
  out += "\"}}";
  return out;
}

StatusOr<std::unique_ptr<Intake>> Intake::Create(store::Store* store, IntakeOptions options) {
  if (store == nullptr || !options.codes || !options.vault) {
    return Internal("intake needs a store, code tables and a vault");
  }
  return std::unique_ptr<Intake>(new IntakeImpl(store, std::move(options)));
}

}  // namespace shumao::intake

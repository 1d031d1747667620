#include "http/server.h"

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <chrono>
#include <mutex>
#include <shared_mutex>
#include <thread>
#include <unordered_map>

#include "ceb/catalog.h"
#include "common/strings.h"
#include "http/tax_quote_json.h"

namespace shumao::http {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";

void SendError(httplib::Response& res, const Status& st) {
  res.status = intake::HttpStatusOf(st.code());
  res.set_content(intake::JsonError(st), kJson);
}

bool IsKnownKind(const std::string& kind) {
  for (const auto& s : ceb::AllDocumentSpecs()) {
    if (kind == s.kind) return true;
  }
  return false;
}

class ServerImpl : public Server {
 public:
  ServerImpl(store::Store* store, intake::Intake* intake, std::shared_ptr<const Vault> vault,
             ServerOptions options, clearance::Engine* clearance)
      : store_(store),
        intake_(intake),
        clearance_(clearance),
        vault_(std::move(vault)),
        opt_(std::move(options)) {
    svr_.new_task_queue = [n = opt_.threads] { return new httplib::ThreadPool(n); };
    svr_.set_payload_max_length(opt_.max_body_bytes);
    svr_.set_error_handler([](const httplib::Request&, httplib::Response& res) {
      if (!res.body.empty()) return;
      Code code = res.status == 413   ? Code::kTooLarge
                  : res.status == 404 ? Code::kNotFound
                  : res.status == 400 ? Code::kInvalidArgument
                                      : Code::kInternal;
      std::string msg = res.status == 413   ? "request body is over the size limit"
                        : res.status == 404 ? "no such endpoint"
                                            : "request failed";
      res.set_content(intake::JsonError(Status(code, msg)), kJson);
    });
    svr_.set_exception_handler(
        [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
          SendError(res, Internal("internal error"));
        });
    if (opt_.log) {
      svr_.set_logger([log = opt_.log](const httplib::Request& req, const httplib::Response& res) {
        // No query strings or bodies: they may carry personal data.
        // The logger's pattern opens the object with time and level; the line closes it.
        std::string line = "\"event\":\"request\",\"method\":\"" + req.method + "\",\"path\":\"";
        AppendJsonEscaped(line, req.path);
        line += "\",\"status\":" + std::to_string(res.status) +
                ",\"bytes_in\":" + std::to_string(req.body.size()) +
                ",\"bytes_out\":" + std::to_string(res.body.size()) + ",\"remote\":\"" +
                req.remote_addr + "\"}";
        if (res.status >= 500) {
          log->error(line);
        } else {
          log->info(line);
        }
      });
    }
    svr_.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
      res.set_content("{\"status\":\"ok\"}", kJson);
    });
    svr_.Get("/metrics", [this](const httplib::Request&, httplib::Response& res) { Metrics(res); });
    svr_.Post("/api/v1/messages", [this](const httplib::Request& req, httplib::Response& res) {
      PostMessage(req, res);
    });
    svr_.Get("/api/v1/receipts", [this](const httplib::Request& req, httplib::Response& res) {
      GetReceipts(req, res);
    });
    svr_.Get(
        R"(/api/v1/documents/([^/]+)/(.+))",
        [this](const httplib::Request& req, httplib::Response& res) { GetDocument(req, res); });
    svr_.Post("/api/v1/tax/quote", [this](const httplib::Request& req, httplib::Response& res) {
      auto principal = Authenticate(req);
      if (!principal.ok()) return SendError(res, principal.status());
      auto answer = QuoteFromJson(req.body, tax::TariffTable::BuiltIn(), Clock::System());
      if (!answer.ok()) return SendError(res, answer.status());
      res.set_content(*answer, kJson);
    });
    svr_.Get("/", [this](const httplib::Request&, httplib::Response& res) { Home(res); });
    if (!opt_.web_root.empty()) svr_.set_mount_point("/", opt_.web_root);
  }

  Status Run() override {
    if (opt_.port == 0) {
      bound_port_ = svr_.bind_to_any_port(opt_.host.c_str());
    } else if (svr_.bind_to_port(opt_.host.c_str(), opt_.port)) {
      bound_port_ = opt_.port;
    } else {
      bound_port_ = -1;
    }
    if (bound_port_ <= 0) {
      return Status(Code::kUnavailable,
                    "cannot listen on " + opt_.host + ":" + std::to_string(opt_.port));
    }
    if (!svr_.listen_after_bind())
      return Status(Code::kUnavailable, "the server stopped with an error");
    return Status::Ok();
  }
  void Stop() override { svr_.stop(); }
  int port() const override { return bound_port_; }
  bool WaitUntilReady(int timeout_ms) override {
    for (int waited = 0; waited < timeout_ms; waited += 10) {
      if (svr_.is_running()) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return svr_.is_running();
  }

 private:
  StatusOr<registry::Principal> Authenticate(const httplib::Request& req) {
    std::string auth = req.get_header_value("Authorization");
    if (auth.rfind("Bearer ", 0) != 0 || auth.size() <= 7) {
      return Status(Code::kUnauthenticated, "missing bearer token (Authorization: Bearer TOKEN)");
    }
    std::string hash = Sha256Hex(auth.substr(7));
    {
      std::shared_lock lock(tokens_mu_);
      auto it = tokens_.find(hash);
      if (it != tokens_.end()) return it->second;
    }
    ASSIGN_OR_RETURN(std::optional<registry::Principal> p, store_->FindToken(hash));
    if (!p) return Status(Code::kUnauthenticated, "unknown token");
    std::unique_lock lock(tokens_mu_);
    tokens_[hash] = *p;
    return *p;
  }

  void PostMessage(const httplib::Request& req, httplib::Response& res) {
    auto principal = Authenticate(req);
    if (!principal.ok()) return SendError(res, principal.status());
    std::string ct = req.get_header_value("Content-Type");
    intake::Submission s;
    if (ct.find("json") != std::string::npos) {
      s.format = ceb::Format::kJson;
    } else if (ct.find("xml") != std::string::npos) {
      s.format = ceb::Format::kXml;
    } else {
      return SendError(
          res,
          Status(Code::kUnsupportedMedia,
                 "Content-Type must be application/xml or application/json, not '" + ct + "'"));
    }
    s.body = req.body;
    s.principal = *principal;
    intake::IntakeResult r = intake_->Submit(std::move(s));
    res.status = r.http_status;
    res.set_content(r.body,
                    r.format == ceb::Format::kXml ? "application/xml; charset=utf-8" : kJson);
    if (r.http_status == 200) {
      ++accepted_;
    } else {
      ++refused_;
    }
  }

  void GetReceipts(const httplib::Request& req, httplib::Response& res) {
    auto principal = Authenticate(req);
    if (!principal.ok()) return SendError(res, principal.status());
    int64_t after = 0;
    int limit = 100;
    try {
      if (req.has_param("after") && !req.get_param_value("after").empty())
        after = std::stoll(req.get_param_value("after"));
      if (req.has_param("limit")) limit = std::stoi(req.get_param_value("limit"));
    } catch (...) {
      return SendError(res, InvalidArgument("after and limit must be integers", "after"));
    }
    if (limit < 1 || limit > 1000)
      return SendError(res, InvalidArgument("limit must be 1..1000", "limit"));
    auto rows = store_->Receipts(principal->id, after, limit);
    if (!rows.ok()) return SendError(res, rows.status());
    std::string out = "{\"receipts\":[";
    int64_t next = after;
    for (size_t i = 0; i < rows->size(); ++i) {
      const store::ReceiptRow& r = (*rows)[i];
      if (i) out += ',';
      out += "{\"cursor\":\"" + std::to_string(r.cursor) + "\",\"type\":\"" + r.type +
             "\",\"returnStatus\":\"";
      AppendJsonEscaped(out, r.return_status);
      out += "\",\"returnInfo\":\"";
      AppendJsonEscaped(out, r.return_info);
      out += "\",\"time\":\"" + FormatIso(Timestamp{r.time_ms}) +
             "\",\"keys\":" + (r.keys_json.empty() ? "{}" : r.keys_json) + ",\"xml\":\"";
      AppendJsonEscaped(out, r.xml);
      out += "\"}";
      next = r.cursor;
    }
    out += "],\"next\":\"" + std::to_string(next) + "\"}";
    res.set_content(out, kJson);
  }

  // May the caller see a document, and its personal data unmasked?
  static bool IsParty(const registry::Principal& p, const store::DocumentRow& d) {
    if (p.kind == registry::Principal::Kind::kUser)
      return true;  // departments, scoped later by feeds
    return d.sender == p.id || d.parties.find("," + p.id + ",") != std::string::npos;
  }
  static bool SeesPersonalData(const registry::Principal& p, const store::DocumentRow& d) {
    if (p.kind == registry::Principal::Kind::kUser) return p.department == "customs";
    return d.sender == p.id;  // the enterprise that declared the data
  }

  void GetDocument(const httplib::Request& req, httplib::Response& res) {
    auto principal = Authenticate(req);
    if (!principal.ok()) return SendError(res, principal.status());
    std::string kind = req.matches[1], key = req.matches[2];
    if (!IsKnownKind(kind)) return SendError(res, NotFound("unknown document kind '" + kind + "'"));
    auto docs = store_->FindDocuments(kind, key);
    if (!docs.ok()) return SendError(res, docs.status());
    const store::DocumentRow* doc = nullptr;
    for (const auto& d : *docs) {
      if (IsParty(*principal, d)) {
        doc = &d;
        break;
      }
    }
    if (doc == nullptr) return SendError(res, NotFound(kind + " '" + key + "' not found"));
    auto history = store_->History(doc->id);
    if (!history.ok()) return SendError(res, history.status());

    rapidjson::Document body;
    body.Parse(doc->body_json.c_str());
    if (body.HasParseError() || !body.IsObject()) body.SetObject();
    auto& alloc = body.GetAllocator();
    if (!doc->pii_sealed.empty()) {
      auto pii = vault_->Open(doc->pii_sealed);
      rapidjson::Document p;
      if (pii.ok()) p.Parse(pii->c_str());
      if (pii.ok() && !p.HasParseError() && p.IsObject()) {
        const ceb::DocumentSpec* spec = ceb::FindDocumentSpec(doc->message_type);
        rapidjson::Value* target = &body;
        if (spec && spec->head[0] != '\0' && body.HasMember(spec->head) &&
            body[spec->head].IsObject()) {
          target = &body[spec->head];
        }
        bool clear = SeesPersonalData(*principal, *doc);
        for (auto it = p.MemberBegin(); it != p.MemberEnd(); ++it) {
          std::string name = it->name.GetString();
          std::string value = it->value.GetString();
          if (!clear) value = ceb::MaskPersonal(name, value);
          target->AddMember(rapidjson::Value(name.c_str(), alloc),
                            rapidjson::Value(value.c_str(), alloc), alloc);
        }
      }
    }
    rapidjson::StringBuffer sb;
    rapidjson::Writer<rapidjson::StringBuffer> w(sb);
    body.Accept(w);

    std::string out = "{\"kind\":\"" + kind + "\",\"key\":\"";
    AppendJsonEscaped(out, doc->key);
    out += "\",\"scope\":\"";
    AppendJsonEscaped(out, doc->scope);
    out += "\",\"messageType\":\"" + doc->message_type + "\",\"status\":\"" +
           (doc->deleted ? std::string("deleted") : doc->status) + "\",\"returnInfo\":\"";
    AppendJsonEscaped(out, doc->return_info);
    out += "\",\"history\":[";
    for (size_t i = 0; i < history->size(); ++i) {
      const auto& h = (*history)[i];
      if (i) out += ',';
      out += "{\"status\":\"" + h.status + "\",\"time\":\"" + FormatIso(Timestamp{h.time_ms}) +
             "\",\"info\":\"";
      AppendJsonEscaped(out, h.info);
      out += "\"}";
    }
    out += "],\"document\":";
    out += sb.GetString();
    out += "}";
    res.set_content(out, kJson);
  }

  void Metrics(httplib::Response& res) {
    std::string out;
    out += "# HELP shumao_messages_total CEB messages posted over HTTP, by outcome.\n";
    out += "# TYPE shumao_messages_total counter\n";
    out += "shumao_messages_total{outcome=\"answered\"} " + std::to_string(accepted_.load()) + "\n";
    out += "shumao_messages_total{outcome=\"refused\"} " + std::to_string(refused_.load()) + "\n";
    auto m = store_->CountMessages();
    auto d = store_->CountDocuments();
    auto r = store_->CountReceipts();
    out +=
        "# HELP shumao_stored_messages Messages in the raw message log.\n# TYPE "
        "shumao_stored_messages gauge\n";
    out += "shumao_stored_messages " + std::to_string(m.ok() ? *m : -1) + "\n";
    out +=
        "# HELP shumao_stored_documents Business documents stored.\n# TYPE shumao_stored_documents "
        "gauge\n";
    out += "shumao_stored_documents " + std::to_string(d.ok() ? *d : -1) + "\n";
    out +=
        "# HELP shumao_stored_receipts Receipts in the feeds.\n# TYPE shumao_stored_receipts "
        "gauge\n";
    out += "shumao_stored_receipts " + std::to_string(r.ok() ? *r : -1) + "\n";
    res.set_content(out, "text/plain; version=0.0.4");
  }

  void Home(httplib::Response& res) {
    res.set_content(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>数贸 "
        "Shumao</title></head>"
        "<body><h1>数贸 Shumao — 跨境电商综试区线上综合服务平台</h1>"
        "<p>API: POST /api/v1/messages (CEB XML or JSON), GET /api/v1/receipts, "
        "GET /api/v1/documents/{kind}/{key}, /healthz, /metrics. See docs/openapi.yaml.</p>"
        "</body></html>",
        "text/html; charset=utf-8");
  }

  store::Store* store_;
  intake::Intake* intake_;
  clearance::Engine* clearance_;  // null: the clearance endpoints answer 503
  std::shared_ptr<const Vault> vault_;
  ServerOptions opt_;
  httplib::Server svr_;
  std::atomic<int> bound_port_{0};
  std::shared_mutex tokens_mu_;
  std::unordered_map<std::string, registry::Principal> tokens_;
  std::atomic<int64_t> accepted_{0}, refused_{0};
};

}  // namespace

StatusOr<std::unique_ptr<Server>> Server::Create(store::Store* store, intake::Intake* intake,
                                                 std::shared_ptr<const Vault> vault,
                                                 ServerOptions options,
                                                 clearance::Engine* clearance) {
  return std::unique_ptr<Server>(
      new ServerImpl(store, intake, std::move(vault), std::move(options), clearance));
}

}  // namespace shumao::http

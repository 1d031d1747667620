#include "http/server.h"

#include <httplib.h>
#include <rapidjson/document.h>
#include <rapidjson/stringbuffer.h>
#include <rapidjson/writer.h>

#include <atomic>
#include <chrono>
#include <initializer_list>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string_view>
#include <thread>
#include <unordered_map>

#include "ceb/catalog.h"
#include "common/decimal.h"
#include "common/strings.h"
#include "common/time.h"
#include "exporttax/exporttax.h"
#include "http/clearance_json.h"
#include "http/tax_quote_json.h"
#include "summary/summary.h"

namespace shumao::http {
namespace {

constexpr const char* kJson = "application/json; charset=utf-8";

void SendError(httplib::Response& res, const Status& st) {
  res.status = intake::HttpStatusOf(st.code());
  res.set_content(intake::JsonError(st), kJson);
}

Status Denied(std::string message) { return Status(Code::kPermissionDenied, std::move(message)); }

bool IsUser(const registry::Principal& p) { return p.kind == registry::Principal::Kind::kUser; }

bool IsUserOf(const registry::Principal& p, std::initializer_list<std::string_view> departments) {
  if (!IsUser(p)) return false;
  for (std::string_view d : departments) {
    if (p.department == d) return true;
  }
  return false;
}

// A clearance endpoint's answer: the body and its content type.
struct Reply {
  std::string body;
  const char* content_type = kJson;
};

// The clearance endpoints answer the engine's business refusals too: a state that forbids
// the request (a decision on a list that waits for none) is 409.
void SendClearanceError(httplib::Response& res, const Status& st) {
  res.status = st.code() == Code::kFailedPrecondition ? 409 : intake::HttpStatusOf(st.code());
  res.set_content(intake::JsonError(st), kJson);
}

// The JSON object of a request body; numbers are kept as their text, so that amounts stay
// exact.
Status ParseObject(const std::string& body, rapidjson::Document& d) {
  d.Parse<rapidjson::kParseNumbersAsStringsFlag>(body.data(), body.size());
  if (d.HasParseError() || !d.IsObject()) {
    return InvalidArgument("the body must be a JSON object", "");
  }
  return Status::Ok();
}

// A member that must be a string (a number's text is taken as a string); empty when
// absent and not required.
StatusOr<std::string> StringMember(const rapidjson::Document& d, const char* name, bool required) {
  auto it = d.FindMember(name);
  if (it == d.MemberEnd() || it->value.IsNull()) {
    if (required) return InvalidArgument(std::string(name) + " is required", name);
    return std::string();
  }
  if (!it->value.IsString()) return InvalidArgument(std::string(name) + " must be a string", name);
  return std::string(it->value.GetString(), it->value.GetStringLength());
}

// ?limit=N within 1..1000 (default 100).
StatusOr<int> LimitParam(const httplib::Request& req) {
  if (!req.has_param("limit")) return 100;
  const std::string& text = req.get_param_value("limit");
  if (!IsDigits(text) || text.size() > 4) {
    return InvalidArgument("limit must be an integer from 1 to 1000", "limit");
  }
  int limit = std::stoi(text);
  if (limit < 1 || limit > 1000) {
    return InvalidArgument("limit must be an integer from 1 to 1000", "limit");
  }
  return limit;
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
    // Answers are small and written in pieces: without TCP_NODELAY, Nagle's algorithm and
    // the client's delayed ACK hold each keep-alive answer back by ~40 ms.
    svr_.set_tcp_nodelay(true);
    // Platforms keep a few connections open and push over them: closing a keep-alive
    // connection every few requests (the library's default is 5) costs a reconnect and can
    // race a request already on its way.
    svr_.set_keep_alive_max_count(100000);
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
      // With a buyer, the quota used comes from clearance's ledger, for those who may see it.
      QuotaLookup lookup = nullptr;
      if (clearance_ != nullptr) {
        lookup = [this, p = *principal](const std::string& id_type, const std::string& id_number,
                                        int year) -> StatusOr<Decimal> {
          RETURN_IF_ERROR(MaySeeQuota(p, id_type, id_number));
          ASSIGN_OR_RETURN(clearance::QuotaView q, clearance_->Quota(id_type, id_number, year));
          return q.used;
        };
      }
      auto answer = QuoteFromJson(req.body, tax::TariffTable::BuiltIn(), Clock::System(), lookup);
      if (!answer.ok()) return SendError(res, answer.status());
      res.set_content(*answer, kJson);
    });
    // Clearance: quota, bonded stock, guarantees, tax bills, officers' decisions, alerts.
    svr_.Get("/api/v1/quota", Serve(&ServerImpl::GetQuota));
    svr_.Post("/api/v1/stock/inbound", Serve(&ServerImpl::PostInbound));
    svr_.Get("/api/v1/stock", Serve(&ServerImpl::GetStock));
    svr_.Post("/api/v1/guarantees", Serve(&ServerImpl::PostGuarantee));
    svr_.Get(R"(/api/v1/guarantees/([^/]+))", Serve(&ServerImpl::GetGuarantee));
    svr_.Get(R"(/api/v1/taxbills/([^/]+))", Serve(&ServerImpl::GetTaxBill));
    svr_.Post(R"(/api/v1/inventories/([^/]+)/decision)", Serve(&ServerImpl::PostDecision));
    svr_.Get("/api/v1/alerts", Serve(&ServerImpl::GetAlerts));
    svr_.Post("/api/v1/summaries", Serve(&ServerImpl::PostSummary));
    svr_.Get("/api/v1/export-tax/records", Serve(&ServerImpl::GetExportTaxRecords));
    // Risk control and credit.
    svr_.Get("/api/v1/risk/hits", Serve(&ServerImpl::GetRiskHits));
    svr_.Get("/api/v1/risk/rules", Serve(&ServerImpl::GetRiskRules));
    svr_.Get(R"(/api/v1/risk/decisions/([^/]+))", Serve(&ServerImpl::GetRiskDecision));
    svr_.Get("/api/v1/credit/dishonest", Serve(&ServerImpl::GetDishonest));
    svr_.Get(R"(/api/v1/credit/([^/]+))", Serve(&ServerImpl::GetCredit));
    svr_.Put(R"(/api/v1/credit/([^/]+)/level)", Serve(&ServerImpl::PutCreditLevel));
    svr_.Post(R"(/api/v1/credit/([^/]+)/complaints)", Serve(&ServerImpl::PostComplaint));
    // Statistics, the dashboard's data and the enterprise portal's lists.
    svr_.Get("/api/v1/config", Serve(&ServerImpl::GetConfig));
    svr_.Get("/api/v1/me", Serve(&ServerImpl::GetMe));
    svr_.Get("/api/v1/stats", Serve(&ServerImpl::GetStats));
    svr_.Get("/api/v1/overview", Serve(&ServerImpl::GetOverview));
    svr_.Get("/api/v1/documents", Serve(&ServerImpl::GetDocumentList));
    svr_.Get("/api/v1/reports/monthly", Serve(&ServerImpl::GetMonthlyReport));
    svr_.Get("/api/v1/evaluation", Serve(&ServerImpl::GetEvaluation));
    svr_.Put("/api/v1/evaluation/inputs", Serve(&ServerImpl::PutEvaluationInputs));
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

  // ---------------------------------------------------------------- clearance

  using ClearanceHandler = StatusOr<Reply> (ServerImpl::*)(const httplib::Request&);

  httplib::Server::Handler Serve(ClearanceHandler handler) {
    return [this, handler](const httplib::Request& req, httplib::Response& res) {
      StatusOr<Reply> reply = (this->*handler)(req);
      if (!reply.ok()) return SendClearanceError(res, reply.status());
      res.set_content(reply->body, reply->content_type);
    };
  }

  // The caller of a clearance endpoint; Unavailable when this server runs without the
  // clearance engine.
  StatusOr<registry::Principal> ClearanceCaller(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, Authenticate(req));
    if (clearance_ == nullptr) return Unavailable("clearance is not running on this server");
    return p;
  }

  // Whether the caller is a registered enterprise holding `role`.
  StatusOr<bool> HasRole(const registry::Principal& p, std::string_view role) {
    if (IsUser(p)) return false;
    ASSIGN_OR_RETURN(std::optional<registry::Enterprise> e, store_->FindEnterprise(p.id));
    return e.has_value() && e->HasRole(role);
  }

  // GET /quota?idType=1&idNumber=..&year=YYYY: departments, and the buyer's own platform
  // (an ebp that is a party to one of the buyer's documents).
  // A buyer's quota is for departments and the buyer's own platform (an ebp that holds a
  // document of that buyer).
  Status MaySeeQuota(const registry::Principal& p, const std::string& id_type,
                     const std::string& id_number) {
    if (IsUser(p)) return Status::Ok();
    ASSIGN_OR_RETURN(bool platform, HasRole(p, "ebp"));
    bool own = false;
    if (platform) {
      ASSIGN_OR_RETURN(
          own, store_->BuyerHasDocumentWith(vault_->KeyedHash(id_type + ":" + id_number), p.id));
    }
    if (!own)
      return Denied("only departments and the buyer's own platform may see a buyer's quota");
    return Status::Ok();
  }

  StatusOr<Reply> GetQuota(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, ClearanceCaller(req));
    std::string id_type = req.has_param("idType") ? req.get_param_value("idType") : "1";
    std::string id_number = req.get_param_value("idNumber");
    if (id_type.empty() || id_type.size() > 2 || !IsDigits(id_type)) {
      return InvalidArgument("idType must be a code of one or two digits (1: ID card)", "idType");
    }
    if (id_number.empty()) return InvalidArgument("idNumber is required", "idNumber");
    if (id_number.size() > 60) return InvalidArgument("idNumber is too long", "idNumber");
    int year = ToBeijing(Clock::System().Now()).year;
    if (req.has_param("year")) {
      const std::string& text = req.get_param_value("year");
      if (text.size() != 4 || !IsDigits(text) || std::stoi(text) < 2000 || std::stoi(text) > 2100) {
        return InvalidArgument("year must be YYYY, from 2000 to 2100", "year");
      }
      year = std::stoi(text);
    }
    RETURN_IF_ERROR(MaySeeQuota(p, id_type, id_number));
    ASSIGN_OR_RETURN(clearance::QuotaView q, clearance_->Quota(id_type, id_number, year));
    return Reply{QuotaToJson(q)};
  }

  // POST /stock/inbound: customs, or a warehouse for its own records.
  StatusOr<Reply> PostInbound(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, ClearanceCaller(req));
    bool customs = IsUserOf(p, {"customs"});
    if (!customs) {
      ASSIGN_OR_RETURN(bool warehouse, HasRole(p, "warehouse"));
      if (!warehouse) return Denied("only customs and zone warehouses may record bonded inbound");
    }
    ASSIGN_OR_RETURN(std::vector<clearance::InboundRecord> records, InboundFromJson(req.body));
    if (records.empty()) return InvalidArgument("records must not be empty", "records");
    for (size_t i = 0; i < records.size(); ++i) {
      if (!customs && records[i].warehouse != p.id) {
        return Status(Code::kPermissionDenied,
                      "a warehouse records inbound only for its own code " + p.id,
                      "records[" + std::to_string(i) + "].warehouse");
      }
    }
    RETURN_IF_ERROR(clearance_->AddInbound(records));
    return Reply{"{\"records\":" + std::to_string(records.size()) + "}"};
  }

  // GET /stock?warehouse=W: customs any warehouse (all when W is absent), a warehouse its
  // own.
  StatusOr<Reply> GetStock(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, ClearanceCaller(req));
    std::string warehouse = req.get_param_value("warehouse");
    if (!IsUserOf(p, {"customs"})) {
      ASSIGN_OR_RETURN(bool is_warehouse, HasRole(p, "warehouse"));
      if (!is_warehouse) return Denied("only customs and zone warehouses may see bonded stock");
      if (warehouse.empty()) warehouse = p.id;
      if (warehouse != p.id) {
        return Status(Code::kPermissionDenied, "a warehouse sees only its own stock", "warehouse");
      }
    }
    ASSIGN_OR_RETURN(std::vector<clearance::StockLine> lines, clearance_->StockReport(warehouse));
    return Reply{StockToJson(lines)};
  }

  // POST /summaries {"ebcCode":..,"month":"YYYY-MM","summaryFlag":"1"|"2","itemNameFlag":
  // ""|"1"}: the monthly export summary of one e-commerce enterprise, for the enterprise
  // itself and customs (summary::Build; the same answer as `shumao summary`).
  StatusOr<Reply> PostSummary(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, Authenticate(req));
    rapidjson::Document d;
    RETURN_IF_ERROR(ParseObject(req.body, d));
    summary::Request r;
    ASSIGN_OR_RETURN(r.ebc_code, StringMember(d, "ebcCode", true));
    ASSIGN_OR_RETURN(r.month, StringMember(d, "month", true));
    ASSIGN_OR_RETURN(r.summary_flag, StringMember(d, "summaryFlag", false));
    ASSIGN_OR_RETURN(r.item_name_flag, StringMember(d, "itemNameFlag", false));
    if (r.summary_flag.empty()) r.summary_flag = "1";
    if (r.ebc_code.empty()) return InvalidArgument("ebcCode is required", "ebcCode");
    Timestamp now = Clock::System().Now();
    RETURN_IF_ERROR(summary::CheckRequest(r, now));
    bool own = !IsUser(p) && p.id == r.ebc_code;
    if (!own && !IsUserOf(p, {"customs"})) {
      return Denied("only the e-commerce enterprise itself and customs may run its summary");
    }
    FixedClock clock(now);
    ASSIGN_OR_RETURN(summary::Summary s, summary::Build(*store_, r, clock));
    return Reply{summary::SummaryToJson(s)};
  }

  // GET /export-tax/records?ebcCode=..&from=YYYY-MM-DD&to=YYYY-MM-DD&format=csv|xlsx|json:
  // the 无票免税 records of one e-commerce enterprise (exporttax::BuildRecords), for tax
  // users and the enterprise itself.
  StatusOr<Reply> GetExportTaxRecords(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, Authenticate(req));
    exporttax::RecordsRequest r;
    r.ebc_code = req.get_param_value("ebcCode");
    r.from = req.get_param_value("from");
    r.to = req.get_param_value("to");
    std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
    if (format != "json" && format != "csv" && format != "xlsx") {
      return InvalidArgument("format must be csv, xlsx or json", "format");
    }
    RETURN_IF_ERROR(exporttax::CheckRecordsRequest(r));
    bool own = !IsUser(p) && p.id == r.ebc_code;
    if (!own && !IsUserOf(p, {"tax"})) {
      return Denied("only tax users and the e-commerce enterprise itself may see its records");
    }
    ASSIGN_OR_RETURN(exporttax::Records records, exporttax::BuildRecords(*store_, r));
    if (format == "csv") return Reply{exporttax::RecordsToCsv(records), "text/csv; charset=utf-8"};
    if (format == "xlsx") {
      ASSIGN_OR_RETURN(std::string bytes, exporttax::RecordsToXlsx(records));
      return Reply{std::move(bytes),
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};
    }
    return Reply{exporttax::RecordsToJson(records)};
  }

  // POST /guarantees {"code":..,"amount":..}: customs lodges an enterprise's guarantee.
  StatusOr<Reply> PostGuarantee(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, ClearanceCaller(req));
    if (!IsUserOf(p, {"customs"})) return Denied("only customs may set a tax guarantee");
    rapidjson::Document d;
    RETURN_IF_ERROR(ParseObject(req.body, d));
    ASSIGN_OR_RETURN(std::string code, StringMember(d, "code", true));
    ASSIGN_OR_RETURN(std::string amount_text, StringMember(d, "amount", true));
    if (code.empty() || code.size() > 18) {
      return InvalidArgument("code is an enterprise code of 1 to 18 characters", "code");
    }
    StatusOr<Decimal> amount = Decimal::Parse(amount_text);
    if (!amount.ok() || amount->IsNegative()) {
      return InvalidArgument("amount must be a decimal number, 0 or more", "amount");
    }
    RETURN_IF_ERROR(clearance_->SetGuarantee(code, *amount));
    ASSIGN_OR_RETURN(clearance::GuaranteeView g, clearance_->Guarantee(code));
    return Reply{GuaranteeToJson(g)};
  }

  // GET /guarantees/{code}: customs, tax, and the enterprise itself.
  StatusOr<Reply> GetGuarantee(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, ClearanceCaller(req));
    std::string code = req.matches[1];
    if (!IsUserOf(p, {"customs", "tax"}) && !(!IsUser(p) && p.id == code)) {
      return Denied("only customs, tax and the enterprise itself may see its guarantee");
    }
    ASSIGN_OR_RETURN(clearance::GuaranteeView g, clearance_->Guarantee(code));
    return Reply{GuaranteeToJson(g)};
  }

  // GET /taxbills/{invtNo}[?format=xml]: customs, tax, and the enterprises on the bill
  // (guarantor, declaring agent, e-commerce enterprise).
  StatusOr<Reply> GetTaxBill(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, ClearanceCaller(req));
    std::string invt_no = req.matches[1];
    std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
    if (format != "json" && format != "xml") {
      return InvalidArgument("format must be json or xml", "format");
    }
    ASSIGN_OR_RETURN(std::string json, clearance_->TaxBillJson(invt_no));
    if (!IsUserOf(p, {"customs", "tax"})) {
      bool on_bill = false;
      rapidjson::Document bill;
      bill.Parse(json.data(), json.size());
      if (!IsUser(p) && !bill.HasParseError() && bill.IsObject()) {
        for (const char* field : {"assureCode", "agentCode", "ebcCode"}) {
          auto it = bill.FindMember(field);
          if (it != bill.MemberEnd() && it->value.IsString() && p.id == it->value.GetString()) {
            on_bill = true;
          }
        }
      }
      if (!on_bill) {
        return Denied("only customs, tax and the enterprises on a tax bill may see it");
      }
    }
    if (format == "json") return Reply{std::move(json)};
    ASSIGN_OR_RETURN(std::string xml, clearance_->TaxBillXml(invt_no));
    return Reply{std::move(xml), "application/xml; charset=utf-8"};
  }

  // POST /inventories/{key}/decision {"decision":"release"|"refuse","reason":..}: an
  // officer's decision on a list under inspection or manual review; customs only.
  StatusOr<Reply> PostDecision(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, ClearanceCaller(req));
    if (!IsUserOf(p, {"customs"})) return Denied("only customs officers decide on a list");
    std::string key = req.matches[1];
    rapidjson::Document d;
    RETURN_IF_ERROR(ParseObject(req.body, d));
    ASSIGN_OR_RETURN(std::string decision, StringMember(d, "decision", true));
    ASSIGN_OR_RETURN(std::string reason, StringMember(d, "reason", false));
    if (decision != "release" && decision != "refuse") {
      return InvalidArgument("decision must be release or refuse", "decision");
    }
    RETURN_IF_ERROR(clearance_->Decide(key, decision, reason, p.id));
    std::string out = "{\"key\":\"";
    AppendJsonEscaped(out, key);
    out += "\",\"decision\":\"" + decision + "\"}";
    return Reply{std::move(out)};
  }

  // GET /alerts?limit=N: guarantee and tax alerts, oldest first; customs and tax.
  StatusOr<Reply> GetAlerts(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, ClearanceCaller(req));
    if (!IsUserOf(p, {"customs", "tax"})) return Denied("only customs and tax see alerts");
    ASSIGN_OR_RETURN(int limit, LimitParam(req));
    ASSIGN_OR_RETURN(std::vector<std::string> alerts, clearance_->Alerts(limit));
    std::string out = "{\"alerts\":[";
    for (size_t i = 0; i < alerts.size(); ++i) {
      if (i > 0) out += ',';
      out += alerts[i];
    }
    out += "]}";
    return Reply{std::move(out)};
  }

  // ---------------------------------------------------------------- risk and credit

  StatusOr<risk::Risk*> RiskApi() {
    if (opt_.risk == nullptr) return Unavailable("risk control is not running on this server");
    return opt_.risk;
  }

  // A date parameter YYYY-MM-DD as the start of that Beijing day.
  static StatusOr<Timestamp> DateParam(const httplib::Request& req, const char* name,
                                       std::optional<Timestamp> fallback) {
    if (!req.has_param(name) || req.get_param_value(name).empty()) {
      if (fallback) return *fallback;
      return InvalidArgument(std::string(name) + " is required (YYYY-MM-DD)", name);
    }
    auto t = ParseDate(req.get_param_value(name));
    if (!t.ok()) return InvalidArgument(std::string(name) + " must be a date YYYY-MM-DD", name);
    return *t;
  }

  // GET /risk/hits?from=..&to=..[&rule=..][&severity=..][&buyer=ID][&limit=N][&after=ID]:
  // departments
  // only (customs and the zone's alerts by severity); the
  // day `to` is included. `buyer` is an ID number (type 1) or "TYPE:NUMBER".
  StatusOr<Reply> GetRiskHits(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, Authenticate(req));
    ASSIGN_OR_RETURN(risk::Risk * r, RiskApi());
    if (!IsUser(p)) {
      return Denied("risk hits are for departments; an enterprise sees its documents' outcome");
    }
    risk::HitQuery q;
    ASSIGN_OR_RETURN(q.from, DateParam(req, "from", std::nullopt));
    ASSIGN_OR_RETURN(Timestamp to, DateParam(req, "to", std::nullopt));
    q.to = Timestamp{to.millis + 24LL * 3600 * 1000};
    if (q.to <= q.from) return InvalidArgument("to must not be before from", "to");
    if (req.has_param("rule")) q.rule = req.get_param_value("rule");
    if (req.has_param("severity")) {
      q.severity = req.get_param_value("severity");
      if (q.severity != "high" && q.severity != "medium" && q.severity != "low") {
        return InvalidArgument("severity must be high, medium or low", "severity");
      }
    }
    if (req.has_param("buyer") && !req.get_param_value("buyer").empty()) {
      std::string b = req.get_param_value("buyer");
      if (b.find(':') == std::string::npos) b = "1:" + b;
      q.buyer_hash = vault_->KeyedHash(b);
    }
    q.limit = 1000;
    if (req.has_param("limit")) {
      ASSIGN_OR_RETURN(q.limit, LimitParam(req));
    }
    if (req.has_param("after")) q.after = req.get_param_value("after");
    ASSIGN_OR_RETURN(std::vector<std::string> hits, r->Hits(q));
    std::string out = "{\"hits\":[";
    for (size_t i = 0; i < hits.size(); ++i) out += (i ? "," : "") + hits[i];
    out += "],\"count\":" + std::to_string(hits.size());
    // A full page: the next one starts after its last hit.
    if (static_cast<int>(hits.size()) == q.limit && !hits.empty()) {
      const std::string& last = hits.back();
      size_t at = last.find("\"id\":\"") + 6;
      out += ",\"next\":\"";
      AppendJsonEscaped(out, last.substr(at, last.find('"', at) - at));
      out += "\"";
    }
    out += "}";
    return Reply{std::move(out)};
  }

  // GET /risk/rules: the rules in force with their inspection results; departments.
  StatusOr<Reply> GetRiskRules(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, Authenticate(req));
    ASSIGN_OR_RETURN(risk::Risk * r, RiskApi());
    if (!IsUser(p)) return Denied("the risk rules are for departments only");
    ASSIGN_OR_RETURN(std::vector<risk::RuleView> rules, r->Rules(Clock::System().Now()));
    std::string out = "{\"rules\":[";
    for (size_t i = 0; i < rules.size(); ++i) {
      const risk::RuleView& v = rules[i];
      out += i ? "," : "";
      out += "{\"id\":\"" + v.rule.id + "\",\"version\":" + std::to_string(v.rule.version) +
             ",\"severity\":\"" + v.rule.severity + "\",\"action\":\"" +
             std::string(risk::ActionName(v.rule.action)) + "\",\"description\":\"";
      AppendJsonEscaped(out, v.rule.description_zh);
      out += "\",\"descriptionEn\":\"";
      AppendJsonEscaped(out, v.rule.description_en);
      out += "\",\"params\":{";
      bool first = true;
      for (const auto& [k, val] : v.rule.params) {
        out += (first ? "\"" : ",\"") + k + "\":\"" + val + "\"";
        first = false;
      }
      out += "},\"hits\":" + std::to_string(v.hits) +
             ",\"inspected\":" + std::to_string(v.inspected) +
             ",\"found\":" + std::to_string(v.found) + ",\"hitRate\":";
      out += v.inspected == 0 ? "null"
                              : "\"" +
                                    Decimal::FromInt(v.found)
                                        .Div(Decimal::FromInt(v.inspected))
                                        .RoundTo(4)
                                        .ToShortString() +
                                    "\"";
      out += "}";
    }
    out += "]}";
    return Reply{std::move(out)};
  }

  // GET /risk/decisions/{copNo}?agentCode=..: why a list took its lane; departments.
  StatusOr<Reply> GetRiskDecision(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, Authenticate(req));
    ASSIGN_OR_RETURN(risk::Risk * r, RiskApi());
    if (!IsUser(p)) return Denied("risk decisions are for departments only");
    std::string agent = req.has_param("agentCode") ? req.get_param_value("agentCode") : "";
    if (agent.empty()) return InvalidArgument("agentCode is required", "agentCode");
    ASSIGN_OR_RETURN(std::string dec, r->Decision(req.matches[1], agent));
    return Reply{std::move(dec)};
  }

  // GET /credit/dishonest[?date=YYYY-MM-DD]: the published dishonest list (失信公示); public.
  StatusOr<Reply> GetDishonest(const httplib::Request& req) {
    ASSIGN_OR_RETURN(risk::Risk * r, RiskApi());
    ASSIGN_OR_RETURN(Timestamp at, DateParam(req, "date", Clock::System().Now()));
    if (req.has_param("date")) at.millis += 24LL * 3600 * 1000 - 1;
    ASSIGN_OR_RETURN(std::vector<std::string> list, r->Dishonest(at));
    std::string out = "{\"date\":\"" + FormatIso(at).substr(0, 10) + "\",\"enterprises\":[";
    for (size_t i = 0; i < list.size(); ++i) out += (i ? "," : "") + list[i];
    out += "]}";
    return Reply{std::move(out)};
  }

  // GET /credit/{code}: level, history and the platform score; departments and the
  // enterprise itself.
  StatusOr<Reply> GetCredit(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, Authenticate(req));
    ASSIGN_OR_RETURN(risk::Risk * r, RiskApi());
    std::string code = req.matches[1];
    if (!IsUser(p) && p.id != code) {
      return Denied("only departments and the enterprise itself may see its credit");
    }
    ASSIGN_OR_RETURN(std::optional<registry::Enterprise> e, store_->FindEnterprise(code));
    if (!e) return NotFound("no enterprise " + code);
    ASSIGN_OR_RETURN(std::string json, r->CreditJson(code, Clock::System().Now()));
    return Reply{std::move(json)};
  }

  // PUT /credit/{code}/level {"level":..,"from":"YYYY-MM-DD","reason":..}: customs sets
  // the enterprise's customs credit level (令第282号).
  StatusOr<Reply> PutCreditLevel(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, Authenticate(req));
    ASSIGN_OR_RETURN(risk::Risk * r, RiskApi());
    if (!IsUserOf(p, {"customs"})) return Denied("only customs sets an enterprise's credit level");
    std::string code = req.matches[1];
    ASSIGN_OR_RETURN(std::optional<registry::Enterprise> e, store_->FindEnterprise(code));
    if (!e) return NotFound("no enterprise " + code);
    rapidjson::Document d;
    RETURN_IF_ERROR(ParseObject(req.body, d));
    risk::CreditLevelRecord rec;
    rec.code = code;
    ASSIGN_OR_RETURN(rec.level, StringMember(d, "level", true));
    ASSIGN_OR_RETURN(rec.from, StringMember(d, "from", true));
    ASSIGN_OR_RETURN(rec.reason, StringMember(d, "reason", false));
    RETURN_IF_ERROR(r->SetCreditLevel(rec));
    ASSIGN_OR_RETURN(std::string json, r->CreditJson(code, Clock::System().Now()));
    return Reply{std::move(json)};
  }

  // POST /credit/{code}/complaints {"text":..}: market supervision, commerce, the zone.
  StatusOr<Reply> PostComplaint(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, Authenticate(req));
    ASSIGN_OR_RETURN(risk::Risk * r, RiskApi());
    if (!IsUserOf(p, {"market", "commerce", "admin", "customs"})) {
      return Denied("complaints are recorded by market supervision, commerce, customs or the zone");
    }
    std::string code = req.matches[1];
    ASSIGN_OR_RETURN(std::optional<registry::Enterprise> e, store_->FindEnterprise(code));
    if (!e) return NotFound("no enterprise " + code);
    rapidjson::Document d;
    RETURN_IF_ERROR(ParseObject(req.body, d));
    ASSIGN_OR_RETURN(std::string text, StringMember(d, "text", true));
    RETURN_IF_ERROR(r->Complaint(code, text, Clock::System().Now()));
    ASSIGN_OR_RETURN(std::string json, r->CreditJson(code, Clock::System().Now()));
    return Reply{std::move(json)};
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
    if (opt_.risk != nullptr) {
      auto rules = opt_.risk->Rules(Clock::System().Now());
      if (rules.ok()) {
        const std::pair<const char*, int64_t risk::RuleView::*> kSeries[] = {
            {"hits", &risk::RuleView::hits},
            {"inspected", &risk::RuleView::inspected},
            {"found", &risk::RuleView::found}};
        for (const auto& [name, member] : kSeries) {
          out += std::string("# HELP shumao_risk_rule_") + name + " Risk rule " + name +
                 " (the pseudo-rule random: lists drawn at random).\n# TYPE shumao_risk_rule_" +
                 name + " counter\n";
          for (const risk::RuleView& v : *rules) {
            out += std::string("shumao_risk_rule_") + name + "{rule=\"" + v.rule.id + "\"} " +
                   std::to_string(v.*member) + "\n";
          }
        }
      }
    }
    res.set_content(out, "text/plain; version=0.0.4");
  }

  // ---------------------------------------------------------------- statistics

  // The caller of a statistics endpoint: an authenticated principal, or nobody (nullopt)
  // when the server shows the overview publicly and no token was sent.
  StatusOr<std::optional<registry::Principal>> StatsCaller(const httplib::Request& req) {
    if (opt_.stats_tables == nullptr || opt_.zones == nullptr) {
      return Unavailable("statistics are not running on this server");
    }
    if (opt_.public_overview && !req.has_header("Authorization")) {
      return std::optional<registry::Principal>();
    }
    ASSIGN_OR_RETURN(registry::Principal p, Authenticate(req));
    return std::optional<registry::Principal>(p);
  }

  // Today in Beijing, and a year back (the overview's default range).
  static std::pair<std::string, std::string> LastYear() {
    Timestamp now = Clock::System().Now();
    std::string to = FormatIso(now).substr(0, 10);
    std::string from = FormatIso(Timestamp{now.millis - 364LL * 86400000}).substr(0, 10);
    return {from, to};
  }

  // GET /config: what the dashboard needs before login.
  StatusOr<Reply> GetConfig(const httplib::Request&) {
    std::string out = std::string("{\"publicOverview\":") +
                      (opt_.public_overview ? "true" : "false") + ",\"zones\":[";
    if (opt_.stats_tables != nullptr) {
      bool first = true;
      for (const stats::Zone& z : opt_.stats_tables->Zones()) {
        out += std::string(first ? "" : ",") + "{\"code\":\"" + z.id + "\",\"name_zh\":\"";
        AppendJsonEscaped(out, z.name_zh);
        out += "\",\"name_en\":\"";
        AppendJsonEscaped(out, z.name_en);
        out += "\"}";
        first = false;
      }
    }
    return Reply{out + "]}"};
  }

  // GET /me: who the token belongs to.
  StatusOr<Reply> GetMe(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, Authenticate(req));
    std::string out;
    if (IsUser(p)) {
      out = "{\"kind\":\"department\",\"name\":\"";
      AppendJsonEscaped(out, p.id);
      out += "\",\"department\":\"" + p.department + "\"}";
      return Reply{out};
    }
    ASSIGN_OR_RETURN(std::optional<registry::Enterprise> e, store_->FindEnterprise(p.id));
    out = "{\"kind\":\"enterprise\",\"code\":\"";
    AppendJsonEscaped(out, p.id);
    out += "\",\"name\":\"";
    if (e) AppendJsonEscaped(out, e->name);
    out += "\",\"roles\":[";
    if (e) {
      for (size_t i = 0; i < e->roles.size(); ++i) out += (i ? ",\"" : "\"") + e->roles[i] + "\"";
    }
    out += "],\"zone\":\"";
    if (e) AppendJsonEscaped(out, e->zone);
    return Reply{out + "\"}"};
  }

  // GET /stats?measure&by&from&to[&direction][&tradeMode][&ebcCode][&zone]: departments see
  // everything; an enterprise its own ebcCode only; without a token (public overview) the
  // zone's totals but no enterprise.
  StatusOr<Reply> GetStats(const httplib::Request& req) {
    ASSIGN_OR_RETURN(std::optional<registry::Principal> p, StatsCaller(req));
    stats::Query q;
    q.measure = req.get_param_value("measure");
    q.by = req.get_param_value("by");
    q.from = req.get_param_value("from");
    q.to = req.get_param_value("to");
    if (q.measure.empty()) return InvalidArgument("measure is required", "measure");
    if (q.by.empty()) return InvalidArgument("by is required", "by");
    if (q.from.empty()) return InvalidArgument("from is required (YYYY-MM-DD)", "from");
    if (q.to.empty()) return InvalidArgument("to is required (YYYY-MM-DD)", "to");
    q.direction = req.get_param_value("direction");
    q.trade_mode = req.get_param_value("tradeMode");
    q.ebc_code = req.get_param_value("ebcCode");
    q.zone = req.get_param_value("zone");
    if (!p) {
      if (!q.ebc_code.empty() || q.by == "ebcCode") {
        return Status(Code::kUnauthenticated, "figures by enterprise need a token");
      }
    } else if (!IsUser(*p)) {
      if (!q.ebc_code.empty() && q.ebc_code != p->id) {
        return Denied("an enterprise sees its own statistics only");
      }
      q.ebc_code = p->id;
    }
    ASSIGN_OR_RETURN(stats::Answer a, stats::Run(*store_, *opt_.stats_tables, *opt_.zones, q));
    return Reply{stats::AnswerJson(a)};
  }

  // GET /overview[?from&to][&zone]: the big screen's data.
  StatusOr<Reply> GetOverview(const httplib::Request& req) {
    ASSIGN_OR_RETURN(std::optional<registry::Principal> p, StatsCaller(req));
    auto [from, to] = LastYear();
    if (!req.get_param_value("from").empty()) from = req.get_param_value("from");
    if (!req.get_param_value("to").empty()) to = req.get_param_value("to");
    bool departments = p && IsUser(*p);
    ASSIGN_OR_RETURN(std::string out,
                     stats::OverviewJson(*store_, *opt_.stats_tables, *opt_.zones, from, to,
                                         req.get_param_value("zone"), departments));
    return Reply{std::move(out)};
  }

  // GET /documents?kind=..&limit=N&before=ID: the caller's documents, newest first (an
  // enterprise: those it is a party to; a department: all). No personal data.
  StatusOr<Reply> GetDocumentList(const httplib::Request& req) {
    ASSIGN_OR_RETURN(registry::Principal p, Authenticate(req));
    std::string kind = req.get_param_value("kind");
    if (!kind.empty() && !IsKnownKind(kind))
      return InvalidArgument("unknown kind '" + kind + "'", "kind");
    ASSIGN_OR_RETURN(int limit, LimitParam(req));
    int64_t before = 0;
    std::string b = req.get_param_value("before");
    if (!b.empty()) {
      if (!IsDigits(b) || b.size() > 18)
        return InvalidArgument("before must be a document id", "before");
      before = std::stoll(b);
    }
    ASSIGN_OR_RETURN(
        std::vector<store::DocumentRow> rows,
        store_->DocumentsOfParty(IsUser(p) ? std::string() : p.id, kind, before, limit));
    std::string out = "{\"documents\":[";
    for (size_t i = 0; i < rows.size(); ++i) {
      const store::DocumentRow& d = rows[i];
      out += (i ? "," : "") + std::string("{\"id\":") + std::to_string(d.id) + ",\"kind\":\"" +
             d.kind + "\",\"key\":\"";
      AppendJsonEscaped(out, d.key);
      out += "\",\"altKey\":\"";
      AppendJsonEscaped(out, d.alt_key);
      out += "\",\"status\":\"" + d.status + "\",\"returnInfo\":\"";
      AppendJsonEscaped(out, d.return_info);
      out += "\",\"messageType\":\"" + d.message_type + "\",\"updated\":\"" +
             FormatIso(Timestamp{d.updated_ms}) + "\"}";
    }
    out += "],\"next\":";
    out += static_cast<int>(rows.size()) == limit && !rows.empty() ? std::to_string(rows.back().id)
                                                                   : std::string("null");
    return Reply{out + "}"};
  }

  StatusOr<stats::ReportInputs> ReportInputs() {
    stats::ReportInputs in;
    if (clearance_ != nullptr) {
      ASSIGN_OR_RETURN(in.warehouses, clearance_->ListOverseasWarehouses(""));
    }
    ASSIGN_OR_RETURN(in.enterprises, store_->ListEnterprises());
    return in;
  }

  // GET /reports/monthly?month=YYYY-MM&format=json|csv|xlsx[&zone=Z]: departments.
  StatusOr<Reply> GetMonthlyReport(const httplib::Request& req) {
    ASSIGN_OR_RETURN(std::optional<registry::Principal> p, StatsCaller(req));
    if (!p) return Status(Code::kUnauthenticated, "the monthly report needs a token");
    if (!IsUser(*p)) return Denied("the monthly report is for the zone's departments");
    std::string month = req.get_param_value("month");
    if (month.empty()) return InvalidArgument("month is required (YYYY-MM)", "month");
    std::string format = req.get_param_value("format").empty() ? "json" : req.get_param_value("format");
    if (format != "json" && format != "csv" && format != "xlsx") {
      return InvalidArgument("format must be json, csv or xlsx", "format");
    }
    ASSIGN_OR_RETURN(stats::ReportInputs in, ReportInputs());
    ASSIGN_OR_RETURN(stats::MonthlyReport r,
                     stats::BuildMonthlyReport(*store_, *opt_.stats_tables, *opt_.zones, month,
                                               req.get_param_value("zone"), in));
    if (format == "csv") return Reply{stats::ReportCsv(r), "text/csv; charset=utf-8"};
    if (format == "xlsx") {
      ASSIGN_OR_RETURN(std::string bytes, stats::ReportXlsx(r));
      return Reply{std::move(bytes),
                   "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"};
    }
    return Reply{r.json};
  }

  // GET /evaluation?year=YYYY[&weights=id:W,id:W]: departments.
  StatusOr<Reply> GetEvaluation(const httplib::Request& req) {
    ASSIGN_OR_RETURN(std::optional<registry::Principal> p, StatsCaller(req));
    if (!p) return Status(Code::kUnauthenticated, "the evaluation needs a token");
    if (!IsUser(*p)) return Denied("the zone evaluation is for departments");
    std::string y = req.get_param_value("year");
    if (y.empty()) y = FormatIso(Clock::System().Now()).substr(0, 4);
    if (!IsDigits(y) || y.size() != 4) return InvalidArgument("year must be YYYY", "year");
    std::map<std::string, Decimal> weights;
    std::string_view w = req.has_param("weights") ? req.get_param_value("weights") : "";
    while (!w.empty()) {
      size_t comma = w.find(',');
      std::string_view part = w.substr(0, comma);
      size_t colon = part.find(':');
      if (colon == std::string_view::npos) {
        return InvalidArgument("weights are id:weight pairs separated by commas", "weights");
      }
      StatusOr<Decimal> d = Decimal::Parse(part.substr(colon + 1));
      if (!d.ok())
        return InvalidArgument(
            "weight of " + std::string(part.substr(0, colon)) + " is not a number", "weights");
      weights[std::string(part.substr(0, colon))] = *d;
      if (comma == std::string_view::npos) break;
      w.remove_prefix(comma + 1);
    }
    ASSIGN_OR_RETURN(stats::ReportInputs in, ReportInputs());
    ASSIGN_OR_RETURN(
        std::string out,
        stats::EvaluationJson(*store_, *opt_.stats_tables, *opt_.zones, std::stoi(y), weights, in));
    return Reply{std::move(out)};
  }

  // PUT /evaluation/inputs {"zone","year","foreignTradeCny","highTech","parks","policyCases"}:
  // the zone administration (commerce, admin).
  StatusOr<Reply> PutEvaluationInputs(const httplib::Request& req) {
    ASSIGN_OR_RETURN(std::optional<registry::Principal> p, StatsCaller(req));
    if (!p) return Status(Code::kUnauthenticated, "missing bearer token");
    if (!IsUserOf(*p, {"commerce", "admin"})) {
      return Denied("the zone's inputs are entered by commerce or the zone administration");
    }
    rapidjson::Document d;
    d.Parse(req.body.c_str(), req.body.size());
    if (d.HasParseError() || !d.IsObject())
      return InvalidArgument("the body must be a JSON object");
    stats::ZoneInputs in;
    ASSIGN_OR_RETURN(in.zone, StringMember(d, "zone", true));
    auto number = [&](const char* name) -> StatusOr<std::string> {
      auto it = d.FindMember(name);
      if (it == d.MemberEnd() || it->value.IsNull()) return std::string("0");
      if (it->value.IsString()) return std::string(it->value.GetString());
      if (it->value.IsInt64()) return std::to_string(it->value.GetInt64());
      return InvalidArgument(std::string(name) + " must be a number", name);
    };
    auto count = [&](const char* name) -> StatusOr<int64_t> {
      ASSIGN_OR_RETURN(std::string v, number(name));
      if (!IsDigits(v) || v.size() > 12) {
        return InvalidArgument(std::string(name) + " must be a whole number, 0 or more", name);
      }
      return std::stoll(v);
    };
    ASSIGN_OR_RETURN(int64_t year, count("year"));
    in.year = static_cast<int>(year);
    ASSIGN_OR_RETURN(std::string trade, number("foreignTradeCny"));
    StatusOr<Decimal> t = Decimal::Parse(trade);
    if (!t.ok() || t->IsNegative()) {
      return InvalidArgument("foreignTradeCny must be an amount, 0 or more", "foreignTradeCny");
    }
    in.foreign_trade_cny = *t;
    ASSIGN_OR_RETURN(in.high_tech, count("highTech"));
    ASSIGN_OR_RETURN(in.parks, count("parks"));
    ASSIGN_OR_RETURN(in.policy_cases, count("policyCases"));
    RETURN_IF_ERROR(stats::PutZoneInputs(*store_, in));
    return Reply{"{\"zone\":\"" + in.zone + "\",\"year\":" + std::to_string(in.year) +
                 ",\"stored\":true}"};
  }

  void Home(httplib::Response& res) {
    res.set_content(
        "<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>数贸 "
        "Shumao</title></head>"
        "<body><h1>数贸 Shumao — 跨境电商综试区线上综合服务平台</h1>"
        "<p>API: POST /api/v1/messages (CEB XML or JSON), GET /api/v1/receipts, "
        "GET /api/v1/documents/{kind}/{key}, POST /api/v1/tax/quote, GET /api/v1/quota, "
        "/api/v1/stock, /api/v1/guarantees, GET /api/v1/taxbills/{invtNo}, "
        "POST /api/v1/inventories/{key}/decision, GET /api/v1/alerts, /healthz, /metrics. "
        "See docs/openapi.yaml.</p>"
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

// The HTTP API (cpp-httplib): POST /api/v1/messages, GET /api/v1/receipts,
// GET /api/v1/documents/{kind}/{key}, POST /api/v1/tax/quote, /healthz, /metrics, and
// the clearance endpoints over clearance::Engine: GET /api/v1/quota, POST
// /api/v1/stock/inbound, GET /api/v1/stock, POST /api/v1/guarantees, GET
// /api/v1/guarantees/{code}, GET /api/v1/taxbills/{invtNo}[?format=xml], POST
// /api/v1/inventories/{key}/decision, GET /api/v1/alerts, and POST /api/v1/summaries (the
// monthly export summary, summary::Build) (docs/openapi.yaml has each
// one's rights and answers). Handlers are thin: they authenticate, decode the request,
// check the caller's right, call intake, the store or the engine, and map Status to HTTP
// (401 no token, 403 no right, 400 naming the field, 404 unknown, 409 a state that
// forbids it, 503 when the database is down or the server runs without clearance).
//
// Thread safety: one Server runs its own thread pool; Stop may be called from any thread.
#ifndef SHUMAO_HTTP_SERVER_H_
#define SHUMAO_HTTP_SERVER_H_

#include <spdlog/logger.h>

#include <memory>
#include <string>

#include "clearance/clearance.h"
#include "common/crypto.h"
#include "common/status.h"
#include "intake/intake.h"
#include "risk/risk.h"
#include "stats/stats.h"
#include "store/store.h"
#include "tax/tax.h"

namespace shumao::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;
  size_t max_body_bytes = 10 * 1024 * 1024;
  int threads = 8;
  bool public_overview = false;
  std::string web_root;  // built dashboard (web/dist), served at / when present
  // Structured (JSON lines) access and error log; none when null.
  std::shared_ptr<spdlog::logger> log;
  // The tables POST /tax/quote computes with; null: the built-in ones.
  const tax::TariffTable* tariff = nullptr;
  // Risk control and credit (GET /risk/..., /credit/...); null: those endpoints answer 503.
  risk::Risk* risk = nullptr;
  // Statistics (GET /stats, /overview, /reports/monthly, /evaluation); null: those
  // endpoints answer 503.
  const stats::Tables* stats_tables = nullptr;
  const stats::ZoneResolver* zones = nullptr;
};

class Server {
 public:
  virtual ~Server() = default;
  // `clearance` may be null: the clearance endpoints then answer 503.
  static StatusOr<std::unique_ptr<Server>> Create(store::Store* store, intake::Intake* intake,
                                                  std::shared_ptr<const Vault> vault,
                                                  ServerOptions options,
                                                  clearance::Engine* clearance = nullptr);
  // Binds and serves until Stop; returns an error if the address cannot be bound.
  virtual Status Run() = 0;
  virtual void Stop() = 0;
  // The port actually bound (useful with port 0), valid once Run has bound.
  virtual int port() const = 0;
  virtual bool WaitUntilReady(int timeout_ms) = 0;
};

}  // namespace shumao::http

#endif  // SHUMAO_HTTP_SERVER_H_

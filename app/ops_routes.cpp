#include "app/ops_routes.hpp"

#include <nlohmann/json.hpp>

#include "app/market_ownership.hpp"

namespace lastcall::app {

void install_ops_routes(httplib::Server& http, readiness& ready, metrics_sources sources) {
  http.Get("/healthz", [&ready, ownership = sources.ownership](const httplib::Request&,
                                                               httplib::Response& response) {
    const auto report = ready.check();
    const bool owner = !ownership || ownership->role() == market_role::owner;
    const bool serving = owner && report.ready();
    nlohmann::json body{{"status", serving ? "ready"
                                   : owner ? "not ready"
                                           : "standby"},
                        {"role", owner ? "owner" : "standby"},
                        {"database", report.database ? "ok" : "unreachable"},
                        {"bot_api", report.bot_api ? "ok" : "not answered yet"}};
    if (ownership) body["epoch"] = ownership->epoch();
    response.status = serving ? 200 : 503;
    response.set_content(body.dump() + "\n", "application/json");
  });
  http.Get("/metrics", [sources](const httplib::Request&, httplib::Response& response) {
    response.set_content(render_metrics(sources), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace lastcall::app

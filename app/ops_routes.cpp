#include "app/ops_routes.hpp"

#include <nlohmann/json.hpp>

namespace lastcall::app {

void install_ops_routes(httplib::Server& http, readiness& ready, metrics_sources sources) {
  http.Get("/healthz", [&ready](const httplib::Request&, httplib::Response& response) {
    const auto report = ready.check();
    nlohmann::json body{{"status", report.ready() ? "ready" : "not ready"},
                        {"database", report.database ? "ok" : "unreachable"},
                        {"bot_api", report.bot_api ? "ok" : "not answered yet"}};
    response.status = report.ready() ? 200 : 503;
    response.set_content(body.dump() + "\n", "application/json");
  });
  http.Get("/metrics", [sources](const httplib::Request&, httplib::Response& response) {
    response.set_content(render_metrics(sources), "text/plain; version=0.0.4; charset=utf-8");
  });
}

}  // namespace lastcall::app

// What operators watch: /healthz and /metrics on the bot's HTTP listener.

#include <string>

#include <httplib.h>
#include <catch2/catch.hpp>

#include "app/readiness.hpp"
#include "tests/support/market.hpp"
#include "tests/support/metrics_page.hpp"
#include "tests/support/ports.hpp"

using namespace lastcall::testing;

TEST_CASE("operations: /healthz is ready and /metrics counts the work done", "[e2e][ops]") {
  const int port = free_tcp_port();
  market m("ops-metrics", {}, {{"HTTP_PORT", std::to_string(port)}});
  chat_user ann(m, 830, "Ann");
  ann.says("/help");
  ann.says("/reservations");

  httplib::Client client("127.0.0.1", port);
  auto health = client.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  auto report = nlohmann::json::parse(health->body);
  CHECK(report["status"] == "ready");
  CHECK(report["database"] == "ok");
  CHECK(report["bot_api"] == "ok");

  auto metrics = client.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK_THAT(metrics->get_header_value("Content-Type"), Catch::StartsWith("text/plain"));
  const auto& page = metrics->body;
  CHECK(metric_sample(page, "lastcall_updates_received_total") >= 2);
  CHECK(metric_sample(page, "lastcall_updates_handled_total") >= 2);
  CHECK(metric_sample(page, "lastcall_update_handling_seconds_count") >= 2);
  CHECK(metric_sample(page, "lastcall_live_sessions") >= 1);
  // The bot runs on jemalloc, which can say what it holds.
  CHECK(metric_sample(page, "lastcall_allocated_bytes") > 0);
  CHECK(metric_sample(page, "lastcall_allocator_resident_bytes") >=
        metric_sample(page, "lastcall_allocated_bytes"));
  CHECK(metric_sample(page, "lastcall_persistence_batches_total") >= 1);
  CHECK(metric_sample(page, "lastcall_persistence_outage") == 0);
  CHECK_THAT(page, Catch::Contains(
                       "lastcall_outbound_calls_total{method=\"sendMessage\",result=\"ok\"} "));
  CHECK(metric_sample(page, "lastcall_outbound_queued") >= 0);
  CHECK_THAT(page, Catch::Contains("# TYPE lastcall_update_handling_seconds histogram"));
  CHECK_THAT(page, Catch::Contains("lastcall_update_handling_seconds_bucket{le=\"+Inf\"}"));
}

TEST_CASE("operations: not ready while the database cannot be reached", "[ops]") {
  lastcall::app::readiness ready("postgresql:///lastcall_absent?host=/nonexistent-socket-dir");
  ready.bot_api_answered();
  auto report = ready.check();
  CHECK(report.bot_api);
  CHECK_FALSE(report.database);
  CHECK_FALSE(report.ready());
}

TEST_CASE("operations: webhook mode without the HTTP listener is refused at start", "[e2e][ops]") {
  market m(market_options{
      "ops-webhook-no-port", {}, {{"WEBHOOK_URL", "https://bot.example/hook"}}, false});
  m.start_bot();
  auto code = m.bot().wait(int(answer_timeout.count()));
  REQUIRE(code.has_value());
  CHECK(*code == 2);
  CHECK_THAT(m.bot().log(), Catch::Contains("HTTP_PORT"));
}

TEST_CASE("operations: a failed setWebhook stops the start cleanly with exit code 1",
          "[e2e][ops][webhook]") {
  const int port = free_tcp_port();
  market m(market_options{"ops-webhook-refused",
                          {},
                          {{"HTTP_PORT", std::to_string(port)},
                           {"WEBHOOK_URL", "http://127.0.0.1:" + std::to_string(port) + "/hook"}},
                          false});
  lastcall::sandbox::fault_plan refuse;
  refuse.server_error.next = 1;
  refuse.methods = {"setWebhook"};
  m.world().set_faults(refuse);
  m.start_bot();
  // The actors already running are shut down too, so the process ends instead of hanging.
  auto code = m.bot().wait(int(answer_timeout.count()));
  REQUIRE(code.has_value());
  CHECK(*code == 1);
  CHECK_THAT(m.bot().log(), Catch::Contains("setWebhook failed"));
}

#include <catch2/catch.hpp>

#include "app/prometheus_text.hpp"

using lastcall::app::prometheus_text;

TEST_CASE("prometheus text: families, labels and escaping", "[metrics]") {
  prometheus_text text;
  text.family("lastcall_calls_total", "counter", "Bot API calls.")
      .sample(uint64_t{3}, {{"method", "sendMessage"}, {"result", "ok"}})
      .sample(uint64_t{1}, {{"method", "say \"hi\"\\"}});
  text.family("lastcall_lag_seconds", "gauge", "Lag.").sample(0.5);
  REQUIRE(text.str() ==
          "# HELP lastcall_calls_total Bot API calls.\n"
          "# TYPE lastcall_calls_total counter\n"
          "lastcall_calls_total{method=\"sendMessage\",result=\"ok\"} 3\n"
          "lastcall_calls_total{method=\"say \\\"hi\\\"\\\\\"} 1\n"
          "# HELP lastcall_lag_seconds Lag.\n"
          "# TYPE lastcall_lag_seconds gauge\n"
          "lastcall_lag_seconds 0.5\n");
}

TEST_CASE("prometheus text: a histogram ends with +Inf, sum and count", "[metrics]") {
  prometheus_text text;
  text.histogram("h", "Latency.", {0.1, 1}, {2, 5, 7}, 3.25);
  REQUIRE(text.str() ==
          "# HELP h Latency.\n"
          "# TYPE h histogram\n"
          "h_bucket{le=\"0.1\"} 2\n"
          "h_bucket{le=\"1\"} 5\n"
          "h_bucket{le=\"+Inf\"} 7\n"
          "h_sum 3.25\n"
          "h_count 7\n");
}

// The real bot under Telegram's rate limits, and with every kind of fault the sandbox can show:
// each reply arrives exactly once and in its chat's order, and flood control never had to refuse
// a call.

#include <chrono>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/e2e/customer_steps.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

constexpr auto delivery_timeout = std::chrono::milliseconds(90000);

sandbox::rate_limits telegram_limits() {
  sandbox::rate_limits limits;
  limits.global_per_second = 30;
  limits.per_chat_per_second = 1;
  limits.per_chat_burst = 3;
  return limits;
}

// Each user sends `commands` unknown commands at once (/m0, /m1, ...); the bot answers each one
// by naming it. Returns the users.
std::vector<sandbox::user_profile> users_send_commands(market& m, int users, int commands) {
  std::vector<sandbox::user_profile> profiles;
  for (int u = 0; u < users; ++u)
    profiles.push_back({7001 + u, "User" + std::to_string(u), "en", ""});
  for (int c = 0; c < commands; ++c)
    for (const auto& user : profiles) m.world().send_text(user, "/m" + std::to_string(c));
  return profiles;
}

// Every user got exactly one answer per command, in the order sent.
void check_answers_in_order(market& m, const std::vector<sandbox::user_profile>& users,
                            int commands) {
  const auto expected = static_cast<size_t>(commands);
  bool all_arrived = m.world().wait_until(
      [&] {
        for (const auto& user : users)
          if (m.world().bot_message_count(user.id) < expected) return false;
        return true;
      },
      delivery_timeout);
  REQUIRE(all_arrived);
  for (const auto& user : users) {
    auto messages = m.world().bot_messages(user.id);
    INFO("user " << user.id << "; bot log: " << m.bot().log_path());
    REQUIRE(messages.size() == expected);
    for (int c = 0; c < commands; ++c)
      CHECK_THAT(messages[c].text, Catch::Contains("/m" + std::to_string(c) + "."));
  }
}

}  // namespace

TEST_CASE("the bot answers a crowd within Telegram's limits without ever being throttled",
          "[e2e][delivery]") {
  market m("delivery-steady");
  m.world().set_rate_limits(telegram_limits());
  // 40 users with four messages each: over the 30 a second allowed overall and over one a second
  // per chat, so both limits hold the bot back.
  auto users = users_send_commands(m, 40, 4);
  check_answers_in_order(m, users, 4);
  CHECK(m.world().rate_limited_count() == 0);
  CHECK(m.world().stats()["errors"].empty());
}

TEST_CASE("the bot delivers every answer once, in order, through every kind of fault",
          "[e2e][delivery]") {
  market m("delivery-faults");
  m.world().set_rate_limits(telegram_limits());
  sandbox::fault_plan plan;
  plan.too_many_requests.next = 10;  // a storm to begin with
  plan.retry_after_seconds = 1;
  plan.server_error.fraction = 0.1;
  plan.drop_connection.fraction = 0.05;
  plan.malformed_body.fraction = 0.05;
  plan.slow_answer.fraction = 0.1;
  plan.delay_ms = 200;
  plan.seed = 2024;
  m.world().set_faults(plan);
  auto users = users_send_commands(m, 12, 4);
  check_answers_in_order(m, users, 4);
  auto injected = m.world().injected_faults();
  CHECK(injected["too_many_requests"] == 10);
  CHECK(injected["server_error"] + injected["drop_connection"] + injected["malformed_body"] > 0);
  CHECK(m.world().rate_limited_count() == 0);
}

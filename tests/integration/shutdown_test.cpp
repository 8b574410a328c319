// SIGTERM during traffic: the bot drains and exits 0, and every update it accepted is answered,
// before the stop or after the restart, exactly once.

#include <atomic>
#include <csignal>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/support/market.hpp"

using namespace lastcall::testing;

namespace {

size_t help_answers(market& m, int64_t user_id) {
  size_t n = 0;
  for (const auto& msg : m.world().bot_messages(user_id))
    if (msg.text.find("/browse") != std::string::npos) ++n;
  return n;
}

}  // namespace

TEST_CASE("SIGTERM during traffic loses no update and answers none twice",
          "[integration][shutdown]") {
  market m("shutdown");
  constexpr int users = 40;
  constexpr int rounds = 5;
  std::vector<lastcall::sandbox::user_profile> profiles;
  for (int i = 0; i < users; ++i)
    profiles.push_back({7000 + i, "User" + std::to_string(i), "en", ""});

  std::atomic<int> sent{0};
  std::thread traffic([&] {
    for (int r = 0; r < rounds; ++r) {
      for (const auto& p : profiles) {
        m.world().send_text(p, "/help");
        ++sent;
        std::this_thread::sleep_for(std::chrono::microseconds(500));
      }
    }
  });

  // Stop the bot while it is busy: some answers are out, more updates keep coming.
  REQUIRE(m.world().wait_until(
      [&] {
        size_t answered = 0;
        for (const auto& p : profiles) answered += m.world().bot_message_count(p.id);
        return answered >= 20;
      },
      answer_timeout));
  int exit_code = m.stop_bot();
  traffic.join();
  CHECK(exit_code == 0);
  CHECK(m.bot().log().find("draining") != std::string::npos);

  m.start_bot();
  for (const auto& p : profiles) {
    INFO("user " << p.id);
    CHECK(m.world().wait_until([&] { return help_answers(m, p.id) >= rounds; }, answer_timeout));
  }
  CHECK(m.world().wait_until([&] { return m.world().pending_updates() == 0; }, answer_timeout));
  for (const auto& p : profiles) {
    INFO("user " << p.id);
    CHECK(help_answers(m, p.id) == rounds);
  }
  CHECK(sent == users * rounds);
}

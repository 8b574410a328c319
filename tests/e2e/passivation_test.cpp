// Idle sessions stop and come back from the database on the user's next update, with nothing lost.

#include <catch2/catch.hpp>

#include "tests/e2e/customer_steps.hpp"
#include "tests/support/market.hpp"

using namespace lastcall::testing;

TEST_CASE("an idle session is passivated and its language and draft survive it",
          "[e2e][passivation]") {
  market m("passivation", {}, {{"SESSION_IDLE_SECONDS", "1"}});
  chat_user ivan(m, 661, "Ivan", "en");
  auto greeting = ivan.says_and_gets("/start", 2);
  ivan.taps_button(greeting[1], "Русский");
  // A form left halfway: its first answer is in the draft.
  ivan.says("/register");
  ivan.says("Пекарня Север");

  REQUIRE(eventually(
      [&] { return m.bot().log().find("session of user 661 passivated") != std::string::npos; },
      std::chrono::seconds(30)));

  // A new session loads what the old one stored.
  CHECK_THAT(ivan.says("/help").text, Catch::Contains("Для всех"));
  // The form resumes at the second question: the name given before passivation was kept.
  auto before = ivan.seen();
  ivan.says("/register");
  CHECK(eventually([&] {
    auto all = ivan.messages();
    for (size_t i = before; i < all.size(); ++i)
      if (all[i].text.find("2/5.") != std::string::npos) return true;
    return false;
  }));
}

// Idle sessions stop and come back from the database on the user's next update, with nothing lost.

#include <catch2/catch.hpp>

#include "tests/e2e/customer_steps.hpp"
#include "tests/support/market.hpp"

using namespace lastcall::testing;

namespace {

// Waits for a bot message after index `after` that contains `needle`.
bool gets_message_with(chat_user& user, size_t after, const std::string& needle) {
  return eventually([&] {
    auto all = user.messages();
    for (size_t i = after; i < all.size(); ++i)
      if (all[i].text.find(needle) != std::string::npos) return true;
    return false;
  });
}

}  // namespace

TEST_CASE("an idle session is passivated and its language and draft survive it",
          "[e2e][passivation]") {
  market m("passivation", {}, {{"SESSION_IDLE_SECONDS", "1"}});
  chat_user ivan(m, 661, "Ivan", "en");
  auto greeting = ivan.says_and_gets("/start", 2);
  ivan.taps_button(greeting[1], "Русский");
  // A form left halfway: its first answer is in the draft.
  auto before = ivan.seen();
  m.world().send_text(ivan.profile(), "/register");
  REQUIRE(gets_message_with(ivan, before, "1/5."));
  before = ivan.seen();
  m.world().send_text(ivan.profile(), "Пекарня Север");
  REQUIRE(gets_message_with(ivan, before, "2/5."));

  REQUIRE(eventually(
      [&] {
        return m.bot().log().find("session_passivated " + logged_user(661) + "]") !=
               std::string::npos;
      },
      std::chrono::seconds(30)));

  // A new session loads what the old one stored: the language, and the form resumes at the second
  // question.
  before = ivan.seen();
  m.world().send_text(ivan.profile(), "/help");
  CHECK(gets_message_with(ivan, before, "Для всех"));
  before = ivan.seen();
  m.world().send_text(ivan.profile(), "/register");
  CHECK(gets_message_with(ivan, before, "2/5."));
}

// The bot's first contact with users, end to end: the real bot process, the sandbox Bot API,
// PostgreSQL.

#include <algorithm>

#include <catch2/catch.hpp>

#include "tests/support/market.hpp"

using namespace lastcall::testing;

namespace {

bool contains(const std::vector<std::string>& labels, const std::string& label) {
  return std::find(labels.begin(), labels.end(), label) != labels.end();
}

}  // namespace

TEST_CASE("/start greets the user with the main menu and offers the languages", "[e2e][start]") {
  market m("start");
  chat_user ann(m, 501, "Ann");

  auto replies = ann.says_and_gets("/start", 2);
  CHECK_THAT(replies[0].text, Catch::Contains("Hi Ann"));
  auto menu = button_labels(m.world().reply_keyboard(ann.id()));
  CHECK(contains(menu, "🛍 Browse"));
  CHECK(contains(menu, "📍 Nearby"));
  CHECK(contains(menu, "🎟 My reservations"));
  CHECK(contains(menu, "❓ Help"));
  CHECK(contains(menu, "🌐 Language"));
  // The Nearby button shares the location in one tap.
  auto keyboard = m.world().reply_keyboard(ann.id());
  CHECK(keyboard["keyboard"][0][1].value("request_location", false));

  CHECK_THAT(replies[1].text, Catch::Contains("Choose your language"));
  CHECK(button_labels(replies[1].reply_markup) ==
        std::vector<std::string>{"English", "Русский", "O'zbekcha"});

  // The command list and the menu button were registered at start-up, in every language.
  CHECK(m.world().my_commands().size() >= 5);
  CHECK(!m.world().my_commands("ru").empty());
  CHECK(!m.world().my_commands("uz").empty());
  CHECK(m.world().menu_button().value("type", "") == "commands");
}

TEST_CASE("a new user is greeted in the language Telegram reports and can switch it",
          "[e2e][language]") {
  market m("language");
  chat_user ivan(m, 502, "Ivan", "ru");

  auto greeting = ivan.says_and_gets("/start", 2);
  CHECK_THAT(greeting[0].text, Catch::Contains("Привет, Ivan"));
  CHECK(contains(button_labels(m.world().reply_keyboard(ivan.id())), "🛍 Каталог"));

  auto before = ivan.seen();
  auto popup = ivan.taps_button(greeting[1], "O'zbekcha");
  CHECK_THAT(popup.text, Catch::Contains("o'zbekcha"));
  auto confirmation = ivan.await_reply(before);
  CHECK_THAT(confirmation.text, Catch::Contains("o'zbekcha"));
  CHECK(contains(button_labels(m.world().reply_keyboard(ivan.id())), "🛍 Katalog"));

  // The choice sticks: the next answer is in Uzbek.
  CHECK_THAT(ivan.says("/help").text, Catch::Contains("Hamma uchun"));
}

TEST_CASE("/help lists the commands of the user's role", "[e2e][help]") {
  market m("help", {900});
  chat_user customer(m, 503, "Cora");
  chat_user admin(m, 900, "Adam");

  auto for_customer = customer.says("/help").text;
  CHECK_THAT(for_customer, Catch::Contains("/browse"));
  CHECK_THAT(for_customer, Catch::Contains("/register"));
  CHECK_THAT(for_customer, !Catch::Contains("/pending"));

  auto for_admin = admin.says("/help").text;
  CHECK_THAT(for_admin, Catch::Contains("/pending"));
  CHECK_THAT(for_admin, Catch::Contains("/verify"));

  // The menu button does the same as the command.
  CHECK(customer.says("❓ Help").text == for_customer);
}

TEST_CASE("unknown input gets a helpful answer, not silence", "[e2e][unknown]") {
  market m("unknown");
  chat_user ann(m, 504, "Ann");

  CHECK_THAT(ann.says("what is this?").text, Catch::Contains("/help"));
  CHECK_THAT(ann.says("/frobnicate now").text, Catch::Contains("/frobnicate"));
  // A command for another bot in the same chat is not ours to handle as a command.
  CHECK_THAT(ann.says("/start@some_other_bot").text, Catch::Contains("didn't understand"));
  // A forged button that no flow knows changes nothing and says so.
  auto greeting = ann.says("/start");
  auto popup = ann.taps(greeting.message_id, "no-such-button:42");
  CHECK(popup.show_alert);
  CHECK_THAT(popup.text, Catch::Contains("no longer valid"));
}

TEST_CASE("malformed updates are skipped and the bot keeps answering", "[e2e][malformed]") {
  market m("malformed");
  chat_user ann(m, 505, "Ann");

  m.world().inject_raw_update({{"message", "not an object"}});
  m.world().inject_raw_update({{"callback_query", {{"id", 17}}}});
  m.world().inject_raw_update({{"message", {{"message_id", "x"}, {"chat", nullptr}}}});
  m.world().inject_raw_update({{"edited_message", {{"message_id", 1}}}});

  CHECK_THAT(ann.says("/start").text, Catch::Contains("Hi Ann"));
  // Every update, good or bad, is confirmed: nothing is left for Telegram to resend forever.
  CHECK(m.world().wait_until([&] { return m.world().pending_updates() == 0; }, answer_timeout));
  CHECK(m.bot().running());
}

TEST_CASE("a duplicated update_id is handled once", "[e2e][duplicate]") {
  market m("duplicate");
  chat_user ann(m, 506, "Ann");
  ann.says_and_gets("/start", 2);
  REQUIRE(m.stop_bot() == 0);

  // While the bot is down, the same update arrives twice (Telegram re-delivers after a lost
  // confirmation).
  auto update_id = m.world().send_text(ann.profile(), "/help");
  auto pending = m.world().pending_update_list();
  REQUIRE(!pending.empty());
  m.world().inject_update_with_id(pending.back());

  auto before = ann.seen();
  m.start_bot();
  auto help = ann.await_reply(before);
  CHECK_THAT(help.text, Catch::Contains("/browse"));
  CHECK(ann.says("/start").text.find("Hi Ann") != std::string::npos);
  // Only one answer to the duplicated /help: the next message after it is the greeting.
  auto all = ann.messages();
  size_t help_answers = std::count_if(all.begin() + before, all.end(), [](const auto& msg) {
    return msg.text.find("/browse") != std::string::npos;
  });
  CHECK(help_answers == 1);
  CHECK(update_id > 0);
}

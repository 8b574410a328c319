// The first flows, driven without actors: an update in, the recorded effects out.

#include <algorithm>

#include <catch2/catch.hpp>

#include "flows/dispatcher.hpp"
#include "flows/services.hpp"
#include "flows/turn.hpp"
#include "tests/support/chat_updates.hpp"
#include "tests/support/in_memory_market.hpp"
#include "tests/unit/flows_outbox.hpp"

using namespace lastcall;
using lastcall::tests::text_of;

namespace {

telegram::update text_update(int64_t user, const std::string& text,
                             const std::string& lang = "en") {
  auto u = testing::message_from(user, 1, lang);
  u.message->text = text;
  return u;
}

telegram::update tap_update(int64_t user, const std::string& data) {
  return testing::tap_from(user, 2, data, 5);
}

struct harness {
  config::settings settings;
  domain::session_state session;
  testing::in_memory_market market{settings};

  harness() { market.username = "lastcall_test_bot"; }

  // The general flows change nothing in the market, and ask it only whether the user owns a
  // business (for the greeting and its menu).
  persistence::unit_of_work run(const telegram::update& u) {
    flows::turn t(u, session, settings, domain::ui_texts::builtin(), 1'700'000'000);
    flows::default_dispatcher().dispatch(t, market);
    bool done = false;
    t.start([&] { done = true; });
    REQUIRE(done);
    market.asked.erase("business_of_owner");
    CHECK(market.asked.empty());
    CHECK(market.operations.empty());
    return std::move(t.unit());
  }
};

}  // namespace

TEST_CASE("/start replies with the menu, then the language picker while none was chosen",
          "[unit][flows]") {
  harness h;
  auto unit = h.run(text_update(10, "/start"));
  REQUIRE(unit.outbox.size() == 2);
  CHECK(unit.outbox[0].method == "sendMessage");
  CHECK(unit.outbox[0].chat_id == 10);
  CHECK_THAT(text_of(unit.outbox[0]), Catch::Contains("Hi Ann"));
  CHECK(unit.outbox[0].params["reply_markup"].contains("keyboard"));
  CHECK(unit.outbox[1].params["reply_markup"].contains("inline_keyboard"));

  h.session.language_chosen = true;
  CHECK(h.run(text_update(10, "/start")).outbox.size() == 1);
}

TEST_CASE("the greeting names the bot as the market calls it", "[unit][flows]") {
  harness h;
  CHECK_THAT(text_of(h.run(text_update(10, "/start")).outbox[0]),
             Catch::Contains("! lastcall finds"));
  h.settings.bot_name = "Tashkent Saver";
  for (const auto* lang : {"en", "ru", "uz"}) {
    auto greeting = text_of(h.run(text_update(10, "/start", lang)).outbox[0]);
    CHECK_THAT(greeting, Catch::Contains("Tashkent Saver"));
    CHECK_THAT(greeting, !Catch::Contains("lastcall"));
  }
}

TEST_CASE("choosing a language changes the session and answers the button", "[unit][flows]") {
  harness h;
  auto unit = h.run(tap_update(10, "lang:ru"));
  CHECK(h.session.lang == domain::language::ru);
  CHECK(h.session.language_chosen);
  REQUIRE(!unit.outbox.empty());
  CHECK(unit.outbox[0].method == "answerCallbackQuery");
}

TEST_CASE("a forged language button changes nothing and says so", "[unit][flows]") {
  harness h;
  auto unit = h.run(tap_update(10, "lang:xx"));
  CHECK(h.session.lang == domain::language::en);
  CHECK_FALSE(h.session.language_chosen);
  REQUIRE(unit.outbox.size() == 1);
  CHECK(unit.outbox[0].method == "answerCallbackQuery");
  CHECK(unit.outbox[0].params.value("show_alert", false));
}

TEST_CASE("a tapped button nobody handles is still answered", "[unit][flows]") {
  harness h;
  auto unit = h.run(tap_update(10, ""));
  REQUIRE(unit.outbox.size() == 1);
  CHECK(unit.outbox[0].method == "answerCallbackQuery");
}

TEST_CASE("menu buttons work in every language", "[unit][flows]") {
  harness h;
  auto unit = h.run(text_update(10, "❓ Помощь"));
  REQUIRE(unit.outbox.size() == 1);
  CHECK_THAT(text_of(unit.outbox[0]), Catch::Contains("/browse"));
}

TEST_CASE("admins see the admin commands in /help, others do not", "[unit][flows]") {
  harness h;
  h.settings.admin_ids = {99};
  CHECK_THAT(text_of(h.run(text_update(10, "/help")).outbox[0]), !Catch::Contains("/pending"));
  CHECK_THAT(text_of(h.run(text_update(99, "/help")).outbox[0]), Catch::Contains("/pending"));
}

TEST_CASE("unknown text and commands get a helpful answer", "[unit][flows]") {
  harness h;
  CHECK_THAT(text_of(h.run(text_update(10, "hello?")).outbox[0]), Catch::Contains("/help"));
  CHECK_THAT(text_of(h.run(text_update(10, "/nope")).outbox[0]), Catch::Contains("/nope"));
}

namespace {

std::vector<telegram::api_call> calls_of(const persistence::unit_of_work& unit,
                                         const std::string& method) {
  std::vector<telegram::api_call> found;
  for (const auto& call : unit.outbox)
    if (call.method == method) found.push_back(call);
  return found;
}

std::vector<std::string> keyboard_labels(const telegram::api_call& call) {
  std::vector<std::string> labels;
  for (const auto& row : call.params["reply_markup"]["keyboard"])
    for (const auto& button : row) labels.push_back(button.value("text", ""));
  return labels;
}

// The greeting (or answer) among the calls: the first message sent.
const telegram::api_call& first_message(const persistence::unit_of_work& unit) {
  for (const auto& call : unit.outbox)
    if (call.method == "sendMessage") return call;
  FAIL("no message sent");
  throw std::logic_error("unreachable");
}

bool has_label(const std::vector<std::string>& labels, const std::string& label) {
  return std::find(labels.begin(), labels.end(), label) != labels.end();
}

}  // namespace

TEST_CASE("the menu follows the role: customer, business owner, admin, and shopping",
          "[unit][flows]") {
  harness h;
  h.session.language_chosen = true;
  h.settings.admin_ids = {99};

  // Someone without a business gets the customer's menu and is offered /register.
  auto unit = h.run(text_update(10, "/start"));
  auto greeting = first_message(unit);
  CHECK_THAT(text_of(greeting), Catch::Contains("/register"));
  // Everyone's command list stands for a customer: no list of their own.
  CHECK(calls_of(unit, "setMyCommands").empty());
  auto labels = keyboard_labels(greeting);
  CHECK(has_label(labels, "🛍 Browse"));
  CHECK_FALSE(has_label(labels, "🧺 My deals"));
  CHECK_FALSE(has_label(labels, "🏪 My business menu"));
  CHECK_THAT(text_of(first_message(h.run(text_update(10, "/shop")))),
             Catch::Contains("already have the customer's menu"));
  CHECK_FALSE(h.session.shopping);

  // The owner of a verified business: /start finds the business and shows its tools.
  h.market.add_business(10, "Bakery Nord", 41.31, 69.28);
  unit = h.run(text_update(10, "/start"));
  greeting = first_message(unit);
  CHECK(h.session.owner);
  // The owner's chat gets the owner's commands: for every language, then in each.
  auto lists = calls_of(unit, "setMyCommands");
  REQUIRE(lists.size() == 4);
  CHECK(lists[0].params["scope"] == nlohmann::json({{"type", "chat"}, {"chat_id", 10}}));
  CHECK_FALSE(lists[0].params.contains("language_code"));
  CHECK(lists[2].params["language_code"] == "ru");
  CHECK(lists[2].params["commands"][1] ==
        nlohmann::json({{"command", "myoffers"}, {"description", "Ваши предложения"}}));
  CHECK_THAT(text_of(greeting), Catch::Contains("My deals") && !Catch::Contains("/register"));
  labels = keyboard_labels(greeting);
  for (const auto* label : {"🧺 My deals", "➕ New deal", "🔑 Confirm pickup", "🛍 Shop"})
    CHECK(has_label(labels, label));
  CHECK_FALSE(has_label(labels, "🛍 Browse"));
  CHECK_FALSE(has_label(labels, "📋 Applications"));

  // Shop switches to the customer's menu with a way back; the choice is kept in the session.
  auto shop = first_message(h.run(text_update(10, "🛍 Shop")));
  CHECK(h.session.shopping);
  CHECK_THAT(text_of(shop), Catch::Contains("🏪 My business menu"));
  labels = keyboard_labels(shop);
  CHECK(has_label(labels, "🛍 Browse"));
  CHECK(has_label(labels, "🏪 My business menu"));
  auto back = first_message(h.run(text_update(10, "🏪 My business menu")));
  CHECK_FALSE(h.session.shopping);
  CHECK(has_label(keyboard_labels(back), "🧺 My deals"));
  auto stored = domain::session_from_json(domain::to_json(h.session), domain::language::en);
  CHECK(stored.owner);
  CHECK(stored == h.session);

  // An admin's menu has the applications and the stats, in their language.
  domain::session_state admin_session;
  admin_session.language_chosen = true;
  admin_session.lang = domain::language::ru;
  std::swap(h.session, admin_session);
  labels = keyboard_labels(first_message(h.run(text_update(99, "/start", "ru"))));
  for (const auto* label : {"📋 Заявки", "📊 Статистика", "🛍 Покупки"})
    CHECK(has_label(labels, label));
  CHECK_FALSE(has_label(labels, "🧺 Мои предложения"));
}

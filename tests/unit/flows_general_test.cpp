// The first flows, driven without actors: an update in, the recorded effects out.

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

  // The general flows never ask the market: any question is a test failure.
  persistence::unit_of_work run(const telegram::update& u) {
    flows::turn t(u, session, settings, domain::ui_texts::builtin(), 1'700'000'000);
    flows::default_dispatcher().dispatch(t, market);
    bool done = false;
    t.start([&] { done = true; });
    REQUIRE(done);
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

// The first flows, driven without actors: an update in, the recorded effects out.

#include <catch2/catch.hpp>

#include "flows/dispatcher.hpp"
#include "flows/services.hpp"
#include "flows/turn.hpp"

using namespace lastcall;

namespace {

// The general flows never ask the market: any call is a test failure.
struct no_services : flows::services {
  [[noreturn]] static void unexpected() {
    throw std::logic_error("the general flows asked the market");
  }
  void business_of_owner(int64_t, flows::reply<std::optional<domain::business>>) override {
    unexpected();
  }
  void business_by_id(int64_t, flows::reply<std::optional<domain::business>>) override {
    unexpected();
  }
  void register_business(domain::business, int64_t, flows::reply<flows::business_reply>) override {
    unexpected();
  }
  void decide_business(int64_t, int64_t, bool, const std::string&, int64_t,
                       flows::reply<flows::business_reply>) override {
    unexpected();
  }
  void pending_businesses(flows::reply<std::vector<domain::business>>) override { unexpected(); }
  void create_offer(domain::offer, int64_t, int64_t, flows::reply<flows::offer_reply>) override {
    unexpected();
  }
  void offer(int64_t, flows::offer_request, flows::reply<flows::offer_reply>) override {
    unexpected();
  }
  void offers_of_business(int64_t, flows::reply<std::vector<domain::offer>>) override {
    unexpected();
  }
  void collect(int64_t, const std::string&, int64_t, flows::reply<flows::offer_reply>) override {
    unexpected();
  }
  void offer_page(domain::page_query, flows::reply<domain::offer_page>) override { unexpected(); }
  void reservations_of_customer(int64_t,
                                flows::reply<std::vector<flows::reservation_entry>>) override {
    unexpected();
  }
  void stats(flows::reply<flows::market_stats>) override { unexpected(); }
  void take_snapshot(flows::reply<flows::snapshot_report>) override { unexpected(); }
  std::vector<int64_t> admin_ids() const override { return {}; }
  std::string bot_username() const override { return "lastcall_test_bot"; }
};

telegram::update text_update(int64_t user, const std::string& text,
                             const std::string& lang = "en") {
  telegram::update u;
  u.update_id = 1;
  telegram::message m;
  m.message_id = 1;
  m.chat_id = user;
  m.chat_type = "private";
  m.from = telegram::user{user, false, "Ann", "", lang};
  m.text = text;
  u.message = m;
  return u;
}

telegram::update tap_update(int64_t user, const std::string& data) {
  telegram::update u;
  u.update_id = 2;
  telegram::callback_query q;
  q.id = "q1";
  q.from = telegram::user{user, false, "Ann", "", "en"};
  q.chat_id = user;
  q.message_id = 5;
  q.data = data;
  u.callback_query = q;
  return u;
}

struct harness {
  config::settings settings;
  domain::session_state session;
  no_services services;

  persistence::unit_of_work run(const telegram::update& u) {
    flows::turn t(u, session, settings, domain::ui_texts::builtin(), 1'700'000'000);
    flows::default_dispatcher().dispatch(t, services);
    bool done = false;
    t.start([&] { done = true; });
    REQUIRE(done);
    return std::move(t.unit());
  }
};

std::string text_of(const telegram::api_call& call) {
  return call.params.value("text", "");
}

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

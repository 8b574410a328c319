// The /newoffer form, driven through the dispatcher against an in-memory market. The chat's clock
// is 15:00 in the businesses' time zone (UTC+5).

#include <algorithm>

#include <catch2/catch.hpp>

#include "tests/unit/flows_business_chat.hpp"

using namespace lastcall::business_test;
using lastcall::domain::business_status;
using lastcall::domain::offer_state;

namespace {

constexpr int64_t owner = 501;

// A verified business and /newoffer answered up to (not including) the pickup window.
void answer_until_window(chat& c) {
  c.says(owner, "/newoffer");
  c.says(owner, "Butter croissants");
  c.says(owner, "Baked this morning. Contains milk and gluten.");
  c.says(owner, "⏭ Skip");
  c.says(owner, "20000");
  c.says(owner, "12000");
  c.says(owner, "8");
}

// The preview card (the message with the Publish button) among `messages`.
bot_message preview_in(const std::vector<bot_message>& messages) {
  for (const auto& m : messages)
    if (!button(m, "Publish").empty()) return m;
  FAIL("no preview among the replies");
  return {};
}

// A verified business starts /newoffer and gives `answers`, a message each.
void verified_business_answers(chat& c, std::initializer_list<const char*> answers) {
  c.market.add_business(owner, business_status::verified);
  c.says(owner, "/newoffer");
  for (const char* answer : answers) c.says(owner, answer);
}

// A verified business with /newoffer answered through the window 18:00-20:30: the preview card.
bot_message previewed_offer(chat& c) {
  c.market.add_business(owner, business_status::verified);
  answer_until_window(c);
  return preview_in(c.says(owner, "18:00-20:30"));
}

}  // namespace

TEST_CASE("only a verified business may post a deal", "[unit][business]") {
  chat c({900});
  CHECK_THAT(c.says(owner, "/newoffer").back().text, Catch::Contains("/register"));
  c.market.add_business(owner, business_status::pending);
  CHECK_THAT(c.says(owner, "/newoffer").back().text, Catch::Contains("waiting for approval"));
  CHECK_FALSE(c.session(owner).in_flow());

  chat rejected({900});
  rejected.market.add_business(owner, business_status::rejected);
  CHECK_THAT(rejected.says(owner, "/newoffer").back().text, Catch::Contains("was not approved"));
}

TEST_CASE("/newoffer walks through the deal, previews it and publishes it with a link",
          "[unit][business]") {
  chat c({900});
  c.market.add_business(owner, business_status::verified);

  auto first = c.says(owner, "/newoffer");
  REQUIRE(first.size() == 2);
  CHECK_THAT(first[1].text, Catch::Contains("short title"));
  answer_until_window(c);
  auto replies = c.says(owner, "18:00-20:30");
  auto preview = preview_in(replies);
  CHECK_THAT(preview.text, Catch::Contains("Butter croissants"));
  CHECK_THAT(preview.text, Catch::Contains("Contains milk and gluten."));
  CHECK_THAT(preview.text, Catch::Contains("12,000 UZS instead of 20,000 UZS (−40%)"));
  CHECK_THAT(preview.text, Catch::Contains("8 left"));
  CHECK_THAT(preview.text, Catch::Contains("today 18:00–20:30"));
  CHECK_THAT(preview.text, Catch::Contains("Bakery Nord, Main St 1"));
  CHECK(c.market.offer_ids().empty());  // nothing exists before Publish

  auto published = c.taps(owner, button(preview, "Publish"));
  CHECK_THAT(published.back().text, Catch::Contains("https://t.me/lastcall_bot?start=offer_1"));
  // The preview's buttons, which only acted on the draft, are taken off.
  const auto dropped = std::count_if(published.begin(), published.end(), [](const auto& m) {
    return m.method == "editMessageReplyMarkup" && m.markup.is_null();
  });
  CHECK(dropped == 1);
  REQUIRE(c.market.has_offer(1));
  const auto& offer = c.market.offer_state(1);
  CHECK(offer.state == offer_state::active);
  CHECK(offer.title == "Butter croissants");
  CHECK(offer.original_price == 2000000);
  CHECK(offer.deal_price == 1200000);
  CHECK(offer.quantity_total == 8);
  CHECK(offer.pickup_end - offer.pickup_start == 150 * 60);
  CHECK(c.committed.offers.size() == 2);  // created, then published, committed with the answer
  CHECK_FALSE(c.session(owner).in_flow());
  CHECK_FALSE(c.session(owner).has_draft("newoffer"));

  // A second tap on the same preview (a client that had not redrawn it) creates nothing and takes
  // the buttons off again.
  auto again = c.taps(owner, button(preview, "Publish"));
  CHECK(again[0].alert);
  CHECK(again.back().method == "editMessageReplyMarkup");
  CHECK(c.market.offer_ids().size() == 1);
}

TEST_CASE("prices, quantities and windows that make no sense are refused", "[unit][business]") {
  chat c({900});
  verified_business_answers(c, {"Croissants", "Fresh", "⏭ Skip"});

  CHECK_THAT(c.says(owner, "cheap").back().text, Catch::Contains("as a number"));
  CHECK_THAT(c.says(owner, "0").back().text, Catch::Contains("above zero"));
  c.says(owner, "20 000");
  CHECK_THAT(c.says(owner, "20000").back().text, Catch::Contains("must be lower"));
  CHECK_THAT(c.says(owner, "25000").back().text, Catch::Contains("must be lower"));
  CHECK(c.session(owner).step == "deal_price");
  c.says(owner, "19999.50");

  CHECK_THAT(c.says(owner, "0").back().text, Catch::Contains("between 1 and 10000"));
  CHECK_THAT(c.says(owner, "10001").back().text, Catch::Contains("between 1 and 10000"));
  CHECK_THAT(c.says(owner, "lots").back().text, Catch::Contains("whole number"));
  c.says(owner, "10000");

  CHECK_THAT(c.says(owner, "evening").back().text, Catch::Contains("couldn't read"));
  CHECK_THAT(c.says(owner, "08:00-09:00").back().text, Catch::Contains("already over"));
  CHECK_THAT(c.says(owner, "20:00-18:00").back().text, Catch::Contains("ends before it starts"));
  CHECK_THAT(c.says(owner, "18:00-20:00 + 3 days").back().text, Catch::Contains("couldn't read"));
  CHECK(c.session(owner).step == "window");
  CHECK(c.market.offer_ids().empty());

  auto preview = preview_in(c.says(owner, "tomorrow 09:00-10:00"));
  CHECK_THAT(preview.text, Catch::Contains("tomorrow 09:00–10:00"));
  CHECK_THAT(preview.text, Catch::Contains("19,999.50 UZS instead of 20,000 UZS"));
}

TEST_CASE("Change a field asks for it again and shows a new preview", "[unit][business]") {
  chat c({900});
  auto first_preview = previewed_offer(c);

  auto fields = c.taps(owner, button(first_preview, "Change a field")).back();
  CHECK_THAT(fields.text, Catch::Contains("Which field"));
  auto ask = c.taps(owner, button(fields, "Prices")).back();
  CHECK_THAT(ask.text, Catch::Contains("usual price"));
  c.says(owner, "30000");
  auto preview = preview_in(c.says(owner, "15000"));
  CHECK_THAT(preview.text, Catch::Contains("15,000 UZS instead of 30,000 UZS (−50%)"));
  CHECK_THAT(preview.text, Catch::Contains("Butter croissants"));  // the rest is kept

  // The first preview's buttons are out of date: they cannot publish what was not shown.
  auto stale = c.taps(owner, button(first_preview, "Publish"));
  CHECK(stale[0].alert);
  CHECK_THAT(stale[0].text, Catch::Contains("out of date"));
  CHECK(c.market.offer_ids().empty());

  c.taps(owner, button(preview, "Publish"));
  CHECK(c.market.offer_state(1).original_price == 3000000);
}

TEST_CASE("a deal saved as a draft is published later by command", "[unit][business]") {
  chat c({900});
  auto preview = previewed_offer(c);

  auto saved = c.taps(owner, button(preview, "Save draft")).back();
  CHECK_THAT(saved.text, Catch::Contains("draft #1"));
  CHECK_THAT(saved.text, Catch::Contains("/publish 1"));
  CHECK(c.market.offer_state(1).state == offer_state::draft);
  CHECK_FALSE(c.session(owner).has_draft("newoffer"));

  auto live = c.says(owner, "/publish 1").back();
  CHECK_THAT(live.text, Catch::Contains("is live"));
  CHECK_THAT(live.text, Catch::Contains("https://t.me/lastcall_bot?start=offer_1"));
  CHECK(c.market.offer_state(1).state == offer_state::active);
  CHECK_THAT(c.says(owner, "/publish 1").back().text, Catch::Contains("already published"));
}

TEST_CASE("a photo goes with the preview", "[unit][business]") {
  chat c({900});
  verified_business_answers(c, {"Croissants", "Fresh"});
  CHECK_THAT(c.says(owner, "here it is").back().text, Catch::Contains("⏭ Skip"));
  c.sends_photo(owner, "croissant-photo");
  c.says(owner, "20000");
  c.says(owner, "12000");
  c.says(owner, "8");
  auto replies = c.says(owner, "18:00-20:30");
  auto preview = preview_in(replies);
  CHECK(preview.method == "sendPhoto");
  CHECK_THAT(preview.text, Catch::Contains("Croissants"));
  c.taps(owner, button(preview, "Publish"));
  CHECK(c.market.offer_state(1).photo_file_id == "croissant-photo");
}

TEST_CASE("an unfinished deal waits in the draft and /newoffer continues it", "[unit][business]") {
  chat c({900});
  verified_business_answers(c, {"Croissants", "/myoffers"});  // any command works in the middle

  auto resumed = c.says(owner, "/newoffer");
  REQUIRE(resumed.size() == 2);
  CHECK_THAT(resumed[0].text, Catch::Contains("continue your deal"));
  CHECK_THAT(resumed[1].text, Catch::Contains("Describe it"));
}

TEST_CASE("a window that passed while the draft waited is asked for again", "[unit][business]") {
  chat c({900});
  auto preview = previewed_offer(c);

  c.now += 6 * 3600;  // 21:00: the window is over
  auto replies = c.taps(owner, button(preview, "Publish"));
  CHECK_THAT(all_text(replies), Catch::Contains("already over"));
  CHECK(c.session(owner).step == "window");
  CHECK(c.market.offer_ids().empty());
}

TEST_CASE("forged or garbled form buttons change nothing", "[unit][business]") {
  chat c({900});
  c.market.add_business(owner, business_status::verified);
  for (const char* data : {"nof:pub:1", "nof:", "nof:f:owner:0", "nof:zap"}) {
    auto replies = c.taps(owner, data);
    REQUIRE(!replies.empty());
    CHECK(replies[0].alert);
    // At most the tapped message loses its buttons; nothing is said or made.
    for (size_t i = 1; i < replies.size(); ++i)
      CHECK(replies[i].method == "editMessageReplyMarkup");
  }
  CHECK(c.market.offer_ids().empty());
}

TEST_CASE("while the preview waits for its buttons the menu works as usual", "[unit][business]") {
  chat c({900});
  auto preview = previewed_offer(c);
  CHECK_FALSE(c.session(owner).in_flow());
  CHECK_THAT(c.says(owner, "hello").back().text, Catch::Contains("/help"));

  // The buttons still act on the draft, and /newoffer shows the preview again.
  auto again = c.says(owner, "/newoffer");
  CHECK(!button(preview_in(again), "Publish").empty());
  c.taps(owner, button(preview, "Publish"));
  CHECK(c.market.offer_state(1).state == offer_state::active);
}

// Managing deals and confirming pickups, end to end, with customers reserving through the deal's
// card the way they do in the chat.

#include <catch2/catch.hpp>

#include "tests/e2e/business_steps.hpp"
#include "tests/support/market.hpp"

using namespace lastcall::testing;
using namespace lastcall::testing::business_steps;

TEST_CASE("/myoffers pauses, resumes and ends a deal and refuses what its state does not allow",
          "[e2e][business]") {
  market_with_bakery bakery("business-manage", 531);
  auto& [m, admin, ann] = bakery;
  const auto id = std::to_string(publishes_deal(ann));

  auto card = ann.says_and_gets("/myoffers", 2)[1];
  CHECK(button_labels(card.reply_markup) ==
        std::vector<std::string>{"⏸ Pause", "🎟 Reservations", "💰 Edit price",
                                 "📦 Edit quantity", "⏹ End"});

  CHECK_THAT(ann.taps_button(card, "Pause").text, Catch::Contains("paused"));
  CHECK(m.world().wait_until(
      [&] { return !button_data(ann.message(card.message_id), "Resume").empty(); },
      answer_timeout));
  CHECK_THAT(ann.says("/pause " + id).text, Catch::Contains("already paused"));

  CHECK_THAT(ann.says("/resume " + id).text, Catch::Contains("back on sale"));
  CHECK_THAT(ann.says("/resume " + id).text, Catch::Contains("isn't paused"));

  // End asks in the card itself, and the card then shows the ended deal, without its buttons of
  // a live one.
  ann.taps(card.message_id, "mo:end:" + id);
  REQUIRE(m.world().wait_until(
      [&] { return ann.message(card.message_id).text.find("for good") != std::string::npos; },
      answer_timeout));
  auto question = ann.message(card.message_id);
  CHECK_THAT(ann.taps_button(question, "Yes, end it").text, Catch::Contains("ended"));
  CHECK(m.world().wait_until(
      [&] {
        const auto now = ann.message(card.message_id);
        return now.text.find("for good") == std::string::npos && button_data(now, "End").empty();
      },
      answer_timeout));
  CHECK_THAT(ann.says("/resume " + id).text, Catch::Contains("has ended"));
  CHECK_THAT(ann.says("/pause " + id).text, Catch::Contains("has ended"));
  CHECK_THAT(ann.says_and_gets("/myoffers", 2)[1].text, Catch::Contains("ended"));
}

TEST_CASE("the quantity cannot go below what customers reserved, and pickups are confirmed",
          "[e2e][business]") {
  market_with_bakery bakery("business-manage-quantity", 532);
  auto& [m, admin, ann] = bakery;
  chat_user cora(m, 533, "Cora");
  opens_bot(cora);
  const auto offer_id = publishes_deal(ann, "Croissants", "10");
  const auto id = std::to_string(offer_id);

  auto owner_before = ann.seen();
  const auto code = reserves(cora, offer_id, 3);
  auto news = ann.await_reply(owner_before);
  CHECK_THAT(news.text, Catch::Contains("New reservations for “Croissants”: 1 (3 pcs). Left: 7."));

  auto card = ann.says("/edit " + id);
  CHECK_THAT(card.text, Catch::Contains("7 left · 3 reserved"));
  auto before = ann.seen();
  ann.taps_button(card, "Edit quantity");
  CHECK_THAT(ann.await_reply(before).text, Catch::Contains("3 are reserved"));
  CHECK_THAT(ann.says("2").text, Catch::Contains("can't go below 3"));
  // The button's answer and its question travel separately: wait for the question before answering
  // it.
  before = ann.seen();
  ann.taps_button(card, "Edit quantity");
  ann.await_reply(before);
  CHECK_THAT(ann.says_and_gets("5", 2)[1].text, Catch::Contains("2 left · 3 reserved"));

  // The code from the customer's chat confirms the pickup, once.
  CHECK_THAT(ann.says("/collect WRONG1").text, Catch::Contains("No reservation has this code"));
  auto collected = ann.says("/collect " + code).text;
  CHECK_THAT(collected, Catch::Contains("3 × Croissants"));
  CHECK_THAT(collected, Catch::Contains("36,000 UZS"));
  CHECK_THAT(ann.says("/collect " + code).text, Catch::Contains("already picked up"));
  CHECK_THAT(ann.says("/edit " + id).text, Catch::Contains("3 picked up"));
}

TEST_CASE("the reservation list collects with a button", "[e2e][business]") {
  market_with_bakery bakery("business-manage-reservations", 534);
  auto& [m, admin, ann] = bakery;
  chat_user cora(m, 535, "Cora");
  opens_bot(cora);
  const auto offer_id = publishes_deal(ann);

  auto owner_before = ann.seen();
  reserves(cora, offer_id, 2);
  auto news = ann.await_reply(owner_before);

  auto before = ann.seen();
  ann.taps_button(news, "Reservations");
  auto list = ann.await_reply(before);
  CHECK_THAT(list.text, Catch::Contains("2 pcs · waiting for pickup"));
  auto popup = ann.taps_button(list, "Collect");
  CHECK_THAT(popup.text, Catch::Contains("Picked up"));
  CHECK_THAT(ann.await_reply(before + 1).text, Catch::Contains("2 × Croissants"));
  // The list is redrawn in place: picked up, and no Collect button left.
  CHECK(m.world().wait_until(
      [&] {
        const auto now = ann.message(list.message_id);
        return now.text.find("2 pcs · picked up") != std::string::npos &&
               button_data(now, "Collect").empty();
      },
      answer_timeout));
  auto again = ann.taps_button(list, "Collect");
  CHECK(again.show_alert);
  CHECK_THAT(again.text, Catch::Contains("already picked up"));
}

TEST_CASE("buttons, commands and codes for another business's deal change nothing",
          "[e2e][business]") {
  market_with_applicant applying("business-manage-forged", 536);
  auto& [m, admin, ann] = applying;
  chat_user bob(m, 537, "Bob");
  chat_user cora(m, 538, "Cora");
  opens_bot(cora);
  verified_business(ann, admin, "Bakery Nord");
  verified_business(bob, admin, "Cafe Sud");
  publishes_deal(ann, "Croissants");
  const auto bobs_offer = publishes_deal(bob, "Baguettes");
  const auto bobs = std::to_string(bobs_offer);
  auto bob_before = bob.seen();
  const auto code = reserves(cora, bobs_offer, 1);
  bob.await_reply(bob_before);  // Bob hears of the reservation

  auto own_message = ann.says_and_gets("/myoffers", 2)[1];
  for (const std::string action : {"pause", "end", "endok", "price", "qty", "res"}) {
    auto popup = ann.taps(own_message.message_id, "mo:" + action + ":" + bobs);
    CHECK(popup.show_alert);
    CHECK_THAT(popup.text, Catch::Contains("not your deal"));
  }
  CHECK_THAT(ann.says("/end " + bobs).text, Catch::Contains("not your deal"));
  CHECK_THAT(ann.says("/collect " + code).text, Catch::Contains("another business"));
  // A garbled button is refused too.
  CHECK(ann.taps(own_message.message_id, "mo:pause:" + bobs + "x").show_alert);

  auto bobs_card = bob.says_and_gets("/myoffers", 2)[1];
  CHECK_THAT(bobs_card.text, Catch::Contains("active"));
  CHECK_THAT(bobs_card.text, Catch::Contains("9 left · 1 reserved · 0 picked up"));
}

// Admins decide on businesses, end to end: the first decision wins, the owner hears it, and
// nobody else can decide.

#include <algorithm>

#include <catch2/catch.hpp>

#include "tests/e2e/business_steps.hpp"
#include "tests/support/market.hpp"

using namespace lastcall::testing;
using namespace lastcall::testing::business_steps;

TEST_CASE("two admins approve at once: one wins and the other is told who did", "[e2e][business]") {
  market m("business-admin-race", {900, 901});
  chat_user adam(m, 900, "Adam");
  chat_user bea(m, 901, "Bea");
  chat_user ann(m, 511, "Ann");
  opens_bot(adam);
  opens_bot(bea);
  auto bea_before = bea.seen();
  auto application = registers(ann, adam);
  auto card_for_bea = bea.await_reply(bea_before);
  auto owner_before = ann.seen();

  // Both tap Approve before either answer came back.
  auto adam_tap = m.world().tap(adam.profile(), application.card.message_id,
                                button_data(application.card, "Approve"));
  auto bea_tap =
      m.world().tap(bea.profile(), card_for_bea.message_id, button_data(card_for_bea, "Approve"));
  auto adam_answer = m.world().wait_for_answer(adam_tap.callback_query_id, answer_timeout);
  auto bea_answer = m.world().wait_for_answer(bea_tap.callback_query_id, answer_timeout);
  REQUIRE(adam_answer);
  REQUIRE(bea_answer);

  const bool adam_won = adam_answer->text.find("is approved") != std::string::npos;
  const auto& winner = adam_won ? *adam_answer : *bea_answer;
  const auto& loser = adam_won ? *bea_answer : *adam_answer;
  CHECK_THAT(winner.text, Catch::Contains("is approved"));
  CHECK(loser.show_alert);
  CHECK_THAT(loser.text,
             Catch::Contains("already approved by admin " + std::to_string(adam_won ? 900 : 901)));

  // The owner hears it once, and from that message on their keyboard is the business's.
  CHECK_THAT(ann.await_reply(owner_before).text, Catch::Contains("Bakery Nord is approved"));
  auto menu = button_labels(m.world().reply_keyboard(ann.id()));
  CHECK(menu == std::vector<std::string>{"🧺 My deals", "➕ New deal", "🔑 Confirm pickup",
                                         "🛍 Shop", "❓ Help", "🌐 Language"});
  CHECK_THAT(ann.says("/mybusiness").text, Catch::Contains("approved"));
  CHECK(ann.seen() == owner_before + 2);
  // Ann's chat gets the owner's commands (bulk calls: they may come after the message); a
  // customer's chat keeps everyone's.
  CHECK(m.world().wait_until(
      [&] {
        auto mine = m.world().my_commands("en", ann.id());
        return std::find(mine.begin(), mine.end(), "newoffer") != mine.end();
      },
      answer_timeout));
  auto everyone = m.world().my_commands("en", 999);
  CHECK(std::find(everyone.begin(), everyone.end(), "newoffer") == everyone.end());
  CHECK(std::find(everyone.begin(), everyone.end(), "register") != everyone.end());
  // The admins' own keyboards hold their tools.
  auto admin_menu = button_labels(m.world().reply_keyboard(adam.id()));
  CHECK(std::find(admin_menu.begin(), admin_menu.end(), "📋 Applications") != admin_menu.end());
  // Both cards now show the outcome instead of the buttons.
  CHECK(m.world().wait_until(
      [&] {
        return adam.message(application.card.message_id).reply_markup.is_null() &&
               bea.message(card_for_bea.message_id).reply_markup.is_null();
      },
      answer_timeout));
}

TEST_CASE("admins decide by command and the rejection reason reaches the owner",
          "[e2e][business]") {
  market_with_applicant applying("business-admin-commands", 512);
  auto& [m, admin, ann] = applying;
  chat_user bob(m, 513, "Bob");
  auto first = registers(ann, admin, "Bakery Nord").business_id;
  auto second = registers(bob, admin, "Cafe Sud").business_id;

  auto pending = admin.says_and_gets("/pending", 3);
  CHECK_THAT(pending[0].text, Catch::Contains("2"));
  CHECK_THAT(pending[1].text + pending[2].text, Catch::Contains("Cafe Sud"));

  CHECK_THAT(admin.says("/reject " + std::to_string(first)).text,
             Catch::Contains("/reject <id> <reason>"));
  auto ann_before = ann.seen();
  CHECK_THAT(admin.says("/reject " + std::to_string(first) + " The address does not exist").text,
             Catch::Contains("rejected"));
  auto told = ann.await_reply(ann_before);
  CHECK_THAT(told.text, Catch::Contains("not approved"));
  CHECK_THAT(told.text, Catch::Contains("The address does not exist"));

  approves(admin, bob, second);
  CHECK_THAT(admin.says("/verify " + std::to_string(first)).text,
             Catch::Contains("already rejected by you"));
  CHECK_THAT(admin.says("/pending").text, Catch::Contains("No applications"));
  const auto stats = admin.says("/stats").text;
  CHECK_THAT(stats, Catch::Contains("1 approved, 0 waiting, 1 rejected"));
  // The admin, Ann and Bob are talking to the bot right now.
  CHECK_THAT(stats, Catch::Contains("Live sessions: 3"));

  // A rejected owner may apply again.
  CHECK_THAT(ann.says_and_gets("/register", 2)[1].text,
             Catch::Contains("What is your business called?"));
}

TEST_CASE("admin commands and buttons politely refuse everyone else", "[e2e][business]") {
  market m("business-admin-refusals", {900});
  chat_user admin(m, 900, "Adam");
  chat_user ann(m, 514, "Ann");
  opens_bot(admin);
  auto id = registers(ann, admin).business_id;

  const auto number = std::to_string(id);
  for (const auto& command : std::vector<std::string>{"/pending", "/verify " + number, "/stats",
                                                      "/reject " + number + " because"})
    CHECK_THAT(ann.says(command).text, Catch::Contains("for admins only"));

  // A forged Approve button on one of her own messages.
  auto some_message = ann.says("/mybusiness");
  auto popup = ann.taps(some_message.message_id, "adm:ok:" + std::to_string(id));
  CHECK(popup.show_alert);
  CHECK_THAT(popup.text, Catch::Contains("for admins only"));
  CHECK_THAT(ann.says("/mybusiness").text, Catch::Contains("waiting for approval"));
}

TEST_CASE("/stats reads the week from the database: what was reserved, picked up and saved",
          "[e2e][business][report]") {
  market_with_bakery bakery("business-admin-period", 515);
  auto& [m, admin, ann] = bakery;
  chat_user cora(m, 516, "Cora");
  opens_bot(cora);
  // 20,000 UZS as usual, 12,000 as a deal: 8,000 saved on each item picked up.
  const auto offer_id = publishes_deal(ann, "Croissants", "10");
  auto owner_before = ann.seen();
  const auto code = reserves(cora, offer_id, 3);
  ann.await_reply(owner_before);  // the news of the reservation
  CHECK_THAT(ann.says("/collect " + code).text, Catch::Contains("3 × Croissants"));

  auto now = admin.says("/stats");
  CHECK_THAT(now.text, Catch::Contains("The market now"));
  admin.taps_button(now, "7 days");
  REQUIRE(m.world().wait_until(
      [&] {
        return admin.message(now.message_id).text.find("The last 7 days") != std::string::npos;
      },
      answer_timeout));
  const auto week = admin.message(now.message_id);
  CHECK_THAT(week.text, Catch::Contains("Deals posted: 1"));
  CHECK_THAT(week.text, Catch::Contains("Businesses with deals on offer: 1"));
  CHECK_THAT(week.text, Catch::Contains("Items reserved: 3 (0 cancelled since)"));
  CHECK_THAT(week.text, Catch::Contains("Items picked up: 3, missed: 0"));
  CHECK_THAT(week.text, Catch::Contains("Customers saved: 24,000 UZS"));
  // Adam, Ann and Cora.
  CHECK_THAT(week.text, Catch::Contains("New users: 3"));
  CHECK_FALSE(button_data(week, "Now").empty());

  // The same button in a customer's chat shows her nothing.
  auto some_message = cora.says("/help");
  auto popup = cora.taps(some_message.message_id, "adm:stats:7d");
  CHECK(popup.show_alert);
  CHECK_THAT(popup.text, Catch::Contains("for admins only"));
  CHECK(cora.message(some_message.message_id).text == some_message.text);
}

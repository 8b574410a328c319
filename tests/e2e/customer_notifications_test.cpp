// What customers are told about the deals they reserved without asking: a business pausing or
// withdrawing the deal, the reminder before pickup ends, and a pickup they missed.

#include <catch2/catch.hpp>

#include "tests/e2e/customer_steps.hpp"

using namespace lastcall;
using namespace lastcall::testing;

TEST_CASE("a customer hears when the business pauses or withdraws a deal they reserved",
          "[e2e][customer][notifications]") {
  market_seed seed;
  auto bakery = seed.add_business(700, "Bakery Nord", {41.3111, 69.2797});
  auto buns = seed.add_offer(bakery, offer_titled("Buns"));
  auto m = seeded_market("customer-paused", seed);
  chat_user ann(*m, 621, "Ann");
  chat_user ivan(*m, 622, "Ivan", "ru");
  chat_user owner(*m, 700, "Olga");

  for (auto* customer : {&ann, &ivan}) {
    auto card = customer->says_and_gets(offer_link(buns.id), 2)[0];
    customer->taps(card.message_id, reserve_data(buns.id, 1));
  }
  REQUIRE(eventually([&] { return active_items(*m, buns.id) == 2; }));

  owner.says("/pause " + std::to_string(buns.id));
  auto paused = message_containing(*m, ann, "has paused “Buns”");
  CHECK_THAT(paused.text, Catch::Contains("still stands"));
  CHECK_THAT(message_containing(*m, ivan, "приостановило «Buns»").text,
             Catch::Contains("бронь в силе"));

  // Ann gives hers back from the message itself.
  auto answer = cancels_from(*m, ann, paused).answer;
  CHECK_THAT(answer.text, Catch::Contains("Reservation cancelled"));
  CHECK(active_items(*m, buns.id) == 1);

  owner.says("/end " + std::to_string(buns.id));
  CHECK_THAT(message_containing(*m, ivan, "сняло «Buns»").text, Catch::Contains("бронь отменена"));
  REQUIRE(eventually([&] { return active_items(*m, buns.id) == 0; }));
  // Ann had already cancelled: nothing more is sent to her about it.
  bool ann_told = false;
  for (const auto& message : ann.messages())
    ann_told = ann_told || message.text.find("withdrawn") != std::string::npos;
  CHECK_FALSE(ann_told);
}

TEST_CASE(
    "a customer is reminded before pickup ends and told when they missed it, and the business "
    "hears how the deal went",
    "[e2e][customer][notifications]") {
  market_seed seed;
  auto bakery = seed.add_business(700, "Bakery Nord", {41.3111, 69.2797}, "Navoi 5");
  // The reminder is due 30 minutes before the end (the default): a few seconds from now.
  offer_seed soup_spec;
  soup_spec.title = "Soup";
  soup_spec.starts_in = -3600;
  soup_spec.lasts = 3600 + 30 * 60 + 4;
  auto soup = seed.add_offer(bakery, soup_spec);
  // This window ends a few seconds from now, with nobody having come.
  offer_seed cake_spec;
  cake_spec.title = "Cake";
  cake_spec.starts_in = -3600;
  cake_spec.lasts = 3600 + 6;
  auto cake = seed.add_offer(bakery, cake_spec);
  auto soup_reservation = seed.add_reservation(soup, 623, 1);
  seed.add_reservation(cake, 623, 2);
  seed.add_reservation(cake, 624, 1, domain::reservation_status::collected);

  market_options options;
  options.name = "customer-reminder";
  options.start_bot = false;
  market m(options);
  seed.write(m.database_url());
  chat_user ann(m, 623, "Ann");
  chat_user olga(m, 700, "Olga");
  // Ann's and the owner's chats with the bot exist before any timer can fire.
  m.world().send_text(ann.profile(), "/start");
  m.world().send_text(olga.profile(), "/start");
  m.start_bot();

  auto reminder = message_containing(m, ann, "Reminder: pick up “Soup”");
  CHECK_THAT(reminder.text, Catch::Contains(soup_reservation.code));
  CHECK_THAT(reminder.text, Catch::Contains("Navoi 5"));
  CHECK_THAT(message_containing(m, ann, "didn't pick up “Cake”").text,
             Catch::Contains("cancel early"));
  REQUIRE(eventually([&] {
    auto rows = stored_reservations(m.database_url(), cake.id);
    return rows.size() == 2 && rows[0].customer_id == 623 &&
           rows[0].status == domain::reservation_status::no_show;
  }));
  CHECK_THAT(ann.says("/reservations").text, Catch::Contains("Not picked up"));
  // Of the cake's 5: 1 picked up, Ann's 2 not, 2 never reserved.
  CHECK_THAT(message_containing(m, olga, "pickup window of “Cake” is over").text,
             Catch::Contains("1 pcs picked up, 2 pcs not picked up, 2 pcs unsold"));
}

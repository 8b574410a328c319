// Reserving and cancelling, end to end: what the customer is told at once, the pickup code, the
// limits the offer enforces, /reservations, and what the database holds afterwards.

#include <catch2/catch.hpp>

#include "tests/e2e/customer_steps.hpp"

using namespace lastcall;
using namespace lastcall::testing;

TEST_CASE("a customer reserves two, gets a pickup code and the card shows what is left",
          "[e2e][customer][reserve]") {
  bakery_seed s;
  auto buns = s.offer("Buns", 5);
  auto m = seeded_market("customer-reserve", s.seed);
  chat_user ann(*m, 611, "Ann");

  auto card = opens_offer(ann, buns.id);
  ann.taps_button(card, "➕");
  card = edited(*m, ann, card);
  auto [answer, confirmation] = reserves_on(ann, card, "Reserve 2");
  CHECK_FALSE(answer.show_alert);
  CHECK_THAT(answer.text, Catch::Contains("Reserved! Your pickup code is"));

  auto stored = stored_reservations(m->database_url(), buns.id);
  REQUIRE(stored.size() == 1);
  CHECK(stored[0].customer_id == ann.id());
  CHECK(stored[0].quantity == 2);
  CHECK(stored[0].status == domain::reservation_status::active);
  CHECK_THAT(answer.text, Catch::Contains(stored[0].code));
  CHECK_THAT(confirmation.text, Catch::Contains("Pickup code: " + stored[0].code));
  CHECK_THAT(confirmation.text, Catch::Contains("2 × Buns"));
  CHECK_THAT(confirmation.text, Catch::Contains("Navoi 5"));
  CHECK_THAT(confirmation.text, Catch::Contains("Pay at pickup: 40,000 UZS"));
  CHECK(button_data(confirmation, "Cancel") == "cancel:" + std::to_string(stored[0].id));
  CHECK(stored_offer(m->database_url(), buns.id).quantity_reserved == 2);

  auto redrawn = edited(*m, ann, card);
  CHECK_THAT(redrawn.text, Catch::Contains("Left: 3"));
  CHECK_THAT(redrawn.text, Catch::Contains("You have reserved 2"));

  // Directions under the confirmation sends the bakery as a place on the map.
  const auto before = ann.seen();
  CHECK_FALSE(ann.taps_button(confirmation, "Directions").show_alert);
  auto place = ann.await_reply(before);
  REQUIRE(place.location.has_value());
  CHECK(place.location->latitude == Approx(41.3111));
  CHECK(place.location->longitude == Approx(69.2797));
  REQUIRE(place.venue.has_value());
  CHECK(place.venue->title == "Bakery Nord");
  CHECK(place.venue->address == "Navoi 5");
}

TEST_CASE("a reservation is refused with the reason when fewer are left than asked for",
          "[e2e][customer][reserve]") {
  bakery_seed s;
  auto buns = s.offer("Buns", 3);
  auto m = seeded_market("customer-only-left", s.seed);
  chat_user ann(*m, 612, "Ann");
  chat_user bob(*m, 613, "Bob");

  auto card = opens_offer(ann, buns.id);
  ann.taps_button(card, "➕");
  card = edited(*m, ann, card);
  ann.taps_button(card, "➕");
  card = edited(*m, ann, card);
  REQUIRE(!button_data(card, "Reserve 3").empty());

  auto bob_card = opens_offer(bob, buns.id);
  CHECK_THAT(bob.taps_button(bob_card, "Reserve 1").text, Catch::Contains("Reserved"));

  auto answer = ann.taps_button(card, "Reserve 3");
  CHECK(answer.show_alert);
  CHECK_THAT(answer.text, Catch::Contains("Only 2 left"));
  auto redrawn = edited(*m, ann, card);
  CHECK_THAT(redrawn.text, Catch::Contains("Left: 2"));
  CHECK(!button_data(redrawn, "Reserve 2").empty());
  CHECK(active_items(*m, buns.id) == 1);
}

TEST_CASE("sold-out and paused deals say so instead of offering Reserve",
          "[e2e][customer][reserve]") {
  bakery_seed s;
  auto sold = s.offer("Sold bread", 1);
  s.seed.add_reservation(sold, 900, 1);
  auto paused = s.offer("Paused cake", 4, domain::offer_state::paused);
  auto m = seeded_market("customer-unavailable", s.seed);
  chat_user ann(*m, 614, "Ann");

  auto sold_card = opens_offer(ann, sold.id);
  CHECK_THAT(sold_card.text, Catch::Contains("Sold out"));
  CHECK(button_data(sold_card, "Reserve").empty());
  // A Reserve button from an older card gets the current truth.
  auto answer = ann.taps(sold_card.message_id, reserve_data(sold.id, 1));
  CHECK_THAT(answer.text, Catch::Contains("sold out"));

  auto paused_card = opens_offer(ann, paused.id);
  CHECK_THAT(paused_card.text, Catch::Contains("paused"));
  CHECK(button_data(paused_card, "Reserve").empty());
  answer = ann.taps(paused_card.message_id, reserve_data(paused.id, 1));
  CHECK(answer.show_alert);
  CHECK_THAT(answer.text, Catch::Contains("paused"));
  CHECK(stored_reservations(m->database_url(), paused.id).empty());
}

TEST_CASE("a customer cannot hold more than the limit, nor reserve their own deal",
          "[e2e][customer][reserve]") {
  bakery_seed s;
  auto buns = s.offer("Buns", 10);
  auto m = seeded_market("customer-limit", s.seed, {{"MAX_ITEMS_PER_CUSTOMER", "2"}});
  chat_user ann(*m, 615, "Ann");
  chat_user owner(*m, 700, "Olga");

  auto card = opens_offer(ann, buns.id);
  CHECK_THAT(ann.taps(card.message_id, reserve_data(buns.id, 2)).text, Catch::Contains("Reserved"));
  // The old card still offers Reserve; the offer refuses.
  auto answer = ann.taps(card.message_id, reserve_data(buns.id, 1));
  CHECK(answer.show_alert);
  CHECK_THAT(answer.text, Catch::Contains("at most 2"));
  // + beyond the limit explains it too.
  auto fresh = opens_offer(ann, buns.id);
  CHECK_THAT(fresh.text, Catch::Contains("most one customer may reserve"));
  CHECK(active_items(*m, buns.id) == 2);

  auto own_card = opens_offer(owner, buns.id);
  answer = owner.taps_button(own_card, "Reserve 1");
  CHECK_THAT(answer.text, Catch::Contains("your own"));
  CHECK(active_items(*m, buns.id) == 2);
}

TEST_CASE("/reservations lists codes and Cancel gives the items back once",
          "[e2e][customer][cancel]") {
  bakery_seed s;
  auto buns = s.offer("Buns", 5);
  auto m = seeded_market("customer-cancel", s.seed);
  chat_user ann(*m, 616, "Ann");

  auto empty = ann.says("/reservations");
  CHECK_THAT(empty.text, Catch::Contains("no reservations right now"));

  auto confirmation = reserves_on(ann, opens_offer(ann, buns.id), "Reserve 1").confirmation;
  auto code = stored_reservations(m->database_url(), buns.id).at(0).code;

  auto list = ann.says("🎟 My reservations");
  CHECK_THAT(list.text, Catch::Contains(code));
  CHECK_THAT(list.text, Catch::Contains("Active"));
  CHECK_THAT(list.text, Catch::Contains("Buns"));
  CHECK(!button_data(list, "Cancel").empty());

  // Cancel asks first; No keeps the reservation.
  auto kept = cancels_from(*m, ann, confirmation, "Cancel", "No");
  CHECK_THAT(kept.question.text, Catch::Contains(code) && Catch::EndsWith(", 1 × Buns?"));
  CHECK_THAT(kept.answer.text, Catch::Contains("stands"));
  CHECK(button_labels(kept.after.reply_markup) ==
        std::vector<std::string>{"🧭 Directions", "❌ Cancel reservation"});
  CHECK(active_items(*m, buns.id) == 1);

  auto [question, answer, cancelled] = cancels_from(*m, ann, kept.after);
  CHECK_FALSE(answer.show_alert);
  CHECK_THAT(answer.text, Catch::Contains("Reservation cancelled"));
  CHECK_THAT(cancelled.text, Catch::Contains("Cancelled"));
  CHECK(button_labels(cancelled.reply_markup).empty());
  CHECK(active_items(*m, buns.id) == 0);
  CHECK(stored_offer(m->database_url(), buns.id).quantity_reserved == 0);

  // The list drawn before still has the button: a second Cancel changes nothing.
  answer = ann.taps_button(list, "Cancel");
  CHECK_THAT(answer.text, Catch::Contains("already cancelled"));
  auto rows = stored_reservations(m->database_url(), buns.id);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].status == domain::reservation_status::cancelled);

  // Listed as cancelled, its code no longer shown.
  const auto after = ann.says("/reservations").text;
  CHECK_THAT(after, Catch::Contains("Cancelled") && !Catch::Contains(code));
  CHECK_THAT(ann.says("/cancel 424242").text, Catch::Contains("can't find"));
}

TEST_CASE("cancelling shortly before pickup is refused", "[e2e][customer][cancel]") {
  bakery_seed s;
  offer_seed soon;
  soon.title = "Soup";
  soon.starts_in = 10 * 60;  // inside the 30-minute cut-off
  auto soup = s.seed.add_offer(s.bakery, soon);
  auto reservation = s.seed.add_reservation(soup, 617, 1);
  auto m = seeded_market("customer-too-late", s.seed);
  chat_user ann(*m, 617, "Ann");

  // The list shows the reservation but offers no Cancel button: it would be refused. Its only
  // button leads to the past reservations.
  auto list = ann.says("/reservations");
  CHECK_THAT(list.text, Catch::Contains(reservation.code));
  CHECK(button_labels(list.reply_markup) == std::vector<std::string>{"🕘 Past reservations"});
  // A Cancel tap all the same (an old button, or a forged one) is refused, and so is /cancel.
  auto answer = ann.taps(list.message_id, "cancel:" + std::to_string(reservation.id) + ":l");
  CHECK(answer.show_alert);
  CHECK_THAT(answer.text, Catch::Contains("too late"));
  CHECK_THAT(ann.says("/cancel " + reservation.code).text, Catch::Contains("too late"));
  // So is a Yes to a question asked before the cut-off.
  answer = ann.taps(list.message_id, "cancel:" + std::to_string(reservation.id) + ":l:y");
  CHECK(answer.show_alert);
  CHECK_THAT(answer.text, Catch::Contains("too late"));
  CHECK(active_items(*m, soup.id) == 1);
}

TEST_CASE("a Russian-speaking customer reserves and cancels in Russian",
          "[e2e][customer][reserve][ru]") {
  bakery_seed s;
  auto buns = s.offer("Булочки", 4);
  auto m = seeded_market("customer-reserve-ru", s.seed);
  chat_user ivan(*m, 618, "Ivan", "ru");

  auto card = opens_offer(ivan, buns.id);
  CHECK_THAT(card.text, Catch::Contains("Осталось: 4"));
  auto [answer, confirmation] = reserves_on(ivan, card, "Забронировать 1");
  CHECK_THAT(answer.text, Catch::Contains("Забронировано"));
  CHECK_THAT(confirmation.text, Catch::Contains("Код выдачи"));
  CHECK_THAT(confirmation.text, Catch::Contains("Оплата при получении: 20\u00a0000 сум"));

  auto list = ivan.says("🎟 Мои брони");
  CHECK_THAT(list.text, Catch::Contains("Ваши брони"));
  CHECK_THAT(list.text, Catch::Contains("Активна"));
  auto cancelled = cancels_from(*m, ivan, list, "Отменить", "Да, отменить");
  CHECK_THAT(cancelled.question.text,
             Catch::EndsWith(", 1 × Булочки?") && Catch::Contains("Отменить бронь №"));
  CHECK_THAT(cancelled.answer.text, Catch::Contains("Бронь отменена"));
  CHECK_THAT(cancelled.after.text, Catch::Contains("Отменена"));
  CHECK(active_items(*m, buns.id) == 0);
}

TEST_CASE("past reservations of deals long over are paged from the database after a start",
          "[e2e][customer][history]") {
  bakery_seed s;
  auto buns = s.offer("Buns", 5);
  auto soup_spec = offer_titled("Yesterday's soup", 10);
  soup_spec.starts_in = -26 * 3600;
  soup_spec.lasts = 2 * 3600;
  soup_spec.state = domain::offer_state::expired;
  auto soup = s.seed.add_offer(s.bakery, soup_spec);
  using status = domain::reservation_status;
  for (auto past : {status::collected, status::cancelled, status::no_show, status::collected,
                    status::cancelled, status::no_show})
    s.seed.add_reservation(soup, 624, 1, past);
  s.seed.add_reservation(buns, 624, 2);
  // The bot starts on these rows: it keeps in memory only the deals still on offer.
  auto m = seeded_market("customer-history", s.seed);
  chat_user ann(*m, 624, "Ann");
  chat_user bob(*m, 625, "Bob");

  auto list = ann.says("/reservations");
  CHECK_THAT(list.text, Catch::Contains("Buns") && !Catch::Contains("Yesterday's soup"));
  auto before = ann.seen();
  ann.taps_button(list, "Past reservations");
  auto history = ann.await_reply(before);
  CHECK_THAT(history.text, Catch::Contains("Your past reservations, 1–5"));
  CHECK_THAT(history.text, Catch::Contains("Yesterday's soup") && Catch::Contains("Picked up") &&
                               Catch::Contains("Cancelled") && Catch::Contains("Not picked up"));
  CHECK_THAT(history.text, !Catch::Contains("Buns"));

  ann.taps_button(history, "Older");
  auto older = edited(*m, ann, history);
  CHECK_THAT(older.text, Catch::Contains("Your past reservations, 6–6"));
  CHECK(button_labels(older.reply_markup) == std::vector<std::string>{"‹ Newer"});

  // The same button in Bob's chat shows Bob's history, which is empty.
  auto bobs = bob.says("/reservations");
  before = bob.seen();
  bob.taps(bobs.message_id, "hist:0");
  CHECK_THAT(bob.await_reply(before).text, Catch::Contains("No past reservations yet"));
}

// One offer's decisions with an explicit clock: its timers, what they change when due, and the
// counters it rebuilds from its reservations when loaded. (Operations are held to the actors'
// behaviour by the contract suite, tests/integration/market_contract_test.cpp.)

#include <catch2/catch.hpp>

#include "domain/pickup_code.hpp"
#include "market/live_offer.hpp"
#include "market/market_book.hpp"
#include "tests/support/bakery_entities.hpp"

using namespace lastcall;

namespace {

constexpr int64_t now = 1'767'261'600;
constexpr int64_t owner = 700;

struct bakery {
  domain::business business;
  market::offer_rules rules;
  int64_t next_id = 1;
  std::function<domain::reservation_identity()> mint = [this] {
    auto id = next_id++;
    return domain::reservation_identity{id, domain::make_pickup_code(id, 7)};
  };

  bakery() : business(testing::verified_bakery(1, owner)) {
    rules.max_items_per_customer = 5;
    rules.reminder_seconds = 30 * 60;
  }
  market::offer_surroundings around() const { return {business, rules, mint}; }

  // An active offer whose window is 14:00-16:00 when now is 12:00.
  static domain::offer croissants() {
    return testing::active_croissants(5, 1, now + 2 * 3600, now + 4 * 3600);
  }
};

}  // namespace

TEST_CASE("an offer is reminded before its window ends, then expires at its end",
          "[unit][market]") {
  bakery b;
  market::live_offer offer(bakery::croissants(), {});
  REQUIRE(offer.answer(market::reserve_items{5, 10, 2, now, "u:1"}, b.around()).ok);
  REQUIRE(offer.answer(market::reserve_items{5, 11, 1, now, "u:2"}, b.around()).ok);

  auto first = offer.next_timer(now, b.rules);
  REQUIRE(first);
  CHECK(first->what == market::offer_timer::reminder);
  CHECK(first->at == now + 4 * 3600 - 30 * 60);

  auto reminders = offer.fire(market::offer_timer::reminder, first->at, b.around());
  REQUIRE(reminders.notices.size() == 2);
  const auto* reminder =
      std::get_if<domain::notices::pickup_reminder>(&reminders.notices[0].notice);
  REQUIRE(reminder);
  CHECK(reminder->address == "Main St 1");
  CHECK(reminders.offers.empty());  // a reminder changes nothing stored
  CHECK(offer.fire(market::offer_timer::reminder, first->at, b.around()).empty());  // once

  auto second = offer.next_timer(first->at, b.rules);
  REQUIRE(second);
  CHECK(second->what == market::offer_timer::expiry);
  CHECK(second->at == now + 4 * 3600);
  CHECK(offer.fire(market::offer_timer::expiry, second->at - 1, b.around()).empty());  // early

  auto expired = offer.fire(market::offer_timer::expiry, second->at, b.around());
  CHECK(offer.state().state == domain::offer_state::expired);
  REQUIRE(expired.offers.size() == 1);
  CHECK(expired.reservations.size() == 2);
  CHECK(expired.notices.size() == 3);
  CHECK(std::holds_alternative<domain::notices::missed_pickup>(expired.notices[1].notice));
  CHECK(std::holds_alternative<domain::notices::window_ended>(expired.notices[2].notice));
  CHECK_FALSE(offer.next_timer(second->at, b.rules));
}

TEST_CASE("when the window ends the owner hears how the deal went, in items", "[unit][market]") {
  bakery b;
  market::live_offer offer(bakery::croissants(), {});  // 6 items
  auto collected = offer.answer(market::reserve_items{5, 10, 2, now, "u:1"}, b.around());
  REQUIRE(collected.ok);
  REQUIRE(offer.answer(market::reserve_items{5, 11, 3, now, "u:2"}, b.around()).ok);
  REQUIRE(
      offer
          .answer(market::collect_pickup{5, owner, 1, collected.reservation->code, now}, b.around())
          .ok);

  auto expired = offer.fire(market::offer_timer::expiry, now + 4 * 3600, b.around());
  REQUIRE(expired.notices.size() == 2);  // the customer who did not come, and the owner
  CHECK(expired.notices[1].user_id == owner);
  const auto* summary = std::get_if<domain::notices::window_ended>(&expired.notices[1].notice);
  REQUIRE(summary);
  CHECK(summary->offer_id == 5);
  CHECK(summary->title == "Croissants");
  CHECK(summary->picked_up == 2);
  CHECK(summary->missed == 3);
  CHECK(summary->unsold == 1);
}

TEST_CASE("an offer loaded inside its reminder period only waits for its expiry",
          "[unit][market]") {
  bakery b;
  market::live_offer offer(bakery::croissants(), {});
  auto due = offer.next_timer(now + 4 * 3600 - 60, b.rules);
  REQUIRE(due);
  CHECK(due->what == market::offer_timer::expiry);
}

TEST_CASE("a draft or a paused offer needs no timer", "[unit][market]") {
  bakery b;
  auto draft = bakery::croissants();
  draft.state = domain::offer_state::draft;
  CHECK_FALSE(market::live_offer(draft, {}).next_timer(now, b.rules));
}

TEST_CASE("a loaded offer counts its items from its reservations, not from its stored counters",
          "[unit][market]") {
  auto stored = bakery::croissants();
  stored.quantity_reserved = 5;  // a stale offer row
  domain::reservation active{1, 5, 10, 2, "AAAAA", domain::reservation_status::active};
  domain::reservation collected{2, 5, 11, 1, "BBBBB", domain::reservation_status::collected};
  domain::reservation cancelled{3, 5, 12, 3, "CCCCC", domain::reservation_status::cancelled};
  market::live_offer offer(stored, {active, collected, cancelled});
  CHECK(offer.state().quantity_reserved == 2);
  CHECK(offer.state().quantity_collected == 1);
  CHECK(offer.state().quantity_left() == 3);
}

TEST_CASE("the market's read models keep the newest report of an offer", "[unit][market]") {
  market::market_book book({{900}, "UZS"}, {});
  auto newer = bakery::croissants();
  newer.version = 3;
  newer.quantity_reserved = 4;
  auto older = newer;
  older.version = 2;
  older.quantity_reserved = 1;
  book.observe(newer, {});
  book.observe(older, {});  // arrived late
  CHECK(book.offers_of_business(1).at(0).quantity_reserved == 4);
}

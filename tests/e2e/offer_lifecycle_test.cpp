// An offer's timers belong to its actor and survive restarts: the expiry fires on time after a
// restart, and an offer whose window ended while the bot was down expires as soon as it starts.

#include <catch2/catch.hpp>

#include "tests/e2e/customer_steps.hpp"
#include "tests/support/seed.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

int64_t unix_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

TEST_CASE("an offer whose window ended while the bot was down expires at start-up",
          "[e2e][lifecycle]") {
  market_seed seed;
  auto bakery = seed.add_business(700, "Bakery Nord");
  offer_seed spec;
  spec.title = "Bagels";
  spec.starts_in = -3 * 3600;
  spec.lasts = 2 * 3600;  // ended an hour ago, still stored as active
  auto bagels = seed.add_offer(bakery, spec);
  auto held = seed.add_reservation(bagels, 641, 1);

  auto m = seeded_market("lifecycle-expired-while-down", seed);
  REQUIRE(eventually([&] {
    return stored_offer(m->database_url(), bagels.id).state == domain::offer_state::expired;
  }));
  auto rows = stored_reservations(m->database_url(), bagels.id);
  REQUIRE(rows.size() == 1);
  CHECK(rows[0].id == held.id);
  CHECK(rows[0].status == domain::reservation_status::no_show);
  // Customers no longer see it.
  chat_user cora(*m, 642, "Cora");
  CHECK_THAT(cora.says("/browse").text, !Catch::Contains("Bagels"));
}

TEST_CASE("an active offer's expiry still fires on time after a restart", "[e2e][lifecycle]") {
  market_seed seed;
  auto bakery = seed.add_business(700, "Bakery Nord");
  offer_seed spec;
  spec.title = "Pies";
  spec.starts_in = -3600;
  spec.lasts = 3600 + 15;  // the window ends 15 seconds after the seed: after the restart
  auto pies = seed.add_offer(bakery, spec);

  auto m = seeded_market("lifecycle-restart", seed);
  chat_user cora(*m, 643, "Cora");
  CHECK_THAT(cora.says("/browse").text, Catch::Contains("Pies"));
  REQUIRE(m->stop_bot() == 0);
  CHECK(stored_offer(m->database_url(), pies.id).state == domain::offer_state::active);

  m->start_bot();
  REQUIRE(eventually(
      [&] {
        return stored_offer(m->database_url(), pies.id).state == domain::offer_state::expired;
      },
      std::chrono::seconds(60)));
  CHECK(unix_seconds() >= pies.pickup_end);
  CHECK_THAT(cora.says("/browse").text, !Catch::Contains("Pies"));
}

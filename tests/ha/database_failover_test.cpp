// The database fails over under a flash sale: Patroni switches the primary over, then the new
// primary's machine dies and its synchronous standby is promoted. The bot names both servers in
// its DATABASE_URL (libpq's multi-host form, target_session_attrs=read-write) and finds the
// primary again by itself; with strict synchronous replication every commit it acknowledged is on
// the server that takes over, so no code a customer was shown is lost.

#include <chrono>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/support/flash_sale.hpp"
#include "tests/support/ha_postgres.hpp"
#include "tests/support/seed.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

constexpr int customer_count = 160;
constexpr int item_count = 60;
// Long enough that taps keep coming through the switchover, the death of the primary and the
// promotion of its standby.
constexpr std::chrono::milliseconds rush_length{15000};
// Patroni promotes a standby once the dead primary's leader key expires (ttl 10 s in the test
// cluster), and the restarted node needs a while to rejoin: wait generously, assert nothing on
// speed.
constexpr std::chrono::milliseconds patience{120000};

}  // namespace

TEST_CASE("a switchover and the death of the primary mid-sale lose nothing acknowledged",
          "[ha][database]") {
  ha_postgres cluster;
  const auto first = cluster.leader();
  REQUIRE(!first.empty());

  market_seed seed;
  auto bakery = seed.add_business(700, "Failover Bakery", {41.3111, 69.2797});
  auto offer = seed.add_offer(bakery, offer_titled("Failover box", item_count));
  market_options options;
  options.name = "database-failover";
  options.admin_url = cluster.url();
  options.env = {{"MAX_ITEMS_PER_CUSTOMER", "1"}};
  auto m = seeded_market(std::move(options), seed);
  auto& world = m->world();
  auto crowd = sale_crowd(customer_count, 600000);
  greet(world, crowd, patience);

  std::thread database_trouble([&] {
    std::this_thread::sleep_for(rush_length / 10);
    const auto second = ha_postgres::other(first);
    CHECK(cluster.switch_over_to(second));
    // Strict synchronous mode promotes only a synchronous standby: wait until the old primary is
    // one.
    CHECK(cluster.settled_with_leader(second, patience));
    cluster.kill(second);
    CHECK(world.wait_until([&] { return cluster.leader() == first; }, patience));
    // The new primary accepts commits once it has a synchronous standby again.
    cluster.restart(second);
  });
  rush(world, crowd, offer.id, 4, rush_length);
  database_trouble.join();

  INFO("bot log: " << m->bot().log_path());
  check_sale(*m, offer.id, item_count, crowd, patience, m->bot().log_path());
  CHECK(m->bot().log().find("outage_ended") != std::string::npos);
}

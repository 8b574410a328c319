// SIGKILL during a flash sale, again and again: the bot gets no chance to drain, so whatever it
// told a customer must already be durable, and whatever it had not finished must be redone after
// the restart exactly once: from the inbox, where a killed bot leaves the updates it had taken in
// but not handled. Telegram re-delivers every update the bot had not confirmed, so a tap may reach
// the bot twice; the idempotency key keeps the second delivery from reserving again.

#include <atomic>
#include <chrono>
#include <random>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/support/flash_sale.hpp"
#include "tests/support/seed.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

constexpr int customer_count = 240;
constexpr int item_count = 100;
constexpr int sender_threads = 4;
constexpr int kill_count = 10;
// Taps are spread over about this long, so kills land before, during and after the rush.
constexpr std::chrono::milliseconds rush_length{4000};
// A restarted bot replays its queue before it answers: wait generously, assert nothing on speed.
constexpr std::chrono::milliseconds recovery_timeout{60000};

}  // namespace

TEST_CASE("SIGKILL at random moments of a flash sale loses no reservation and doubles none",
          "[integration][crash]") {
  market_seed seed;
  auto bakery = seed.add_business(700, "Crash Bakery", {41.3111, 69.2797});
  auto offer = seed.add_offer(bakery, offer_titled("Crash sale box", item_count));
  auto m = seeded_market("crash-recovery", seed, {{"MAX_ITEMS_PER_CUSTOMER", "1"}});
  auto& world = m->world();

  auto customers = sale_crowd(customer_count, 300000);
  greet(world, customers, recovery_timeout);

  std::atomic<bool> all_tapped{false};
  // Keeps killing while taps arrive, so the last taps meet a bot that may die as well.
  int kills = 0;
  std::thread killer([&] {
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> pause_ms(100, 600);
    while (kills < kill_count || !all_tapped) {
      std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(random)));
      m->kill_bot();
      m->start_bot();
      ++kills;
    }
  });
  rush(world, customers, offer.id, sender_threads, rush_length);
  all_tapped = true;
  killer.join();
  REQUIRE(kills >= kill_count);

  // The last bot started by the killer runs on undisturbed: it must work off everything.
  check_sale(*m, offer.id, item_count, customers, recovery_timeout, m->bot().log_path());
}

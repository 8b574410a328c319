// The offer actors' timers under CAF's testing scheduler: time moves only when the test moves it,
// so the reminder and the expiry are checked at their moment without waiting for them. What a
// timer changes goes to persistence on its own (there is no user turn to ride with); a stand-in
// records it.

#include <chrono>
#include <memory>
#include <vector>

#include <caf/all.hpp>
#include <caf/scheduler/test_coordinator.hpp>
#include <catch2/catch.hpp>

#include "actors/market_actor.hpp"
#include "tests/support/bakery_entities.hpp"

using namespace lastcall;

namespace {

constexpr int64_t start = 1'767'261'600;  // 2026-01-01 10:00 UTC
constexpr int64_t owner = 700;

// Records every unit an offer commits on its own and confirms it.
caf::behavior recording_persistence(caf::event_based_actor*,
                                    std::shared_ptr<std::vector<persistence::unit_of_work>> units) {
  return {
      [=](actors::commit_atom, persistence::unit_of_work& unit) {
        units->push_back(std::move(unit));
        return actors::durable_atom::value;
      },
  };
}

struct timed_market {
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  caf::scheduler::test_coordinator* scheduler = nullptr;
  int64_t unix_time;
  std::shared_ptr<std::vector<persistence::unit_of_work>> committed =
      std::make_shared<std::vector<persistence::unit_of_work>>();
  caf::actor persistence;
  actors::market_actor market;

  // One verified bakery with one active offer, 13:00-14:00 on the day, and two reservations,
  // loaded at `now`.
  explicit timed_market(int64_t now = start) : unix_time(now) {
    config.set("scheduler.policy", caf::atom("testing"));
    system = std::make_unique<caf::actor_system>(config);
    scheduler = &dynamic_cast<caf::scheduler::test_coordinator&>(system->scheduler());
    persistence = system->spawn(recording_persistence, committed);

    auto settings = std::make_shared<config::settings>();
    settings->reminder_minutes = 30;
    actors::market_dependencies deps;
    deps.settings = settings;
    deps.persistence = caf::actor_cast<actors::persistence_actor>(persistence);
    deps.unix_clock = [this] { return unix_time; };
    deps.businesses.push_back(testing::verified_bakery(1, owner));
    deps.offers.push_back(testing::active_croissants(5, 1, start + 3 * 3600, start + 4 * 3600));
    deps.reservations.push_back(
        {1, 5, 10, 2, "AAAAA", domain::reservation_status::active, 10, "u:1", 1, start, start});
    deps.reservations.push_back(
        {2, 5, 11, 1, "BBBBB", domain::reservation_status::active, 10, "u:2", 1, start, start});
    deps.max_business_id = 1;
    deps.max_offer_id = 5;
    deps.max_reservation_id = 2;
    market = actors::spawn_market(*system, std::move(deps));
    caf::anon_send(market, actors::start_atom::value);
    scheduler->run();
  }

  ~timed_market() {
    caf::anon_send_exit(market, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(persistence, caf::exit_reason::user_shutdown);
    scheduler->run();
  }

  // Moves both clocks on and lets every actor handle what that made due.
  void pass(std::chrono::seconds time) {
    unix_time += time.count();
    scheduler->advance_time(time);
    scheduler->run();
  }

  template <class Notice>
  size_t notices_of(const persistence::unit_of_work& unit) const {
    size_t count = 0;
    for (const auto& n : unit.notices) count += std::holds_alternative<Notice>(n.notice) ? 1 : 0;
    return count;
  }
};

}  // namespace

TEST_CASE("holders are reminded half an hour before the window ends, then the offer expires",
          "[integration][actors][timers]") {
  timed_market m;
  CHECK(m.committed->empty());

  m.pass(std::chrono::minutes(209));  // 13:29
  CHECK(m.committed->empty());
  m.pass(std::chrono::minutes(1));  // 13:30, half an hour before the end
  REQUIRE(m.committed->size() == 1);
  CHECK(m.notices_of<domain::notices::pickup_reminder>(m.committed->at(0)) == 2);

  m.pass(std::chrono::minutes(29));  // 13:59
  CHECK(m.committed->size() == 1);
  m.pass(std::chrono::minutes(1));  // 14:00, the end of the window
  REQUIRE(m.committed->size() == 2);
  const auto& expired = m.committed->at(1);
  REQUIRE(expired.offers.size() == 1);
  CHECK(expired.offers[0].state == domain::offer_state::expired);
  CHECK(expired.reservations.size() == 2);
  CHECK(m.notices_of<domain::notices::missed_pickup>(expired) == 2);

  m.pass(std::chrono::hours(24));
  CHECK(m.committed->size() == 2);  // nothing more is due
}

TEST_CASE("an offer whose window ended while the bot was down expires as it starts",
          "[integration][actors][timers]") {
  timed_market m(start + 5 * 3600);  // loaded at 15:00, after the window
  REQUIRE(m.committed->size() == 1);
  CHECK(m.committed->at(0).offers.at(0).state == domain::offer_state::expired);
  CHECK(m.notices_of<domain::notices::missed_pickup>(m.committed->at(0)) == 2);
  CHECK(m.notices_of<domain::notices::pickup_reminder>(m.committed->at(0)) == 0);
}

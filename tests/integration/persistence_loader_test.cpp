#include <algorithm>
#include <chrono>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/loader.hpp"
#include "persistence/writer.hpp"
#include "tests/support/entity_samples.hpp"
#include "tests/support/test_database.hpp"

using namespace lastcall;
using persistence::unit_of_work;

namespace {

void write(pqxx::connection& connection, unit_of_work unit) {
  std::vector<unit_of_work*> units{&unit};
  persistence::write_batch(connection, units, {});
}

template <class Entity>
std::vector<int64_t> ids_of(const std::vector<Entity>& entities) {
  std::vector<int64_t> ids;
  for (const auto& e : entities) ids.push_back(e.id);
  return ids;
}

template <class Entity>
std::vector<int64_t> sorted_ids_of(const std::vector<Entity>& entities) {
  auto ids = ids_of(entities);
  std::sort(ids.begin(), ids.end());
  return ids;
}

}  // namespace

TEST_CASE("load_state returns the offers that are not expired or ended, with their reservations",
          "[persistence][loader]") {
  tests::test_database db;
  auto connection = db.connect();

  using domain::offer_state;
  unit_of_work unit;
  unit.businesses = {tests::sample_business(1), tests::sample_business(2)};
  const offer_state states[] = {offer_state::draft,    offer_state::active,  offer_state::paused,
                                offer_state::sold_out, offer_state::expired, offer_state::ended};
  int64_t id = 10;
  for (auto state : states) {
    unit.offers.push_back(tests::sample_offer(id, 1, state));
    unit.reservations.push_back(tests::sample_reservation(id + 100, id, 7));
    ++id;
  }
  write(*connection, unit);

  const auto stored = persistence::load_state(*connection);
  CHECK(sorted_ids_of(stored.businesses) == std::vector<int64_t>{1, 2});
  CHECK(sorted_ids_of(stored.offers) == std::vector<int64_t>{10, 11, 12, 13});
  CHECK(sorted_ids_of(stored.reservations) == std::vector<int64_t>{110, 111, 112, 113});
  // The id counters cover rows that were not loaded.
  CHECK(stored.max_offer_id == 15);
  CHECK(stored.max_reservation_id == 115);
  CHECK(stored.max_business_id == 2);
}

TEST_CASE("only users with a session are loaded at start-up and load_user reads any user",
          "[persistence][loader]") {
  tests::test_database db;
  auto connection = db.connect();

  unit_of_work unit;
  for (int64_t id : {1, 2, 3, 4}) unit.users.push_back(tests::sample_user(id));
  unit.users[0].session = nullptr;
  unit.users[1].session = nlohmann::json::object();
  unit.users[2].session = nlohmann::json::array();
  write(*connection, unit);

  const auto stored = persistence::load_state(*connection);
  CHECK(ids_of(stored.users_with_session) == std::vector<int64_t>{4});

  const auto without_session = persistence::load_user(*connection, 1);
  REQUIRE(without_session.has_value());
  CHECK(without_session->session.is_null());
  CHECK(without_session->lang == domain::language::uz);
  tests::require_same(*persistence::load_user(*connection, 4), tests::sample_user(4));
  CHECK_FALSE(persistence::load_user(*connection, 99).has_value());
}

TEST_CASE("a business's offers and a customer's reservations, newest first",
          "[persistence][loader]") {
  tests::test_database db;
  auto connection = db.connect();

  unit_of_work unit;
  unit.businesses = {tests::sample_business(1), tests::sample_business(2)};
  auto old_offer = tests::sample_offer(10, 1, domain::offer_state::ended);
  auto new_offer = tests::sample_offer(11, 1, domain::offer_state::draft);
  auto other_offer = tests::sample_offer(12, 2);
  old_offer.created_at = 1000;
  new_offer.created_at = 2000;
  unit.offers = {old_offer, new_offer, other_offer};
  auto first = tests::sample_reservation(20, 10, 7);
  auto second = tests::sample_reservation(21, 12, 7);
  auto someone_else = tests::sample_reservation(22, 12, 8);
  first.created_at = 3000;
  second.created_at = 4000;
  unit.reservations = {first, second, someone_else};
  write(*connection, unit);

  const auto offers = persistence::load_offers_of_business(*connection, 1);
  CHECK(ids_of(offers) == std::vector<int64_t>{11, 10});
  tests::require_same(offers[1], old_offer);

  const auto reservations = persistence::load_reservations_of_customer(*connection, 7);
  CHECK(ids_of(reservations) == std::vector<int64_t>{21, 20});
  tests::require_same(reservations[0], second);

  CHECK(persistence::load_offers_of_business(*connection, 3).empty());
  CHECK(persistence::load_reservations_of_customer(*connection, 9).empty());
}

// Hidden (run with "[.perf]"): start-up with 100,000 live offers and 1,000,000 reservations.
TEST_CASE("load_state reads a large market", "[.perf][persistence][loader]") {
  tests::test_database db;
  auto connection = db.connect();
  {
    pqxx::work txn(*connection);
    txn.exec0(
        "INSERT INTO businesses (id, owner_id, name, address, latitude, longitude, phone, status, "
        "version, "
        "created_at) SELECT g, g, 'Bakery ' || g, 'Street ' || g, 41.3, 69.2, '+998', 'verified', "
        "1, now() "
        "FROM generate_series(1, 1000) g");
    txn.exec0(
        "INSERT INTO offers (id, business_id, title, description, original_price, deal_price, "
        "currency, "
        "quantity_total, quantity_reserved, quantity_collected, pickup_start, pickup_end, state, "
        "version, "
        "created_at) SELECT g, 1 + g % 1000, 'Offer ' || g, 'Something tasty', 20000, 10000, "
        "'UZS', 20, 10, "
        "0, now(), now() + interval '2 hours', 'active', 1, now() FROM generate_series(1, 100000) "
        "g");
    txn.exec0(
        "INSERT INTO reservations (id, offer_id, customer_id, quantity, code, status, deal_price, "
        "version, "
        "created_at, updated_at) SELECT g, 1 + g % 100000, g % 50000, 1, 'C' || g, 'active', "
        "10000, 1, "
        "now(), now() FROM generate_series(1, 1000000) g");
    txn.commit();
  }
  const auto started = std::chrono::steady_clock::now();
  const auto stored = persistence::load_state(*connection);
  const auto took = std::chrono::duration_cast<std::chrono::milliseconds>(
      std::chrono::steady_clock::now() - started);
  WARN("load_state: " << stored.offers.size() << " offers, " << stored.reservations.size()
                      << " reservations in " << took.count() << " ms");
  CHECK(stored.offers.size() == 100000);
  CHECK(stored.reservations.size() == 1000000);
}

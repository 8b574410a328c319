// A customer's past reservations read from a real PostgreSQL, a page at a time: only theirs,
// only the ones no longer active, newest first, with the deal and the business they need.

#include <vector>

#include <catch2/catch.hpp>

#include "persistence/past_reservations.hpp"
#include "persistence/writer.hpp"
#include "tests/support/entity_samples.hpp"
#include "tests/support/test_database.hpp"

using namespace lastcall;

TEST_CASE("past reservations come newest first, a page at a time, and only the customer's own",
          "[integration][history]") {
  tests::test_database db;
  auto connection = db.connect();
  constexpr int64_t customer = 4242, someone_else = 4343;

  persistence::unit_of_work unit;
  unit.businesses.push_back(tests::sample_business(10));
  unit.offers.push_back(tests::sample_offer(20, 10));
  using status = domain::reservation_status;
  const status past[] = {status::collected, status::cancelled, status::no_show};
  for (int64_t i = 0; i < 7; ++i) {
    auto r = tests::sample_reservation(100 + i, 20, customer);
    r.status = past[i % 3];
    r.created_at = 1800000000 + i * 60;
    unit.reservations.push_back(r);
  }
  auto active = tests::sample_reservation(200, 20, customer);
  active.status = status::active;
  active.created_at = 1800009999;
  unit.reservations.push_back(active);
  unit.reservations.push_back(tests::sample_reservation(300, 20, someone_else));
  std::vector<persistence::unit_of_work*> units{&unit};
  persistence::write_batch(*connection, units, {});

  const auto first = persistence::read_past_reservations(*connection, customer, 0, 5);
  REQUIRE(first.entries.size() == 5);
  CHECK(first.more);
  for (size_t i = 0; i < first.entries.size(); ++i)
    CHECK(first.entries[i].reservation.id == 106 - static_cast<int64_t>(i));

  const auto& newest = first.entries[0];
  CHECK(newest.reservation.status == status::collected);  // 106: 6 % 3 == 0
  CHECK(newest.reservation.quantity == 2);
  CHECK(newest.reservation.deal_price == 1200000);
  CHECK(newest.reservation.customer_id == customer);
  CHECK(newest.offer.id == 20);
  CHECK(newest.offer.title == tests::sample_offer(20, 10).title);
  CHECK(newest.offer.pickup_start == 1700003600);
  CHECK(newest.offer.pickup_end == 1700010800);
  CHECK(newest.offer.currency == "UZS");
  CHECK(newest.business.name == tests::sample_business(10).name);
  CHECK(newest.business.address == tests::sample_business(10).address);

  const auto second = persistence::read_past_reservations(*connection, customer, 5, 5);
  REQUIRE(second.entries.size() == 2);
  CHECK_FALSE(second.more);
  CHECK(second.entries[0].reservation.id == 101);
  CHECK(second.entries[1].reservation.id == 100);

  CHECK(persistence::read_past_reservations(*connection, customer, 10, 5).entries.empty());
  CHECK(persistence::read_past_reservations(*connection, 1, 0, 5).entries.empty());
}

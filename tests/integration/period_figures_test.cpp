// The figures of a past period, read from a real PostgreSQL: what falls inside the span counts,
// what falls outside does not, whatever its kind.

#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/period_figures.hpp"
#include "persistence/writer.hpp"
#include "tests/support/entity_samples.hpp"
#include "tests/support/test_database.hpp"

using namespace lastcall;

namespace {

constexpr int64_t hour = 3600;
// The period asked for: one day from this moment.
constexpr int64_t start = 1800000000;
constexpr domain::time_span span{start, start + 24 * hour};
constexpr int64_t inside = start + 2 * hour;
constexpr int64_t before = start - hour;
constexpr int64_t after = span.to;  // the end is excluded

domain::reservation reservation_of(int64_t id, int64_t offer_id, int quantity,
                                   domain::reservation_status status, int64_t made,
                                   int64_t changed) {
  auto r = tests::sample_reservation(id, offer_id, 7000 + id);
  r.quantity = quantity;
  r.status = status;
  r.created_at = made;
  r.updated_at = changed;
  r.deal_price = 1000;  // against the usual 2,500: 1,500 saved per item
  return r;
}

}  // namespace

TEST_CASE("a period's figures count what happened within it and nothing else",
          "[integration][report]") {
  tests::test_database db;
  auto connection = db.connect();

  persistence::unit_of_work unit;
  for (int64_t id : {1, 2}) unit.users.push_back(tests::sample_user(id));
  unit.users[0].created_at = inside;
  unit.users[1].created_at = before;
  for (int64_t id : {10, 11, 12}) unit.businesses.push_back(tests::sample_business(id, 100 + id));

  auto deal = [](int64_t id, int64_t business, int64_t published, int64_t pickup_end) {
    auto o = tests::sample_offer(id, business);
    o.original_price = 2500;
    o.deal_price = 1000;
    o.published_at = published;
    o.pickup_start = published;
    o.pickup_end = pickup_end;
    return o;
  };
  unit.offers.push_back(deal(20, 10, inside, inside + hour));        // posted in the period
  unit.offers.push_back(deal(21, 11, before - hour, start + hour));  // posted before, still on
  unit.offers.push_back(deal(22, 12, before - 5 * hour, before));    // over before it began
  auto draft = deal(23, 12, 0, after + hour);
  draft.published_at = 0;  // never published
  unit.offers.push_back(draft);

  using status = domain::reservation_status;
  unit.reservations = {
      reservation_of(30, 20, 2, status::collected, inside, inside + hour),
      reservation_of(31, 20, 1, status::cancelled, inside, inside + 10),
      reservation_of(32, 21, 3, status::no_show, before, start + hour),
      reservation_of(33, 21, 4, status::active, inside, inside),
      // Made before the period and picked up in it: counted as picked up, not as reserved.
      reservation_of(34, 21, 5, status::collected, before, inside),
      // Before and after the period: not counted.
      reservation_of(35, 22, 6, status::collected, before - hour, before),
      reservation_of(36, 20, 7, status::cancelled, after, after),
  };
  std::vector<persistence::unit_of_work*> units{&unit};
  persistence::write_batch(*connection, units, {});

  const auto figures = persistence::read_period_figures(*connection, span);
  CHECK(figures.deals_posted == 1);
  CHECK(figures.businesses_active == 2);
  CHECK(figures.items_reserved == 2 + 1 + 4);
  CHECK(figures.items_cancelled == 1);
  CHECK(figures.items_collected == 2 + 5);
  CHECK(figures.items_missed == 3);
  CHECK(figures.money_saved == (2 + 5) * 1500);
  CHECK(figures.new_users == 1);

  // Nothing happened in a period long before.
  const auto empty = persistence::read_period_figures(*connection, {1000, 2000});
  CHECK(empty.deals_posted == 0);
  CHECK(empty.items_reserved == 0);
  CHECK(empty.money_saved == 0);
  CHECK(empty.new_users == 0);
}

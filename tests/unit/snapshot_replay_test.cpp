// Folding the log's after-images the way the database's version guard does.

#include <catch2/catch.hpp>

#include "persistence/replay.hpp"

using namespace lastcall;

namespace {

domain::offer offer(int64_t id, int64_t version, int32_t reserved) {
  domain::offer o;
  o.id = id;
  o.business_id = 1;
  o.version = version;
  o.quantity_reserved = reserved;
  return o;
}

persistence::entity_images offers(std::vector<domain::offer> rows) {
  persistence::entity_images images;
  images.offers = std::move(rows);
  return images;
}

}  // namespace

TEST_CASE("a later image replaces an earlier one only with a higher version",
          "[unit][snapshot][replay]") {
  persistence::image_fold fold;
  fold.add(offers({offer(2, 5, 1), offer(1, 1, 0)}));
  fold.add(offers({offer(2, 6, 2)}));
  fold.add(offers({offer(2, 4, 9)}));  // an older write that arrived late: the guard ignores it
  fold.add(offers({offer(1, 1, 7)}));  // the same version again: the first one stays

  const auto result = fold.result();
  REQUIRE(result.offers.size() == 2);
  CHECK(fold.size() == 2);
  CHECK(result.offers[0].id == 1);  // id order
  CHECK(result.offers[0].quantity_reserved == 0);
  CHECK(result.offers[1].id == 2);
  CHECK(result.offers[1].version == 6);
  CHECK(result.offers[1].quantity_reserved == 2);
}

TEST_CASE("every kind of entity is folded on its own", "[unit][snapshot][replay]") {
  persistence::entity_images images;
  domain::user_record u;
  u.id = 7;
  u.version = 2;
  images.users = {u};
  domain::business b;
  b.id = 7;
  b.version = 1;
  images.businesses = {b};
  domain::reservation r;
  r.id = 7;
  r.offer_id = 7;
  r.quantity = 1;
  r.version = 3;
  images.reservations = {r};
  images.offers = {offer(7, 1, 0)};

  persistence::image_fold fold;
  fold.add(images);
  u.version = 3;
  u.session = {{"flow", "register"}};
  persistence::entity_images newer;
  newer.users = {u};
  fold.add(newer);

  const auto result = fold.result();
  CHECK(result.size() == 4);
  REQUIRE(result.users.size() == 1);
  CHECK(result.users[0].session["flow"] == "register");
}

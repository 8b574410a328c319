#include <catch2/catch.hpp>

#include <algorithm>
#include <vector>

#include "domain/geo.hpp"
#include "domain/ranking.hpp"

using namespace lastcall::domain;

namespace {

constexpr int64_t now = 1'800'000'000;
const geo_point centre{41.3111, 69.2797};

// A point about `km` kilometres north of the centre.
geo_point north(double km) {
  return {centre.latitude + km / 111.195, centre.longitude};
}

offer_listing listing(int64_t id, int discount_percent = 50, int64_t hours_left = 3,
                      double km = 1) {
  offer_listing l;
  l.offer_id = id;
  l.business_id = id * 10;
  l.title = "Offer " + std::to_string(id);
  l.business_name = "Business";
  l.original_price = 10000;
  l.deal_price = 10000 - 100 * discount_percent;
  l.left = 3;
  l.pickup_start = now - 3600;
  l.pickup_end = now + hours_left * 3600;
  l.where = north(km);
  l.state = offer_state::active;
  return l;
}

std::vector<int64_t> ids(const std::vector<ranked_offer>& ranked) {
  std::vector<int64_t> out;
  for (const auto& r : ranked) out.push_back(r.listing.offer_id);
  return out;
}

}  // namespace

TEST_CASE("only offers that can be reserved now are listed", "[unit][ranking]") {
  std::vector<offer_listing> all;
  all.push_back(listing(1));
  for (auto state : {offer_state::draft, offer_state::paused, offer_state::sold_out,
                     offer_state::expired, offer_state::ended}) {
    all.push_back(listing(static_cast<int64_t>(all.size()) + 1));
    all.back().state = state;
  }
  auto no_stock = listing(10);
  no_stock.left = 0;
  all.push_back(no_stock);
  auto over = listing(11);
  over.pickup_end = now;
  all.push_back(over);
  auto almost_over = listing(12);
  almost_over.pickup_end = now + 1;
  all.push_back(almost_over);

  const auto ranked = rank(all, now, std::nullopt, std::nullopt);
  auto listed = ids(ranked);
  std::sort(listed.begin(), listed.end());
  CHECK(listed == std::vector<int64_t>{1, 12});
}

TEST_CASE("a bigger discount ranks higher when windows are alike", "[unit][ranking]") {
  const auto ranked =
      rank({listing(1, 20), listing(2, 70), listing(3, 45)}, now, std::nullopt, std::nullopt);
  CHECK(ids(ranked) == std::vector<int64_t>{2, 3, 1});
  for (const auto& r : ranked) {
    CHECK_FALSE(r.distance_m);
    CHECK(r.score > 0);
    CHECK(r.score <= 1);
  }
}

TEST_CASE("an offer ending sooner ranks higher when discounts are alike", "[unit][ranking]") {
  const auto ranked = rank({listing(1, 50, 8), listing(2, 50, 1), listing(3, 50, 4)}, now,
                           std::nullopt, std::nullopt);
  CHECK(ids(ranked) == std::vector<int64_t>{2, 3, 1});
}

TEST_CASE("a known distance nudges the browse order", "[unit][ranking]") {
  const std::vector<offer_listing> all{listing(1, 50, 3, 9), listing(2, 50, 3, 0.5)};
  const auto ranked = rank(all, now, centre, std::nullopt);
  CHECK(ids(ranked) == std::vector<int64_t>{2, 1});
  REQUIRE(ranked[0].distance_m);
  CHECK(*ranked[0].distance_m == Approx(500).margin(5));
  // ...but does not outweigh a much better deal in browse mode.
  const auto mixed =
      rank({listing(1, 80, 1, 6), listing(2, 10, 8, 0.2)}, now, centre, std::nullopt);
  CHECK(ids(mixed) == std::vector<int64_t>{1, 2});
}

TEST_CASE("nearby keeps offers within the radius, nearest first", "[unit][ranking]") {
  const std::vector<offer_listing> all{listing(1, 90, 1, 4.0), listing(2, 10, 8, 0.3),
                                       listing(3, 50, 3, 2.0), listing(4, 90, 1, 6.0)};
  const auto ranked = rank(all, now, centre, 5000.0);
  CHECK(ids(ranked) == std::vector<int64_t>{2, 3, 1});
  for (const auto& r : ranked) {
    REQUIRE(r.distance_m);
    CHECK(*r.distance_m <= 5000);
  }
  CHECK(rank(all, now, centre, 100.0).empty());
}

TEST_CASE("a radius without a location lists like browse", "[unit][ranking]") {
  const auto ranked =
      rank({listing(1, 20, 3, 50), listing(2, 70, 3, 80)}, now, std::nullopt, 1000.0);
  CHECK(ids(ranked) == std::vector<int64_t>{2, 1});
}

TEST_CASE("equal offers keep a stable order by id", "[unit][ranking]") {
  const auto ranked = rank({listing(5), listing(3), listing(4)}, now, std::nullopt, std::nullopt);
  CHECK(ids(ranked) == std::vector<int64_t>{3, 4, 5});
  const auto near = rank({listing(9, 50, 3, 1), listing(2, 50, 3, 1)}, now, centre, 5000.0);
  CHECK(ids(near) == std::vector<int64_t>{2, 9});
}

TEST_CASE("pages cut the list and clamp out-of-range indexes", "[unit][ranking]") {
  std::vector<offer_listing> all;
  for (int64_t id = 1; id <= 12; ++id) all.push_back(listing(id));
  const auto ranked = rank(all, now, std::nullopt, std::nullopt);

  auto first = page(ranked, 0, 5);
  CHECK(first.index == 0);
  CHECK(first.page_count == 3);
  CHECK(first.items.size() == 5);
  CHECK(first.items[0].listing.offer_id == ranked[0].listing.offer_id);
  CHECK_FALSE(first.has_previous);
  CHECK(first.has_next);

  auto middle = page(ranked, 1, 5);
  CHECK(middle.items.front().listing.offer_id == ranked[5].listing.offer_id);
  CHECK(middle.has_previous);
  CHECK(middle.has_next);

  auto last = page(ranked, 2, 5);
  CHECK(last.items.size() == 2);
  CHECK(last.has_previous);
  CHECK_FALSE(last.has_next);

  auto beyond = page(ranked, 7, 5);
  CHECK(beyond.index == 2);
  CHECK(beyond.items.size() == 2);
  auto before = page(ranked, -3, 5);
  CHECK(before.index == 0);
  CHECK(before.items.size() == 5);

  auto exact = page(std::vector<ranked_offer>(ranked.begin(), ranked.begin() + 10), 1, 5);
  CHECK(exact.page_count == 2);
  CHECK_FALSE(exact.has_next);

  auto tiny = page(ranked, 0, 0);
  CHECK(tiny.items.size() == 1);
  CHECK(tiny.page_count == 12);
}

TEST_CASE("an empty list has no pages", "[unit][ranking]") {
  auto p = page({}, 3, 5);
  CHECK(p.items.empty());
  CHECK(p.page_count == 0);
  CHECK(p.index == 0);
  CHECK_FALSE(p.has_previous);
  CHECK_FALSE(p.has_next);
}

// The demo market: what `lastcall demo-seed` writes must let a person browse, reserve and cancel
// at once, near the places the chat page offers, in the configured currency and time zone.

#include <set>

#include <catch2/catch.hpp>

#include "domain/demo_data.hpp"
#include "domain/geo.hpp"

using namespace lastcall::domain;

namespace {

constexpr geo_point tashkent{41.3111, 69.2797};
constexpr int64_t now = 1'767'000'000;  // any instant; windows are judged relative to it

demo_settings settings_at(int utc_offset_minutes, const std::string& currency = "UZS") {
  demo_settings s;
  s.owner_id = 700;
  s.approved_by = 1000;
  s.city = tashkent;
  s.now = now;
  s.utc_offset_minutes = utc_offset_minutes;
  s.currency = currency;
  return s;
}

}  // namespace

TEST_CASE("demo places lie around the city, the first at its centre", "[unit][demo]") {
  const auto places = demo_places(tashkent);
  REQUIRE(places.size() >= 3);
  CHECK(places[0].where.latitude == tashkent.latitude);
  CHECK(places[0].where.longitude == tashkent.longitude);
  std::set<std::string> names;
  for (const auto& place : places) {
    names.insert(place.name);
    CHECK(distance_meters(tashkent, place.where) < 3000);
  }
  CHECK(names.size() == places.size());
  // The places are apart, so sharing each one shows different distances.
  CHECK(distance_meters(places[1].where, places[2].where) > 500);
}

TEST_CASE("the demo business is verified, owned by the business persona, at the first place",
          "[unit][demo]") {
  const auto market = make_demo_market(settings_at(300));
  const auto& shop = market.shop;
  CHECK(shop.id == 1);
  CHECK(shop.owner_id == 700);
  CHECK(shop.status == business_status::verified);
  CHECK(shop.decided_by == 1000);
  CHECK(shop.version == 1);
  CHECK(!shop.name.empty());
  CHECK(!shop.address.empty());
  CHECK(!shop.phone.empty());
  const auto first_place = demo_places(tashkent)[0].where;
  CHECK(shop.latitude == first_place.latitude);
  CHECK(shop.longitude == first_place.longitude);
}

TEST_CASE("demo deals are active, reservable and near every demo place", "[unit][demo]") {
  const auto market = make_demo_market(settings_at(300));
  REQUIRE(market.offers.size() >= 3);
  std::set<int64_t> ids;
  std::set<std::string> titles;
  for (const auto& o : market.offers) {
    ids.insert(o.id);
    titles.insert(o.title);
    CHECK(o.business_id == market.shop.id);
    CHECK(o.state == offer_state::active);
    CHECK(o.quantity_total > 0);
    CHECK(o.quantity_left() == o.quantity_total);
    CHECK(o.deal_price > 0);
    CHECK(o.deal_price < o.original_price);
    CHECK(o.currency == "UZS");
    CHECK(o.version == 1);
    CHECK(o.published_at != 0);
    CHECK(o.published_at <= now);
  }
  CHECK(ids == std::set<int64_t>{1, 2, 3, 4});
  CHECK(titles.size() == market.offers.size());

  // Within the default 5 km "nearby" radius of every place the page offers.
  for (const auto& place : demo_places(tashkent)) {
    CHECK(distance_meters(place.where, {market.shop.latitude, market.shop.longitude}) < 5000);
  }
}

TEST_CASE("demo pickup windows are opening hours in the market's time zone, an hour or more ahead",
          "[unit][demo]") {
  // Every quarter of an hour of a day, in time zones east and west and off the whole hour.
  for (const int offset : {300, 330, -210, 0}) {
    for (int64_t at = now; at < now + 86400; at += 900) {
      CAPTURE(offset, at);
      auto s = settings_at(offset);
      s.now = at;
      for (const auto& o : make_demo_market(s).offers) {
        // Far enough ahead that the 30-minute cancel cut-off has not begun, and within a day.
        CHECK(o.pickup_start >= at + 3600);
        CHECK(o.pickup_start < at + 3600 + 86400);
        CHECK(o.pickup_end > o.pickup_start);
        // On the hour of the businesses' clock (for +05:30 that is half past in UTC), between
        // 14:00 and 22:00 there: at 22:05 the deals are tomorrow afternoon's, not "00:00-04:00".
        const int64_t local_start = o.pickup_start + int64_t{offset} * 60;
        const int64_t local_end = o.pickup_end + int64_t{offset} * 60;
        CHECK(local_start % 3600 == 0);
        const int64_t start_of_day = ((local_start % 86400) + 86400) % 86400;
        CHECK(start_of_day >= 14 * 3600);
        CHECK(start_of_day + (local_end - local_start) <= 22 * 3600);
      }
    }
  }
}

TEST_CASE("demo prices follow the configured currency", "[unit][demo]") {
  const auto som = make_demo_market(settings_at(300, "UZS"));
  const auto euro = make_demo_market(settings_at(60, "EUR"));
  REQUIRE(som.offers.size() == euro.offers.size());
  for (size_t i = 0; i < som.offers.size(); ++i) {
    CHECK(euro.offers[i].currency == "EUR");
    // Thousands of som are a few euros: the same deal at a plausible scale.
    CHECK(som.offers[i].deal_price >= 1'000'000);  // 10 000 som and more
    CHECK(euro.offers[i].deal_price > 0);
    CHECK(euro.offers[i].deal_price < 10'000);  // below 100.00
    CHECK(euro.offers[i].deal_price < euro.offers[i].original_price);
  }
}

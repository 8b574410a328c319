#include "domain/demo_data.hpp"

#include <cmath>

namespace lastcall::domain {

namespace {

constexpr double pi = 3.14159265358979323846;
constexpr double meters_per_degree_latitude = 111'195.0;

geo_point moved(geo_point from, double north_meters, double east_meters) {
  const double meters_per_degree_longitude =
      meters_per_degree_latitude * std::cos(from.latitude * pi / 180.0);
  return {from.latitude + north_meters / meters_per_degree_latitude,
          from.longitude + east_meters / meters_per_degree_longitude};
}

// Prices are chosen in Uzbek som; other currencies get the same deal at a plausible scale
// (50 000 som → 10.00) rather than absurd figures.
int64_t demo_price(int64_t som, const std::string& currency) {
  return currency == "UZS" ? som * 100 : som / 50;
}

struct deal_spec {
  const char* title;
  const char* description;
  int64_t original_som;
  int64_t deal_som;
  int32_t quantity;
  int start_hour;  // local time of day: when a bakery really hands out what is left
  int end_hour;
};

// Afternoon and evening windows inside the bakery's opening hours, as surplus food is collected.
constexpr deal_spec deals[] = {
    {"Croissant box", "Six butter croissants baked this morning.", 60'000, 25'000, 8, 17, 20},
    {"Bread basket", "Two loaves and a bag of rolls.", 40'000, 15'000, 6, 18, 21},
    {"Salad bowls", "Fresh salads from the lunch counter.", 35'000, 14'000, 5, 14, 16},
    {"Surprise bag", "A mix of what is left at closing time.", 80'000, 30'000, 4, 20, 22},
};

// The first time the local clock shows `hour`:00 at or after `at`, in Unix seconds.
int64_t next_local_time_of_day(int64_t at, int hour, int utc_offset_minutes) {
  const int64_t offset = int64_t{utc_offset_minutes} * 60;
  const int64_t local = at + offset;
  const int64_t midnight = local - ((local % 86400) + 86400) % 86400;
  int64_t start = midnight + int64_t{hour} * 3600;
  if (start < local) start += 86400;
  return start - offset;
}

}  // namespace

std::vector<demo_place> demo_places(geo_point city) {
  return {{"City centre", city},
          {"Central market (800 m north)", moved(city, 800, 0)},
          {"Railway station (1.6 km east)", moved(city, 0, 1600)},
          {"City park (2.5 km south-west)", moved(city, -1770, -1770)}};
}

demo_market make_demo_market(const demo_settings& settings) {
  demo_market market;
  auto& shop = market.shop;
  shop.id = 1;
  shop.owner_id = settings.owner_id;
  shop.name = "Sunrise Bakery";
  shop.address = "Market Street 1, next to the city centre";
  shop.latitude = settings.city.latitude;
  shop.longitude = settings.city.longitude;
  shop.phone = "+998901234567";
  shop.status = business_status::verified;
  shop.decided_by = settings.approved_by;
  shop.version = 1;
  shop.created_at = settings.now - 7 * 86400;

  // An hour ahead at least, so a customer can reserve and still cancel at once.
  const int64_t earliest_start = settings.now + 3600;
  int64_t next_id = 1;
  for (const auto& deal : deals) {
    offer o;
    o.id = next_id++;
    o.business_id = shop.id;
    o.title = deal.title;
    o.description = deal.description;
    o.original_price = demo_price(deal.original_som, settings.currency);
    o.deal_price = demo_price(deal.deal_som, settings.currency);
    o.currency = settings.currency;
    o.quantity_total = deal.quantity;
    o.pickup_start =
        next_local_time_of_day(earliest_start, deal.start_hour, settings.utc_offset_minutes);
    o.pickup_end = o.pickup_start + int64_t{deal.end_hour - deal.start_hour} * 3600;
    o.state = offer_state::active;
    o.version = 1;
    o.created_at = settings.now - 3600;
    o.published_at = settings.now - 1800;
    market.offers.push_back(o);
  }
  return market;
}

}  // namespace lastcall::domain

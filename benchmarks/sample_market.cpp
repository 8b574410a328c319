#include "benchmarks/sample_market.hpp"

#include <string>

#include "domain/pickup_code.hpp"

namespace lastcall::benchmarks {

namespace {

// A file id of Telegram's length and alphabet, distinct per `id`.
std::string file_id(const char* kind, int64_t id) {
  std::string text = "AgACAgIAAxkBAAIB" + std::string(kind) + std::to_string(id);
  const char* filler = "Zx9-QkLmNoP4rStUvWxYz_aBcDeFgHiJ";
  while (text.size() < 82) text += filler[text.size() % 32];
  return text;
}

}  // namespace

int64_t sample_owner_id(int64_t business_id) {
  return 5'000'000'000 + business_id;
}

domain::business sample_business(int64_t id, int64_t now) {
  domain::business b;
  b.id = id;
  b.owner_id = sample_owner_id(id);
  b.name = "Bakery Nord " + std::to_string(id);
  b.address = "Amir Temur street " + std::to_string(id % 200 + 1) + ", Yunusabad, Tashkent";
  b.latitude = 41.2 + static_cast<double>(id % 1000) / 5000.0;
  b.longitude = 69.2 + static_cast<double>(id % 997) / 5000.0;
  b.phone = "+998901234567";
  b.photo_file_id = file_id("b", id);
  b.status = domain::business_status::verified;
  b.decided_by = 1;
  b.version = 2;
  b.created_at = now - 86400;
  return b;
}

domain::offer sample_offer(int64_t id, int64_t business_id, int64_t now, int32_t quantity) {
  domain::offer o;
  o.id = id;
  o.business_id = business_id;
  o.title = "Surprise bag of pastries #" + std::to_string(id);
  o.description =
      "Croissants, buns and a loaf of today's bread; bring your own bag. Halal, contains "
      "gluten and milk.";
  o.photo_file_id = file_id("o", id);
  o.original_price = 5'000'000;
  o.deal_price = 2'000'000;
  o.currency = "UZS";
  o.quantity_total = quantity;
  o.pickup_start = now + 2 * 3600;
  o.pickup_end = now + 4 * 3600;
  o.state = domain::offer_state::active;
  o.version = 1;
  o.created_at = now - 3600;
  o.published_at = now - 1800;
  return o;
}

domain::reservation sample_reservation(int64_t id, const domain::offer& offer, int64_t customer_id,
                                       domain::reservation_status status, int64_t now) {
  domain::reservation r;
  r.id = id;
  r.offer_id = offer.id;
  r.customer_id = customer_id;
  r.quantity = 1;
  r.code = domain::make_pickup_code(id, static_cast<uint32_t>(id * 2654435761u));
  r.status = status;
  r.deal_price = offer.deal_price;
  r.idempotency_key = "u:" + std::to_string(100'000'000 + id);
  r.version = status == domain::reservation_status::active ? 1 : 2;
  r.created_at = now - 600;
  r.updated_at = now - 300;
  return r;
}

}  // namespace lastcall::benchmarks

#pragma once
// Entities for the persistence tests: every field set to something other than its default, and text
// that breaks naive quoting.

#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "domain/entities.hpp"
#include "persistence/unit_of_work.hpp"

namespace lastcall::tests {

// Quotes, backslashes, SQL, dollar quoting, a format string, emoji and three scripts; no NUL.
inline const std::string awkward_text =
    "O'Reilly's \"best\" \\ back\\\\slash \\' '' ; DROP TABLE offers; -- $$ $1 %s {} \t tab\nline "
    "ёжик 🍰🥐 日本語 ع";

inline domain::user_record sample_user(int64_t id) {
  domain::user_record u;
  u.id = id;
  u.lang = domain::language::uz;
  u.language_chosen = true;
  u.blocked_bot = true;
  u.session = {{"screen", "draft"}, {"draft", {{"title", awkward_text}, {"price", 15000}}}};
  u.version = 3;
  u.created_at = 1700000000 + id;
  return u;
}

inline domain::business sample_business(int64_t id, int64_t owner_id = 500) {
  domain::business b;
  b.id = id;
  b.owner_id = owner_id;
  b.name = "Bakery " + awkward_text;
  b.address = "Amir Temur ko'chasi 1, \"Tashkent\"";
  b.latitude = 41.311081234567891;
  b.longitude = -69.27970012345;
  b.phone = "+998 90 123-45-67";
  b.photo_file_id = "AgACAgIAAxkBAAIB";
  b.status = domain::business_status::rejected;
  b.reject_reason = "no photo \\ or 'address'";
  b.decided_by = 9001;
  b.version = 4;
  b.created_at = 1700000100;
  return b;
}

inline domain::offer sample_offer(int64_t id, int64_t business_id,
                                  domain::offer_state state = domain::offer_state::active) {
  domain::offer o;
  o.id = id;
  o.business_id = business_id;
  o.title = "Croissants " + awkward_text;
  o.description = "Fresh today\nline two 'quoted' \\n not a newline";
  o.photo_file_id = "AgACAgIAAxkBAAIC";
  o.original_price = 2500000;
  o.deal_price = 1200000;
  o.currency = "UZS";
  o.quantity_total = 12;
  o.quantity_reserved = 3;
  o.quantity_collected = 2;
  o.pickup_start = 1700003600;
  o.pickup_end = 1700010800;
  o.state = state;
  o.version = 7;
  o.created_at = 1700000200 + id;
  o.published_at = 1700000300;
  return o;
}

inline domain::reservation sample_reservation(int64_t id, int64_t offer_id, int64_t customer_id) {
  domain::reservation r;
  r.id = id;
  r.offer_id = offer_id;
  r.customer_id = customer_id;
  r.quantity = 2;
  r.code = "C" + std::to_string(id);
  r.status = domain::reservation_status::no_show;
  r.deal_price = 1200000;
  r.idempotency_key = "u:" + std::to_string(1000 + id);
  r.version = 5;
  r.created_at = 1700000400 + id;
  r.updated_at = 1700000500 + id;
  return r;
}

inline void require_same(const domain::user_record& a, const domain::user_record& b) {
  REQUIRE(a.id == b.id);
  REQUIRE(a.lang == b.lang);
  REQUIRE(a.language_chosen == b.language_chosen);
  REQUIRE(a.blocked_bot == b.blocked_bot);
  REQUIRE(a.session == b.session);
  REQUIRE(a.version == b.version);
  REQUIRE(a.created_at == b.created_at);
}

inline void require_same(const domain::business& a, const domain::business& b) {
  REQUIRE(a.id == b.id);
  REQUIRE(a.owner_id == b.owner_id);
  REQUIRE(a.name == b.name);
  REQUIRE(a.address == b.address);
  REQUIRE(a.latitude == b.latitude);
  REQUIRE(a.longitude == b.longitude);
  REQUIRE(a.phone == b.phone);
  REQUIRE(a.photo_file_id == b.photo_file_id);
  REQUIRE(a.status == b.status);
  REQUIRE(a.reject_reason == b.reject_reason);
  REQUIRE(a.decided_by == b.decided_by);
  REQUIRE(a.version == b.version);
  REQUIRE(a.created_at == b.created_at);
}

inline void require_same(const domain::offer& a, const domain::offer& b) {
  REQUIRE(a.id == b.id);
  REQUIRE(a.business_id == b.business_id);
  REQUIRE(a.title == b.title);
  REQUIRE(a.description == b.description);
  REQUIRE(a.photo_file_id == b.photo_file_id);
  REQUIRE(a.original_price == b.original_price);
  REQUIRE(a.deal_price == b.deal_price);
  REQUIRE(a.currency == b.currency);
  REQUIRE(a.quantity_total == b.quantity_total);
  REQUIRE(a.quantity_reserved == b.quantity_reserved);
  REQUIRE(a.quantity_collected == b.quantity_collected);
  REQUIRE(a.pickup_start == b.pickup_start);
  REQUIRE(a.pickup_end == b.pickup_end);
  REQUIRE(a.state == b.state);
  REQUIRE(a.version == b.version);
  REQUIRE(a.created_at == b.created_at);
  REQUIRE(a.published_at == b.published_at);
}

inline void require_same(const domain::reservation& a, const domain::reservation& b) {
  REQUIRE(a.id == b.id);
  REQUIRE(a.offer_id == b.offer_id);
  REQUIRE(a.customer_id == b.customer_id);
  REQUIRE(a.quantity == b.quantity);
  REQUIRE(a.code == b.code);
  REQUIRE(a.status == b.status);
  REQUIRE(a.deal_price == b.deal_price);
  REQUIRE(a.idempotency_key == b.idempotency_key);
  REQUIRE(a.version == b.version);
  REQUIRE(a.created_at == b.created_at);
  REQUIRE(a.updated_at == b.updated_at);
}

}  // namespace lastcall::tests

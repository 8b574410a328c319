#pragma once
// Entities for the persistence and snapshot tests: every field set to something other than its
// default, and text that breaks naive quoting.

#include <cstdint>
#include <string>

#include <catch2/catch.hpp>

#include "domain/entities.hpp"
#include "persistence/entity_fields.hpp"
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

// Every field of the entity's table the same in both, named when one differs: a member added to
// an entity (and so to its table) is compared without a change here.
template <class Entity>
void require_same(const Entity& a, const Entity& b) {
  persistence::for_each_member_field<Entity>([&](const auto& field) {
    INFO("field " << field.name);
    REQUIRE(a.*field.member == b.*field.member);
  });
}

}  // namespace lastcall::tests

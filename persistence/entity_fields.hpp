#pragma once
// One table of fields per entity: its columns in the schema's order, the member each one holds
// and how it is stored. The writer, the loader, the snapshot code and the recovery benchmark are
// all driven by these tables, so a new column is one line here (and one in a migration);
// tests/integration/persistence_entity_fields_test.cpp checks every table against the migrated
// schema, and member_count below makes a member without a field fail to compile.
//
// The tables are constexpr tuples of member pointers: a consumer's fold over one is unrolled at
// compile time, with no per-row lookups, so the loader and the writer cost what the hand-written
// versions cost.

#include <cstddef>
#include <tuple>
#include <type_traits>
#include <utility>

#include "domain/entities.hpp"

namespace lastcall::persistence {

// How a field is stored. Each consumer has one overload per kind; a kind derived from another is
// stored like its base wherever a consumer has no overload of its own.
namespace stored_as {
struct whole_number {};                 // any integer
struct non_negative : whole_number {};  // ids and amounts the database keeps >= 0
struct positive : whole_number {};      // e.g. a reservation's quantity
struct id : whole_number {};            // a key or a reference to one: > 0
struct optional_id : non_negative {};   // 0 is none: NULL in the database
struct text {};
struct real {};  // NaN and infinities are kept
struct boolean {};
struct json {};                  // null is NULL in the database
struct time {};                  // Unix seconds; a timestamptz in the database
struct optional_time : time {};  // 0 is none: NULL in the database
template <class Enum>
struct name {        // an enumeration by its domain::to_string name
  const char* what;  // for error messages, e.g. "offer state"
};
}  // namespace stored_as

// A column that holds a member of the entity.
template <class Entity, class Value, class Kind>
struct member_field {
  const char* name;
  Value Entity::*member;
  Kind kind;
};

// A column the writer stamps with the time of the write and nothing reads back (updated_at where
// the entity has no such member): it is in the table so that the table is the whole schema.
struct write_time_field {
  const char* name;
};

template <class Entity, class Value, class Kind>
constexpr member_field<Entity, Value, Kind> field(const char* name, Value Entity::*member,
                                                  Kind kind) {
  return {name, member, kind};
}

template <class Entity>
struct entity_table;  // name: the table's (and the snapshot's list's) name; fields: the columns

template <>
struct entity_table<domain::user_record> {
  using u = domain::user_record;
  static constexpr const char* name = "users";
  static constexpr auto fields = std::make_tuple(
      field("id", &u::id, stored_as::id{}),
      field("language", &u::lang, stored_as::name<domain::language>{"language"}),
      field("language_chosen", &u::language_chosen, stored_as::boolean{}),
      field("blocked_bot", &u::blocked_bot, stored_as::boolean{}),
      field("session", &u::session, stored_as::json{}),
      field("version", &u::version, stored_as::whole_number{}),
      field("created_at", &u::created_at, stored_as::time{}), write_time_field{"updated_at"});
};

template <>
struct entity_table<domain::business> {
  using b = domain::business;
  static constexpr const char* name = "businesses";
  static constexpr auto fields = std::make_tuple(
      field("id", &b::id, stored_as::id{}),
      field("owner_id", &b::owner_id, stored_as::whole_number{}),
      field("name", &b::name, stored_as::text{}), field("address", &b::address, stored_as::text{}),
      field("latitude", &b::latitude, stored_as::real{}),
      field("longitude", &b::longitude, stored_as::real{}),
      field("phone", &b::phone, stored_as::text{}),
      field("photo_file_id", &b::photo_file_id, stored_as::text{}),
      field("status", &b::status, stored_as::name<domain::business_status>{"business status"}),
      field("reject_reason", &b::reject_reason, stored_as::text{}),
      field("decided_by", &b::decided_by, stored_as::optional_id{}),
      field("version", &b::version, stored_as::whole_number{}),
      field("created_at", &b::created_at, stored_as::time{}), write_time_field{"updated_at"});
};

template <>
struct entity_table<domain::offer> {
  using o = domain::offer;
  static constexpr const char* name = "offers";
  static constexpr auto fields = std::make_tuple(
      field("id", &o::id, stored_as::id{}), field("business_id", &o::business_id, stored_as::id{}),
      field("title", &o::title, stored_as::text{}),
      field("description", &o::description, stored_as::text{}),
      field("photo_file_id", &o::photo_file_id, stored_as::text{}),
      field("original_price", &o::original_price, stored_as::non_negative{}),
      field("deal_price", &o::deal_price, stored_as::non_negative{}),
      field("currency", &o::currency, stored_as::text{}),
      field("quantity_total", &o::quantity_total, stored_as::non_negative{}),
      field("quantity_reserved", &o::quantity_reserved, stored_as::non_negative{}),
      field("quantity_collected", &o::quantity_collected, stored_as::non_negative{}),
      field("pickup_start", &o::pickup_start, stored_as::time{}),
      field("pickup_end", &o::pickup_end, stored_as::time{}),
      field("state", &o::state, stored_as::name<domain::offer_state>{"offer state"}),
      field("version", &o::version, stored_as::whole_number{}),
      field("created_at", &o::created_at, stored_as::time{}),
      field("published_at", &o::published_at, stored_as::optional_time{}),
      write_time_field{"updated_at"});
};

template <>
struct entity_table<domain::reservation> {
  using r = domain::reservation;
  static constexpr const char* name = "reservations";
  static constexpr auto fields = std::make_tuple(
      field("id", &r::id, stored_as::id{}), field("offer_id", &r::offer_id, stored_as::id{}),
      field("customer_id", &r::customer_id, stored_as::whole_number{}),
      field("quantity", &r::quantity, stored_as::positive{}),
      field("code", &r::code, stored_as::text{}),
      field("status", &r::status,
            stored_as::name<domain::reservation_status>{"reservation status"}),
      field("deal_price", &r::deal_price, stored_as::non_negative{}),
      field("idempotency_key", &r::idempotency_key, stored_as::text{}),
      field("version", &r::version, stored_as::whole_number{}),
      field("created_at", &r::created_at, stored_as::time{}),
      field("updated_at", &r::updated_at, stored_as::time{}));
};

// Calls visit(field) for every field of the entity's table, in column order.
template <class Entity, class Visit>
constexpr void for_each_field(Visit&& visit) {
  std::apply([&](const auto&... fields) { (visit(fields), ...); }, entity_table<Entity>::fields);
}

// Calls visit(field) for every field that holds a member, in column order.
template <class Entity, class Visit>
constexpr void for_each_member_field(Visit&& visit) {
  for_each_field<Entity>([&](const auto& field) {
    if constexpr (!std::is_same_v<std::decay_t<decltype(field)>, write_time_field>) visit(field);
  });
}

// Whether two entities hold the same value in every field of the table.
template <class Entity>
bool same_fields(const Entity& a, const Entity& b) {
  bool same = true;
  for_each_member_field<Entity>(
      [&](const auto& field) { same = same && a.*field.member == b.*field.member; });
  return same;
}

namespace detail {

// The number of members of an aggregate: the most initialisers a brace initialisation takes.
struct any_value {
  template <class T>
  constexpr operator T() const;  // never defined: only ever in unevaluated contexts
};

template <class T, class Void, class... Values>
struct brace_constructible : std::false_type {};
template <class T, class... Values>
struct brace_constructible<T, std::void_t<decltype(T{std::declval<Values>()...})>, Values...>
    : std::true_type {};

template <class T, size_t... I>
constexpr bool brace_constructible_from(std::index_sequence<I...>) {
  return brace_constructible<T, void, decltype((void)I, any_value{})...>::value;
}

template <class T, size_t N = 0>
constexpr size_t member_count() {
  if constexpr (brace_constructible_from<T>(std::make_index_sequence<N + 1>{}))
    return member_count<T, N + 1>();
  else
    return N;
}

template <class Entity>
constexpr size_t member_field_count() {
  size_t count = 0;
  for_each_member_field<Entity>([&](const auto&) { ++count; });
  return count;
}

}  // namespace detail

// A member added to an entity but not to its table would be neither stored nor restored.
static_assert(detail::member_count<domain::user_record>() ==
              detail::member_field_count<domain::user_record>());
static_assert(detail::member_count<domain::business>() ==
              detail::member_field_count<domain::business>());
static_assert(detail::member_count<domain::offer>() == detail::member_field_count<domain::offer>());
static_assert(detail::member_count<domain::reservation>() ==
              detail::member_field_count<domain::reservation>());

}  // namespace lastcall::persistence

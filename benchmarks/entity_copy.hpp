#pragma once
// Entities written through COPY, the fastest way to fill a large table, with the columns of their
// field tables (persistence/entity_fields.hpp); the columns the writer stamps with the time of the
// write take their defaults.

#include <cstdint>
#include <ctime>
#include <string>
#include <tuple>
#include <vector>

#include <pqxx/pqxx>

#include "persistence/entity_fields.hpp"

namespace lastcall::benchmarks {

// A value or NULL, as COPY takes it.
template <class T>
struct nullable {
  bool null;
  T value;
};

}  // namespace lastcall::benchmarks

namespace pqxx {
template <class T>
struct string_traits<lastcall::benchmarks::nullable<T>> {
  static constexpr const char* name() noexcept { return "nullable"; }
  static constexpr bool has_null() noexcept { return true; }
  static bool is_null(const lastcall::benchmarks::nullable<T>& v) { return v.null; }
  static lastcall::benchmarks::nullable<T> null() { return {true, T{}}; }
  static std::string to_string(const lastcall::benchmarks::nullable<T>& v) {
    return string_traits<T>::to_string(v.value);
  }
};
}  // namespace pqxx

namespace lastcall::benchmarks {

namespace copy_values {

namespace stored_as = persistence::stored_as;

inline std::string timestamp(int64_t unix_seconds) {
  std::time_t t = unix_seconds;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%d %H:%M:%S+00", &tm);
  return text;
}

// What COPY is given for a field of each kind.
template <class Value>
Value value(stored_as::whole_number, Value v) {
  return v;
}
inline nullable<int64_t> value(stored_as::optional_id, int64_t v) {
  return {v == 0, v};
}
inline const std::string& value(stored_as::text, const std::string& v) {
  return v;
}
inline double value(stored_as::real, double v) {
  return v;
}
inline bool value(stored_as::boolean, bool v) {
  return v;
}
inline nullable<std::string> value(stored_as::json, const nlohmann::json& v) {
  return {v.is_null(), v.is_null() ? std::string() : v.dump()};
}
inline std::string value(stored_as::time, int64_t unix_seconds) {
  return timestamp(unix_seconds);
}
inline nullable<std::string> value(stored_as::optional_time, int64_t unix_seconds) {
  return {unix_seconds == 0, unix_seconds == 0 ? std::string() : timestamp(unix_seconds)};
}
template <class Enum>
std::string value(stored_as::name<Enum>, Enum v) {
  return domain::to_string(v);
}

template <class Entity, class Value, class Kind>
auto field(const Entity& entity, const persistence::member_field<Entity, Value, Kind>& f) {
  return std::make_tuple(value(f.kind, entity.*f.member));
}
template <class Entity>
std::tuple<> field(const Entity&, const persistence::write_time_field&) {
  return {};
}

template <class Entity>
auto row(const Entity& entity) {
  return std::apply([&](const auto&... fields) { return std::tuple_cat(field(entity, fields)...); },
                    persistence::entity_table<Entity>::fields);
}

template <class Entity>
std::vector<std::string> columns() {
  std::vector<std::string> names;
  persistence::for_each_member_field<Entity>([&](const auto& f) { names.push_back(f.name); });
  return names;
}

}  // namespace copy_values

// COPY into the entity's table in the caller's transaction; one table at a time.
template <class Entity>
class entity_copy {
 public:
  explicit entity_copy(pqxx::transaction_base& txn)
      : stream_(txn, persistence::entity_table<Entity>::name, copy_values::columns<Entity>()) {}

  void write(const Entity& entity) { stream_ << copy_values::row(entity); }
  void complete() { stream_.complete(); }

 private:
  pqxx::stream_to stream_;
};

}  // namespace lastcall::benchmarks

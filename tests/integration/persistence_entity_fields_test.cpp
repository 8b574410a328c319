// Each entity's field table against the migrated schema: the same columns in the same order, each
// of the type and nullability its kind is stored as. A column added to a migration but not to the
// table, or the other way round, fails here.

#include <string>
#include <type_traits>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/entity_fields.hpp"
#include "tests/support/test_database.hpp"

using namespace lastcall;
namespace stored_as = persistence::stored_as;

namespace {

template <class Kind, class Base>
constexpr bool is = std::is_base_of_v<Base, Kind>;

// The column type each kind of field is stored in, as information_schema names it.
template <class Value, class Kind>
std::string type_of(Kind) {
  if constexpr (is<Kind, stored_as::whole_number>)
    return sizeof(Value) == sizeof(int32_t) ? "integer" : "bigint";
  else if constexpr (is<Kind, stored_as::real>)
    return "double precision";
  else if constexpr (is<Kind, stored_as::boolean>)
    return "boolean";
  else if constexpr (is<Kind, stored_as::json>)
    return "jsonb";
  else if constexpr (is<Kind, stored_as::time>)
    return "timestamp with time zone";
  else  // texts and enumerations by name
    return "text";
}

// Kinds whose "none" is NULL in the database.
template <class Kind>
bool nullable(Kind) {
  return is<Kind, stored_as::optional_id> || is<Kind, stored_as::optional_time> ||
         is<Kind, stored_as::json>;
}

std::string column(const std::string& name, const std::string& type, bool null) {
  return name + " " + type + (null ? " NULL" : " NOT NULL");
}

template <class Entity, class Value, class Kind>
std::string column_of(const persistence::member_field<Entity, Value, Kind>& field) {
  return column(field.name, type_of<Value>(field.kind), nullable(field.kind));
}
std::string column_of(const persistence::write_time_field& field) {
  return column(field.name, "timestamp with time zone", false);
}

template <class Entity>
std::vector<std::string> table_columns() {
  std::vector<std::string> columns;
  persistence::for_each_field<Entity>(
      [&](const auto& field) { columns.push_back(column_of(field)); });
  return columns;
}

std::vector<std::string> schema_columns(pqxx::connection& connection, const std::string& table) {
  pqxx::read_transaction txn(connection);
  std::vector<std::string> columns;
  for (const auto& row : txn.exec(
           "SELECT column_name, data_type, is_nullable = 'YES' FROM information_schema.columns "
           "WHERE table_schema = 'public' AND table_name = " +
           txn.quote(table) + " ORDER BY ordinal_position"))
    columns.push_back(column(row[0].c_str(), row[1].c_str(), row[2].as<bool>()));
  return columns;
}

template <class Entity>
void require_table_matches_schema(pqxx::connection& connection) {
  const std::string table = persistence::entity_table<Entity>::name;
  INFO("table " << table);
  CHECK(table_columns<Entity>() == schema_columns(connection, table));
}

}  // namespace

TEST_CASE("each entity's field table lists its table's columns in order, typed as stored",
          "[persistence][entity_fields]") {
  tests::test_database db;
  auto connection = db.connect();
  require_table_matches_schema<domain::user_record>(*connection);
  require_table_matches_schema<domain::business>(*connection);
  require_table_matches_schema<domain::offer>(*connection);
  require_table_matches_schema<domain::reservation>(*connection);
}

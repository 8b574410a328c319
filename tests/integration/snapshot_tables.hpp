#pragma once
// Reading a database's market back for comparisons: every row of the four entity tables as
// images, so two databases compare field by field and a difference names the row.

#include <map>
#include <string>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/database.hpp"
#include "persistence/loader.hpp"
#include "persistence/snapshot_entities.hpp"

namespace lastcall::tests {

// Table name -> (id -> row image).
using market_tables = std::map<std::string, std::map<int64_t, nlohmann::json>>;

inline market_tables read_market(pqxx::connection& connection) {
  pqxx::read_transaction txn(connection, "read_market");
  auto rows = persistence::load_all_rows(txn);
  market_tables tables;
  for (const auto& u : rows.users) tables["users"][u.id] = persistence::to_image(u);
  for (const auto& b : rows.businesses) tables["businesses"][b.id] = persistence::to_image(b);
  for (const auto& o : rows.offers) tables["offers"][o.id] = persistence::to_image(o);
  for (const auto& r : rows.reservations) tables["reservations"][r.id] = persistence::to_image(r);
  return tables;
}

inline market_tables read_market(const std::string& url) {
  auto connection = persistence::connect(url);
  return read_market(*connection);
}

inline size_t row_count(const market_tables& tables) {
  size_t n = 0;
  for (const auto& [name, rows] : tables) n += rows.size();
  return n;
}

// Every table, every row, every field the same; a failure names the first rows that differ.
inline void require_same_market(const market_tables& expected, const market_tables& actual) {
  for (const char* table : {"users", "businesses", "offers", "reservations"}) {
    const auto e = expected.count(table) ? expected.at(table) : std::map<int64_t, nlohmann::json>{};
    const auto a = actual.count(table) ? actual.at(table) : std::map<int64_t, nlohmann::json>{};
    INFO("table " << table);
    for (const auto& [id, row] : e) {
      INFO("row " << id);
      REQUIRE(a.count(id) == 1);
      CHECK(a.at(id).dump() == row.dump());
    }
    for (const auto& [id, row] : a) {
      INFO("row " << id << " only in the restored database: " << row.dump());
      CHECK(e.count(id) == 1);
    }
  }
}

}  // namespace lastcall::tests

#pragma once
// The benchmarks' checks read figures back from the database one query at a time.

#include <string>

#include <pqxx/pqxx>

#include "persistence/database.hpp"

namespace lastcall::benchmarks {

// The one row `sql` selects from the database at `url`, read on a connection of its own.
inline pqxx::row select_row(const std::string& url, const std::string& sql) {
  auto connection = persistence::connect(url);
  pqxx::read_transaction txn(*connection, "benchmark_check");
  return txn.exec1(sql);
}

}  // namespace lastcall::benchmarks

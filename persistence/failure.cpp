#include "persistence/failure.hpp"

#include <pqxx/except>

#include "persistence/market_lease.hpp"

namespace lastcall::persistence {

namespace {

bool starts_with(const std::string& text, const char* prefix) {
  return text.rfind(prefix, 0) == 0;
}

// SQLSTATE classes where the same statement succeeds once the server recovers.
bool is_transient(const std::string& sqlstate) {
  return starts_with(sqlstate, "08") ||                           // connection exception
         (starts_with(sqlstate, "57") && sqlstate != "57014") ||  // shutdown, not a cancel
         starts_with(sqlstate, "53") ||                           // disk full, out of memory
         starts_with(sqlstate, "58") ||                           // I/O error
         sqlstate == "40001" || sqlstate == "40P01" ||
         sqlstate == "55P03";  // serialisation, deadlock, lock
}

}  // namespace

failure_kind classify_failure(const std::exception& error, bool connection_open) {
  if (auto sql = dynamic_cast<const pqxx::sql_error*>(&error);
      sql && sql->sqlstate() == fenced_sqlstate)
    return failure_kind::fenced;
  if (dynamic_cast<const pqxx::in_doubt_error*>(&error)) return failure_kind::in_doubt;
  if (dynamic_cast<const pqxx::broken_connection*>(&error)) return failure_kind::unreachable;
  if (auto sql = dynamic_cast<const pqxx::sql_error*>(&error); sql && is_transient(sql->sqlstate()))
    return failure_kind::unreachable;
  if (!connection_open) return failure_kind::unreachable;
  return failure_kind::rejected;
}

std::string describe_failure(const std::exception& error) {
  std::string text = error.what();
  if (auto end = text.find('\n'); end != std::string::npos) text.resize(end);
  if (auto sql = dynamic_cast<const pqxx::sql_error*>(&error); sql && !sql->sqlstate().empty())
    text = sql->sqlstate() + ": " + text;
  return text;
}

}  // namespace lastcall::persistence

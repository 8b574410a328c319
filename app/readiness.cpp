#include "app/readiness.hpp"

#include <pqxx/pqxx>

#include "persistence/database.hpp"

namespace lastcall::app {

namespace {
constexpr auto probe_interval = std::chrono::seconds(1);
}

readiness::readiness(std::string database_url) : database_url_(std::move(database_url)) {}

readiness::~readiness() = default;

bool readiness::probe_database() {
  try {
    persistence::with_connection(connection_, database_url_, [](pqxx::connection& db) {
      pqxx::nontransaction probe(db);
      probe.exec("SELECT 1");
    });
    return true;
  } catch (const std::exception&) {
    // The persistence actor logs outages; a failed probe only says "not ready".
    return false;
  }
}

readiness::report readiness::check() {
  report r;
  r.bot_api = bot_api_;
  std::lock_guard<std::mutex> guard(mutex_);
  const auto now = std::chrono::steady_clock::now();
  if (now - last_probe_ >= probe_interval) {
    last_result_ = probe_database();
    last_probe_ = now;
  }
  r.database = last_result_;
  return r;
}

}  // namespace lastcall::app

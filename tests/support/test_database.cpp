#include "tests/support/test_database.hpp"

#include <atomic>
#include <cstdlib>
#include <random>

#include <unistd.h>
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/database.hpp"

namespace lastcall::tests {

namespace {

std::string unique_database_name() {
  static std::atomic<int> counter{0};
  std::random_device entropy;
  return "lastcall_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter++) + "_" +
         std::to_string(entropy() % 1000000);
}

}  // namespace

test_database::test_database(bool migrated, const std::string& admin_url) {
  const char* admin = admin_url.empty() ? std::getenv("PG_ADMIN_URL") : admin_url.c_str();
  if (admin == nullptr || *admin == '\0') {
    FAIL(
        "PG_ADMIN_URL is not set: these tests need a PostgreSQL server. Start one with "
        "`source scripts/lib.sh && pg_start /tmp/pg-data` (it exports PG_ADMIN_URL), or run "
        "scripts/test.");
  }
  admin_url_ = admin;
  name_ = unique_database_name();
  url_ = persistence::with_database(admin_url_, name_);
  {
    pqxx::connection admin_connection(admin_url_);
    pqxx::nontransaction txn(admin_connection);
    txn.exec0("CREATE DATABASE " + txn.quote_name(name_));
  }
  if (migrated) {
    auto connection = connect();
    persistence::migrate(*connection);
  }
}

test_database::~test_database() {
  try {
    pqxx::connection admin_connection(admin_url_);
    pqxx::nontransaction txn(admin_connection);
    // An actor may still hold a connection; end it so the database can go.
    txn.exec("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = " +
             txn.quote(name_) + " AND pid <> pg_backend_pid()");
    txn.exec0("DROP DATABASE IF EXISTS " + txn.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception& e) {
    WARN("dropping test database " << name_ << " failed: " << e.what());
  }
}

std::unique_ptr<pqxx::connection> test_database::connect() const {
  return persistence::connect(url_);
}

std::unique_ptr<pqxx::connection> test_database::connect_admin() const {
  return persistence::connect(admin_url_);
}

}  // namespace lastcall::tests

#pragma once
// A fresh PostgreSQL database for one test: created through the server named by PG_ADMIN_URL (for
// example postgresql:///postgres?host=/tmp/xyz&user=postgres, as scripts/lib.sh pg_start exports
// it), migrated, and dropped again when the test ends. Tests run in parallel, so every instance
// gets its own uniquely named database.

#include <memory>
#include <string>

#include <pqxx/connection>

namespace lastcall::tests {

class test_database {
 public:
  // Fails the running test with a clear message when PG_ADMIN_URL is not set. `admin_url`: a
  // server of the test's own instead.
  explicit test_database(bool migrated = true, const std::string& admin_url = {});
  ~test_database();
  test_database(const test_database&) = delete;
  test_database& operator=(const test_database&) = delete;

  const std::string& name() const { return name_; }
  const std::string& url() const { return url_; }
  std::unique_ptr<pqxx::connection> connect() const;
  // A connection to the server's maintenance database, for what cannot be done from this one.
  std::unique_ptr<pqxx::connection> connect_admin() const;

 private:
  std::string admin_url_;
  std::string name_;
  std::string url_;
};

}  // namespace lastcall::tests

#pragma once
// A PostgreSQL server of a test's own, for tests that stop and start the database under the bot
// (the shared server of the other tests must stay up). Unix socket only; as root, the server runs
// as the `postgres` user, which PostgreSQL requires.

#include <string>

namespace lastcall::testing {

class private_postgres {
 public:
  private_postgres();   // initdb and start; fails the test when that is impossible
  ~private_postgres();  // stops the server and removes its files
  private_postgres(const private_postgres&) = delete;
  private_postgres& operator=(const private_postgres&) = delete;

  void stop();   // fast shutdown: open connections are cut, as in a crash of the database
  void start();  // the same data, the same socket
  std::string url(const std::string& database) const;
  void create_database(const std::string& name);

 private:
  void run(const std::string& command) const;

  std::string root_;  // data/ and socket/ live here
};

}  // namespace lastcall::testing

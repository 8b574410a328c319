#include <future>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/database.hpp"
#include "persistence/migrations.hpp"
#include "tests/support/test_database.hpp"

using namespace lastcall;

namespace {

int64_t count(pqxx::connection& connection, const std::string& query) {
  pqxx::read_transaction txn(connection);
  return txn.exec1(query)[0].as<int64_t>();
}

// The message connecting to `url` fails with; the test fails if it connects.
std::string connection_failure(const std::string& url) {
  try {
    persistence::connect(url);
  } catch (const pqxx::broken_connection& e) {
    return e.what();
  }
  FAIL("connected to " << persistence::redact_database_url(url));
  return {};
}

}  // namespace

TEST_CASE("migrate creates the schema once and is idempotent", "[persistence][migrate]") {
  tests::test_database db(false);
  auto connection = db.connect();
  const auto embedded = static_cast<int>(persistence::embedded_migrations().size());
  REQUIRE(embedded >= 1);

  REQUIRE(persistence::migrate(*connection) == embedded);
  REQUIRE(persistence::migrate(*connection) == 0);
  REQUIRE(count(*connection, "SELECT count(*) FROM schema_migrations") == embedded);
  REQUIRE(count(*connection, "SELECT min(version) FROM schema_migrations") == 1);

  for (const char* table : {"users", "businesses", "offers", "reservations", "events",
                            "processed_updates", "outbox", "bot_state"}) {
    INFO(table);
    REQUIRE(count(*connection, std::string("SELECT count(*) FROM pg_tables WHERE schemaname = "
                                           "'public' AND tablename = '") +
                                   table + "'") == 1);
  }
  REQUIRE(count(*connection, "SELECT value::bigint FROM bot_state WHERE key = 'update_offset'") ==
          0);
}

TEST_CASE("migrate is safe when several processes start at once", "[persistence][migrate]") {
  tests::test_database db(false);
  const auto embedded = static_cast<int>(persistence::embedded_migrations().size());

  std::vector<std::future<int>> starters;
  for (int i = 0; i < 6; ++i) {
    starters.push_back(std::async(std::launch::async, [&db] {
      auto connection = db.connect();
      return persistence::migrate(*connection);
    }));
  }
  int applied = 0;
  for (auto& starter : starters) applied += starter.get();  // get() rethrows any failure

  REQUIRE(applied == embedded);
  auto connection = db.connect();
  REQUIRE(count(*connection, "SELECT count(*) FROM schema_migrations") == embedded);
}

TEST_CASE("database URLs and connection errors never show the password",
          "[persistence][database]") {
  using persistence::redact_database_url;
  CHECK(redact_database_url("postgresql://bot:s3cr%40t@db.example:5432/lastcall?sslmode=require") ==
        "postgresql://bot:***@db.example:5432/lastcall?sslmode=require");
  CHECK(redact_database_url("postgresql:///lastcall?host=/tmp/pg&user=bot&password=s3cret&x=1") ==
        "postgresql:///lastcall?host=/tmp/pg&user=bot&password=***&x=1");
  CHECK(redact_database_url("host=db user=bot password='it\\'s secret' dbname=lastcall") ==
        "host=db user=bot password=*** dbname=lastcall");
  CHECK(redact_database_url("postgresql://bot@db/lastcall") == "postgresql://bot@db/lastcall");
  CHECK(persistence::redact_database_error("bad token \"s3cr%40t\" and s3cr@t",
                                           "postgresql://bot:s3cr%40t@db/x") ==
        "bad token \"***\" and ***");

  SECTION("an unreachable server") {
    const auto message =
        connection_failure("postgresql://bot:hunter2secret@/lastcall?host=/nonexistent-socket-dir");
    CHECK(message.find("hunter2secret") == std::string::npos);
    CHECK(message.find("bot:***@") != std::string::npos);
  }
  SECTION("a URL libpq cannot parse, which it would quote") {
    const auto message = connection_failure("postgresql://bot:hunter2%zzsecret@localhost/lastcall");
    CHECK(message.find("hunter2") == std::string::npos);
  }
}

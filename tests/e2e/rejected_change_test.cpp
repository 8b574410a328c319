// A change the database rejects (a bug, not an outage) must not hold up the bot: the user is told
// something went wrong, their update is not handled again, and everyone else goes on.

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "tests/e2e/customer_steps.hpp"

using namespace lastcall::testing;

TEST_CASE("a turn whose changes the database rejects is answered with an apology and not retried",
          "[e2e][rejected]") {
  market m("rejected-change");
  chat_user ivan(m, 903, "Ivan");
  chat_user olga(m, 904, "Olga");
  {
    // Stands in for a bug that writes data the schema refuses.
    pqxx::connection db(m.database_url());
    pqxx::work change(db);
    change.exec("ALTER TABLE users ADD CONSTRAINT no_ivan CHECK (id <> 903)");
    change.commit();
  }

  auto apology = ivan.says("/help");
  CHECK_THAT(apology.text, Catch::Contains("something went wrong"));
  // The others are not held up, and neither is the poll offset behind Ivan's update.
  CHECK_THAT(olga.says("/help").text, Catch::Contains("/browse"));
  CHECK_THAT(ivan.says("/reservations").text, Catch::Contains("something went wrong"));

  // After a restart, nothing of Ivan's is handled again.
  const auto seen = ivan.seen();
  REQUIRE(m.stop_bot() == 0);
  m.start_bot();
  CHECK_THAT(olga.says("/help").text, Catch::Contains("/browse"));
  CHECK(ivan.seen() == seen);
}

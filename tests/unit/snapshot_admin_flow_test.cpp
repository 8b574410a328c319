// /snapshot in chat: admins get the file's place and log position; to everyone else the command
// does not exist.

#include <catch2/catch.hpp>

#include "tests/unit/flows_business_chat.hpp"

using namespace lastcall;
using namespace lastcall::business_test;

namespace {

constexpr int64_t admin = 900;
constexpr int64_t customer = 531;

}  // namespace

TEST_CASE("an admin's /snapshot answers with where the file is and its event position",
          "[unit][flows][snapshot]") {
  chat c({admin});
  const auto replies = c.says(admin, "/snapshot");
  CHECK(c.market.snapshots_taken == 1);
  REQUIRE(replies.size() == 1);
  CHECK(replies[0].chat == admin);
  CHECK_THAT(replies[0].text, Catch::Contains("/srv/lastcall/snapshots/snapshot-42.json"));
  CHECK_THAT(replies[0].text, Catch::Contains("event 42"));
  CHECK_THAT(replies[0].text, Catch::Contains("lastcall restore"));
}

TEST_CASE("a failed snapshot is reported to the admin without details", "[unit][flows][snapshot]") {
  chat c({admin});
  c.market.snapshot_answer = flows::snapshot_report{};
  const auto replies = c.says(admin, "/snapshot");
  REQUIRE(replies.size() == 1);
  CHECK_THAT(replies[0].text, Catch::Contains("could not be taken"));
}

TEST_CASE("to anyone but an admin /snapshot is an unknown command", "[unit][flows][snapshot]") {
  chat c({admin});
  const auto replies = c.says(customer, "/snapshot");
  CHECK(c.market.snapshots_taken == 0);
  REQUIRE(replies.size() == 1);
  const auto unknown = c.says(customer, "/nosuchcommand");
  REQUIRE(unknown.size() == 1);
  // Word for word what an unknown command gets, so nothing hints that it exists.
  CHECK_THAT(replies[0].text, Catch::Contains("I don't know the command /snapshot"));
  CHECK(replies[0].text.substr(replies[0].text.find("/snapshot") + 9) ==
        unknown[0].text.substr(unknown[0].text.find("/nosuchcommand") + 14));
  CHECK(replies[0].markup == unknown[0].markup);
}

// A notice is stored with the change that causes it and rendered after that commits. A crash
// between the two leaves the notice's row behind: the next start renders it, once, and removes it.

#include <string>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "tests/e2e/customer_steps.hpp"
#include "tests/support/seed.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

// The seed written, the bot started once for its owner (700) to open the chat (Telegram lets a bot
// write only to people who did) and stopped again: the next start finds whatever rows the test
// leaves, as a crash would.
void opened_once(market& m, chat_user& owner, const bakery_seed& s) {
  s.seed.write(m.database_url());
  m.start_bot();
  owner.says("/start");
  REQUIRE(m.stop_bot() == 0);
}

// Olga's approved Bakery Nord with one deal of croissants, opened once.
domain::offer croissant_bakery(market& m, chat_user& owner, int32_t quantity) {
  bakery_seed s;
  auto croissants = s.offer("Croissants", quantity);
  opened_once(m, owner, s);
  return croissants;
}

}  // namespace

TEST_CASE("a notice committed before a crash is rendered at the next start, once",
          "[e2e][notice]") {
  bakery_seed s;
  market m(market_options{"notice-recovery", {}, {}, false});
  chat_user owner(m, 700, "Olga");
  opened_once(m, owner, s);
  {
    // As a decision's unit leaves it when the process dies right after its commit: the notice is
    // stored and not yet rendered.
    pqxx::connection connection(m.database_url());
    pqxx::work txn(connection);
    txn.exec0("INSERT INTO notices (user_id,kind,data) VALUES (700,'business.decided','" +
              nlohmann::json{{"business_id", s.bakery.id}}.dump() + "')");
    txn.commit();
  }
  auto before = owner.seen();
  m.start_bot();
  CHECK_THAT(owner.await_reply(before).text, Catch::Contains("Bakery Nord is approved"));
  REQUIRE(eventually([&] { return stored_notices(m.database_url()) == 0; }));
  REQUIRE(m.stop_bot() == 0);

  // The next start has nothing left to tell.
  m.start_bot();
  before = owner.seen();
  CHECK_THAT(owner.says("/help").text, Catch::Contains("/browse"));
  for (size_t i = before; i < owner.seen(); ++i)
    CHECK_THAT(owner.await_reply(i).text, !Catch::Contains("approved"));
  CHECK(m.stop_bot() == 0);
}

TEST_CASE("held new-reservation notices keep their rows until the batch that counts them is sent",
          "[e2e][notice]") {
  market m(
      market_options{"notice-batch-rows", {}, {{"OWNER_NOTIFY_INTERVAL_SECONDS", "3"}}, false});
  chat_user owner(m, 700, "Olga");
  const auto croissants = croissant_bakery(m, owner, 10);
  {
    // Three reservations committed just before a crash, their notices not yet rendered.
    pqxx::connection connection(m.database_url());
    pqxx::work txn(connection);
    for (int left : {9, 8, 7})
      txn.exec0(
          "INSERT INTO notices (user_id,kind,data) VALUES (700,'owner.new_reservations','" +
          nlohmann::json{
              {"offer_id", croissants.id}, {"title", "Croissants"}, {"count", 1}, {"left", left}}
              .dump() +
          "')");
    txn.commit();
  }
  const auto before = owner.seen();
  m.start_bot();
  // The first at once; the two behind it are held for the interval, their rows still stored.
  CHECK_THAT(owner.await_reply(before).text, Catch::Contains("Croissants”: 1 (1 pcs). Left: 9."));
  CHECK(eventually([&] { return stored_notices(m.database_url()) == 2; }));
  CHECK_THAT(owner.await_reply(before + 1).text,
             Catch::Contains("Croissants”: 2 (2 pcs). Left: 7."));
  CHECK(eventually([&] { return stored_notices(m.database_url()) == 0; }));
  CHECK(m.stop_bot() == 0);
}

TEST_CASE("tens of thousands of new-reservation notices left by a crash are counted, not recursed",
          "[e2e][notice]") {
  // What a restart after a big sale finds: every reservation's notice to the owner still stored.
  // The owner's session takes them in one after another; each is held for the batch, and none may
  // cost a stack frame that the next one keeps (the session once crashed the bot this way).
  constexpr int notices = 50000;
  market m(
      market_options{"notice-flood-rows", {}, {{"OWNER_NOTIFY_INTERVAL_SECONDS", "2"}}, false});
  chat_user owner(m, 700, "Olga");
  const auto croissants = croissant_bakery(m, owner, notices + 1);
  {
    pqxx::connection connection(m.database_url());
    pqxx::work txn(connection);
    txn.exec0(
        "INSERT INTO notices (user_id,kind,data) SELECT 700,'owner.new_reservations',"
        "jsonb_build_object('offer_id'," +
        std::to_string(croissants.id) + ",'title','Croissants','count',1,'left'," +
        std::to_string(notices) + "-n) FROM generate_series(1," + std::to_string(notices) +
        ") AS n");
    txn.commit();
  }
  const auto before = owner.seen();
  m.start_bot();
  // The first at once, all the others counted in the batch at the interval's end.
  CHECK_THAT(owner.await_reply(before).text, Catch::Contains("Croissants”: 1 (1 pcs)."));
  CHECK_THAT(owner.await_reply(before + 1).text,
             Catch::Contains("Croissants”: " + std::to_string(notices - 1) + " ("));
  CHECK(eventually([&] { return stored_notices(m.database_url()) == 0; }));
  CHECK(m.stop_bot() == 0);
}

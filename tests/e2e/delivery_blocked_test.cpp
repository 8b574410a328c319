// A user who blocks the bot: Telegram answers 403 once, the bot stores it and sends them nothing
// more; when they write again, it answers them again.

#include <optional>
#include <string>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "tests/e2e/customer_steps.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

std::optional<bool> stored_blocked_bot(const std::string& database_url, int64_t user_id) {
  pqxx::connection connection(database_url);
  pqxx::read_transaction txn(connection);
  auto rows = txn.exec("SELECT blocked_bot FROM users WHERE id = " + std::to_string(user_id));
  if (rows.empty()) return std::nullopt;
  return rows[0][0].as<bool>();
}

uint64_t forbidden_answers(market& m) {
  auto errors = m.world().stats()["errors"];
  return errors.value("403", uint64_t{0});
}

}  // namespace

TEST_CASE("a user who blocked the bot is marked and left alone until they write again",
          "[e2e][delivery][blocked]") {
  bakery_seed s;
  auto buns = s.offer("Buns");
  s.seed.add_reservation(buns, 631, 1);
  s.seed.add_reservation(buns, 632, 1);
  auto m = seeded_market("delivery-blocked", s.seed);
  chat_user ann(*m, 631, "Ann");
  chat_user ivan(*m, 632, "Ivan");
  chat_user owner(*m, 700, "Olga");
  ann.says("/start");
  ivan.says("/start");
  REQUIRE(stored_blocked_bot(m->database_url(), ann.id()) == false);

  m->world().block_bot(ann.id());
  const auto seen_before = ann.seen();
  owner.says("/pause " + std::to_string(buns.id));
  message_containing(*m, ivan, "has paused “Buns”");
  // Telegram refused the notice to Ann: the bot stores that she blocked it.
  REQUIRE(eventually([&] { return stored_blocked_bot(m->database_url(), ann.id()) == true; }));
  CHECK(forbidden_answers(*m) == 1);

  // The next notice to her is not even tried.
  owner.says("/end " + std::to_string(buns.id));
  message_containing(*m, ivan, "withdrawn");
  REQUIRE(eventually([&] {
    return m->bot().log().find("blocked_skipped " + logged_user(631) + "]") != std::string::npos;
  }));
  CHECK(forbidden_answers(*m) == 1);
  CHECK(ann.seen() == seen_before);

  // She unblocks the bot and writes: she gets answers again, and the mark is gone.
  auto hello = ann.says("/start");
  CHECK_THAT(hello.text, Catch::Contains("Ann"));
  REQUIRE(eventually([&] { return stored_blocked_bot(m->database_url(), ann.id()) == false; }));
  CHECK(forbidden_answers(*m) == 1);
}

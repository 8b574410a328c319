// The inbox after a crash: updates that were taken in (the getUpdates offset already passed them,
// so Telegram will never send them again) but not handled when the process died are handled at the
// next start, before anything new, each exactly once.

#include <string>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/database.hpp"
#include "tests/support/market.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

std::string help_update(int64_t update_id, int64_t user_id, int64_t message_id,
                        const std::string& text) {
  const auto id = std::to_string(user_id);
  return R"({"update_id":)" + std::to_string(update_id) + R"(,"message":{"message_id":)" +
         std::to_string(message_id) + R"(,"date":1700000000,"chat":{"id":)" + id +
         R"(,"type":"private"},"from":{"id":)" + id +
         R"(,"is_bot":false,"first_name":"Ina","language_code":"en"},"text":")" + text + R"("}})";
}

int64_t count(const std::string& url, const std::string& sql) {
  auto connection = persistence::connect(url);
  pqxx::read_transaction txn(*connection);
  return txn.exec1(sql)[0].as<int64_t>();
}

}  // namespace

TEST_CASE("updates left unhandled in the inbox by a crash are handled once at the next start",
          "[integration][inbox]") {
  market m(market_options{"inbox-recovery", {}, {}, false});
  {
    auto connection = persistence::connect(m.database_url());
    persistence::migrate(*connection);
    pqxx::work txn(*connection);
    // As a killed bot leaves them: taken in with the offset that confirmed them, not handled.
    txn.exec("INSERT INTO inbox (update_id,payload) VALUES (40," +
             txn.quote(help_update(40, 5501, 1, "/help")) + "),(41," +
             txn.quote(help_update(41, 5501, 2, "/start")) + ")");
    txn.exec("UPDATE bot_state SET value='42' WHERE key='update_offset'");
    txn.commit();
  }
  chat_user ina(m, 5501, "Ina");
  m.world().open_chat_with(ina.profile());
  // Telegram still holds both: the killed bot never asked with the offset that confirms them.
  m.world().inject_update_with_id(nlohmann::json::parse(help_update(40, 5501, 1, "/help")));
  m.world().inject_update_with_id(nlohmann::json::parse(help_update(41, 5501, 2, "/start")));
  m.start_bot();

  // Both are answered, /help first: the order they arrived in.
  auto help = ina.await_reply(0);
  auto greeting = ina.await_reply(1);
  ina.await_reply(2);  // /start also offers the languages
  CHECK_THAT(help.text, Catch::Contains("/browse"));
  CHECK_THAT(greeting.text, Catch::Contains("Hi Ina"));
  // Handled: out of the inbox, in the transaction that stored the effects.
  CHECK(count(m.database_url(), "SELECT count(*) FROM inbox") == 0);

  // Telegram's copies were confirmed by the stored offset, never handled a second time.
  CHECK(m.world().pending_updates() == 0);
  CHECK(ina.seen() == 3);
  // A new update after the recovered ones is handled as usual, and a restart handles nothing twice.
  auto after = ina.says("/help");
  CHECK_THAT(after.text, Catch::Contains("/browse"));
  REQUIRE(m.stop_bot() == 0);
  const auto answered = ina.seen();
  m.start_bot();
  auto again = ina.says("/help");
  CHECK_THAT(again.text, Catch::Contains("/browse"));
  CHECK(ina.seen() == answered + 1);
  CHECK(m.stop_bot() == 0);
}

// Webhook mode end to end: the sandbox POSTs updates to the bot's HTTP listener the way Telegram
// does, with the secret token the bot gave setWebhook.

#include <chrono>
#include <functional>
#include <string>
#include <thread>

#include <httplib.h>
#include <catch2/catch.hpp>

#include "tests/support/market.hpp"
#include "tests/support/ports.hpp"

using namespace lastcall::testing;

namespace {

struct webhook_market {
  int port = free_tcp_port();
  std::string url = "http://127.0.0.1:" + std::to_string(port) + "/telegram/hook";
  market m;

  explicit webhook_market(const std::string& name)
      : m(name, {}, {{"HTTP_PORT", std::to_string(port)}, {"WEBHOOK_URL", url}}) {}
};

bool waits_for(const std::function<bool()>& condition) {
  const auto deadline = std::chrono::steady_clock::now() + answer_timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (condition()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return condition();
}

}  // namespace

TEST_CASE("webhook: the bot sets its webhook and answers what Telegram posts", "[e2e][webhook]") {
  webhook_market w("webhook-basic");
  chat_user ann(w.m, 801, "Ann");
  auto reply = ann.says("/help");
  CHECK_THAT(reply.text, Catch::Contains("/browse"));

  const auto hook = w.m.world().webhook();
  CHECK(hook.url == w.url);
  CHECK(hook.secret_token.size() >= 32);  // a random secret when none is configured
  REQUIRE(hook.allowed_updates.has_value());
  CHECK(*hook.allowed_updates == std::vector<std::string>{"message", "callback_query"});
  // The 200 may reach the sandbox after the reply did: the reply leaves right after the commit.
  CHECK(waits_for([&] { return w.m.world().webhook_deliveries() >= 1; }));
  // SIGTERM drains and exits cleanly in webhook mode too.
  CHECK(w.m.stop_bot() == 0);
}

TEST_CASE("webhook: a request without the right secret token gets 401 and changes nothing",
          "[e2e][webhook]") {
  webhook_market w("webhook-secret");
  chat_user ann(w.m, 802, "Ann");
  ann.says("/help");
  const auto before = ann.seen();

  httplib::Client client("127.0.0.1", w.port);
  const std::string forged =
      R"({"update_id":999001,"message":{"message_id":1,"date":1,"text":"/help",)"
      R"("chat":{"id":802,"type":"private"},"from":{"id":802,"is_bot":false,"first_name":"Ann"}}})";
  auto missing = client.Post("/telegram/hook", forged, "application/json");
  REQUIRE(missing);
  CHECK(missing->status == 401);
  auto wrong = client.Post("/telegram/hook", {{"X-Telegram-Bot-Api-Secret-Token", "guess"}}, forged,
                           "application/json");
  REQUIRE(wrong);
  CHECK(wrong->status == 401);

  // The next genuine update is answered, and nothing was answered for the forged ones.
  ann.says("/help");
  CHECK(ann.seen() == before + 1);
}

TEST_CASE("webhook: each user's updates are handled in the order sent", "[e2e][webhook]") {
  webhook_market w("webhook-order");
  std::vector<std::unique_ptr<chat_user>> users;
  for (int i = 0; i < 6; ++i)
    users.push_back(std::make_unique<chat_user>(w.m, 810 + i, "U" + std::to_string(i)));
  const int rounds = 8;
  // Every user fires all their updates at once, alternating two commands with different answers.
  for (int r = 0; r < rounds; ++r)
    for (auto& u : users)
      w.m.world().send_text(u->profile(), r % 2 == 0 ? "/help" : "/reservations");
  for (auto& u : users) {
    REQUIRE(waits_for([&] { return u->seen() >= static_cast<size_t>(rounds); }));
    auto messages = u->messages();
    REQUIRE(messages.size() == static_cast<size_t>(rounds));
    for (int r = 0; r < rounds; ++r) {
      INFO("user " << u->id() << " reply " << r);
      if (r % 2 == 0)
        CHECK_THAT(messages[r].text, Catch::Contains("/browse"));
      else
        CHECK_THAT(messages[r].text, Catch::Contains("no reservations"));
    }
  }
}

TEST_CASE("webhook: an update delivered again is not applied twice", "[e2e][webhook]") {
  webhook_market w("webhook-redelivery");
  chat_user ann(w.m, 820, "Ann");
  ann.says("/help");
  const auto before = ann.seen();
  // Telegram sends an update again when it missed the 200, e.g. across a restart.
  auto raw = nlohmann::json{{"update_id", 1},
                            {"message",
                             {{"message_id", 1},
                              {"date", 1},
                              {"text", "/help"},
                              {"chat", {{"id", 820}, {"type", "private"}}},
                              {"from", {{"id", 820}, {"is_bot", false}, {"first_name", "Ann"}}}}}};
  const auto deliveries = w.m.world().webhook_deliveries();
  w.m.world().inject_update_with_id(raw);
  REQUIRE(waits_for([&] { return w.m.world().webhook_deliveries() > deliveries; }));
  ann.says("/reservations");
  CHECK(ann.seen() == before + 1);
}

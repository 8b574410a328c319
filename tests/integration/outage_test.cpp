// PostgreSQL stops in the middle of traffic and starts again. The bot must stay up, answer what it
// can from memory, tell a customer plainly that their reservation is not confirmed yet (never show
// a pickup code that is not stored), reconnect by itself, and lose nothing; operators see the
// outage in /healthz and /metrics.

#include <map>
#include <memory>
#include <string>
#include <vector>

#include <httplib.h>
#include <catch2/catch.hpp>

#include "persistence/database.hpp"
#include "tests/e2e/customer_steps.hpp"
#include "tests/support/metrics_page.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/private_postgres.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

double sample(httplib::Client& client, const std::string& name) {
  auto page = client.Get("/metrics");
  return page && page->status == 200 ? metric_sample(page->body, name) : -1;
}

// The database of these tests, in a server of their own that they can stop and start.
std::string migrated_database(private_postgres& pg) {
  pg.create_database("lastcall");
  const auto url = pg.url("lastcall");
  auto connection = persistence::connect(url);
  persistence::migrate(*connection);
  return url;
}

int health(httplib::Client& client) {
  auto answer = client.Get("/healthz");
  return answer ? answer->status : 0;
}

// A flash sale that runs into an outage: `customers` people hold the card of a box of `items`
// and all tap Reserve while PostgreSQL is down; then a newcomer says /start and a regular
// browses. Over a hundred updates are waiting for the database by then, which once stopped the
// bot from reading anything more.
void rush_through_outage(const std::string& name, bool webhook, int customers, int items) {
  private_postgres pg;
  const auto url = migrated_database(pg);
  market_seed seed;
  auto bakery = seed.add_business(700, "Rush Bakery");
  auto offer = seed.add_offer(bakery, offer_titled("Rush box", items));
  // nobody reserves it, so it is listed whatever the rush did
  seed.add_offer(bakery, offer_titled("Quiet pie", 3));
  seed.write(url);

  const int port = free_tcp_port();
  std::map<std::string, std::string> env{{"DATABASE_URL", url},
                                         {"HTTP_PORT", std::to_string(port)},
                                         {"NOT_CONFIRMED_NOTICE_SECONDS", "3"}};
  if (webhook) env["WEBHOOK_URL"] = "http://127.0.0.1:" + std::to_string(port) + "/telegram/hook";
  market m(market_options{name, {}, env, false});
  m.start_bot();
  httplib::Client ops("127.0.0.1", port);

  std::vector<std::unique_ptr<chat_user>> crowd;
  std::vector<int64_t> cards;
  for (int i = 0; i < customers; ++i) {
    crowd.push_back(std::make_unique<chat_user>(m, 5000 + i, "Customer " + std::to_string(i)));
    cards.push_back(crowd.back()->says_and_gets(offer_link(offer.id), 2)[0].message_id);
  }
  chat_user regular(m, 4999, "Rita");
  regular.says("/start");
  REQUIRE(eventually([&] { return health(ops) == 200; }));

  pg.stop();

  std::vector<std::string> taps;
  for (int i = 0; i < customers; ++i)
    taps.push_back(
        m.world().tap(crowd[i]->profile(), cards[i], reserve_data(offer.id, 1)).callback_query_id);

  // What confirms nothing is answered while the database is still down, behind all those taps.
  chat_user newcomer(m, 4998, "Nina");
  auto greeting = newcomer.says("/start");
  CHECK_THAT(greeting.text, Catch::Contains("Hi Nina"));
  auto list = regular.says("/browse");
  CHECK_THAT(list.text + list.caption, Catch::Contains("Quiet pie"));
  CHECK(health(ops) == 503);
  // No tap was confirmed while nothing could be stored.
  for (const auto& id : taps) {
    auto answer = m.world().answer(id);
    if (answer && answer->answered) CHECK_THAT(answer->text, !Catch::Contains("Reserved"));
  }

  pg.start();

  // Every tap is answered once the database is back: exactly `items` reservations, each with the
  // code that is stored for that customer.
  std::map<int64_t, std::string> stored_codes;
  REQUIRE(eventually(
      [&] { return static_cast<int>(stored_reservations(url, offer.id).size()) == items; },
      std::chrono::seconds(60)));
  for (const auto& r : stored_reservations(url, offer.id)) stored_codes[r.customer_id] = r.code;
  int reserved = 0;
  for (int i = 0; i < customers; ++i) {
    auto answer = m.world().wait_for_answer(taps[i], std::chrono::seconds(60));
    REQUIRE(answer.has_value());
    auto code = stored_codes.find(crowd[i]->id());
    if (code == stored_codes.end()) {
      CHECK_THAT(answer->text, Catch::Contains("sold out"));
    } else {
      CHECK_THAT(answer->text, Catch::Contains("Reserved") && Catch::Contains(code->second));
      ++reserved;
    }
  }
  CHECK(reserved == items);
  CHECK(eventually([&] { return sample(ops, "lastcall_persistence_pending_units") == 0; }));
  CHECK(sample(ops, "lastcall_updates_spooled_total") >= 1);
  CHECK(m.stop_bot() == 0);
}

}  // namespace

TEST_CASE(
    "a PostgreSQL outage mid-traffic: answered from memory, nothing unconfirmed shown, "
    "nothing lost",
    "[integration][outage]") {
  private_postgres pg;
  const auto url = migrated_database(pg);
  market_seed seed;
  auto bakery = seed.add_business(700, "Outage Bakery");
  auto offer = seed.add_offer(bakery, offer_titled("Outage box", 10));
  seed.write(url);

  const int port = free_tcp_port();
  market m(market_options{"outage",
                          {},
                          {{"DATABASE_URL", url},
                           {"HTTP_PORT", std::to_string(port)},
                           {"NOT_CONFIRMED_NOTICE_SECONDS", "3"}},
                          false});
  m.start_bot();
  httplib::Client ops("127.0.0.1", port);
  chat_user ann(m, 901, "Ann");
  chat_user bob(m, 902, "Bob");

  auto ann_card = ann.says_and_gets(offer_link(offer.id), 2)[0];
  auto bob_card = bob.says_and_gets(offer_link(offer.id), 2)[0];
  CHECK_THAT(ann.taps(ann_card.message_id, reserve_data(offer.id, 1)).text,
             Catch::Contains("Reserved"));
  REQUIRE(eventually([&] { return health(ops) == 200; }));

  pg.stop();

  // Bob reserves while nothing can be stored: he is told so, and shown no pickup code.
  const auto before = bob.seen();
  auto tap = m.world().tap(bob.profile(), bob_card.message_id, reserve_data(offer.id, 1));
  auto notice = bob.await_reply(before);
  CHECK_THAT(notice.text, Catch::Contains("can't confirm it yet"));
  CHECK_THAT(notice.text, !Catch::Contains("ickup code"));
  CHECK_FALSE(m.world().answer(tap.callback_query_id)->answered);

  // The outage shows.
  CHECK(eventually([&] { return health(ops) == 503; }));
  CHECK(sample(ops, "lastcall_persistence_outage") == 1);

  // Browsing needs nothing stored: Ann is answered from memory.
  auto list = ann.says("/browse");
  CHECK_THAT(list.text + list.caption, Catch::Contains("Outage box"));

  pg.start();

  // Bob's reservation commits once the database is back, and only then he gets his code.
  auto confirmation = bob.await_reply(before + 1);
  REQUIRE(eventually([&] { return stored_reservations(url, offer.id).size() == 2; }));
  auto stored = stored_reservations(url, offer.id);
  std::string bob_code;
  for (const auto& r : stored)
    if (r.customer_id == bob.id()) bob_code = r.code;
  REQUIRE_FALSE(bob_code.empty());
  CHECK_THAT(confirmation.text, Catch::Contains("Pickup code: " + bob_code));
  auto answer = m.world().wait_for_answer(tap.callback_query_id, answer_timeout);
  REQUIRE(answer.has_value());
  CHECK_THAT(answer->text, Catch::Contains(bob_code));

  CHECK(eventually([&] { return health(ops) == 200; }));
  CHECK(sample(ops, "lastcall_persistence_outage") == 0);
  CHECK(sample(ops, "lastcall_persistence_outages_total") >= 1);
  // Ann's browse during the outage was stored too, and no update is left unanswered.
  CHECK(eventually([&] { return sample(ops, "lastcall_persistence_pending_units") == 0; }));
  CHECK(m.stop_bot() == 0);
}

TEST_CASE("hundreds of updates during an outage: reads keep flowing, by polling",
          "[integration][outage]") {
  rush_through_outage("outage-rush-polling", false, 250, 40);
}

TEST_CASE("hundreds of updates during an outage: reads keep flowing, by webhook",
          "[integration][outage]") {
  rush_through_outage("outage-rush-webhook", true, 150, 40);
}

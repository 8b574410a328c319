// PostgreSQL stops in the middle of traffic and starts again. The bot must stay up, answer what it
// can from memory, tell a customer plainly that their reservation is not confirmed yet (never show
// a pickup code that is not stored), reconnect by itself, and lose nothing; operators see the
// outage in /healthz and /metrics.

#include <string>

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

int health(httplib::Client& client) {
  auto answer = client.Get("/healthz");
  return answer ? answer->status : 0;
}

}  // namespace

TEST_CASE(
    "a PostgreSQL outage mid-traffic: answered from memory, nothing unconfirmed shown, "
    "nothing lost",
    "[integration][outage]") {
  private_postgres pg;
  pg.create_database("lastcall");
  const auto url = pg.url("lastcall");
  {
    auto connection = persistence::connect(url);
    persistence::migrate(*connection);
  }
  market_seed seed;
  auto bakery = seed.add_business(700, "Outage Bakery");
  offer_seed box;
  box.title = "Outage box";
  box.quantity = 10;
  auto offer = seed.add_offer(bakery, box);
  seed.write(url);

  const int port = free_tcp_port();
  market m(market_options{
      "outage", {}, {{"DATABASE_URL", url}, {"HTTP_PORT", std::to_string(port)}}, false});
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

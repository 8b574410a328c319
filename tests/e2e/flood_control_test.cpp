// Inbound flood control: one user floods the bot with messages and Reserve taps while fifty others
// shop. The others are answered in full and in order and never hear about the flood; the flooder's
// excess is acknowledged without being handled, counted in /metrics, and the flooder is told once.

#include <algorithm>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include <httplib.h>
#include <catch2/catch.hpp>

#include "tests/e2e/customer_steps.hpp"
#include "tests/support/metrics_page.hpp"
#include "tests/support/ports.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

constexpr int shopper_count = 50;
constexpr int thread_count = 10;
constexpr int flood_texts = 2000;
constexpr int flood_taps = 200;
constexpr std::chrono::milliseconds shop_timeout{120000};
const std::string slow_down = "faster than I can answer";

struct shopper {
  sandbox::user_profile profile;
  std::optional<sandbox::chat_message> card;
  std::optional<sandbox::callback_answer> reserve_answer;
  bool confirmed = false;  // the confirmation with the pickup code arrived
  bool listed = false;     // the answer to /reservations arrived
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

// The index of the first bot message after `from` whose text contains `part`, or -1.
int index_of(const std::vector<sandbox::chat_message>& messages, const std::string& part,
             int from = 0) {
  for (int i = std::max(from, 0); i < static_cast<int>(messages.size()); ++i)
    if (contains(messages[i].text, part)) return i;
  return -1;
}

// A customer at a person's pace: each step waits for the bot's answer to the one before.
void shop(sandbox::world& world, shopper& s, int64_t offer_id) {
  world.send_text(s.profile, offer_link(offer_id));
  s.card = world.wait_for_bot_message(s.profile.id, 0, shop_timeout);
  if (!s.card) return;
  const auto reserve = button_data(*s.card, "Reserve 1");
  if (reserve.empty()) return;
  const auto tap = world.tap(s.profile, s.card->message_id, reserve);
  s.reserve_answer = world.wait_for_answer(tap.callback_query_id, shop_timeout);
  int confirmation = -1;
  s.confirmed = world.wait_until(
      [&] {
        confirmation = index_of(world.bot_messages(s.profile.id), "Pickup code:");
        return confirmation >= 0;
      },
      shop_timeout);
  if (!s.confirmed) return;
  const auto text = world.bot_messages(s.profile.id)[confirmation].text;
  const auto at = text.find("Pickup code:") + std::string("Pickup code: ").size();
  const auto code = text.substr(at, text.find_first_of(" \n", at) - at);
  world.send_text(s.profile, "/reservations");
  s.listed = world.wait_until(
      [&] { return index_of(world.bot_messages(s.profile.id), code, confirmation + 1) >= 0; },
      shop_timeout);
}

domain::offer add_evening_box(market_seed& seed, int32_t quantity) {
  auto bakery = seed.add_business(700, "Corner Bakery", {41.3111, 69.2797});
  return seed.add_offer(bakery, offer_titled("Evening box", quantity));
}

std::vector<shopper> make_shoppers(int64_t first_id) {
  std::vector<shopper> shoppers(shopper_count);
  for (int i = 0; i < shopper_count; ++i) {
    shoppers[i].profile.id = first_id + i;
    shoppers[i].profile.first_name = "Shopper" + std::to_string(i);
    shoppers[i].profile.language_code = "en";
  }
  return shoppers;
}

// The shoppers shop side by side, a few threads each taking its share.
std::vector<std::thread> start_shopping(sandbox::world& world, std::vector<shopper>& shoppers,
                                        int64_t offer_id) {
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t)
    threads.emplace_back([&world, &shoppers, offer_id, t] {
      for (size_t i = t; i < shoppers.size(); i += thread_count) shop(world, shoppers[i], offer_id);
    });
  return threads;
}

}  // namespace

TEST_CASE("a flooding user is slowed down while fifty others shop undisturbed", "[e2e][flood]") {
  market_seed seed;
  auto offer = add_evening_box(seed, shopper_count + 10);
  const int port = free_tcp_port();
  // The defaults (5 updates/s, a burst of 10); one notice for the whole test.
  auto m = seeded_market("flood-control", seed,
                         {{"FLOOD_UPDATES_PER_SECOND", "5"},
                          {"FLOOD_BURST", "10"},
                          {"FLOOD_NOTICE_SECONDS", "3600"},
                          {"HTTP_PORT", std::to_string(port)}});
  auto& world = m->world();

  // The flooder opens the deal first, so it has a card whose Reserve button it can hammer.
  chat_user flooder(*m, 9900, "Flo");
  auto flooder_card = flooder.says_and_gets(offer_link(offer.id), 2)[0];
  const auto flooder_reserve = button_data(flooder_card, "Reserve 1");
  REQUIRE(!flooder_reserve.empty());

  auto shoppers = make_shoppers(91000);

  std::vector<std::string> flood_queries;
  std::thread flood([&] {
    for (int i = 0; i < flood_texts; ++i) world.send_text(flooder.profile(), "/help");
    for (int i = 0; i < flood_taps; ++i)
      flood_queries.push_back(
          world.tap(flooder.profile(), flooder_card.message_id, flooder_reserve).callback_query_id);
  });
  auto threads = start_shopping(world, shoppers, offer.id);
  flood.join();
  for (auto& thread : threads) thread.join();

  // Every shopper got every answer, in the order they asked, and the code they were given is the
  // one stored; none of them was told to slow down.
  const auto stored = stored_reservations(m->database_url(), offer.id);
  for (const auto& s : shoppers) {
    INFO("shopper " << s.profile.id);
    REQUIRE(s.card);
    REQUIRE(s.reserve_answer);
    CHECK(s.reserve_answer->answered);
    CHECK_THAT(s.reserve_answer->text, Catch::Contains("Reserved!"));
    CHECK(s.confirmed);
    CHECK(s.listed);
    const auto mine = std::find_if(stored.begin(), stored.end(), [&](const auto& r) {
      return r.customer_id == s.profile.id && r.status == domain::reservation_status::active;
    });
    REQUIRE(mine != stored.end());
    const auto messages = world.bot_messages(s.profile.id);
    const int card = index_of(messages, "Evening box");
    const int confirmation = index_of(messages, "Pickup code: " + mine->code, card + 1);
    const int list = index_of(messages, mine->code, confirmation + 1);
    CHECK(card >= 0);
    CHECK(confirmation > card);
    CHECK(list > confirmation);
    CHECK(index_of(messages, slow_down) == -1);
  }

  // Every update was either handled or dropped as flood, and only the flooder's were dropped.
  httplib::Client client("127.0.0.1", port);
  double received = 0, handled = 0, dropped = 0;
  const bool settled = eventually(
      [&] {
        auto page = client.Get("/metrics");
        if (!page || page->status != 200) return false;
        received = metric_sample(page->body, "lastcall_updates_received_total");
        handled = metric_sample(page->body, "lastcall_updates_handled_total");
        dropped = metric_sample(page->body, "lastcall_updates_flood_dropped_total");
        return world.pending_updates() == 0 && received > 0 && handled + dropped == received;
      },
      shop_timeout);
  INFO("received " << received << ", handled " << handled << ", dropped " << dropped);
  CHECK(settled);
  CHECK(dropped > 0);
  CHECK(dropped <= flood_texts + flood_taps);
  // Far more than a burst was sent in far less time than it takes to earn it back.
  CHECK(dropped > flood_texts / 2);
  // The dropped updates were stored as done too (many to a commit): none is left in the inbox.
  CHECK(eventually(
      [&] {
        auto page = client.Get("/metrics");
        return page && page->status == 200 &&
               metric_sample(page->body, "lastcall_inbox_unhandled") == 0;
      },
      shop_timeout));

  // The flooder was told exactly once, by message: the first updates beyond its burst were texts.
  REQUIRE(world.wait_until(
      [&] { return index_of(world.bot_messages(flooder.id()), slow_down) >= 0; }, answer_timeout));
  const auto flooder_messages = world.bot_messages(flooder.id());
  const auto notices = std::count_if(flooder_messages.begin(), flooder_messages.end(),
                                     [](const auto& msg) { return contains(msg.text, slow_down); });
  CHECK(notices == 1);
  int alerts = 0;
  for (const auto& query : flood_queries)
    if (auto answer = world.answer(query); answer && contains(answer->text, slow_down)) ++alerts;
  CHECK(alerts == 0);

  CHECK(m->stop_bot() == 0);
}

TEST_CASE("with flood control off, one chat's backlog never pushes out other customers' answers",
          "[e2e][flood][outbound]") {
  market_seed seed;
  auto offer = add_evening_box(seed, shopper_count);
  // Every flood update is handled and answered; its replies drain at the chat's 1/s, far slower
  // than they are made, against a bot-wide queue smaller than the flood.
  auto m = seeded_market("flood-outbound", seed,
                         {{"FLOOD_UPDATES_PER_SECOND", "0"}, {"OUTBOUND_MAX_QUEUED", "100"}});
  auto& world = m->world();
  chat_user flooder(*m, 9901, "Flo");
  flooder.says("/help");

  auto shoppers = make_shoppers(92000);
  for (int i = 0; i < flood_texts; ++i) world.send_text(flooder.profile(), "/help");
  auto threads = start_shopping(world, shoppers, offer.id);
  for (auto& thread : threads) thread.join();

  // Every reservation committed was told to its customer, with the code stored.
  const auto stored = stored_reservations(m->database_url(), offer.id);
  CHECK(stored.size() == shopper_count);
  for (const auto& s : shoppers) {
    INFO("shopper " << s.profile.id);
    REQUIRE(s.card);
    REQUIRE(s.reserve_answer);
    CHECK_THAT(s.reserve_answer->text, Catch::Contains("Reserved!"));
    CHECK(s.confirmed);
    CHECK(s.listed);
    const auto mine = std::find_if(stored.begin(), stored.end(),
                                   [&](const auto& r) { return r.customer_id == s.profile.id; });
    REQUIRE(mine != stored.end());
    CHECK(index_of(world.bot_messages(s.profile.id), "Pickup code: " + mine->code) >= 0);
  }
  CHECK(m->stop_bot() == 0);
}

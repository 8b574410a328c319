// How the outbound queue reacts to Telegram's refusals: 429 pauses (one chat, or the whole bot),
// back-off bounds for retries, and chats that blocked the bot.

#include <algorithm>
#include <set>

#include <catch2/catch.hpp>

#include "domain/backoff.hpp"
#include "tests/unit/outbound_queue_fixture.hpp"

using namespace lastcall::telegram;
using namespace lastcall::domain;
using namespace lastcall::tests::outbound;

TEST_CASE("a 429 pauses its chat for retry_after and resends the same call first",
          "[unit][outbound_failures]") {
  outbound_queue q;
  q.push(message(1, "a"));
  q.push(message(1, "b"));
  q.push(message(2, "c"));
  auto a = q.next(0);
  CHECK_FALSE(q.throttled(a->token, 3000, 100));  // one chat: not a bot-wide pause
  CHECK(text_of(next_sent(q, 100)) == "c");       // other chats go on
  CHECK_FALSE(q.next(3099));                      // "b" must not overtake "a"
  auto again = next_sent(q, 3100);
  CHECK(text_of(again) == "a");
  CHECK(again.attempt == 2);
  q.finish(again.token, 3200);
  CHECK(text_of(*q.next(3200)) == "b");
}

TEST_CASE("429s from several chats at once pause all sending but callback answers",
          "[unit][outbound_failures]") {
  outbound_queue q(global_throttle_after(3, 1000));
  for (int chat = 1; chat <= 5; ++chat) q.push(message(chat, "m" + std::to_string(chat)));
  auto m1 = q.next(0);
  auto m2 = q.next(0);
  auto m3 = q.next(0);
  CHECK_FALSE(q.throttled(m1->token, 2000, 10));
  CHECK_FALSE(q.throttled(m2->token, 2000, 20));
  CHECK(q.throttled(m3->token, 2000, 30));  // the third chat: the bot as a whole is throttled
  CHECK(q.paused_until() == 2030);
  CHECK_FALSE(q.next(40));  // chats 4 and 5 were never throttled, yet they wait too
  q.push(answer_callback_query("q"));
  CHECK(next_sent(q, 40).call.method == "answerCallbackQuery");
  CHECK_FALSE(q.next(2029));  // m1's and m2's own waits are over, but the pause is not
  CHECK(q.next_due() == 2030);
  int sent = 0;
  while (q.next(2030)) ++sent;
  CHECK(sent == 5);  // nothing was dropped
}

TEST_CASE("429s spread out in time stay per chat", "[unit][outbound_failures]") {
  outbound_queue q(global_throttle_after(2, 1000));
  q.push(message(1, "a"));
  q.push(message(2, "b"));
  auto a = q.next(0);
  auto b = q.next(0);
  CHECK_FALSE(q.throttled(a->token, 1000, 0));
  CHECK_FALSE(q.throttled(b->token, 1000, 5000));
  CHECK(q.paused_until() == 0);
}

TEST_CASE("back-off doubles per attempt up to its cap, with bounded jitter",
          "[unit][outbound_failures]") {
  backoff_policy policy;
  policy.base_ms = 200;
  policy.max_ms = 5000;
  CHECK(backoff_ceiling_ms(policy, 1) == 200);
  CHECK(backoff_ceiling_ms(policy, 2) == 400);
  CHECK(backoff_ceiling_ms(policy, 5) == 3200);
  CHECK(backoff_ceiling_ms(policy, 6) == 5000);
  CHECK(backoff_ceiling_ms(policy, 1000) == 5000);  // no overflow however many attempts

  std::mt19937_64 random(42);
  std::set<int64_t> seen;
  for (int attempt = 1; attempt <= 8; ++attempt) {
    const auto ceiling = backoff_ceiling_ms(policy, attempt);
    for (int i = 0; i < 200; ++i) {
      const auto delay = backoff_delay_ms(policy, attempt, random);
      CHECK(delay >= ceiling / 2);
      CHECK(delay <= ceiling);
      if (attempt == 8) seen.insert(delay);
    }
  }
  CHECK(seen.size() > 50);  // jittered, not one fixed value
  // The same seed gives the same waits: a failing test can be replayed.
  std::mt19937_64 first(7), second(7);
  CHECK(backoff_delay_ms(policy, 3, first) == backoff_delay_ms(policy, 3, second));
}

TEST_CASE("a blocked chat's calls are dropped, queued ones included, until it is unblocked",
          "[unit][outbound_failures]") {
  outbound_queue q;
  q.push(message(1, "in flight", call_priority::interactive, 1));
  q.push(message(1, "queued", call_priority::interactive, 2));
  q.push(message(2, "other chat", call_priority::interactive, 3));
  auto first = q.next(0);
  REQUIRE(text_of(*first) == "in flight");
  q.finish(first->token, 0);  // say Telegram answered 403
  auto dropped = q.block_chat(1);
  REQUIRE(dropped.size() == 1);
  CHECK(dropped[0].params["text"] == "queued");
  CHECK(q.is_blocked(1));
  CHECK(q.push(message(1, "later", call_priority::interactive, 4)).outcome ==
        push_outcome::dropped_blocked);
  auto settled = q.take_settled_outbox_ids();
  std::sort(settled.begin(), settled.end());
  CHECK(settled == std::vector<int64_t>{1, 2, 4});
  CHECK(text_of(next_sent(q, 0)) == "other chat");
  CHECK_FALSE(q.next(0));

  q.unblock_chat(1);
  CHECK(q.push(message(1, "welcome back")).outcome == push_outcome::queued);
  CHECK(text_of(next_sent(q, 0)) == "welcome back");
}

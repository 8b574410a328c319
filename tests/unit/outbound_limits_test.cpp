// Rate limits of the outbound queue: the token bucket itself, and the bot-wide, per-chat and
// per-group limits as the queue applies them, on an explicit clock.

#include <catch2/catch.hpp>

#include "telegram/outbound_allowance.hpp"
#include "tests/unit/outbound_queue_fixture.hpp"

using namespace lastcall::telegram;
using namespace lastcall::tests::outbound;

TEST_CASE("a token comes back a period after its call was answered", "[unit][outbound_limits]") {
  outbound_allowance a(2, 1000);
  CHECK(a.available(0));
  a.take();
  a.take();
  CHECK(a.ready_at(0) == outbound_allowance::never);  // both out, no answer yet
  a.give_back(300);
  CHECK(a.ready_at(400) == 1300);  // counted from the answer, not from sending
  a.give_back(500);
  CHECK(a.ready_at(1299) == 1300);
  CHECK(a.available(1300));
  CHECK_FALSE(a.full(1300));
  CHECK(a.full(1500));
  outbound_allowance unlimited;
  CHECK(unlimited.available(0));
}

TEST_CASE("a chat gets its burst at once, then no more than its rate", "[unit][outbound_limits]") {
  outbound_queue q(chat_rate(1, 3));
  for (int i = 0; i < 5; ++i) q.push(message(7, "m" + std::to_string(i)));
  CHECK(drain(q, 0) == std::vector<std::string>{"m0", "m1", "m2"});
  // Three per three seconds, counted from each answer, plus the 20 ms clock margin.
  CHECK(drain(q, 3019).empty());
  CHECK(q.next_due() == 3020);
  CHECK(drain(q, 3020) == std::vector<std::string>{"m3", "m4"});
}

TEST_CASE("a chat out of tokens does not hold up other chats", "[unit][outbound_limits]") {
  outbound_queue q(chat_rate(1, 1));
  q.push(message(1, "a1"));
  q.push(message(1, "a2"));
  q.push(message(2, "b1"));
  CHECK(drain(q, 0) == std::vector<std::string>{"a1", "b1"});
  CHECK(drain(q, 500).empty());
  CHECK(drain(q, 1019).empty());
  CHECK(drain(q, 1020) == std::vector<std::string>{"a2"});
}

TEST_CASE("the bot-wide limit holds every chat, but never callback answers",
          "[unit][outbound_limits]") {
  outbound_limits limits;
  limits.global_per_second = 2;
  outbound_queue q(limits);
  for (int chat = 1; chat <= 4; ++chat) q.push(message(chat, "c" + std::to_string(chat)));
  auto first = next_sent(q, 0);
  auto second = next_sent(q, 0);
  CHECK_FALSE(q.next(0));
  CHECK_FALSE(q.next_due());  // both tokens out: the answers free them, not the clock
  q.push(answer_callback_query("q1"));
  CHECK(next_sent(q, 0).call.method == "answerCallbackQuery");
  q.finish(first.token, 100);
  q.finish(second.token, 200);
  CHECK_FALSE(q.next(1119));
  CHECK(q.next_due() == 1120);
  CHECK(text_of(next_sent(q, 1120)) == "c3");
  CHECK_FALSE(q.next(1120));
}

TEST_CASE("a group gets its per-minute allowance, private chats are not counted against it",
          "[unit][outbound_limits]") {
  outbound_limits limits;
  limits.group_per_minute = 2;
  outbound_queue q(limits);
  const int64_t group = -100123;
  for (int i = 0; i < 3; ++i) q.push(message(group, "g" + std::to_string(i)));
  for (int i = 0; i < 3; ++i) q.push(message(5, "p" + std::to_string(i)));
  auto sent = drain(q, 0);
  // g2 waits for the group's minute; the private chat is not held up.
  CHECK(sent == std::vector<std::string>{"g0", "g1", "p0", "p1", "p2"});
  CHECK(drain(q, 60'019).empty());
  CHECK(drain(q, 60'020) == std::vector<std::string>{"g2"});
}

TEST_CASE("no limits are applied when none are set", "[unit][outbound_limits]") {
  outbound_queue q;
  for (int i = 0; i < 100; ++i) q.push(message(1, std::to_string(i)));
  CHECK(drain(q, 0).size() == 100);
}

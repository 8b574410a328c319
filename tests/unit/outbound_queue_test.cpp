#include <catch2/catch.hpp>

#include "tests/unit/outbound_queue_fixture.hpp"

using namespace lastcall::telegram;
using namespace lastcall::tests::outbound;

TEST_CASE("one call per chat is in flight, in the order given", "[unit][outbound_queue]") {
  outbound_queue q;
  q.push(message(1, "a"));
  q.push(message(1, "b"));
  q.push(message(2, "c"));
  auto first = next_sent(q, 0);
  CHECK(text_of(first) == "a");
  CHECK(text_of(next_sent(q, 0)) == "c");  // chat 1 is busy with "a"
  CHECK_FALSE(q.next(0));
  q.finish(first.token);
  CHECK(text_of(next_sent(q, 0)) == "b");
}

TEST_CASE("callback answers go before interactive replies, and those before bulk",
          "[unit][outbound_queue]") {
  outbound_queue q;
  q.push(message(1, "bulk", call_priority::bulk));
  q.push(message(2, "reply"));
  q.push(answer_callback_query("q1", "ok"));
  CHECK(q.next(0)->call.method == "answerCallbackQuery");
  CHECK(text_of(*q.next(0)) == "reply");
  CHECK(text_of(*q.next(0)) == "bulk");
}

TEST_CASE("a retried call keeps its chat's order and waits for its time",
          "[unit][outbound_queue]") {
  outbound_queue q;
  q.push(message(1, "a"));
  q.push(message(1, "b"));
  auto a = q.next(0);
  q.retry_at(a->token, 1000);
  CHECK_FALSE(q.next(500));  // "b" must not overtake "a"
  CHECK(q.next_due() == 1000);
  auto again = next_sent(q, 1000);
  CHECK(text_of(again) == "a");
  CHECK(again.attempt == 2);
  q.finish(again.token);
  CHECK(text_of(*q.next(1000)) == "b");
}

TEST_CASE("calls without a chat do not wait for each other", "[unit][outbound_queue]") {
  outbound_queue q;
  q.push(answer_callback_query("q1"));
  q.push(answer_callback_query("q2"));
  CHECK(q.next(0));
  CHECK(q.next(0));
  CHECK(q.in_flight() == 2);
  CHECK_FALSE(q.idle());
}

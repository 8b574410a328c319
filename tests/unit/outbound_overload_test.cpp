// The outbound queue under overload: bounded, and explicit about what it gives up.

#include <catch2/catch.hpp>

#include "telegram/outbound_queue.hpp"
#include "telegram/requests.hpp"

using namespace lastcall::telegram;

namespace {

api_call message(int64_t chat, const std::string& text, call_priority p, int64_t outbox_id = 0) {
  auto call = send_message(chat, text, nullptr, p);
  call.outbox_id = outbox_id;
  return call;
}

std::vector<std::string> texts_sent(outbound_queue& q) {
  std::vector<std::string> sent;
  while (auto d = q.next(0)) {
    sent.push_back(d->call.params.value("text", ""));
    q.finish(d->token, 0);
  }
  return sent;
}

}  // namespace

TEST_CASE("a full queue drops its oldest bulk call to make room", "[unit][outbound_overload]") {
  outbound_limits limits;
  limits.max_queued = 3;
  outbound_queue q(limits);
  q.push(message(1, "bulk-1", call_priority::bulk, 101));
  q.push(message(2, "bulk-2", call_priority::bulk, 102));
  q.push(message(3, "reply-1", call_priority::interactive));
  auto pushed = q.push(message(4, "reply-2", call_priority::interactive));
  CHECK(pushed.outcome == push_outcome::queued);
  REQUIRE(pushed.evicted);
  CHECK(pushed.evicted->params["text"] == "bulk-1");
  CHECK(q.queued() == 3);
  // The dropped call's outbox row is done with: it must not come back after a restart.
  CHECK(q.take_settled_outbox_ids() == std::vector<int64_t>{101});

  // A newer bulk call also makes room by dropping an older one.
  auto bulk = q.push(message(5, "bulk-3", call_priority::bulk));
  REQUIRE(bulk.evicted);
  CHECK(bulk.evicted->params["text"] == "bulk-2");
  CHECK(q.queued() == 3);
  CHECK(texts_sent(q) == std::vector<std::string>{"reply-1", "reply-2", "bulk-3"});
}

TEST_CASE("with no bulk call to drop, a full queue refuses the new call",
          "[unit][outbound_overload]") {
  outbound_limits limits;
  limits.max_queued = 2;
  outbound_queue q(limits);
  q.push(message(1, "a", call_priority::interactive));
  q.push(message(1, "b", call_priority::interactive));
  auto refused = q.push(message(2, "c", call_priority::interactive, 7));
  CHECK(refused.outcome == push_outcome::refused_overload);
  CHECK_FALSE(refused.evicted);
  CHECK(q.queued() == 2);
  CHECK(q.take_settled_outbox_ids() == std::vector<int64_t>{7});
  CHECK(q.push(message(3, "d", call_priority::bulk)).outcome == push_outcome::refused_overload);
  CHECK(texts_sent(q) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("dropping a chat's head lets its next call take its place", "[unit][outbound_overload]") {
  outbound_limits limits;
  limits.max_queued = 3;
  outbound_queue q(limits);
  q.push(message(1, "old bulk", call_priority::bulk));
  q.push(message(1, "reply", call_priority::interactive));
  q.push(message(2, "other", call_priority::interactive));
  auto pushed = q.push(message(3, "newcomer", call_priority::interactive));
  REQUIRE(pushed.evicted);
  CHECK(q.queued() == 3);
  auto sent = texts_sent(q);
  CHECK(sent == std::vector<std::string>{"reply", "other", "newcomer"});
  CHECK(q.idle());
}

TEST_CASE("calls in flight are never dropped and do not count against the bound",
          "[unit][outbound_overload]") {
  outbound_limits limits;
  limits.max_queued = 1;
  outbound_queue q(limits);
  q.push(message(1, "in flight", call_priority::bulk));
  auto d = q.next(0);
  REQUIRE(d);
  auto pushed = q.push(message(2, "queued", call_priority::bulk));
  CHECK(pushed.outcome == push_outcome::queued);
  CHECK_FALSE(pushed.evicted);
  CHECK(q.in_flight() == 1);
  CHECK(q.queued() == 1);
}

// The outbound queue under overload: bounded, and explicit about what it gives up.

#include <catch2/catch.hpp>

#include "tests/unit/outbound_queue_fixture.hpp"

using namespace lastcall::telegram;
using namespace lastcall::tests::outbound;

TEST_CASE("a full queue drops its oldest bulk call to make room", "[unit][outbound_overload]") {
  outbound_queue q(bounded(3));
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
  CHECK(drain(q) == std::vector<std::string>{"reply-1", "reply-2", "bulk-3"});
}

TEST_CASE("with no bulk call to drop, a full queue refuses the new call",
          "[unit][outbound_overload]") {
  outbound_queue q(bounded(2));
  q.push(message(1, "a", call_priority::interactive));
  q.push(message(1, "b", call_priority::interactive));
  auto refused = q.push(message(2, "c", call_priority::interactive, 7));
  CHECK(refused.outcome == push_outcome::refused_overload);
  CHECK_FALSE(refused.evicted);
  CHECK(q.queued() == 2);
  CHECK(q.take_settled_outbox_ids() == std::vector<int64_t>{7});
  CHECK(q.push(message(3, "d", call_priority::bulk)).outcome == push_outcome::refused_overload);
  CHECK(drain(q) == std::vector<std::string>{"a", "b"});
}

TEST_CASE("dropping a chat's head lets its next call take its place", "[unit][outbound_overload]") {
  outbound_queue q(bounded(3));
  q.push(message(1, "old bulk", call_priority::bulk));
  q.push(message(1, "reply", call_priority::interactive));
  q.push(message(2, "other", call_priority::interactive));
  auto pushed = q.push(message(3, "newcomer", call_priority::interactive));
  REQUIRE(pushed.evicted);
  CHECK(q.queued() == 3);
  auto sent = drain(q);
  CHECK(sent == std::vector<std::string>{"reply", "other", "newcomer"});
  CHECK(q.idle());
}

TEST_CASE("calls in flight are never dropped and do not count against the bound",
          "[unit][outbound_overload]") {
  outbound_queue q(bounded(1));
  q.push(message(1, "in flight", call_priority::bulk));
  auto d = q.next(0);
  REQUIRE(d);
  auto pushed = q.push(message(2, "queued", call_priority::bulk));
  CHECK(pushed.outcome == push_outcome::queued);
  CHECK_FALSE(pushed.evicted);
  CHECK(q.in_flight() == 1);
  CHECK(q.queued() == 1);
}

namespace {

api_call confirmation(int64_t chat, const std::string& text, int64_t outbox_id) {
  auto call = message(chat, text, call_priority::interactive, outbox_id);
  call.must_deliver = true;
  return call;
}

}  // namespace

TEST_CASE("one chat's backlog makes room in that chat, never in another's",
          "[unit][outbound_overload]") {
  outbound_queue q(bounded(6, 3));
  q.push(message(9, "other-1", call_priority::bulk, 201));
  for (int i = 1; i <= 8; ++i)
    q.push(message(1, "flood-" + std::to_string(i), call_priority::interactive));
  CHECK(q.queued() == 4);
  // The other chat's bulk call was older than all of the flood and is still there.
  q.push(message(9, "other-2", call_priority::interactive));
  CHECK(drain(q) ==
        std::vector<std::string>{"flood-6", "flood-7", "flood-8", "other-1", "other-2"});
}

TEST_CASE("a committed confirmation is never dropped or refused for room",
          "[unit][outbound_overload]") {
  outbound_queue q(bounded(3, 2));
  q.push(confirmation(1, "code-1", 11));
  q.push(confirmation(1, "code-2", 12));
  // The chat is at its bound with confirmations only: a reply that confirms nothing is refused...
  auto reply = q.push(message(1, "page", call_priority::interactive, 13));
  CHECK(reply.outcome == push_outcome::refused_overload);
  CHECK(q.take_settled_outbox_ids() == std::vector<int64_t>{13});
  // ...a further confirmation is kept beyond both bounds.
  CHECK(q.push(confirmation(1, "code-3", 14)).outcome == push_outcome::queued);
  CHECK(q.push(confirmation(2, "code-4", 15)).outcome == push_outcome::queued);
  CHECK(q.queued() == 4);
  // A bulk confirmation is not what the global bound drops either.
  auto bulk = confirmation(3, "owner notice", 16);
  bulk.priority = call_priority::bulk;
  q.push(bulk);
  CHECK(q.push(message(4, "menu", call_priority::interactive)).outcome ==
        push_outcome::refused_overload);
  CHECK(drain(q) ==
        std::vector<std::string>{"code-1", "code-2", "code-3", "code-4", "owner notice"});
}

TEST_CASE("a flooding chat's oldest droppable reply goes first, its confirmations stay",
          "[unit][outbound_overload]") {
  outbound_queue q(bounded(0, 3));
  q.push(message(1, "page-1", call_priority::interactive));
  q.push(confirmation(1, "code", 21));
  q.push(message(1, "page-2", call_priority::interactive));
  auto pushed = q.push(message(1, "page-3", call_priority::interactive));
  REQUIRE(pushed.evicted);
  CHECK(pushed.evicted->params["text"] == "page-1");
  CHECK(drain(q) == std::vector<std::string>{"code", "page-2", "page-3"});
}

// Edits of one message that wait together collapse into one call with the latest content.

#include <algorithm>

#include <catch2/catch.hpp>

#include "telegram/outbound_coalescing.hpp"
#include "tests/unit/outbound_queue_fixture.hpp"

using namespace lastcall::telegram;
using namespace lastcall::tests::outbound;

namespace {

nlohmann::json keyboard(const std::string& data) {
  return {{"inline_keyboard", {{{{"text", data}, {"callback_data", data}}}}}};
}

}  // namespace

TEST_CASE("only the latest text of a waiting edit is sent", "[unit][outbound_coalescing]") {
  outbound_queue q;
  const auto busy = occupy(q, 1);  // chat 1 is busy: the edits wait
  CHECK(q.push(with_outbox_id(edit_message_text(1, 10, "3 left", keyboard("a")), 11)).outcome ==
        push_outcome::queued);
  CHECK(q.push(with_outbox_id(edit_message_text(1, 10, "2 left", keyboard("b")), 12)).outcome ==
        push_outcome::coalesced);
  CHECK(q.push(with_outbox_id(edit_message_text(1, 10, "1 left", keyboard("c")), 13)).outcome ==
        push_outcome::coalesced);
  CHECK(q.queued() == 1);
  q.finish(busy, 0);
  auto edit = next_sent(q, 0);
  CHECK(text_of(edit) == "1 left");
  CHECK(edit.call.params["reply_markup"] == keyboard("c"));
  CHECK_FALSE(q.next(0));
  q.take_settled_outbox_ids();
  q.finish(edit.token, 0);
  // Every outbox row the merged call stands for is done with it.
  auto settled = q.take_settled_outbox_ids();
  std::sort(settled.begin(), settled.end());
  CHECK(settled == std::vector<int64_t>{11, 12, 13});
}

TEST_CASE("a markup-only edit folds into a waiting text edit", "[unit][outbound_coalescing]") {
  auto text = edit_message_text(1, 10, "new text", keyboard("old"));
  auto merged = merge_edits(text, edit_message_reply_markup(1, 10, keyboard("new")));
  CHECK(merged.method == "editMessageText");
  CHECK(merged.params["text"] == "new text");
  CHECK(merged.params["reply_markup"] == keyboard("new"));

  // A markup edit without markup removes the keyboard; so does the merged text edit.
  auto removed = merge_edits(text, edit_message_reply_markup(1, 10));
  CHECK(removed.method == "editMessageText");
  CHECK_FALSE(removed.params.contains("reply_markup"));

  // A whole-message edit after a markup edit replaces it.
  auto replaced = merge_edits(edit_message_reply_markup(1, 10, keyboard("x")),
                              edit_message_text(1, 10, "latest"));
  CHECK(replaced.method == "editMessageText");
  CHECK(replaced.params["text"] == "latest");
  CHECK_FALSE(replaced.params.contains("reply_markup"));
}

TEST_CASE("edits of other messages, or one already sent, are not merged",
          "[unit][outbound_coalescing]") {
  outbound_queue q;
  q.push(edit_message_text(1, 10, "first"));
  auto in_flight = q.next(0);
  REQUIRE(in_flight);
  // The first edit is on its way: the second must still go, after it.
  CHECK(q.push(edit_message_text(1, 10, "second")).outcome == push_outcome::queued);
  CHECK(q.push(edit_message_text(1, 11, "other message")).outcome == push_outcome::queued);
  CHECK(q.push(edit_message_text(2, 10, "other chat")).outcome == push_outcome::queued);
  CHECK(q.queued() == 3);
  CHECK(q.push(send_message(1, "not an edit")).outcome == push_outcome::queued);
  CHECK(q.push(send_message(1, "not an edit")).outcome == push_outcome::queued);
  CHECK(q.queued() == 5);
}

TEST_CASE("a merged edit keeps its place and takes the more urgent priority",
          "[unit][outbound_coalescing]") {
  outbound_queue q;
  const auto busy_2 = occupy(q, 2);
  const auto busy_3 = occupy(q, 3);
  q.push(edit_message_text(2, 5, "bulk edit", nullptr, call_priority::bulk));
  q.push(send_message(3, "reply"));
  q.push(send_message(2, "after the edit"));
  // A user's action edits the same message: it is now interactive, and goes first.
  CHECK(q.push(edit_message_text(2, 5, "user's edit")).outcome == push_outcome::coalesced);
  q.finish(busy_2, 0);
  q.finish(busy_3, 0);
  auto first = next_sent(q, 0);
  CHECK(text_of(first) == "user's edit");  // pushed before "reply": it goes first
  CHECK(first.call.priority == call_priority::interactive);
  CHECK(text_of(next_sent(q, 0)) == "reply");
  q.finish(first.token, 0);
  CHECK(text_of(next_sent(q, 0)) == "after the edit");
}

#pragma once
// What the outbound_* unit tests share: the calls they push, the limits they set, and reading back
// what the queue sends, all on an explicit clock.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "telegram/outbound_queue.hpp"
#include "telegram/requests.hpp"

namespace lastcall::tests::outbound {

using telegram::api_call;
using telegram::call_priority;
using telegram::outbound_limits;
using telegram::outbound_queue;

inline api_call with_outbox_id(api_call call, int64_t outbox_id) {
  call.outbox_id = outbox_id;
  return call;
}

// A text message to `chat`; outbox_id 0 is a call that is not in the outbox.
inline api_call message(int64_t chat, const std::string& text,
                        call_priority priority = call_priority::interactive,
                        int64_t outbox_id = 0) {
  return with_outbox_id(telegram::send_message(chat, text, nullptr, priority), outbox_id);
}

inline std::string text_of(const outbound_queue::dispatch& d) {
  return d.call.params.value("text", "");
}

// The call the queue sends at `now`; the test stops if it sends none.
inline outbound_queue::dispatch next_sent(outbound_queue& q, int64_t now) {
  auto d = q.next(now);
  REQUIRE(d);
  return *d;
}

// Puts a call to `chat` in flight on an otherwise idle queue, so what is pushed for that chat next
// waits; the token that finishes it.
inline uint64_t occupy(outbound_queue& q, int64_t chat) {
  q.push(message(chat, "busy"));
  return next_sent(q, 0).token;
}

// Sends whatever may go at `now`, answering each call at once; the texts in sending order.
inline std::vector<std::string> drain(outbound_queue& q, int64_t now = 0) {
  std::vector<std::string> sent;
  while (auto d = q.next(now)) {
    sent.push_back(text_of(*d));
    q.finish(d->token, now);
  }
  return sent;
}

// Limits bounding how many calls may wait (0: unbounded).
inline outbound_limits bounded(size_t max_queued, size_t max_queued_per_chat = 0) {
  outbound_limits limits;
  limits.max_queued = max_queued;
  limits.max_queued_per_chat = max_queued_per_chat;
  return limits;
}

// Limits under which 429s from `chats` chats within `window_ms` pause the whole bot.
inline outbound_limits global_throttle_after(int chats, int64_t window_ms) {
  outbound_limits limits;
  limits.global_throttle_chats = chats;
  limits.global_throttle_window_ms = window_ms;
  return limits;
}

// Limits giving each chat `burst` calls at once and `per_second` on average.
inline outbound_limits chat_rate(int per_second, int burst) {
  outbound_limits limits;
  limits.chat_per_second = per_second;
  limits.chat_burst = burst;
  return limits;
}

}  // namespace lastcall::tests::outbound

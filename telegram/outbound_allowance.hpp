#pragma once
// A token bucket for Bot API calls, with an explicit clock. It holds `capacity` tokens; a call
// takes one when it is sent, and the token comes back `period` after the call's answer arrived.
//
// Why tokens return after the answer rather than at a steady rate from the moment of sending:
// Telegram counts a message when it reaches Telegram, and all the bot knows is that this happened
// between sending and the answer. Network delays vary, so two calls sent exactly 1 s apart may
// arrive 0.9 s apart and be refused. Counting from the answer, any two calls that shared a token
// reached Telegram at least `period` apart, so at most `capacity` calls arrive in any window of
// `period`, whatever the network does: exactly Telegram's "N per period", and never above it.
// The cost is a little throughput (a token is out for one round trip more), which is also the
// right reaction when Telegram answers slowly.

#include <cstdint>
#include <deque>
#include <limits>

namespace lastcall::telegram {

class outbound_allowance {
 public:
  static constexpr int64_t never = std::numeric_limits<int64_t>::max();

  // capacity 0: no limit at all.
  outbound_allowance(int capacity = 0, int64_t period_ms = 0)
      : capacity_(capacity), period_ms_(period_ms) {}

  bool limited() const { return capacity_ > 0; }

  // The earliest time, not before now_ms, at which a token is free; `never` while every token is
  // out with a call still unanswered (the answer frees one).
  int64_t ready_at(int64_t now_ms);
  bool available(int64_t now_ms) { return ready_at(now_ms) <= now_ms; }

  // A call was sent: a token is out until give_back.
  void take();
  // The call's answer arrived at answered_ms: its token is free again at answered_ms + period.
  void give_back(int64_t answered_ms);

  // Every token free and none out: the allowance is as good as new and may be forgotten.
  bool full(int64_t now_ms);
  int out() const { return out_; }

 private:
  void expire(int64_t now_ms);

  int capacity_;
  int64_t period_ms_;
  int out_ = 0;                    // taken by calls not yet answered
  std::deque<int64_t> returning_;  // times at which answered calls' tokens are free again
};

}  // namespace lastcall::telegram

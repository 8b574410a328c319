#pragma once
// Telegram-style flood control: a sliding one-second window per chat and one across all chats. A
// call over the limit is refused with the whole seconds until the window has room again, as
// Telegram's retry_after does. Telegram tolerates short bursts in a private chat; with
// per_chat_burst set, a chat may get that many calls at once but no more than that in any
// burst / per_chat_per_second seconds (on average still per_chat_per_second).

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <unordered_map>

namespace lastcall::sandbox {

// Calls per second; 0 switches a limit off.
struct rate_limits {
  int per_chat_per_second = 0;
  int global_per_second = 0;
  int per_chat_burst = 0;  // 0: per_chat_per_second in any one second
};

// Not thread-safe: the world calls it under its own lock.
class rate_limiter {
 public:
  using time_point = std::chrono::steady_clock::time_point;
  // Injectable so tests can freeze time and get the same answer on every machine.
  using clock = std::function<time_point()>;

  explicit rate_limiter(rate_limits limits = {}, clock now = {});

  void set_limits(rate_limits limits);
  rate_limits limits() const { return limits_; }

  // Records a call to `chat_id` (0: a call that names no chat, limited only globally) and returns
  // 0, or, when a limit is reached, records nothing and returns the seconds to wait (at least 1).
  int admit(int64_t chat_id);

 private:
  using window = std::deque<time_point>;

  static void expire(window& calls, time_point now, std::chrono::milliseconds length);
  static int seconds_until_room(const window& calls, time_point now,
                                std::chrono::milliseconds length);
  std::chrono::milliseconds chat_window() const;
  size_t chat_capacity() const;
  void forget_idle_chats(time_point now);

  rate_limits limits_;
  clock now_;
  window global_;
  std::unordered_map<int64_t, window> per_chat_;
  size_t admitted_since_cleanup_ = 0;
};

}  // namespace lastcall::sandbox

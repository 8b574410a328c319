#include "sandbox/rate_limiter.hpp"

#include <utility>

namespace lastcall::sandbox {

namespace {

constexpr auto window_length = std::chrono::seconds(1);

// Idle per-chat windows are dropped now and then so a long run with many chats does not grow
// without bound.
constexpr size_t cleanup_every = 1024;

}  // namespace

rate_limiter::rate_limiter(rate_limits limits, clock now) : limits_(limits), now_(std::move(now)) {
  if (!now_) now_ = [] { return std::chrono::steady_clock::now(); };
}

void rate_limiter::set_limits(rate_limits limits) {
  limits_ = limits;
}

void rate_limiter::expire(window& calls, time_point now, std::chrono::milliseconds length) {
  while (!calls.empty() && calls.front() + length <= now) calls.pop_front();
}

int rate_limiter::seconds_until_room(const window& calls, time_point now,
                                     std::chrono::milliseconds length) {
  const auto wait = calls.front() + length - now;
  const auto whole_seconds = std::chrono::ceil<std::chrono::seconds>(wait).count();
  return whole_seconds < 1 ? 1 : static_cast<int>(whole_seconds);
}

std::chrono::milliseconds rate_limiter::chat_window() const {
  if (limits_.per_chat_burst <= 0) return window_length;
  return std::chrono::milliseconds(int64_t{1000} * limits_.per_chat_burst /
                                   limits_.per_chat_per_second);
}

size_t rate_limiter::chat_capacity() const {
  return static_cast<size_t>(limits_.per_chat_burst > 0 ? limits_.per_chat_burst
                                                        : limits_.per_chat_per_second);
}

int rate_limiter::admit(int64_t chat_id) {
  const auto now = now_();
  const bool chat_limited = limits_.per_chat_per_second > 0 && chat_id != 0;
  const bool globally_limited = limits_.global_per_second > 0;
  if (!chat_limited && !globally_limited) return 0;

  window* chat_calls = nullptr;
  if (chat_limited) {
    chat_calls = &per_chat_[chat_id];
    expire(*chat_calls, now, chat_window());
    if (chat_calls->size() >= chat_capacity()) {
      return seconds_until_room(*chat_calls, now, chat_window());
    }
  }
  if (globally_limited) {
    expire(global_, now, window_length);
    if (global_.size() >= static_cast<size_t>(limits_.global_per_second)) {
      return seconds_until_room(global_, now, window_length);
    }
    global_.push_back(now);
  }
  if (chat_calls) chat_calls->push_back(now);

  if (++admitted_since_cleanup_ >= cleanup_every) forget_idle_chats(now);
  return 0;
}

void rate_limiter::forget_idle_chats(time_point now) {
  admitted_since_cleanup_ = 0;
  for (auto it = per_chat_.begin(); it != per_chat_.end();) {
    expire(it->second, now, chat_window());
    it = it->second.empty() ? per_chat_.erase(it) : std::next(it);
  }
}

}  // namespace lastcall::sandbox

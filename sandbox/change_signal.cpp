#include "sandbox/change_signal.hpp"

namespace lastcall::sandbox {

void change_signal::notify() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    ++generation_;
  }
  changed_.notify_all();
}

uint64_t change_signal::generation() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return generation_;
}

bool change_signal::wait_past(uint64_t seen, time_point deadline) const {
  std::unique_lock<std::mutex> guard(mutex_);
  return changed_.wait_until(guard, deadline, [&] { return generation_ != seen; });
}

bool change_signal::wait_until(const std::function<bool()>& predicate,
                               std::chrono::milliseconds timeout) const {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    const auto seen = generation();
    if (predicate()) return true;
    if (!wait_past(seen, deadline)) return predicate();
  }
}

void change_signal::close() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    closed_ = true;
  }
  notify();
}

void change_signal::reopen() {
  {
    std::lock_guard<std::mutex> guard(mutex_);
    closed_ = false;
  }
  notify();
}

bool change_signal::closed() const {
  std::lock_guard<std::mutex> guard(mutex_);
  return closed_;
}

}  // namespace lastcall::sandbox

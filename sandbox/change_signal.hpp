#pragma once
// What every wait in the sandbox waits on. The world's parts each guard their own state with their
// own mutex, yet a wait may depend on several of them (a test waiting for a bot message and an
// empty queue, a long poll that must stop when the server closes). So every part announces each of
// its changes here, and a waiter re-checks its condition after each announcement. The generation
// count closes the gap between checking and waiting: a change announced after the check has moved
// it on, so the wait returns at once instead of sleeping through the change.
//
// The signal's lock is always the last one taken and is never held while a part's lock is taken
// or a predicate runs, so it adds no lock order of its own.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>

namespace lastcall::sandbox {

class change_signal {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  void notify();
  uint64_t generation() const;
  // Returns once a change after `seen` is announced (true) or at the deadline (false).
  bool wait_past(uint64_t seen, time_point deadline) const;
  // `predicate` runs with no lock of this signal held, so it may read any part.
  bool wait_until(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) const;

  // Closed while the server goes: waits that serve HTTP clients end early instead of holding their
  // threads. Closing and reopening are changes like any other.
  void close();
  void reopen();
  bool closed() const;

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable changed_;
  uint64_t generation_ = 0;
  bool closed_ = false;
};

}  // namespace lastcall::sandbox

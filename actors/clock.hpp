#pragma once
// Wall-clock time for the actors. Domain logic never reads the clock itself: actors pass `now` in.

#include <chrono>
#include <cstdint>

namespace lastcall::actors {

inline int64_t unix_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Milliseconds of a clock that never jumps: for rates and timeouts, not for what is stored.
inline int64_t steady_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

}  // namespace lastcall::actors

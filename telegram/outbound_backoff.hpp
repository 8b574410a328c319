#pragma once
// How long to wait before sending a call again after a 5xx, a timeout or a broken connection:
// exponential in the attempt number, capped, with "equal jitter" (a random half on top of a fixed
// half). The jitter keeps many calls that failed together (Telegram had a hiccup) from all coming
// back at the same instant; the fixed half keeps the wait from collapsing to nothing.

#include <cstdint>
#include <random>

namespace lastcall::telegram {

struct backoff_policy {
  int64_t base_ms = 200;    // the wait after the first failed attempt, before jitter
  int64_t max_ms = 10'000;  // no wait is longer than this
  int max_attempts = 6;     // the call is given up after this many failed attempts
};

// The nominal wait after `attempt` failed attempts (1-based): base * 2^(attempt-1), capped.
int64_t backoff_ceiling_ms(const backoff_policy& policy, int attempt);

// A wait in [ceiling/2, ceiling], drawn from `random` (seed it for reproducible tests).
int64_t backoff_delay_ms(const backoff_policy& policy, int attempt, std::mt19937_64& random);

}  // namespace lastcall::telegram

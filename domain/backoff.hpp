#pragma once
// How long to wait before trying again after a failure (a 5xx from Telegram, a database that does
// not answer): exponential in the number of failures in a row, capped, with "equal jitter" (a
// random half on top of a fixed half). The jitter keeps many callers that failed together (an
// outage ends) from all coming back at the same instant; the fixed half keeps the wait from
// collapsing to nothing. Every retry loop of the server uses it.

#include <chrono>
#include <cstdint>
#include <random>

namespace lastcall::domain {

struct backoff_policy {
  int64_t base_ms = 200;    // the wait after the first failed attempt, before jitter
  int64_t max_ms = 10'000;  // no wait is longer than this
  int max_attempts = 6;     // where a caller gives up (the outbound queue); others retry forever
};

// The nominal wait after `attempt` failed attempts (1-based): base * 2^(attempt-1), capped.
int64_t backoff_ceiling_ms(const backoff_policy& policy, int attempt);

// A wait in [ceiling/2, ceiling], drawn from `random` (seed it for reproducible tests).
int64_t backoff_delay_ms(const backoff_policy& policy, int attempt, std::mt19937_64& random);

// The failures in a row of one thing that is retried until it succeeds. Small (a session holds
// one): the policy is referred to, not copied, and the jitter comes from a generator per thread.
class retry_backoff {
 public:
  // `policy` outlives this (a constant of the caller's).
  explicit retry_backoff(const backoff_policy& policy) : policy_(&policy) {}

  // One more failure: how long to wait before the next try.
  std::chrono::milliseconds next();
  // It worked: the next failure waits the shortest time again.
  void reset() { failures_ = 0; }
  int failures() const { return failures_; }

 private:
  const backoff_policy* policy_;
  int failures_ = 0;
};

}  // namespace lastcall::domain

#include "domain/backoff.hpp"

#include <algorithm>

namespace lastcall::domain {

int64_t backoff_ceiling_ms(const backoff_policy& policy, int attempt) {
  const int64_t base = std::max<int64_t>(1, policy.base_ms);
  const int64_t cap = std::max(base, policy.max_ms);
  // Doubling stops as soon as the cap is reached, so no shift can overflow.
  int64_t wait = base;
  for (int i = 1; i < attempt && wait < cap; ++i) wait *= 2;
  return std::min(wait, cap);
}

int64_t backoff_delay_ms(const backoff_policy& policy, int attempt, std::mt19937_64& random) {
  const auto ceiling = backoff_ceiling_ms(policy, attempt);
  const auto half = ceiling / 2;
  std::uniform_int_distribution<int64_t> extra(0, ceiling - half);
  return half + extra(random);
}

std::chrono::milliseconds retry_backoff::next() {
  thread_local std::mt19937_64 random{std::random_device{}()};
  if (failures_ < 64) ++failures_;
  return std::chrono::milliseconds(backoff_delay_ms(*policy_, failures_, random));
}

}  // namespace lastcall::domain

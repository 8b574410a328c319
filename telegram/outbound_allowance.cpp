#include "telegram/outbound_allowance.hpp"

#include <algorithm>

namespace lastcall::telegram {

void outbound_allowance::expire(int64_t now_ms) {
  while (!returning_.empty() && returning_.front() <= now_ms) returning_.pop_front();
}

int64_t outbound_allowance::ready_at(int64_t now_ms) {
  if (!limited()) return now_ms;
  expire(now_ms);
  const auto busy = static_cast<size_t>(out_) + returning_.size();
  if (busy < static_cast<size_t>(capacity_)) return now_ms;
  if (returning_.empty()) return never;
  return returning_.front();
}

void outbound_allowance::take() {
  if (limited()) ++out_;
}

void outbound_allowance::give_back(int64_t answered_ms) {
  if (!limited() || out_ == 0) return;
  --out_;
  const auto free_at = answered_ms + period_ms_;
  // Answers come in time order, so this is an append; the search keeps it sorted regardless.
  returning_.insert(std::upper_bound(returning_.begin(), returning_.end(), free_at), free_at);
}

bool outbound_allowance::full(int64_t now_ms) {
  expire(now_ms);
  return out_ == 0 && returning_.empty();
}

}  // namespace lastcall::telegram

#include "domain/flood_gate.hpp"

#include <algorithm>

namespace lastcall::domain {
namespace {
constexpr int64_t sweep_every_ms = 60'000;
}

flood_gate::flood_gate(flood_limits limits) : limits_(limits) {
  limits_.burst = std::max(1, limits_.burst);
}

void flood_gate::refill(bucket& b, int64_t now_ms) const {
  if (now_ms <= b.refilled_ms) return;
  b.tokens = std::min<double>(limits_.burst,
                              b.tokens + (now_ms - b.refilled_ms) * limits_.per_second / 1000.0);
  b.refilled_ms = now_ms;
}

void flood_gate::forget_idle(int64_t now_ms) {
  swept_ms_ = now_ms;
  for (auto it = buckets_.begin(); it != buckets_.end();) {
    auto& b = it->second;
    refill(b, now_ms);
    const bool notice_over = !b.noticed || now_ms - b.noticed_ms >= limits_.notice_every_ms;
    it = b.tokens >= limits_.burst && notice_over ? buckets_.erase(it) : std::next(it);
  }
}

flood_verdict flood_gate::admit(int64_t user_id, int64_t now_ms) {
  if (limits_.per_second <= 0) return flood_verdict::handle;
  if (now_ms - swept_ms_ >= sweep_every_ms) forget_idle(now_ms);
  auto [it, fresh] = buckets_.try_emplace(user_id);
  auto& b = it->second;
  if (fresh) {
    b.tokens = limits_.burst;
    b.refilled_ms = now_ms;
  }
  refill(b, now_ms);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return flood_verdict::handle;
  }
  if (b.noticed && now_ms - b.noticed_ms < limits_.notice_every_ms) return flood_verdict::drop;
  b.noticed = true;
  b.noticed_ms = now_ms;
  return flood_verdict::drop_and_notify;
}

}  // namespace lastcall::domain

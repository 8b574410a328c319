#pragma once
// Counters of the actors' work, updated on the actors' threads and read by the metrics page from
// any other thread, hence atomics. One instance per server, shared by pointer.

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>

namespace lastcall::actors {

// A cumulative-bucket histogram in the shape Prometheus expects, without locks.
class latency_histogram {
 public:
  static constexpr std::array<double, 12> bounds_seconds{0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                         0.1,   0.25,   0.5,   1.0,  2.5,   10.0};

  void observe(std::chrono::microseconds elapsed) {
    const double seconds = static_cast<double>(elapsed.count()) / 1e6;
    size_t bucket = 0;
    while (bucket < bounds_seconds.size() && seconds > bounds_seconds[bucket]) ++bucket;
    counts_[bucket].fetch_add(1, std::memory_order_relaxed);
    sum_microseconds_.fetch_add(static_cast<uint64_t>(elapsed.count()), std::memory_order_relaxed);
  }
  // Observations at or below bounds_seconds[i]; i == bounds_seconds.size() means all of them.
  uint64_t cumulative(size_t i) const {
    uint64_t total = 0;
    for (size_t b = 0; b <= i && b < counts_.size(); ++b)
      total += counts_[b].load(std::memory_order_relaxed);
    return total;
  }
  uint64_t count() const { return cumulative(bounds_seconds.size()); }
  double sum_seconds() const {
    return static_cast<double>(sum_microseconds_.load(std::memory_order_relaxed)) / 1e6;
  }

 private:
  std::array<std::atomic<uint64_t>, bounds_seconds.size() + 1> counts_{};  // the last: +Inf
  std::atomic<uint64_t> sum_microseconds_{0};
};

struct runtime_metrics {
  std::atomic<uint64_t> updates_received{0};    // handed to the router
  std::atomic<uint64_t> updates_duplicate{0};   // re-delivered, recognised and not applied again
  std::atomic<uint64_t> updates_handled{0};     // their effects durable
  std::atomic<uint64_t> updates_unreadable{0};  // could not be decoded: acknowledged, not handled
  std::atomic<uint64_t> updates_flood_dropped{0};  // beyond the user's flood limit: acknowledged
  std::atomic<uint64_t> updates_spooled{0};        // poll batches spooled during an outage
  std::atomic<uint64_t> inbox_unhandled{0};  // in the inbox, handed to sessions, not yet handled
  // From the update reaching its session to its effects being durable.
  latency_histogram handler_latency;
  std::atomic<uint64_t> notifications_handled{0};
  std::atomic<uint64_t> live_sessions{0};
  std::atomic<uint64_t> live_offers{0};
  std::atomic<uint64_t> webhook_requests{0};
  std::atomic<uint64_t> webhook_rejected{0};  // wrong or missing secret token, or a bad body
};

}  // namespace lastcall::actors

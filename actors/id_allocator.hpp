#pragma once
// Ids for new entities, handed out in memory so that creating one needs no database round trip.
// Shared by every actor that creates entities of a kind (offer actors all create reservations),
// hence atomic. Seeded at start-up above the largest id ever stored.

#include <atomic>
#include <cstdint>

namespace lastcall::actors {

class id_allocator {
 public:
  explicit id_allocator(int64_t largest_used = 0) : next_(largest_used + 1) {}
  int64_t next() { return next_.fetch_add(1, std::memory_order_relaxed); }

 private:
  std::atomic<int64_t> next_;
};

}  // namespace lastcall::actors

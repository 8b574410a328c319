#pragma once
// Counters of the persistence actor. It updates them on its own thread; a status page or a test
// reads them from any other thread at any time, hence atomics.

#include <atomic>
#include <cstdint>

namespace lastcall::persistence {

struct persistence_metrics {
  std::atomic<uint64_t> batches{0};  // transactions committed
  std::atomic<uint64_t> units{0};    // units committed
  // Rows written: entities, events, outbox calls, processed ids, deletions.
  std::atomic<uint64_t> rows{0};
  // Units the database rejected (bad data); their requesters got an error.
  std::atomic<uint64_t> failed_units{0};
  // Units refused at once because too many were already waiting.
  std::atomic<uint64_t> refused_units{0};
  std::atomic<uint64_t> last_batch_units{0};
  std::atomic<uint64_t> largest_batch_units{0};
  // Wall time of the last successful batch transaction.
  std::atomic<uint64_t> last_commit_microseconds{0};
  std::atomic<uint64_t> pending_units{0};  // accepted but not yet committed
  // How often the database became unreachable (or a commit's outcome unknown).
  std::atomic<uint64_t> outages{0};
  std::atomic<bool> outage{false};  // unreachable right now: units are kept and retried
};

}  // namespace lastcall::persistence

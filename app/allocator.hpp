#pragma once
// The process's memory allocator: jemalloc, linked into the bot and the in-process benchmarks. With
// glibc's malloc a hot offer decided about 250,000 reservations per second, a third of the time in
// malloc and free: a message is allocated on one worker thread and freed on the other, and glibc
// takes its arena lock for every such free. jemalloc's per-thread caches made it about 2.5x faster
// (BENCHMARKS.md, "Hot offer").

#include <cstdint>
#include <optional>

namespace lastcall::app {

struct allocator_stats {
  int64_t allocated = 0;  // bytes handed out and not yet freed
  int64_t resident = 0;   // bytes of the allocator's pages that are in memory
};

// Refreshed figures; nothing when jemalloc cannot say.
std::optional<allocator_stats> read_allocator_stats();

// Hands unused pages back to the system now rather than after jemalloc's decay time.
void release_free_memory();

}  // namespace lastcall::app

#include "app/allocator.hpp"

#include <cstddef>
#include <string>

#include <jemalloc/jemalloc.h>

namespace lastcall::app {

namespace {

std::optional<int64_t> read_size(const char* name) {
  size_t value = 0;
  size_t length = sizeof(value);
  if (mallctl(name, &value, &length, nullptr, 0) != 0) return std::nullopt;
  return static_cast<int64_t>(value);
}

}  // namespace

std::optional<allocator_stats> read_allocator_stats() {
  // jemalloc's statistics are a snapshot taken when the epoch advances.
  uint64_t epoch = 1;
  size_t length = sizeof(epoch);
  if (mallctl("epoch", &epoch, &length, &epoch, length) != 0) return std::nullopt;
  auto allocated = read_size("stats.allocated");
  auto resident = read_size("stats.resident");
  if (!allocated || !resident) return std::nullopt;
  return allocator_stats{*allocated, *resident};
}

void release_free_memory() {
  static const std::string all_arenas = "arena." + std::to_string(MALLCTL_ARENAS_ALL) + ".purge";
  mallctl(all_arenas.c_str(), nullptr, nullptr, nullptr, 0);
}

}  // namespace lastcall::app

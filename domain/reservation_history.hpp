#pragma once
// A customer's past reservations (picked up, cancelled, missed), a page at a time: the durable
// record, read from the database, so it survives restarts and covers deals long over. Pure paging
// rules; persistence/past_reservations.* reads the pages.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "domain/entities.hpp"

namespace lastcall::domain {

struct reservation_history_page {
  std::vector<reservation_entry> entries;  // newest first
  bool more = false;                       // older ones follow
};

inline constexpr int64_t history_page_size = 5;
// Further back than this the history is not paged: 200 pages of five.
inline constexpr int64_t history_max_offset = 1000;

// The offset a history button carries ("20"), when it is one a page could have drawn: a multiple
// of the page size within the bound. Callback data is user input.
std::optional<int64_t> history_offset_named(const std::string& text);

}  // namespace lastcall::domain

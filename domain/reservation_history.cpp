#include "domain/reservation_history.hpp"

#include <algorithm>

namespace lastcall::domain {

std::optional<int64_t> history_offset_named(const std::string& text) {
  if (text.empty() || text.size() > 4 ||
      !std::all_of(text.begin(), text.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  if (text.size() > 1 && text[0] == '0') return std::nullopt;
  const int64_t offset = std::stoll(text);
  if (offset % history_page_size != 0 || offset > history_max_offset) return std::nullopt;
  return offset;
}

}  // namespace lastcall::domain

#pragma once
// Reading the parts of the customer buttons' callback data ("card:<offer_id>:<back>", "qty:...",
// "res:...", "cancel:..."). Callback data is user input: anyone can send any 64 bytes, so every
// part is parsed strictly and anything unexpected is refused rather than guessed at.

#include <cstdint>
#include <optional>
#include <string>

namespace lastcall::flows {

// Which list a customer came from, so a card's Back button returns there.
struct list_position {
  enum class list { browse, nearby };
  list which = list::browse;
  int page = 0;  // 0-based

  bool operator==(const list_position& o) const { return which == o.which && page == o.page; }
};

// The largest page number a button may carry; ranking clamps it to the last page anyway.
inline constexpr int max_page_number = 99999;

// "b3" for page 3 of /browse, "n0" for the first page of /nearby.
std::string encode_position(const list_position& position);
std::optional<list_position> decode_position(const std::string& text);

// A positive id: 1 to 18 ASCII digits, no sign, no spaces.
std::optional<int64_t> parse_id(const std::string& text);

// A non-negative whole number of at most `max`: ASCII digits only.
std::optional<int64_t> parse_number(const std::string& text, int64_t max);

}  // namespace lastcall::flows

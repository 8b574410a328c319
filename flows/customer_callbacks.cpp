#include "flows/customer_callbacks.hpp"

namespace lastcall::flows {

namespace {

// 18 digits always fit in int64_t, so accumulating them cannot overflow.
constexpr size_t max_digits = 18;

std::optional<int64_t> digits_value(const std::string& text) {
  if (text.empty() || text.size() > max_digits) return std::nullopt;
  int64_t value = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  return value;
}

}  // namespace

std::string encode_position(const list_position& position) {
  return (position.which == list_position::list::nearby ? "n" : "b") +
         std::to_string(position.page);
}

std::optional<list_position> decode_position(const std::string& text) {
  if (text.size() < 2) return std::nullopt;
  list_position position;
  if (text[0] == 'b')
    position.which = list_position::list::browse;
  else if (text[0] == 'n')
    position.which = list_position::list::nearby;
  else
    return std::nullopt;
  auto page = parse_number(text.substr(1), max_page_number);
  if (!page) return std::nullopt;
  position.page = static_cast<int>(*page);
  return position;
}

std::optional<int64_t> parse_id(const std::string& text) {
  auto value = digits_value(text);
  if (!value || *value < 1) return std::nullopt;
  return value;
}

std::optional<int64_t> parse_number(const std::string& text, int64_t max) {
  auto value = digits_value(text);
  if (!value || *value > max) return std::nullopt;
  return value;
}

}  // namespace lastcall::flows

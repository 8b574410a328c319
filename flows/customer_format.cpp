#include "flows/customer_format.hpp"

#include "domain/geo.hpp"
#include "domain/input_parsing.hpp"

namespace lastcall::flows {

namespace {

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() &&
         text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

bool is_continuation_byte(char c) {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

std::string two_digits(int n) {
  return (n < 10 ? "0" : "") + std::to_string(n);
}

}  // namespace

std::string money_text(const turn& t, int64_t minor, const std::string& currency) {
  return domain::format_money(minor, currency.empty() ? t.settings().currency : currency, t.lang());
}

std::string window_text(const turn& t, int64_t start, int64_t end) {
  domain::day_words words{t.text("customer.today"), t.text("customer.tomorrow")};
  return domain::format_pickup_window(start, end, t.now(), t.settings().utc_offset_minutes, words);
}

std::string moment_text(const turn& t, int64_t unix_time) {
  domain::day_words words{t.text("customer.today"), t.text("customer.tomorrow")};
  return domain::format_moment(unix_time, t.now(), t.settings().utc_offset_minutes, words);
}

std::string clock_text(const turn& t, int64_t unix_time) {
  constexpr int64_t day = 24 * 3600;
  int64_t local = (unix_time + int64_t{t.settings().utc_offset_minutes} * 60) % day;
  if (local < 0) local += day;
  return two_digits(static_cast<int>(local / 3600)) + ":" +
         two_digits(static_cast<int>(local % 3600 / 60));
}

std::string distance_text(const turn& t, double meters) {
  std::string text = domain::format_distance(meters);
  for (const auto& [unit, key] : {std::pair<std::string, std::string>{" km", "customer.unit.km"},
                                  std::pair<std::string, std::string>{" m", "customer.unit.m"}}) {
    if (ends_with(text, unit)) return text.substr(0, text.size() - unit.size()) + " " + t.text(key);
  }
  return text;
}

size_t code_points(const std::string& text) {
  size_t count = 0;
  for (char c : text) count += is_continuation_byte(c) ? 0 : 1;
  return count;
}

std::string shorten(const std::string& text, size_t max_chars) {
  if (max_chars == 0) return {};
  size_t chars = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (is_continuation_byte(text[i])) continue;
    if (chars == max_chars - 1) {
      // Room for one more character: keep the rest only if it is exactly that one.
      size_t next = i + 1;
      while (next < text.size() && is_continuation_byte(text[next])) ++next;
      if (next >= text.size()) return text;
      return text.substr(0, i) + "\xE2\x80\xA6";
    }
    ++chars;
  }
  return text;
}

}  // namespace lastcall::flows

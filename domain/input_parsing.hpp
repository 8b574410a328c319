#pragma once
// Reading what businesses type into forms (prices, quantities, pickup windows, names, phone
// numbers) and writing money and times back for people. A parser returns the value, or the catalog
// key of the reason it refused so the conversation can say what to fix.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "domain/entities.hpp"

namespace lastcall::domain {

template <class T>
struct parsed {
  std::optional<T> value;
  std::string reason_key;  // e.g. "input.money.invalid"; empty when the value was accepted

  bool ok() const { return value.has_value(); }
  static parsed accept(T v) { return {std::move(v), {}}; }
  static parsed refuse(std::string key) { return {std::nullopt, std::move(key)}; }
};

inline constexpr int64_t max_money_minor = 1'000'000'000'000;  // 10^10 in major units
inline constexpr int32_t max_quantity = 10000;
inline constexpr int64_t max_window_seconds = 48 * 3600;
// Surplus food is sold for the coming days, not months: a window further out is almost surely a
// typo (or a day and month swapped).
inline constexpr int64_t max_window_lead_seconds = 7 * 24 * 3600;

// A price in minor units (1/100 of the currency unit). Accepts digits with an optional decimal part
// of one or two digits after '.' (or after ',' when one or two digits end the text), and spaces,
// no-break or thin spaces, or commas between groups of three digits: "12000", "12 000", "12,000",
// "12000.50", "12,5". Refuses: "input.empty", "input.money.invalid" (anything else),
// "input.money.not_positive" (zero or negative), "input.money.too_large" (above max_money_minor).
parsed<int64_t> parse_money(const std::string& text);

// A number of items, 1..max_quantity. Refuses: "input.empty", "input.quantity.invalid",
// "input.quantity.out_of_range".
parsed<int32_t> parse_quantity(const std::string& text);

struct pickup_window {
  int64_t start = 0;  // Unix seconds
  int64_t end = 0;
};

// A pickup window in the business's local time (utc_offset_minutes east of UTC):
//   "18:00-20:30"               today
//   "18:00-20:30 tomorrow"      also "tomorrow 18:00-20:30"; Russian and Uzbek day words work too
//   "2026-12-01 18:00-20:30"    a date; "01.12 18:00-20:30" is the next 1 December, "01.12.2026"
//   works too "22:00 - tomorrow 02:00"    a day before the end time lets the window cross midnight
// Dashes may be '-', '–' or '—', times may use ':' or '.', "24:00" ends a window at midnight.
// A window today that has already ended is refused, never moved to tomorrow: the business may have
// meant a different time. A window that started but has not ended is accepted. Refuses:
// "input.empty", "input.window.invalid" (unreadable, or no such date or time),
// "input.window.end_before_start", "input.window.ended", "input.window.too_long" (over 48 h),
// "input.window.too_far" (starts more than 7 days ahead).
parsed<pickup_window> parse_pickup_window(const std::string& text, int64_t now,
                                          int utc_offset_minutes);

// The words the current language uses for the days nearest to now.
struct day_words {
  std::string today = "today";
  std::string tomorrow = "tomorrow";
};

// A moment as the window shows its start, without "today": "21:30", "tomorrow 09:30", "01.12
// 09:30".
std::string format_moment(int64_t at, int64_t now, int utc_offset_minutes,
                          const day_words& words = {});

// "today 18:00–20:30", "tomorrow 09:00–10:00", "01.12 18:00–20:30" (with the year when it is not
// now's year), "today 22:00–tomorrow 02:00" across midnight, "today 20:00–24:00" when it ends at
// midnight.
std::string format_pickup_window(int64_t start, int64_t end, int64_t now, int utc_offset_minutes,
                                 const day_words& words = {});

// The word for `currency` after an amount in `lang`: "сум" and "so'm" for UZS in Russian and
// Uzbek, the ISO code otherwise (and in English, as banks and receipts there write it).
std::string currency_word(const std::string& currency, language lang);

// An amount as `lang` writes it, the minor part only when it is not zero: "12,000.50 UZS" in
// English; "12 000,50 сум" in Russian and "12 000,50 so'm" in Uzbek, their groups of three joined
// by a no-break space so that an amount never breaks across lines. parse_money reads each back.
std::string format_money(int64_t minor, const std::string& currency, language lang);

// How much cheaper deal is than original, in whole percent rounded to the nearest (0..100).
int discount_percent(int64_t original, int64_t deal);

// Free text such as a title or an address: trimmed, not empty, at most max_chars Unicode code
// points, valid UTF-8 and free of control characters (line breaks only when allow_newlines).
// Returns the trimmed text. Refuses: "input.empty", "input.too_long", "input.invalid_characters".
parsed<std::string> validate_text(const std::string& text, size_t max_chars,
                                  bool allow_newlines = false);

// A phone number: 7 to 15 digits, with an optional leading '+' and spaces, dashes or parentheses
// between them. Returns it with the separators removed ("+998901234567"). Refuses: "input.empty",
// "input.phone.invalid".
parsed<std::string> validate_phone(const std::string& text);

}  // namespace lastcall::domain

#pragma once
// Money, times and distances as customers read them, in their language and the market's time zone.

#include <cstddef>
#include <cstdint>
#include <string>

#include "flows/turn.hpp"

namespace lastcall::flows {

// "15,000 UZS", "15 000 сум": as the user's language writes it; an empty currency means the
// market's.
std::string money_text(const turn& t, int64_t minor, const std::string& currency = "");

// "today 18:00–20:00", with "today" and "tomorrow" in the user's language.
std::string window_text(const turn& t, int64_t start, int64_t end);

// "21:30", "tomorrow 09:30": a moment in the market's time zone, its day said unless it is today.
std::string moment_text(const turn& t, int64_t unix_time);

// "18:30": the local wall-clock time of a Unix time.
std::string clock_text(const turn& t, int64_t unix_time);

// "350 m", "1.2 km" with the unit in the user's language.
std::string distance_text(const turn& t, double meters);

// How many Unicode code points the UTF-8 text has.
size_t code_points(const std::string& text);

// At most max_chars Unicode code points, ending in "…" when cut; never splits a UTF-8 sequence.
std::string shorten(const std::string& text, size_t max_chars);

}  // namespace lastcall::flows

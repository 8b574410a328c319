#pragma once
// What admins see of a past period (/stats): the figures, and which span of time each period
// covers. Pure: the time comes in as an argument.

#include <cstdint>
#include <optional>
#include <string>

namespace lastcall::domain {

// Items are counted, not reservations: "3 items picked up" is what a business feels.
struct period_figures {
  int64_t deals_posted = 0;       // deals first published in the period
  int64_t businesses_active = 0;  // businesses with a deal on offer at some moment of it
  int64_t items_reserved = 0;     // in reservations made in the period, cancelled ones too
  int64_t items_cancelled = 0;    // cancelled in the period
  int64_t items_collected = 0;    // picked up in the period
  int64_t items_missed = 0;       // not picked up by the end of a window that ended in the period
  int64_t money_saved = 0;        // minor units: (usual price - deal price) x items picked up
  int64_t new_users = 0;          // people who first wrote to the bot in the period
};

enum class report_period { today, week, month };

// Unix seconds, `from` included and `to` excluded.
struct time_span {
  int64_t from = 0;
  int64_t to = 0;
};

// Today runs from the businesses' midnight (their UTC offset); a week and a month are the last 7
// and 30 days up to `now`, which both spans include.
time_span span_of(report_period period, int64_t now, int utc_offset_minutes);

// The name a button carries ("today", "7d", "30d"), and back; anything else is nothing.
const char* name_of(report_period period);
std::optional<report_period> report_period_named(const std::string& name);

}  // namespace lastcall::domain

#include "domain/market_report.hpp"

namespace lastcall::domain {

namespace {

constexpr int64_t day = 24 * 60 * 60;

// Rounds toward minus infinity, so instants before 1970 fall on their own day too.
int64_t floor_to_day(int64_t seconds) {
  const int64_t rest = seconds % day;
  return seconds - (rest < 0 ? rest + day : rest);
}

}  // namespace

time_span span_of(report_period period, int64_t now, int utc_offset_minutes) {
  const int64_t to = now + 1;
  switch (period) {
    case report_period::today: {
      const int64_t offset = int64_t{utc_offset_minutes} * 60;
      return {floor_to_day(now + offset) - offset, to};
    }
    case report_period::week:
      return {to - 7 * day, to};
    case report_period::month:
      return {to - 30 * day, to};
  }
  return {to, to};
}

const char* name_of(report_period period) {
  switch (period) {
    case report_period::today:
      return "today";
    case report_period::week:
      return "7d";
    case report_period::month:
      return "30d";
  }
  return "";
}

std::optional<report_period> report_period_named(const std::string& name) {
  for (auto period : {report_period::today, report_period::week, report_period::month})
    if (name == name_of(period)) return period;
  return std::nullopt;
}

}  // namespace lastcall::domain

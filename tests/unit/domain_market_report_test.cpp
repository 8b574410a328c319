// The spans a stats period covers, with an explicit clock and time zone.

#include <catch2/catch.hpp>

#include "domain/market_report.hpp"

using namespace lastcall::domain;

namespace {
constexpr int64_t day = 86400;
constexpr int tashkent = 5 * 60;  // UTC+05:00
// 2026-12-07 18:30:00 UTC, which is 23:30 in Tashkent.
constexpr int64_t evening = 1796668200;
}  // namespace

TEST_CASE("today runs from the businesses' midnight, not UTC's", "[unit][report]") {
  const auto span = span_of(report_period::today, evening, tashkent);
  // Tashkent's midnight of 2026-12-07 is 2026-12-06 19:00 UTC.
  CHECK(span.from == 1796583600);
  CHECK(span.to == evening + 1);

  // Half an hour later it is a new day in Tashkent, though still the 7th in UTC.
  const int64_t after_midnight = evening + 45 * 60;
  CHECK(span_of(report_period::today, after_midnight, tashkent).from == 1796583600 + day);
  CHECK(span_of(report_period::today, after_midnight, 0).from == 1796601600);
}

TEST_CASE("a time zone west of UTC and instants before 1970 keep their own day", "[unit][report]") {
  // 1969-12-31 23:00 UTC is 18:00 in New York (UTC-05:00): its day began at 05:00 UTC.
  const auto span = span_of(report_period::today, -3600, -5 * 60);
  CHECK(span.from == -day + 5 * 3600);
  CHECK(span.to == -3600 + 1);
}

TEST_CASE("a week and a month are the last 7 and 30 days, now included", "[unit][report]") {
  CHECK(span_of(report_period::week, evening, tashkent).from == evening + 1 - 7 * day);
  CHECK(span_of(report_period::month, evening, tashkent).from == evening + 1 - 30 * day);
  CHECK(span_of(report_period::month, evening, tashkent).to == evening + 1);
}

TEST_CASE("periods go by the names their buttons carry, and nothing else", "[unit][report]") {
  for (auto period : {report_period::today, report_period::week, report_period::month})
    CHECK(report_period_named(name_of(period)) == period);
  for (const char* forged : {"", "7", "7D", "today ", "365d", "week"})
    CHECK_FALSE(report_period_named(forged));
}

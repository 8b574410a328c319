#include <catch2/catch.hpp>

#include <string>

#include "domain/input_parsing.hpp"

using namespace lastcall::domain;

namespace {

constexpr int tashkent = 5 * 60;
// 2026-03-10 23:30 in Tashkent (18:30 UTC).
constexpr int64_t late_evening = 1773167400;
// 2026-03-10 12:00 in Tashkent.
constexpr int64_t noon = 1773126000;

template <class T>
std::string refusal(const parsed<T>& p) {
  return p.ok() ? "accepted" : p.reason_key;
}

// Each {text, value}: `parse` accepts the text as that value.
template <class T, class Parse>
void check_accepted(Parse parse, std::initializer_list<std::pair<const char*, T>> cases) {
  for (const auto& [text, value] : cases) {
    INFO("input: " << text);
    const auto p = parse(text);
    REQUIRE(p.ok());
    CHECK(*p.value == value);
  }
}

// Each {text, reason key}: `parse` refuses the text for that reason.
template <class Parse>
void check_refused(Parse parse, std::initializer_list<std::pair<const char*, const char*>> cases) {
  for (const auto& [text, reason] : cases) {
    INFO("input: " << text);
    CHECK(refusal(parse(text)) == reason);
  }
}

// `text`, typed at `now` by a business at `utc_offset` minutes, is the window from start to end.
void check_window(const std::string& text, int64_t start, int64_t end, int64_t now = noon,
                  int utc_offset = tashkent) {
  INFO("window: " << text);
  const auto p = parse_pickup_window(text, now, utc_offset);
  INFO("refusal: " << refusal(p));
  REQUIRE(p.ok());
  CHECK(p.value->start == start);
  CHECK(p.value->end == end);
}

}  // namespace

TEST_CASE("money is read in minor units", "[unit][input]") {
  const std::pair<const char*, int64_t> accepted[] = {{"12000", 1200000},
                                                      {"12 000", 1200000},
                                                      {"12,000", 1200000},
                                                      {"12000.50", 1200050},
                                                      {"12000.5", 1200050},
                                                      {"12 000.05", 1200005},
                                                      {"1,234,567", 123456700},
                                                      {"12\xC2\xA0"
                                                       "000",
                                                       1200000},
                                                      {"12\xE2\x80\x89"
                                                       "000",
                                                       1200000},
                                                      {"12,5", 1250},
                                                      {"12,50", 1250},
                                                      {"  7  ", 700},
                                                      {"0.01", 1},
                                                      {"007", 700},
                                                      {"10000000000", 1'000'000'000'000}};
  for (auto [text, minor] : accepted) {
    CAPTURE(text);
    auto p = parse_money(text);
    REQUIRE(p.ok());
    CHECK(*p.value == minor);
    CHECK(p.reason_key.empty());
  }
}

TEST_CASE("money refuses garbage, zero, negatives and huge amounts", "[unit][input]") {
  CHECK(refusal(parse_money("")) == "input.empty");
  CHECK(refusal(parse_money("   ")) == "input.empty");
  for (const char* text :
       {"abc", "12k", "12.5k", "12 50", "1 2 3", "12,00,000", "1234 567", "12.", ".50", "12.345",
        "12.3.4", "12  000", "12, 000", "$12", "12 UZS", "1e5", "+12", "12,000.5.0", ",5"}) {
    CAPTURE(text);
    CHECK(refusal(parse_money(text)) == "input.money.invalid");
  }
  check_refused(parse_money, {{"0", "input.money.not_positive"},
                              {"0.00", "input.money.not_positive"},
                              {"-12000", "input.money.not_positive"},
                              {"\xE2\x88\x92"
                               "5",
                               "input.money.not_positive"},
                              {"-abc", "input.money.invalid"},
                              {"10000000000.01", "input.money.too_large"},
                              {"99999999999999999999999", "input.money.too_large"}});
}

TEST_CASE("quantities are whole numbers from 1 to 10000", "[unit][input]") {
  check_accepted<int32_t>(parse_quantity, {{"1", 1}, {" 25 ", 25}, {"10000", 10000}, {"0003", 3}});
  check_refused(parse_quantity, {{"", "input.empty"},
                                 {"0", "input.quantity.out_of_range"},
                                 {"10001", "input.quantity.out_of_range"},
                                 {"99999999999999", "input.quantity.out_of_range"},
                                 {"-3", "input.quantity.out_of_range"},
                                 {"3.5", "input.quantity.invalid"},
                                 {"five", "input.quantity.invalid"},
                                 {"1 000", "input.quantity.invalid"}});
}

TEST_CASE("a pickup window without a day is today in the business's time zone", "[unit][input]") {
  for (const char* same :
       {"18:00-20:30", "18:00 - 20:30", "18.00-20.30", "18:00–20:30", "18:00 — 20:30",
        " today 18:00-20:30 ", "18:00-20:30 Today", "сегодня 18:00-20:30", "18:00-20:30 bugun"}) {
    check_window(same, 1773147600, 1773156600);
  }
}

TEST_CASE("a pickup window can be tomorrow", "[unit][input]") {
  for (const char* text : {"18:00-20:30 tomorrow", "tomorrow 18:00-20:30", "18:00-20:30 Завтра",
                           "ЗАВТРА 18:00-20:30", "ertaga 18:00-20:30"}) {
    check_window(text, 1773234000, 1773243000);
  }
}

TEST_CASE("a pickup window can name its date", "[unit][input]") {
  for (const char* text :
       {"2026-03-12 18:00-20:30", "12.03 18:00-20:30", "12.03.2026 18:00-20:30"}) {
    check_window(text, 1773320400, 1773329400);
  }
}

TEST_CASE("a day and month without a year mean the next such date", "[unit][input]") {
  const int64_t new_years_eve_morning = 1798693200;  // 2026-12-31 10:00 in Tashkent
  check_window("01.01 09:00-10:00", 1798776000, 1798779600, new_years_eve_morning);
  check_window("31.12 18:00-20:30", 1798722000, 1798731000, new_years_eve_morning);
}

TEST_CASE("a window that already ended today is refused, not moved to tomorrow", "[unit][input]") {
  auto p = parse_pickup_window("18:00-20:30", late_evening, tashkent);
  CHECK(refusal(p) == "input.window.ended");
  // 00:30-02:00 "today" was this morning.
  CHECK(refusal(parse_pickup_window("00:30-02:00", late_evening, tashkent)) ==
        "input.window.ended");
  // Ending exactly now counts as ended.
  CHECK(refusal(parse_pickup_window("22:00-23:30", late_evening, tashkent)) ==
        "input.window.ended");
}

TEST_CASE("a window in progress is accepted", "[unit][input]") {
  check_window("23:00-23:59", 1773165600, 1773169140, late_evening);
}

TEST_CASE("time-zone math around midnight", "[unit][input]") {
  // Just before local midnight, "tomorrow" is the next local day.
  check_window("00:30-02:00 tomorrow", 1773171000, 1773176400, late_evening);

  // 20:30 UTC on the 10th is already 01:30 on the 11th in Tashkent: "today" is the 11th there.
  const int64_t after_local_midnight = 1773174600;
  check_window("09:00-10:00", 1773201600, 1773205200, after_local_midnight);

  // West of UTC: 01:00 UTC on the 11th is still 22:00 on the 10th at UTC-3.
  const int64_t utc_morning = 1773190800;
  check_window("23:00-23:30", 1773194400, 1773196200, utc_morning, -180);
}

TEST_CASE("a window can cross midnight or end at 24:00", "[unit][input]") {
  check_window("22:00 - tomorrow 02:00", 1773162000, 1773176400);
  check_window("20:00-24:00", 1773154800, 1773169200);
  CHECK(refusal(parse_pickup_window("24:00-24:00", noon, tashkent)) == "input.window.invalid");
}

TEST_CASE("pickup windows are refused with a reason", "[unit][input]") {
  CHECK(refusal(parse_pickup_window("", noon, tashkent)) == "input.empty");
  for (const char* text : {"evening", "18-20", "18:00", "18:00-", "18:00 20:30", "25:00-26:00",
                           "18:60-19:00", "18:00-20:61", "18:00-24:30", "31.02 18:00-20:30",
                           "2026-13-01 18:00-20:30", "today 18:00-20:30 tomorrow",
                           "yesterday 18:00-20:30", "18:00-20:30 next week", "1800-2030"}) {
    CAPTURE(text);
    CHECK(refusal(parse_pickup_window(text, noon, tashkent)) == "input.window.invalid");
  }
  CHECK(refusal(parse_pickup_window("20:30-18:00", noon, tashkent)) ==
        "input.window.end_before_start");
  CHECK(refusal(parse_pickup_window("18:00-18:00", noon, tashkent)) ==
        "input.window.end_before_start");
  CHECK(refusal(parse_pickup_window("2026-03-09 18:00-20:30", noon, tashkent)) ==
        "input.window.ended");
  CHECK(refusal(parse_pickup_window("13:00 - 12.03 13:01", noon, tashkent)) ==
        "input.window.too_long");
  CHECK(parse_pickup_window("13:00 - 12.03 13:00", noon, tashkent).ok());
  CHECK(refusal(parse_pickup_window("2026-03-18 18:00-20:30", noon, tashkent)) ==
        "input.window.too_far");
  CHECK(parse_pickup_window("2026-03-16 18:00-20:30", noon, tashkent).ok());
}

TEST_CASE("pickup windows are shown relative to today", "[unit][input]") {
  CHECK(format_pickup_window(1773147600, 1773156600, noon, tashkent) == "today 18:00–20:30");
  CHECK(format_pickup_window(1773234000, 1773243000, noon, tashkent) == "tomorrow 18:00–20:30");
  CHECK(format_pickup_window(1773320400, 1773329400, noon, tashkent) == "12.03 18:00–20:30");
  // From 31 December, 1 January is tomorrow and 2 January needs its year.
  CHECK(format_pickup_window(1798776000, 1798779600, 1798693200, tashkent) ==
        "tomorrow 09:00–10:00");
  CHECK(format_pickup_window(1798862400, 1798866000, 1798693200, tashkent) ==
        "02.01.2027 09:00–10:00");
  CHECK(format_pickup_window(1773162000, 1773176400, noon, tashkent) ==
        "today 22:00–tomorrow 02:00");
  CHECK(format_pickup_window(1773154800, 1773169200, noon, tashkent) == "today 20:00–24:00");
  CHECK(format_pickup_window(1773147600, 1773156600, noon, tashkent, {"сегодня", "завтра"}) ==
        "сегодня 18:00–20:30");
}

TEST_CASE("showing a window uses the business's local day", "[unit][input]") {
  // 01:30 on the 11th in Tashkent: a window at 09:00 local is today, although UTC is still the
  // 10th.
  CHECK(format_pickup_window(1773201600, 1773205200, 1773174600, tashkent) == "today 09:00–10:00");
  CHECK(format_pickup_window(1773201600, 1773205200, 1773174600, 0) == "tomorrow 04:00–05:00");
}

TEST_CASE("a parsed window formats back to what was typed", "[unit][input]") {
  for (const char* text : {"18:00-20:30", "18:00-20:30 tomorrow"}) {
    auto p = parse_pickup_window(text, noon, tashkent);
    REQUIRE(p.ok());
    const auto shown = format_pickup_window(p.value->start, p.value->end, noon, tashkent);
    CHECK(parse_pickup_window(shown, noon, tashkent).value->start == p.value->start);
  }
}

TEST_CASE("money is shown in groups of three, as each language writes it", "[unit][input]") {
  const language en = language::en;
  CHECK(format_money(1200000, "UZS", en) == "12,000 UZS");
  CHECK(format_money(1200050, "UZS", en) == "12,000.50 UZS");
  CHECK(format_money(1200005, "UZS", en) == "12,000.05 UZS");
  CHECK(format_money(99, "UZS", en) == "0.99 UZS");
  CHECK(format_money(0, "UZS", en) == "0 UZS");
  CHECK(format_money(100000000000, "UZS", en) == "1,000,000,000 UZS");
  CHECK(format_money(12345600, "", en) == "123,456");
  CHECK(format_money(-150000, "USD", en) == "-1,500 USD");

  const std::string nbsp = "\xC2\xA0";
  CHECK(format_money(1200050, "UZS", language::ru) == "12" + nbsp + "000,50 сум");
  CHECK(format_money(100000000000, "UZS", language::uz) ==
        "1" + nbsp + "000" + nbsp + "000" + nbsp + "000 so'm");
  CHECK(format_money(150000, "USD", language::ru) == "1" + nbsp + "500 USD");
  CHECK(currency_word("UZS", language::uz) == "so'm");
  CHECK(currency_word("EUR", language::ru) == "EUR");
}

TEST_CASE("an amount as the bot shows it reads back as the same amount", "[unit][input]") {
  for (int64_t minor : {int64_t{1}, int64_t{99}, int64_t{1200000}, int64_t{1200050},
                        int64_t{123456789}, max_money_minor}) {
    for (auto lang : {language::en, language::ru, language::uz}) {
      INFO(minor << " in " << to_string(lang));
      CHECK(parse_money(format_money(minor, "", lang)).value == minor);
    }
  }
}

TEST_CASE("the discount is a rounded whole percent", "[unit][input]") {
  CHECK(discount_percent(20000, 8000) == 60);
  CHECK(discount_percent(12000, 8000) == 33);
  CHECK(discount_percent(10000, 3333) == 67);
  CHECK(discount_percent(10000, 10000) == 0);
  CHECK(discount_percent(10000, 12000) == 0);
  CHECK(discount_percent(0, 100) == 0);
  CHECK(discount_percent(10000, 0) == 100);
  CHECK(discount_percent(1'000'000'000'000, 1) == 100);
}

TEST_CASE("text is trimmed and checked", "[unit][input]") {
  auto p = validate_text("  Fresh croissants \n", 40);
  REQUIRE(p.ok());
  CHECK(*p.value == "Fresh croissants");
  CHECK(*validate_text("Круассаны", 9).value == "Круассаны");
  CHECK(refusal(validate_text("Круассаны", 8)) == "input.too_long");
  CHECK(*validate_text("🥐🥐", 2).value == "🥐🥐");
  CHECK(refusal(validate_text("", 10)) == "input.empty");
  CHECK(refusal(validate_text(" \t\n ", 10)) == "input.empty");
  CHECK(refusal(validate_text("abcdefghijk", 10)) == "input.too_long");
  const auto one_line_of_20 = [](const std::string& text) { return validate_text(text, 20); };
  check_refused(one_line_of_20, {{"tab\there", "input.invalid_characters"},
                                 {"bell\x07", "input.invalid_characters"},
                                 {"del\x7F", "input.invalid_characters"},
                                 {"c1\xC2\x85", "input.invalid_characters"},
                                 {"bad\xFFutf8", "input.invalid_characters"},
                                 {"cut\xD0", "input.invalid_characters"},
                                 {"overlong\xC0\xAF", "input.invalid_characters"},
                                 {"surrogate\xED\xA0\x80", "input.invalid_characters"},
                                 {"two\nlines", "input.invalid_characters"}});
  CHECK(*validate_text("two\nlines", 20, true).value == "two\nlines");
}

TEST_CASE("phone numbers keep their digits and a leading plus", "[unit][input]") {
  check_accepted<std::string>(validate_phone, {{"+998 (90) 123-45-67", "+998901234567"},
                                               {"90 123 45 67", "901234567"},
                                               {"1234567", "1234567"},
                                               {"+123456789012345", "+123456789012345"}});
  check_refused(validate_phone, {{"", "input.empty"},
                                 {"123456", "input.phone.invalid"},
                                 {"+1234567890123456", "input.phone.invalid"},
                                 {"998+901234567", "input.phone.invalid"},
                                 {"call me", "input.phone.invalid"},
                                 {"+998 90 123 45 67 ext 5", "input.phone.invalid"}});
}

TEST_CASE("a moment is shown by its clock time, with its day unless it is today", "[unit][input]") {
  // 2023-11-14 22:13:20 UTC is 2023-11-15 03:13:20 in Tashkent (+05:00).
  const int64_t now = 1'700'000'000;
  const int tashkent = 300;
  const day_words words{"today", "tomorrow"};
  CHECK(format_moment(now, now, tashkent, words) == "03:13");
  CHECK(format_moment(now + 18 * 3600, now, tashkent, words) == "21:13");
  CHECK(format_moment(now + 24 * 3600, now, tashkent, words) == "tomorrow 03:13");
  CHECK(format_moment(now + 3 * 24 * 3600, now, tashkent, words) == "18.11 03:13");
  CHECK(format_moment(now + 60 * 24 * 3600, now, tashkent, words) == "14.01.2024 03:13");
}

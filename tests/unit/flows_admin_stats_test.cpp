// /stats: the market now, and the figures of today, 7 and 30 days back from the database, one tap
// apart; driven through the dispatcher against an in-memory market.

#include <catch2/catch.hpp>

#include "tests/unit/flows_business_chat.hpp"

using namespace lastcall::business_test;

namespace {

constexpr int64_t admin = 900;
constexpr int64_t owner = 501;

lastcall::domain::period_figures some_week() {
  lastcall::domain::period_figures f;
  f.deals_posted = 12;
  f.businesses_active = 4;
  f.items_reserved = 230;
  f.items_cancelled = 9;
  f.items_collected = 200;
  f.items_missed = 21;
  f.money_saved = 1'850'000'00;  // minor units
  f.new_users = 57;
  return f;
}

}  // namespace

TEST_CASE("/stats offers the periods as buttons, and a tap edits the figures in place",
          "[unit][business][report]") {
  chat c({admin});
  c.market.figures_answer = some_week();

  auto now = c.says(admin, "/stats").back();
  CHECK_THAT(now.text, Catch::Contains("The market now"));
  CHECK(button(now, "· Now ·") == "adm:stats:now");
  const auto week = button(now, "7 days");
  REQUIRE(week == "adm:stats:7d");

  auto shown = c.taps(admin, week, 41);
  REQUIRE(shown.size() == 2);
  CHECK(shown[0].method == "answerCallbackQuery");
  CHECK(shown[1].method == "editMessageText");
  const auto& figures = shown[1].text;
  CHECK_THAT(figures, Catch::Contains("The last 7 days"));
  CHECK_THAT(figures, Catch::Contains("Deals posted: 12"));
  CHECK_THAT(figures, Catch::Contains("Businesses with deals on offer: 4"));
  CHECK_THAT(figures, Catch::Contains("Items reserved: 230 (9 cancelled since)"));
  CHECK_THAT(figures, Catch::Contains("Items picked up: 200, missed: 21"));
  CHECK_THAT(figures, Catch::Contains("Customers saved: 1,850,000 UZS"));
  CHECK_THAT(figures, Catch::Contains("New users: 57"));
  CHECK(button(shown[1], "· 7 days ·") == "adm:stats:7d");
  // The week ends now and began seven days ago.
  REQUIRE(c.market.spans_asked.size() == 1);
  CHECK(c.market.spans_asked[0].to == c.now + 1);
  CHECK(c.market.spans_asked[0].from == c.now + 1 - 7 * 86400);

  // Back to the market now, on the same message.
  auto back = c.taps(admin, "adm:stats:now", 41);
  REQUIRE(back.size() == 2);
  CHECK_THAT(back[1].text, Catch::Contains("The market now"));
}

TEST_CASE("/stats today starts at the businesses' midnight, typed or tapped, in Russian too",
          "[unit][business][report]") {
  chat c({admin});
  c.market.figures_answer = some_week();
  c.sessions[admin].lang = lastcall::domain::language::ru;

  auto today = c.says(admin, "/stats today").back();
  CHECK_THAT(today.text, Catch::Contains("Сегодня, с полуночи"));
  const std::string nbsp = "\xC2\xA0";  // Russian groups digits with no-break spaces
  CHECK_THAT(today.text,
             Catch::Contains("Покупатели сэкономили: 1" + nbsp + "850" + nbsp + "000 сум"));
  CHECK(button(today, "· Сегодня ·") == "adm:stats:today");
  // 2026-01-01 15:00 in Tashkent: the day began at 19:00 UTC the evening before.
  REQUIRE(c.market.spans_asked.size() == 1);
  CHECK(c.market.spans_asked[0].from == 1'767'207'600);

  CHECK_THAT(c.says(admin, "/stats yesterday").back().text, Catch::Contains("/stats 7d"));
  CHECK_THAT(c.says(admin, "/stats 7d please").back().text, Catch::Contains("/stats 7d"));
  CHECK(c.market.spans_asked.size() == 1);
}

TEST_CASE("when the database cannot be read, /stats says so and shows no figures",
          "[unit][business][report]") {
  chat c({admin});
  auto answer = c.taps(admin, "adm:stats:30d");
  REQUIRE(answer.size() == 1);
  CHECK(answer[0].alert);
  CHECK_THAT(answer[0].text, Catch::Contains("cannot be read"));
}

TEST_CASE("forged stats buttons change nothing and tell nothing", "[unit][business][report]") {
  chat c({admin});
  c.market.figures_answer = some_week();
  for (const char* data : {"adm:stats:7d", "adm:stats:now", "adm:stats:today"}) {
    auto refused = c.taps(owner, data);
    REQUIRE(refused.size() == 1);
    CHECK(refused[0].alert);
    CHECK_THAT(refused[0].text, Catch::Contains("admins only"));
  }
  for (const char* data : {"adm:stats:365d", "adm:stats:", "adm:stats:7d:x"}) {
    auto stale = c.taps(admin, data);
    REQUIRE(stale.size() == 1);
    CHECK(stale[0].alert);
  }
  CHECK(c.market.spans_asked.empty());
}

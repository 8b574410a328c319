// Businesses register and admins decide, end to end: the real bot, the sandbox Bot API,
// PostgreSQL.

#include <algorithm>

#include <catch2/catch.hpp>

#include "tests/e2e/business_steps.hpp"
#include "tests/support/market.hpp"

using namespace lastcall::testing;
using namespace lastcall::testing::business_steps;

namespace {

bool has(const std::vector<std::string>& labels, const std::string& label) {
  return std::find(labels.begin(), labels.end(), label) != labels.end();
}

}  // namespace

TEST_CASE("a business registers one answer at a time and the admin gets the application",
          "[e2e][business]") {
  market_with_applicant applying("business-register", 501);
  auto& [m, admin, ann] = applying;

  auto intro = ann.says_and_gets("/register", 2);
  CHECK_THAT(intro[1].text, Catch::Contains("What is your business called?"));
  CHECK(has(button_labels(m.world().reply_keyboard(ann.id())), "✖️ Stop"));

  CHECK_THAT(ann.says("Bakery Nord").text, Catch::Contains("address"));
  CHECK_THAT(ann.says("Main St 1, Tashkent").text, Catch::Contains("📍 Send location"));
  auto keyboard = m.world().reply_keyboard(ann.id());
  CHECK(keyboard["keyboard"][0][0].value("request_location", false));

  CHECK_THAT(ann.shares_location(41.3111, 69.2797).text, Catch::Contains("phone"));
  keyboard = m.world().reply_keyboard(ann.id());
  CHECK(keyboard["keyboard"][0][0].value("request_contact", false));

  CHECK_THAT(ann.shares_contact("+998 90 123 45 67").text, Catch::Contains("photo"));
  auto admin_before = admin.seen();
  auto done = ann.sends_photo("our storefront");
  CHECK_THAT(done.text, Catch::Contains("Bakery Nord"));
  CHECK_THAT(done.text, Catch::Contains("admins"));
  CHECK(has(button_labels(m.world().reply_keyboard(ann.id())), "🛍 Browse"));  // menu is back

  auto card = admin.await_reply(admin_before);
  CHECK_THAT(card.text, Catch::Contains("Bakery Nord"));
  CHECK_THAT(card.text, Catch::Contains("Main St 1, Tashkent"));
  CHECK_THAT(card.text, Catch::Contains("+998901234567"));
  CHECK_THAT(card.text, Catch::Contains("501"));
  CHECK(button_labels(card.reply_markup) == std::vector<std::string>{"✅ Approve", "❌ Reject"});

  CHECK_THAT(ann.says("/mybusiness").text, Catch::Contains("waiting for approval"));
  CHECK_THAT(ann.says("/register").text, Catch::Contains("waiting for approval"));
}

TEST_CASE("each registration answer is checked, with the reason, and nothing is sent early",
          "[e2e][business]") {
  market_with_applicant applying("business-register-checks", 502);
  auto& [m, admin, ann] = applying;

  ann.says_and_gets("/register", 2);
  CHECK_THAT(ann.says(std::string(101, 'n')).text, Catch::Contains("at most 100 characters"));
  ann.says("Bakery Nord");
  CHECK_THAT(ann.says(std::string(201, 'a')).text, Catch::Contains("at most 200 characters"));
  ann.says("Main St 1");
  CHECK_THAT(ann.says("next to the bazaar").text, Catch::Contains("send a location"));
  ann.shares_location(41.3, 69.2);
  CHECK_THAT(ann.says("call me").text, Catch::Contains("doesn't look like a phone number"));
  CHECK_THAT(ann.shares_contact("123").text, Catch::Contains("doesn't look like a phone number"));
  ann.says("+998 (90) 123-45-67");
  CHECK_THAT(ann.says("no photo, sorry").text, Catch::Contains("⏭ Skip"));
  CHECK(admin.seen() == 2);  // nothing reached the admin yet

  CHECK_THAT(ann.says("⏭ Skip").text, Catch::Contains("admins"));
  CHECK_THAT(admin.await_reply(2).text, Catch::Contains("Bakery Nord"));
}

TEST_CASE("a registration left halfway resumes at the missing answer", "[e2e][business]") {
  market m("business-register-resume", {900});
  chat_user ann(m, 503, "Ann");

  ann.says_and_gets("/register", 2);
  ann.says("Bakery Nord");
  CHECK_THAT(ann.says("/help").text, Catch::Contains("/register"));  // any command, any time

  auto resumed = ann.says_and_gets("/register", 2);
  CHECK_THAT(resumed[0].text, Catch::Contains("continue where you left off"));
  CHECK_THAT(resumed[1].text, Catch::Contains("address"));  // the name is kept
  CHECK_THAT(ann.says("Main St 1").text, Catch::Contains("📍 Send location"));

  // Start over, for those who want it.
  auto before = ann.seen();
  ann.taps_button(resumed[0], "Start over");
  CHECK_THAT(ann.await_reply(before + 1).text, Catch::Contains("What is your business called?"));
}

TEST_CASE("a Russian-speaking business registers and hears the decision in Russian",
          "[e2e][business][ru]") {
  market_with_applicant applying("business-register-ru", 504, "Ivan", "ru");
  auto& [m, admin, ivan] = applying;

  auto intro = ivan.says_and_gets("/register", 2);
  CHECK_THAT(intro[1].text, Catch::Contains("Как называется ваш бизнес?"));
  CHECK_THAT(ivan.says("Пекарня Север").text, Catch::Contains("адрес"));
  CHECK_THAT(ivan.says("ул. Навои, 1").text, Catch::Contains("геопозицию"));
  CHECK_THAT(ivan.says("рядом с базаром").text, Catch::Contains("отправьте геопозицию"));
  ivan.shares_location(41.3, 69.2);
  CHECK_THAT(ivan.says("позвоните мне").text, Catch::Contains("не похоже на номер"));
  ivan.shares_contact("+998901112233");
  auto admin_before = admin.seen();
  CHECK_THAT(ivan.says("⏭ Пропустить").text, Catch::Contains("отправлена администраторам"));

  auto card = admin.await_reply(admin_before);
  auto owner_before = ivan.seen();
  auto popup = admin.taps_button(card, "Reject");
  CHECK(!popup.show_alert);
  auto reasons = admin.await_reply(admin_before + 1);
  admin.taps_button(reasons, "not a food business");

  auto decision = ivan.await_reply(owner_before);
  CHECK_THAT(decision.text, Catch::Contains("Пекарня Север не одобрен"));
  CHECK_THAT(decision.text, Catch::Contains("Это не бизнес, связанный с едой."));
  CHECK_THAT(ivan.says("/mybusiness").text, Catch::Contains("не одобрен"));
}

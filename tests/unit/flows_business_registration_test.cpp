// Registering a business and the admins' decision, driven through the dispatcher against an
// in-memory market.

#include <algorithm>

#include <catch2/catch.hpp>

#include "tests/unit/flows_business_chat.hpp"

using namespace lastcall::business_test;

namespace {

constexpr int64_t owner = 501;
constexpr int64_t admin = 900;
constexpr int64_t other_admin = 901;

bool has_label(const bot_message& m, const std::string& label) {
  auto labels = keyboard_labels(m);
  return std::find(labels.begin(), labels.end(), label) != labels.end();
}

// Runs /register to the end with valid answers.
void register_bakery(chat& c) {
  c.says(owner, "/register");
  c.says(owner, "Bakery Nord");
  c.says(owner, "Main St 1, Tashkent");
  c.shares_location(owner, 41.31, 69.28);
  c.shares_contact(owner, "+998 90 123-45-67");
  c.says(owner, "⏭ Skip");
}

}  // namespace

TEST_CASE("a business registers one answer at a time and the admins get the application",
          "[unit][business]") {
  chat c({admin, other_admin});

  auto replies = c.says(owner, "/register");
  REQUIRE(replies.size() == 2);
  CHECK_THAT(replies[1].text, Catch::Contains("1/5"));
  CHECK(has_label(replies[1], "✖️ Stop"));

  CHECK_THAT(c.says(owner, "Bakery Nord").back().text, Catch::Contains("2/5"));
  auto ask_location = c.says(owner, "Main St 1, Tashkent").back();
  CHECK_THAT(ask_location.text, Catch::Contains("3/5"));
  CHECK(ask_location.markup["keyboard"][0][0].value("request_location", false));

  auto ask_phone = c.shares_location(owner, 41.31, 69.28).back();
  CHECK_THAT(ask_phone.text, Catch::Contains("4/5"));
  CHECK(ask_phone.markup["keyboard"][0][0].value("request_contact", false));

  auto ask_photo = c.shares_contact(owner, "+998 90 123-45-67").back();
  CHECK_THAT(ask_photo.text, Catch::Contains("5/5"));
  CHECK(has_label(ask_photo, "⏭ Skip"));

  auto done = c.sends_photo(owner, "storefront").back();
  CHECK_THAT(done.text, Catch::Contains("Bakery Nord (#1)"));
  CHECK(has_label(done, "🛍 Browse"));  // the main menu is back

  auto b = c.market.business(1);
  REQUIRE(b);
  CHECK(b->owner_id == owner);
  CHECK(b->name == "Bakery Nord");
  CHECK(b->address == "Main St 1, Tashkent");
  CHECK(b->latitude == Approx(41.31));
  CHECK(b->phone == "+998901234567");
  CHECK(b->photo_file_id == "storefront");
  CHECK(b->status == lastcall::domain::business_status::pending);
  CHECK(c.committed.businesses.size() == 1);
  CHECK_FALSE(c.session(owner).in_flow());
  CHECK_FALSE(c.session(owner).has_draft("register"));

  for (auto who : {admin, other_admin}) {
    REQUIRE(c.notified[who].size() == 1);
    const auto& card = c.notified[who][0];
    CHECK_THAT(card.text, Catch::Contains("Bakery Nord"));
    CHECK_THAT(card.text, Catch::Contains("Main St 1, Tashkent"));
    CHECK_THAT(card.text, Catch::Contains("+998901234567"));
    CHECK_THAT(card.text, Catch::Contains("501"));
    CHECK(button(card, "Approve") == "adm:ok:1");
    CHECK(button(card, "Reject") == "adm:no:1");
  }

  // One business per owner while it is pending.
  CHECK_THAT(c.says(owner, "/register").back().text, Catch::Contains("waiting for approval"));
}

TEST_CASE("each registration answer is checked and a refusal keeps the step", "[unit][business]") {
  chat c({admin});
  c.says(owner, "/register");

  CHECK_THAT(c.says(owner, "   ").back().text, Catch::Contains("empty"));
  CHECK_THAT(c.says(owner, std::string(101, 'a')).back().text,
             Catch::Contains("at most 100 characters"));
  CHECK_THAT(c.sends_photo(owner, "x").back().text, Catch::Contains("as text"));
  CHECK(c.session(owner).step == "name");
  c.says(owner, std::string(100, 'a'));

  CHECK_THAT(c.says(owner, std::string(201, 'b')).back().text,
             Catch::Contains("at most 200 characters"));
  c.says(owner, "Main St 1");

  CHECK_THAT(c.says(owner, "Main St 1 please").back().text, Catch::Contains("📍 Send location"));
  CHECK(c.session(owner).step == "location");
  c.shares_location(owner, 41.3, 69.2);

  CHECK_THAT(c.says(owner, "call me maybe").back().text,
             Catch::Contains("doesn't look like a phone number"));
  CHECK_THAT(c.shares_contact(owner, "12").back().text,
             Catch::Contains("doesn't look like a phone number"));
  CHECK(c.session(owner).step == "phone");
  c.says(owner, "+998 (90) 123 45 67");

  CHECK_THAT(c.says(owner, "no photo").back().text, Catch::Contains("⏭ Skip"));
  CHECK(c.session(owner).step == "photo");
  CHECK_FALSE(c.market.business(1));

  c.says(owner, "⏭ Skip");
  auto b = c.market.business(1);
  REQUIRE(b);
  CHECK(b->name == std::string(100, 'a'));
  CHECK(b->phone == "+998901234567");
  CHECK(b->photo_file_id.empty());
}

TEST_CASE("leaving the registration keeps the answers and /register resumes at the missing one",
          "[unit][business]") {
  chat c({admin});
  c.says(owner, "/register");
  c.says(owner, "Bakery Nord");

  // Any command works in the middle; the Stop button leaves the form.
  CHECK_THAT(c.says(owner, "/help").back().text, Catch::Contains("/register"));
  CHECK_THAT(c.says(owner, "✖️ Stop").back().text, Catch::Contains("/register"));
  CHECK_FALSE(c.session(owner).in_flow());

  auto resumed = c.says(owner, "/register");
  REQUIRE(resumed.size() == 2);
  CHECK_THAT(resumed[0].text, Catch::Contains("continue where you left off"));
  CHECK_THAT(resumed[1].text, Catch::Contains("2/5"));  // the name is kept

  // Start over throws the answers away.
  auto restarted = c.taps(owner, button(resumed[0], "Start over"));
  CHECK_THAT(restarted.back().text, Catch::Contains("1/5"));
  CHECK(c.session(owner).draft("register").value("name", "") == "");
}

TEST_CASE("the first admin to decide wins and the second is told who was first",
          "[unit][business]") {
  chat c({admin, other_admin});
  register_bakery(c);
  const auto card = c.notified[admin][0];
  const auto card_for_other = c.notified[other_admin][0];

  auto first = c.taps(admin, button(card, "Approve"));
  CHECK(first[0].method == "answerCallbackQuery");
  CHECK_THAT(first[0].text, Catch::Contains("approved"));
  CHECK(first[1].method == "editMessageText");
  CHECK_THAT(first[1].text, Catch::Contains("Approved by you"));
  CHECK(first[1].markup.is_null());  // no buttons left on the card
  CHECK(c.market.business(1)->status == lastcall::domain::business_status::verified);
  // The owner is told, with the business's menu, and their chat gets the owner's commands in
  // every language.
  const auto& told = c.notified[owner];
  REQUIRE(told.size() == 5);
  for (size_t i = 0; i < 4; ++i) {
    CHECK(told[i].method == "setMyCommands");
  }
  CHECK(told[4].method == "sendMessage");
  CHECK_THAT(told[4].text, Catch::Contains("Bakery Nord is approved"));
  CHECK(told[4].markup["keyboard"][0][0]["text"] == "🧺 My deals");

  auto second = c.taps(other_admin, button(card_for_other, "Reject"));
  CHECK(second[0].alert);
  CHECK_THAT(second[0].text, Catch::Contains("already approved by admin 900"));
  auto third = c.taps(other_admin, "adm:why:1:incomplete");
  CHECK(third[0].alert);
  CHECK(c.market.business(1)->status == lastcall::domain::business_status::verified);
  CHECK(c.notified[owner].empty());
}

TEST_CASE("a preset rejection reaches the owner in their own language", "[unit][business]") {
  chat c({admin});
  c.session(owner).lang = lastcall::domain::language::ru;
  register_bakery(c);

  auto reasons = c.taps(admin, "adm:no:1").back();
  CHECK_THAT(reasons.text, Catch::Contains("Why is Bakery Nord (#1) rejected"));
  auto decided = c.taps(admin, button(reasons, "incomplete"));
  CHECK(c.market.business(1)->status == lastcall::domain::business_status::rejected);
  CHECK(c.market.business(1)->reject_reason == "business.reason.incomplete");
  CHECK_THAT(decided.back().text, Catch::Contains("Rejected by you"));
  REQUIRE(c.notified[owner].size() == 1);
  CHECK_THAT(c.notified[owner][0].text, Catch::Contains("Данные неполные или неясные."));

  // A rejected owner may apply again.
  CHECK_THAT(c.says(owner, "/register").back().text, Catch::Contains("1/5"));
}

TEST_CASE("an admin can type a rejection reason", "[unit][business]") {
  chat c({admin});
  register_bakery(c);

  c.taps(admin, "adm:no:1");
  auto ask = c.taps(admin, "adm:other:1").back();
  CHECK_THAT(ask.text, Catch::Contains("Type the reason"));
  CHECK_THAT(c.says(admin, std::string(201, 'x')).back().text,
             Catch::Contains("at most 200 characters"));
  CHECK(c.market.business(1)->status == lastcall::domain::business_status::pending);

  auto done = c.says(admin, "The phone number does not answer.").back();
  CHECK_THAT(done.text, Catch::Contains("rejected"));
  CHECK_FALSE(c.session(admin).in_flow());
  CHECK(c.market.business(1)->reject_reason == "The phone number does not answer.");
  CHECK_THAT(c.notified[owner][0].text, Catch::Contains("The phone number does not answer."));
}

TEST_CASE("admins decide by command, with a reason for a rejection", "[unit][business]") {
  chat c({admin});
  register_bakery(c);
  c.market.add_business(502, lastcall::domain::business_status::pending, "Cafe Sud");

  CHECK_THAT(c.says(admin, "/verify").back().text, Catch::Contains("/verify <id>"));
  CHECK_THAT(c.says(admin, "/verify abc").back().text, Catch::Contains("/verify <id>"));
  CHECK_THAT(c.says(admin, "/reject 1").back().text, Catch::Contains("/reject <id> <reason>"));
  CHECK_THAT(c.says(admin, "/verify 99").back().text,
             Catch::Contains("no business application #99"));

  CHECK_THAT(c.says(admin, "/reject 1 No such address in Tashkent").back().text,
             Catch::Contains("rejected"));
  CHECK_THAT(c.notified[owner][0].text, Catch::Contains("No such address in Tashkent"));
  CHECK_THAT(c.says(owner, "/mybusiness").back().text, Catch::Contains("No such address"));

  CHECK_THAT(c.says(admin, "/verify 2").back().text, Catch::Contains("Cafe Sud (#2) is approved"));
  CHECK_THAT(c.says(admin, "/verify 2").back().text, Catch::Contains("already approved by you"));
}

TEST_CASE("admin commands and buttons politely refuse everyone else", "[unit][business]") {
  chat c({admin});
  register_bakery(c);

  for (const char* command : {"/pending", "/verify 1", "/reject 1 nope", "/stats"})
    CHECK_THAT(c.says(owner, command).back().text, Catch::Contains("for admins only"));
  auto forged = c.taps(owner, "adm:ok:1");
  REQUIRE(forged.size() == 1);
  CHECK(forged[0].alert);
  CHECK_THAT(forged[0].text, Catch::Contains("admins only"));
  c.taps(owner, "adm:why:1:duplicate");
  c.taps(owner, "adm:other:1");
  CHECK_FALSE(c.session(owner).in_flow());
  CHECK(c.market.business(1)->status == lastcall::domain::business_status::pending);
  CHECK(c.notified.empty());
}

TEST_CASE("/pending lists the waiting applications with their buttons", "[unit][business]") {
  chat c({admin});
  CHECK_THAT(c.says(admin, "/pending").back().text, Catch::Contains("No applications"));
  c.market.add_business(601, lastcall::domain::business_status::pending, "Cafe Sud");
  c.market.add_business(602, lastcall::domain::business_status::verified, "Old Mill");
  c.market.add_business(603, lastcall::domain::business_status::pending, "Green Deli");

  auto list = c.says(admin, "/pending");
  REQUIRE(list.size() == 3);
  CHECK_THAT(list[0].text, Catch::Contains("2"));
  CHECK_THAT(list[1].text, Catch::Contains("Cafe Sud"));
  CHECK(button(list[1], "Approve") == "adm:ok:1");
  CHECK_THAT(list[2].text, Catch::Contains("Green Deli"));

  auto stats = c.says(admin, "/stats").back().text;
  CHECK_THAT(stats, Catch::Contains("1 approved, 2 waiting"));
}

TEST_CASE("/mybusiness shows the business and where it stands", "[unit][business]") {
  chat c({admin});
  CHECK_THAT(c.says(owner, "/mybusiness").back().text, Catch::Contains("/register"));
  register_bakery(c);
  auto pending = c.says(owner, "/mybusiness").back().text;
  CHECK_THAT(pending, Catch::Contains("Bakery Nord"));
  CHECK_THAT(pending, Catch::Contains("waiting for approval"));
  c.says(admin, "/verify 1");
  CHECK_THAT(c.says(owner, "/mybusiness").back().text, Catch::Contains("/newoffer"));
}

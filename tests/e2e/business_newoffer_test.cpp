// Posting deals with /newoffer, end to end: who may, what is checked, the preview and its buttons,
// drafts, and a draft that survives a restart of the bot.

#include <catch2/catch.hpp>

#include "tests/e2e/business_steps.hpp"
#include "tests/support/market.hpp"

using namespace lastcall::testing;
using namespace lastcall::testing::business_steps;

TEST_CASE("a business without approval cannot post a deal", "[e2e][business]") {
  market_with_applicant applying("business-newoffer-unverified", 521);
  auto& [m, admin, ann] = applying;

  CHECK_THAT(ann.says("/newoffer").text, Catch::Contains("/register"));
  registers(ann, admin);
  CHECK_THAT(ann.says("/newoffer").text, Catch::Contains("still waiting for approval"));
  CHECK_THAT(ann.says("Croissants").text, Catch::Contains("didn't understand"));  // no form began
  CHECK_THAT(ann.says("/myoffers").text, Catch::Contains("still waiting for approval"));
}

TEST_CASE("/newoffer goes from questions to a preview to a published deal with its link",
          "[e2e][business]") {
  market_with_bakery bakery("business-newoffer", 522);
  auto& [m, admin, ann] = bakery;
  chat_user cora(m, 523, "Cora");

  auto first = ann.says_and_gets("/newoffer", 2);
  CHECK_THAT(first[1].text, Catch::Contains("What are you offering?"));
  CHECK_THAT(ann.says("Butter croissants").text, Catch::Contains("Describe it"));
  CHECK_THAT(ann.says("Baked this morning. Contains milk.").text, Catch::Contains("photo"));
  CHECK_THAT(ann.sends_photo().text, Catch::Contains("usual price"));
  CHECK_THAT(ann.says("20000").text, Catch::Contains("lower than 20,000 UZS"));
  CHECK_THAT(ann.says("12000").text, Catch::Contains("How many"));
  CHECK_THAT(ann.says("8").text, Catch::Contains("pick it up"));
  auto preview = ann.says_and_gets("tomorrow 18:00-20:30", 2);
  CHECK_THAT(preview[0].text, Catch::Contains("how customers will see"));
  const auto& card = preview[1];
  CHECK(!card.photo_file_id.empty());
  CHECK_THAT(card.caption, Catch::Contains("Butter croissants"));
  CHECK_THAT(card.caption, Catch::Contains("12,000 UZS instead of 20,000 UZS (−40%)"));
  CHECK_THAT(card.caption, Catch::Contains("8 left"));
  CHECK_THAT(card.caption, Catch::Contains("tomorrow 18:00–20:30"));
  CHECK_THAT(card.caption, Catch::Contains("Bakery Nord"));
  CHECK(button_labels(card.reply_markup) ==
        std::vector<std::string>{"🚀 Publish", "💾 Save draft", "✏️ Change a field"});

  auto before = ann.seen();
  ann.taps_button(card, "Publish");
  auto published = ann.await_reply(before);
  const auto id = number_after_hash(published.text);
  const auto link = "https://t.me/lastcall_sandbox_bot?start=offer_" + std::to_string(id);
  CHECK_THAT(published.text, Catch::Contains(link));
  // The preview's buttons, which acted on the draft, are gone.
  CHECK(m.world().wait_until([&] { return ann.message(card.message_id).reply_markup.is_null(); },
                             answer_timeout));

  auto mine = ann.says_and_gets("/myoffers", 2);
  CHECK_THAT(mine[1].text, Catch::Contains("Butter croissants"));
  CHECK_THAT(mine[1].text, Catch::Contains("active"));

  // The link opens the deal for a customer.
  cora.says("/start offer_" + std::to_string(id));
  CHECK(m.world().wait_until(
      [&] {
        for (const auto& message : cora.messages())
          if ((message.text + message.caption).find("Butter croissants") != std::string::npos)
            return true;
        return false;
      },
      answer_timeout));
}

TEST_CASE("a deal price not below the usual one, a bad quantity or a bad window is refused",
          "[e2e][business]") {
  market_with_bakery bakery("business-newoffer-checks", 524);
  auto& [m, admin, ann] = bakery;

  starts_deal(ann, "Croissants");
  ann.says("Fresh");
  ann.says("⏭ Skip");
  CHECK_THAT(ann.says("twenty").text, Catch::Contains("as a number"));
  ann.says("20000");
  CHECK_THAT(ann.says("20000").text, Catch::Contains("must be lower"));
  CHECK_THAT(ann.says("30000").text, Catch::Contains("must be lower"));
  ann.says("15000");
  CHECK_THAT(ann.says("0").text, Catch::Contains("between 1 and 10000"));
  CHECK_THAT(ann.says("20000").text, Catch::Contains("between 1 and 10000"));
  CHECK_THAT(ann.says("a few").text, Catch::Contains("whole number"));
  ann.says("5");
  CHECK_THAT(ann.says("after work").text, Catch::Contains("couldn't read"));
  CHECK_THAT(ann.says("tomorrow 20:00-18:00").text, Catch::Contains("ends before it starts"));
  CHECK_THAT(ann.says("tomorrow 08:00-23:00 + 2 days").text, Catch::Contains("couldn't read"));
  auto preview = ann.says_and_gets("tomorrow 18:00-19:00", 2)[1];
  CHECK_THAT(preview.text, Catch::Contains("15,000 UZS instead of 20,000 UZS"));
  CHECK_THAT(preview.text, Catch::Contains("5 left"));
}

TEST_CASE("Change a field shows a new preview, and a draft is saved and published later",
          "[e2e][business]") {
  market_with_bakery bakery("business-newoffer-change", 525);
  auto& [m, admin, ann] = bakery;

  auto preview = prepares_deal(ann, "Croissants", "10");
  auto before = ann.seen();
  ann.taps_button(preview, "Change a field");
  auto fields = ann.await_reply(before);
  CHECK(button_labels(fields.reply_markup) == std::vector<std::string>{"Title", "Description",
                                                                       "Photo", "Prices",
                                                                       "Quantity", "Pickup time"});
  ann.taps_button(fields, "Quantity");
  CHECK_THAT(ann.await_reply(before + 1).text, Catch::Contains("How many"));
  auto changed = ann.says_and_gets("4", 2)[1];
  CHECK_THAT(changed.text, Catch::Contains("4 left"));
  CHECK_THAT(changed.text, Catch::Contains("Croissants"));

  // The first preview is out of date now: its button shows the current one instead.
  before = ann.seen();
  auto stale = ann.taps_button(preview, "Publish");
  CHECK(stale.show_alert);
  CHECK_THAT(stale.text, Catch::Contains("out of date"));
  CHECK_THAT(ann.await_reply(before + 1).text, Catch::Contains("4 left"));

  before = ann.seen();
  ann.taps_button(changed, "Save draft");
  auto saved = ann.await_reply(before);
  const auto id = number_after_hash(saved.text);
  CHECK_THAT(saved.text, Catch::Contains("/publish " + std::to_string(id)));
  CHECK_THAT(ann.says_and_gets("/myoffers", 2)[1].text, Catch::Contains("draft"));

  auto live = ann.says("/publish " + std::to_string(id));
  CHECK_THAT(live.text, Catch::Contains("is live"));
  CHECK_THAT(live.text, Catch::Contains("start=offer_" + std::to_string(id)));
  CHECK_THAT(live.text, Catch::Contains("4 left"));
  CHECK_THAT(ann.says("/publish " + std::to_string(id)).text, Catch::Contains("already published"));
}

TEST_CASE("a restart in the middle of /newoffer keeps the answers given so far",
          "[e2e][business]") {
  market_with_bakery bakery("business-newoffer-restart", 526);
  auto& [m, admin, ann] = bakery;

  starts_deal(ann, "Restart croissants");
  CHECK_THAT(ann.says("Fresh").text, Catch::Contains("photo"));
  REQUIRE(m.stop_bot() == 0);
  m.start_bot();

  // The form goes on where it was: the photo step.
  CHECK_THAT(ann.says("⏭ Skip").text, Catch::Contains("usual price"));
  ann.says("10000");
  ann.says("5000");
  ann.says("3");
  auto preview = ann.says_and_gets("tomorrow 10:00-11:00", 2)[1];
  CHECK_THAT(preview.text, Catch::Contains("Restart croissants"));
  CHECK_THAT(preview.text, Catch::Contains("Fresh"));

  // And /newoffer after another restart shows the same preview again.
  REQUIRE(m.stop_bot() == 0);
  m.start_bot();
  auto again = ann.says_and_gets("/newoffer", 3);
  CHECK_THAT(again[0].text, Catch::Contains("continue your deal"));
  CHECK_THAT(again[2].text, Catch::Contains("Restart croissants"));
}

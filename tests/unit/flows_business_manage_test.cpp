// Managing deals and confirming pickups, driven through the dispatcher against an in-memory market.

#include <catch2/catch.hpp>

#include "tests/unit/flows_business_chat.hpp"

using namespace lastcall;
using namespace lastcall::business_test;
using domain::business_status;
using domain::offer_state;

namespace {

constexpr int64_t owner = 501;
constexpr int64_t rival = 502;
constexpr int64_t customer = 700;

// A published deal of `who`'s verified business: 10 croissants at 12 000 instead of 20 000, picked
// up today 18:00-20:30.
int64_t published_offer(chat& c, int64_t who, const std::string& title = "Croissants") {
  domain::offer draft;
  draft.title = title;
  draft.description = "Fresh";
  draft.original_price = 2000000;
  draft.deal_price = 1200000;
  draft.currency = "UZS";
  draft.quantity_total = 10;
  draft.pickup_start = chat::start_time + 3 * 3600;
  draft.pickup_end = chat::start_time + 5 * 3600 + 1800;
  int64_t id = 0;
  c.market.create_offer(draft, who, c.now, [&](flows::change_reply r) { id = r.offer.id; });
  REQUIRE(id > 0);
  c.market.offer(market::publish_offer{id, who, c.now},
                 [](flows::change_reply r) { REQUIRE(r.ok); });
  return id;
}

struct two_bakeries {
  chat c{{900}};
  int64_t mine = 0, theirs = 0;

  two_bakeries() {
    c.market.add_business(owner, business_status::verified, "Bakery Nord");
    c.market.add_business(rival, business_status::verified, "Cafe Sud");
    mine = published_offer(c, owner);
    theirs = published_offer(c, rival, "Baguettes");
  }
};

}  // namespace

TEST_CASE("/myoffers shows each deal with its figures and the actions its state allows",
          "[unit][business]") {
  two_bakeries b;
  b.c.market.reserve(b.mine, customer, 3, b.c.now);

  auto list = b.c.says(owner, "/myoffers");
  REQUIRE(list.size() == 2);  // the header, then one card: the rival's deal is not listed
  const auto& card = list[1];
  CHECK_THAT(card.text, Catch::Contains("#1 Croissants"));
  CHECK_THAT(card.text, Catch::Contains("active"));
  CHECK_THAT(card.text, Catch::Contains("7 left · 3 reserved · 0 picked up · 10 in all"));
  CHECK(button(card, "Pause") == "mo:pause:1");
  CHECK(button(card, "Reservations") == "mo:res:1");
  CHECK(button(card, "Edit price") == "mo:price:1");
  CHECK(button(card, "Edit quantity") == "mo:qty:1");
  CHECK(button(card, "End") == "mo:end:1");
  CHECK(button(card, "Resume").empty());
}

TEST_CASE("pause, resume and end follow the deal's state and refuse what it does not allow",
          "[unit][business]") {
  two_bakeries b;
  auto& c = b.c;

  auto paused = c.taps(owner, "mo:pause:1", 42);
  CHECK_THAT(paused[0].text, Catch::Contains("paused"));
  REQUIRE(paused[1].method == "editMessageText");
  CHECK(button(paused[1], "Resume") == "mo:resume:1");
  CHECK(c.market.offer_state(1).state == offer_state::paused);
  CHECK_THAT(c.says(owner, "/pause 1").back().text, Catch::Contains("already paused"));

  CHECK_THAT(c.says(owner, "/resume 1").back().text, Catch::Contains("back on sale"));
  CHECK(c.market.offer_state(1).state == offer_state::active);
  auto again = c.taps(owner, "mo:resume:1");
  CHECK(again[0].alert);
  CHECK_THAT(again[0].text, Catch::Contains("isn't paused"));

  c.market.reserve(1, customer, 2, c.now);
  // End asks first, in the card it was tapped on.
  auto question = c.taps(owner, "mo:end:1", 42).back();
  CHECK(question.method == "editMessageText");
  CHECK_THAT(question.text, Catch::Contains("Croissants") && Catch::Contains("cancelled: 1"));
  CHECK(button(question, "⏸ Pause").empty());
  CHECK(c.market.offer_state(1).state == offer_state::active);  // nothing yet
  // Keep it puts the card back as it was, with its buttons.
  auto kept = c.taps(owner, button(question, "Keep it"), 42);
  CHECK_THAT(kept[0].text, Catch::Contains("Nothing"));
  CHECK(kept.back().method == "editMessageText");
  CHECK_THAT(kept.back().text, !Catch::Contains("for good?"));
  CHECK_FALSE(button(kept.back(), "⏹ End").empty());
  CHECK(c.market.offer_state(1).state == offer_state::active);

  // Yes turns the same card into the ended deal's, with no End left on it.
  auto ended = c.taps(owner, button(question, "Yes, end it"), 42).back();
  CHECK(ended.method == "editMessageText");
  CHECK(button(ended, "End").empty());
  CHECK(c.market.offer_state(1).state == offer_state::ended);
  CHECK(c.market.offer_state(1).quantity_reserved == 0);
  CHECK_THAT(c.says(owner, "/resume 1").back().text, Catch::Contains("has ended"));
  CHECK_THAT(c.says(owner, "/end 1").back().text, Catch::Contains("has ended"));

  CHECK_THAT(c.says(owner, "/pause").back().text, Catch::Contains("/pause <id>"));
  CHECK_THAT(c.says(owner, "/pause 99").back().text, Catch::Contains("no deal #99"));
}

TEST_CASE("the quantity cannot go below what is reserved and collected", "[unit][business]") {
  two_bakeries b;
  auto& c = b.c;
  c.market.reserve(1, customer, 3, c.now);

  auto ask = c.taps(owner, "mo:qty:1").back();
  CHECK_THAT(ask.text, Catch::Contains("3 are reserved or picked up"));
  CHECK_THAT(c.says(owner, "none").back().text, Catch::Contains("whole number"));
  CHECK_THAT(c.says(owner, "2").back().text, Catch::Contains("can't go below 3"));
  CHECK(c.market.offer_state(1).quantity_total == 10);
  CHECK_FALSE(c.session(owner).in_flow());

  c.taps(owner, "mo:qty:1");
  auto done = c.says(owner, "3");
  CHECK_THAT(all_text(done), Catch::Contains("updated"));
  CHECK(c.market.offer_state(1).quantity_total == 3);
  CHECK(c.market.offer_state(1).state == offer_state::sold_out);
  CHECK_THAT(ask.text, Catch::Contains("(at least 3)"));
}

TEST_CASE("with nothing reserved the quantity asked for is at least one, as the offer requires",
          "[unit][business]") {
  two_bakeries b;
  auto& c = b.c;
  auto ask = c.taps(owner, "mo:qty:1").back();
  CHECK_THAT(ask.text,
             Catch::Contains("0 are reserved or picked up") && Catch::Contains("(at least 1)"));
  CHECK_THAT(c.says(owner, "0").back().text, Catch::Contains("between 1 and 10000"));
  CHECK(c.market.offer_state(1).quantity_total == 10);
}

TEST_CASE("a new price is asked for in two steps and must stay a discount", "[unit][business]") {
  two_bakeries b;
  auto& c = b.c;
  auto ask = c.says(owner, "/edit 1");
  auto start = c.taps(owner, button(ask.back(), "Edit price")).back();
  CHECK_THAT(start.text, Catch::Contains("12,000 UZS (usual 20,000 UZS)"));
  c.says(owner, "30000");
  CHECK_THAT(c.says(owner, "30000").back().text, Catch::Contains("must be lower"));
  c.says(owner, "18000");
  CHECK(c.market.offer_state(1).original_price == 3000000);
  CHECK(c.market.offer_state(1).deal_price == 1800000);

  c.taps(owner, "mo:price:1");
  CHECK_THAT(c.says(owner, "✖️ Stop").back().text, Catch::Contains("Nothing was changed"));
  CHECK_FALSE(c.session(owner).in_flow());
}

TEST_CASE("buttons and commands for another business's deal change nothing", "[unit][business]") {
  two_bakeries b;
  auto& c = b.c;
  const auto code = c.market.reserve(b.theirs, customer, 1, c.now);

  for (const char* data : {"mo:pause:2", "mo:end:2", "mo:endok:2", "mo:price:2", "mo:qty:2",
                           "mo:res:2", "mo:col:2:1", "mo:pub:2"}) {
    auto replies = c.taps(owner, data);
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].alert);
    CHECK_THAT(replies[0].text, Catch::Contains("not your deal"));
  }
  CHECK_FALSE(c.session(owner).in_flow());
  CHECK_THAT(c.says(owner, "/end 2").back().text, Catch::Contains("not your deal"));
  CHECK_THAT(c.says(owner, "/edit 2").back().text, Catch::Contains("not your deal"));
  CHECK_THAT(c.says(owner, "/collect " + code).back().text, Catch::Contains("another business"));
  CHECK(c.market.offer_state(2).state == offer_state::active);
  CHECK(c.market.offer_state(2).quantity_reserved == 1);

  for (const char* data : {"mo:pause:abc", "mo:pause", "mo:zap:1", "mo:col:1:x", "mo:pause:1:2"}) {
    auto replies = c.taps(owner, data);
    REQUIRE(replies.size() == 1);
    CHECK(replies[0].alert);
  }
  CHECK(c.market.offer_state(1).state == offer_state::active);
}

TEST_CASE("a pickup is confirmed by code or from the reservation list", "[unit][business]") {
  two_bakeries b;
  auto& c = b.c;
  const auto first = c.market.reserve(1, customer, 2, c.now);
  c.market.reserve(1, customer + 1, 1, c.now);

  CHECK_THAT(c.says(owner, "/collect ZZZZZ").back().text, Catch::Contains("No reservation"));
  auto done = c.says(owner, "/collect " + first).back().text;
  CHECK_THAT(done, Catch::Contains("2 × Croissants (reservation #1)"));
  CHECK_THAT(done, Catch::Contains("24,000 UZS"));
  CHECK(c.market.offer_state(1).quantity_collected == 2);
  CHECK_THAT(c.says(owner, "/collect " + first).back().text, Catch::Contains("already picked up"));

  auto list = c.taps(owner, "mo:res:1").back();
  CHECK_THAT(list.text, Catch::Contains("#2 · 1 pcs · waiting for pickup"));
  CHECK_THAT(list.text, Catch::Contains("#1 · 2 pcs · picked up"));
  CHECK(button(list, "Collect #1").empty());  // only active ones
  auto collected = c.taps(owner, button(list, "Collect #2"));
  REQUIRE(collected.size() == 3);
  CHECK_THAT(collected[0].text, Catch::Contains("Picked up"));
  CHECK_THAT(collected[1].text, Catch::Contains("1 × Croissants (reservation #2)"));
  // The list it was tapped in is redrawn: #2 picked up, and no Collect button left.
  CHECK(collected[2].method == "editMessageText");
  CHECK_THAT(collected[2].text, Catch::Contains("#2 · 1 pcs · picked up"));
  CHECK(button(collected[2], "Collect").empty());
  CHECK(c.market.offer_state(1).quantity_collected == 3);
  // An old list's button says why, and that list is redrawn too.
  auto twice = c.taps(owner, button(list, "Collect #2"));
  CHECK(twice[0].alert);
  CHECK_THAT(twice[0].text, Catch::Contains("already picked up"));
  CHECK(twice.back().method == "editMessageText");
  CHECK(button(twice.back(), "Collect").empty());
}

TEST_CASE("without a code, /collect and the Confirm pickup button ask for it", "[unit][business]") {
  two_bakeries b;
  auto& c = b.c;
  const auto code = c.market.reserve(1, customer, 2, c.now);

  // Stop confirms nothing; a wrong code is refused and the menu comes back with the answer.
  CHECK_THAT(c.says(owner, "/collect").back().text, Catch::Contains("pickup code"));
  CHECK_THAT(c.says(owner, "✖️ Stop").back().text, Catch::Contains("no pickup was confirmed"));
  CHECK_THAT(c.says(owner, "🔑 Confirm pickup").back().text, Catch::Contains("pickup code"));
  CHECK_FALSE(c.session(owner).flow.empty());
  auto wrong = c.says(owner, "ZZZZZ").back();
  CHECK_THAT(wrong.text, Catch::Contains("No reservation"));
  CHECK(wrong.markup.contains("keyboard"));
  CHECK(c.session(owner).flow.empty());
  CHECK(c.market.offer_state(1).quantity_collected == 0);

  c.says(owner, "🔑 Confirm pickup");
  auto done = c.says(owner, code).back();
  CHECK_THAT(done.text, Catch::Contains("2 × Croissants (reservation #1)"));
  CHECK(done.markup.contains("keyboard"));
  CHECK(c.market.offer_state(1).quantity_collected == 2);
}

TEST_CASE("new reservations are announced to the business with a way to see them",
          "[unit][business]") {
  two_bakeries b;
  auto news = b.c.receives(owner, "owner.new_reservations",
                           {{"offer_id", 1}, {"title", "Croissants"}, {"count", 3}, {"left", 5}});
  REQUIRE(news.size() == 1);
  CHECK(news[0].chat == owner);
  // Stored before items were counted: the reservations stand for the items.
  CHECK_THAT(news[0].text,
             Catch::Contains("New reservations for “Croissants”: 3 (3 pcs). Left: 5."));
  CHECK(button(news[0], "Reservations") == "mo:res:1");

  // Items are counted, and what customers gave back meanwhile is said too.
  news = b.c.receives(owner, "owner.new_reservations",
                      {{"offer_id", 1},
                       {"title", "Croissants"},
                       {"count", 2},
                       {"left", 4},
                       {"items", 5},
                       {"cancelled_items", 1}});
  CHECK_THAT(news[0].text, Catch::Contains("“Croissants”: 2 (5 pcs). Left: 4.") &&
                               Catch::Contains("Cancelled meanwhile: 1 pcs."));
  // Only cancellations: said as such.
  news = b.c.receives(owner, "owner.new_reservations",
                      {{"offer_id", 1},
                       {"title", "Croissants"},
                       {"count", 0},
                       {"left", 6},
                       {"items", 0},
                       {"cancelled_items", 2}});
  CHECK_THAT(news[0].text,
             Catch::Contains("Cancelled for “Croissants”: 2 pcs, back on sale. Left: 6."));

  b.c.session(owner).lang = domain::language::uz;
  auto uz = b.c.receives(owner, "owner.new_reservations",
                         {{"offer_id", 1}, {"title", "Kruassan"}, {"count", 2}, {"left", 1}});
  CHECK_THAT(uz[0].text, Catch::Contains("«Kruassan» uchun yangi bronlar: 2 (2 ta). Qoldi: 1."));
}

TEST_CASE("news of reservations that were all picked up meanwhile is dropped, not sent",
          "[unit][business]") {
  two_bakeries b;
  auto& c = b.c;
  const auto code = c.market.reserve(1, customer, 2, c.now);
  const auto id = c.market.book(1).reservations().back().id;
  nlohmann::json news = {{"offer_id", 1}, {"title", "Croissants"},  {"count", 1}, {"left", 3},
                         {"items", 2},    {"reservation_ids", {id}}};

  // Still to hand over: told.
  CHECK(c.receives(owner, "owner.new_reservations", news).size() == 1);
  c.says(owner, "/collect " + code);
  // Handed over before the news arrived: nothing to tell.
  CHECK(c.receives(owner, "owner.new_reservations", news).empty());
  // News that also tells of items given back is still told.
  news["cancelled_items"] = 1;
  CHECK(c.receives(owner, "owner.new_reservations", news).size() == 1);
}

TEST_CASE("the end of a pickup window is summed up for the business, in its language",
          "[unit][business]") {
  two_bakeries b;
  const nlohmann::json summary = {
      {"offer_id", 1}, {"title", "Croissants"}, {"picked_up", 7}, {"missed", 2}, {"unsold", 1}};
  auto told = b.c.receives(owner, "owner.window_ended", summary);
  REQUIRE(told.size() == 1);
  CHECK(told[0].chat == owner);
  CHECK_THAT(told[0].text, Catch::Contains("The pickup window of “Croissants” is over: 7 pcs "
                                           "picked up, 2 pcs not picked up, 1 pcs unsold."));
  // Who did not come is one tap away.
  CHECK(button(told[0], "Reservations") == "mo:res:1");

  b.c.session(owner).lang = domain::language::ru;
  CHECK_THAT(b.c.receives(owner, "owner.window_ended", summary)[0].text,
             Catch::Contains("выдано 7 шт., не забрали 2 шт., не продано 1 шт."));
}

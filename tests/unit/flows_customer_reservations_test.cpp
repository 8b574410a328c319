// Reserving and cancelling without actors, and the messages customers get about their
// reservations.

#include <catch2/catch.hpp>

#include "domain/input_parsing.hpp"
#include "flows/dispatcher.hpp"
#include "flows/notice_rendering.hpp"
#include "tests/unit/flows_customer_harness.hpp"

using namespace lastcall;
using namespace lastcall::tests;

namespace {

struct bakery_market : customer_harness {
  domain::business bakery;
  int64_t buns = 0;

  explicit bakery_market(int32_t quantity = 5) {
    settings.max_items_per_customer = 5;
    settings.cancel_cutoff_minutes = 30;
    bakery = market.add_business(700, "Bakery Nord", 41.31, 69.28);
    buns = market.add_offer(bakery, "Buns", quantity);
  }

  std::string reserve_data(int32_t n) const {
    return "res:" + std::to_string(buns) + ":" + std::to_string(n) + ":b0";
  }
};

}  // namespace

TEST_CASE("Reserve answers at once, sends the pickup code and redraws the card",
          "[unit][flows][customer]") {
  bakery_market h;
  auto unit = h.taps(h.reserve_data(2), 31);

  REQUIRE(std::holds_alternative<market::reserve_items>(h.market.operations.back()));
  const auto& request = std::get<market::reserve_items>(h.market.operations.back());
  CHECK(request.quantity == 2);
  CHECK(request.user_id == h.user_id);
  CHECK(request.idempotency_key == "u:1");

  auto held = h.market.book(h.buns).held_by(h.user_id);
  CHECK(held == 2);
  const auto reservation = h.market.book(h.buns).reservations().back();
  CHECK_FALSE(alert(unit));
  CHECK_THAT(popup(unit), Catch::Contains("Reserved") && Catch::Contains(reservation.code));
  // The rows are committed with the answer.
  REQUIRE(unit.reservations.size() == 1);
  CHECK(unit.reservations[0].id == reservation.id);
  REQUIRE(unit.offers.size() == 1);
  CHECK(unit.offers[0].quantity_reserved == 2);

  auto sent = calls(unit, "sendMessage");
  REQUIRE(sent.size() == 1);
  auto confirmation = text_of(sent[0]);
  CHECK_THAT(confirmation, Catch::Contains(reservation.code));
  CHECK_THAT(confirmation, Catch::Contains("2 × Buns"));
  CHECK_THAT(confirmation, Catch::Contains("Bakery Nord street 1"));
  CHECK_THAT(confirmation, Catch::Contains("40,000 UZS"));
  // It says until when a cancellation is possible: the cut-off before pickup, in local time.
  const int64_t last_moment = h.market.book(h.buns).state().pickup_start - 30 * 60;
  CHECK_THAT(confirmation, Catch::Contains("You can cancel until " +
                                           domain::format_moment(last_moment, h.now,
                                                                 h.settings.utc_offset_minutes,
                                                                 {"today", "tomorrow"}) +
                                           "."));
  // Directions to the business, and Cancel.
  CHECK(button_data(sent[0].params["reply_markup"]) ==
        std::vector<std::string>{"dir:" + std::to_string(h.buns),
                                 "cancel:" + std::to_string(reservation.id)});
  CHECK_THAT(confirmation, Catch::Contains("📞 +998901234567"));

  auto edits = calls(unit, "editMessageText");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].params["message_id"] == 31);
  CHECK_THAT(text_of(edits[0]), Catch::Contains("Left: 3"));
  CHECK_THAT(text_of(edits[0]), Catch::Contains("You have reserved 2"));
}

TEST_CASE("refused reservations say why and show the card as it is now",
          "[unit][flows][customer]") {
  SECTION("only some left") {
    bakery_market h(2);
    auto unit = h.taps(h.reserve_data(3));
    CHECK(alert(unit));
    CHECK_THAT(popup(unit), Catch::Contains("Only 2 left"));
    CHECK(unit.reservations.empty());
    auto edits = calls(unit, "editMessageText");
    REQUIRE(edits.size() == 1);
    CHECK(button_data(edits[0].params["reply_markup"])[3] == "res:1:2:b0");
  }
  SECTION("sold out") {
    bakery_market h(1);
    h.market.book(h.buns).reserve(99, 1, h.now, "", 900, "ABCDE", 5, 0);
    auto unit = h.taps(h.reserve_data(1));
    CHECK_THAT(popup(unit), Catch::Contains("sold out"));
    CHECK_THAT(text_of(calls(unit, "editMessageText")[0]), Catch::Contains("Sold out"));
  }
  SECTION("paused") {
    bakery_market h;
    h.market.book(h.buns).pause();
    auto unit = h.taps(h.reserve_data(1));
    CHECK_THAT(popup(unit), Catch::Contains("paused"));
    CHECK(button_data(calls(unit, "editMessageText")[0].params["reply_markup"]) ==
          std::vector<std::string>{"dir:1", "back:b0"});
  }
  SECTION("the per-customer limit") {
    bakery_market h(20);
    h.taps(h.reserve_data(4));
    auto unit = h.taps(h.reserve_data(2));
    CHECK_THAT(popup(unit), Catch::Contains("at most 5") && Catch::Contains("1 more"));
    CHECK(h.market.book(h.buns).held_by(h.user_id) == 4);
  }
  SECTION("the business's own offer") {
    bakery_market h;
    h.user_id = 700;
    auto unit = h.taps(h.reserve_data(1));
    CHECK_THAT(popup(unit), Catch::Contains("your own"));
    CHECK(h.market.book(h.buns).reservations().empty());
  }
  SECTION("a quantity below 1 never reaches the offer") {
    bakery_market h;
    auto unit = h.taps(h.reserve_data(0));
    CHECK_THAT(popup(unit), Catch::Contains("at least 1"));
    CHECK(h.market.operations.empty());
  }
  SECTION("an offer that does not exist") {
    bakery_market h;
    auto unit = h.taps("res:77:1:b0");
    CHECK_THAT(popup(unit), Catch::Contains("no longer available"));
  }
}

TEST_CASE("a re-delivered Reserve finds its first reservation", "[unit][flows][customer]") {
  bakery_market h;
  h.taps(h.reserve_data(1));
  h.next_update_id = 1;  // the same update again
  auto unit = h.taps(h.reserve_data(1));
  CHECK(h.market.book(h.buns).reservations().size() == 1);
  CHECK_THAT(popup(unit), Catch::Contains("Already reserved"));
  CHECK(unit.reservations.empty());
}

TEST_CASE("Cancel asks once more, and Yes gives the items back", "[unit][flows][customer]") {
  bakery_market h;
  h.taps(h.reserve_data(2));
  const auto id = h.market.book(h.buns).reservations().back().id;
  const auto data = "cancel:" + std::to_string(id);

  // The first tap only asks: nothing changes, the message carries the question.
  auto unit = h.taps(data, 40);
  CHECK(unit.reservations.empty());
  CHECK(h.market.book(h.buns).held_by(h.user_id) == 2);
  auto edits = calls(unit, "editMessageText");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].params["message_id"] == 40);
  CHECK_THAT(text_of(edits[0]),
             Catch::EndsWith("Cancel reservation #" + std::to_string(id) + ", 2 × Buns?"));
  CHECK(button_data(edits[0].params["reply_markup"]) ==
        std::vector<std::string>{data + ":y", data + ":n"});

  // No keeps it and puts the Cancel button back.
  unit = h.taps(data + ":n", 40);
  CHECK_THAT(popup(unit), Catch::Contains("stands"));
  CHECK(unit.reservations.empty());
  CHECK(h.market.book(h.buns).held_by(h.user_id) == 2);
  edits = calls(unit, "editMessageText");
  REQUIRE(edits.size() == 1);
  CHECK_THAT(text_of(edits[0]), !Catch::Contains("Cancel reservation #"));
  CHECK(button_data(edits[0].params["reply_markup"]) ==
        std::vector<std::string>{"dir:" + std::to_string(h.buns), data});

  // Yes cancels.
  unit = h.taps(data + ":y", 40);
  CHECK_THAT(popup(unit), Catch::Contains("cancelled"));
  CHECK_FALSE(alert(unit));
  CHECK(h.market.book(h.buns).state().quantity_left() == 5);
  REQUIRE(unit.reservations.size() == 1);
  CHECK(unit.reservations[0].status == domain::reservation_status::cancelled);
  edits = calls(unit, "editMessageText");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].params["message_id"] == 40);
  CHECK_THAT(text_of(edits[0]), Catch::Contains("Cancelled"));
  CHECK_FALSE(edits[0].params.contains("reply_markup"));

  // Any of the buttons again: already cancelled, and the message loses its buttons.
  for (const auto& again : {data, data + ":y", data + ":n"}) {
    unit = h.taps(again, 40);
    CHECK_THAT(popup(unit), Catch::Contains("already cancelled"));
    CHECK(unit.reservations.empty());
    edits = calls(unit, "editMessageText");
    REQUIRE(edits.size() == 1);
    CHECK_THAT(text_of(edits[0]), Catch::Contains("Cancelled"));
    CHECK_FALSE(edits[0].params.contains("reply_markup"));
  }
  CHECK(h.market.book(h.buns).state().quantity_left() == 5);
}

TEST_CASE("the question before cancelling is asked in the customer's language",
          "[unit][flows][customer]") {
  bakery_market h;
  h.session.lang = domain::language::ru;
  h.taps(h.reserve_data(1));
  const auto id = std::to_string(h.market.book(h.buns).reservations().back().id);
  auto edits = calls(h.taps("cancel:" + id, 40), "editMessageText");
  REQUIRE(edits.size() == 1);
  CHECK_THAT(text_of(edits[0]), Catch::EndsWith("Отменить бронь №" + id + ", 1 × Buns?"));
  auto markup = edits[0].params["reply_markup"].dump();
  CHECK_THAT(markup, Catch::Contains("Да, отменить") && Catch::Contains("Нет, оставить"));
  CHECK_THAT(popup(h.taps("cancel:" + id + ":n", 40)), Catch::Contains("остаётся в силе"));
}

TEST_CASE("a reservation made inside the cut-off is promised no cancellation and has no button",
          "[unit][flows][customer]") {
  bakery_market h;
  h.now = h.market.book(h.buns).state().pickup_start - 10 * 60;
  auto unit = h.taps(h.reserve_data(1), 31);
  auto sent = calls(unit, "sendMessage");
  REQUIRE(sent.size() == 1);
  CHECK_THAT(text_of(sent[0]), Catch::Contains("can no longer be cancelled"));
  CHECK_THAT(text_of(sent[0]), !Catch::Contains("You can cancel"));
  CHECK(button_data(sent[0].params["reply_markup"]) ==
        std::vector<std::string>{"dir:" + std::to_string(h.buns)});

  // Nor does the list offer to cancel it: its only button leads to the past reservations.
  auto list = calls(h.says("/reservations"), "sendMessage");
  REQUIRE(list.size() == 1);
  CHECK(button_data(list[0].params["reply_markup"]) == std::vector<std::string>{"hist:0"});
}

TEST_CASE("cancelling is refused inside the cut-off before pickup", "[unit][flows][customer]") {
  bakery_market h;
  h.taps(h.reserve_data(1));
  const auto id = h.market.book(h.buns).reservations().back().id;
  h.now = h.market.book(h.buns).state().pickup_start - 10 * 60;
  // Neither asking nor a Yes from before the cut-off cancels it now.
  for (const auto& suffix : {"", ":y"}) {
    auto unit = h.taps("cancel:" + std::to_string(id) + suffix, 40);
    CHECK(alert(unit));
    CHECK_THAT(popup(unit), Catch::Contains("too late") && Catch::Contains("30 minutes"));
    CHECK(h.market.book(h.buns).held_by(h.user_id) == 1);
    // The message is redrawn without a Cancel button.
    auto edits = calls(unit, "editMessageText");
    REQUIRE(edits.size() == 1);
    CHECK_THAT(text_of(edits[0]), Catch::Contains("can no longer be cancelled"));
    CHECK(button_data(edits[0].params["reply_markup"]) ==
          std::vector<std::string>{"dir:" + std::to_string(h.buns)});
  }
}

TEST_CASE("someone else's reservation cannot be cancelled, nor even found",
          "[unit][flows][customer]") {
  bakery_market h;
  h.market.book(h.buns).reserve(99, 1, h.now, "", 900, "QWERT", 5, 0);
  for (const auto& data : {"cancel:900", "cancel:900:y", "cancel:900:l:y"}) {
    auto unit = h.taps(data);
    CHECK_THAT(popup(unit), Catch::Contains("can't find"));
    CHECK(calls(unit, "editMessageText").empty());
  }
  CHECK(h.market.book(h.buns).held_by(99) == 1);
  CHECK(h.market.operations.empty());
  auto sent = calls(h.says("/cancel 900"), "sendMessage");
  REQUIRE(sent.size() == 1);
  CHECK_THAT(text_of(sent[0]), Catch::Contains("can't find"));
}

TEST_CASE("/cancel takes a reservation number or a pickup code", "[unit][flows][customer]") {
  bakery_market h;
  h.taps(h.reserve_data(1));
  h.taps(h.reserve_data(1));
  auto first = h.market.book(h.buns).reservations()[0];
  auto second = h.market.book(h.buns).reservations()[1];

  // /cancel finds the reservation and asks; Yes under that question cancels it.
  auto sent = calls(h.says("/cancel " + std::to_string(first.id)), "sendMessage");
  REQUIRE(sent.size() == 1);
  CHECK_THAT(text_of(sent[0]), Catch::Contains(first.code) &&
                                   Catch::EndsWith("Cancel reservation #" +
                                                   std::to_string(first.id) + ", 1 × Buns?"));
  CHECK(h.market.book(h.buns).held_by(h.user_id) == 2);
  const auto yes = "cancel:" + std::to_string(first.id) + ":y";
  CHECK(button_data(sent[0].params["reply_markup"]) ==
        std::vector<std::string>{yes, "cancel:" + std::to_string(first.id) + ":n"});
  auto edits = calls(h.taps(yes, 50), "editMessageText");
  REQUIRE(edits.size() == 1);
  CHECK_THAT(text_of(edits[0]),
             Catch::Contains("Cancelled") && Catch::Contains("#" + std::to_string(first.id)));

  std::string typed = second.code;
  for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  sent = calls(h.says("/cancel " + typed), "sendMessage");
  REQUIRE(sent.size() == 1);
  CHECK_THAT(text_of(sent[0]), Catch::Contains("#" + std::to_string(second.id) + ", 1 × Buns?"));
  h.taps("cancel:" + std::to_string(second.id) + ":y", 51);
  CHECK(h.market.book(h.buns).held_by(h.user_id) == 0);

  CHECK_THAT(text_of(calls(h.says("/cancel"), "sendMessage")[0]), Catch::Contains("/cancel 12"));
  CHECK_THAT(text_of(calls(h.says("/cancel #" + std::to_string(first.id)), "sendMessage")[0]),
             Catch::Contains("already cancelled"));
  CHECK_THAT(text_of(calls(h.says("/cancel " + std::string(100, 'x')), "sendMessage")[0]),
             Catch::Contains("can't find"));
}

TEST_CASE("/reservations lists the active ones' codes and a Cancel button for each",
          "[unit][flows][customer]") {
  bakery_market h;
  auto empty = calls(h.says("/reservations"), "sendMessage");
  REQUIRE(empty.size() == 1);
  CHECK_THAT(text_of(empty[0]), Catch::Contains("no reservations"));

  h.taps(h.reserve_data(1));
  h.taps(h.reserve_data(2));
  auto rs = h.market.book(h.buns).reservations();
  h.taps("cancel:" + std::to_string(rs[0].id) + ":y");

  auto sent = calls(h.says("🎟 My reservations"), "sendMessage");
  REQUIRE(sent.size() == 1);
  auto text = text_of(sent[0]);
  // The cancelled one is listed, without its code, after the active one.
  CHECK_THAT(text, Catch::Contains(rs[1].code) && !Catch::Contains(rs[0].code));
  CHECK_THAT(text, Catch::Contains("Active") && Catch::Contains("Cancelled"));
  CHECK(text.find("#" + std::to_string(rs[1].id)) < text.find("#" + std::to_string(rs[0].id)));
  CHECK(button_data(sent[0].params["reply_markup"]) ==
        std::vector<std::string>{"cancel:" + std::to_string(rs[1].id) + ":l", "hist:0"});

  // Cancelling from the list asks under the list, then redraws it.
  const auto data = "cancel:" + std::to_string(rs[1].id) + ":l";
  auto asked = calls(h.taps(data, 60), "editMessageText");
  REQUIRE(asked.size() == 1);
  CHECK_THAT(text_of(asked[0]), Catch::StartsWith("🎟") && Catch::Contains(rs[1].code) &&
                                    Catch::EndsWith(", 2 × Buns?"));
  CHECK(button_data(asked[0].params["reply_markup"]) ==
        std::vector<std::string>{data + ":y", data + ":n"});
  auto unit = h.taps(data + ":y", 60);
  auto edits = calls(unit, "editMessageText");
  REQUIRE(edits.size() == 1);
  CHECK(edits[0].params["message_id"] == 60);
  CHECK_THAT(text_of(edits[0]), !Catch::Contains("Active"));
  CHECK(button_data(edits[0].params["reply_markup"]) == std::vector<std::string>{"hist:0"});
}

TEST_CASE("the messages about reservations are rendered in the customer's language",
          "[unit][flows][customer]") {
  config::settings settings;
  settings.utc_offset_minutes = 300;
  domain::session_state session;
  session.lang = domain::language::ru;
  testing::in_memory_market market(settings);
  market.arranged_at = test_now;
  auto render = [&](const domain::notice& notice) {
    flows::turn t(42, session, settings, domain::ui_texts::builtin(), test_now);
    flows::render_notice(t, market, notice);
    bool done = false;
    t.start([&] { done = true; });
    REQUIRE(done);
    auto sent = calls(t.unit(), "sendMessage");
    REQUIRE(sent.size() == 1);
    CHECK(sent[0].chat_id == 42);
    return sent[0];
  };
  using namespace domain::notices;

  auto paused = render(offer_paused{1, "Булочки", 7});
  CHECK_THAT(text_of(paused), Catch::Contains("приостановило «Булочки»"));
  CHECK(button_data(paused.params["reply_markup"]) == std::vector<std::string>{"cancel:7"});
  // Without the reservation in the notice, the customer's active reservations of that offer are
  // looked up; none held, no buttons.
  CHECK_FALSE(render(offer_paused{99, "Булочки", 0}).params.contains("reply_markup"));
  auto bakery = market.add_business(700, "Пекарня", 41.31, 69.28);
  auto buns = market.add_offer(bakery, "Булочки", 5);
  market.book(buns).reserve(42, 1, test_now, "", 31, "AAAAA", 5, 0);
  market.book(buns).reserve(42, 1, test_now, "", 32, "BBBBB", 5, 0);
  market.book(buns).cancel(31, 42, test_now, 0);
  market.book(buns).reserve(43, 1, test_now, "", 33, "CCCCC", 5, 0);
  paused = render(offer_paused{buns, "Булочки", 0});
  CHECK(button_data(paused.params["reply_markup"]) == std::vector<std::string>{"cancel:32"});

  CHECK_THAT(text_of(render(offer_ended{1, "Булочки"})), Catch::Contains("бронь отменена"));
  auto reminder =
      text_of(render(pickup_reminder{1, "Булочки", "K7Q2M", test_now + 3600, "Навои 5"}));
  CHECK_THAT(reminder,
             Catch::Contains("до 04:13") && Catch::Contains("K7Q2M") && Catch::Contains("Навои 5"));
  CHECK_THAT(text_of(render(missed_pickup{1, "Булочки"})), Catch::Contains("не забрали «Булочки»"));
}

TEST_CASE("past reservations come a page at a time, newest first, from the list's button",
          "[unit][flows][customer]") {
  bakery_market h(20);
  h.settings.max_items_per_customer = 20;
  std::vector<int64_t> ids;
  for (int i = 0; i < 7; ++i) {
    h.taps(h.reserve_data(1));
    ids.push_back(h.market.book(h.buns).reservations().back().id);
    h.taps("cancel:" + std::to_string(ids.back()) + ":y");
  }
  h.taps(h.reserve_data(1));  // active: not in the history

  auto first = calls(h.taps("hist:0", 50), "sendMessage");
  REQUIRE(first.size() == 1);
  auto text = text_of(first[0]);
  CHECK_THAT(text, Catch::Contains("past reservations, 1–5"));
  // The newest past one first, the oldest two on the next page.
  CHECK(text.find("#" + std::to_string(ids[6])) < text.find("#" + std::to_string(ids[2])));
  CHECK_THAT(text, !Catch::Contains("#" + std::to_string(ids[1]) + " "));
  CHECK(button_data(first[0].params["reply_markup"]) == std::vector<std::string>{"hist:5:p"});

  // The page buttons edit the history message itself.
  auto older = calls(h.taps("hist:5:p", 90), "editMessageText");
  REQUIRE(older.size() == 1);
  CHECK(older[0].params["message_id"] == 90);
  CHECK_THAT(text_of(older[0]), Catch::Contains("past reservations, 6–7") &&
                                    Catch::Contains("#" + std::to_string(ids[0])) &&
                                    Catch::Contains("Cancelled"));
  CHECK(button_data(older[0].params["reply_markup"]) == std::vector<std::string>{"hist:0:p"});
}

TEST_CASE("the history says when there is none, when it cannot be read, and refuses forged pages",
          "[unit][flows][customer]") {
  bakery_market h;
  auto none = calls(h.taps("hist:0"), "sendMessage");
  REQUIRE(none.size() == 1);
  CHECK_THAT(text_of(none[0]), Catch::Contains("No past reservations yet"));

  for (const char* forged : {"hist:3", "hist:-5", "hist:05", "hist:99999", "hist:1005", "hist:5:x",
                             "hist:", "hist:5:p:p"}) {
    auto unit = h.taps(forged);
    CHECK(calls(unit, "sendMessage").empty());
    CHECK(calls(unit, "editMessageText").empty());
    CHECK_THAT(popup(unit), Catch::Contains("no longer"));
  }

  h.market.history_readable = false;
  CHECK_THAT(popup(h.taps("hist:0")), Catch::Contains("cannot be read right now"));
}

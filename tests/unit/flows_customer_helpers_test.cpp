// The pure pieces of the customer flows: reading callback data, formatting, quantity bounds and
// which reservations a customer is shown.

#include <catch2/catch.hpp>

#include "domain/ui_texts.hpp"
#include "flows/customer_callbacks.hpp"
#include "flows/customer_card.hpp"
#include "flows/customer_format.hpp"
#include "flows/customer_reservation_views.hpp"
#include "tests/unit/flows_customer_harness.hpp"

using namespace lastcall;
using flows::list_position;

namespace {

struct text_turn {
  config::settings settings;
  domain::session_state session;
  flows::turn t;

  explicit text_turn(domain::language lang = domain::language::en)
      : t(telegram::update{}, session, settings, domain::ui_texts::builtin(), tests::test_now) {
    session.lang = lang;
  }
};

domain::offer open_offer(int32_t total, int32_t reserved = 0) {
  domain::offer o;
  o.id = 1;
  o.quantity_total = total;
  o.quantity_reserved = reserved;
  o.state = domain::offer_state::active;
  o.pickup_start = tests::test_now + 3600;
  o.pickup_end = tests::test_now + 7200;
  return o;
}

}  // namespace

TEST_CASE("ids in callback data are positive plain digits", "[unit][flows][customer]") {
  CHECK(flows::parse_id("42") == 42);
  CHECK(flows::parse_id("999999999999999999") == 999999999999999999);
  for (const char* bad :
       {"", "0", "-5", "+5", " 5", "5 ", "abc", "1e3", "0x10", "12a", "1234567890123456789", "٣"})
    CHECK_FALSE(flows::parse_id(bad));
}

TEST_CASE("numbers in callback data are bounded", "[unit][flows][customer]") {
  CHECK(flows::parse_number("0", 10) == 0);
  CHECK(flows::parse_number("10", 10) == 10);
  CHECK_FALSE(flows::parse_number("11", 10));
  CHECK_FALSE(flows::parse_number("-1", 10));
  CHECK_FALSE(flows::parse_number("", 10));
}

TEST_CASE("list positions round-trip and refuse anything else", "[unit][flows][customer]") {
  for (auto position : {list_position{list_position::list::browse, 0},
                        list_position{list_position::list::nearby, 12},
                        list_position{list_position::list::browse, flows::max_page_number}}) {
    auto decoded = flows::decode_position(flows::encode_position(position));
    REQUIRE(decoded);
    CHECK(*decoded == position);
  }
  CHECK(flows::encode_position({list_position::list::nearby, 3}) == "n3");
  for (const char* bad : {"", "b", "x1", "b-1", "b1x", "n100000", "B1"})
    CHECK_FALSE(flows::decode_position(bad));
}

TEST_CASE("shortening never splits a character and marks the cut", "[unit][flows][customer]") {
  CHECK(flows::shorten("short", 10) == "short");
  CHECK(flows::shorten("exactly", 7) == "exactly");
  CHECK(flows::shorten("too long", 4) == "too…");
  CHECK(flows::shorten("ёжик в тумане", 5) == "ёжик…");
  CHECK(flows::shorten("🥐🥐🥐", 2) == "🥐…");
  CHECK(flows::shorten("🥐🥐", 2) == "🥐🥐");
  CHECK(flows::shorten("abc", 0).empty());
}

TEST_CASE("times and distances read in the user's language and time zone",
          "[unit][flows][customer]") {
  text_turn en;
  en.settings.utc_offset_minutes = 300;
  // 2023-11-14 22:13:20 UTC is 03:13 the next morning in UTC+5.
  CHECK(flows::clock_text(en.t, tests::test_now) == "03:13");
  CHECK(flows::distance_text(en.t, 1234) == "1.2 km");
  CHECK(flows::distance_text(en.t, 350) == "350 m");
  CHECK(flows::money_text(en.t, 1500000) == "15,000 UZS");

  text_turn ru(domain::language::ru);
  CHECK(flows::distance_text(ru.t, 1234) == "1.2 км");
  CHECK(flows::distance_text(ru.t, 350) == "350 м");
  CHECK_THAT(flows::window_text(ru.t, tests::test_now + 3600, tests::test_now + 7200),
             Catch::StartsWith("сегодня 04:13"));
}

TEST_CASE("the quantity a customer may pick is capped by stock and by the limit",
          "[unit][flows][customer]") {
  CHECK(flows::selectable_quantity(open_offer(10), 0, 5) == 5);
  CHECK(flows::selectable_quantity(open_offer(10, 8), 0, 5) == 2);
  CHECK(flows::selectable_quantity(open_offer(10), 4, 5) == 1);
  CHECK(flows::selectable_quantity(open_offer(10), 5, 5) == 0);
  CHECK(flows::selectable_quantity(open_offer(10), 7, 5) == 0);
  CHECK(flows::selectable_quantity(open_offer(10, 3), 0, 0) == 7);  // no limit
}

TEST_CASE("a card says why an offer cannot be reserved", "[unit][flows][customer]") {
  auto o = open_offer(3);
  CHECK(flows::unavailable_key(o, tests::test_now).empty());
  CHECK(flows::unavailable_key(o, o.pickup_end) == "customer.card.expired");
  o.quantity_reserved = 3;
  CHECK(flows::unavailable_key(o, tests::test_now) == "customer.card.sold_out");
  o.state = domain::offer_state::paused;
  CHECK(flows::unavailable_key(o, tests::test_now) == "customer.card.paused");
  o.state = domain::offer_state::ended;
  CHECK(flows::unavailable_key(o, tests::test_now) == "customer.card.ended");
  o.state = domain::offer_state::expired;
  CHECK(flows::unavailable_key(o, tests::test_now) == "customer.card.expired");
}

TEST_CASE("the card's buttons follow what the customer may do", "[unit][flows][customer]") {
  text_turn en;
  en.settings.max_items_per_customer = 5;
  flows::card_view view{open_offer(10), {}, 0, std::nullopt};
  const list_position back{list_position::list::nearby, 2};

  auto data = tests::button_data(flows::card_keyboard(en.t, view, 2, back));
  CHECK(data == std::vector<std::string>{"qty:1:1:n2", "qty:1:2:n2", "qty:1:3:n2", "res:1:2:n2",
                                         "back:n2"});
  // An asked quantity beyond what may be picked is clamped.
  data = tests::button_data(flows::card_keyboard(en.t, view, 99, back));
  CHECK(data[3] == "res:1:5:n2");

  view.held_by_user = 5;  // at the limit: nothing to reserve, only Back
  CHECK(tests::button_data(flows::card_keyboard(en.t, view, 1, back)) ==
        std::vector<std::string>{"back:n2"});
  CHECK_THAT(flows::card_text(en.t, view, 4096), Catch::Contains("most one customer"));

  view.held_by_user = 0;
  view.offer.state = domain::offer_state::paused;
  CHECK(tests::button_data(flows::card_keyboard(en.t, view, 1, back)) ==
        std::vector<std::string>{"back:n2"});
  CHECK_THAT(flows::card_text(en.t, view, 4096), Catch::Contains("paused"));
}

TEST_CASE("every callback data the customer buttons carry fits Telegram's 64 bytes",
          "[unit][flows][customer]") {
  text_turn en;
  auto o = open_offer(10000);
  o.id = 999999999999999999;
  flows::card_view view{o, {}, 0, std::nullopt};
  en.settings.max_items_per_customer = 0;
  for (const auto& data : tests::button_data(flows::card_keyboard(
           en.t, view, 9999, {list_position::list::nearby, flows::max_page_number})))
    CHECK(data.size() <= 64);
  CHECK(flows::cancel_data(999999999999999999, flows::cancel_origin::list).size() <= 64);
}

TEST_CASE("a long description gives way so a photo caption fits", "[unit][flows][customer]") {
  text_turn en;
  flows::card_view view{open_offer(3, 3), {}, 0, std::nullopt};  // sold out: a status line too
  view.offer.title = std::string(300, 'T');
  view.offer.description = std::string(5000, 'd');
  view.business.name = std::string(150, 'B');
  view.business.address = std::string(250, 'A') + " end of address";
  auto caption = flows::card_text(en.t, view, 1024);
  CHECK(flows::code_points(caption) <= 1024);
  CHECK_THAT(caption, Catch::Contains("end of address"));
  CHECK_THAT(caption, Catch::EndsWith("Sold out."));
  CHECK_THAT(caption, Catch::Contains("ddd…"));
  // With room to spare nothing is cut.
  view.offer.description = "Fresh this morning";
  CHECK_THAT(flows::card_text(en.t, view, 4096), Catch::Contains("Fresh this morning"));
}

TEST_CASE("code points are counted, not bytes", "[unit][flows][customer]") {
  CHECK(flows::code_points("") == 0);
  CHECK(flows::code_points("abc") == 3);
  CHECK(flows::code_points("ёжик") == 4);
  CHECK(flows::code_points("🥐 ok") == 4);
}

TEST_CASE("the card shows the distance only when the customer's location is known",
          "[unit][flows][customer]") {
  text_turn en;
  flows::card_view view{open_offer(3), {}, 0, std::nullopt};
  view.business.latitude = 41.3111;
  view.business.longitude = 69.2797;
  CHECK_THAT(flows::card_text(en.t, view, 4096), !Catch::Contains("from you"));
  view.customer_at = domain::geo_point{41.3111, 69.2797 + 0.012};  // about 1 km east
  CHECK_THAT(flows::card_text(en.t, view, 4096), Catch::Contains("1.0 km from you"));
}

TEST_CASE("active reservations are listed first, then a few past ones", "[unit][flows][customer]") {
  std::vector<flows::reservation_entry> entries;
  for (int i = 0; i < 30; ++i) {
    flows::reservation_entry e;
    e.reservation.id = 100 - i;  // newest first
    e.reservation.status =
        i % 3 == 0 ? domain::reservation_status::active : domain::reservation_status::cancelled;
    entries.push_back(e);
  }
  auto shown = flows::reservations_to_show(entries);
  REQUIRE(shown.size() == 10 + 5);
  for (size_t i = 0; i < 10; ++i)
    CHECK(shown[i].reservation.status == domain::reservation_status::active);
  CHECK(shown[0].reservation.id == 100);
  CHECK(shown[10].reservation.id == 99);
  CHECK(shown[10].reservation.status == domain::reservation_status::cancelled);
}

TEST_CASE("popup answers fit Telegram's 200 characters in every language",
          "[unit][flows][customer]") {
  const auto& texts = domain::ui_texts::builtin();
  for (auto lang : {domain::language::en, domain::language::ru, domain::language::uz}) {
    for (const auto& key : texts.keys(lang)) {
      const bool popup = key.rfind("reserve.", 0) == 0 || key.rfind("cancel.", 0) == 0 ||
                         key.rfind("customer.card.", 0) == 0 || key == "customer.offer_gone" ||
                         key == "customer.qty.minimum" || key == "customer.nearby.ask_short";
      if (!popup) continue;
      auto text = texts.format(lang, key,
                               {{"left", "10000"},
                                {"may_take", "10000"},
                                {"max", "10000"},
                                {"minutes", "1000"},
                                {"code", "ABCDEFGH"},
                                {"count", "10000"}});
      INFO(key);
      CHECK(flows::shorten(text, 200) == text);
    }
  }
}

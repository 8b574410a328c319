// Finding food without actors: /browse, /nearby, the location, the offer card and its quantity
// buttons, deep links, and callback data that is forged or out of date.

#include <catch2/catch.hpp>

#include "domain/input_parsing.hpp"
#include "tests/unit/flows_customer_harness.hpp"

using namespace lastcall;
using namespace lastcall::tests;

namespace {

size_t count_prefix(const std::vector<std::string>& data, const std::string& prefix) {
  size_t n = 0;
  for (const auto& d : data)
    if (d.rfind(prefix, 0) == 0) ++n;
  return n;
}

const nlohmann::json& markup_of(const telegram::api_call& call) {
  return call.params["reply_markup"];
}

}  // namespace

TEST_CASE("/browse lists one page and Next edits the list in place", "[unit][flows][customer]") {
  customer_harness h;
  h.settings.page_size = 5;
  auto bakery = h.market.add_business(700, "Bakery", 41.31, 69.28);
  for (int i = 0; i < 7; ++i) h.market.add_offer(bakery, "Deal " + std::to_string(i), 3);

  auto unit = h.says("/browse");
  auto sent = only_call(unit, "sendMessage");
  CHECK_THAT(text_of(sent), Catch::Contains("page 1 of 2"));
  auto data = button_data(markup_of(sent));
  CHECK(count_prefix(data, "card:") == 5);
  CHECK(data.back() == "browse:1");

  unit = h.taps("browse:1", 55);
  auto edits = only_call(unit, "editMessageText");
  CHECK(edits.params["message_id"] == 55);
  CHECK_THAT(text_of(edits), Catch::Contains("page 2 of 2"));
  data = button_data(markup_of(edits));
  CHECK(count_prefix(data, "card:") == 2);
  CHECK(data.back() == "browse:0");
  CHECK(calls(unit, "sendMessage").empty());
  // The entries are numbered on from the first page.
  CHECK_THAT(text_of(edits), Catch::Contains("6. "));
}

TEST_CASE("/browse with nothing to offer says so kindly", "[unit][flows][customer]") {
  customer_harness h;
  auto sent = only_call(h.says("/browse"), "sendMessage");
  CHECK_THAT(text_of(sent), Catch::Contains("Nothing available"));
}

TEST_CASE("/nearby asks for the location first", "[unit][flows][customer]") {
  customer_harness h;
  auto sent = only_call(h.says("/nearby"), "sendMessage");
  CHECK_THAT(text_of(sent), Catch::Contains("location"));
  // The reply keyboard's Nearby button shares the location in one tap.
  CHECK(markup_of(sent)["keyboard"][0][1].value("request_location", false));
  CHECK(h.market.asked["offer_page"] == 0);
}

TEST_CASE("a shared location is remembered and shows what is within the radius, nearest first",
          "[unit][flows][customer]") {
  customer_harness h;
  h.settings.nearby_radius_meters = 3000;
  auto near = h.market.add_business(700, "Near", 41.3111, 69.2797 + 0.012);      // ~1 km
  auto nearer = h.market.add_business(701, "Nearer", 41.3111, 69.2797 + 0.006);  // ~0.5 km
  auto far = h.market.add_business(702, "Far", 41.3111, 69.2797 + 0.12);         // ~10 km
  h.market.add_offer(near, "Soup", 2);
  h.market.add_offer(nearer, "Bread", 2);
  h.market.add_offer(far, "Cake", 2);

  auto sent = only_call(h.shares_location(41.3111, 69.2797), "sendMessage");
  REQUIRE(h.session.location);
  CHECK(h.session.location->latitude == Approx(41.3111));
  CHECK(h.session.location_at == h.now);
  auto text = text_of(sent);
  CHECK_THAT(text, Catch::Contains("within 3.0 km"));
  CHECK_THAT(text, Catch::Contains("Bread"));
  CHECK_THAT(text, Catch::Contains("500 m"));
  CHECK_THAT(text, Catch::Contains("1.0 km"));
  CHECK_THAT(text, !Catch::Contains("Cake"));
  CHECK(text.find("Bread") < text.find("Soup"));

  // /nearby now uses the stored location.
  auto again = only_call(h.says("/nearby"), "sendMessage");
  CHECK(text_of(again) == text);
}

TEST_CASE("a location that cannot be on Earth is refused", "[unit][flows][customer]") {
  customer_harness h;
  only_call(h.shares_location(123.0, 500.0), "sendMessage");
  CHECK_FALSE(h.session.location);
}

TEST_CASE("a card shows the offer and a photo when there is one", "[unit][flows][customer]") {
  customer_harness h;
  auto bakery = h.market.add_business(700, "Bakery Nord", 41.31, 69.28);
  auto id = h.market.add_offer(bakery, "Croissants", 4, 2500000, 1000000);

  auto unit = h.taps("card:" + std::to_string(id) + ":b0");
  auto sent = only_call(unit, "sendMessage");
  auto text = text_of(sent);
  CHECK_THAT(text, Catch::Contains("Croissants"));
  CHECK_THAT(text, Catch::Contains("Bakery Nord"));
  CHECK_THAT(text, Catch::Contains("10,000 UZS instead of 25,000 UZS (−60%)"));
  CHECK_THAT(text, Catch::Contains("Left: 4"));
  CHECK_THAT(text, Catch::Contains("Bakery Nord street 1"));
  CHECK(button_data(markup_of(sent)) == std::vector<std::string>{"qty:1:0:b0", "qty:1:1:b0",
                                                                 "qty:1:2:b0", "res:1:1:b0",
                                                                 "dir:1", "back:b0"});
  CHECK(std::holds_alternative<market::view_offer>(h.market.operations.back()));

  auto copy = h.market.book(id).state();
  copy.photo_file_id = "photo-1";
  h.market.book(id) = domain::offer_book(copy, {});
  auto photos = only_call(h.taps("card:1"), "sendPhoto");
  CHECK(photos.params["photo"] == "photo-1");
  CHECK_THAT(photos.params["caption"].get<std::string>(), Catch::Contains("Croissants"));
}

TEST_CASE("a card shows the business's phone, and Directions sends the business as a venue",
          "[unit][flows][customer]") {
  customer_harness h;
  auto bakery = h.market.add_business(700, "Bakery Nord", 41.31, 69.28);
  auto id = h.market.add_offer(bakery, "Croissants", 4);
  const auto directions = "dir:" + std::to_string(id);

  auto card = only_call(h.taps("card:" + std::to_string(id) + ":b0"), "sendMessage");
  CHECK_THAT(text_of(card), Catch::Contains("📞 +998901234567"));
  auto data = button_data(markup_of(card));
  REQUIRE(data.size() >= 2);
  CHECK(data[data.size() - 2] == directions);
  CHECK(data.back() == "back:b0");

  auto unit = h.taps(directions);
  CHECK_FALSE(alert(unit));
  auto venue = only_call(unit, "sendVenue");
  CHECK(venue.chat_id == h.user_id);
  CHECK(venue.params["latitude"] == 41.31);
  CHECK(venue.params["longitude"] == 69.28);
  CHECK(venue.params["title"] == "Bakery Nord");
  CHECK(venue.params["address"] == "Bakery Nord street 1");
  CHECK(unit.reservations.empty());

  // A business with no place on the map has no Directions button, and a forged tap says why.
  auto nowhere = h.market.add_business(701, "Bakery Nowhere", 0, 0);
  auto pie = h.market.add_offer(nowhere, "Pie", 2);
  auto pie_card = only_call(h.taps("card:" + std::to_string(pie) + ":b0"), "sendMessage");
  CHECK(count_prefix(button_data(markup_of(pie_card)), "dir:") == 0);
  unit = h.taps("dir:" + std::to_string(pie));
  CHECK(alert(unit));
  CHECK_THAT(popup(unit), Catch::Contains("location"));
  CHECK(calls(unit, "sendVenue").empty());

  // Nor does an offer that does not exist, or garbled data, send anything.
  for (const auto* forged : {"dir:999", "dir:x", "dir:", "dir:1:2"}) {
    unit = h.taps(forged);
    CHECK(alert(unit));
    CHECK(calls(unit, "sendVenue").empty());
  }
}

TEST_CASE("the quantity buttons stay within 1, the stock and the limit",
          "[unit][flows][customer]") {
  customer_harness h;
  h.settings.max_items_per_customer = 5;
  auto bakery = h.market.add_business(700, "Bakery", 41.31, 69.28);
  h.market.add_offer(bakery, "Buns", 3);
  h.market.add_offer(bakery, "Pies", 20);

  auto unit = h.taps("qty:1:2:b0");
  CHECK(popup(unit).empty());
  auto edits = only_call(unit, "editMessageText");
  CHECK(button_data(markup_of(edits))[3] == "res:1:2:b0");
  // The Reserve button says what two cost.
  const int64_t two = 2 * h.market.book(1).state().deal_price;
  CHECK(markup_of(edits)["inline_keyboard"][1][0]["text"] ==
        "✅ Reserve 2 · " + domain::format_money(two, "UZS", domain::language::en));

  unit = h.taps("qty:1:0:b0");  // − at 1
  CHECK_THAT(popup(unit), Catch::Contains("fewer than 1"));
  CHECK(button_data(markup_of(calls(unit, "editMessageText")[0]))[3] == "res:1:1:b0");

  unit = h.taps("qty:1:4:b0");  // + beyond the stock of 3
  CHECK_THAT(popup(unit), Catch::Contains("Only 3 left"));
  CHECK(button_data(markup_of(calls(unit, "editMessageText")[0]))[3] == "res:1:3:b0");

  unit = h.taps("qty:2:6:b0");  // + beyond the limit of 5
  CHECK_THAT(popup(unit), Catch::Contains("at most 5"));
  CHECK(button_data(markup_of(calls(unit, "editMessageText")[0]))[3] == "res:2:5:b0");
  CHECK(unit.offers.empty());
  CHECK(unit.reservations.empty());
}

TEST_CASE("a tap on a card drawn before the offer sold out tells the truth and redraws it",
          "[unit][flows][customer]") {
  customer_harness h;
  auto bakery = h.market.add_business(700, "Bakery", 41.31, 69.28);
  auto id = h.market.add_offer(bakery, "Buns", 1);
  h.market.book(id).reserve(99, 1, h.now, "", 500, "ABCDE", 5, 0);

  auto unit = h.taps("qty:1:2:b0");
  CHECK(alert(unit));
  CHECK_THAT(popup(unit), Catch::Contains("Sold out"));
  auto edits = only_call(unit, "editMessageText");
  CHECK_THAT(text_of(edits), Catch::Contains("Sold out"));
  CHECK(button_data(markup_of(edits)) == std::vector<std::string>{"dir:1", "back:b0"});
}

TEST_CASE("forged or garbled customer buttons change nothing and say so",
          "[unit][flows][customer]") {
  customer_harness h;
  auto bakery = h.market.add_business(700, "Bakery", 41.31, 69.28);
  h.market.add_offer(bakery, "Buns", 3);
  std::string random_bytes;
  for (int i = 0; i < 64; ++i) random_bytes += static_cast<char>((i * 73 + 11) % 256);

  for (const std::string& data : std::vector<std::string>{"card:-5",
                                                          "card:abc",
                                                          "card:",
                                                          "card:1:x9",
                                                          "card:1:b0:extra",
                                                          "qty:1",
                                                          "qty:x:1:b0",
                                                          "qty:1:-1:b0",
                                                          "res:abc:1",
                                                          "res:1",
                                                          "res:1:1:b0:x",
                                                          "res:1:x",
                                                          "res::1",
                                                          "browse:x",
                                                          "browse:-1",
                                                          "browse:1:2",
                                                          "nearby:",
                                                          "back:",
                                                          "back:z3",
                                                          "cancel:abc",
                                                          "cancel:1:x",
                                                          "cancel:",
                                                          "card:99999999999999999999",
                                                          random_bytes}) {
    INFO(data);
    auto unit = h.taps(data);
    CHECK(alert(unit));
    CHECK_THAT(popup(unit), Catch::Contains("no longer valid"));
    CHECK(unit.offers.empty());
    CHECK(unit.reservations.empty());
    CHECK(calls(unit, "sendMessage").empty());
    CHECK(calls(unit, "editMessageText").empty());
  }
  CHECK(h.market.operations.empty());
}

TEST_CASE("a card for an offer that does not exist says it is gone", "[unit][flows][customer]") {
  customer_harness h;
  auto unit = h.taps("card:42:b0");
  CHECK(alert(unit));
  CHECK_THAT(popup(unit), Catch::Contains("no longer available"));
}

TEST_CASE("a deep link opens the offer's card at once", "[unit][flows][customer]") {
  customer_harness h;
  auto bakery = h.market.add_business(700, "Bakery", 41.31, 69.28);
  h.market.add_offer(bakery, "Buns", 3);

  auto unit = h.says("/start offer_1");
  auto sent = calls(unit, "sendMessage");
  REQUIRE(sent.size() == 2);  // the card, then the menu for someone new
  CHECK_THAT(text_of(sent[0]), Catch::Contains("Buns"));
  CHECK(markup_of(sent[1]).contains("keyboard"));

  h.session.language_chosen = true;
  CHECK(calls(h.says("/start offer_1"), "sendMessage").size() == 1);
}

TEST_CASE("a deep link to nothing, or a broken one, gets a friendly answer and the menu",
          "[unit][flows][customer]") {
  customer_harness h;
  auto gone = only_call(h.says("/start offer_999"), "sendMessage");
  CHECK_THAT(text_of(gone), Catch::Contains("no longer available"));
  CHECK(markup_of(gone).contains("keyboard"));

  auto broken = only_call(h.says("/start offer_x1"), "sendMessage");
  CHECK_THAT(text_of(broken), Catch::Contains("link"));
  CHECK(markup_of(broken).contains("keyboard"));
}

TEST_CASE("the turn stays open until the market answered", "[unit][flows][customer]") {
  customer_harness h;
  auto bakery = h.market.add_business(700, "Bakery", 41.31, 69.28);
  h.market.add_offer(bakery, "Buns", 3);
  h.market.deferred = true;

  auto u = h.message_update();
  u.message->text = "/browse";
  flows::turn t(u, h.session, h.settings, domain::ui_texts::builtin(), h.now);
  flows::default_dispatcher().dispatch(t, h.market);
  bool done = false;
  t.start([&] { done = true; });
  CHECK_FALSE(done);
  CHECK(t.unit().outbox.empty());
  h.market.answer_all();
  CHECK(done);
  CHECK(calls(t.unit(), "sendMessage").size() == 1);
}

TEST_CASE("the menu buttons open browse and nearby in every language", "[unit][flows][customer]") {
  customer_harness h;
  CHECK_THAT(text_of(calls(h.says("🛍 Каталог"), "sendMessage")[0]),
             Catch::Contains("Nothing available"));
  CHECK(h.market.asked["offer_page"] == 1);
  h.session.lang = domain::language::ru;
  CHECK_THAT(text_of(calls(h.says("/browse"), "sendMessage")[0]),
             Catch::Contains("Сейчас ничего нет"));
}

// Customers finding food, end to end: browsing page by page, deals near them, the offer card,
// links to an offer, and buttons that are out of date or forged.

#include <algorithm>

#include <catch2/catch.hpp>

#include "tests/e2e/customer_steps.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

// 41.3111 N, 69.2797 E; 0.006 degrees of longitude there are about 500 m.
constexpr domain::geo_point centre{41.3111, 69.2797};

domain::geo_point east_of_centre(double degrees) {
  return {centre.latitude, centre.longitude + degrees};
}

}  // namespace

TEST_CASE("a customer browses the deals page by page and opens one", "[e2e][customer][browse]") {
  market_seed seed;
  auto bakery = seed.add_business(700, "Bakery Nord", centre, "Navoi 5");
  for (int i = 1; i <= 7; ++i) {
    seed.add_offer(bakery, offer_titled("Deal " + std::to_string(i), i));
  }
  auto m = seeded_market("customer-browse", seed, {{"PAGE_SIZE", "5"}});
  chat_user ann(*m, 601, "Ann");

  auto list = ann.says("/browse");
  CHECK_THAT(list.text, Catch::Contains("Deals available now (page 1 of 2)"));
  auto labels = button_labels(list.reply_markup);
  REQUIRE(labels.size() == 6);  // five deals and Next
  CHECK(labels.back() == "Next ▶");

  ann.taps_button(list, "Next");
  auto second = edited(*m, ann, list);
  CHECK_THAT(second.text, Catch::Contains("page 2 of 2"));
  CHECK(button_labels(second.reply_markup).size() == 3);  // two deals and Previous
  CHECK(ann.seen() == 1);  // the list changed in place, no new message

  ann.taps_button(second, "Previous");
  auto first_again = edited(*m, ann, second);
  CHECK_THAT(first_again.text, Catch::Contains("page 1 of 2"));

  auto card = opens_card(ann, first_again, "Deal 3");
  CHECK_THAT(card.text, Catch::Contains("Deal 3"));
  CHECK_THAT(card.text, Catch::Contains("Bakery Nord"));
  CHECK_THAT(card.text, Catch::Contains("20,000 UZS instead of 50,000 UZS (−60%)"));
  CHECK_THAT(card.text, Catch::Contains("Left: 3"));
  CHECK_THAT(card.text, Catch::Contains("Navoi 5"));
  CHECK_THAT(card.text, Catch::Contains("Pickup: today") || Catch::Contains("Pickup: tomorrow"));
  CHECK(!button_data(card, "Reserve 1").empty());

  // The menu button does what /browse does.
  CHECK_THAT(ann.says("🛍 Browse").text, Catch::Contains("page 1 of 2"));
}

TEST_CASE("a Russian-speaking customer browses in Russian", "[e2e][customer][browse][ru]") {
  market_seed seed;
  auto bakery = seed.add_business(700, "Пекарня", centre);
  offer_seed buns;
  buns.title = "Булочки";
  buns.photo_file_id = "seed-photo-buns";
  seed.add_offer(bakery, buns);
  auto m = seeded_market("customer-browse-ru", seed);
  chat_user ivan(*m, 602, "Ivan", "ru");

  auto list = ivan.says("🛍 Каталог");
  CHECK_THAT(list.text, Catch::Contains("Предложения сейчас"));
  CHECK_THAT(list.text, Catch::Contains("осталось 5"));
  auto card = opens_card(ivan, list, "Булочки");
  // An offer with a photo is shown as the photo with the card as its caption.
  CHECK(!card.photo_file_id.empty());
  CHECK_THAT(card.caption, Catch::Contains("Булочки"));
  CHECK_THAT(card.caption, Catch::Contains("20\u00a0000 сум вместо 50\u00a0000 сум"));
  CHECK_THAT(card.caption, Catch::Contains("Осталось: 5"));
  CHECK(!button_data(card, "Забронировать 1").empty());

  // The quantity buttons redraw the photo card's caption and buttons.
  ivan.taps_button(card, "➕");
  auto more = edited(*m, ivan, card);
  CHECK(!button_data(more, "Забронировать 2").empty());
}

TEST_CASE("nearby shows the deals within the radius, nearest first, with distances",
          "[e2e][customer][nearby]") {
  market_seed seed;
  offer_seed soup, bread, cake;
  soup.title = "Soup";
  bread.title = "Bread";
  cake.title = "Cake";
  seed.add_offer(seed.add_business(700, "Cafe One", east_of_centre(0.012)), soup);   // ~1 km
  seed.add_offer(seed.add_business(701, "Cafe Two", east_of_centre(0.006)), bread);  // ~500 m
  seed.add_offer(seed.add_business(702, "Cafe Far", east_of_centre(0.12)), cake);    // ~10 km
  auto m = seeded_market("customer-nearby", seed, {{"NEARBY_RADIUS_METERS", "3000"}});
  chat_user ann(*m, 603, "Ann");

  // Without a location the bot asks for one; the menu's Nearby button shares it.
  auto ask = ann.says("/nearby");
  CHECK_THAT(ask.text, Catch::Contains("location"));
  CHECK(m->world().reply_keyboard(ann.id())["keyboard"][0][1].value("request_location", false));

  auto list = ann.shares_location(centre.latitude, centre.longitude);
  CHECK_THAT(list.text, Catch::Contains("within 3.0 km"));
  CHECK_THAT(list.text, Catch::Contains("Bread"));
  CHECK_THAT(list.text, Catch::Contains("500 m"));
  CHECK_THAT(list.text, Catch::Contains("Soup"));
  CHECK_THAT(list.text, Catch::Contains("1.0 km"));
  CHECK_THAT(list.text, !Catch::Contains("Cake"));
  CHECK(list.text.find("Bread") < list.text.find("Soup"));

  // The location is remembered: /nearby and the card use it.
  CHECK(ann.says("/nearby").text == list.text);
  auto card = opens_card(ann, list, "Soup");
  CHECK_THAT(card.text, Catch::Contains("1.0 km from you"));

  // Browse still shows the whole city.
  CHECK_THAT(ann.says("/browse").text, Catch::Contains("Cake"));

  // Elsewhere there is nothing nearby.
  auto far_away = ann.shares_location(40.0, 65.0);
  CHECK_THAT(far_away.text, Catch::Contains("No deals within 3.0 km"));
}

TEST_CASE("a link to an offer opens its card at once", "[e2e][customer][deeplink]") {
  market_seed seed;
  auto bakery = seed.add_business(700, "Bakery Nord", centre);
  auto offer = seed.add_offer(bakery, offer_titled("Buns"));
  auto m = seeded_market("customer-deeplink", seed);
  chat_user ann(*m, 604, "Ann");
  chat_user ivan(*m, 605, "Ivan", "ru");

  auto replies = ann.says_and_gets(offer_link(offer.id), 2);
  CHECK_THAT(replies[0].text, Catch::Contains("Buns"));
  CHECK(!button_data(replies[0], "Reserve").empty());
  // Someone new also gets the menu.
  CHECK(!button_labels(m->world().reply_keyboard(ann.id())).empty());

  auto gone = ann.says(offer_link(offer.id + 1000));
  CHECK_THAT(gone.text, Catch::Contains("no longer available"));

  auto broken = ivan.says("/start not_a_deal");
  CHECK_THAT(broken.text, Catch::Contains("ссылка"));
  auto menu = button_labels(m->world().reply_keyboard(ivan.id()));
  CHECK(std::find(menu.begin(), menu.end(), "🛍 Каталог") != menu.end());
}

TEST_CASE("forged and garbled buttons get a clear answer and change nothing",
          "[e2e][customer][garbage]") {
  market_seed seed;
  auto bakery = seed.add_business(700, "Bakery Nord", centre);
  auto offer = seed.add_offer(bakery);
  auto m = seeded_market("customer-garbage", seed);
  chat_user ann(*m, 606, "Ann");
  auto card = ann.says_and_gets(offer_link(offer.id), 2)[0];

  std::string random_bytes;
  for (int i = 0; i < 64; ++i) random_bytes += static_cast<char>('!' + (i * 37) % 90);
  for (const std::string& data :
       std::vector<std::string>{"res:abc:1", "res:1", "card:-5", "qty:1:-3:b0",
                                "res:" + std::to_string(offer.id) + ":0:b0",
                                "res:99999999999999999999:1", "cancel:xyz", random_bytes}) {
    INFO(data);
    auto answer = ann.taps(card.message_id, data);
    CHECK(answer.show_alert);
    CHECK(!answer.text.empty());
  }
  CHECK(stored_reservations(m->database_url(), offer.id).empty());
  CHECK(stored_offer(m->database_url(), offer.id).quantity_reserved == 0);
  CHECK(ann.message(card.message_id).text == card.text);
}

TEST_CASE("a tap on a card drawn before the deal sold out tells the truth and redraws it",
          "[e2e][customer][stale]") {
  market_seed seed;
  auto bakery = seed.add_business(700, "Bakery Nord", centre);
  auto offer = seed.add_offer(bakery, offer_titled("Pies", 2));
  auto m = seeded_market("customer-stale", seed);
  chat_user ann(*m, 607, "Ann");
  chat_user bob(*m, 608, "Bob");

  auto ann_card = ann.says_and_gets(offer_link(offer.id), 2)[0];
  auto bob_card = bob.says_and_gets(offer_link(offer.id), 2)[0];
  bob.taps_button(bob_card, "➕");
  bob_card = edited(*m, bob, bob_card);
  CHECK_THAT(bob.taps_button(bob_card, "Reserve 2").text, Catch::Contains("Reserved"));

  // Ann's card still says two are left.
  CHECK_THAT(ann_card.text, Catch::Contains("Left: 2"));
  auto answer = ann.taps_button(ann_card, "Reserve 1");
  CHECK(answer.show_alert);
  CHECK_THAT(answer.text, Catch::Contains("sold out"));
  auto redrawn = edited(*m, ann, ann_card);
  CHECK_THAT(redrawn.text, Catch::Contains("Sold out"));
  CHECK_THAT(redrawn.text, Catch::Contains("Left: 0"));
  CHECK(button_data(redrawn, "Reserve").empty());
  CHECK(active_items(*m, offer.id) == 2);
}

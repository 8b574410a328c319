// The pure helpers behind the business forms: what a draft still lacks, what it makes, and reading
// the ids people type.

#include <catch2/catch.hpp>

#include "flows/business_common.hpp"
#include "flows/form_drafts.hpp"

using namespace lastcall;
using namespace lastcall::flows::biz;

TEST_CASE("a registration draft asks for the first missing answer", "[unit][business]") {
  nlohmann::json draft = nlohmann::json::object();
  CHECK(next_registration_step(draft) == "name");
  draft["name"] = "Bakery Nord";
  CHECK(next_registration_step(draft) == "address");
  draft["address"] = "Main St 1";
  CHECK(next_registration_step(draft) == "location");
  draft["latitude"] = 41.3;
  CHECK(next_registration_step(draft) == "location");  // both coordinates or none
  draft["longitude"] = 69.2;
  CHECK(next_registration_step(draft) == "phone");
  draft["phone"] = "+998901234567";
  CHECK(next_registration_step(draft) == "photo");
  draft["photo"] = "";  // skipped
  CHECK(next_registration_step(draft).empty());

  auto b = business_from_draft(draft, 501);
  CHECK(b.owner_id == 501);
  CHECK(b.name == "Bakery Nord");
  CHECK(b.latitude == Approx(41.3));
  CHECK(b.photo_file_id.empty());
  CHECK(b.status == domain::business_status::pending);
}

TEST_CASE("a draft field of the wrong type is asked for again", "[unit][business]") {
  nlohmann::json draft = {{"name", 5}, {"address", "x"}};
  CHECK(next_registration_step(draft) == "name");
  CHECK(next_registration_step(nlohmann::json()) == "name");
  nlohmann::json offer = {{"title", "Croissants"},
                          {"description", "Fresh"},
                          {"photo", ""},
                          {"original_price", "20000"}};
  CHECK(next_offer_step(offer) == "original_price");
}

TEST_CASE("an offer draft asks in order and makes a draft offer", "[unit][business]") {
  nlohmann::json draft = {{"title", "Croissants"}, {"description", "Fresh this morning"},
                          {"photo", "file-1"},     {"original_price", 2000000},
                          {"deal_price", 1200000}, {"quantity", 8}};
  CHECK(next_offer_step(draft) == "window");
  draft["pickup_start"] = 100;
  draft["pickup_end"] = 200;
  CHECK(next_offer_step(draft).empty());

  auto o = offer_from_draft(draft, "UZS");
  CHECK(o.title == "Croissants");
  CHECK(o.photo_file_id == "file-1");
  CHECK(o.original_price == 2000000);
  CHECK(o.deal_price == 1200000);
  CHECK(o.quantity_total == 8);
  CHECK(o.pickup_end == 200);
  CHECK(o.currency == "UZS");
  CHECK(o.state == domain::offer_state::draft);
}

TEST_CASE("changing a field clears what it covers", "[unit][business]") {
  nlohmann::json draft = {{"title", "Croissants"},  {"description", "Fresh"}, {"photo", ""},
                          {"original_price", 2000}, {"deal_price", 1000},     {"quantity", 8},
                          {"pickup_start", 100},    {"pickup_end", 200}};
  REQUIRE(next_offer_step(draft).empty());

  CHECK(clear_offer_field(draft, "price"));
  CHECK(next_offer_step(draft) == "original_price");
  CHECK_FALSE(draft.contains("deal_price"));  // the deal must be re-checked against the new price
  draft["original_price"] = 3000;
  draft["deal_price"] = 1500;

  CHECK(clear_offer_field(draft, "window"));
  CHECK(next_offer_step(draft) == "window");
  CHECK(draft["title"] == "Croissants");

  CHECK_FALSE(clear_offer_field(draft, "business_id"));
  CHECK_FALSE(clear_offer_field(draft, ""));
  CHECK(draft.contains("title"));
}

TEST_CASE("ids typed or carried in buttons must be plain positive numbers", "[unit][business]") {
  CHECK(parse_id("12") == 12);
  CHECK(parse_id(" #12 ") == 12);
  CHECK(parse_id("999999999999999") == 999999999999999);
  CHECK_FALSE(parse_id(""));
  CHECK_FALSE(parse_id("0"));
  CHECK_FALSE(parse_id("-3"));
  CHECK_FALSE(parse_id("12a"));
  CHECK_FALSE(parse_id("1 2"));
  CHECK_FALSE(parse_id("1234567890123456"));  // longer than any id
  CHECK_FALSE(parse_id("#"));
}

TEST_CASE("a command's first word is split from the rest", "[unit][business]") {
  CHECK(split_first_word("12 no address given") ==
        std::make_pair(std::string("12"), std::string("no address given")));
  CHECK(split_first_word("  12  ") == std::make_pair(std::string("12"), std::string()));
  CHECK(split_first_word("") == std::make_pair(std::string(), std::string()));
}

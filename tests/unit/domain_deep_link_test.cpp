#include <catch2/catch.hpp>

#include <string>

#include "domain/deep_link.hpp"

using namespace lastcall::domain;

using kind = start_payload::kind;

TEST_CASE("offer links open the bot on the offer", "[unit][deep_link]") {
  CHECK(offer_deep_link("lastcall_bot", 42) == "https://t.me/lastcall_bot?start=offer_42");
  CHECK(offer_deep_link("@lastcall_bot", 7) == "https://t.me/lastcall_bot?start=offer_7");
}

TEST_CASE("a link's payload reads back as the offer", "[unit][deep_link]") {
  const std::string link = offer_deep_link("bot", 123456789);
  const auto payload = parse_start_payload(link.substr(link.find('=') + 1));
  CHECK(payload.what == kind::offer);
  CHECK(payload.id == 123456789);
  CHECK(parse_start_payload(" offer_5 ").id == 5);
  CHECK(parse_start_payload("offer_999999999999999999").what == kind::offer);
}

TEST_CASE("an empty payload is a plain start", "[unit][deep_link]") {
  CHECK(parse_start_payload("").what == kind::none);
  CHECK(parse_start_payload("   ").what == kind::none);
}

TEST_CASE("malformed payloads are invalid", "[unit][deep_link]") {
  for (const char* payload :
       {"offer_", "offer_0", "offer_-5", "offer_12a", "offer_1_2", "OFFER_12", "offer12", "promo",
        "offer_1000000000000000000", "offer 12", "offer_12!", "оффер_12", "offer_12\n3"}) {
    CAPTURE(payload);
    CHECK(parse_start_payload(payload).what == kind::invalid);
  }
  CHECK(parse_start_payload("offer_" + std::string(59, '1')).what == kind::invalid);
  // Over 64 characters, even though the characters are allowed.
  CHECK(parse_start_payload("a" + std::string(64, '_')).what == kind::invalid);
}

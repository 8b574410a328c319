// The snapshot file format on its own: what is written reads back the same, and every kind of bad
// file is refused with a message that says what is wrong.

#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "persistence/snapshot_file.hpp"
#include "persistence/snapshot_format.hpp"

using namespace lastcall;
using persistence::parse_snapshot;
using persistence::serialise_snapshot;
using persistence::snapshot;

namespace {

const std::string awkward = "O'Reilly \"best\" \\ back\\slash\nline ёжик 🍰 日本語 $$ %s {}";

snapshot sample() {
  snapshot s;
  s.event_seq = 4711;
  s.taken_at = 1767261600;
  s.update_offset = 901;
  s.processed_update_ids = {903, 905};

  domain::user_record u;
  u.id = 500;
  u.lang = domain::language::uz;
  u.language_chosen = true;
  u.blocked_bot = true;
  u.session = {{"flow", "register"}, {"drafts", {{"register", {{"name", awkward}}}}}};
  u.version = 3;
  u.created_at = 1700000000;
  domain::user_record plain;
  plain.id = 501;
  plain.version = 1;
  s.entities.users = {u, plain};

  domain::business b;
  b.id = 10;
  b.owner_id = 500;
  b.name = "Bakery " + awkward;
  b.address = "Amir Temur 1";
  b.latitude = 41.311081234567891;
  b.longitude = -69.27970012345;
  b.phone = "+998 90 123-45-67";
  b.photo_file_id = "AgAC";
  b.status = domain::business_status::rejected;
  b.reject_reason = "business.reason.not_food";
  b.decided_by = 9001;
  b.version = 4;
  b.created_at = 1700000100;
  s.entities.businesses = {b};

  domain::offer o;
  o.id = 20;
  o.business_id = 10;
  o.title = "Croissants " + awkward;
  o.description = "two\nlines";
  o.original_price = 2500000;
  o.deal_price = 1200000;
  o.currency = "UZS";
  o.quantity_total = 12;
  o.quantity_reserved = 3;
  o.quantity_collected = 2;
  o.pickup_start = 1700003600;
  o.pickup_end = 1700010800;
  o.state = domain::offer_state::sold_out;
  o.version = 7;
  o.created_at = 1700000200;
  o.published_at = 1700000300;
  s.entities.offers = {o};

  domain::reservation r;
  r.id = 30;
  r.offer_id = 20;
  r.customer_id = 600;
  r.quantity = 2;
  r.code = "K7M2Q";
  r.status = domain::reservation_status::no_show;
  r.deal_price = 1200000;
  r.idempotency_key = "u:1030";
  r.version = 5;
  r.created_at = 1700000400;
  r.updated_at = 1700000500;
  s.entities.reservations = {r};

  telegram::api_call call;
  call.method = "sendMessage";
  call.chat_id = 600;
  call.params = {{"chat_id", 600}, {"text", awkward}};
  call.priority = telegram::call_priority::bulk;
  call.outbox_id = 77;
  s.outbox = {call};
  return s;
}

// The sample as JSON, for tests that break one part of it.
nlohmann::json sample_json() {
  return nlohmann::json::parse(serialise_snapshot(sample()));
}

std::string refusal(const std::string& text) {
  const auto result = parse_snapshot(text);
  CHECK_FALSE(result.ok());
  CHECK_FALSE(result.error.empty());
  return result.error;
}

std::string refusal_of(const nlohmann::json& json) {
  return refusal(json.dump());
}

}  // namespace

TEST_CASE("a snapshot reads back exactly as it was written", "[unit][snapshot]") {
  const auto original = sample();
  const auto text = serialise_snapshot(original);
  const auto parsed = parse_snapshot(text);
  INFO(parsed.error);
  REQUIRE(parsed.ok());
  const auto& s = *parsed.value;

  CHECK(s.event_seq == 4711);
  CHECK(s.taken_at == 1767261600);
  CHECK(s.update_offset == 901);
  CHECK(s.processed_update_ids == std::vector<int64_t>{903, 905});

  REQUIRE(s.entities.users.size() == 2);
  const auto& u = s.entities.users[0];
  CHECK(u.id == 500);
  CHECK(u.lang == domain::language::uz);
  CHECK(u.language_chosen);
  CHECK(u.blocked_bot);
  CHECK(u.session == original.entities.users[0].session);
  CHECK(u.version == 3);
  CHECK(u.created_at == 1700000000);
  CHECK(s.entities.users[1].session.is_null());

  REQUIRE(s.entities.businesses.size() == 1);
  const auto& b = s.entities.businesses[0];
  const auto& ob = original.entities.businesses[0];
  CHECK(b.name == ob.name);
  CHECK(b.latitude == ob.latitude);  // exact: doubles are written with every digit they need
  CHECK(b.longitude == ob.longitude);
  CHECK(b.status == domain::business_status::rejected);
  CHECK(b.reject_reason == ob.reject_reason);
  CHECK(b.decided_by == 9001);
  CHECK(b.version == 4);

  REQUIRE(s.entities.offers.size() == 1);
  const auto& o = s.entities.offers[0];
  CHECK(o.title == original.entities.offers[0].title);
  CHECK(o.description == "two\nlines");
  CHECK(o.quantity_total == 12);
  CHECK(o.quantity_reserved == 3);
  CHECK(o.quantity_collected == 2);
  CHECK(o.state == domain::offer_state::sold_out);
  CHECK(o.pickup_end == 1700010800);
  CHECK(o.published_at == 1700000300);

  REQUIRE(s.entities.reservations.size() == 1);
  const auto& r = s.entities.reservations[0];
  CHECK(r.code == "K7M2Q");
  CHECK(r.status == domain::reservation_status::no_show);
  CHECK(r.idempotency_key == "u:1030");
  CHECK(r.updated_at == 1700000500);

  REQUIRE(s.outbox.size() == 1);
  CHECK(s.outbox[0].method == "sendMessage");
  CHECK(s.outbox[0].chat_id == 600);
  CHECK(s.outbox[0].params == original.outbox[0].params);
  CHECK(s.outbox[0].priority == telegram::call_priority::bulk);

  // Writing what was read gives the same file: nothing is lost or reinterpreted on the way.
  CHECK(serialise_snapshot(s) == text);
}

TEST_CASE("a snapshot names its format, version and log position", "[unit][snapshot]") {
  const auto json = sample_json();
  CHECK(json["format"] == "lastcall-snapshot");
  CHECK(json["version"] == 1);
  CHECK(json["event_seq"] == 4711);
  CHECK(json["taken_at"] == 1767261600);
}

TEST_CASE("an empty market makes a valid snapshot", "[unit][snapshot]") {
  snapshot empty;
  const auto parsed = parse_snapshot(serialise_snapshot(empty));
  REQUIRE(parsed.ok());
  CHECK(parsed.value->entities.empty());
  CHECK(parsed.value->outbox.empty());
}

TEST_CASE("a coordinate JSON cannot hold survives as NaN", "[unit][snapshot]") {
  auto s = sample();
  s.entities.businesses[0].latitude = std::nan("");
  const auto parsed = parse_snapshot(serialise_snapshot(s));
  REQUIRE(parsed.ok());
  CHECK(std::isnan(parsed.value->entities.businesses[0].latitude));
}

TEST_CASE("empty, truncated and non-JSON files are refused", "[unit][snapshot]") {
  CHECK_THAT(refusal(""), Catch::Contains("empty"));
  CHECK_THAT(refusal("  \n"), Catch::Contains("empty"));
  const auto text = serialise_snapshot(sample());
  for (size_t keep : {size_t{1}, text.size() / 3, text.size() / 2, text.size() - 3})
    CHECK_THAT(refusal(text.substr(0, keep)), Catch::Contains("truncated"));
  CHECK_THAT(refusal("users,offers\n1,2\n"), Catch::Contains("not complete, valid JSON"));
  CHECK_THAT(refusal(text + "{}"), Catch::Contains("JSON"));
  // Found by the fuzzer: a number beyond any double made the JSON reader throw past the refusal.
  CHECK_THAT(refusal(R"({"format":"lastcall-snapshot","version":1,"event_seq":1E763990000})"),
             Catch::Contains("out of range"));
}

TEST_CASE("a file of another format or a newer version is refused", "[unit][snapshot]") {
  auto json = sample_json();
  json["format"] = "something-else";
  CHECK_THAT(refusal_of(json), Catch::Contains("not a lastcall snapshot"));
  json.erase("format");
  CHECK_THAT(refusal_of(json), Catch::Contains("not a lastcall snapshot"));
  CHECK_THAT(refusal_of(nlohmann::json::array({1, 2})), Catch::Contains("JSON object"));

  json = sample_json();
  json["version"] = 2;
  const auto newer = refusal_of(json);
  CHECK_THAT(newer, Catch::Contains("version 2") && Catch::Contains("newer"));
  json["version"] = 0;
  CHECK_THAT(refusal_of(json), Catch::Contains("version"));
  json["version"] = "1";
  CHECK_THAT(refusal_of(json), Catch::Contains("version: must be a whole number"));
}

TEST_CASE("a malformed row is refused with the place it is in", "[unit][snapshot]") {
  auto json = sample_json();
  json["offers"][0]["quantity_total"] = "12";
  CHECK(refusal_of(json) == "offers[0].quantity_total: must be a whole number");

  json = sample_json();
  json["offers"][0]["state"] = "gone";
  CHECK(refusal_of(json) == "offers[0].state: unknown value \"gone\"");

  json = sample_json();
  json["users"][1].erase("language");
  CHECK(refusal_of(json) == "users[1].language: is missing");

  json = sample_json();
  json["reservations"][0]["quantity"] = 0;
  CHECK(refusal_of(json) == "reservations[0].quantity: must be positive");

  json = sample_json();
  json["offers"][0]["deal_price"] = -1;
  CHECK(refusal_of(json) == "offers[0].deal_price: must not be negative");

  json = sample_json();
  json["businesses"][0]["latitude"] = "north";
  CHECK(refusal_of(json) == "businesses[0].latitude: must be a number");

  json = sample_json();
  json["users"][0]["blocked_bot"] = 1;
  CHECK(refusal_of(json) == "users[0].blocked_bot: must be true or false");

  json = sample_json();
  json["outbox"][0]["priority"] = 7;
  CHECK(refusal_of(json) == "outbox[0].priority: unknown value 7");

  json = sample_json();
  json["businesses"] = nlohmann::json::object();
  CHECK(refusal_of(json) == "businesses: must be a list");

  json = sample_json();
  json["event_seq"] = -5;
  CHECK(refusal_of(json) == "event_seq: must not be negative");
}

TEST_CASE("a file that lost a table is refused rather than restored without it",
          "[unit][snapshot]") {
  for (const char* table : {"users", "businesses", "offers", "reservations", "outbox",
                            "processed_update_ids", "event_seq", "update_offset"}) {
    auto json = sample_json();
    json.erase(table);
    CHECK(refusal_of(json) == std::string(table) + ": is missing");
  }
}

TEST_CASE("rows the database would refuse are found before anything is written",
          "[unit][snapshot]") {
  auto json = sample_json();
  json["offers"][0]["business_id"] = 11;
  CHECK_THAT(refusal_of(json), Catch::Contains("offer 20 belongs to business 11"));

  json = sample_json();
  json["reservations"][0]["offer_id"] = 21;
  CHECK_THAT(refusal_of(json), Catch::Contains("reservation 30 is of offer 21"));

  json = sample_json();
  json["users"][1]["id"] = 500;
  CHECK_THAT(refusal_of(json), Catch::Contains("users: id 500 appears more than once"));

  json = sample_json();
  auto second = json["reservations"][0];
  second["id"] = 31;
  second["idempotency_key"] = "";
  json["reservations"].push_back(second);
  CHECK_THAT(refusal_of(json), Catch::Contains("pickup code of reservation 31"));

  second["code"] = "OTHER";
  second["idempotency_key"] = "u:1030";
  json["reservations"][1] = second;
  CHECK_THAT(refusal_of(json), Catch::Contains("idempotency key of reservation 31"));
}

TEST_CASE("entity images round trip on their own, and missing lists are empty",
          "[unit][snapshot]") {
  const auto s = sample();
  const auto json = persistence::images_to_json(s.entities);
  const auto back = persistence::images_from_json(json);
  REQUIRE(back.size() == s.entities.size());
  CHECK(back.offers[0].title == s.entities.offers[0].title);

  persistence::entity_images only_offers;
  only_offers.offers = s.entities.offers;
  const auto small = persistence::images_to_json(only_offers);
  CHECK_FALSE(small.contains("users"));
  CHECK(persistence::images_from_json(small).offers.size() == 1);
  CHECK(persistence::images_from_json(nlohmann::json::object()).empty());
  CHECK_THROWS_AS(persistence::images_from_json(nlohmann::json::array()), persistence::image_error);
}

TEST_CASE("snapshot file names sort by log position and carry the time", "[unit][snapshot]") {
  CHECK(persistence::snapshot_file_name(4711, 1767261600) ==
        "snapshot-000000004711-20260101T100000Z.json");
  CHECK(persistence::snapshot_file_name(9, 0) < persistence::snapshot_file_name(10, 0));
}

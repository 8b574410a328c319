// The snapshot file format on its own: what is written reads back the same, and every kind of bad
// file is refused with a message that says what is wrong.

#include <cmath>
#include <string>

#include <catch2/catch.hpp>

#include "persistence/snapshot_file.hpp"
#include "persistence/snapshot_format.hpp"
#include "tests/support/entity_samples.hpp"

using namespace lastcall;
using persistence::parse_snapshot;
using persistence::serialise_snapshot;
using persistence::snapshot;

namespace {

snapshot sample() {
  snapshot s;
  s.event_seq = 4711;
  s.taken_at = 1767261600;
  s.update_offset = 901;
  s.processed_update_ids = {903, 905};

  domain::user_record plain;
  plain.id = 501;
  plain.version = 1;
  s.entities.users = {tests::sample_user(500), plain};
  s.entities.businesses = {tests::sample_business(10, 500)};
  s.entities.offers = {tests::sample_offer(20, 10, domain::offer_state::sold_out)};
  s.entities.reservations = {tests::sample_reservation(30, 20, 600)};

  telegram::api_call call;
  call.method = "sendMessage";
  call.chat_id = 600;
  call.params = {{"chat_id", 600}, {"text", tests::awkward_text}};
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

  // Every field, compared exactly: doubles are written with every digit they need.
  REQUIRE(s.entities.users.size() == 2);
  tests::require_same(s.entities.users[0], original.entities.users[0]);
  tests::require_same(s.entities.users[1], original.entities.users[1]);
  CHECK(s.entities.users[1].session.is_null());
  REQUIRE(s.entities.businesses.size() == 1);
  tests::require_same(s.entities.businesses[0], original.entities.businesses[0]);
  REQUIRE(s.entities.offers.size() == 1);
  tests::require_same(s.entities.offers[0], original.entities.offers[0]);
  REQUIRE(s.entities.reservations.size() == 1);
  tests::require_same(s.entities.reservations[0], original.entities.reservations[0]);

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

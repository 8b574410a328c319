#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <string>
#include <unordered_set>

#include "domain/pickup_code.hpp"

using namespace lastcall::domain;

TEST_CASE("pickup codes round-trip and never collide for the first million ids",
          "[unit][pickup_code]") {
  std::unordered_set<std::string> seen;
  seen.reserve(1'000'000);
  for (int64_t id = 1; id <= 1'000'000; ++id) {
    const uint32_t random = static_cast<uint32_t>(id * 2654435761u);
    const std::string code = make_pickup_code(id, random);
    const auto back = reservation_id_of(code);
    if (!back || *back != id) FAIL("id " << id << " came back as " << (back ? *back : -1));
    if (!seen.insert(code).second) FAIL("id " << id << " repeats code " << code);
  }
  CHECK(seen.size() == 1'000'000);
}

TEST_CASE("pickup codes round-trip for large ids", "[unit][pickup_code]") {
  for (int64_t id : {int64_t{35'786}, int64_t{35'787}, int64_t{1'145'165}, int64_t{1'145'166},
                     int64_t{99'999'999}, int64_t{1'000'000'000}, int64_t{123'456'789'012},
                     max_pickup_code_id()}) {
    CAPTURE(id);
    for (uint32_t random : {0u, 1u, 0xFFFFFFFFu}) {
      auto back = reservation_id_of(make_pickup_code(id, random));
      REQUIRE(back);
      CHECK(*back == id);
    }
  }
}

TEST_CASE("pickup codes are 5 to 8 characters for ids up to a billion", "[unit][pickup_code]") {
  CHECK(make_pickup_code(1, 0).size() == 5);
  CHECK(make_pickup_code(30'000, 0).size() == 5);
  CHECK(make_pickup_code(1'000'000, 0).size() == 6);
  CHECK(make_pickup_code(10'000'000, 0).size() == 7);
  CHECK(make_pickup_code(1'000'000'000, 0).size() == 8);
  for (int64_t id = 1; id <= 1'000'000'000; id = id * 3 + 1) {
    const auto size = make_pickup_code(id, 9).size();
    CHECK(size >= 5);
    CHECK(size <= 8);
  }
  CHECK(make_pickup_code(max_pickup_code_id(), 0).size() == 12);
}

TEST_CASE("pickup codes use no look-alike characters", "[unit][pickup_code]") {
  for (int64_t id = 1; id <= 20'000; id += 7) {
    const auto code = make_pickup_code(id, static_cast<uint32_t>(id));
    CAPTURE(code);
    CHECK(code.find_first_of("01OIL") == std::string::npos);
    CHECK(std::all_of(code.begin(), code.end(),
                      [](char c) { return (c >= '2' && c <= '9') || (c >= 'A' && c <= 'Z'); }));
  }
}

TEST_CASE("consecutive ids do not get similar codes", "[unit][pickup_code]") {
  int rising = 0, same_prefix = 0;
  for (int64_t id = 1000; id < 2000; ++id) {
    const auto a = make_pickup_code(id, 5), b = make_pickup_code(id + 1, 5);
    if (a < b) ++rising;
    if (a.substr(0, 2) == b.substr(0, 2)) ++same_prefix;
  }
  // A plain counter would rise (nearly) every time and share its leading characters.
  CHECK(rising < 900);
  CHECK(same_prefix < 100);
}

TEST_CASE("the random number changes the code but not the id it carries", "[unit][pickup_code]") {
  std::set<std::string> codes;
  for (uint32_t random = 0; random < 200; ++random) {
    const auto code = make_pickup_code(4242, random * 7919u);
    codes.insert(code);
    CHECK(reservation_id_of(code) == 4242);
  }
  CHECK(codes.size() > 100);
  CHECK(make_pickup_code(4242, 99) == make_pickup_code(4242, 99));
}

TEST_CASE("reading a code ignores case, spaces and dashes", "[unit][pickup_code]") {
  const std::string code = make_pickup_code(777, 3);
  std::string lower = code;
  for (auto& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  const std::string spaced = " " + code.substr(0, 2) + " - " + code.substr(2) + " ";
  CHECK(reservation_id_of(lower) == 777);
  CHECK(reservation_id_of(spaced) == 777);
  CHECK(normalize_pickup_code(spaced) == code);
  CHECK(normalize_pickup_code(lower) == code);
}

TEST_CASE("garbage is not a pickup code", "[unit][pickup_code]") {
  CHECK_FALSE(reservation_id_of(""));
  CHECK_FALSE(reservation_id_of("   "));
  CHECK_FALSE(reservation_id_of("ABCD"));           // too short
  CHECK_FALSE(reservation_id_of("ABCDEFGHJKMNP"));  // too long
  CHECK_FALSE(reservation_id_of("AB0DE"));          // 0 is not in the alphabet
  CHECK_FALSE(reservation_id_of("ABODE"));
  CHECK_FALSE(reservation_id_of("AB1DE"));
  CHECK_FALSE(reservation_id_of("ABIDE"));
  CHECK_FALSE(reservation_id_of("ABLDE"));
  CHECK_FALSE(reservation_id_of("AB?DE"));
  CHECK_FALSE(reservation_id_of("hello world"));
  CHECK_FALSE(reservation_id_of("Привет"));
  // The very top of the five-character range carries no id.
  CHECK_FALSE(reservation_id_of("ZZZZZ"));
}

TEST_CASE("ids outside the codable range are refused", "[unit][pickup_code]") {
  CHECK_THROWS_AS(make_pickup_code(0, 1), std::out_of_range);
  CHECK_THROWS_AS(make_pickup_code(-5, 1), std::out_of_range);
  CHECK_THROWS_AS(make_pickup_code(max_pickup_code_id() + 1, 1), std::out_of_range);
  CHECK(max_pickup_code_id() > 1'000'000'000'000);
}

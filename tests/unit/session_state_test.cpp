#include <catch2/catch.hpp>

#include "domain/session_state.hpp"

using namespace lastcall::domain;

TEST_CASE("a session survives a round trip through JSON", "[unit][session]") {
  session_state s;
  s.lang = language::uz;
  s.language_chosen = true;
  s.flow = "newoffer";
  s.step = "price";
  s.draft("newoffer")["title"] = "Croissants";
  s.draft("register")["name"] = "Bakery";
  s.location = geo_point{41.3, 69.2};
  s.location_at = 1700000000;
  auto back = session_from_json(to_json(s), language::en);
  CHECK(back.lang == language::uz);
  CHECK(back.language_chosen);
  CHECK(back.flow == "newoffer");
  CHECK(back.step == "price");
  CHECK(back.drafts == s.drafts);
  REQUIRE(back.location);
  CHECK(back.location->latitude == Approx(41.3));
  CHECK(back.location_at == 1700000000);
}

TEST_CASE("a damaged session starts empty in the fallback language", "[unit][session]") {
  auto s = session_from_json({{"lang", 5}, {"flow", nullptr}, {"drafts", "x"}}, language::ru);
  CHECK(s.lang == language::ru);
  CHECK(s.flow.empty());
  CHECK(s.drafts.is_object());
  CHECK(session_from_json("garbage", language::en).lang == language::en);
}

TEST_CASE("leaving a flow keeps its draft, and discarding removes it", "[unit][session]") {
  session_state s;
  s.flow = "register";
  s.draft("register")["name"] = "Bakery";
  s.leave_flow();
  CHECK(s.has_draft("register"));
  s.flow = "register";
  s.discard_draft("register");
  CHECK_FALSE(s.has_draft("register"));
  CHECK_FALSE(s.in_flow());
}

TEST_CASE("Telegram language codes map to interface languages", "[unit][session]") {
  CHECK(language_from_code("ru") == language::ru);
  CHECK(language_from_code("uz-Latn") == language::uz);
  CHECK(language_from_code("RU") == language::ru);
  CHECK(language_from_code("de") == language::en);
  CHECK(language_from_code("") == language::en);
}

TEST_CASE("two sessions are equal exactly when they are stored alike", "[unit][session]") {
  session_state a;
  a.flow = "register";
  a.step = "name";
  a.draft("register")["name"] = "Bakery";
  session_state b = a;
  CHECK(a == b);
  CHECK(to_json(a) == to_json(b));

  auto differs = [&](auto change) {
    session_state c = a;
    change(c);
    CHECK_FALSE(c == a);
    CHECK(to_json(c) != to_json(a));
  };
  differs([](session_state& c) { c.lang = language::ru; });
  differs([](session_state& c) { c.language_chosen = true; });
  differs([](session_state& c) { c.step = "phone"; });
  differs([](session_state& c) { c.draft("register")["name"] = "Cafe"; });
  differs([](session_state& c) { c.location = geo_point{41.3, 69.2}; });

  // Without a location its time is not stored, so it does not count.
  b.location_at = 123;
  CHECK(a == b);
  CHECK(to_json(a) == to_json(b));
}

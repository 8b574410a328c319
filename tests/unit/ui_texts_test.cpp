#include <catch2/catch.hpp>

#include "domain/ui_texts.hpp"

using namespace lastcall::domain;

TEST_CASE("every catalog has every English key", "[unit][texts]") {
  const auto& texts = ui_texts::builtin();
  auto english = texts.keys(language::en);
  REQUIRE(english.size() > 10);
  for (auto lang : {language::ru, language::uz}) {
    for (const auto& key : english) {
      INFO("language " << to_string(lang) << ", key " << key);
      CHECK(texts.has(lang, key));
    }
    // And no catalog has keys English lacks (a typo would never be shown).
    for (const auto& key : texts.keys(lang)) {
      INFO("language " << to_string(lang) << ", key " << key);
      CHECK(texts.has(language::en, key));
    }
  }
}

TEST_CASE("a missing translation falls back to English", "[unit][texts]") {
  ui_texts texts({{"en", R"({"a": "Only {left} left", "b": "B"})"}, {"ru", R"({"b": "Б"})"}});
  CHECK(texts.format(language::ru, "a", {{"left", "2"}}) == "Only 2 left");
  CHECK(texts.text(language::ru, "b") == "Б");
  CHECK(texts.text(language::uz, "b") == "B");
  CHECK(texts.text(language::en, "missing") == "missing");
}

TEST_CASE("placeholders are filled and unknown ones left alone", "[unit][texts]") {
  CHECK(fill("{a} and {b} and {c", {{"a", "1"}, {"b", "{a}"}}) == "1 and {a} and {c");
}

TEST_CASE("a malformed catalog is refused", "[unit][texts]") {
  using sources = std::vector<std::pair<std::string, std::string>>;
  CHECK_THROWS(ui_texts(sources{{"en", "[1, 2]"}}));
  CHECK_THROWS(ui_texts(sources{{"en", R"({"a": 1})"}}));
  CHECK_THROWS(ui_texts(sources{{"xx", R"({})"}}));
}

#include <catch2/catch.hpp>

#include "telegram/keyboards.hpp"

using namespace lastcall::telegram;
using nlohmann::json;

TEST_CASE("an inline keyboard becomes rows of callback buttons", "[telegram][keyboards]") {
  const inline_keyboard keyboard = {
      {{"Reserve 1", "r:17:1", ""}, {"Reserve 2", "r:17:2", ""}},
      {{"Back", "back", ""}},
  };
  const json expected = json::parse(R"({"inline_keyboard":[
      [{"text":"Reserve 1","callback_data":"r:17:1"},{"text":"Reserve 2","callback_data":"r:17:2"}],
      [{"text":"Back","callback_data":"back"}]]})");
  CHECK(to_json(keyboard) == expected);
}

TEST_CASE("a button with a URL opens it instead of calling back", "[telegram][keyboards]") {
  const inline_keyboard keyboard = {{{"Map", "", "https://maps.example/?q=41.3,69.2"}}};
  const json expected = json::parse(
      R"({"inline_keyboard":[[{"text":"Map","url":"https://maps.example/?q=41.3,69.2"}]]})");
  CHECK(to_json(keyboard) == expected);
}

TEST_CASE("an empty inline keyboard is an empty list of rows", "[telegram][keyboards]") {
  CHECK(to_json(inline_keyboard{}) == json::parse(R"({"inline_keyboard":[]})"));
}

TEST_CASE("a reply keyboard carries its buttons' requests and its flags", "[telegram][keyboards]") {
  reply_keyboard keyboard;
  keyboard.rows = {{{"Send my location", true, false}},
                   {{"Share phone", false, true}},
                   {{"Skip", false, false}}};
  keyboard.one_time = true;
  keyboard.placeholder = "Choose an option";
  const json expected = json::parse(R"({
      "keyboard":[[{"text":"Send my location","request_location":true}],
                  [{"text":"Share phone","request_contact":true}],
                  [{"text":"Skip"}]],
      "resize_keyboard":true,
      "one_time_keyboard":true,
      "input_field_placeholder":"Choose an option"})");
  CHECK(to_json(keyboard) == expected);
}

TEST_CASE("a reply keyboard without a placeholder leaves the field out", "[telegram][keyboards]") {
  reply_keyboard keyboard;
  keyboard.rows = {{{"Yes"}, {"No"}}};
  keyboard.resize = false;
  const json out = to_json(keyboard);
  CHECK(out == json::parse(R"({"keyboard":[[{"text":"Yes"},{"text":"No"}]],
                               "resize_keyboard":false,"one_time_keyboard":false})"));
}

TEST_CASE("remove_keyboard asks Telegram to hide the reply keyboard", "[telegram][keyboards]") {
  CHECK(remove_keyboard() == json::parse(R"({"remove_keyboard":true})"));
}

#include <catch2/catch.hpp>

#include "telegram/keyboards.hpp"
#include "telegram/requests.hpp"

using namespace lastcall::telegram;
using nlohmann::json;

TEST_CASE("send_message sends plain text to a chat", "[telegram][requests]") {
  const api_call call = send_message(-1001234567890, "Fresh bread <b>50%</b> off");
  CHECK(call.method == "sendMessage");
  CHECK(call.chat_id == -1001234567890);
  CHECK(call.priority == call_priority::interactive);
  CHECK(call.outbox_id == 0);
  // No parse_mode: the markup-looking text is sent literally, and a null markup is left out.
  CHECK(call.params ==
        json::parse(R"({"chat_id":-1001234567890,"text":"Fresh bread <b>50%</b> off"})"));
}

TEST_CASE("send_message carries a keyboard and a priority", "[telegram][requests]") {
  const api_call call =
      send_message(42, "Pick one", to_json(inline_keyboard{{{"A", "a", ""}}}), call_priority::bulk);
  CHECK(call.priority == call_priority::bulk);
  CHECK(call.params["reply_markup"] ==
        json::parse(R"({"inline_keyboard":[[{"text":"A","callback_data":"a"}]]})"));
}

TEST_CASE("send_photo sends a file id with an optional caption", "[telegram][requests]") {
  const api_call with_caption = send_photo(42, "AgACAgIAAxkBAAIBZ2", "Samsa x6", remove_keyboard());
  CHECK(with_caption.method == "sendPhoto");
  CHECK(with_caption.chat_id == 42);
  CHECK(with_caption.params == json::parse(R"({"chat_id":42,"photo":"AgACAgIAAxkBAAIBZ2",
      "caption":"Samsa x6","reply_markup":{"remove_keyboard":true}})"));

  const api_call bare = send_photo(42, "AgACAgIAAxkBAAIBZ2", "");
  CHECK(bare.params == json::parse(R"({"chat_id":42,"photo":"AgACAgIAAxkBAAIBZ2"})"));
}

TEST_CASE("edits address a message in a chat", "[telegram][requests]") {
  const api_call text = edit_message_text(42, 7, "Reserved");
  CHECK(text.method == "editMessageText");
  CHECK(text.chat_id == 42);
  CHECK(text.params == json::parse(R"({"chat_id":42,"message_id":7,"text":"Reserved"})"));

  const api_call markup = edit_message_reply_markup(42, 7, to_json(inline_keyboard{}));
  CHECK(markup.method == "editMessageReplyMarkup");
  CHECK(markup.params ==
        json::parse(R"({"chat_id":42,"message_id":7,"reply_markup":{"inline_keyboard":[]}})"));

  // Without markup the keyboard is removed.
  CHECK(edit_message_reply_markup(42, 7).params == json::parse(R"({"chat_id":42,"message_id":7})"));
}

TEST_CASE("answer_callback_query goes first and belongs to no chat", "[telegram][requests]") {
  const api_call quiet = answer_callback_query("4382bfdwdsb323b2d9");
  CHECK(quiet.method == "answerCallbackQuery");
  CHECK(quiet.chat_id == 0);
  CHECK(quiet.priority == call_priority::callback_answer);
  CHECK(quiet.params == json::parse(R"({"callback_query_id":"4382bfdwdsb323b2d9"})"));

  const api_call alert = answer_callback_query("q1", "Sold out", true);
  CHECK(alert.params ==
        json::parse(R"({"callback_query_id":"q1","text":"Sold out","show_alert":true})"));
}

TEST_CASE("set_my_commands lists commands, optionally for one language", "[telegram][requests]") {
  const api_call all = set_my_commands({{"start", "Start over"}, {"offers", "Deals near you"}});
  CHECK(all.method == "setMyCommands");
  CHECK(all.chat_id == 0);
  CHECK(all.params == json::parse(R"({"commands":[{"command":"start","description":"Start over"},
      {"command":"offers","description":"Deals near you"}]})"));

  const api_call russian = set_my_commands({{"start", "Начать"}}, "ru");
  CHECK(russian.params["language_code"] == "ru");
}

TEST_CASE("start-up calls have their documented parameters", "[telegram][requests]") {
  CHECK(set_chat_menu_button_commands().method == "setChatMenuButton");
  CHECK(set_chat_menu_button_commands().params ==
        json::parse(R"({"menu_button":{"type":"commands"}})"));
  CHECK(delete_webhook().method == "deleteWebhook");
  CHECK(delete_webhook().params == json::parse(R"({"drop_pending_updates":false})"));
  CHECK(delete_webhook(true).params == json::parse(R"({"drop_pending_updates":true})"));
  CHECK(get_me().method == "getMe");
  CHECK(get_me().params == json::object());
}

TEST_CASE("get_updates always sends allowed_updates", "[telegram][requests]") {
  const api_call call = get_updates(1001, 25, 100, {"message", "callback_query"});
  CHECK(call.method == "getUpdates");
  CHECK(call.chat_id == 0);
  CHECK(call.params == json::parse(R"({"offset":1001,"timeout":25,"limit":100,
      "allowed_updates":["message","callback_query"]})"));
  CHECK(get_updates(0, 0, 1, {}).params["allowed_updates"] == json::array());
}

TEST_CASE("setWebhook carries the secret token and the update kinds", "[requests]") {
  auto call = lastcall::telegram::set_webhook("https://bot.example/hook", "s3cret",
                                              {"message", "callback_query"}, 40);
  REQUIRE(call.method == "setWebhook");
  REQUIRE(call.params["url"] == "https://bot.example/hook");
  REQUIRE(call.params["secret_token"] == "s3cret");
  REQUIRE(call.params["allowed_updates"] == nlohmann::json::array({"message", "callback_query"}));
  REQUIRE(call.params["max_connections"] == 40);
}

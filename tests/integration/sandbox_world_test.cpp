// The sandbox's state model and its building blocks without HTTP: the in-process driver API
// end-to-end tests use, waiting, update bookkeeping, flood control arithmetic and Telegram's input
// rules.

#include <chrono>
#include <stdexcept>
#include <string>
#include <thread>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sandbox/bot_api_error.hpp"
#include "sandbox/bot_api_rules.hpp"
#include "sandbox/rate_limiter.hpp"
#include "sandbox/request_params.hpp"
#include "sandbox/world.hpp"

using json = nlohmann::json;
using namespace lastcall::sandbox;

namespace {

constexpr auto generous = std::chrono::seconds(20);
const user_profile ann{42, "Ann", "en", ""};

int error_code_of(const std::function<void()>& action) {
  try {
    action();
  } catch (const bot_api_error& error) {
    return error.code();
  }
  return 0;
}

}  // namespace

TEST_CASE("sandbox world: wait_for_bot_message returns the bot's n-th message once it exists",
          "[sandbox][world]") {
  world state;
  state.send_text(ann, "/start");
  state.chats().bot_send_message(42, "first", nullptr);

  const auto first = state.wait_for_bot_message(42, 0, generous);
  REQUIRE(first);
  CHECK(first->text == "first");

  std::thread bot([&state] {
    // Waits for the test to be waiting, so the message surely arrives while it does.
    state.wait_until([&] { return state.calls("ready") == 1; }, generous);
    state.chats().bot_send_message(42, "second", nullptr);
  });
  state.admit("ready", false, 0);
  const auto second = state.wait_for_bot_message(42, 1, generous);
  bot.join();
  REQUIRE(second);
  CHECK(second->text == "second");
  CHECK(state.bot_message_count(42) == 2);

  CHECK_FALSE(state.wait_for_bot_message(42, 2, std::chrono::milliseconds(10)));
}

TEST_CASE("sandbox world: update ids grow, and injected updates keep or get one",
          "[sandbox][world]") {
  world_options options;
  options.first_update_id = 500;
  world state(options);

  CHECK(state.send_text(ann, "a") == 500);
  CHECK(state.inject_raw_update(json{{"mystery", true}}) == 501);
  CHECK(state.inject_raw_update(json{{"update_id", 900}, {"message", "broken"}}) == 900);
  CHECK(state.send_text(ann, "b") == 901);  // ids keep growing past an injected one
  CHECK(state.inject_update_with_id(json{{"update_id", 500}, {"message", {}}}) == 500);
  CHECK(state.inject_raw_update(json("not even an object")) == 902);
  CHECK_THROWS_AS(state.inject_update_with_id(json{{"message", {}}}), std::invalid_argument);

  const auto pending = state.pending_update_list();
  REQUIRE(pending.size() == 6);
  CHECK(pending[1] == json{{"update_id", 501}, {"mystery", true}});
  CHECK(pending[2] == json{{"update_id", 900}, {"message", "broken"}});
  CHECK(pending[5] == json("not even an object"));
}

TEST_CASE("sandbox world: a negative offset keeps only the newest updates", "[sandbox][world]") {
  world state;
  for (int i = 0; i < 5; ++i) state.send_text(ann, "m" + std::to_string(i));
  get_updates_request request;
  request.offset = -2;
  const auto result = state.updates().poll(request);
  REQUIRE(result.size() == 2);
  CHECK(result[0]["update_id"] == 4);
  CHECK(state.pending_updates() == 2);
}

TEST_CASE("sandbox world: taps accept forged data but need a bot message", "[sandbox][world]") {
  world state;
  state.send_text(ann, "/start");
  const auto sent = state.chats().bot_send_message(
      42, "Pick", json{{"inline_keyboard", {{{{"text", "A"}, {"callback_data", "a"}}}}}});
  const auto message_id = sent["message_id"].get<int64_t>();

  const auto first = state.tap(ann, message_id, "never-drawn");
  const auto second = state.tap(ann, message_id, "a");
  CHECK(first.callback_query_id != second.callback_query_id);
  CHECK(second.update_id == first.update_id + 1);
  CHECK(state.answer(first.callback_query_id)->data == "never-drawn");
  CHECK_FALSE(state.answer("unknown"));

  CHECK_THROWS_AS(state.tap(ann, 99, "a"), std::invalid_argument);
  CHECK_THROWS_AS(state.tap(ann, 1, "a"), std::invalid_argument);  // the user's own /start
  user_profile stranger = ann;
  stranger.id = 7;
  CHECK_THROWS_AS(state.tap(stranger, message_id, "a"), std::invalid_argument);
}

TEST_CASE("sandbox world: a user's profile follows their latest action", "[sandbox][world]") {
  world state;
  state.send_text(ann, "hi");
  user_profile renamed = ann;
  renamed.language_code = "uz";
  renamed.username = "ann_uz";
  state.send_location(renamed, 41.3, 69.2);
  REQUIRE(state.user(42));
  CHECK(state.user(42)->language_code == "uz");
  const auto update = state.pending_update_list().back();
  CHECK(update["message"]["from"]["username"] == "ann_uz");
  CHECK(update["message"]["chat"]["username"] == "ann_uz");
}

TEST_CASE("sandbox world: bot-side rules throw Telegram's codes", "[sandbox][world]") {
  world state;
  state.send_text(ann, "/start");
  CHECK(error_code_of([&] { state.chats().bot_send_message(0, "x", nullptr); }) == 400);
  CHECK(error_code_of([&] { state.chats().bot_send_message(42, "x", "{not json"); }) == 400);
  CHECK(error_code_of([&] {
          state.chats().bot_send_message(42, "x",
                                         json{{"inline_keyboard", {{{{"text", "no action"}}}}}});
        }) == 400);
  CHECK(error_code_of([&] { state.chats().bot_send_chat_action(5); }) == 400);
  CHECK(error_code_of([&] { state.chats().bot_answer_callback_query("nope", "", false, ""); }) ==
        400);
  webhook_settings ftp;
  ftp.url = "ftp://example.org";
  CHECK(error_code_of([&] { state.webhook_delivery().set(ftp, false); }) == 400);
  CHECK(error_code_of([&] { state.chats().bot_send_message(42, "fine", nullptr); }) == 0);
}

TEST_CASE("sandbox rate limiter: a sliding one-second window per chat and overall",
          "[sandbox][rate_limiter]") {
  auto now = rate_limiter::time_point(std::chrono::seconds(1000));
  rate_limiter limiter({2, 3}, [&now] { return now; });

  CHECK(limiter.admit(1) == 0);
  CHECK(limiter.admit(1) == 0);
  CHECK(limiter.admit(1) == 1);  // chat 1 is full for the rest of this second
  CHECK(limiter.admit(2) == 0);
  CHECK(limiter.admit(3) == 1);  // three calls overall
  now += std::chrono::milliseconds(999);
  CHECK(limiter.admit(3) == 1);  // a millisecond still counts as a whole second
  now += std::chrono::milliseconds(1);
  CHECK(limiter.admit(1) == 0);
  CHECK(limiter.admit(3) == 0);

  limiter.set_limits({});
  for (int i = 0; i < 100; ++i) CHECK(limiter.admit(1) == 0);
}

TEST_CASE("sandbox rate limiter: retry_after counts whole seconds up", "[sandbox][rate_limiter]") {
  auto now = rate_limiter::time_point(std::chrono::seconds(0));
  rate_limiter limiter({1, 0}, [&now] { return now; });
  CHECK(limiter.admit(5) == 0);
  now += std::chrono::milliseconds(10);
  CHECK(limiter.admit(5) == 1);
  CHECK(limiter.admit(0) == 0);  // a call naming no chat meets only the global limit, which is off
}

TEST_CASE("sandbox rules: lengths are counted in characters", "[sandbox][rules]") {
  CHECK(utf8_length("") == 0);
  CHECK(utf8_length("abc") == 3);
  CHECK(utf8_length("Привет") == 6);
  CHECK(utf8_length("🍞") == 1);
  CHECK(is_blank(" \t\n"));
  CHECK_FALSE(is_blank(" a "));
}

TEST_CASE("sandbox rules: a leading command becomes a bot_command entity", "[sandbox][rules]") {
  CHECK(command_entities("/start")[0]["length"] == 6);
  CHECK(command_entities("/start@lastcall_bot deal_5")[0]["length"] == 19);
  CHECK(command_entities("/offers_near me")[0]["length"] == 12);
  CHECK(command_entities("/").empty());
  CHECK(command_entities("hello /start").empty());
  CHECK(command_entities("").empty());
}

TEST_CASE("sandbox rules: reply markup is parsed from objects and strings alike",
          "[sandbox][rules]") {
  const json markup = {{"inline_keyboard", {{{{"text", "A"}, {"callback_data", "a"}}}}}};
  CHECK(parse_reply_markup(markup) == markup);
  CHECK(parse_reply_markup(markup.dump()) == markup);
  CHECK(parse_reply_markup("").is_null());
  CHECK(parse_reply_markup(nullptr).is_null());
  CHECK(parse_reply_markup(json{{"inline_keyboard", json::array()}}).is_null());
  CHECK_THROWS_AS(parse_reply_markup(json{{"colour", "red"}}), bot_api_error);
  CHECK_THROWS_AS(parse_inline_markup(json{{"keyboard", {{"A"}}}}), bot_api_error);
  CHECK(parse_menu_button(nullptr) == json{{"type", "default"}});
}

TEST_CASE("sandbox request params: form values are decoded and typed on demand",
          "[sandbox][params]") {
  request_params params;
  params.merge_form("chat_id=-100&text=a+b%26c&show_alert=true&empty=&offset=x1");
  CHECK(params.integer("chat_id") == -100);
  CHECK(params.string("text") == "a b&c");
  CHECK(params.boolean("show_alert"));
  CHECK_FALSE(params.boolean("missing"));
  CHECK_FALSE(params.integer("empty"));
  CHECK_THROWS_AS(params.integer("offset"), bot_api_error);
  CHECK(params.integer_or_zero("offset") == 0);
  CHECK_THROWS_AS(params.merge_form("text=%FF%FE"), bot_api_error);  // not UTF-8

  params.merge_json_body(R"({"chat_id": 7, "reply_markup": {"remove_keyboard": true}})");
  CHECK(params.integer("chat_id") == 7);
  CHECK(params.raw("reply_markup")["remove_keyboard"] == true);
  CHECK_THROWS_AS(params.merge_json_body("[1,2]"), bot_api_error);

  CHECK(url_decode("%41%zz%") == "A%zz%");
  CHECK(parse_integer("-") == std::nullopt);
  CHECK(parse_integer("99999999999999999999") == std::nullopt);
}

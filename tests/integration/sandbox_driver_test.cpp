// The sandbox's driver API over HTTP, as tools and the browser chat page use it: acting as users,
// reading chats and callback answers, blocking, statistics, and its answers to bad input.

#include <chrono>
#include <string>

#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sandbox/server.hpp"

using json = nlohmann::json;
using namespace lastcall::sandbox;

namespace {

const std::string test_token = "654321:driver-test-token";

struct reply {
  int status = -1;
  json body;
};

class driven_sandbox {
 public:
  explicit driven_sandbox(server_options options = {})
      : sandbox_(with_test_token(std::move(options))),
        client_("127.0.0.1", sandbox_.start("127.0.0.1", 0)) {
    client_.set_read_timeout(30, 0);
  }

  world& state() { return sandbox_.state(); }

  reply post(const std::string& path, const std::string& body) {
    return from(client_.Post(path.c_str(), body, "application/json"));
  }
  reply post(const std::string& path, const json& body) { return post(path, body.dump()); }
  reply get(const std::string& path) { return from(client_.Get(path.c_str())); }
  reply bot(const std::string& method, const json& params) {
    return post("/bot" + test_token + "/" + method, params);
  }

 private:
  static server_options with_test_token(server_options options) {
    options.token = test_token;
    return options;
  }
  static reply from(const httplib::Result& result) {
    if (!result) return {};
    return {result->status, json::parse(result->body, nullptr, false)};
  }

  server sandbox_;
  httplib::Client client_;
};

json inline_keyboard(const std::string& data) {
  return {{"inline_keyboard", {{{{"text", "Reserve"}, {"callback_data", data}}}}}};
}

}  // namespace

TEST_CASE("sandbox driver: health answers ok", "[sandbox][driver]") {
  driven_sandbox sandbox;
  const auto health = sandbox.get("/driver/health");
  CHECK(health.status == 200);
  CHECK(health.body == json{{"ok", true}});
}

TEST_CASE("sandbox driver: a sent text becomes a message update with the user's profile",
          "[sandbox][driver]") {
  driven_sandbox sandbox;
  const auto sent = sandbox.post(
      "/driver/send",
      json{{"user_id", 42}, {"text", "/start"}, {"first_name", "Ann"}, {"language_code", "ru"}});
  REQUIRE(sent.status == 200);
  CHECK(sent.body["update_id"] == 1);

  // Fields left out keep what the sandbox knows about the user.
  const auto again = sandbox.post("/driver/send", json{{"user_id", 42}, {"text", "hello"}});
  CHECK(again.body["update_id"] == 2);

  const auto updates = sandbox.get("/driver/updates").body["updates"];
  REQUIRE(updates.size() == 2);
  for (const auto& update : updates) {
    CHECK(update["message"]["from"]["first_name"] == "Ann");
    CHECK(update["message"]["from"]["language_code"] == "ru");
  }
  CHECK(updates[0]["message"]["text"] == "/start");
  CHECK(updates[0]["message"]["entities"][0]["type"] == "bot_command");
  CHECK_FALSE(updates[1]["message"].contains("entities"));
  CHECK(sandbox.state().pending_updates() == 2);
}

TEST_CASE("sandbox driver: locations, contacts and photos arrive as Telegram sends them",
          "[sandbox][driver]") {
  driven_sandbox sandbox;
  sandbox.post("/driver/location",
               json{{"user_id", 42}, {"latitude", 41.31}, {"longitude", 69.28}});
  sandbox.post("/driver/contact", json{{"user_id", 42}, {"phone_number", "+998901234567"}});
  sandbox.post("/driver/photo", json{{"user_id", 42}, {"caption", "today's bread"}});
  sandbox.post("/driver/photo", json{{"user_id", 42}});

  const auto updates = sandbox.state().pending_update_list();
  REQUIRE(updates.size() == 4);
  CHECK(updates[0]["message"]["location"] == json{{"latitude", 41.31}, {"longitude", 69.28}});
  const auto& contact = updates[1]["message"]["contact"];
  CHECK(contact["phone_number"] == "+998901234567");
  CHECK(contact["user_id"] == 42);
  CHECK(contact["first_name"] == "User");

  const auto& photo = updates[2]["message"];
  CHECK(photo["caption"] == "today's bread");
  REQUIRE(photo["photo"].size() == 3);
  CHECK(photo["photo"][0]["width"] < photo["photo"][2]["width"]);  // smallest first, as Telegram
  const auto& other = updates[3]["message"];
  CHECK_FALSE(other.contains("caption"));
  CHECK(other["photo"][2]["file_id"] != photo["photo"][2]["file_id"]);
  CHECK(other["photo"][2]["file_unique_id"] != photo["photo"][2]["file_unique_id"]);

  const auto chat = sandbox.get("/driver/chat/42").body["messages"];
  REQUIRE(chat.size() == 4);
  CHECK(chat[0]["location"]["latitude"] == 41.31);
  CHECK(chat[2]["photo_file_id"] == photo["photo"][2]["file_id"]);
}

TEST_CASE("sandbox driver: a tap is answered through the Bot API and read back",
          "[sandbox][driver]") {
  driven_sandbox sandbox;
  sandbox.post("/driver/send", json{{"user_id", 42}, {"text", "/start"}});
  const auto sent = sandbox.bot(
      "sendMessage",
      {{"chat_id", 42}, {"text", "Bread"}, {"reply_markup", inline_keyboard("reserve:3")}});
  const auto message_id = sent.body["result"]["message_id"].get<int64_t>();

  // Any data is accepted, so tests can forge buttons the bot never drew.
  const auto tap = sandbox.post(
      "/driver/tap", json{{"user_id", 42}, {"message_id", message_id}, {"data", "forged:1"}});
  REQUIRE(tap.status == 200);
  const auto query_id = tap.body["callback_query_id"].get<std::string>();
  CHECK(tap.body["update_id"] == 2);

  const auto unanswered = sandbox.get("/driver/answer/" + query_id);
  CHECK(unanswered.status == 200);
  CHECK(unanswered.body["answered"] == false);
  CHECK(unanswered.body["data"] == "forged:1");

  sandbox.bot("answerCallbackQuery", {{"callback_query_id", query_id}, {"text", "Not available"}});
  const auto answered = sandbox.get("/driver/answer/" + query_id);
  CHECK(answered.body["answered"] == true);
  CHECK(answered.body["text"] == "Not available");
  CHECK(answered.body["show_alert"] == false);

  CHECK(sandbox.get("/driver/answer/000").status == 404);
}

TEST_CASE("sandbox driver: a tap needs a bot message in that chat", "[sandbox][driver]") {
  driven_sandbox sandbox;
  sandbox.post("/driver/send", json{{"user_id", 42}, {"text", "/start"}});

  const auto missing =
      sandbox.post("/driver/tap", json{{"user_id", 42}, {"message_id", 77}, {"data", "x"}});
  CHECK(missing.status == 400);
  CHECK(missing.body["ok"] == false);
  CHECK(missing.body["error"].get<std::string>().find("77") != std::string::npos);

  const auto users_own =
      sandbox.post("/driver/tap", json{{"user_id", 42}, {"message_id", 1}, {"data", "x"}});
  CHECK(users_own.status == 400);

  const auto stranger =
      sandbox.post("/driver/tap", json{{"user_id", 5}, {"message_id", 1}, {"data", "x"}});
  CHECK(stranger.status == 400);
  CHECK(sandbox.state().pending_updates() == 1);
}

TEST_CASE("sandbox driver: the chat shows every message as it is now", "[sandbox][driver]") {
  driven_sandbox sandbox;
  sandbox.post("/driver/send", json{{"user_id", 42}, {"text", "/start"}});
  const auto sent = sandbox.bot(
      "sendMessage", {{"chat_id", 42}, {"text", "3 left"}, {"reply_markup", inline_keyboard("r")}});
  sandbox.bot("editMessageText", {{"chat_id", 42},
                                  {"message_id", sent.body["result"]["message_id"]},
                                  {"text", "2 left"},
                                  {"reply_markup", inline_keyboard("r2")}});
  const json keyboard = {{"keyboard", json::array({json::array({"Catalog"})})}};
  sandbox.bot("sendMessage", {{"chat_id", 42}, {"text", "Menu"}, {"reply_markup", keyboard}});

  const auto chat = sandbox.get("/driver/chat/42");
  REQUIRE(chat.status == 200);
  const auto& messages = chat.body["messages"];
  REQUIRE(messages.size() == 3);
  CHECK(messages[0]["from_bot"] == false);
  CHECK(messages[0]["text"] == "/start");
  CHECK(messages[1]["from_bot"] == true);
  CHECK(messages[1]["text"] == "2 left");
  CHECK(messages[1]["reply_markup"] == inline_keyboard("r2"));
  CHECK(messages[1]["edit_count"] == 1);
  CHECK(messages[2]["message_id"] == 3);
  CHECK(chat.body["reply_keyboard"] == keyboard);

  const auto empty = sandbox.get("/driver/chat/999");
  CHECK(empty.status == 200);
  CHECK(empty.body["messages"].empty());
}

TEST_CASE("sandbox driver: a blocked bot gets 403 until the user writes again",
          "[sandbox][driver]") {
  driven_sandbox sandbox;
  sandbox.post("/driver/send", json{{"user_id", 42}, {"text", "/start"}});
  CHECK(sandbox.post("/driver/block", json{{"user_id", 42}}).status == 200);
  CHECK(sandbox.state().is_blocked(42));
  CHECK(sandbox.bot("sendMessage", {{"chat_id", 42}, {"text", "hi"}}).status == 403);

  sandbox.post("/driver/send", json{{"user_id", 42}, {"text", "/start"}});
  CHECK(sandbox.bot("sendMessage", {{"chat_id", 42}, {"text", "welcome back"}}).status == 200);

  CHECK(sandbox.post("/driver/block", json{{"user_id", 1000}}).status == 400);  // never wrote
}

TEST_CASE("sandbox driver: stats count calls, errors and 429s", "[sandbox][driver]") {
  driven_sandbox sandbox;
  sandbox.post("/driver/send", json{{"user_id", 42}, {"text", "/start"}});
  sandbox.bot("getUpdates", json::object());
  sandbox.bot("sendMessage", {{"chat_id", 42}, {"text", "a"}});
  sandbox.bot("sendMessage", {{"chat_id", 42}, {"text", ""}});
  sandbox.bot("sendMessage", {{"chat_id", 9}, {"text", "b"}});

  const auto stats = sandbox.get("/driver/stats").body;
  CHECK(stats["calls"]["getUpdates"] == 1);
  CHECK(stats["calls"]["sendMessage"] == 3);
  CHECK(stats["errors"]["400"] == 2);
  CHECK(stats["rate_limited"] == 0);
  CHECK(stats["pending_updates"] == 1);
}

TEST_CASE("sandbox driver: flood control can be switched on at run time", "[sandbox][driver]") {
  server_options options;
  // Frozen: every call happens in the same instant, whatever the machine's speed.
  options.clock = [] { return rate_limiter::time_point(std::chrono::seconds(100)); };
  driven_sandbox sandbox(options);
  sandbox.post("/driver/send", json{{"user_id", 42}, {"text", "/start"}});
  CHECK(sandbox
            .post("/driver/rate_limits", json{{"per_chat_per_second", 1}, {"global_per_second", 0}})
            .status == 200);

  CHECK(sandbox.bot("sendMessage", {{"chat_id", 42}, {"text", "1"}}).status == 200);
  const auto limited = sandbox.bot("sendMessage", {{"chat_id", 42}, {"text", "2"}});
  CHECK(limited.status == 429);
  CHECK(limited.body["parameters"]["retry_after"] == 1);
  CHECK(sandbox.get("/driver/stats").body["rate_limited"] == 1);
}

TEST_CASE("sandbox driver: raw updates are queued verbatim", "[sandbox][driver]") {
  driven_sandbox sandbox;
  const auto raw = sandbox.post("/driver/inject", json{{"update", {{"message", {{"text", 5}}}}}});
  REQUIRE(raw.status == 200);
  const auto duplicate = sandbox.post(
      "/driver/inject",
      json{{"update", {{"update_id", 1}, {"edited_message", json::object()}}}, {"keep_id", true}});
  CHECK(duplicate.body["update_id"] == 1);

  const auto polled = sandbox.bot("getUpdates", json::object()).body["result"];
  REQUIRE(polled.size() == 2);
  CHECK(polled[0] == json{{"update_id", 1}, {"message", {{"text", 5}}}});
  CHECK(polled[1] == json{{"update_id", 1}, {"edited_message", json::object()}});
}

TEST_CASE("sandbox driver: bad input is answered 400 with a reason", "[sandbox][driver]") {
  driven_sandbox sandbox;
  const auto not_json = sandbox.post("/driver/send", std::string("{user_id: 42"));
  CHECK(not_json.status == 400);
  CHECK(not_json.body["ok"] == false);
  CHECK(not_json.body["error"].is_string());

  CHECK(sandbox.post("/driver/send", json{{"text", "hi"}}).status == 400);
  CHECK(sandbox.post("/driver/send", json{{"user_id", 42}}).status == 400);
  CHECK(sandbox.post("/driver/send", json{{"user_id", 42}, {"text", 7}}).status == 400);
  CHECK(sandbox.post("/driver/send", json{{"user_id", -1}, {"text", "hi"}}).status == 400);
  CHECK(sandbox.post("/driver/send", json{{"user_id", 42}, {"text", ""}}).status == 400);
  CHECK(sandbox.post("/driver/location", json{{"user_id", 42}, {"latitude", 91}, {"longitude", 0}})
            .status == 400);
  CHECK(sandbox.post("/driver/location", json{{"user_id", 42}, {"latitude", "north"}}).status ==
        400);
  CHECK(sandbox.post("/driver/contact", json{{"user_id", 42}}).status == 400);
  CHECK(
      sandbox
          .post("/driver/rate_limits", json{{"per_chat_per_second", -1}, {"global_per_second", 0}})
          .status == 400);
  CHECK(sandbox.state().pending_updates() == 0);
}

// The sandbox's Bot API over HTTP, as a bot sees it: long polling, sending and editing, callback
// answers, and each of Telegram's error answers the bot must handle.

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <string>

#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sandbox/server.hpp"
#include "telegram/http1_response_reader.hpp"

using json = nlohmann::json;
using namespace lastcall::sandbox;

namespace {

constexpr auto generous = std::chrono::seconds(20);
const std::string test_token = "123456:sandbox-test-token";

struct reply {
  int status = -1;  // -1: no HTTP answer at all
  json body;
};

reply from(const httplib::Result& result) {
  if (!result) return {};
  return {result->status, json::parse(result->body, nullptr, false)};
}

httplib::Client client_for(int port, int read_timeout_seconds = 30) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(read_timeout_seconds, 0);
  return client;
}

// Safe to call from any thread: it asserts nothing.
reply call(int port, const std::string& method, const json& params = json::object(),
           const std::string& token = test_token, int read_timeout_seconds = 30) {
  auto client = client_for(port, read_timeout_seconds);
  return from(
      client.Post(("/bot" + token + "/" + method).c_str(), params.dump(), "application/json"));
}

// A frozen clock for flood control: time moves only when a test says so.
struct manual_clock {
  std::shared_ptr<std::atomic<int64_t>> millis = std::make_shared<std::atomic<int64_t>>(0);
  rate_limiter::clock function() const {
    auto shared = millis;
    return [shared] { return rate_limiter::time_point(std::chrono::milliseconds(shared->load())); };
  }
  void advance(std::chrono::milliseconds by) { *millis += by.count(); }
};

struct running_sandbox {
  server sandbox;
  int port;

  explicit running_sandbox(server_options options = {})
      : sandbox(with_test_token(std::move(options))), port(sandbox.start("127.0.0.1", 0)) {}

  static server_options with_test_token(server_options options) {
    options.token = test_token;
    return options;
  }

  world& state() { return sandbox.state(); }
  reply operator()(const std::string& method, const json& params = json::object()) {
    return call(port, method, params);
  }

  // A getUpdates long poll of `timeout_seconds` from another thread, once the sandbox holds it
  // waiting; the client waits `read_timeout_seconds` for the answer.
  std::future<reply> waiting_poll(int timeout_seconds = 30, int read_timeout_seconds = 60) {
    auto poll = std::async(std::launch::async, [=, port = port] {
      return call(port, "getUpdates", {{"timeout", timeout_seconds}}, test_token,
                  read_timeout_seconds);
    });
    REQUIRE(state().wait_until([&] { return state().waiting_polls() == 1; }, generous));
    return poll;
  }
};

json inline_keyboard(const std::string& data) {
  return {{"inline_keyboard", {{{{"text", "Reserve"}, {"callback_data", data}}}}}};
}

const user_profile ann{42, "Ann", "ru", "ann_k"};
const user_profile bob{43, "Bob", "en", ""};

}  // namespace

TEST_CASE("sandbox Bot API: getMe describes the configured bot", "[sandbox][bot_api]") {
  server_options options;
  options.bot_id = 5550001;
  options.bot_username = "market_test_bot";
  options.bot_name = "Market";
  running_sandbox sandbox(options);

  const auto me = sandbox("getMe");
  REQUIRE(me.status == 200);
  CHECK(me.body["ok"] == true);
  CHECK(me.body["result"]["id"] == 5550001);
  CHECK(me.body["result"]["is_bot"] == true);
  CHECK(me.body["result"]["username"] == "market_test_bot");
  CHECK(me.body["result"]["first_name"] == "Market");
}

TEST_CASE("sandbox Bot API: a long poll returns the update a user sends while it waits",
          "[sandbox][bot_api]") {
  running_sandbox sandbox;
  auto poll = sandbox.waiting_poll();

  const auto update_id = sandbox.state().send_text(ann, "/start hello");
  REQUIRE(poll.wait_for(generous) == std::future_status::ready);
  const auto answer = poll.get();

  REQUIRE(answer.status == 200);
  REQUIRE(answer.body["result"].size() == 1);
  const auto& update = answer.body["result"][0];
  CHECK(update["update_id"] == update_id);
  const auto& message = update["message"];
  CHECK(message["message_id"] == 1);
  CHECK(message["text"] == "/start hello");
  CHECK(message["from"] == json{{"id", 42},
                                {"is_bot", false},
                                {"first_name", "Ann"},
                                {"username", "ann_k"},
                                {"language_code", "ru"}});
  CHECK(message["chat"] ==
        json{{"id", 42}, {"type", "private"}, {"first_name", "Ann"}, {"username", "ann_k"}});
  CHECK(message["entities"] == json::parse(R"([{"offset":0,"length":6,"type":"bot_command"}])"));
  CHECK(message["date"].get<int64_t>() > 0);
}

TEST_CASE("sandbox Bot API: getUpdates redelivers until an offset confirms", "[sandbox][bot_api]") {
  server_options options;
  options.first_update_id = 1000;
  running_sandbox sandbox(options);
  sandbox.state().send_text(ann, "one");
  sandbox.state().send_text(bob, "two");

  const auto first = sandbox("getUpdates");
  REQUIRE(first.body["result"].size() == 2);
  CHECK(first.body["result"][0]["update_id"] == 1000);
  CHECK(first.body["result"][1]["update_id"] == 1001);

  const auto again = sandbox("getUpdates", {{"limit", 1}});
  REQUIRE(again.body["result"].size() == 1);
  CHECK(again.body["result"][0]["update_id"] == 1000);

  const auto rest = sandbox("getUpdates", {{"offset", 1001}});
  REQUIRE(rest.body["result"].size() == 1);
  CHECK(rest.body["result"][0]["update_id"] == 1001);
  CHECK(sandbox.state().pending_updates() == 1);

  const auto none = sandbox("getUpdates", {{"offset", 1002}});
  CHECK(none.body["result"].empty());
  CHECK(sandbox.state().pending_updates() == 0);
}

TEST_CASE("sandbox Bot API: a second getUpdates ends the one still waiting with 409",
          "[sandbox][bot_api]") {
  running_sandbox sandbox;
  auto earlier = sandbox.waiting_poll();

  const auto later = sandbox("getUpdates");
  CHECK(later.status == 200);
  REQUIRE(earlier.wait_for(generous) == std::future_status::ready);
  const auto answer = earlier.get();
  CHECK(answer.status == 409);
  CHECK(answer.body ==
        json{{"ok", false},
             {"error_code", 409},
             {"description",
              "Conflict: terminated by other getUpdates request; make sure that only "
              "one bot instance is running"}});
}

TEST_CASE("sandbox Bot API: getUpdates is refused while a webhook is set", "[sandbox][bot_api]") {
  running_sandbox sandbox;
  const auto set =
      sandbox("setWebhook", {{"url", "https://example.org/hook"}, {"secret_token", "s3cret"}});
  REQUIRE(set.status == 200);
  CHECK(set.body["description"] == "Webhook was set");
  CHECK(sandbox.state().webhook().url == "https://example.org/hook");
  CHECK(sandbox("getWebhookInfo").body["result"]["url"] == "https://example.org/hook");

  const auto refused = sandbox("getUpdates");
  CHECK(refused.status == 409);
  CHECK(refused.body["description"] ==
        "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to "
        "delete the webhook first");

  sandbox.state().send_text(ann, "hi");
  const auto deleted = sandbox("deleteWebhook", {{"drop_pending_updates", true}});
  CHECK(deleted.body["description"] == "Webhook was deleted");
  CHECK(sandbox.state().pending_updates() == 0);
  const auto polled = sandbox("getUpdates");
  CHECK(polled.status == 200);
  CHECK(polled.body["result"].empty());
}

TEST_CASE("sandbox Bot API: sendMessage lands in the chat with its keyboard",
          "[sandbox][bot_api]") {
  running_sandbox sandbox;
  sandbox.state().send_text(ann, "/start");

  SECTION("an inline keyboard stays on the message and is returned") {
    const auto sent = sandbox("sendMessage", {{"chat_id", 42},
                                              {"text", "Deals near you"},
                                              {"reply_markup", inline_keyboard("offer:7")}});
    REQUIRE(sent.status == 200);
    const auto& message = sent.body["result"];
    CHECK(message["message_id"] == 2);  // one counter per chat: the user's /start was 1
    CHECK(message["chat"]["id"] == 42);
    CHECK(message["from"]["is_bot"] == true);
    CHECK(message["text"] == "Deals near you");
    CHECK(message["reply_markup"] == inline_keyboard("offer:7"));

    const auto chat = sandbox.state().chat(42);
    REQUIRE(chat.size() == 2);
    CHECK_FALSE(chat[0].from_bot);
    CHECK(chat[1].from_bot);
    CHECK(chat[1].text == "Deals near you");
    CHECK(chat[1].reply_markup == inline_keyboard("offer:7"));
    CHECK(sandbox.state().reply_keyboard(42).is_null());
  }

  SECTION("a reply keyboard becomes the user's keyboard until removed") {
    const json keyboard = {{"keyboard", json::array({json::array({"Catalog", "Help"})})},
                           {"resize_keyboard", true}};
    const auto sent =
        sandbox("sendMessage", {{"chat_id", 42}, {"text", "Menu"}, {"reply_markup", keyboard}});
    REQUIRE(sent.status == 200);
    CHECK_FALSE(sent.body["result"].contains("reply_markup"));  // Telegram returns inline ones only
    CHECK(sandbox.state().reply_keyboard(42) == keyboard);

    sandbox("sendMessage",
            {{"chat_id", 42}, {"text", "Bye"}, {"reply_markup", {{"remove_keyboard", true}}}});
    CHECK(sandbox.state().reply_keyboard(42).is_null());
  }
}

TEST_CASE("sandbox Bot API: edits change the message and an edit that changes nothing is refused",
          "[sandbox][bot_api]") {
  running_sandbox sandbox;
  sandbox.state().send_text(ann, "/start");
  const auto sent = sandbox(
      "sendMessage",
      {{"chat_id", 42}, {"text", "2 left"}, {"reply_markup", inline_keyboard("reserve:1")}});
  const auto message_id = sent.body["result"]["message_id"].get<int64_t>();
  const std::string not_modified =
      "Bad Request: message is not modified: specified new message content and reply markup are "
      "exactly the same as a current content and reply markup of the message";

  const auto edited = sandbox("editMessageText", {{"chat_id", 42},
                                                  {"message_id", message_id},
                                                  {"text", "1 left"},
                                                  {"reply_markup", inline_keyboard("reserve:1")}});
  REQUIRE(edited.status == 200);
  CHECK(edited.body["result"]["text"] == "1 left");
  CHECK(edited.body["result"].contains("edit_date"));
  auto current = sandbox.state().message(42, message_id);
  REQUIRE(current);
  CHECK(current->text == "1 left");
  CHECK(current->edit_count == 1);

  const auto same = sandbox("editMessageText", {{"chat_id", 42},
                                                {"message_id", message_id},
                                                {"text", "1 left"},
                                                {"reply_markup", inline_keyboard("reserve:1")}});
  CHECK(same.status == 400);
  CHECK(same.body["description"] == not_modified);

  // Without reply_markup Telegram removes the inline keyboard, so this is a change.
  const auto stripped =
      sandbox("editMessageText", {{"chat_id", 42}, {"message_id", message_id}, {"text", "1 left"}});
  CHECK(stripped.status == 200);
  CHECK(sandbox.state().message(42, message_id)->reply_markup.is_null());

  const auto markup = sandbox(
      "editMessageReplyMarkup",
      {{"chat_id", 42}, {"message_id", message_id}, {"reply_markup", inline_keyboard("x")}});
  CHECK(markup.status == 200);
  CHECK(sandbox.state().message(42, message_id)->reply_markup == inline_keyboard("x"));
  const auto markup_again = sandbox(
      "editMessageReplyMarkup",
      {{"chat_id", 42}, {"message_id", message_id}, {"reply_markup", inline_keyboard("x")}});
  CHECK(markup_again.status == 400);
  CHECK(markup_again.body["description"] == not_modified);
  CHECK(sandbox.state().message(42, message_id)->edit_count == 3);

  const auto missing =
      sandbox("editMessageText", {{"chat_id", 42}, {"message_id", 999}, {"text", "?"}});
  CHECK(missing.status == 400);
  CHECK(missing.body["description"] == "Bad Request: message to edit not found");

  const auto users_own =
      sandbox("editMessageText", {{"chat_id", 42}, {"message_id", 1}, {"text", "?"}});
  CHECK(users_own.status == 400);
  CHECK(users_own.body["description"] == "Bad Request: message can't be edited");
}

TEST_CASE("sandbox Bot API: editMessageCaption edits photos only", "[sandbox][bot_api]") {
  running_sandbox sandbox;
  sandbox.state().send_text(ann, "/start");
  const auto photo = sandbox(
      "sendPhoto", {{"chat_id", 42}, {"photo", "https://example.org/a.jpg"}, {"caption", "Bread"}});
  REQUIRE(photo.status == 200);
  const auto photo_id = photo.body["result"]["message_id"].get<int64_t>();
  const auto text = sandbox("sendMessage", {{"chat_id", 42}, {"text", "plain"}});
  const auto text_id = text.body["result"]["message_id"].get<int64_t>();

  const auto edited = sandbox("editMessageCaption",
                              {{"chat_id", 42}, {"message_id", photo_id}, {"caption", "Cake"}});
  CHECK(edited.status == 200);
  CHECK(sandbox.state().message(42, photo_id)->caption == "Cake");
  const auto same = sandbox("editMessageCaption",
                            {{"chat_id", 42}, {"message_id", photo_id}, {"caption", "Cake"}});
  CHECK(same.status == 400);
  const auto on_text =
      sandbox("editMessageCaption", {{"chat_id", 42}, {"message_id", text_id}, {"caption", "x"}});
  CHECK(on_text.body["description"] == "Bad Request: there is no caption in the message to edit");
  const auto text_on_photo =
      sandbox("editMessageText", {{"chat_id", 42}, {"message_id", photo_id}, {"text", "x"}});
  CHECK(text_on_photo.body["description"] ==
        "Bad Request: there is no text in the message to edit");
}

TEST_CASE("sandbox Bot API: a tap becomes a callback_query the bot answers once",
          "[sandbox][bot_api]") {
  running_sandbox sandbox;
  sandbox.state().send_text(ann, "/start");
  const auto sent =
      sandbox("sendMessage",
              {{"chat_id", 42}, {"text", "Bread"}, {"reply_markup", inline_keyboard("reserve:9")}});
  const auto message_id = sent.body["result"]["message_id"].get<int64_t>();

  const auto tap = sandbox.state().tap(ann, message_id, "reserve:9");
  const auto updates = sandbox("getUpdates", {{"offset", tap.update_id}});
  REQUIRE(updates.body["result"].size() == 1);
  const auto& query = updates.body["result"][0]["callback_query"];
  CHECK(query["id"] == tap.callback_query_id);
  CHECK(query["data"] == "reserve:9");
  CHECK(query["from"]["id"] == 42);
  CHECK(query["message"]["message_id"] == message_id);
  CHECK(query["message"]["chat"]["id"] == 42);
  CHECK(query["message"]["reply_markup"] == inline_keyboard("reserve:9"));
  CHECK(query["chat_instance"].is_string());

  auto before = sandbox.state().answer(tap.callback_query_id);
  REQUIRE(before);
  CHECK_FALSE(before->answered);

  const auto answered = sandbox(
      "answerCallbackQuery",
      {{"callback_query_id", tap.callback_query_id}, {"text", "Reserved"}, {"show_alert", true}});
  CHECK(answered.status == 200);
  CHECK(answered.body["result"] == true);
  const auto after = sandbox.state().answer(tap.callback_query_id);
  REQUIRE(after);
  CHECK(after->answered);
  CHECK(after->text == "Reserved");
  CHECK(after->show_alert);

  const auto twice = sandbox("answerCallbackQuery", {{"callback_query_id", tap.callback_query_id}});
  CHECK(twice.status == 400);
  CHECK(twice.body["description"] ==
        "Bad Request: query is too old and response timeout expired or query ID is invalid");
  const auto unknown = sandbox("answerCallbackQuery", {{"callback_query_id", "12345"}});
  CHECK(unknown.status == 400);
}

TEST_CASE("sandbox Bot API: Telegram's error answers", "[sandbox][bot_api]") {
  running_sandbox sandbox;
  sandbox.state().send_text(ann, "/start");

  SECTION("a wrong token is 401") {
    const auto answer = call(sandbox.port, "getMe", json::object(), "999:wrong");
    CHECK(answer.status == 401);
    CHECK(answer.body == json{{"ok", false}, {"error_code", 401}, {"description", "Unauthorized"}});
  }
  SECTION("an unknown method is 404") {
    const auto answer = sandbox("sendTelepathy");
    CHECK(answer.status == 404);
    CHECK(answer.body == json{{"ok", false}, {"error_code", 404}, {"description", "Not Found"}});
  }
  SECTION("an empty or blank text is 400") {
    CHECK(sandbox("sendMessage", {{"chat_id", 42}, {"text", ""}}).body["description"] ==
          "Bad Request: message text is empty");
    CHECK(sandbox("sendMessage", {{"chat_id", 42}, {"text", " \n "}}).body["description"] ==
          "Bad Request: message text is empty");
  }
  SECTION("more than 4096 characters is 400, counted in characters not bytes") {
    std::string longest;
    for (int i = 0; i < 4096; ++i) longest += "я";  // two bytes each
    CHECK(sandbox("sendMessage", {{"chat_id", 42}, {"text", longest}}).status == 200);
    const auto answer = sandbox("sendMessage", {{"chat_id", 42}, {"text", longest + "!"}});
    CHECK(answer.status == 400);
    CHECK(answer.body["description"] == "Bad Request: message is too long");
  }
  SECTION("callback data over 64 bytes is 400") {
    CHECK(sandbox("sendMessage", {{"chat_id", 42},
                                  {"text", "ok"},
                                  {"reply_markup", inline_keyboard(std::string(64, 'd'))}})
              .status == 200);
    const auto answer =
        sandbox("sendMessage", {{"chat_id", 42},
                                {"text", "too much"},
                                {"reply_markup", inline_keyboard(std::string(65, 'd'))}});
    CHECK(answer.status == 400);
    CHECK(answer.body["description"] == "Bad Request: BUTTON_DATA_INVALID");
  }
  SECTION("a user who never wrote is 400 chat not found") {
    const auto answer = sandbox("sendMessage", {{"chat_id", 777}, {"text", "hello"}});
    CHECK(answer.status == 400);
    CHECK(answer.body["description"] == "Bad Request: chat not found");
  }
  SECTION("a user who blocked the bot is 403") {
    sandbox.state().block_bot(42);
    const auto answer = sandbox("sendMessage", {{"chat_id", 42}, {"text", "hello"}});
    CHECK(answer.status == 403);
    CHECK(answer.body == json{{"ok", false},
                              {"error_code", 403},
                              {"description", "Forbidden: bot was blocked by the user"}});
  }
  SECTION("a body that is not JSON is 400") {
    auto client = client_for(sandbox.port);
    const auto answer = from(
        client.Post(("/bot" + test_token + "/sendMessage").c_str(), "{oops", "application/json"));
    CHECK(answer.status == 400);
    CHECK(answer.body["ok"] == false);
  }
}

TEST_CASE("sandbox Bot API: flood control answers 429 with retry_after", "[sandbox][bot_api]") {
  manual_clock clock;
  server_options options;
  options.clock = clock.function();

  SECTION("per chat") {
    options.limits.per_chat_per_second = 2;
    running_sandbox sandbox(options);
    sandbox.state().send_text(ann, "/start");
    sandbox.state().send_text(bob, "/start");
    const json to_ann = {{"chat_id", 42}, {"text", "hi"}};
    CHECK(sandbox("sendMessage", to_ann).status == 200);
    clock.advance(std::chrono::milliseconds(300));
    CHECK(sandbox("sendMessage", to_ann).status == 200);

    const auto limited = sandbox("sendMessage", to_ann);
    CHECK(limited.status == 429);
    CHECK(limited.body == json{{"ok", false},
                               {"error_code", 429},
                               {"description", "Too Many Requests: retry after 1"},
                               {"parameters", {{"retry_after", 1}}}});
    CHECK(sandbox.state().chat(42).size() == 3);  // refused calls change nothing
    CHECK(sandbox("sendMessage", {{"chat_id", 43}, {"text", "hi"}}).status == 200);
    CHECK(sandbox("getUpdates").status == 200);  // only sending and editing are limited

    clock.advance(std::chrono::milliseconds(700));
    CHECK(sandbox("sendMessage", to_ann).status == 200);
    CHECK(sandbox.state().rate_limited_count() == 1);
    CHECK(sandbox.state().stats()["rate_limited"] == 1);
  }

  SECTION("globally, with retry_after in whole seconds") {
    options.limits.global_per_second = 3;
    running_sandbox sandbox(options);
    for (const auto& user : {ann, bob}) sandbox.state().send_text(user, "/start");
    CHECK(sandbox("sendMessage", {{"chat_id", 42}, {"text", "1"}}).status == 200);
    CHECK(sandbox("sendMessage", {{"chat_id", 43}, {"text", "2"}}).status == 200);
    CHECK(sandbox("sendMessage", {{"chat_id", 42}, {"text", "3"}}).status == 200);
    const auto limited = sandbox("sendMessage", {{"chat_id", 43}, {"text", "4"}});
    CHECK(limited.status == 429);
    CHECK(limited.body["parameters"]["retry_after"] == 1);
    sandbox.state().set_rate_limits({});
    CHECK(sandbox("sendMessage", {{"chat_id", 43}, {"text", "4"}}).status == 200);
  }
}

TEST_CASE("sandbox Bot API: form-encoded bodies and query strings are accepted",
          "[sandbox][bot_api]") {
  running_sandbox sandbox;
  sandbox.state().send_text(ann, "/start");
  auto client = client_for(sandbox.port);
  const std::string path = "/bot" + test_token + "/sendMessage";

  SECTION("a form post, with reply_markup as a JSON string") {
    httplib::Params form = {{"chat_id", "42"},
                            {"text", "Fresh bread & cake"},
                            {"reply_markup", inline_keyboard("offer:1").dump()}};
    const auto answer = from(client.Post(path.c_str(), form));
    REQUIRE(answer.status == 200);
    CHECK(answer.body["result"]["text"] == "Fresh bread & cake");
    CHECK(sandbox.state().bot_messages(42).at(0).reply_markup == inline_keyboard("offer:1"));
  }
  SECTION("a query string, with a method name in another case") {
    const auto answer = from(client.Get(
        ("/bot" + test_token + "/SENDMESSAGE?chat_id=42&text=Hello%20there%21").c_str()));
    REQUIRE(answer.status == 200);
    CHECK(sandbox.state().bot_messages(42).at(0).text == "Hello there!");
    CHECK(sandbox.state().calls("sendMessage") == 1);
  }
  SECTION("multipart form data, with an uploaded photo") {
    httplib::MultipartFormDataItems items = {
        {"chat_id", "42", "", ""},
        {"caption", "Croissants", "", ""},
        {"photo", "not really a jpeg", "photo.jpg", "image/jpeg"}};
    const auto answer = from(client.Post(("/bot" + test_token + "/sendPhoto").c_str(), items));
    REQUIRE(answer.status == 200);
    CHECK(answer.body["result"]["caption"] == "Croissants");
    CHECK(answer.body["result"]["photo"].size() == 3);
  }
}

TEST_CASE("sandbox Bot API: sendPhoto reuses a photo the sandbox knows", "[sandbox][bot_api]") {
  running_sandbox sandbox;
  sandbox.state().send_photo(ann, "my bakery");
  const auto file_id = sandbox.state().chat(42).at(0).photo_file_id;
  REQUIRE_FALSE(file_id.empty());

  const auto sent =
      sandbox("sendPhoto", {{"chat_id", 42}, {"photo", file_id}, {"caption", "Yours"}});
  REQUIRE(sent.status == 200);
  CHECK(sent.body["result"]["photo"].back()["file_id"] == file_id);
  CHECK(sandbox.state().bot_messages(42).at(0).photo_file_id == file_id);

  const auto long_caption = sandbox(
      "sendPhoto", {{"chat_id", 42}, {"photo", file_id}, {"caption", std::string(1025, 'c')}});
  CHECK(long_caption.status == 400);
  CHECK(long_caption.body["description"] == "Bad Request: message caption is too long");
  const auto no_photo = sandbox("sendPhoto", {{"chat_id", 42}});
  CHECK(no_photo.body["description"] == "Bad Request: there is no photo in the request");
}

TEST_CASE("sandbox Bot API: sendVenue puts a place on the map, and refuses one that cannot be",
          "[sandbox][bot_api]") {
  running_sandbox sandbox;
  sandbox.state().send_text(ann, "/start");
  const auto sent = sandbox("sendVenue", {{"chat_id", 42},
                                          {"latitude", 41.3111},
                                          {"longitude", "69.2797"},
                                          {"title", "Bakery Nord"},
                                          {"address", "Navoi 5"}});
  REQUIRE(sent.status == 200);
  const auto& result = sent.body["result"];
  CHECK(result["location"]["latitude"] == 41.3111);
  CHECK(result["venue"]["location"]["longitude"] == 69.2797);
  CHECK(result["venue"]["title"] == "Bakery Nord");
  CHECK(result["venue"]["address"] == "Navoi 5");
  const auto message = sandbox.state().bot_messages(42).at(0);
  REQUIRE(message.venue.has_value());
  CHECK(message.venue->title == "Bakery Nord");
  // A venue has no text to edit.
  const auto edit = sandbox("editMessageText",
                            {{"chat_id", 42}, {"message_id", message.message_id}, {"text", "x"}});
  CHECK(edit.body["description"] == "Bad Request: there is no text in the message to edit");

  const nlohmann::json place = {
      {"chat_id", 42}, {"latitude", 41.3}, {"longitude", 69.2}, {"title", "T"}, {"address", "A"}};
  for (const auto& [field, value] :
       std::vector<std::pair<std::string, nlohmann::json>>{{"latitude", 91.0},
                                                           {"longitude", -181},
                                                           {"latitude", "north"},
                                                           {"longitude", nullptr},
                                                           {"title", ""},
                                                           {"address", nullptr}}) {
    auto wrong = place;
    wrong[field] = value;
    INFO(wrong.dump());
    CHECK(sandbox("sendVenue", wrong).status == 400);
  }
  CHECK(sandbox.state().bot_messages(42).size() == 1);
}

TEST_CASE("sandbox Bot API: commands and the menu button are kept per language",
          "[sandbox][bot_api]") {
  running_sandbox sandbox;
  const json commands = {{{"command", "start"}, {"description", "Start"}},
                         {{"command", "offers"}, {"description", "Deals near you"}}};
  CHECK(sandbox("setMyCommands", {{"commands", commands}}).status == 200);
  CHECK(sandbox("setMyCommands", {{"commands", {{{"command", "start"}, {"description", "Начать"}}}},
                                  {"language_code", "ru"}})
            .status == 200);
  CHECK(sandbox.state().my_commands() == std::vector<std::string>{"start", "offers"});
  CHECK(sandbox.state().my_commands("ru") == std::vector<std::string>{"start"});
  CHECK(sandbox("getMyCommands").body["result"] == commands);

  const auto invalid = sandbox(
      "setMyCommands", {{"commands", {{{"command", "Bad Command"}, {"description", "x"}}}}});
  CHECK(invalid.status == 400);
  CHECK(invalid.body["description"] == "Bad Request: BOT_COMMAND_INVALID");

  CHECK(sandbox.state().menu_button()["type"] == "default");
  CHECK(sandbox("setChatMenuButton", {{"menu_button", {{"type", "commands"}}}}).status == 200);
  CHECK(sandbox.state().menu_button()["type"] == "commands");
}

TEST_CASE("sandbox Bot API: a chat's own command list wins over everyone's, per language",
          "[sandbox][bot_api]") {
  running_sandbox sandbox;
  sandbox.state().send_text(ann, "/start");
  const json everyone = {{{"command", "start"}, {"description", "Start"}}};
  const json owners = {{{"command", "start"}, {"description", "Start"}},
                       {{"command", "mydeals"}, {"description", "Your deals"}}};
  const json owners_ru = {{{"command", "mydeals"}, {"description", "Ваши предложения"}}};
  const json chat_scope = {{"type", "chat"}, {"chat_id", 42}};
  REQUIRE(sandbox("setMyCommands", {{"commands", everyone}}).status == 200);
  REQUIRE(sandbox("setMyCommands", {{"commands", owners}, {"scope", chat_scope}}).status == 200);
  REQUIRE(sandbox("setMyCommands",
                  {{"commands", owners_ru}, {"scope", chat_scope.dump()}, {"language_code", "ru"}})
              .status == 200);

  // What each user sees: the chat's list in their language, then the chat's for any language;
  // everyone else sees everyone's.
  CHECK(sandbox.state().my_commands("ru", 42) == std::vector<std::string>{"mydeals"});
  CHECK(sandbox.state().my_commands("uz", 42) == std::vector<std::string>{"start", "mydeals"});
  CHECK(sandbox.state().my_commands("en", 43) == std::vector<std::string>{"start"});
  CHECK(sandbox("getMyCommands", {{"scope", chat_scope}}).body["result"] == owners);
  CHECK(sandbox("getMyCommands").body["result"] == everyone);

  // Deleting the chat's lists brings everyone's back.
  CHECK(sandbox("deleteMyCommands", {{"scope", chat_scope}, {"language_code", "ru"}}).status ==
        200);
  CHECK(sandbox("deleteMyCommands", {{"scope", chat_scope}}).status == 200);
  CHECK(sandbox.state().my_commands("ru", 42) == std::vector<std::string>{"start"});

  // Scopes Telegram cannot read are refused with its words, and change nothing.
  const std::vector<std::pair<json, std::string>> refused = {
      {{{"type", "everyone"}},
       "Bad Request: can't parse BotCommandScope: Unsupported type specified"},
      {{{"type", "chat"}},
       "Bad Request: can't parse BotCommandScope: Can't find field \"chat_id\""},
      {{{"type", "chat"}, {"chat_id", 777}}, "Bad Request: chat not found"},
      {{{"type", "chat_member"}, {"chat_id", 42}, {"user_id", 0}},
       "Bad Request: can't parse BotCommandScope: Invalid user_id specified"},
      {json::array(), "Bad Request: can't parse BotCommandScope: Object expected"},
      {"{not json", "Bad Request: can't parse BotCommandScope: Can't parse JSON object"}};
  for (const auto& [scope, description] : refused) {
    INFO(scope.dump());
    const auto answer = sandbox("setMyCommands", {{"commands", owners}, {"scope", scope}});
    CHECK(answer.status == 400);
    CHECK(answer.body["description"] == description);
  }
  const auto language =
      sandbox("setMyCommands", {{"commands", owners}, {"language_code", "english"}});
  CHECK(language.body["description"] == "Bad Request: invalid language code specified");
  CHECK(sandbox.state().my_commands("en", 42) == std::vector<std::string>{"start"});
}

TEST_CASE("sandbox Bot API: allowed_updates filters the kinds delivered", "[sandbox][bot_api]") {
  running_sandbox sandbox;
  sandbox.state().send_text(ann, "/start");
  const auto sent =
      sandbox("sendMessage",
              {{"chat_id", 42}, {"text", "Pick"}, {"reply_markup", inline_keyboard("pick")}});
  sandbox.state().send_text(ann, "just text");
  const auto tap = sandbox.state().tap(ann, sent.body["result"]["message_id"], "pick");

  const auto answer = sandbox("getUpdates", {{"allowed_updates", json::array({"callback_query"})}});
  REQUIRE(answer.body["result"].size() == 1);
  CHECK(answer.body["result"][0]["update_id"] == tap.update_id);

  // The setting sticks until a poll changes it; [] restores the default.
  sandbox.state().send_text(ann, "more text");
  CHECK(sandbox("getUpdates", {{"offset", tap.update_id + 1}}).body["result"].empty());
  const auto text = sandbox.state().send_text(ann, "and more");
  const auto all = sandbox("getUpdates", {{"allowed_updates", json::array()}});
  REQUIRE(all.body["result"].size() == 1);
  CHECK(all.body["result"][0]["update_id"] == text);
}

TEST_CASE("sandbox Bot API: stopping the server ends a blocked long poll at once",
          "[sandbox][bot_api]") {
  running_sandbox sandbox;
  // The poll would otherwise wait ten minutes; the test waits far less than that for it to end.
  auto poll = sandbox.waiting_poll(600, 900);

  sandbox.sandbox.stop();
  REQUIRE(poll.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  const auto answer = poll.get();
  CHECK(answer.status == 200);
  CHECK(answer.body["result"].empty());
}

TEST_CASE("sandbox: requests pipelined on one connection are all answered, in order",
          "[sandbox][bot_api]") {
  running_sandbox sandbox;
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(static_cast<uint16_t>(sandbox.port));
  REQUIRE(::connect(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);

  // Three calls in one write: two getMe around one the sandbox refuses.
  std::string requests;
  for (const char* method : {"getMe", "noSuchMethod", "getMe"}) {
    requests += "POST /bot" + test_token + "/" + method +
                " HTTP/1.1\r\nHost: sandbox\r\nContent-Type: application/json\r\n"
                "Content-Length: 2\r\n\r\n{}";
  }
  REQUIRE(::send(fd, requests.data(), requests.size(), MSG_NOSIGNAL) ==
          static_cast<ssize_t>(requests.size()));

  lastcall::telegram::http1_response_reader reader;
  std::vector<lastcall::telegram::http1_response> answers;
  char buffer[65536];
  timeval wait{20, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, sizeof wait);
  while (answers.size() < 3) {
    const ssize_t n = ::recv(fd, buffer, sizeof buffer, 0);
    if (n <= 0) break;
    REQUIRE(reader.feed(buffer, static_cast<size_t>(n), answers) ==
            lastcall::telegram::http1_response_reader::verdict::more);
  }
  ::close(fd);
  REQUIRE(answers.size() == 3);
  CHECK(answers[0].status == 200);
  CHECK(json::parse(answers[0].body)["result"]["is_bot"] == true);
  CHECK(answers[1].status == 404);
  CHECK(answers[2].status == 200);
  CHECK(json::parse(answers[2].body)["ok"] == true);
}

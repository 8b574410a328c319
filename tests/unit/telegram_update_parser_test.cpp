#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>

#include "telegram/update_parser.hpp"

using namespace lastcall::telegram;
using nlohmann::json;

namespace {

// A private text message as getUpdates returns it, with fields the bot ignores left in.
json text_update() {
  return json::parse(R"({
    "update_id": 815290001,
    "message": {
      "message_id": 1365,
      "from": {"id": 111222333, "is_bot": false, "first_name": "Dilnoza", "last_name": "K",
               "username": "dilnoza_k", "language_code": "uz"},
      "chat": {"id": 111222333, "first_name": "Dilnoza", "username": "dilnoza_k", "type": "private"},
      "date": 1718090000,
      "text": "/start offer_42",
      "entities": [{"offset": 0, "length": 6, "type": "bot_command"}]
    }
  })");
}

update parse_ok(const json& value) {
  std::string error;
  auto parsed = parse_update(value, &error);
  INFO(error);
  REQUIRE(parsed);
  return *parsed;
}

std::string parse_error_of(const json& value) {
  std::string error;
  CHECK_FALSE(parse_update(value, &error));
  CHECK_FALSE(error.empty());
  return error;
}

// One way to break an update, and the path of the field its error must start with.
struct malformed_case {
  const char* description;
  std::function<void(json&)> damage;
  const char* path;
};

void check_each_refused(const json& base, const std::vector<malformed_case>& cases) {
  for (const auto& c : cases) {
    INFO(c.description);
    json value = base;
    c.damage(value);
    CHECK_THAT(parse_error_of(value), Catch::StartsWith(std::string(c.path) + ":"));
  }
}

}  // namespace

TEST_CASE("a text message is parsed with its sender and chat", "[telegram][update_parser]") {
  const update u = parse_ok(text_update());
  CHECK(u.update_id == 815290001);
  REQUIRE(u.message);
  CHECK_FALSE(u.callback_query);
  const message& m = *u.message;
  CHECK(m.message_id == 1365);
  CHECK(m.chat_id == 111222333);
  CHECK(m.chat_type == "private");
  CHECK(m.date == 1718090000);
  CHECK(m.text == "/start offer_42");
  CHECK(m.caption.empty());
  CHECK_FALSE(m.location);
  CHECK_FALSE(m.contact);
  CHECK(m.photo.empty());
  REQUIRE(m.from);
  CHECK(m.from->id == 111222333);
  CHECK_FALSE(m.from->is_bot);
  CHECK(m.from->first_name == "Dilnoza");
  CHECK(m.from->username == "dilnoza_k");
  CHECK(m.from->language_code == "uz");
  CHECK(u.user_id() == 111222333);
}

TEST_CASE("a shared location is parsed", "[telegram][update_parser]") {
  const update u = parse_ok(json::parse(R"({"update_id": 2, "message": {
      "message_id": 5, "from": {"id": 7, "is_bot": false, "first_name": "A"},
      "chat": {"id": 7, "type": "private"}, "date": 1718090001,
      "location": {"latitude": 41.311081, "longitude": 69.240562, "horizontal_accuracy": 12.5}}})"));
  REQUIRE(u.message);
  REQUIRE(u.message->location);
  CHECK(u.message->location->latitude == Approx(41.311081));
  CHECK(u.message->location->longitude == Approx(69.240562));
  CHECK(u.message->text.empty());
}

TEST_CASE("a shared contact keeps its user id when it has one", "[telegram][update_parser]") {
  const update own = parse_ok(json::parse(R"({"update_id": 3, "message": {
      "message_id": 6, "from": {"id": 7, "is_bot": false, "first_name": "A"},
      "chat": {"id": 7, "type": "private"}, "date": 1718090002,
      "contact": {"phone_number": "+998901234567", "first_name": "A", "user_id": 7}}})"));
  REQUIRE(own.message->contact);
  CHECK(own.message->contact->phone_number == "+998901234567");
  CHECK(own.message->contact->first_name == "A");
  CHECK(own.message->contact->user_id == 7);

  const update other = parse_ok(json::parse(R"({"update_id": 4, "message": {
      "message_id": 7, "chat": {"id": 7, "type": "private"}, "date": 1718090003,
      "contact": {"phone_number": "998907654321", "first_name": "B"}}})"));
  REQUIRE(other.message->contact);
  CHECK_FALSE(other.message->contact->user_id);
}

TEST_CASE("a photo keeps every size in order with its caption", "[telegram][update_parser]") {
  const update u = parse_ok(json::parse(R"({"update_id": 5, "message": {
      "message_id": 8, "from": {"id": 7, "is_bot": false, "first_name": "A"},
      "chat": {"id": 7, "type": "private"}, "date": 1718090004, "caption": "Samsa, 6 left",
      "photo": [
        {"file_id": "AgAC-s", "file_unique_id": "AQAD-s", "file_size": 1203, "width": 90, "height": 67},
        {"file_id": "AgAC-m", "file_unique_id": "AQAD-m", "file_size": 15040, "width": 320, "height": 240},
        {"file_id": "AgAC-x", "file_unique_id": "AQAD-x", "file_size": 61512, "width": 1280, "height": 960}
      ]}})"));
  REQUIRE(u.message);
  CHECK(u.message->caption == "Samsa, 6 left");
  REQUIRE(u.message->photo.size() == 3);
  CHECK(u.message->photo[0].file_id == "AgAC-s");
  CHECK(u.message->photo[0].file_unique_id == "AQAD-s");
  CHECK(u.message->photo[0].width == 90);
  CHECK(u.message->photo[0].height == 67);
  CHECK(u.message->photo[2].file_id == "AgAC-x");
  CHECK(u.message->photo[2].width == 1280);
}

TEST_CASE("a group message keeps the negative chat id and type", "[telegram][update_parser]") {
  const update u = parse_ok(json::parse(R"({"update_id": 6, "message": {
      "message_id": 9, "from": {"id": 7, "is_bot": false, "first_name": "A"},
      "chat": {"id": -1001234567890, "title": "Bakers", "type": "supergroup"},
      "date": 1718090005, "text": "hi"}})"));
  CHECK(u.message->chat_id == -1001234567890);
  CHECK(u.message->chat_type == "supergroup");
}

TEST_CASE("a callback query keeps the tapped message's address", "[telegram][update_parser]") {
  const update u = parse_ok(json::parse(R"({"update_id": 7, "callback_query": {
      "id": "4382bfdwdsb323b2d9",
      "from": {"id": 111222333, "is_bot": false, "first_name": "Dilnoza", "language_code": "ru"},
      "message": {"message_id": 1366, "from": {"id": 999, "is_bot": true, "first_name": "LastCall"},
                  "chat": {"id": 111222333, "type": "private"}, "date": 1718090010, "text": "Offers"},
      "chat_instance": "-8237452830498",
      "data": "r:17:2"}})"));
  CHECK_FALSE(u.message);
  REQUIRE(u.callback_query);
  CHECK(u.callback_query->id == "4382bfdwdsb323b2d9");
  CHECK(u.callback_query->from.id == 111222333);
  CHECK(u.callback_query->from.language_code == "ru");
  CHECK(u.callback_query->chat_id == 111222333);
  CHECK(u.callback_query->message_id == 1366);
  CHECK(u.callback_query->data == "r:17:2");
  CHECK(u.user_id() == 111222333);
}

TEST_CASE("a callback query on an inaccessible or inline message", "[telegram][update_parser]") {
  // Telegram sends an inaccessible message (date 0) with just the chat and the message id.
  const update old = parse_ok(json::parse(R"({"update_id": 8, "callback_query": {
      "id": "q1", "from": {"id": 5, "is_bot": false, "first_name": "B"},
      "message": {"chat": {"id": 5, "type": "private"}, "message_id": 12, "date": 0},
      "chat_instance": "1", "data": "x"}})"));
  CHECK(old.callback_query->chat_id == 5);
  CHECK(old.callback_query->message_id == 12);

  const update inline_mode = parse_ok(json::parse(R"({"update_id": 9, "callback_query": {
      "id": "q2", "from": {"id": 5, "is_bot": false, "first_name": "B"},
      "inline_message_id": "AAAAAKk", "chat_instance": "1", "data": "y"}})"));
  CHECK_FALSE(inline_mode.callback_query->chat_id);
  CHECK_FALSE(inline_mode.callback_query->message_id);
  CHECK(inline_mode.callback_query->data == "y");
}

TEST_CASE("updates of other kinds have neither payload", "[telegram][update_parser]") {
  for (
      const char* text : {
          R"({"update_id": 10, "edited_message": {"message_id": 1, "chat": {"id": 1, "type": "private"},
               "date": 1, "edit_date": 2, "text": "edited"}})",
          R"({"update_id": 11, "channel_post": {"message_id": 1, "chat": {"id": -100, "type": "channel"},
               "date": 1, "text": "post"}})",
          R"({"update_id": 12, "my_chat_member": {"chat": {"id": 1}, "date": 1}})",
          R"({"update_id": 13})",
      }) {
    const update u = parse_ok(json::parse(text));
    CHECK_FALSE(u.message);
    CHECK_FALSE(u.callback_query);
    CHECK(u.user_id() == 0);
  }
}

TEST_CASE("fields sent as null read as absent", "[telegram][update_parser]") {
  json value = text_update();
  value["message"]["caption"] = nullptr;
  value["message"]["location"] = nullptr;
  value["callback_query"] = nullptr;
  const update u = parse_ok(value);
  REQUIRE(u.message);
  CHECK(u.message->caption.empty());
  CHECK_FALSE(u.message->location);
}

TEST_CASE("malformed updates are rejected with the path of the bad field",
          "[telegram][update_parser]") {
  check_each_refused(
      text_update(),
      {
          {"update_id as a string", [](json& v) { v["update_id"] = "815290001"; }, "update_id"},
          {"no update_id", [](json& v) { v.erase("update_id"); }, "update_id"},
          {"fractional update_id", [](json& v) { v["update_id"] = 1.5; }, "update_id"},
          {"update_id beyond int64", [](json& v) { v["update_id"] = UINT64_MAX; }, "update_id"},
          {"message as an array",
           [](json& v) {
             v["message"] = json::array({1, 2});
           },
           "message"},
          {"message as a string", [](json& v) { v["message"] = "hello"; }, "message"},
          {"no message_id", [](json& v) { v["message"].erase("message_id"); },
           "message.message_id"},
          {"no chat", [](json& v) { v["message"].erase("chat"); }, "message.chat"},
          {"chat as an array", [](json& v) { v["message"]["chat"] = json::array(); },
           "message.chat"},
          {"chat id as a string", [](json& v) { v["message"]["chat"]["id"] = "111222333"; },
           "message.chat.id"},
          {"no date", [](json& v) { v["message"].erase("date"); }, "message.date"},
          {"text as a number", [](json& v) { v["message"]["text"] = 12345; }, "message.text"},
          {"from as an array", [](json& v) { v["message"]["from"] = json::array({1}); },
           "message.from"},
          {"from without id", [](json& v) { v["message"]["from"].erase("id"); }, "message.from.id"},
          {"a negative user id", [](json& v) { v["message"]["from"]["id"] = -1; },
           "message.from.id"},
          {"user id 0", [](json& v) { v["message"]["from"]["id"] = 0; }, "message.from.id"},
          {"the smallest int32 as a user id",
           [](json& v) { v["message"]["from"]["id"] = -2147483648LL; }, "message.from.id"},
          {"user id 2^53", [](json& v) { v["message"]["from"]["id"] = int64_t{1} << 53; },
           "message.from.id"},
          {"user id 2^52", [](json& v) { v["message"]["from"]["id"] = int64_t{1} << 52; },
           "message.from.id"},
          {"is_bot as a string", [](json& v) { v["message"]["from"]["is_bot"] = "no"; },
           "message.from.is_bot"},
          {"latitude as a string",
           [](json& v) {
             v["message"]["location"] = {{"latitude", "41.3"}, {"longitude", 69.2}};
           },
           "message.location.latitude"},
          {"contact without phone",
           [](json& v) {
             v["message"]["contact"] = {{"first_name", "A"}};
           },
           "message.contact.phone_number"},
          {"photo as an object",
           [](json& v) {
             v["message"]["photo"] = {{"file_id", "x"}};
           },
           "message.photo"},
          {"photo size without file_id",
           [](json& v) { v["message"]["photo"] = json::parse(R"([{"width": 1, "height": 1}])"); },
           "message.photo[0].file_id"},
          {"photo width too large",
           [](json& v) {
             v["message"]["photo"] = json::parse(R"([{"file_id": "a", "width": 1, "height": 1},
                             {"file_id": "b", "width": 99999999999, "height": 1}])");
           },
           "message.photo[1].width"},
      });
}

TEST_CASE("malformed callback queries are rejected", "[telegram][update_parser]") {
  const json base = json::parse(R"({"update_id": 20, "callback_query": {
      "id": "q", "from": {"id": 5, "is_bot": false, "first_name": "B"},
      "message": {"message_id": 3, "chat": {"id": 5, "type": "private"}, "date": 1}, "data": "d"}})");
  check_each_refused(
      base,
      {
          {"no id", [](json& v) { v["callback_query"].erase("id"); }, "callback_query.id"},
          {"numeric id", [](json& v) { v["callback_query"]["id"] = 42; }, "callback_query.id"},
          {"no from", [](json& v) { v["callback_query"].erase("from"); }, "callback_query.from"},
          {"numeric data", [](json& v) { v["callback_query"]["data"] = 7; }, "callback_query.data"},
          {"no chat", [](json& v) { v["callback_query"]["message"].erase("chat"); },
           "callback_query.message.chat"},
      });
  // A tap from an impossible user changes nothing: the update is refused before anything sees it.
  for (int64_t impossible : {int64_t{-1}, int64_t{-5}, int64_t{1} << 53}) {
    json forged = base;
    forged["callback_query"]["from"]["id"] = impossible;
    CHECK_THAT(parse_error_of(forged), Catch::StartsWith("callback_query.from.id:"));
  }
}

TEST_CASE("an entry that is not an object is malformed", "[telegram][update_parser]") {
  for (const json& value :
       {json(42), json("update"), json::array({text_update()}), json(nullptr), json(true)}) {
    CHECK_THAT(parse_error_of(value), Catch::StartsWith("update:"));
  }
}

TEST_CASE("errors name the field, never the content", "[telegram][update_parser]") {
  json value = text_update();
  value["message"]["text"] = json::array({"my card number 8600123412341234"});
  const std::string error = parse_error_of(value);
  CHECK(error.find("8600") == std::string::npos);
  CHECK(error.find("Dilnoza") == std::string::npos);
}

TEST_CASE("parse_update works without an error out-parameter", "[telegram][update_parser]") {
  CHECK_FALSE(parse_update(json::parse(R"({"update_id": "x"})")));
  CHECK(parse_update(text_update()));
}

TEST_CASE("a batch skips malformed entries but moves past their ids", "[telegram][update_parser]") {
  json first = text_update();
  first["update_id"] = 100;
  json broken_late = text_update();
  broken_late["update_id"] = 104;
  broken_late["message"]["chat"] = "not a chat";
  json edited = json::parse(R"({"update_id": 102, "edited_message": {"message_id": 1}})");
  json last_good = text_update();
  last_good["update_id"] = 103;
  last_good["message"]["text"] = "second";

  const json batch = json::array({first, broken_late, json::parse(R"({"update_id": "101"})"),
                                  edited, json::array({1}), json(7), last_good});
  const parsed_updates out = parse_updates(batch);
  CHECK(out.malformed == 4);
  CHECK(out.max_update_id == 104);
  REQUIRE(out.updates.size() == 3);
  CHECK(out.updates[0].update_id == 100);
  CHECK(out.updates[1].update_id == 102);
  CHECK_FALSE(out.updates[1].message);
  CHECK(out.updates[2].update_id == 103);
  CHECK(out.updates[2].message->text == "second");
  // Each readable update keeps its text for the inbox; the unreadable ones with an id are
  // acknowledged by it.
  REQUIRE(out.texts.size() == 3);
  CHECK(json::parse(out.texts[2]) == last_good);
  CHECK(out.unreadable_ids == std::vector<int64_t>{104});
}

TEST_CASE("an update read back from its text is the update", "[telegram][update_parser]") {
  auto update = parse_update_text(text_update().dump());
  REQUIRE(update);
  CHECK(update->update_id == text_update()["update_id"].get<int64_t>());
  std::string error;
  CHECK_FALSE(parse_update_text("{\"update_id\": 1", &error));
  CHECK(error == "update: not JSON");
  CHECK_FALSE(parse_update_text(R"({"update_id": "x"})"));
}

TEST_CASE("an empty batch moves nothing", "[telegram][update_parser]") {
  const parsed_updates out = parse_updates(json::array());
  CHECK(out.updates.empty());
  CHECK(out.malformed == 0);
  CHECK(out.max_update_id == 0);
}

TEST_CASE("a batch that is not an array counts as one malformed entry",
          "[telegram][update_parser]") {
  for (const json& value : {json::object(), json(nullptr), json("[]"), text_update()}) {
    const parsed_updates out = parse_updates(value);
    CHECK(out.updates.empty());
    CHECK(out.malformed == 1);
    CHECK(out.max_update_id == 0);
  }
}

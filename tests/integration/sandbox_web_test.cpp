// What the browser chat page relies on, over HTTP: the page's files and set-up, photos with real
// images (uploaded by a user, sent back by the bot by file_id), the long poll that reports chat
// changes, and chats opened for people who never wrote.

#include <chrono>
#include <future>
#include <string>

#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sandbox/server.hpp"

using json = nlohmann::json;
using namespace lastcall::sandbox;

namespace {

const std::string test_token = "654321:web-test-token";

// The first bytes of a PNG and a few more: the sandbox keeps what it gets, it does not decode it.
const std::string png_bytes =
    std::string("\x89PNG\r\n\x1a\n", 8) + std::string("\0\0\0\rIHDR", 8) + "pretend image data";

server_options page_options() {
  server_options options;
  options.token = test_token;
  persona ann;
  ann.id = 42;
  ann.first_name = "Ann";
  ann.role = "customer";
  ann.phone = "+998900000042";
  persona olga;
  olga.id = 700;
  olga.first_name = "Olga";
  olga.role = "business";
  options.page.personas = {ann, olga};
  options.page.places = {{"City centre", 41.3111, 69.2797}, {"Market", 41.3183, 69.2797}};
  options.page.utc_offset_minutes = 300;
  options.page.admin_ids = {1000};
  return options;
}

class web_sandbox {
 public:
  web_sandbox() : sandbox_(page_options()), port_(sandbox_.start("127.0.0.1", 0)) {}

  world& state() { return sandbox_.state(); }
  server& sandbox() { return sandbox_; }

  httplib::Client client() {
    httplib::Client c("127.0.0.1", port_);
    c.set_read_timeout(60, 0);
    return c;
  }

  json get_json(const std::string& path, int expected_status = 200) {
    auto c = client();
    auto result = c.Get(path.c_str());
    REQUIRE(result);
    CHECK(result->status == expected_status);
    return json::parse(result->body, nullptr, false);
  }

  json bot(const std::string& method, const json& params) {
    auto c = client();
    auto result =
        c.Post(("/bot" + test_token + "/" + method).c_str(), params.dump(), "application/json");
    REQUIRE(result);
    return json::parse(result->body, nullptr, false);
  }

 private:
  server sandbox_;
  int port_;
};

}  // namespace

TEST_CASE("sandbox web: the page and its files are served from the binary", "[sandbox][web]") {
  web_sandbox sandbox;
  auto c = sandbox.client();

  auto index = c.Get("/");
  REQUIRE(index);
  CHECK(index->status == 200);
  CHECK(index->get_header_value("Content-Type").rfind("text/html", 0) == 0);
  CHECK(index->body.find("<script src=\"/app.js\"></script>") != std::string::npos);
  CHECK(index->body.find("/app.css") != std::string::npos);

  auto script = c.Get("/app.js");
  REQUIRE(script);
  CHECK(script->status == 200);
  CHECK(script->get_header_value("Content-Type").rfind("text/javascript", 0) == 0);
  CHECK(script->body.find("/driver/watch") != std::string::npos);

  auto style = c.Get("/app.css");
  REQUIRE(style);
  CHECK(style->status == 200);
  CHECK(style->get_header_value("Content-Type").rfind("text/css", 0) == 0);

  // The page loads nothing from elsewhere.
  for (const auto* body : {&index->body, &script->body, &style->body}) {
    CHECK(body->find("http://") == std::string::npos);
    CHECK(body->find("https://") == std::string::npos);
  }

  // A file name's dot is not a wildcard.
  auto lookalike = c.Get("/appXjs");
  REQUIRE(lookalike);
  CHECK(lookalike->status == 404);
}

TEST_CASE("sandbox web: /driver/page tells the personas, the places and the bot",
          "[sandbox][web]") {
  web_sandbox sandbox;
  const auto setup = sandbox.get_json("/driver/page");
  CHECK(setup["ok"] == true);
  CHECK(setup["bot"]["username"] == sandbox.state().bot().username);
  REQUIRE(setup["personas"].size() == 2);
  CHECK(setup["personas"][0]["id"] == 42);
  CHECK(setup["personas"][0]["first_name"] == "Ann");
  CHECK(setup["personas"][0]["role"] == "customer");
  CHECK(setup["personas"][0]["phone"] == "+998900000042");
  CHECK(setup["personas"][1]["id"] == 700);
  REQUIRE(setup["places"].size() == 2);
  CHECK(setup["places"][1]["name"] == "Market");
  CHECK(setup["places"][1]["latitude"] == Approx(41.3183));
  // The page shows times on the bot's clock and labels people as the bot sees them.
  CHECK(setup["utc_offset_minutes"] == 300);
  CHECK(setup["admin_ids"] == nlohmann::json::array({1000}));
}

TEST_CASE(
    "sandbox web: an uploaded photo is kept and shown at every size and when the bot "
    "sends it back",
    "[sandbox][web]") {
  web_sandbox sandbox;
  auto c = sandbox.client();

  auto upload = c.Post("/driver/photo?user_id=700&caption=Fresh%20buns&first_name=Olga", png_bytes,
                       "image/png");
  REQUIRE(upload);
  REQUIRE(upload->status == 200);
  const auto created = json::parse(upload->body);
  const std::string file_id = created["file_id"];
  CHECK(!file_id.empty());

  // The bot receives an ordinary photo message.
  const auto updates = sandbox.bot("getUpdates", json::object())["result"];
  REQUIRE(updates.size() == 1);
  CHECK(updates[0]["update_id"] == created["update_id"]);
  const auto& message = updates[0]["message"];
  CHECK(message["caption"] == "Fresh buns");
  CHECK(message["from"]["first_name"] == "Olga");
  REQUIRE(message["photo"].size() == 3);
  CHECK(message["photo"][2]["file_id"] == file_id);

  for (const auto& size : message["photo"]) {
    const std::string path = "/driver/file/" + size["file_id"].get<std::string>();
    auto file = c.Get(path.c_str());
    REQUIRE(file);
    CHECK(file->status == 200);
    CHECK(file->get_header_value("Content-Type") == "image/png");
    CHECK(file->body == png_bytes);
  }

  // The bot sends the same photo to someone else by its file_id: it shows there too.
  sandbox.state().send_text({42, "Ann", "en", ""}, "/start");
  const auto sent = sandbox.bot("sendPhoto", {{"chat_id", 42}, {"photo", file_id}});
  REQUIRE(sent["ok"] == true);
  const auto chat = sandbox.get_json("/driver/chat/42");
  const std::string shown = chat["messages"].back()["photo_file_id"];
  auto file = c.Get(("/driver/file/" + shown).c_str());
  REQUIRE(file);
  CHECK(file->status == 200);
  CHECK(file->body == png_bytes);
}

TEST_CASE("sandbox web: photos without an image get a drawn placeholder, unknown ones a 404",
          "[sandbox][web]") {
  web_sandbox sandbox;
  auto c = sandbox.client();
  sandbox.state().send_photo({42, "Ann", "en", ""}, "");
  const std::string invented = sandbox.state().chat(42).back().photo_file_id;

  auto placeholder = c.Get(("/driver/file/" + invented).c_str());
  REQUIRE(placeholder);
  CHECK(placeholder->status == 200);
  CHECK(placeholder->get_header_value("Content-Type") == "image/svg+xml");
  CHECK(placeholder->body.find("<svg") == 0);

  auto unknown = c.Get("/driver/file/AgACAgIAAxkBAAInever");
  REQUIRE(unknown);
  CHECK(unknown->status == 404);
}

TEST_CASE("sandbox web: uploads that are not a raster image are refused", "[sandbox][web]") {
  web_sandbox sandbox;
  auto c = sandbox.client();

  auto svg = c.Post("/driver/photo?user_id=42", "<svg xmlns='http://www.w3.org/2000/svg'/>",
                    "image/svg+xml");
  REQUIRE(svg);
  CHECK(svg->status == 400);
  CHECK(json::parse(svg->body)["error"].get<std::string>().find("PNG, JPEG") != std::string::npos);

  auto empty = c.Post("/driver/photo?user_id=42", "", "image/jpeg");
  REQUIRE(empty);
  CHECK(empty->status == 400);

  auto nobody = c.Post("/driver/photo", png_bytes, "image/png");
  REQUIRE(nobody);
  CHECK(nobody->status == 400);

  CHECK(sandbox.state().pending_updates() == 0);
}

TEST_CASE("sandbox web: a chat's revision grows with new messages and edits", "[sandbox][web]") {
  web_sandbox sandbox;
  CHECK(sandbox.get_json("/driver/chat/42")["revision"] == 0);

  sandbox.state().send_text({42, "Ann", "en", ""}, "/start");
  const auto after_text = sandbox.get_json("/driver/chat/42")["revision"].get<uint64_t>();
  CHECK(after_text > 0);

  const auto sent = sandbox.bot("sendMessage", {{"chat_id", 42}, {"text", "Hello"}});
  REQUIRE(sent["ok"] == true);
  const auto after_reply = sandbox.get_json("/driver/chat/42")["revision"].get<uint64_t>();
  CHECK(after_reply > after_text);

  const auto edited = sandbox.bot(
      "editMessageText",
      {{"chat_id", 42}, {"message_id", sent["result"]["message_id"]}, {"text", "Hello again"}});
  REQUIRE(edited["ok"] == true);
  CHECK(sandbox.get_json("/driver/chat/42")["revision"].get<uint64_t>() > after_reply);
}

TEST_CASE("sandbox web: /driver/watch answers when a watched chat changes", "[sandbox][web]") {
  web_sandbox sandbox;
  sandbox.state().send_text({42, "Ann", "en", ""}, "/start");
  const auto known = sandbox.get_json("/driver/chat/42")["revision"].get<uint64_t>();

  SECTION("at once when the caller is behind") {
    const auto answer = sandbox.get_json("/driver/watch?chats=42:0,700:0&wait=30");
    CHECK(answer["revisions"]["42"] == known);
    CHECK(answer["revisions"]["700"] == 0);
  }

  SECTION("when the bot writes, not before") {
    auto watching = std::async(std::launch::async, [&] {
      return sandbox.get_json("/driver/watch?chats=42:" + std::to_string(known) + "&wait=30");
    });
    // Whether the poll is already waiting when the bot writes or not, it must report the change.
    const auto sent = sandbox.bot("sendMessage", {{"chat_id", 42}, {"text", "Welcome"}});
    REQUIRE(sent["ok"] == true);
    const auto answer = watching.get();
    CHECK(answer["revisions"]["42"].get<uint64_t>() > known);
  }

  SECTION("with the revisions as they are when nothing changes within wait") {
    const auto answer =
        sandbox.get_json("/driver/watch?chats=42:" + std::to_string(known) + "&wait=0");
    CHECK(answer["revisions"]["42"] == known);
  }

  SECTION("bad input is refused") {
    CHECK(sandbox.get_json("/driver/watch?chats=42:x", 400)["ok"] == false);
    CHECK(sandbox.get_json("/driver/watch?chats=42:1&wait=31", 400)["ok"] == false);
    CHECK(sandbox.get_json("/driver/watch?chats=abc", 400)["ok"] == false);
  }
}

TEST_CASE("sandbox web: closing the world ends a waiting watch", "[sandbox][web]") {
  // What server::stop() relies on so that a page's long poll does not hold it for its whole wait.
  web_sandbox sandbox;
  auto watching = std::async(std::launch::async, [&] {
    return sandbox.state().wait_for_chat_changes({{42, 0}}, std::chrono::seconds(120));
  });
  sandbox.state().close();
  REQUIRE(watching.wait_for(std::chrono::seconds(60)) == std::future_status::ready);
  CHECK(watching.get().at(42) == 0);
}

TEST_CASE("sandbox web: a chat opened for a persona lets the bot write first", "[sandbox][web]") {
  web_sandbox sandbox;
  CHECK(sandbox.bot("sendMessage", {{"chat_id", 700}, {"text", "News"}})["description"] ==
        "Bad Request: chat not found");

  sandbox.state().open_chat_with({700, "Olga", "en", ""});
  CHECK(sandbox.state().chat(700).empty());
  CHECK(sandbox.bot("sendMessage", {{"chat_id", 700}, {"text", "News"}})["ok"] == true);

  // Opening again keeps the history.
  sandbox.state().open_chat_with({700, "Olga", "en", ""});
  REQUIRE(sandbox.state().chat(700).size() == 1);
  CHECK(sandbox.state().chat(700)[0].text == "News");
}

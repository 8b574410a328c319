#include <catch2/catch.hpp>

#include "telegram/command.hpp"

using lastcall::telegram::parse_command;

namespace {

const std::string bot = "LastCallBot";

// `text` sent to `username` parses as command `name` with `args`.
void check_command(const std::string& text, const std::string& name, const std::string& args,
                   const std::string& username = bot) {
  INFO("text: " << text);
  const auto cmd = parse_command(text, username);
  REQUIRE(cmd);
  CHECK(cmd->name == name);
  CHECK(cmd->args == args);
}

void check_not_ours(std::initializer_list<const char*> texts, const std::string& username = bot) {
  for (const std::string text : texts) {
    INFO("text: " << text);
    CHECK_FALSE(parse_command(text, username));
  }
}

}  // namespace

TEST_CASE("a bare command has a name and no arguments", "[telegram][command]") {
  check_command("/start", "start", "");
}

TEST_CASE("a command's name is lower-cased and its arguments trimmed", "[telegram][command]") {
  check_command("/Offers   near  me  \n", "offers", "near  me");
}

TEST_CASE("a deep-link payload arrives as the arguments of /start", "[telegram][command]") {
  check_command("/start offer_42", "start", "offer_42");
}

TEST_CASE("arguments may start on the next line", "[telegram][command]") {
  check_command("/feedback\nGreat bread, thanks", "feedback", "Great bread, thanks");
}

TEST_CASE("an @suffix naming this bot is accepted in any case", "[telegram][command]") {
  check_command("/Start@lastcallbot payload", "start", "payload");
  check_command("/help@LASTCALLBOT", "help", "");
}

TEST_CASE("the bot's username may be given with a leading @", "[telegram][command]") {
  check_command("/help@LastCallBot", "help", "", "@LastCallBot");
}

TEST_CASE("a command addressed to another bot is not ours", "[telegram][command]") {
  check_not_ours({"/start@OtherBot", "/start@LastCallBot2 x", "/start@"});
  // Without a known username no suffix can be matched.
  check_not_ours({"/start@LastCallBot"}, "");
}

TEST_CASE("only text that begins with a slash and a command name is a command",
          "[telegram][command]") {
  check_not_ours({"", "start", "hello /start", " /start", "/", "/ start", "/@LastCallBot",
                  "/usr/bin", "/start-now"});
}

TEST_CASE("command names may hold digits and underscores", "[telegram][command]") {
  check_command("/my_offers2", "my_offers2", "");
}

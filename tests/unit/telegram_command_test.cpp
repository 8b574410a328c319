#include <catch2/catch.hpp>

#include "telegram/command.hpp"

using lastcall::telegram::parse_command;

namespace {
const std::string bot = "LastCallBot";
}

TEST_CASE("a bare command has a name and no arguments", "[telegram][command]") {
  const auto cmd = parse_command("/start", bot);
  REQUIRE(cmd);
  CHECK(cmd->name == "start");
  CHECK(cmd->args.empty());
}

TEST_CASE("a command's name is lower-cased and its arguments trimmed", "[telegram][command]") {
  const auto cmd = parse_command("/Offers   near  me  \n", bot);
  REQUIRE(cmd);
  CHECK(cmd->name == "offers");
  CHECK(cmd->args == "near  me");
}

TEST_CASE("a deep-link payload arrives as the arguments of /start", "[telegram][command]") {
  const auto cmd = parse_command("/start offer_42", bot);
  REQUIRE(cmd);
  CHECK(cmd->name == "start");
  CHECK(cmd->args == "offer_42");
}

TEST_CASE("arguments may start on the next line", "[telegram][command]") {
  const auto cmd = parse_command("/feedback\nGreat bread, thanks", bot);
  REQUIRE(cmd);
  CHECK(cmd->name == "feedback");
  CHECK(cmd->args == "Great bread, thanks");
}

TEST_CASE("an @suffix naming this bot is accepted in any case", "[telegram][command]") {
  const auto cmd = parse_command("/Start@lastcallbot payload", bot);
  REQUIRE(cmd);
  CHECK(cmd->name == "start");
  CHECK(cmd->args == "payload");

  const auto upper = parse_command("/help@LASTCALLBOT", bot);
  REQUIRE(upper);
  CHECK(upper->name == "help");
}

TEST_CASE("the bot's username may be given with a leading @", "[telegram][command]") {
  const auto cmd = parse_command("/help@LastCallBot", "@LastCallBot");
  REQUIRE(cmd);
  CHECK(cmd->name == "help");
}

TEST_CASE("a command addressed to another bot is not ours", "[telegram][command]") {
  CHECK_FALSE(parse_command("/start@OtherBot", bot));
  CHECK_FALSE(parse_command("/start@LastCallBot2 x", bot));
  CHECK_FALSE(parse_command("/start@", bot));
  // Without a known username no suffix can be matched.
  CHECK_FALSE(parse_command("/start@LastCallBot", ""));
}

TEST_CASE("only text that begins with a slash and a command name is a command",
          "[telegram][command]") {
  CHECK_FALSE(parse_command("", bot));
  CHECK_FALSE(parse_command("start", bot));
  CHECK_FALSE(parse_command("hello /start", bot));
  CHECK_FALSE(parse_command(" /start", bot));
  CHECK_FALSE(parse_command("/", bot));
  CHECK_FALSE(parse_command("/ start", bot));
  CHECK_FALSE(parse_command("/@LastCallBot", bot));
  CHECK_FALSE(parse_command("/usr/bin", bot));
  CHECK_FALSE(parse_command("/start-now", bot));
}

TEST_CASE("command names may hold digits and underscores", "[telegram][command]") {
  const auto cmd = parse_command("/my_offers2", bot);
  REQUIRE(cmd);
  CHECK(cmd->name == "my_offers2");
}

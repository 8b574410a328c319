#include <catch2/catch.hpp>
#include <cstdio>
#include <fstream>
#include <map>
#include <string>

#include "config/settings.hpp"

using namespace lastcall::config;

namespace {

// What loading settings from `env` stops with; empty when it does not stop.
std::string message_of(const std::map<std::string, std::string>& env) {
  try {
    load({}, env);
  } catch (const config_error& e) {
    return std::string(e.what());
  }
  return std::string();
}

// Whether `value` for `name` stops start-up with a line that names the setting.
bool refused_naming_it(const std::string& name, const std::string& value) {
  return message_of({{name, value}}).rfind("setting " + name + ":", 0) == 0;
}

}  // namespace

TEST_CASE("flags override the environment, which overrides the config file", "[unit][settings]") {
  std::string path = "settings_test.env";
  {
    std::ofstream f(path);
    f << "# comment\nPAGE_SIZE=3\nCURRENCY=\"USD\"\nADMIN_IDS=1,2\n";
  }
  std::vector<std::string> rest;
  auto s = load({"--config", path, "--page-size", "7", "--demo"},
                {{"CURRENCY", "EUR"}, {"HOME", "/root"}}, &rest);
  CHECK(s.page_size == 7);
  CHECK(s.currency == "EUR");
  CHECK(s.admin_ids == std::vector<int64_t>{1, 2});
  CHECK(s.is_admin(2));
  CHECK_FALSE(s.is_admin(3));
  CHECK(rest == std::vector<std::string>{"--demo"});
  std::remove(path.c_str());
}

TEST_CASE("a malformed value stops start-up with a line naming the setting", "[unit][settings]") {
  CHECK(message_of({{"PAGE_SIZE", "many"}}) == "setting PAGE_SIZE: must be a whole number");
  CHECK(refused_naming_it("ADMIN_IDS", "1,x"));
  CHECK(refused_naming_it("TELEGRAM_API_URL", "ftp://x"));
  CHECK(refused_naming_it("TIME_ZONE", "Mars"));
  CHECK(refused_naming_it("LOG_LEVEL", "loud"));
  CHECK(message_of({{"SCHEDULER_POLICY", "fifo"}}) ==
        "setting SCHEDULER_POLICY: must be sharing or stealing");
  CHECK(refused_naming_it("BOT_TOKEN_FILE", "/nonexistent/token"));
}

TEST_CASE("secrets can come from files and never appear in errors", "[unit][settings]") {
  std::string path = "settings_test.token";
  {
    std::ofstream f(path);
    f << "123:secret-token\n";
  }
  auto s = load({}, {{"BOT_TOKEN_FILE", path}});
  CHECK(s.bot_token == "123:secret-token");
  std::remove(path.c_str());
  try {
    load({}, {{"BOT_TOKEN", "123:secret-token"}, {"HTTP_PORT", "123:secret-token"}});
    FAIL("expected an error");
  } catch (const config_error& e) {
    CHECK(std::string(e.what()).find("secret") == std::string::npos);
  }
}

TEST_CASE("UTC offsets parse in the usual spellings", "[unit][settings]") {
  int m = 0;
  CHECK(parse_utc_offset("+05:00", m));
  CHECK(m == 300);
  CHECK(parse_utc_offset("UTC-3:30", m));
  CHECK(m == -210);
  CHECK(parse_utc_offset("UTC", m));
  CHECK(m == 0);
  CHECK_FALSE(parse_utc_offset("+25:00", m));
  CHECK_FALSE(parse_utc_offset("5", m));
}

TEST_CASE("outbound limits default to Telegram's and can be set by environment or flag",
          "[unit][settings][outbound]") {
  auto defaults = load({}, {});
  CHECK(defaults.outbound_global_per_second == 30);
  CHECK(defaults.outbound_chat_per_second == 1);
  CHECK(defaults.outbound_chat_burst == 3);
  CHECK(defaults.outbound_group_per_minute == 20);
  CHECK(defaults.outbound_max_queued == 20000);
  CHECK(defaults.outbound_max_attempts == 6);

  auto s = load({"--outbound-global-per-second", "25", "--outbound-chat-burst=1",
                 "--outbound-max-queued", "500"},
                {{"OUTBOUND_CHAT_PER_SECOND", "2"},
                 {"OUTBOUND_GROUP_PER_MINUTE", "0"},
                 {"OUTBOUND_MAX_ATTEMPTS", "3"},
                 {"OUTBOUND_GLOBAL_PER_SECOND", "10"}});
  CHECK(s.outbound_global_per_second == 25);  // the flag wins over the environment
  CHECK(s.outbound_chat_per_second == 2);
  CHECK(s.outbound_chat_burst == 1);
  CHECK(s.outbound_group_per_minute == 0);  // off
  CHECK(s.outbound_max_queued == 500);
  CHECK(s.outbound_max_attempts == 3);
}

TEST_CASE("outbound settings out of range name the setting", "[unit][settings][outbound]") {
  CHECK(refused_naming_it("OUTBOUND_CHAT_BURST", "0"));
  CHECK(refused_naming_it("OUTBOUND_MAX_QUEUED", "5"));
  CHECK(refused_naming_it("OUTBOUND_MAX_ATTEMPTS", "0"));
  CHECK(refused_naming_it("OUTBOUND_GLOBAL_PER_SECOND", "-1"));
}

TEST_CASE("settings: a webhook secret Telegram would refuse is refused at start", "[settings]") {
  using lastcall::config::config_error;
  CHECK_THROWS_AS(lastcall::config::load({}, {{"WEBHOOK_SECRET", "has space"}}), config_error);
  CHECK_THROWS_AS(lastcall::config::load({}, {{"WEBHOOK_SECRET", std::string(257, 'a')}}),
                  config_error);
  CHECK(lastcall::config::load({}, {{"WEBHOOK_SECRET", "Ab9_-x"}}).webhook_secret == "Ab9_-x");
  CHECK(lastcall::config::load({"--webhook", "https://bot.example/hook"}, {}).webhook_url ==
        "https://bot.example/hook");
}

TEST_CASE("snapshots go to the data folder unless SNAPSHOT_DIR says otherwise",
          "[unit][settings]") {
  CHECK(load({}, {}).snapshot_folder() == ".data/snapshots");
  CHECK(load({}, {{"DATA_DIR", "/var/lib/lastcall"}}).snapshot_folder() ==
        "/var/lib/lastcall/snapshots");
  CHECK(load({}, {{"DATA_DIR", "/var/lib/lastcall"}, {"SNAPSHOT_DIR", "/backups"}})
            .snapshot_folder() == "/backups");
}

TEST_CASE("settings: the bot's name is lastcall unless BOT_NAME says otherwise", "[settings]") {
  using lastcall::config::config_error;
  CHECK(lastcall::config::load({}, {}).bot_name == "lastcall");
  CHECK(lastcall::config::load({}, {{"BOT_NAME", "Tashkent Saver"}}).bot_name == "Tashkent Saver");
  CHECK_THROWS_AS(lastcall::config::load({}, {{"BOT_NAME", "  "}}), config_error);
  CHECK_THROWS_AS(lastcall::config::load({}, {{"BOT_NAME", std::string(65, 'a')}}), config_error);
}

TEST_CASE("Bot API calls are not pipelined unless BOT_API_PIPELINE_DEPTH says so", "[settings]") {
  CHECK(load({}, {}).bot_api_pipeline_depth == 1);
  CHECK(load({}, {{"BOT_API_PIPELINE_DEPTH", "8"}}).bot_api_pipeline_depth == 8);
  CHECK(refused_naming_it("BOT_API_PIPELINE_DEPTH", "0"));
  CHECK(refused_naming_it("BOT_API_PIPELINE_DEPTH", "17"));
}

// The settings file the Debian package installs (packaging/lastcall.conf) lists every setting the
// program reads, and nothing else: an operator finds each one there, commented with its default.

#include <algorithm>
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <regex>
#include <string>

#include "config/settings.hpp"

namespace {

// Keys named by the file's setting lines, "KEY=value" or switched off as "#KEY=value", with how
// often each is named. Prose comments start with "# " and name nothing.
std::map<std::string, int> keys_named_in(const std::string& path) {
  std::ifstream in(path);
  REQUIRE(in);
  static const std::regex setting_line("#?([A-Z][A-Z0-9_]*)=.*");
  std::map<std::string, int> named;
  std::string line;
  std::smatch match;
  while (std::getline(in, line))
    if (std::regex_match(line, match, setting_line)) ++named[match[1]];
  return named;
}

}  // namespace

TEST_CASE("the packaged settings file names every known setting once and nothing else",
          "[unit][settings][package]") {
  auto named = keys_named_in(LASTCALL_PACKAGED_SETTINGS_FILE);
  for (const auto& key : lastcall::config::known_keys()) {
    INFO("setting " << key);
    CHECK(named[key] == 1);  // 0: missing, more: named twice
    named.erase(key);
  }
  for (const auto& [key, times] : named) {
    INFO("packaging/lastcall.conf names " << key << ", which lastcall does not read");
    CHECK(false);
  }
}

TEST_CASE("the packaged settings file loads as it is", "[unit][settings][package]") {
  // Everything in it is switched off, so it changes nothing; it must never stop start-up.
  auto s = lastcall::config::load({"--config", LASTCALL_PACKAGED_SETTINGS_FILE}, {});
  CHECK(s.page_size == lastcall::config::settings{}.page_size);
}

TEST_CASE("known_keys lists the settings load() reads", "[unit][settings]") {
  auto keys = lastcall::config::known_keys();
  CHECK(std::is_sorted(keys.begin(), keys.end()));
  for (const char* key : {"BOT_TOKEN", "BOT_TOKEN_FILE", "DATABASE_URL", "DATA_DIR", "WEBHOOK"})
    CHECK(std::find(keys.begin(), keys.end(), key) != keys.end());
  CHECK(std::find(keys.begin(), keys.end(), "LASTCALL_CONFIG") == keys.end());
}

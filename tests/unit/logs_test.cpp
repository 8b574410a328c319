// Log lines as fields, and the keyed references that name users in them.

#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "logs/event.hpp"
#include "logs/setup.hpp"
#include "logs/user_reference.hpp"

using namespace lastcall;

namespace {

// Logs through `format` into a string for the test's lifetime, then puts the old logger back.
class captured_log {
 public:
  explicit captured_log(const std::string& format) : previous_(spdlog::default_logger()) {
    auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out_);
    sink->set_formatter(logs::line_formatter(format));
    auto logger = std::make_shared<spdlog::logger>("captured", sink);
    logger->set_level(spdlog::level::debug);
    spdlog::set_default_logger(logger);
  }
  ~captured_log() { spdlog::set_default_logger(previous_); }
  std::string text() const { return out_.str(); }

 private:
  std::ostringstream out_;
  std::shared_ptr<spdlog::logger> previous_;
};

std::filesystem::path fresh_folder(const std::string& name) {
  auto folder = std::filesystem::temp_directory_path() /
                ("lastcall-logs-test-" + name + "-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  return folder;
}

}  // namespace

TEST_CASE("a JSON line carries the event's fields and the user only by reference", "[logs]") {
  logs::set_user_reference_key("a key for the unit tests, long enough");
  std::string line;
  {
    captured_log log("json");
    logs::warn(logs::event("session", "commit_retry").update(41).user(5551234567),
               "commit failed ({}); retrying in {} ms", "timeout \"x\"", 200);
    line = log.text();
  }
  auto fields = nlohmann::json::parse(line);
  CHECK(fields["level"] == "warning");
  CHECK(fields["actor"] == "session");
  CHECK(fields["event"] == "commit_retry");
  CHECK(fields["update_id"] == 41);
  CHECK(fields["user"] == logs::user_reference(5551234567));
  CHECK(fields["msg"] == "commit failed (timeout \"x\"); retrying in 200 ms");
  CHECK(line.find("5551234567") == std::string::npos);
}

TEST_CASE("a line without update or user has no such fields, and a group chat is named as it is",
          "[logs]") {
  captured_log log("json");
  logs::info(logs::event("serve", "serving"), "serving");
  logs::info(logs::event("outbound", "throttled").chat(-1001234), "throttled");
  std::istringstream lines(log.text());
  std::string first, second;
  std::getline(lines, first);
  std::getline(lines, second);
  auto serving = nlohmann::json::parse(first);
  CHECK(serving["actor"] == "serve");
  CHECK_FALSE(serving.contains("update_id"));
  CHECK_FALSE(serving.contains("user"));
  auto throttled = nlohmann::json::parse(second);
  CHECK(throttled["chat"] == -1001234);
  CHECK_FALSE(throttled.contains("user"));
}

TEST_CASE("a text line names the event and the user's reference before the message", "[logs]") {
  logs::set_user_reference_key("a key for the unit tests, long enough");
  captured_log log("text");
  logs::info(logs::event("outbound", "chat_blocked").chat(987654321), "refuses messages");
  CHECK_THAT(log.text(), Catch::Contains("[outbound chat_blocked user=" +
                                         logs::user_reference(987654321) + "] refuses messages"));
  CHECK_THAT(log.text(), !Catch::Contains("987654321"));
}

TEST_CASE("a user's reference is stable under one key and differs under another", "[logs]") {
  logs::set_user_reference_key("the first key of this market");
  const auto first = logs::user_reference(42);
  CHECK(first == logs::user_reference(42));
  CHECK(first != logs::user_reference(43));
  CHECK(first.size() == 17);
  CHECK(first[0] == 'u');
  CHECK(first.find_first_not_of("0123456789abcdef", 1) == std::string::npos);
  logs::set_user_reference_key("another market's key entirely");
  CHECK(logs::user_reference(42) != first);
}

TEST_CASE("without a configured key, one is made once in the data folder and kept", "[logs]") {
  const auto folder = fresh_folder("made");
  const auto made = logs::user_reference_key("", folder.string());
  CHECK(made.size() == 64);
  const auto file = folder / "log-user-key";
  REQUIRE(std::filesystem::exists(file));
  struct stat info {};
  REQUIRE(::stat(file.c_str(), &info) == 0);
  CHECK((info.st_mode & 0777) == 0600);
  CHECK(logs::user_reference_key("", folder.string()) == made);  // the next start reads it
  CHECK(logs::user_reference_key("configured and long", folder.string()) == "configured and long");
  std::filesystem::remove_all(folder);
}

TEST_CASE("a stored key that is too short is refused rather than used", "[logs]") {
  const auto folder = fresh_folder("short");
  std::filesystem::create_directories(folder);
  std::ofstream(folder / "log-user-key") << "abc\n";
  CHECK_THROWS_WITH(logs::user_reference_key("", folder.string()), Catch::Contains("too short"));
  std::filesystem::remove_all(folder);
}

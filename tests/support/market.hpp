#pragma once
// End-to-end tests as conversations: a market is the real bot process, a fresh database and the
// sandbox Bot API; a chat_user talks to the bot through the sandbox the way a person does and reads
// what it answers.

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sandbox/server.hpp"
#include "tests/support/bot_process.hpp"
#include "tests/support/test_database.hpp"

namespace lastcall::testing {

// Generous: a test waits this long for an answer before it fails; it never asserts on speed.
constexpr std::chrono::milliseconds answer_timeout{20000};

struct market_options {
  std::string name;  // names the bot's log file
  std::vector<int64_t> admin_ids;
  std::map<std::string, std::string> env;  // extra settings for the bot
  bool start_bot = true;       // false: call start_bot() yourself, e.g. after seeding the database
  std::string admin_url = {};  // the server to make the database on; empty: PG_ADMIN_URL's
};

// The key under which every test market's bot names users in its log (LOG_USER_KEY).
constexpr char test_log_user_key[] = "the key of the lastcall tests' logs";

// How a test market's log names the user: "user=<reference>" as the text lines show it.
std::string logged_user(int64_t user_id);

class market {
 public:
  explicit market(std::string name, std::vector<int64_t> admin_ids = {},
                  std::map<std::string, std::string> env = {})
      : market(market_options{std::move(name), std::move(admin_ids), std::move(env)}) {}
  explicit market(market_options options);
  ~market();

  sandbox::world& world() { return server_->state(); }
  bot_process& bot() { return *bot_; }
  const std::string& database_url() const { return database_.url(); }
  const std::string& bot_token() const { return server_->token(); }

  void start_bot();
  // SIGTERM, and the exit code.
  int stop_bot();
  // SIGKILL: no chance to drain.
  void kill_bot();

  // One more `lastcall serve` on the same database and Bot API, with the same settings but for
  // `env`: a second node of the market (a standby while the first owns it).
  std::unique_ptr<bot_process> start_node(const std::string& name,
                                          const std::map<std::string, std::string>& env);

 private:
  std::map<std::string, std::string> bot_environment() const;

  market_options options_;
  tests::test_database database_;
  std::unique_ptr<sandbox::server> server_;
  std::unique_ptr<bot_process> bot_;
  int starts_ = 0;
};

class chat_user {
 public:
  chat_user(market& m, int64_t id, std::string first_name, std::string language_code = "en");

  int64_t id() const { return profile_.id; }
  const sandbox::user_profile& profile() const { return profile_; }

  // How many messages the bot has sent this user so far: pass to await_reply to wait for the next
  // one.
  size_t seen() const;

  // Sends text and returns the bot's first message after it (fails the test when none comes).
  sandbox::chat_message says(const std::string& text);
  // Sends text and waits for `count` new messages.
  std::vector<sandbox::chat_message> says_and_gets(const std::string& text, size_t count);
  sandbox::chat_message shares_location(double latitude, double longitude);
  sandbox::chat_message shares_contact(const std::string& phone);
  sandbox::chat_message sends_photo(const std::string& caption = "");

  // Taps a button by its callback data and returns the popup answer (fails when unanswered).
  sandbox::callback_answer taps(int64_t message_id, const std::string& data);
  // Taps the button labelled `label` (its text contains it) on the message.
  sandbox::callback_answer taps_button(const sandbox::chat_message& message,
                                       const std::string& label);

  // The bot message number `index` (0-based), waiting for it.
  sandbox::chat_message await_reply(size_t index);
  std::vector<sandbox::chat_message> messages() const;
  sandbox::chat_message message(int64_t message_id) const;

 private:
  market& market_;
  sandbox::user_profile profile_;
};

// The callback data of the button whose label contains `label`, or empty.
std::string button_data(const sandbox::chat_message& message, const std::string& label);
// All button labels of an inline keyboard or a reply keyboard, row by row.
std::vector<std::string> button_labels(const nlohmann::json& markup);

}  // namespace lastcall::testing

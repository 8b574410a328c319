#include "tests/support/market.hpp"

#include <csignal>
#include <sstream>

#include <catch2/catch.hpp>

#include "logs/user_reference.hpp"

namespace lastcall::testing {

market::market(market_options options)
    : options_(std::move(options)), database_(true, options_.admin_url) {
  server_ = std::make_unique<sandbox::server>(sandbox::server_options{});
  server_->start("127.0.0.1", 0);
  if (options_.start_bot) start_bot();
}

std::string logged_user(int64_t user_id) {
  logs::set_user_reference_key(test_log_user_key);
  return "user=" + logs::user_reference(user_id);
}

market::~market() {
  bot_.reset();  // kills a bot still running
  server_->stop();
}

std::map<std::string, std::string> market::bot_environment() const {
  std::map<std::string, std::string> env = {
      {"BOT_TOKEN", server_->token()},
      {"TELEGRAM_API_URL", server_->base_url()},
      {"DATABASE_URL", database_.url()},
      {"POLL_TIMEOUT_SECONDS", "2"},
      {"LOG_LEVEL", "debug"},
      {"WORKER_THREADS", "2"},
      // Scripted users act faster than people; the flood-control test switches it on.
      {"FLOOD_UPDATES_PER_SECOND", "0"},
      {"LOG_USER_KEY", test_log_user_key},
      // A loaded test machine can take seconds to commit; only the outage tests want the notice.
      {"NOT_CONFIRMED_NOTICE_SECONDS", "120"},
  };
  std::ostringstream admins;
  for (size_t i = 0; i < options_.admin_ids.size(); ++i)
    admins << (i ? "," : "") << options_.admin_ids[i];
  env["ADMIN_IDS"] = admins.str();
  for (auto& [k, v] : options_.env) env[k] = v;
  return env;
}

void market::start_bot() {
  auto name = options_.name.empty() ? std::string("bot") : options_.name;
  if (starts_++ > 0) name += "-" + std::to_string(starts_);
  bot_ = std::make_unique<bot_process>(std::vector<std::string>{"serve"}, bot_environment(), name);
}

std::unique_ptr<bot_process> market::start_node(const std::string& name,
                                                const std::map<std::string, std::string>& env) {
  auto all = bot_environment();
  for (const auto& [k, v] : env) all[k] = v;
  return std::make_unique<bot_process>(
      std::vector<std::string>{"serve"}, all,
      (options_.name.empty() ? "bot" : options_.name) + "-" + name);
}

int market::stop_bot() {
  return bot_->stop();
}

void market::kill_bot() {
  bot_->signal(SIGKILL);
  bot_->wait(10000);
}

chat_user::chat_user(market& m, int64_t id, std::string first_name, std::string language_code)
    : market_(m) {
  profile_.id = id;
  profile_.first_name = std::move(first_name);
  profile_.language_code = std::move(language_code);
}

size_t chat_user::seen() const {
  return market_.world().bot_message_count(profile_.id);
}

sandbox::chat_message chat_user::await_reply(size_t index) {
  auto message = market_.world().wait_for_bot_message(profile_.id, index, answer_timeout);
  if (!message) {
    FAIL_CHECK("user " << profile_.id << " got no bot message #" << index
                       << "; bot log: " << market_.bot().log_path());
    throw std::runtime_error("no answer from the bot");
  }
  return *message;
}

sandbox::chat_message chat_user::says(const std::string& text) {
  auto before = seen();
  market_.world().send_text(profile_, text);
  return await_reply(before);
}

std::vector<sandbox::chat_message> chat_user::says_and_gets(const std::string& text, size_t count) {
  auto before = seen();
  market_.world().send_text(profile_, text);
  std::vector<sandbox::chat_message> result;
  for (size_t i = 0; i < count; ++i) result.push_back(await_reply(before + i));
  return result;
}

sandbox::chat_message chat_user::shares_location(double latitude, double longitude) {
  auto before = seen();
  market_.world().send_location(profile_, latitude, longitude);
  return await_reply(before);
}

sandbox::chat_message chat_user::shares_contact(const std::string& phone) {
  auto before = seen();
  market_.world().send_contact(profile_, phone, profile_.first_name);
  return await_reply(before);
}

sandbox::chat_message chat_user::sends_photo(const std::string& caption) {
  auto before = seen();
  market_.world().send_photo(profile_, caption);
  return await_reply(before);
}

sandbox::callback_answer chat_user::taps(int64_t message_id, const std::string& data) {
  auto tap = market_.world().tap(profile_, message_id, data);
  auto answer = market_.world().wait_for_answer(tap.callback_query_id, answer_timeout);
  if (!answer || !answer->answered) {
    FAIL_CHECK("the tap on '" << data
                              << "' was not answered; bot log: " << market_.bot().log_path());
    throw std::runtime_error("unanswered callback");
  }
  return *answer;
}

sandbox::callback_answer chat_user::taps_button(const sandbox::chat_message& message,
                                                const std::string& label) {
  auto data = button_data(message, label);
  if (data.empty()) {
    FAIL_CHECK("no button '" << label << "' on message: " << message.text);
    throw std::runtime_error("no such button");
  }
  return taps(message.message_id, data);
}

std::vector<sandbox::chat_message> chat_user::messages() const {
  return market_.world().bot_messages(profile_.id);
}

sandbox::chat_message chat_user::message(int64_t message_id) const {
  auto m = market_.world().message(profile_.id, message_id);
  if (!m) throw std::runtime_error("no such message");
  return *m;
}

std::string button_data(const sandbox::chat_message& message, const std::string& label) {
  const auto& markup = message.reply_markup;
  if (!markup.is_object() || !markup.contains("inline_keyboard")) return "";
  for (const auto& row : markup["inline_keyboard"])
    for (const auto& button : row)
      if (button.value("text", "").find(label) != std::string::npos)
        return button.value("callback_data", "");
  return "";
}

std::vector<std::string> button_labels(const nlohmann::json& markup) {
  std::vector<std::string> labels;
  if (!markup.is_object()) return labels;
  for (const char* kind : {"inline_keyboard", "keyboard"}) {
    if (!markup.contains(kind)) continue;
    for (const auto& row : markup[kind])
      for (const auto& button : row)
        labels.push_back(button.is_string() ? button.get<std::string>() : button.value("text", ""));
  }
  return labels;
}

}  // namespace lastcall::testing

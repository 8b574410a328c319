#include "sandbox/world.hpp"

#include <utility>

#include "sandbox/bot_api_json.hpp"
#include "sandbox/bot_api_rules.hpp"

namespace lastcall::sandbox {

world::world(world_options options)
    : bot_(std::move(options.bot)),
      updates_(signal_, options.first_update_id),
      chats_(signal_, updates_, bot_),
      webhook_(signal_, updates_),
      menu_(signal_),
      admission_(signal_, options.limits, std::move(options.clock)) {}

// ---- Acting as users

int64_t world::send_text(const user_profile& user, const std::string& text) {
  return chats_.send_text(user, text);
}

int64_t world::send_location(const user_profile& user, double latitude, double longitude) {
  return chats_.send_location(user, latitude, longitude);
}

int64_t world::send_contact(const user_profile& user, const std::string& phone,
                            const std::string& first_name) {
  return chats_.send_contact(user, phone, first_name);
}

int64_t world::send_photo(const user_profile& user, const std::string& caption) {
  return chats_.send_photo(user, caption);
}

sent_photo world::send_photo_file(const user_profile& user, const std::string& caption,
                                  photo_file image) {
  return chats_.send_photo_file(user, caption, std::move(image));
}

tap_result world::tap(const user_profile& user, int64_t message_id, const std::string& data) {
  return chats_.tap(user, message_id, data);
}

int64_t world::inject_raw_update(nlohmann::json update) {
  return updates_.add_raw(std::move(update));
}

int64_t world::inject_update_with_id(nlohmann::json update) {
  return updates_.add_with_id(std::move(update));
}

void world::block_bot(int64_t user_id) {
  chats_.block_bot(user_id);
}

void world::unblock_bot(int64_t user_id) {
  chats_.unblock_bot(user_id);
}

void world::open_chat_with(const user_profile& user) {
  chats_.open_chat_with(user);
}

// ---- Reading

std::vector<chat_message> world::chat(int64_t chat_id) const {
  return chats_.history(chat_id);
}

std::vector<chat_message> world::bot_messages(int64_t chat_id) const {
  return chats_.bot_messages(chat_id);
}

size_t world::bot_message_count(int64_t chat_id) const {
  return chats_.bot_message_count(chat_id);
}

std::optional<chat_message> world::message(int64_t chat_id, int64_t message_id) const {
  return chats_.message(chat_id, message_id);
}

std::optional<user_profile> world::user(int64_t user_id) const {
  return chats_.user(user_id);
}

bool world::is_blocked(int64_t user_id) const {
  return chats_.is_blocked(user_id);
}

std::optional<callback_answer> world::answer(const std::string& query_id) const {
  return chats_.answer(query_id);
}

nlohmann::json world::reply_keyboard(int64_t chat_id) const {
  return chats_.reply_keyboard(chat_id);
}

std::vector<std::string> world::my_commands(const std::string& language_code,
                                            int64_t chat_id) const {
  return menu_.command_names(chat_id, language_code);
}

nlohmann::json world::menu_button(int64_t chat_id) const {
  return menu_.menu_button(chat_id);
}

webhook_settings world::webhook() const {
  return webhook_.settings();
}

std::optional<photo_file> world::photo_file_of(const std::string& file_id) const {
  return chats_.photo_file_of(file_id);
}

uint64_t world::chat_revision(int64_t chat_id) const {
  return chats_.revision(chat_id);
}

std::map<std::string, uint64_t> world::method_calls() const {
  return admission_.method_calls();
}

uint64_t world::calls(const std::string& method) const {
  return admission_.calls(method);
}

uint64_t world::rate_limited_count() const {
  return admission_.rate_limited_count();
}

size_t world::pending_updates() const {
  return updates_.size();
}

std::vector<nlohmann::json> world::pending_update_list() const {
  return updates_.bodies();
}

size_t world::waiting_polls() const {
  return updates_.waiting_polls();
}

poll_figures world::polls() const {
  return updates_.figures();
}

nlohmann::json world::stats() const {
  auto result = admission_.stats();
  const auto polls = updates_.figures();
  result["pending_updates"] = updates_.size();
  result["waiting_polls"] = updates_.waiting_polls();
  result["get_updates"] = {{"answers", polls.answers},
                           {"empty_answers", polls.empty_answers},
                           {"delivered", polls.delivered},
                           {"first_deliveries", polls.first_deliveries}};
  result["chats"] = chats_.count();
  return result;
}

nlohmann::json world::bot_settings() const {
  auto result = menu_.settings();
  result["bot"] = bot_user_json(bot_);
  result["webhook"] = webhook_.info();
  return result;
}

// ---- Webhook delivery

uint64_t world::webhook_deliveries() const {
  return webhook_.deliveries();
}

uint64_t world::webhook_failures() const {
  return webhook_.failures();
}

// ---- Waiting

bool world::wait_until(const std::function<bool()>& predicate,
                       std::chrono::milliseconds timeout) const {
  return signal_.wait_until(predicate, timeout);
}

std::optional<chat_message> world::wait_for_bot_message(int64_t chat_id, size_t after_count,
                                                        std::chrono::milliseconds timeout) const {
  std::optional<chat_message> found;
  wait_until(
      [&] {
        found = chats_.bot_message_after(chat_id, after_count);
        return found.has_value();
      },
      timeout);
  return found;
}

std::optional<callback_answer> world::wait_for_answer(const std::string& query_id,
                                                      std::chrono::milliseconds timeout) const {
  std::optional<callback_answer> found;
  wait_until(
      [&] {
        found = chats_.answer(query_id);
        if (found && !found->answered) found.reset();
        return found.has_value();
      },
      timeout);
  return found;
}

std::map<int64_t, uint64_t> world::wait_for_chat_changes(const std::map<int64_t, uint64_t>& known,
                                                         std::chrono::milliseconds timeout) const {
  const auto differs = [&] {
    for (const auto& [chat_id, revision] : known) {
      if (chats_.revision(chat_id) != revision) return true;
    }
    return false;
  };
  wait_until([&] { return signal_.closed() || differs(); }, timeout);
  std::map<int64_t, uint64_t> revisions;
  for (const auto& entry : known) revisions[entry.first] = chats_.revision(entry.first);
  return revisions;
}

// ---- Faults and bookkeeping

void world::set_rate_limits(rate_limits limits) {
  admission_.set_rate_limits(limits);
}

fault_decision world::admit(const std::string& method, bool flood_controlled, int64_t chat_id) {
  return admission_.admit(method, flood_controlled, chat_id);
}

void world::set_faults(fault_plan plan) {
  admission_.set_faults(std::move(plan));
}

fault_plan world::fault_settings() const {
  return admission_.fault_settings();
}

std::map<std::string, uint64_t> world::injected_faults() const {
  return admission_.injected_faults();
}

void world::record_error(int error_code) {
  admission_.record_error(error_code);
}

void world::close() {
  signal_.close();
}

void world::reopen() {
  signal_.reopen();
}

// ---- Bot API methods

nlohmann::json world::bot_get_me() const {
  auto me = bot_user_json(bot_);
  me["can_join_groups"] = true;
  me["can_read_all_group_messages"] = false;
  me["supports_inline_queries"] = false;
  return me;
}

void world::bot_set_chat_menu_button(int64_t chat_id, const nlohmann::json& menu_button) {
  auto button = parse_menu_button(menu_button);
  if (chat_id != 0) chats_.require_chat(chat_id);
  menu_.set_menu_button(chat_id, std::move(button));
}

}  // namespace lastcall::sandbox

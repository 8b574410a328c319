#include "telegram/requests.hpp"

namespace lastcall::telegram {
namespace {

api_call make_call(std::string method, nlohmann::json params, int64_t chat_id,
                   call_priority priority) {
  api_call call;
  call.method = std::move(method);
  call.params = std::move(params);
  call.chat_id = chat_id;
  call.priority = priority;
  return call;
}

void set_markup(nlohmann::json& params, nlohmann::json reply_markup) {
  if (!reply_markup.is_null()) params["reply_markup"] = std::move(reply_markup);
}

nlohmann::json command_list(std::vector<std::pair<std::string, std::string>> commands) {
  nlohmann::json list = nlohmann::json::array();
  for (auto& [name, description] : commands)
    list.push_back({{"command", std::move(name)}, {"description", std::move(description)}});
  return list;
}

nlohmann::json chat_scope(int64_t chat_id) {
  return {{"type", "chat"}, {"chat_id", chat_id}};
}

}  // namespace

api_call send_message(int64_t chat_id, std::string text, nlohmann::json reply_markup,
                      call_priority priority) {
  nlohmann::json params = {{"chat_id", chat_id}, {"text", std::move(text)}};
  set_markup(params, std::move(reply_markup));
  return make_call("sendMessage", std::move(params), chat_id, priority);
}

api_call send_photo(int64_t chat_id, std::string file_id, std::string caption,
                    nlohmann::json reply_markup, call_priority priority) {
  nlohmann::json params = {{"chat_id", chat_id}, {"photo", std::move(file_id)}};
  if (!caption.empty()) params["caption"] = std::move(caption);
  set_markup(params, std::move(reply_markup));
  return make_call("sendPhoto", std::move(params), chat_id, priority);
}

api_call send_venue(int64_t chat_id, double latitude, double longitude, std::string title,
                    std::string address, call_priority priority) {
  nlohmann::json params = {{"chat_id", chat_id},
                           {"latitude", latitude},
                           {"longitude", longitude},
                           {"title", std::move(title)},
                           {"address", std::move(address)}};
  return make_call("sendVenue", std::move(params), chat_id, priority);
}

api_call edit_message_text(int64_t chat_id, int64_t message_id, std::string text,
                           nlohmann::json reply_markup, call_priority priority) {
  nlohmann::json params = {
      {"chat_id", chat_id}, {"message_id", message_id}, {"text", std::move(text)}};
  set_markup(params, std::move(reply_markup));
  return make_call("editMessageText", std::move(params), chat_id, priority);
}

api_call edit_message_reply_markup(int64_t chat_id, int64_t message_id, nlohmann::json reply_markup,
                                   call_priority priority) {
  nlohmann::json params = {{"chat_id", chat_id}, {"message_id", message_id}};
  set_markup(params, std::move(reply_markup));
  return make_call("editMessageReplyMarkup", std::move(params), chat_id, priority);
}

api_call answer_callback_query(const std::string& query_id, const std::string& text,
                               bool show_alert) {
  nlohmann::json params = {{"callback_query_id", query_id}};
  if (!text.empty()) params["text"] = text;
  if (show_alert) params["show_alert"] = true;
  return make_call("answerCallbackQuery", std::move(params), 0, call_priority::callback_answer);
}

api_call set_my_commands(std::vector<std::pair<std::string, std::string>> commands,
                         const std::string& language_code) {
  nlohmann::json params = {{"commands", command_list(std::move(commands))}};
  if (!language_code.empty()) params["language_code"] = language_code;
  return make_call("setMyCommands", std::move(params), 0, call_priority::interactive);
}

api_call set_chat_commands(int64_t chat_id,
                           std::vector<std::pair<std::string, std::string>> commands,
                           const std::string& language_code) {
  nlohmann::json params = {{"commands", command_list(std::move(commands))},
                           {"scope", chat_scope(chat_id)}};
  if (!language_code.empty()) params["language_code"] = language_code;
  return make_call("setMyCommands", std::move(params), chat_id, call_priority::bulk);
}

api_call delete_chat_commands(int64_t chat_id, const std::string& language_code) {
  nlohmann::json params = {{"scope", chat_scope(chat_id)}};
  if (!language_code.empty()) params["language_code"] = language_code;
  return make_call("deleteMyCommands", std::move(params), chat_id, call_priority::bulk);
}

api_call set_chat_menu_button_commands() {
  return make_call("setChatMenuButton", {{"menu_button", {{"type", "commands"}}}}, 0,
                   call_priority::interactive);
}

api_call delete_webhook(bool drop_pending) {
  return make_call("deleteWebhook", {{"drop_pending_updates", drop_pending}}, 0,
                   call_priority::interactive);
}

api_call set_webhook(const std::string& url, const std::string& secret_token,
                     const std::vector<std::string>& allowed_updates, int max_connections) {
  return make_call("setWebhook",
                   {{"url", url},
                    {"secret_token", secret_token},
                    {"allowed_updates", allowed_updates},
                    {"max_connections", max_connections}},
                   0, call_priority::interactive);
}

api_call get_me() {
  return make_call("getMe", nlohmann::json::object(), 0, call_priority::interactive);
}

api_call get_updates(int64_t offset, int timeout_seconds, int limit,
                     std::vector<std::string> allowed_updates) {
  return make_call("getUpdates",
                   {{"offset", offset},
                    {"timeout", timeout_seconds},
                    {"limit", limit},
                    {"allowed_updates", std::move(allowed_updates)}},
                   0, call_priority::interactive);
}

}  // namespace lastcall::telegram

#include "sandbox/bot_api_methods.hpp"

#include <algorithm>

#include "logs/event.hpp"
#include "sandbox/bot_api_error.hpp"
#include "sandbox/bot_api_json.hpp"
#include "sandbox/bot_api_rules.hpp"
#include "telegram/ascii_case.hpp"

namespace lastcall::sandbox {

namespace {

// Long polls beyond this are cut short; it also keeps deadline arithmetic far from overflow.
constexpr int64_t max_poll_timeout_seconds = 3600;

struct method_result {
  nlohmann::json result;
  std::string description;  // Telegram adds one to a few successes ("Webhook was set")
};

using method_function = method_result (*)(world&, const request_params&);

struct method_entry {
  const char* name;
  bool flood_controlled;  // the sending and editing methods
  method_function run;
};

// A chat_id that is no integer (e.g. "@username", which private chats do not have) names no chat we
// know.
int64_t chat_id_of(const request_params& params) {
  try {
    return params.integer("chat_id").value_or(0);
  } catch (const bot_api_error&) {
    throw bad_request("chat not found");
  }
}

int64_t message_id_of(const request_params& params) {
  return params.integer("message_id").value_or(0);
}

method_result get_me(world& state, const request_params&) {
  return {state.bot_get_me(), {}};
}

method_result get_updates(world& state, const request_params& params) {
  get_updates_request request;
  request.offset = params.integer("offset").value_or(0);
  request.limit =
      static_cast<int>(std::clamp<int64_t>(params.integer("limit").value_or(100), 1, 100));
  const auto timeout =
      std::clamp<int64_t>(params.integer("timeout").value_or(0), 0, max_poll_timeout_seconds);
  request.timeout = std::chrono::seconds(timeout);
  if (params.has("allowed_updates")) {
    request.allowed_updates = parse_allowed_updates(params.raw("allowed_updates"));
  }
  return {state.updates().poll(request), {}};
}

method_result send_message(world& state, const request_params& params) {
  return {state.chats().bot_send_message(chat_id_of(params), params.string("text"),
                                         params.raw("reply_markup")),
          {}};
}

method_result send_photo(world& state, const request_params& params) {
  return {state.chats().bot_send_photo(chat_id_of(params), params.string("photo"),
                                       params.string("caption"), params.raw("reply_markup")),
          {}};
}

method_result send_venue(world& state, const request_params& params) {
  return {state.chats().bot_send_venue(chat_id_of(params), params.number("latitude"),
                                       params.number("longitude"), params.string("title"),
                                       params.string("address")),
          {}};
}

method_result edit_message_text(world& state, const request_params& params) {
  return {state.chats().bot_edit_message_text(chat_id_of(params), message_id_of(params),
                                              params.string("text"), params.raw("reply_markup")),
          {}};
}

method_result edit_message_caption(world& state, const request_params& params) {
  return {
      state.chats().bot_edit_message_caption(chat_id_of(params), message_id_of(params),
                                             params.string("caption"), params.raw("reply_markup")),
      {}};
}

method_result edit_message_reply_markup(world& state, const request_params& params) {
  return {state.chats().bot_edit_message_reply_markup(chat_id_of(params), message_id_of(params),
                                                      params.raw("reply_markup")),
          {}};
}

method_result answer_callback_query(world& state, const request_params& params) {
  state.chats().bot_answer_callback_query(params.string("callback_query_id"), params.string("text"),
                                          params.boolean("show_alert"), params.string("url"));
  return {true, {}};
}

method_result send_chat_action(world& state, const request_params& params) {
  state.chats().bot_send_chat_action(chat_id_of(params));
  return {true, {}};
}

// The scope, read and checked as Telegram does: its form first, then the language, then that its
// chat exists.
command_scope scope_of(world& state, const request_params& params) {
  auto scope = parse_command_scope(params.raw("scope"));
  check_language_code(params.string("language_code"));
  if (scope.chat_id != 0) state.chats().require_chat(scope.chat_id);
  return scope;
}

method_result set_my_commands(world& state, const request_params& params) {
  const auto scope = scope_of(state, params);
  state.menu().set_commands(scope, params.raw("commands"), params.string("language_code"));
  return {true, {}};
}

method_result delete_my_commands(world& state, const request_params& params) {
  const auto scope = scope_of(state, params);
  state.menu().delete_commands(scope, params.string("language_code"));
  return {true, {}};
}

method_result get_my_commands(world& state, const request_params& params) {
  const auto scope = scope_of(state, params);
  return {state.menu().commands(scope, params.string("language_code")), {}};
}

method_result set_chat_menu_button(world& state, const request_params& params) {
  state.bot_set_chat_menu_button(chat_id_of(params), params.raw("menu_button"));
  return {true, {}};
}

method_result get_chat_menu_button(world& state, const request_params& params) {
  return {state.menu().menu_button(chat_id_of(params)), {}};
}

method_result set_webhook(world& state, const request_params& params) {
  webhook_settings settings;
  settings.url = params.string("url");
  settings.secret_token = params.string("secret_token");
  if (params.has("allowed_updates")) {
    settings.allowed_updates = parse_allowed_updates(params.raw("allowed_updates"));
  }
  settings.max_connections =
      static_cast<int>(std::clamp<int64_t>(params.integer("max_connections").value_or(40), 1, 100));
  auto description = state.webhook_delivery().set(settings, params.boolean("drop_pending_updates"));
  return {true, std::move(description)};
}

method_result delete_webhook(world& state, const request_params& params) {
  return {true, state.webhook_delivery().remove(params.boolean("drop_pending_updates"))};
}

method_result get_webhook_info(world& state, const request_params&) {
  return {state.webhook_delivery().info(), {}};
}

const method_entry methods[] = {
    {"getMe", false, get_me},
    {"getUpdates", false, get_updates},
    {"sendMessage", true, send_message},
    {"sendPhoto", true, send_photo},
    {"sendVenue", true, send_venue},
    {"editMessageText", true, edit_message_text},
    {"editMessageCaption", true, edit_message_caption},
    {"editMessageReplyMarkup", true, edit_message_reply_markup},
    {"answerCallbackQuery", false, answer_callback_query},
    {"sendChatAction", false, send_chat_action},
    {"setMyCommands", false, set_my_commands},
    {"deleteMyCommands", false, delete_my_commands},
    {"getMyCommands", false, get_my_commands},
    {"setChatMenuButton", false, set_chat_menu_button},
    {"getChatMenuButton", false, get_chat_menu_button},
    {"setWebhook", false, set_webhook},
    {"deleteWebhook", false, delete_webhook},
    {"getWebhookInfo", false, get_webhook_info},
};

const method_entry* find_method(const std::string& name) {
  for (const auto& entry : methods) {
    if (telegram::same_ignoring_ascii_case(name, entry.name)) return &entry;
  }
  return nullptr;
}

}  // namespace

bot_api_reply serve_bot_api_call(world& state, const std::string& expected_token,
                                 const std::string& token, const std::string& method,
                                 const std::function<request_params()>& read_params) {
  const method_entry* entry = nullptr;
  try {
    if (token != expected_token) throw unauthorized();
    entry = find_method(method);
    if (entry == nullptr) throw not_found();
    const auto params = read_params();
    const auto fault = state.admit(entry->name, entry->flood_controlled,
                                   entry->flood_controlled ? params.integer_or_zero("chat_id") : 0);
    if (fault.kind == fault_kind::drop_connection || fault.kind == fault_kind::malformed_body) {
      logs::debug(logs::event("sandbox", "fault"), "sandbox: {} meets {}", entry->name,
                  fault_name(fault.kind));
      return {200, nullptr, fault};
    }
    auto outcome = entry->run(state, params);
    nlohmann::json body = {{"ok", true}, {"result", std::move(outcome.result)}};
    if (!outcome.description.empty()) body["description"] = outcome.description;
    logs::debug(logs::event("sandbox", "answered"), "sandbox: {} answered", entry->name);
    return {200, std::move(body), fault};
  } catch (const bot_api_error& error) {
    state.record_error(error.code());
    // Only names from our table are logged: the path is the client's and may hold anything.
    logs::debug(logs::event("sandbox", "failed"), "sandbox: {} failed with {}",
                entry ? entry->name : "a request", error.code());
    return {error.code(), error_json(error), {}};
  }
}

}  // namespace lastcall::sandbox

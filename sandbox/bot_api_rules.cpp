#include "sandbox/bot_api_rules.hpp"

#include <cctype>

#include "sandbox/bot_api_error.hpp"
#include "sandbox/request_params.hpp"

namespace lastcall::sandbox {

namespace {

// Decodes a parameter that may be a JSON document in a string. "" means absent, like a missing
// parameter.
nlohmann::json structured(const nlohmann::json& raw, const std::string& parse_error) {
  if (!raw.is_string()) return raw;
  const auto& text = raw.get_ref<const std::string&>();
  if (text.empty()) return nullptr;
  auto parsed = nlohmann::json::parse(text, nullptr, false);
  if (parsed.is_discarded()) throw bad_request(parse_error);
  return parsed;
}

bool is_word_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
}

const char* const inline_button_actions[] = {"url",
                                             "callback_data",
                                             "web_app",
                                             "login_url",
                                             "switch_inline_query",
                                             "switch_inline_query_current_chat",
                                             "switch_inline_query_chosen_chat",
                                             "copy_text",
                                             "callback_game",
                                             "pay"};

void check_inline_button(const nlohmann::json& button) {
  if (!button.is_object()) {
    throw bad_request("can't parse inline keyboard button: InlineKeyboardButton must be an Object");
  }
  const auto text = button.find("text");
  if (text == button.end() || !text->is_string()) {
    throw bad_request("can't parse inline keyboard button: Field \"text\" must be of type String");
  }
  bool has_action = false;
  for (const char* action : inline_button_actions)
    has_action = has_action || button.contains(action);
  if (!has_action) {
    throw bad_request(
        "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
  }
  const auto data = button.find("callback_data");
  if (data == button.end()) return;
  if (!data->is_string()) {
    throw bad_request(
        "can't parse inline keyboard button: Field \"callback_data\" must be of type String");
  }
  const auto bytes = data->get_ref<const std::string&>().size();
  if (bytes == 0 || bytes > max_callback_data_bytes) throw bad_request("BUTTON_DATA_INVALID");
}

// Returns false when the keyboard has no button at all.
bool check_inline_keyboard(const nlohmann::json& rows) {
  const char* const not_array =
      "field \"inline_keyboard\" of the InlineKeyboardMarkup must be an Array";
  if (!rows.is_array()) throw bad_request(not_array);
  bool any = false;
  for (const auto& row : rows) {
    if (!row.is_array()) throw bad_request(not_array);
    for (const auto& button : row) {
      check_inline_button(button);
      any = true;
    }
  }
  return any;
}

void check_reply_keyboard(const nlohmann::json& rows) {
  const char* const not_array = "field \"keyboard\" of the ReplyKeyboardMarkup must be an Array";
  if (!rows.is_array()) throw bad_request(not_array);
  for (const auto& row : rows) {
    if (!row.is_array()) throw bad_request(not_array);
    for (const auto& button : row) {
      const bool plain = button.is_string();
      const bool with_text =
          button.is_object() && button.contains("text") && button["text"].is_string();
      if (!plain && !with_text) {
        throw bad_request("can't parse keyboard button: Field \"text\" must be of type String");
      }
    }
  }
}

bool is_true(const nlohmann::json& markup, const char* field) {
  const auto it = markup.find(field);
  return it != markup.end() && it->is_boolean() && it->get<bool>();
}

bool valid_command_name(const std::string& command) {
  if (command.empty() || command.size() > max_command_length) return false;
  for (char c : command) {
    const bool lower = c >= 'a' && c <= 'z';
    const bool digit = c >= '0' && c <= '9';
    if (!lower && !digit && c != '_') return false;
  }
  return true;
}

}  // namespace

size_t utf8_length(const std::string& text) {
  size_t count = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++count;  // every byte but a continuation byte starts a code point
  }
  return count;
}

bool is_blank(const std::string& text) {
  for (unsigned char c : text) {
    if (!std::isspace(c)) return false;
  }
  return true;
}

void check_message_text(const std::string& text) {
  if (is_blank(text)) throw bad_request("message text is empty");
  if (utf8_length(text) > max_text_length) throw bad_request("message is too long");
}

void check_caption(const std::string& caption) {
  if (utf8_length(caption) > max_caption_length) throw bad_request("message caption is too long");
}

bool is_inline_keyboard(const nlohmann::json& markup) {
  return markup.is_object() && markup.contains("inline_keyboard");
}

bool is_reply_keyboard(const nlohmann::json& markup) {
  return markup.is_object() && markup.contains("keyboard");
}

bool removes_keyboard(const nlohmann::json& markup) {
  return markup.is_object() && is_true(markup, "remove_keyboard");
}

nlohmann::json parse_reply_markup(const nlohmann::json& raw) {
  const char* const unparsable = "can't parse reply keyboard markup JSON object";
  auto markup = structured(raw, unparsable);
  if (markup.is_null()) return nullptr;
  if (!markup.is_object()) throw bad_request(unparsable);
  if (markup.contains("inline_keyboard")) {
    return check_inline_keyboard(markup["inline_keyboard"]) ? markup : nlohmann::json();
  }
  if (markup.contains("keyboard")) {
    check_reply_keyboard(markup["keyboard"]);
    return markup;
  }
  if (is_true(markup, "remove_keyboard") || is_true(markup, "force_reply")) return markup;
  throw bad_request(unparsable);
}

nlohmann::json parse_inline_markup(const nlohmann::json& raw) {
  auto markup = parse_reply_markup(raw);
  if (!markup.is_null() && !is_inline_keyboard(markup))
    throw bad_request("inline keyboard expected");
  return markup;
}

nlohmann::json parse_commands(const nlohmann::json& raw) {
  const char* const unparsable = "can't parse commands JSON object";
  const auto commands = structured(raw, unparsable);
  if (commands.is_null()) throw bad_request("parameter \"commands\" is required");
  if (!commands.is_array()) throw bad_request(unparsable);
  auto result = nlohmann::json::array();
  for (const auto& entry : commands) {
    if (!entry.is_object() || !entry.contains("command") || !entry["command"].is_string() ||
        !entry.contains("description") || !entry["description"].is_string()) {
      throw bad_request(unparsable);
    }
    const auto& command = entry["command"].get_ref<const std::string&>();
    const auto& description = entry["description"].get_ref<const std::string&>();
    if (!valid_command_name(command)) throw bad_request("BOT_COMMAND_INVALID");
    const auto description_length = utf8_length(description);
    if (description_length == 0 || description_length > max_command_description_length) {
      throw bad_request("BOT_COMMAND_DESCRIPTION_INVALID");
    }
    result.push_back({{"command", command}, {"description", description}});
  }
  return result;
}

std::string command_scope::key() const {
  return type == "chat" ? "chat:" + std::to_string(chat_id) : type;
}

command_scope parse_command_scope(const nlohmann::json& raw) {
  const std::string prefix = "can't parse BotCommandScope: ";
  const auto scope = structured(raw, prefix + "Can't parse JSON object");
  command_scope result;
  if (scope.is_null()) return result;
  if (!scope.is_object()) throw bad_request(prefix + "Object expected");
  const auto type = scope.find("type");
  if (type == scope.end() || !type->is_string())
    throw bad_request(prefix + "Can't find field \"type\"");
  result.type = type->get<std::string>();
  if (result.type == "default" || result.type == "all_private_chats" ||
      result.type == "all_group_chats" || result.type == "all_chat_administrators")
    return result;
  if (result.type != "chat" && result.type != "chat_administrators" && result.type != "chat_member")
    throw bad_request(prefix + "Unsupported type specified");
  const auto chat = scope.find("chat_id");
  if (chat == scope.end() || chat->is_null())
    throw bad_request(prefix + "Can't find field \"chat_id\"");
  if (chat->is_number_integer()) {
    result.chat_id = chat->get<int64_t>();
  } else if (chat->is_string()) {
    // "@username" names a channel or group, which the sandbox does not have.
    result.chat_id = parse_integer(chat->get<std::string>()).value_or(0);
  } else {
    throw bad_request(prefix + "Field \"chat_id\" must be a valid Number or String");
  }
  if (result.chat_id == 0) throw bad_request("chat not found");
  if (result.type == "chat_member") {
    const auto user = scope.find("user_id");
    if (user == scope.end() || !user->is_number_integer() || user->get<int64_t>() <= 0)
      throw bad_request(prefix + "Invalid user_id specified");
  }
  // Administrators and members are scopes of group chats; a private chat has neither.
  if (result.type != "chat") throw bad_request("can't use specified scope for a private chat");
  return result;
}

void check_language_code(const std::string& language_code) {
  if (language_code.empty()) return;
  if (language_code.size() != 2 || !std::islower(static_cast<unsigned char>(language_code[0])) ||
      !std::islower(static_cast<unsigned char>(language_code[1])))
    throw bad_request("invalid language code specified");
}

nlohmann::json parse_menu_button(const nlohmann::json& raw) {
  const char* const unparsable = "can't parse menu button JSON object";
  const auto button = structured(raw, unparsable);
  if (button.is_null()) return {{"type", "default"}};
  if (!button.is_object() || !button.contains("type") || !button["type"].is_string()) {
    throw bad_request(unparsable);
  }
  const auto& type = button["type"].get_ref<const std::string&>();
  if (type == "default" || type == "commands") return {{"type", type}};
  if (type == "web_app" && button.contains("text") && button["text"].is_string() &&
      button.contains("web_app") && button["web_app"].is_object()) {
    return button;
  }
  throw bad_request(unparsable);
}

std::vector<std::string> parse_allowed_updates(const nlohmann::json& raw) {
  const char* const unparsable = "can't parse allowed_updates JSON array";
  const auto list = structured(raw, unparsable);
  std::vector<std::string> kinds;
  if (list.is_null()) return kinds;
  if (!list.is_array()) throw bad_request(unparsable);
  for (const auto& kind : list) {
    if (!kind.is_string()) throw bad_request(unparsable);
    kinds.push_back(kind.get<std::string>());
  }
  return kinds;
}

nlohmann::json command_entities(const std::string& text) {
  auto entities = nlohmann::json::array();
  if (text.empty() || text[0] != '/') return entities;
  size_t end = 1;
  while (end < text.size() && is_word_char(text[end])) ++end;
  if (end == 1) return entities;  // a lone "/" is not a command
  if (end < text.size() && text[end] == '@') {
    size_t mention_end = end + 1;
    while (mention_end < text.size() && is_word_char(text[mention_end])) ++mention_end;
    if (mention_end > end + 1) end = mention_end;
  }
  // Offsets are in UTF-16 units; the command is ASCII, so bytes and units agree.
  entities.push_back({{"offset", 0}, {"length", end}, {"type", "bot_command"}});
  return entities;
}

}  // namespace lastcall::sandbox

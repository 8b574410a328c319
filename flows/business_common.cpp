#include "flows/business_common.hpp"

#include "telegram/api_call.hpp"

namespace lastcall::flows::biz {

namespace {

constexpr size_t max_id_digits = 15;  // below 2^53, the ids JSON and people handle safely

std::string trim(const std::string& text) {
  const auto first = text.find_first_not_of(" \t\r\n");
  if (first == std::string::npos) return {};
  const auto last = text.find_last_not_of(" \t\r\n");
  return text.substr(first, last - first + 1);
}

}  // namespace

void tell(turn& t, const std::string& text, nlohmann::json markup) {
  t.send_to(t.user_id(), text, std::move(markup), telegram::call_priority::interactive);
}

void refuse(turn& t, const std::string& text) {
  if (t.update().callback_query) {
    t.answer(text, true);
  } else {
    tell(t, text);
  }
}

bool is_label(const turn& t, const std::string& key, const std::string& text) {
  for (auto lang : {domain::language::en, domain::language::ru, domain::language::uz}) {
    if (text == t.texts().text(lang, key)) return true;
  }
  return false;
}

std::optional<int64_t> parse_id(const std::string& text) {
  std::string digits = trim(text);
  if (!digits.empty() && digits.front() == '#') digits.erase(0, 1);
  if (digits.empty() || digits.size() > max_id_digits) return std::nullopt;
  int64_t value = 0;
  for (char c : digits) {
    if (c < '0' || c > '9') return std::nullopt;
    value = value * 10 + (c - '0');
  }
  if (value <= 0) return std::nullopt;
  return value;
}

std::pair<std::string, std::string> split_first_word(const std::string& args) {
  const std::string text = trim(args);
  const auto space = text.find_first_of(" \t\r\n");
  if (space == std::string::npos) return {text, {}};
  return {text.substr(0, space), trim(text.substr(space))};
}

std::string reason_text(const turn& t, const std::string& reason_key,
                        const domain::text_args& args) {
  if (!reason_key.empty() && t.texts().has(domain::language::en, reason_key))
    return t.text(reason_key, args);
  return t.text("business.error.refused");
}

std::string input_refusal(const turn& t, const std::string& reason_key, size_t max_chars) {
  return reason_text(t, "business." + reason_key, {{"max", std::to_string(max_chars)}});
}

std::optional<int64_t> id_in(const nlohmann::json& data, const char* key) {
  if (!data.is_object() || !data.contains(key) || !data.at(key).is_number_integer())
    return std::nullopt;
  const auto id = data.at(key).get<int64_t>();
  if (id <= 0) return std::nullopt;
  return id;
}

nlohmann::json start_over_button(const turn& t, const std::string& callback_data) {
  telegram::inline_keyboard rows = {{{t.text("business.button.start_over"), callback_data, ""}}};
  return telegram::to_json(rows);
}

nlohmann::json form_keyboard(const turn& t, std::vector<std::vector<telegram::reply_button>> rows) {
  telegram::reply_keyboard keyboard;
  keyboard.rows = std::move(rows);
  keyboard.rows.push_back({{t.text(stop_button_key)}});
  return telegram::to_json(keyboard);
}

std::string money_text(const turn& t, int64_t minor) {
  return domain::format_money(minor, t.settings().currency, t.lang());
}

std::string window_text(const turn& t, int64_t start, int64_t end) {
  domain::day_words words;
  words.today = t.text("business.day.today");
  words.tomorrow = t.text("business.day.tomorrow");
  return domain::format_pickup_window(start, end, t.now(), t.settings().utc_offset_minutes, words);
}

std::string offer_state_name(const turn& t, domain::offer_state state) {
  return t.text(std::string("offers.state.") + domain::to_string(state));
}

std::string business_status_name(const turn& t, domain::business_status status) {
  return t.text(std::string("business.status.") + domain::to_string(status));
}

std::string photo_file_id(const turn& t) {
  const auto& message = t.update().message;
  if (!message || message->photo.empty()) return {};
  return message->photo.back().file_id;
}

}  // namespace lastcall::flows::biz

#include "telegram/keyboards.hpp"

namespace lastcall::telegram {
namespace {

nlohmann::json to_json(const inline_button& button) {
  nlohmann::json out = {{"text", button.text}};
  if (!button.url.empty()) {
    out["url"] = button.url;
  } else {
    out["callback_data"] = button.callback_data;
  }
  return out;
}

nlohmann::json to_json(const reply_button& button) {
  nlohmann::json out = {{"text", button.text}};
  if (button.request_location) out["request_location"] = true;
  if (button.request_contact) out["request_contact"] = true;
  return out;
}

// Rows of buttons as a JSON array of arrays; each button type has its own to_json above.
template <typename Button>
nlohmann::json rows_to_json(const std::vector<std::vector<Button>>& rows) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& row : rows) {
    nlohmann::json json_row = nlohmann::json::array();
    for (const auto& button : row) json_row.push_back(to_json(button));
    out.push_back(std::move(json_row));
  }
  return out;
}

}  // namespace

nlohmann::json to_json(const inline_keyboard& keyboard) {
  return {{"inline_keyboard", rows_to_json(keyboard)}};
}

nlohmann::json to_json(const reply_keyboard& keyboard) {
  nlohmann::json out = {{"keyboard", rows_to_json(keyboard.rows)},
                        {"resize_keyboard", keyboard.resize},
                        {"one_time_keyboard", keyboard.one_time}};
  if (!keyboard.placeholder.empty()) out["input_field_placeholder"] = keyboard.placeholder;
  return out;
}

nlohmann::json remove_keyboard() {
  return {{"remove_keyboard", true}};
}

}  // namespace lastcall::telegram

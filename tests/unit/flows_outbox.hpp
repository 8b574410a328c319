#pragma once
// Reading what a flow turn would send: the calls of its unit of work, their texts and buttons.

#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "persistence/unit_of_work.hpp"
#include "telegram/api_call.hpp"

namespace lastcall::tests {

inline std::string text_of(const telegram::api_call& call) {
  return call.params.value("text", "");
}

// The calls of a unit by method.
inline std::vector<telegram::api_call> calls(const persistence::unit_of_work& unit,
                                             const std::string& method) {
  std::vector<telegram::api_call> found;
  for (const auto& call : unit.outbox)
    if (call.method == method) found.push_back(call);
  return found;
}

// The one call of a unit with `method`; the test stops if there is none or more than one.
inline telegram::api_call only_call(const persistence::unit_of_work& unit,
                                    const std::string& method) {
  auto found = calls(unit, method);
  REQUIRE(found.size() == 1);
  return found[0];
}

inline std::string popup(const persistence::unit_of_work& unit) {
  return text_of(only_call(unit, "answerCallbackQuery"));
}

inline bool alert(const persistence::unit_of_work& unit) {
  return only_call(unit, "answerCallbackQuery").params.value("show_alert", false);
}

// One field (`text`, `callback_data`) of every button of an inline keyboard, row by row.
inline std::vector<std::string> inline_button_fields(const nlohmann::json& markup,
                                                     const std::string& field) {
  std::vector<std::string> values;
  if (!markup.is_object() || !markup.contains("inline_keyboard")) return values;
  for (const auto& row : markup["inline_keyboard"])
    for (const auto& button : row) values.push_back(button.value(field, ""));
  return values;
}

inline std::vector<std::string> button_data(const nlohmann::json& markup) {
  return inline_button_fields(markup, "callback_data");
}

inline std::vector<std::string> button_texts(const nlohmann::json& markup) {
  return inline_button_fields(markup, "text");
}

}  // namespace lastcall::tests

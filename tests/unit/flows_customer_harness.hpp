#pragma once
// One customer talking to the customer flows, without actors: the in-memory market behind
// flows::services, updates in, the recorded effects out.

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "config/settings.hpp"
#include "domain/ui_texts.hpp"
#include "flows/dispatcher.hpp"
#include "flows/services.hpp"
#include "flows/turn.hpp"
#include "tests/support/chat_updates.hpp"
#include "tests/support/in_memory_market.hpp"

namespace lastcall::tests {

inline constexpr int64_t test_now = 1'700'000'000;  // 2023-11-14 22:13:20 UTC

// One customer talking to the flows: updates in, the recorded effects out.
struct customer_harness {
  config::settings settings;
  domain::session_state session;
  testing::in_memory_market market{settings};
  int64_t user_id = 10;
  int64_t next_update_id = 1;
  int64_t now = test_now;

  customer_harness() {
    settings.currency = "UZS";
    market.arranged_at = test_now;
    market.username = "lastcall_test_bot";
  }

  telegram::update message_update() { return testing::message_from(user_id, next_update_id++); }

  persistence::unit_of_work says(const std::string& text) {
    auto u = message_update();
    u.message->text = text;
    return run(u);
  }

  persistence::unit_of_work shares_location(double latitude, double longitude) {
    auto u = message_update();
    u.message->location = telegram::location{latitude, longitude};
    return run(u);
  }

  persistence::unit_of_work taps(const std::string& data, int64_t message_id = 77) {
    return run(testing::tap_from(user_id, next_update_id++, data, message_id));
  }

  persistence::unit_of_work run(const telegram::update& u) {
    flows::turn t(u, session, settings, domain::ui_texts::builtin(), now);
    flows::default_dispatcher().dispatch(t, market);
    bool done = false;
    t.start([&] { done = true; });
    market.answer_all();
    REQUIRE(done);
    return std::move(t.unit());
  }
};

// The calls of a unit by method.
inline std::vector<telegram::api_call> calls(const persistence::unit_of_work& unit,
                                             const std::string& method) {
  std::vector<telegram::api_call> found;
  for (const auto& call : unit.outbox)
    if (call.method == method) found.push_back(call);
  return found;
}

inline std::string popup(const persistence::unit_of_work& unit) {
  auto answers = calls(unit, "answerCallbackQuery");
  REQUIRE(answers.size() == 1);
  return answers[0].params.value("text", "");
}

inline bool alert(const persistence::unit_of_work& unit) {
  auto answers = calls(unit, "answerCallbackQuery");
  REQUIRE(answers.size() == 1);
  return answers[0].params.value("show_alert", false);
}

// Every callback_data of an inline keyboard, row by row.
inline std::vector<std::string> button_data(const nlohmann::json& markup) {
  std::vector<std::string> data;
  if (!markup.is_object() || !markup.contains("inline_keyboard")) return data;
  for (const auto& row : markup["inline_keyboard"])
    for (const auto& button : row) data.push_back(button.value("callback_data", ""));
  return data;
}

inline std::vector<std::string> button_texts(const nlohmann::json& markup) {
  std::vector<std::string> texts;
  if (!markup.is_object() || !markup.contains("inline_keyboard")) return texts;
  for (const auto& row : markup["inline_keyboard"])
    for (const auto& button : row) texts.push_back(button.value("text", ""));
  return texts;
}

}  // namespace lastcall::tests

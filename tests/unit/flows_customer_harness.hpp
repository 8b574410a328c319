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
#include "tests/unit/flows_outbox.hpp"

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

}  // namespace lastcall::tests

#pragma once
// The real market — the market actor and its offer actors — asked from a test thread through the
// services a session uses (actors::session_services): each question runs inside an event-based
// actor, as in a session, and the test waits for its answer. Persistence is a stand-in that drops
// what offers commit on their own (a timer's changes): the market's answers never wait for it.

#include <functional>
#include <memory>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>

#include "actors/market_actor.hpp"
#include "config/settings.hpp"
#include "flows/services.hpp"

namespace lastcall::testing {

class actor_market {
 public:
  explicit actor_market(const config::settings& settings);
  ~actor_market();

  // Runs `ask` inside the asking actor and returns once it called `done`.
  void run(const std::function<void(flows::services&, std::function<void()> done)>& ask);

 private:
  caf::actor_system_config config_;
  caf::actor_system system_;
  caf::actor persistence_;
  actors::market_actor market_;
  caf::actor asker_;
};

}  // namespace lastcall::testing

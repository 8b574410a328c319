#pragma once
// Long polling: asks getUpdates for up to 100 updates, hands them to the intake, and asks again
// with the offset that confirms them as soon as the intake says they are in the inbox (one short
// commit), never waiting for them to be handled. Telegram forgets every update below the offset it
// is given, so the offset never passes an update before it is durable in the inbox.

#include <cstdint>
#include <memory>

#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/intake.hpp"
#include "actors/runtime_metrics.hpp"
#include "telegram/bot_api_client.hpp"

namespace lastcall::actors {

using poller_actor = caf::typed_actor<
    // Wiring: where updates go; polling starts with it.
    caf::reacts_to<intake_actor>,
    // Internal: issue the next getUpdates; its answer (with the poll's generation).
    caf::reacts_to<poll_atom>, caf::reacts_to<polled_atom, uint64_t, telegram::api_result>,
    // Stop asking for updates (shutdown).
    caf::reacts_to<stop_atom>>;

struct poller_options {
  int timeout_seconds = 25;
  int64_t stored_offset = 0;  // from the database
  std::shared_ptr<runtime_metrics> metrics = std::make_shared<runtime_metrics>();
};

poller_actor spawn_poller(caf::actor_system& system,
                          std::shared_ptr<telegram::bot_api_client> client, poller_options options);

}  // namespace lastcall::actors

#pragma once
// Long polling with an offset that only moves past updates whose effects are durable. Telegram
// forgets an update once getUpdates is called with a higher offset, so confirming an update before
// its effects are committed would lose it in a crash. The poller therefore asks with offset = the
// oldest update not yet durable, skips the updates it already handed out, and stores the offset
// with the persistence actor.

#include <cstdint>
#include <memory>
#include <vector>

#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/outbound_actor.hpp"
#include "actors/persistence_actor.hpp"
#include "actors/router.hpp"
#include "actors/runtime_metrics.hpp"

namespace lastcall::actors {

using poller_actor = caf::typed_actor<
    // Durable updates, from the persistence actor.
    caf::reacts_to<processed_atom, std::vector<int64_t>>,
    // Wiring: where updates go and where the offset is stored; polling starts with it.
    caf::reacts_to<router_actor, persistence_actor>,
    // Internal: issue the next getUpdates; its answer (with the poll's generation).
    caf::reacts_to<poll_atom>, caf::reacts_to<polled_atom, uint64_t, telegram::api_result>,
    // Stop asking for updates (shutdown); updates already handed out still complete.
    caf::reacts_to<stop_atom>,
    // Replies how many handed-out updates are not yet durable.
    caf::replies_to<status_atom>::with<uint64_t>>;

struct poller_options {
  int timeout_seconds = 25;
  int64_t stored_offset = 0;                // from the database
  std::vector<int64_t> durable_update_ids;  // at or above stored_offset, already processed
  std::shared_ptr<runtime_metrics> metrics = std::make_shared<runtime_metrics>();
};

poller_actor spawn_poller(caf::actor_system& system,
                          std::shared_ptr<telegram::bot_api_client> client, poller_options options);

}  // namespace lastcall::actors

#pragma once
// The persistence actor: write-behind to PostgreSQL with group commit. Units that arrive while a
// batch is being committed form the next batch, so a busy system commits many units per transaction
// and an idle one commits at once. A request is answered with durable_atom only after its unit
// committed; the unit's outbox calls then go to the outbound actor and its processed update ids to
// the update tracker. It runs detached (its own thread): libpqxx blocks.

#include <cstdint>
#include <string>
#include <vector>

#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/message_types.hpp"
#include "actors/outbound_actor.hpp"
#include "persistence/metrics.hpp"

namespace lastcall::actors {

using persistence_actor =
    caf::typed_actor<caf::replies_to<commit_atom, persistence::unit_of_work>::with<durable_atom>,
                     // Outbox entries Telegram accepted: removed from the outbox with the next
                     // batch.
                     caf::reacts_to<sent_atom, std::vector<int64_t>>,
                     // Internal: commit what has queued up.
                     caf::reacts_to<flush_atom>>;

// Receives the update ids whose effects became durable (see update_tracker in actors/poller.hpp).
using update_sink = caf::typed_actor<caf::reacts_to<processed_atom, std::vector<int64_t>>>;

struct persistence_options {
  std::string database_url;
  size_t batch_max_units = 1000;  // a batch closes at this many units even if more are waiting
  size_t pending_max_units =
      100000;  // refuse new units beyond this while the database is unreachable
  persistence::persistence_metrics* metrics = nullptr;  // optional counters; must outlive the actor
};

persistence_actor spawn_persistence(caf::actor_system& system, persistence_options options,
                                    outbound_actor outbound, update_sink tracker);

}  // namespace lastcall::actors

#pragma once
// The persistence actor: write-behind to PostgreSQL with group commit. Units that arrive while a
// batch is being committed form the next batch, so a busy system commits many units per transaction
// and an idle one commits at once. A request is answered with durable_atom only after its unit
// committed; the unit's outbox calls then go to the outbound actor and its processed update ids to
// the intake, and its notices (persistence::notice_record) to the users' sessions. Nothing else
// tells a user of a change, so nobody hears of one that is not durable. It runs detached (its own
// thread): libpqxx blocks.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/message_types.hpp"
#include "actors/outbound_actor.hpp"
#include "persistence/metrics.hpp"

namespace lastcall::actors {

// How a snapshot request went.
struct snapshot_outcome {
  bool ok = false;
  std::string error;      // why not, in one line, when !ok
  int64_t event_seq = 0;  // the log position the snapshot includes
  std::string text;       // the snapshot, when no folder was given
  std::string path;       // the absolute path of the file written, when a folder was given
};

}  // namespace lastcall::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::actors::snapshot_outcome)

namespace lastcall::actors {

// Who delivers a notification to a user's session (the router): the persistence actor hands it
// each committed notice.
using notification_sink =
    caf::typed_actor<caf::reacts_to<notify_atom, int64_t, flows::notification>>;

// Receives the update ids whose effects became durable (the intake, actors/intake.hpp).
using update_sink = caf::typed_actor<caf::reacts_to<processed_atom, std::vector<int64_t>>>;

// A commit request fails with sec::invalid_argument when the database rejected the unit's data
// (retrying cannot help), and with sec::runtime_error when the unit was refused for now (too many
// waiting during an outage) or the actor stopped.
using persistence_actor = caf::typed_actor<
    caf::replies_to<commit_atom, persistence::unit_of_work>::with<durable_atom>,
    // The same, for a sender that keeps the unit to send it again if it is
    // refused (too many units waiting): the unit is taken out of the pointer only
    // once it is accepted, so the sender need not copy it first.
    caf::replies_to<commit_atom, std::shared_ptr<persistence::unit_of_work>>::with<durable_atom>,
    // Outbox entries Telegram accepted: removed from the outbox with the next
    // batch.
    caf::reacts_to<sent_atom, std::vector<int64_t>>,
    // Internal: commit what has queued up.
    caf::reacts_to<flush_atom>,
    // Wiring: where committed notices go. Notices committed earlier wait for it.
    caf::reacts_to<notification_sink>,
    // A consistent snapshot of the durable state (persistence/snapshot_format.hpp)
    // taken between two batches, after every unit accepted before the request has
    // committed. Given a folder, the snapshot is written to a new file there and
    // the reply names it; given "", the reply holds the snapshot's text. Requests
    // are served one at a time; commits go on while a snapshot is read.
    caf::replies_to<snapshot_atom, std::string>::with<snapshot_outcome>,
    // Internal: the reader thread of the snapshot with this number finished.
    caf::reacts_to<snapshot_atom, uint64_t, snapshot_outcome>>;

struct persistence_options {
  std::string database_url;
  size_t batch_max_units = 1000;  // a batch closes at this many units even if more are waiting
  size_t pending_max_units =
      100000;  // refuse new units beyond this while the database is unreachable
  persistence::persistence_metrics* metrics = nullptr;  // optional counters; must outlive the actor
  // Not 0: every batch is fenced by this epoch of the market's lease
  // (persistence/market_lease.hpp). Once the database says another node took over, `fenced_off`
  // runs and nothing is committed again: the units left are the new owner's to redo from the inbox.
  int64_t lease_epoch = 0;
  std::function<void()> fenced_off;
};

persistence_actor spawn_persistence(caf::actor_system& system, persistence_options options,
                                    outbound_actor outbound, update_sink tracker);

}  // namespace lastcall::actors

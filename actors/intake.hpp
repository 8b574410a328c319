#pragma once
// Durable intake: every update, from long polling or from the webhook, is first written to the
// inbox (persistence/migrations/003_inbox.sql) and only then handed to its user's session. Telegram
// may forget an update as soon as it is in the inbox, so the poller moves its offset after one
// short commit instead of after the update's handling, and the webhook answers 200 then; a slow,
// flooding or stuck session holds back nobody's intake. The unit that records an update's effects
// deletes its inbox row in the same transaction, and the rows left at a restart are handed out
// again before anything new: each update is handled exactly once, in arrival order per user.
//
// Re-deliveries (the same update_id again: a webhook retry, a duplicate in one answer) are
// recognised by domain::intake_window and never reach a session twice.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/message_types.hpp"
#include "actors/persistence_actor.hpp"
#include "actors/router.hpp"
#include "actors/runtime_metrics.hpp"
#include "persistence/intake_spool.hpp"
#include "persistence/metrics.hpp"
#include "persistence/unit_of_work.hpp"

namespace lastcall::actors {

// One update as a transport received it: its id, its text for the inbox and, when it could be
// read, the parsed update (an unreadable one is acknowledged without being handled).
struct incoming_update {
  int64_t update_id = 0;
  std::string payload;
  std::optional<telegram::update> update;
};

// Settled once the update is in the inbox (or was already): the webhook's 200 waits for it.
struct intake_ticket {
  std::function<void()> settle;
};

}  // namespace lastcall::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::actors::incoming_update)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<lastcall::actors::incoming_update>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::actors::intake_ticket)

namespace lastcall::actors {

using intake_actor = caf::typed_actor<
    // A poll's updates; answered once they are in the inbox together with `next_offset`, the
    // getUpdates offset that confirms them (stored with them in one transaction).
    caf::replies_to<update_atom, std::vector<incoming_update>, int64_t>::with<done_atom>,
    // One webhook request's update; the ticket is settled once it is in the inbox.
    caf::reacts_to<update_atom, incoming_update, intake_ticket>,
    // Handled updates, from the persistence actor.
    caf::reacts_to<processed_atom, std::vector<int64_t>>,
    // Wiring: where updates go and where the inbox is. The updates left in the inbox at start-up
    // go to the router first; updates that arrive earlier wait.
    caf::reacts_to<router_actor, persistence_actor>,
    // Internal: try a failed intake commit again; this intake commit is slow; look for updates
    // handed out long ago and still unhandled.
    caf::reacts_to<commit_atom, uint64_t>, caf::reacts_to<slow_atom, uint64_t>,
    caf::reacts_to<late_atom>,
    // Replies how many updates are taken in and not yet handled (0: drained).
    caf::replies_to<status_atom>::with<uint64_t>>;

struct intake_options {
  int64_t stored_offset = 0;                    // below it every update is in the inbox or handled
  std::vector<int64_t> durable_update_ids;      // handled ids at or above it
  std::vector<persistence::inbox_entry> inbox;  // left unhandled at the last stop
  // How long a handled id is remembered to recognise a re-delivery: long for the webhook (Telegram
  // retries for up to a day), 0 for polling, where the offset alone says what is done.
  int64_t retention_seconds = 0;
  std::shared_ptr<runtime_metrics> metrics = std::make_shared<runtime_metrics>();
  // While the database is unreachable a poll's updates, or a webhook request's update, go to
  // this spool (see persistence/intake_spool.hpp) and are handed out at once: the poll moves its
  // offset and the webhook answers 200. Null: both wait for the database (the webhook answers 503
  // after a while, and Telegram sends the update again).
  std::shared_ptr<persistence::intake_spool> spool;
  std::vector<persistence::spooled_batch> spooled;  // in the spool at start-up
  // Asked before a batch is spooled; false: it waits for the database instead. A node with a
  // standby must not confirm updates that only its own disk holds (app/market_ownership.hpp).
  std::function<bool()> may_spool;
  // Read for its outage flag.
  std::shared_ptr<const persistence::persistence_metrics> database;
  // An update handed to its session this long ago and still unhandled is reported to the router
  // (late_atom), whose session tells the user that it cannot confirm yet.
  std::chrono::milliseconds not_confirmed_notice = std::chrono::seconds(3);
};

intake_actor spawn_intake(caf::actor_system& system, intake_options options);

}  // namespace lastcall::actors

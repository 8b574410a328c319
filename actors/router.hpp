#pragma once
// The update router: hands each update to its user's session actor, spawning (and loading) the
// session on the user's first update. One session per user keeps that user's updates in order while
// different users are handled in parallel. Updates that belong to no user are acknowledged at once.

#include <cstdint>
#include <memory>
#include <vector>

#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/history_reader.hpp"
#include "actors/market_actor.hpp"
#include "actors/message_types.hpp"
#include "actors/outbound_actor.hpp"
#include "actors/persistence_actor.hpp"
#include "actors/runtime_metrics.hpp"
#include "actors/user_loader.hpp"
#include "config/settings.hpp"
#include "domain/entities.hpp"

namespace lastcall::actors {

using router_actor =
    caf::typed_actor<caf::reacts_to<update_atom, telegram::update>,
                     // A notification for a user: their session renders it (loading it first).
                     caf::reacts_to<notify_atom, int64_t, flows::notification>,
                     // Telegram answered 403 for this user's chat: their session records it.
                     caf::reacts_to<blocked_atom, int64_t>,
                     // This update of this user has waited long (from the intake): their
                     // session, if it is still at it, tells them it cannot confirm yet.
                     caf::reacts_to<late_atom, int64_t, int64_t>,
                     // A session idle since it handled this many items offers to stop
                     // (passivation).
                     caf::reacts_to<idle_atom, int64_t, uint64_t>,
                     // A session stopped on its own (it failed): the user's next update starts
                     // a new one.
                     caf::reacts_to<stop_atom, int64_t, caf::actor_addr>,
                     // Internal: time to look for idle sessions; store the updates acknowledged
                     // unhandled since the last time.
                     caf::reacts_to<tick_atom>, caf::reacts_to<flush_atom>,
                     // Replies how many session actors are alive.
                     caf::replies_to<status_atom>::with<uint64_t>>;

struct router_dependencies {
  std::shared_ptr<const config::settings> settings;
  persistence_actor persistence;
  user_loader_actor user_loader;
  market_actor market;
  std::vector<domain::user_record> sessions_to_restore;  // users whose sessions hold a draft
  std::shared_ptr<runtime_metrics> metrics = std::make_shared<runtime_metrics>();
  outbound_actor outbound;  // handed to sessions: a user who had blocked the bot is back
  std::shared_ptr<const persistence::persistence_metrics> database;  // handed to sessions
  // Every user with a stored row, ascending: anyone else is new, and their session starts at once
  // instead of asking the database first (a flash sale brings thousands of new users, and during
  // an outage a new user's /start is answered from memory).
  std::vector<int64_t> known_user_ids;
  history_reader_actor history;  // handed to sessions
};

router_actor spawn_router(caf::actor_system& system, router_dependencies deps);

}  // namespace lastcall::actors

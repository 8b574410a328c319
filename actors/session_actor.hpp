#pragma once
// One actor per user with recent activity: it keeps that user's updates in order (one at a time,
// the next starting once the previous one's effects are durable) and owns their navigation state
// and drafts. The chat flows themselves are plain functions (flows/) that the session runs for each
// update.

#include <cstdint>
#include <memory>
#include <optional>

#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/market_actor.hpp"
#include "actors/message_types.hpp"
#include "actors/offer_actor.hpp"
#include "actors/persistence_actor.hpp"
#include "actors/user_loader.hpp"
#include "config/settings.hpp"

namespace lastcall::actors {

using session_actor = caf::typed_actor<
    caf::reacts_to<update_atom, telegram::update>,
    // A message for this user from elsewhere in the market, rendered in their language.
    caf::reacts_to<notify_atom, flows::notification>,
    // Internal: the user's stored record arrived (nothing for a new user).
    caf::reacts_to<loaded_atom, std::optional<domain::user_record>>,
    // Internal: retry loading the record, or committing the current turn, after a failure.
    caf::reacts_to<load_atom>, caf::reacts_to<commit_atom>,
    // Internal: the idle timer of this generation expired.
    caf::reacts_to<idle_atom, uint64_t>>;

// Who may stop an idle session: it offers (idle_atom, user id, items handled) and the owner
// decides.
using session_owner = caf::typed_actor<caf::reacts_to<idle_atom, int64_t, uint64_t>>;

struct session_dependencies {
  std::shared_ptr<const config::settings> settings;
  persistence_actor persistence;
  caf::actor user_loader;
  market_actor market;
  notification_sink notifications;
  session_owner owner;
};

// Spawns the session of user_id; with `record` it starts from it, otherwise it loads the user
// first.
session_actor spawn_session(caf::actor_system& system, int64_t user_id, session_dependencies deps,
                            std::optional<domain::user_record> record);

}  // namespace lastcall::actors

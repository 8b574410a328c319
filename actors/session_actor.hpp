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
#include "actors/history_reader.hpp"
#include "actors/market_actor.hpp"
#include "actors/message_types.hpp"
#include "actors/offer_actor.hpp"
#include "actors/outbound_actor.hpp"
#include "actors/persistence_actor.hpp"
#include "actors/runtime_metrics.hpp"
#include "actors/user_loader.hpp"
#include "config/settings.hpp"

namespace lastcall::actors {

using session_actor = caf::typed_actor<
    caf::reacts_to<update_atom, telegram::update>,
    // A message for this user from elsewhere in the market, rendered in their language.
    caf::reacts_to<notify_atom, flows::notification>,
    // Telegram answered 403 for the user's chat (they blocked the bot): stored in their record.
    caf::reacts_to<blocked_atom>,
    // Internal: the held "new reservations" of this offer are due (see OWNER_NOTIFY_INTERVAL).
    caf::reacts_to<batch_atom, int64_t>,
    // Internal: the user's stored record arrived (nothing for a new user).
    caf::reacts_to<loaded_atom, std::optional<domain::user_record>>,
    // Internal: retry loading the record, or committing the current turn, after a failure.
    caf::reacts_to<load_atom>, caf::reacts_to<commit_atom>,
    // This update has waited past NOT_CONFIRMED_NOTICE_SECONDS since the intake handed it out
    // (from the owner): if its turn still waits for its commit, the user is told.
    caf::reacts_to<late_atom, int64_t>,
    // Internal: retry committing a turn that was answered during an outage; the current turn's
    // commit of this generation is slow (armed only for an update already late when its turn
    // finished).
    caf::reacts_to<commit_atom, uint64_t>, caf::reacts_to<slow_atom, uint64_t>,
    // The owner asks whether the session is idle (see session_owner).
    caf::reacts_to<idle_atom>,
    // The owner agreed that this idle session stops (passivation).
    caf::reacts_to<stop_atom>>;

// Who owns sessions. It asks sessions that were sent nothing for a while whether they are idle
// (idle_atom); an idle one offers to stop with (idle_atom, user id, items handled) and the owner
// decides, answering stop_atom if it may. (One timer in the owner rather than one per session: a
// pending timer costs a session about 250 bytes, and 100,000 of them falling due at once took 145 s
// to passivate on CAF's work-stealing scheduler, 13 s with the owner's sweep; BENCHMARKS.md.) A
// session that stopped for any other reason than that says so with (stop_atom, user id, its
// address), so the owner forgets it. (Sessions are not linked to their owner: with 100,000 of them,
// CAF's unlink scans the owner's list of links, which made passivating them all quadratic.)
using session_owner = caf::typed_actor<caf::reacts_to<idle_atom, int64_t, uint64_t>,
                                       caf::reacts_to<stop_atom, int64_t, caf::actor_addr>>;

struct session_dependencies {
  std::shared_ptr<const config::settings> settings;
  persistence_actor persistence;
  user_loader_actor user_loader;
  market_actor market;
  session_owner owner;
  std::shared_ptr<runtime_metrics> metrics;
  // Replies of turns that change nothing durable go straight to it; it is also told when a user
  // who had blocked the bot writes again.
  outbound_actor outbound;
  // Read for its outage flag: while the database is unreachable, replies that confirm nothing are
  // sent at once instead of after their commit (see finish_turn).
  std::shared_ptr<const persistence::persistence_metrics> database;
  // Reads the past from the database: figures for admins, past reservations for customers;
  // none where the past is not offered.
  history_reader_actor history;
};

// Spawns the session of user_id; with `record` it starts from it, as a new user when `is_new`
// (nothing is stored for them), otherwise it loads the user first.
session_actor spawn_session(caf::actor_system& system, int64_t user_id, session_dependencies deps,
                            std::optional<domain::user_record> record, bool is_new = false);

}  // namespace lastcall::actors

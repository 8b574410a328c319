#pragma once
// The outbound queue: every Bot API call the bot makes (except getUpdates) goes through it. Calls
// to one chat are sent one at a time in the order given, so Telegram shows them in that order;
// different chats go out in parallel, within Telegram's rate limits (telegram/outbound_queue.hpp
// has the rules: limits, 429 pauses, merged edits, the bound on its size). Calls that came from
// the outbox (outbox_id != 0) are reported to the sent sink (the persistence actor) once they are
// done: accepted by Telegram, or given up, so they are not sent again after a restart.
//
// Failures: a 429 waits what Telegram says and sends again; 5xx answers, timeouts and broken
// connections are retried with exponential back-off and jitter up to max_attempts, then logged
// (method, chat and Telegram's description: never a message text or the token) and counted.
// "400 message is not modified" counts as success. A 403 means the user blocked the bot: their
// queued calls are dropped, later ones too, and the blocked sink (the router, which tells the
// user's session to store it) hears of it; (unblocked_atom, chat) lifts it when the user writes
// again.

#include <cstdint>
#include <memory>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/message_types.hpp"
#include "config/settings.hpp"
#include "domain/backoff.hpp"
#include "telegram/bot_api_client.hpp"
#include "telegram/outbound_metrics.hpp"
#include "telegram/outbound_queue.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::telegram::api_result)

namespace lastcall::actors {

using blocked_atom = caf::atom_constant<caf::atom("blocked")>;
using unblocked_atom = caf::atom_constant<caf::atom("unblocked")>;

// Whoever removes sent calls from the outbox.
using sent_sink = caf::typed_actor<caf::reacts_to<sent_atom, std::vector<int64_t>>>;

// Whoever records that a user blocked the bot (Telegram answered 403 for their chat).
using blocked_chat_sink = caf::typed_actor<caf::reacts_to<blocked_atom, int64_t>>;

// Whoever sends to users: told that a user who had blocked the bot wrote to it again.
using unblocked_chat_sink = caf::typed_actor<caf::reacts_to<unblocked_atom, int64_t>>;

using outbound_actor = caf::typed_actor<
    // Queue calls for sending.
    caf::reacts_to<send_atom, std::vector<telegram::api_call>>,
    // Where to report sent outbox calls; given after spawning because the sink needs this actor
    // too.
    caf::reacts_to<sent_sink>,
    // Where to report chats that blocked the bot; given after spawning, like the sent sink.
    caf::reacts_to<blocked_chat_sink>,
    // The user of this chat wrote again: send to them again.
    caf::reacts_to<unblocked_atom, int64_t>,
    // Internal: the client finished the call with this token.
    caf::reacts_to<done_atom, uint64_t, telegram::api_result>,
    // Internal: a delayed retry is due.
    caf::reacts_to<tick_atom>,
    // Replies how many calls are queued or in flight (for draining at shutdown and for metrics).
    caf::replies_to<status_atom>::with<uint64_t>>;

struct outbound_options {
  domain::backoff_policy backoff;  // for 5xx and transport errors; 429 waits as told
  int max_in_flight = 64;
  telegram::outbound_limits limits;    // none by default; outbound_options_from sets Telegram's
  std::vector<int64_t> blocked_chats;  // known at start-up (users.blocked_bot)
  uint64_t jitter_seed = 0;            // 0: from std::random_device
};

// Limits, attempts and bounds from the settings (OUTBOUND_*).
outbound_options outbound_options_from(const config::settings& settings,
                                       std::vector<int64_t> blocked_chats = {});

// `metrics` may be shared with the metrics page; without one the actor keeps its own.
outbound_actor spawn_outbound(caf::actor_system& system,
                              std::shared_ptr<telegram::bot_api_client> client,
                              outbound_options options = {},
                              std::shared_ptr<telegram::outbound_metrics> metrics = nullptr);

}  // namespace lastcall::actors

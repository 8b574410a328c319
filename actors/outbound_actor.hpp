#pragma once
// The outbound queue: every Bot API call the bot makes (except getUpdates) goes through it. Calls
// to one chat are sent one at a time in the order given, so Telegram shows them in that order;
// different chats go out in parallel. Calls that came from the outbox (outbox_id != 0) are reported
// to the sent sink (the persistence actor) once Telegram accepted them, so they are not sent again
// after a restart.

#include <cstdint>
#include <memory>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/message_types.hpp"
#include "telegram/bot_api_client.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::telegram::api_result)

namespace lastcall::actors {

// Whoever removes sent calls from the outbox.
using sent_sink = caf::typed_actor<caf::reacts_to<sent_atom, std::vector<int64_t>>>;

using outbound_actor = caf::typed_actor<
    // Queue calls for sending.
    caf::reacts_to<send_atom, std::vector<telegram::api_call>>,
    // Where to report sent outbox calls; given after spawning because the sink needs this actor
    // too.
    caf::reacts_to<sent_sink>,
    // Internal: the client finished the call with this token.
    caf::reacts_to<done_atom, uint64_t, telegram::api_result>,
    // Internal: a delayed retry is due.
    caf::reacts_to<tick_atom>,
    // Replies how many calls are queued or in flight (for draining at shutdown and for metrics).
    caf::replies_to<status_atom>::with<uint64_t>>;

struct outbound_options {
  int max_attempts = 6;  // for 5xx and transport errors; 429 waits as told and does not count
  int max_in_flight = 64;
};

outbound_actor spawn_outbound(caf::actor_system& system,
                              std::shared_ptr<telegram::bot_api_client> client,
                              outbound_options options = {});

}  // namespace lastcall::actors

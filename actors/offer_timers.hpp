#pragma once
// Holds the pending timers of many offer actors (the reminder, expiry) behind a single CAF timer. A
// delayed_send costs about 216 bytes while it waits (a mailbox element and two clock entries), a
// tenth of an idle offer's budget; an entry here costs 32. A stopped offer is not kept alive by its
// timers. Time is the actor system's clock, so tests drive it with CAF's testing scheduler.

#include <cstdint>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/typed_actor.hpp>

#include "market/live_offer.hpp"

namespace lastcall::actors {

// To the timers: send `what` back to the sender in `seconds`, tagged with the sender's
// `generation` (a newer setting makes older ones stale).
struct set_offer_timer {
  market::offer_timer what = market::offer_timer::expiry;
  int64_t seconds = 0;
  uint64_t generation = 0;
};

// From the timers to an offer: a timer it set is due.
struct offer_timer_due {
  market::offer_timer what = market::offer_timer::expiry;
  uint64_t generation = 0;
};

// The timers' own wake-up; `generation` tells a stale one (an earlier entry re-armed it).
struct timers_wake_up {
  uint64_t generation = 0;
};

}  // namespace lastcall::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::actors::set_offer_timer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::actors::offer_timer_due)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::actors::timers_wake_up)

namespace lastcall::actors {

using offer_timers =
    caf::typed_actor<caf::reacts_to<set_offer_timer>, caf::reacts_to<timers_wake_up>>;

offer_timers spawn_offer_timers(caf::actor_system& system);

}  // namespace lastcall::actors

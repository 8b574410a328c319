#pragma once
// One actor per offer: it owns the offer's live quantity, its reservations and its timers (the
// reminder before the end of the pickup window, expiry at its end). Operations on one offer are
// decided one at a time in its mailbox, so it can never oversell and needs no lock. The decisions
// are market::live_offer's; this shell adds the clock, ids and pickup codes, commits what a timer
// changes, and reports every change to the market.

#include <cstdint>
#include <functional>
#include <memory>
#include <vector>

#include <caf/intrusive_ptr.hpp>
#include <caf/ref_counted.hpp>
#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/id_allocator.hpp"
#include "actors/message_types.hpp"
#include "actors/offer_timers.hpp"
#include "actors/persistence_actor.hpp"
#include "market/live_offer.hpp"

namespace lastcall::actors {

// Every operation travels as one message type, the closed set market::offer_operation, answered
// with the reply type its alternative names: one handler rather than eleven keeps an idle offer's
// behaviour within its memory budget (each handler costs every offer about 48 bytes).
using offer_actor =
    caf::typed_actor<caf::replies_to<market::offer_operation>::with<market::offer_outcome>,
                     caf::reacts_to<offer_timer_due>>;

// Where an offer actor reports every change: the market keeps its read models (listings, offers of
// a business, reservations of a customer) from these reports.
using offer_observer =
    caf::typed_actor<caf::reacts_to<changed_atom, domain::offer, std::vector<domain::reservation>>>;

// What every offer actor of a market shares; held once, by pointer, by all of them.
struct offer_context {
  std::shared_ptr<id_allocator> reservation_ids;
  persistence_actor persistence;
  offer_observer market;
  offer_timers timers;
  market::offer_rules rules;
  // Unix seconds now: the wall clock, or a test's.
  std::function<int64_t()> unix_clock;
};

// What the offer actors of one business share, once per business: the market's context and the
// (verified) business. Counted in the object rather than by std::shared_ptr so that the pointer in
// every offer actor is 8 bytes, not 16 (see offer_state).
struct offer_home : caf::ref_counted {
  offer_home(std::shared_ptr<const offer_context> context, domain::business business)
      : context(std::move(context)), business(std::move(business)) {}
  const std::shared_ptr<const offer_context> context;
  const domain::business business;
};
using offer_home_ptr = caf::intrusive_ptr<const offer_home>;

offer_home_ptr make_offer_home(std::shared_ptr<const offer_context> context,
                               domain::business business);

// The offer's book is made in the new actor, from the offer and its reservations as stored: at
// start-up that work (indexing a million reservations) spreads over the scheduler's threads
// instead of holding up the market.
offer_actor spawn_offer(caf::actor_system& system, offer_home_ptr home, domain::offer offer,
                        std::vector<domain::reservation> reservations);

}  // namespace lastcall::actors

#pragma once
// One actor per offer: it owns the offer's live quantity, its reservations and its timers (expiry
// at the end of the pickup window, the reminder before it). Requests for one offer are decided one
// at a time in its mailbox, so it can never oversell and needs no lock. The rules are
// domain::offer_book's; this actor adds time, ids, notices for customers and the owner (in the
// units that record their changes) and reports to the market.

#include <cstdint>
#include <memory>
#include <vector>

#include <caf/intrusive_ptr.hpp>
#include <caf/ref_counted.hpp>
#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/id_allocator.hpp"
#include "actors/message_types.hpp"
#include "actors/persistence_actor.hpp"
#include "config/settings.hpp"

namespace lastcall::actors {

using offer_actor = caf::typed_actor<
    caf::replies_to<offer_atom, flows::offer_request>::with<flows::offer_reply>,
    // Pickup by code: (code, the business of the user who asks, that user, now).
    caf::replies_to<collect_atom, std::string, int64_t, int64_t, int64_t>::with<flows::offer_reply>,
    // Internal: a timer is due. (expire_atom or remind_atom as a value, the generation it was set
    // in: a newer setting makes older ones stale.) One handler for both keeps every offer actor's
    // behaviour smaller.
    caf::reacts_to<tick_atom, caf::atom_value, uint64_t>>;

// Where an offer actor reports every change: the market keeps its read models (listings, offers of
// a business, reservations of a customer) from these reports.
using offer_observer =
    caf::typed_actor<caf::reacts_to<changed_atom, domain::offer, std::vector<domain::reservation>>>;

// Holds the pending timers of many offer actors (expiry, reminder)
// behind a single CAF timer. A delayed_send costs about 216 bytes while it waits (a mailbox element
// and two clock entries), a tenth of an idle offer's budget; an entry here costs 32.
// (tick_atom, what, seconds from now, generation) sends (tick_atom, what, generation) back to the
// sender when due; (tick_atom, generation) is its own wake-up. A stopped offer is not kept alive by
// its timers.
using offer_timers = caf::typed_actor<caf::reacts_to<tick_atom, caf::atom_value, int64_t, uint64_t>,
                                      caf::reacts_to<tick_atom, uint64_t>>;

offer_timers spawn_offer_timers(caf::actor_system& system);

// What every offer actor of a market shares; held once, by pointer, by all of them.
struct offer_context {
  std::shared_ptr<const config::settings> settings;
  std::shared_ptr<id_allocator> reservation_ids;
  persistence_actor persistence;
  offer_observer market;
  offer_timers timers;
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

offer_actor spawn_offer(caf::actor_system& system, offer_home_ptr home, domain::offer offer,
                        std::vector<domain::reservation> reservations);

}  // namespace lastcall::actors

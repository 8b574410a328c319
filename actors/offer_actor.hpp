#pragma once
// One actor per offer: it owns the offer's live quantity, its reservations and its timers (expiry
// at the end of the pickup window, the reminder before it, the owner's batched "new reservations"
// message). Requests for one offer are decided one at a time in its mailbox, so it can never
// oversell and needs no lock. The rules are domain::offer_book's; this actor adds time, ids,
// notifications and reports to the market.

#include <cstdint>
#include <memory>
#include <vector>

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
    // Internal timers, with the generation they were set in (a newer setting makes older ones
    // stale).
    caf::reacts_to<expire_atom, uint64_t>, caf::reacts_to<remind_atom, uint64_t>,
    caf::reacts_to<notify_atom, uint64_t>>;

// Where an offer actor reports every change: the market keeps its read models (listings, offers of
// a business, reservations of a customer) from these reports.
using offer_observer =
    caf::typed_actor<caf::reacts_to<changed_atom, domain::offer, std::vector<domain::reservation>>>;

// Who delivers a notification to a user's session.
using notification_sink =
    caf::typed_actor<caf::reacts_to<notify_atom, int64_t, flows::notification>>;

struct offer_context {
  std::shared_ptr<const config::settings> settings;
  std::shared_ptr<id_allocator> reservation_ids;
  persistence_actor persistence;
  offer_observer market;
  notification_sink notifications;
};

offer_actor spawn_offer(caf::actor_system& system, offer_context context, domain::offer offer,
                        std::vector<domain::reservation> reservations, domain::business business);

}  // namespace lastcall::actors

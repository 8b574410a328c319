#pragma once
// The market: a thin shell over market::market_book (the registry of businesses, the drafts it
// creates, the read models for lists), plus the directory of offer actors. Operations on one offer
// are delegated to its actor, which answers the requester directly; the offer actors' change
// reports keep the read models current.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/clock.hpp"
#include "actors/id_allocator.hpp"
#include "actors/message_types.hpp"
#include "actors/offer_actor.hpp"
#include "actors/persistence_actor.hpp"
#include "actors/runtime_metrics.hpp"
#include "config/settings.hpp"

namespace lastcall::actors {

using market_actor = caf::typed_actor<
    caf::replies_to<owner_atom, int64_t>::with<std::optional<domain::business>>,
    caf::replies_to<business_atom, int64_t>::with<std::optional<domain::business>>,
    caf::replies_to<register_atom, domain::business, int64_t>::with<market::business_reply>,
    // (business id, admin id, approve, reason)
    caf::replies_to<decide_atom, int64_t, int64_t, bool, std::string>::with<market::business_reply>,
    caf::replies_to<pending_atom>::with<std::vector<domain::business>>,
    // (draft, owner id, now)
    caf::replies_to<create_atom, domain::offer, int64_t, int64_t>::with<market::change_reply>,
    // One operation on one offer, delegated to the offer's actor.
    caf::replies_to<market::offer_operation>::with<market::offer_outcome>,
    caf::replies_to<offers_atom, int64_t>::with<std::vector<domain::offer>>,
    // Pickup by code: (owner id, code, now), answered with a collect_reply.
    caf::replies_to<collect_atom, int64_t, std::string, int64_t>::with<market::offer_outcome>,
    // One ranked page of the offers someone can reserve now.
    caf::replies_to<listings_atom, domain::page_query>::with<domain::offer_page>,
    caf::replies_to<customer_atom, int64_t>::with<std::vector<market::reservation_entry>>,
    caf::replies_to<stats_atom>::with<market::market_stats>,
    // Change reports from offer actors (see offer_observer).
    caf::reacts_to<changed_atom, domain::offer, std::vector<domain::reservation>>,
    // Wiring: the rest of the system is up; the loaded offer actors start.
    caf::reacts_to<start_atom>>;

struct market_dependencies {
  std::shared_ptr<const config::settings> settings;
  persistence_actor persistence;
  std::vector<domain::business> businesses;
  std::vector<domain::offer> offers;
  std::vector<domain::reservation> reservations;
  int64_t max_business_id = 0, max_offer_id = 0, max_reservation_id = 0;
  std::shared_ptr<runtime_metrics> metrics = std::make_shared<runtime_metrics>();
  // Unix seconds now, for the offers' timers: the wall clock, or a test's.
  std::function<int64_t()> unix_clock = unix_now;
};

market_actor spawn_market(caf::actor_system& system, market_dependencies deps);

}  // namespace lastcall::actors

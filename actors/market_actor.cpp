#include "actors/market_actor.hpp"

#include <unordered_map>

#include <caf/all.hpp>

#include "logs/event.hpp"
#include "market/market_book.hpp"

namespace lastcall::actors {

namespace {

struct market_state {
  static inline const char* name = "market";
  std::shared_ptr<runtime_metrics> metrics;
  std::shared_ptr<const config::settings> settings;
  persistence_actor persistence;
  std::function<int64_t()> unix_clock;
  std::unique_ptr<market::market_book> book;
  std::unique_ptr<id_allocator> business_ids;
  std::unique_ptr<id_allocator> offer_ids;
  std::shared_ptr<id_allocator> reservation_ids;
  offer_timers timers;
  // What every offer actor shares, made once.
  std::shared_ptr<const offer_context> offer_context_;
  // One copy of a business for all its offer actors; replaced when the business changes.
  std::unordered_map<int64_t, offer_home_ptr> offer_homes;  // by business id
  std::unordered_map<int64_t, offer_actor> offers;          // by offer id
  // Offers loaded at start-up, spawned once the rest of the system is wired (start_atom).
  std::vector<domain::offer> offers_to_start;
  std::unordered_map<int64_t, std::vector<domain::reservation>> reservations_to_start;
};

using market_pointer = market_actor::stateful_pointer<market_state>;

const std::shared_ptr<const offer_context>& context_of(market_pointer self) {
  auto& st = self->state;
  if (!st.offer_context_) {
    offer_observer observer = self;
    st.offer_context_ = std::make_shared<const offer_context>(
        offer_context{st.reservation_ids, st.persistence, observer, st.timers,
                      market::offer_rules_of(*st.settings), st.unix_clock});
  }
  return st.offer_context_;
}

// What the offers of a business share; made again when the business changed.
offer_home_ptr home_of(market_pointer self, int64_t business_id) {
  auto& st = self->state;
  const auto& context = context_of(self);
  auto business = st.book->business(business_id);
  if (!business) return make_offer_home(context, domain::business{});
  auto& home = st.offer_homes[business_id];
  if (!home || home->business.version != business->version)
    home = make_offer_home(context, std::move(*business));
  return home;
}

// The market book already holds the offer (created, or observed as loaded).
void start_offer(market_pointer self, domain::offer offer,
                 std::vector<domain::reservation> reservations) {
  auto& st = self->state;
  const auto id = offer.id;
  auto actor = spawn_offer(self->system(), home_of(self, offer.business_id), std::move(offer),
                           std::move(reservations));
  // The market outlives its offers only at shutdown: they stop with it.
  self->link_to(actor);
  st.offers[id] = actor;
  st.metrics->live_offers = st.offers.size();
}

market_actor::behavior_type market_impl(market_pointer self, market_dependencies deps) {
  auto& st = self->state;
  st.settings = deps.settings;
  st.persistence = deps.persistence;
  st.metrics = deps.metrics;
  st.unix_clock = std::move(deps.unix_clock);
  st.book = std::make_unique<market::market_book>(market::market_rules_of(*st.settings),
                                                  std::move(deps.businesses));
  st.business_ids = std::make_unique<id_allocator>(deps.max_business_id);
  st.offer_ids = std::make_unique<id_allocator>(deps.max_offer_id);
  st.reservation_ids = std::make_shared<id_allocator>(deps.max_reservation_id);
  st.timers = spawn_offer_timers(self->system());
  self->link_to(st.timers);
  st.book->reserve_room(deps.reservations.size());
  st.reservations_to_start.reserve(deps.offers.size());
  for (auto& r : deps.reservations) st.reservations_to_start[r.offer_id].push_back(std::move(r));
  for (const auto& offer : deps.offers) st.book->observe(offer, st.reservations_to_start[offer.id]);
  st.offers_to_start = std::move(deps.offers);
  return {
      [=](owner_atom, int64_t owner_id) { return self->state.book->business_of_owner(owner_id); },
      [=](business_atom, int64_t id) { return self->state.book->business(id); },
      [=](register_atom, domain::business& application, int64_t now) {
        auto& st = self->state;
        return st.book->register_business(std::move(application), st.business_ids->next(), now);
      },
      [=](decide_atom, int64_t business_id, int64_t admin_id, bool approve, std::string& reason) {
        return self->state.book->decide(business_id, admin_id, approve, reason);
      },
      [=](pending_atom) { return self->state.book->pending(); },
      [=](create_atom, domain::offer& draft, int64_t owner_id, int64_t now) {
        auto& st = self->state;
        auto reply = st.book->create_offer(std::move(draft), owner_id, st.offer_ids->next(), now);
        if (reply.ok) start_offer(self, reply.offer, {});
        return reply;
      },
      [=](market::offer_operation& op) -> caf::result<market::offer_outcome> {
        auto it = self->state.offers.find(market::offer_id_of(op));
        if (it == self->state.offers.end())
          return market::unanswered(op, "offer.refused.not_found");
        return self->delegate(it->second, std::move(op));
      },
      [=](offers_atom, int64_t business_id) {
        return self->state.book->offers_of_business(business_id);
      },
      [=](collect_atom, int64_t owner_id, std::string& code,
          int64_t now) -> caf::result<market::offer_outcome> {
        auto& st = self->state;
        auto routed = st.book->route_collect(owner_id, code, now);
        if (auto* refused = std::get_if<market::collect_reply>(&routed))
          return market::offer_outcome{std::move(*refused)};
        auto& op = std::get<market::collect_pickup>(routed);
        return self->delegate(st.offers.at(op.offer_id), market::offer_operation{std::move(op)});
      },
      [=](listings_atom, const domain::page_query& query) { return self->state.book->page(query); },
      [=](customer_atom, int64_t customer_id) {
        return self->state.book->reservations_of(customer_id);
      },
      [=](stats_atom) {
        auto s = self->state.book->stats();
        // Sessions are the router's; it publishes how many are live in the shared counters.
        s.sessions_live = static_cast<int64_t>(self->state.metrics->live_sessions.load());
        return s;
      },
      [=](changed_atom, domain::offer& offer, std::vector<domain::reservation>& changed) {
        self->state.book->observe(offer, changed);
      },
      [=](start_atom) {
        auto& st = self->state;
        const auto loaded = st.offers_to_start.size();
        for (auto& offer : st.offers_to_start) {
          auto reservations = std::move(st.reservations_to_start[offer.id]);
          start_offer(self, std::move(offer), std::move(reservations));
        }
        logs::info(logs::event("market", "loaded"), "market: {} businesses, {} live offers",
                   st.book->business_count(), loaded);
        // Swapped out rather than cleared: clear() would keep their memory for good.
        std::vector<domain::offer>().swap(st.offers_to_start);
        decltype(st.reservations_to_start)().swap(st.reservations_to_start);
      },
  };
}

}  // namespace

market_actor spawn_market(caf::actor_system& system, market_dependencies deps) {
  return system.spawn(market_impl, std::move(deps));
}

}  // namespace lastcall::actors

#include "actors/market_actor.hpp"

#include <algorithm>
#include <map>
#include <unordered_map>

#include <caf/all.hpp>

#include "domain/pickup_code.hpp"
#include "logs/event.hpp"

namespace lastcall::actors {

namespace {

struct offer_entry {
  offer_actor actor;
  domain::offer snapshot;  // as of the offer actor's last report
};

struct market_state {
  std::shared_ptr<runtime_metrics> metrics;
  static inline const char* name = "market";
  std::shared_ptr<const config::settings> settings;
  persistence_actor persistence;
  std::unique_ptr<id_allocator> business_ids;
  std::unique_ptr<id_allocator> offer_ids;
  std::shared_ptr<id_allocator> reservation_ids;
  offer_timers timers;
  // What every offer actor shares, made once (again when the notification sink changes).
  std::shared_ptr<const offer_context> offer_context_;
  // One copy of a business for all its offer actors; replaced when the business changes.
  std::unordered_map<int64_t, offer_home_ptr> offer_homes;  // by business id
  std::map<int64_t, domain::business> businesses;
  std::unordered_map<int64_t, int64_t> business_of_owner;  // owner -> their latest business
  std::map<int64_t, offer_entry> offers;
  // Offers loaded at start-up, spawned once the rest of the system is wired (start_atom).
  std::vector<domain::offer> offers_to_start;
  std::unordered_map<int64_t, std::vector<domain::reservation>> reservations_to_start;
  // Read model of reservations: by id, and the ids of each customer in creation order.
  std::unordered_map<int64_t, domain::reservation> reservations;
  std::unordered_map<int64_t, std::vector<int64_t>> reservations_of_customer;
};

using market_pointer = market_actor::stateful_pointer<market_state>;

persistence::event_record business_event(const std::string& kind, const domain::business& b,
                                         int64_t actor_id) {
  return {kind,
          b.id,
          actor_id,
          {{"business_id", b.id}, {"status", domain::to_string(b.status)}, {"version", b.version}}};
}

void remember_reservation(market_pointer self, const domain::reservation& r) {
  auto& st = self->state;
  auto [it, inserted] = st.reservations.emplace(r.id, r);
  if (!inserted) {
    if (it->second.version <= r.version) it->second = r;
    return;
  }
  st.reservations_of_customer[r.customer_id].push_back(r.id);
}

const std::shared_ptr<const offer_context>& context_of(market_pointer self) {
  auto& st = self->state;
  if (!st.offer_context_) {
    offer_observer observer = self;
    st.offer_context_ = std::make_shared<const offer_context>(
        offer_context{st.settings, st.reservation_ids, st.persistence, observer, st.timers});
  }
  return st.offer_context_;
}

// What the offers of a business share; made again when the business or the context changed.
offer_home_ptr home_of(market_pointer self, int64_t business_id) {
  auto& st = self->state;
  const auto& context = context_of(self);
  auto it = st.businesses.find(business_id);
  if (it == st.businesses.end()) return make_offer_home(context, domain::business{});
  auto& home = st.offer_homes[business_id];
  if (!home || home->business.version != it->second.version || home->context != context)
    home = make_offer_home(context, it->second);
  return home;
}

offer_actor start_offer(market_pointer self, const domain::offer& offer,
                        std::vector<domain::reservation> rs) {
  auto& st = self->state;
  auto actor = spawn_offer(self->system(), home_of(self, offer.business_id), offer, std::move(rs));
  // The market outlives its offers only at shutdown: they stop with it.
  self->link_to(actor);
  st.offers[offer.id] = offer_entry{actor, offer};
  st.metrics->live_offers = st.offers.size();
  return actor;
}

flows::offer_reply refusal(const std::string& reason_key, bool found = true) {
  flows::offer_reply r;
  r.found = found;
  r.allowed = false;
  r.reason_key = reason_key;
  return r;
}

std::optional<domain::business> business_of(market_pointer self, int64_t owner_id) {
  auto& st = self->state;
  auto it = st.business_of_owner.find(owner_id);
  if (it == st.business_of_owner.end()) return std::nullopt;
  return st.businesses.at(it->second);
}

flows::business_reply register_business(market_pointer self, domain::business application,
                                        int64_t now) {
  auto& st = self->state;
  flows::business_reply r;
  if (auto existing = business_of(self, application.owner_id);
      existing && existing->status != domain::business_status::rejected) {
    r.kind = flows::business_reply::outcome::already_registered;
    r.business = existing;
    return r;
  }
  application.id = st.business_ids->next();
  application.status = domain::business_status::pending;
  application.version = 1;
  application.created_at = now;
  application.decided_by = 0;
  application.reject_reason.clear();
  st.businesses[application.id] = application;
  st.business_of_owner[application.owner_id] = application.id;
  r.kind = flows::business_reply::outcome::ok;
  r.business = application;
  r.changes.businesses.push_back(application);
  r.changes.events.push_back(
      business_event("business.registered", application, application.owner_id));
  return r;
}

flows::business_reply decide(market_pointer self, int64_t business_id, int64_t admin_id,
                             bool approve, const std::string& reason) {
  auto& st = self->state;
  flows::business_reply r;
  if (!st.settings->is_admin(admin_id)) {
    r.kind = flows::business_reply::outcome::not_allowed;
    return r;
  }
  auto it = st.businesses.find(business_id);
  if (it == st.businesses.end()) {
    r.kind = flows::business_reply::outcome::not_found;
    return r;
  }
  auto& b = it->second;
  if (b.status != domain::business_status::pending) {
    r.kind = flows::business_reply::outcome::already_decided;
    r.business = b;
    return r;
  }
  b.status = approve ? domain::business_status::verified : domain::business_status::rejected;
  b.reject_reason = approve ? "" : reason;
  b.decided_by = admin_id;
  b.version += 1;
  r.kind = flows::business_reply::outcome::ok;
  r.business = b;
  r.changes.businesses.push_back(b);
  r.changes.events.push_back(
      business_event(approve ? "business.verified" : "business.rejected", b, admin_id));
  return r;
}

flows::offer_reply create_offer(market_pointer self, domain::offer draft, int64_t owner_id,
                                int64_t now) {
  auto& st = self->state;
  auto business = business_of(self, owner_id);
  if (!business || business->status != domain::business_status::verified)
    return refusal("offer.refused.not_verified");
  draft.id = st.offer_ids->next();
  draft.business_id = business->id;
  draft.currency = st.settings->currency;
  draft.state = domain::offer_state::draft;
  draft.quantity_reserved = 0;
  draft.quantity_collected = 0;
  draft.version = 1;
  draft.created_at = now;
  draft.published_at = 0;
  start_offer(self, draft, {});
  flows::offer_reply r;
  r.found = true;
  r.allowed = true;
  r.ok = true;
  r.outcome = "created";
  r.offer = draft;
  r.business = *business;
  r.left = draft.quantity_left();
  r.changes.offers.push_back(draft);
  r.changes.events.push_back(
      {"offer.created", draft.id, owner_id, {{"offer_id", draft.id}, {"version", 1}}});
  return r;
}

std::vector<domain::offer_listing> listings(market_pointer self) {
  auto& st = self->state;
  std::vector<domain::offer_listing> result;
  for (const auto& [id, entry] : st.offers) {
    const auto& o = entry.snapshot;
    if (o.state == domain::offer_state::draft) continue;
    domain::offer_listing l;
    l.offer_id = o.id;
    l.business_id = o.business_id;
    l.title = o.title;
    l.original_price = o.original_price;
    l.deal_price = o.deal_price;
    l.left = o.quantity_left();
    l.pickup_start = o.pickup_start;
    l.pickup_end = o.pickup_end;
    l.state = o.state;
    if (auto b = st.businesses.find(o.business_id); b != st.businesses.end()) {
      l.business_name = b->second.name;
      l.where = domain::geo_point{b->second.latitude, b->second.longitude};
    }
    result.push_back(std::move(l));
  }
  return result;
}

std::vector<flows::reservation_entry> reservations_of(market_pointer self, int64_t customer_id) {
  auto& st = self->state;
  std::vector<flows::reservation_entry> result;
  auto ids = st.reservations_of_customer.find(customer_id);
  if (ids == st.reservations_of_customer.end()) return result;
  for (auto it = ids->second.rbegin(); it != ids->second.rend(); ++it) {
    flows::reservation_entry e;
    e.reservation = st.reservations.at(*it);
    if (auto o = st.offers.find(e.reservation.offer_id); o != st.offers.end())
      e.offer = o->second.snapshot;
    if (auto b = st.businesses.find(e.offer.business_id); b != st.businesses.end())
      e.business = b->second;
    result.push_back(std::move(e));
  }
  return result;
}

flows::market_stats stats(market_pointer self) {
  auto& st = self->state;
  flows::market_stats s;
  for (const auto& [id, b] : st.businesses) {
    if (b.status == domain::business_status::pending) ++s.businesses_pending;
    if (b.status == domain::business_status::verified) ++s.businesses_verified;
    if (b.status == domain::business_status::rejected) ++s.businesses_rejected;
  }
  for (const auto& [id, entry] : st.offers) {
    const auto& o = entry.snapshot;
    switch (o.state) {
      case domain::offer_state::active:
        ++s.offers_active;
        break;
      case domain::offer_state::paused:
        ++s.offers_paused;
        break;
      case domain::offer_state::sold_out:
        ++s.offers_sold_out;
        break;
      case domain::offer_state::draft:
        ++s.offers_draft;
        break;
      default:
        break;
    }
    if (o.state == domain::offer_state::active || o.state == domain::offer_state::paused ||
        o.state == domain::offer_state::sold_out) {
      s.items_left += o.quantity_left();
      s.items_reserved += o.quantity_reserved;
    }
    s.items_collected += o.quantity_collected;
  }
  // Sessions are the router's; it publishes how many are live in the shared counters.
  if (st.metrics) s.sessions_live = static_cast<int64_t>(st.metrics->live_sessions.load());
  return s;
}

market_actor::behavior_type market_impl(market_pointer self, market_dependencies deps) {
  auto& st = self->state;
  st.settings = deps.settings;
  st.persistence = deps.persistence;
  st.metrics = deps.metrics;
  st.business_ids = std::make_unique<id_allocator>(deps.max_business_id);
  st.offer_ids = std::make_unique<id_allocator>(deps.max_offer_id);
  st.reservation_ids = std::make_shared<id_allocator>(deps.max_reservation_id);
  st.timers = spawn_offer_timers(self->system());
  self->link_to(st.timers);
  for (auto& b : deps.businesses) {
    auto& latest = st.business_of_owner[b.owner_id];
    if (latest == 0 || b.id > latest) latest = b.id;
    st.businesses[b.id] = std::move(b);
  }
  // Sized once: rehashing while a million reservations went in was 6 % of the start-up's CPU.
  st.reservations.reserve(deps.reservations.size());
  st.reservations_to_start.reserve(deps.offers.size());
  for (auto& r : deps.reservations) {
    remember_reservation(self, r);
    st.reservations_to_start[r.offer_id].push_back(std::move(r));
  }
  st.offers_to_start = std::move(deps.offers);
  return {
      [=](owner_atom, int64_t owner_id) { return business_of(self, owner_id); },
      [=](business_atom, int64_t id) -> std::optional<domain::business> {
        auto it = self->state.businesses.find(id);
        if (it == self->state.businesses.end()) return std::nullopt;
        return it->second;
      },
      [=](register_atom, domain::business& application, int64_t now) {
        return register_business(self, std::move(application), now);
      },
      [=](decide_atom, int64_t business_id, int64_t admin_id, bool approve, std::string& reason,
          int64_t) { return decide(self, business_id, admin_id, approve, reason); },
      [=](pending_atom) {
        std::vector<domain::business> pending;
        for (const auto& [id, b] : self->state.businesses)
          if (b.status == domain::business_status::pending) pending.push_back(b);
        return pending;
      },
      [=](create_atom, domain::offer& draft, int64_t owner_id, int64_t now) {
        return create_offer(self, std::move(draft), owner_id, now);
      },
      [=](offer_atom, int64_t offer_id,
          flows::offer_request& req) -> caf::result<flows::offer_reply> {
        auto it = self->state.offers.find(offer_id);
        if (it == self->state.offers.end()) return refusal("offer.refused.not_found", false);
        return self->delegate(it->second.actor, offer_atom::value, std::move(req));
      },
      [=](offers_atom, int64_t business_id) {
        std::vector<domain::offer> result;
        for (const auto& [id, entry] : self->state.offers)
          if (entry.snapshot.business_id == business_id) result.push_back(entry.snapshot);
        std::reverse(result.begin(), result.end());
        return result;
      },
      [=](collect_atom, int64_t owner_id, std::string& code,
          int64_t now) -> caf::result<flows::offer_reply> {
        auto business = business_of(self, owner_id);
        if (!business || business->status != domain::business_status::verified)
          return refusal("collect.no_business");
        auto wrong_code = [] {
          flows::offer_reply r;
          r.found = true;
          r.allowed = true;
          r.outcome = "wrong_code";
          r.reason_key = "collect.wrong_code";
          return r;
        };
        auto reservation_id = domain::reservation_id_of(code);
        if (!reservation_id) return wrong_code();
        auto r = self->state.reservations.find(*reservation_id);
        if (r == self->state.reservations.end()) return wrong_code();
        auto offer = self->state.offers.find(r->second.offer_id);
        if (offer == self->state.offers.end()) return wrong_code();
        return self->delegate(offer->second.actor, collect_atom::value, std::move(code),
                              business->id, owner_id, now);
      },
      [=](listings_atom, const domain::page_query& query) {
        return domain::ranked_page(listings(self), query);
      },
      [=](customer_atom, int64_t customer_id) { return reservations_of(self, customer_id); },
      [=](stats_atom) { return stats(self); },
      [=](changed_atom, domain::offer& offer, std::vector<domain::reservation>& changed) {
        auto it = self->state.offers.find(offer.id);
        if (it != self->state.offers.end() && it->second.snapshot.version <= offer.version)
          it->second.snapshot = std::move(offer);
        for (const auto& r : changed) remember_reservation(self, r);
      },
      [=](start_atom) {
        auto& st = self->state;
        for (const auto& offer : st.offers_to_start)
          start_offer(self, offer, std::move(st.reservations_to_start[offer.id]));
        logs::info(logs::event("market", "loaded"), "market: {} businesses, {} live offers",
                   st.businesses.size(), st.offers_to_start.size());
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

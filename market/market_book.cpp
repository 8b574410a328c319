#include "market/market_book.hpp"

#include <algorithm>

#include "domain/pickup_code.hpp"

namespace lastcall::market {

namespace {

persistence::event_record business_event(const std::string& kind, const domain::business& b,
                                         int64_t actor_id) {
  return {kind,
          b.id,
          actor_id,
          {{"business_id", b.id}, {"status", domain::to_string(b.status)}, {"version", b.version}}};
}

bool live(domain::offer_state s) {
  return s == domain::offer_state::active || s == domain::offer_state::paused ||
         s == domain::offer_state::sold_out;
}

}  // namespace

market_book::market_book(market_rules rules, std::vector<domain::business> businesses)
    : rules_(std::move(rules)) {
  for (auto& b : businesses) load(std::move(b));
}

void market_book::load(domain::business business) {
  auto& latest = business_of_owner_[business.owner_id];
  if (latest == 0 || business.id > latest) latest = business.id;
  businesses_[business.id] = std::move(business);
}

void market_book::reserve_room(size_t reservations) {
  reservations_.reserve(reservations);
}

std::optional<domain::business> market_book::business_of_owner(int64_t owner_id) const {
  auto it = business_of_owner_.find(owner_id);
  if (it == business_of_owner_.end()) return std::nullopt;
  return businesses_.at(it->second);
}

std::optional<domain::business> market_book::business(int64_t id) const {
  auto it = businesses_.find(id);
  if (it == businesses_.end()) return std::nullopt;
  return it->second;
}

business_reply market_book::register_business(domain::business application, int64_t id,
                                              int64_t now) {
  business_reply r;
  if (auto existing = business_of_owner(application.owner_id);
      existing && existing->status != domain::business_status::rejected) {
    r.kind = business_reply::outcome::already_registered;
    r.business = existing;
    return r;
  }
  application.id = id;
  application.status = domain::business_status::pending;
  application.version = 1;
  application.created_at = now;
  application.decided_by = 0;
  application.reject_reason.clear();
  businesses_[application.id] = application;
  business_of_owner_[application.owner_id] = application.id;
  r.kind = business_reply::outcome::ok;
  r.business = application;
  r.changes.businesses.push_back(application);
  r.changes.events.push_back(
      business_event("business.registered", application, application.owner_id));
  for (auto admin : rules_.admin_ids)
    r.changes.notices.push_back({0, admin, domain::notices::new_application{application.id}});
  return r;
}

business_reply market_book::decide(int64_t business_id, int64_t admin_id, bool approve,
                                   const std::string& reason) {
  business_reply r;
  if (std::find(rules_.admin_ids.begin(), rules_.admin_ids.end(), admin_id) ==
      rules_.admin_ids.end()) {
    r.kind = business_reply::outcome::not_allowed;
    return r;
  }
  auto it = businesses_.find(business_id);
  if (it == businesses_.end()) {
    r.kind = business_reply::outcome::not_found;
    return r;
  }
  auto& b = it->second;
  if (b.status != domain::business_status::pending) {
    r.kind = business_reply::outcome::already_decided;
    r.business = b;
    return r;
  }
  b.status = approve ? domain::business_status::verified : domain::business_status::rejected;
  b.reject_reason = approve ? "" : reason;
  b.decided_by = admin_id;
  b.version += 1;
  r.kind = business_reply::outcome::ok;
  r.business = b;
  r.changes.businesses.push_back(b);
  r.changes.events.push_back(
      business_event(approve ? "business.verified" : "business.rejected", b, admin_id));
  r.changes.notices.push_back({0, b.owner_id, domain::notices::business_decided{b.id}});
  return r;
}

std::vector<domain::business> market_book::pending() const {
  std::vector<domain::business> result;
  for (const auto& [id, b] : businesses_)
    if (b.status == domain::business_status::pending) result.push_back(b);
  return result;
}

change_reply market_book::create_offer(domain::offer draft, int64_t owner_id, int64_t id,
                                       int64_t now) {
  change_reply r;
  r.found = true;
  auto business = business_of_owner(owner_id);
  if (!business || business->status != domain::business_status::verified) {
    r.reason_key = "offer.refused.not_verified";
    return r;
  }
  draft.id = id;
  draft.business_id = business->id;
  draft.currency = rules_.currency;
  draft.state = domain::offer_state::draft;
  draft.quantity_reserved = 0;
  draft.quantity_collected = 0;
  draft.version = 1;
  draft.created_at = now;
  draft.published_at = 0;
  offers_[draft.id] = draft;
  r.allowed = true;
  r.ok = true;
  r.offer = draft;
  r.business = *business;
  r.left = draft.quantity_left();
  r.changes.offers.push_back(draft);
  r.changes.events.push_back(
      {"offer.created", draft.id, owner_id, {{"offer_id", draft.id}, {"version", 1}}});
  return r;
}

void market_book::remember(const domain::reservation& r) {
  auto [it, inserted] = reservations_.emplace(r.id, r);
  if (!inserted) {
    if (it->second.version <= r.version) it->second = r;
    return;
  }
  reservations_of_customer_[r.customer_id].push_back(r.id);
}

void market_book::observe(const domain::offer& offer,
                          const std::vector<domain::reservation>& changed) {
  auto [it, inserted] = offers_.emplace(offer.id, offer);
  if (!inserted && it->second.version <= offer.version) it->second = offer;
  for (const auto& r : changed) remember(r);
}

void market_book::observe(const persistence::unit_of_work& changes) {
  for (const auto& o : changes.offers) observe(o, {});
  for (const auto& r : changes.reservations) remember(r);
}

std::vector<domain::offer> market_book::offers_of_business(int64_t business_id) const {
  std::vector<domain::offer> result;
  for (auto it = offers_.rbegin(); it != offers_.rend(); ++it)
    if (it->second.business_id == business_id) result.push_back(it->second);
  return result;
}

domain::offer_page market_book::page(const domain::page_query& query) const {
  std::vector<domain::offer_listing> listings;
  for (const auto& [id, o] : offers_) {
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
    if (auto b = businesses_.find(o.business_id); b != businesses_.end()) {
      l.business_name = b->second.name;
      l.where = domain::geo_point{b->second.latitude, b->second.longitude};
    }
    listings.push_back(std::move(l));
  }
  return domain::ranked_page(listings, query);
}

std::vector<reservation_entry> market_book::reservations_of(int64_t customer_id) const {
  std::vector<reservation_entry> result;
  auto ids = reservations_of_customer_.find(customer_id);
  if (ids == reservations_of_customer_.end()) return result;
  for (auto it = ids->second.rbegin(); it != ids->second.rend(); ++it) {
    reservation_entry e;
    e.reservation = reservations_.at(*it);
    if (auto o = offers_.find(e.reservation.offer_id); o != offers_.end()) e.offer = o->second;
    if (auto b = businesses_.find(e.offer.business_id); b != businesses_.end())
      e.business = b->second;
    result.push_back(std::move(e));
  }
  return result;
}

market_stats market_book::stats() const {
  market_stats s;
  for (const auto& [id, b] : businesses_) {
    if (b.status == domain::business_status::pending) ++s.businesses_pending;
    if (b.status == domain::business_status::verified) ++s.businesses_verified;
    if (b.status == domain::business_status::rejected) ++s.businesses_rejected;
  }
  for (const auto& [id, o] : offers_) {
    if (o.state == domain::offer_state::active) ++s.offers_active;
    if (o.state == domain::offer_state::paused) ++s.offers_paused;
    if (o.state == domain::offer_state::sold_out) ++s.offers_sold_out;
    if (o.state == domain::offer_state::draft) ++s.offers_draft;
    if (live(o.state)) {
      s.items_left += o.quantity_left();
      s.items_reserved += o.quantity_reserved;
    }
    s.items_collected += o.quantity_collected;
  }
  return s;
}

std::variant<collect_pickup, collect_reply> market_book::route_collect(int64_t owner_id,
                                                                       const std::string& code,
                                                                       int64_t now) const {
  collect_reply refused;
  refused.found = true;
  auto business = business_of_owner(owner_id);
  if (!business || business->status != domain::business_status::verified) {
    refused.reason_key = "collect.no_business";
    return refused;
  }
  refused.allowed = true;
  refused.outcome = domain::collect_result::outcome::wrong_code;
  refused.reason_key = "collect.wrong_code";
  auto reservation_id = domain::reservation_id_of(code);
  if (!reservation_id) return refused;
  auto r = reservations_.find(*reservation_id);
  if (r == reservations_.end() || !offers_.count(r->second.offer_id)) return refused;
  return collect_pickup{r->second.offer_id, owner_id, business->id, code, now};
}

}  // namespace lastcall::market

#include "actors/offer_actor.hpp"

#include <optional>
#include <queue>
#include <random>

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "domain/offer_book.hpp"
#include "domain/pickup_code.hpp"
#include "logs/event.hpp"

namespace lastcall::actors {

namespace {

using request_kind = flows::offer_request::kind;

// ---- The shared timers

// What a timer is for, as sent in (tick_atom, what, generation).
constexpr caf::atom_value expire_timer = expire_atom::value;
constexpr caf::atom_value remind_timer = remind_atom::value;

struct timer_entry {
  std::chrono::steady_clock::time_point at;
  caf::actor_addr offer;  // weak: a stopped offer's memory is not held until its timers are due
  uint64_t generation;
  caf::atom_value what;
};

struct later {
  bool operator()(const timer_entry& a, const timer_entry& b) const { return a.at > b.at; }
};

struct timers_state {
  static inline const char* name = "offer_timers";
  std::priority_queue<timer_entry, std::vector<timer_entry>, later> pending;
  // When the one CAF timer is due, and its generation (an earlier entry re-arms it; the older tick
  // then arrives stale).
  std::chrono::steady_clock::time_point armed = std::chrono::steady_clock::time_point::max();
  uint64_t tick_generation = 0;
};

using timers_pointer = offer_timers::stateful_pointer<timers_state>;

void arm(timers_pointer self) {
  auto& st = self->state;
  if (st.pending.empty() || st.pending.top().at >= st.armed) return;
  st.armed = st.pending.top().at;
  auto delay = std::max(std::chrono::steady_clock::duration::zero(),
                        st.armed - std::chrono::steady_clock::now());
  self->delayed_send(self, delay, tick_atom::value, ++st.tick_generation);
}

void add_timer(timers_pointer self, caf::atom_value what, int64_t seconds, uint64_t generation) {
  auto offer = caf::actor_cast<caf::actor_addr>(self->current_sender());
  if (!offer) return;
  self->state.pending.push(timer_entry{
      std::chrono::steady_clock::now() + std::chrono::seconds(std::max<int64_t>(0, seconds)),
      std::move(offer), generation, what});
  arm(self);
}

void deliver(timers_pointer self, const timer_entry& entry) {
  auto offer = caf::actor_cast<offer_actor>(caf::actor_cast<caf::strong_actor_ptr>(entry.offer));
  if (offer)  // else stopped meanwhile
    self->send(offer, tick_atom::value, entry.what, entry.generation);
}

offer_timers::behavior_type timers_impl(timers_pointer self) {
  return {
      [=](tick_atom, caf::atom_value what, int64_t seconds, uint64_t generation) {
        add_timer(self, what, seconds, generation);
      },
      [=](tick_atom, uint64_t generation) {
        auto& st = self->state;
        if (generation != st.tick_generation) return;
        st.armed = std::chrono::steady_clock::time_point::max();
        auto now = std::chrono::steady_clock::now();
        while (!st.pending.empty() && st.pending.top().at <= now) {
          deliver(self, st.pending.top());
          st.pending.pop();
        }
        arm(self);
      },
  };
}

// ---- The offer actor

// Kept to 248 bytes: with CAF's actor around it that is 1,280, one of jemalloc's size classes; 96
// bytes more and every idle offer pays for the next class, 1,536 (BENCHMARKS.md, "Memory").
struct offer_state {
  static inline const char* name = "offer";
  offer_home_ptr home;
  domain::offer_book book;
  uint32_t timer_generation = 0;  // expiry and reminder timers of older settings are stale
  bool reminded = false;
};
static_assert(sizeof(offer_state) <= 248,
              "an idle offer actor would take jemalloc's next size class");

using offer_pointer = offer_actor::stateful_pointer<offer_state>;

const domain::offer& offer_of(offer_pointer self) {
  return self->state.book.state();
}

// The random check value of a pickup code. One generator per worker thread rather than one per
// offer: offers run on those threads one at a time, and a generator each would cost every idle
// offer its bytes and a random_device read at start-up.
uint32_t check_value() {
  thread_local std::mt19937 random{std::random_device{}()};
  return static_cast<uint32_t>(random());
}

persistence::event_record event(const std::string& kind, const domain::offer& o, int64_t actor_id,
                                nlohmann::json payload = nlohmann::json::object()) {
  payload["offer_id"] = o.id;
  payload["state"] = domain::to_string(o.state);
  payload["left"] = o.quantity_left();
  payload["version"] = o.version;
  return persistence::event_record{kind, o.id, actor_id, std::move(payload)};
}

void report(offer_pointer self, std::vector<domain::reservation> changed) {
  self->send(self->state.home->context->market, changed_atom::value, offer_of(self),
             std::move(changed));
}

// Timers are (re)set from the offer's state: the reminder before the end of the pickup window,
// then expiry at its end. One is pending at a time; the reminder sets the expiry when it fires.
void schedule_timers(offer_pointer self) {
  auto& st = self->state;
  uint64_t generation = ++st.timer_generation;
  auto deadline = st.book.next_deadline();
  if (!deadline) return;
  auto now = unix_now();
  const auto& timers = st.home->context->timers;
  auto remind_at = *deadline - int64_t{st.home->context->settings->reminder_minutes} * 60;
  if (!st.reminded && remind_at > now)
    self->send(timers, tick_atom::value, remind_timer, remind_at - now, generation);
  else
    self->send(timers, tick_atom::value, expire_timer, std::max<int64_t>(0, *deadline - now),
               generation);
}

// Changes made by a timer have no user turn to ride with: the offer commits them itself.
void commit(offer_pointer self, persistence::unit_of_work unit) {
  auto offer_id = offer_of(self).id;
  self->request(self->state.home->context->persistence, caf::infinite, commit_atom::value,
                std::move(unit))
      .then([](durable_atom) {},
            [offer_id](caf::error& err) {
              logs::error(logs::event("offer", "timed_change_failed"),
                          "offer {}: committing a timed change failed: {}", offer_id,
                          to_string(err));
            });
}

// The offer's figures are filled in by finish_reply, after the request changed them.
flows::offer_reply base_reply(offer_pointer self) {
  flows::offer_reply r;
  r.found = true;
  r.allowed = true;
  r.business = self->state.home->business;
  return r;
}

void finish_reply(offer_pointer self, flows::offer_reply& r, int64_t user_id) {
  r.offer = offer_of(self);
  r.left = r.offer.quantity_left();
  r.held_by_user = self->state.book.held_by(user_id);
}

void reserve(offer_pointer self, const flows::offer_request& req, flows::offer_reply& r) {
  auto& st = self->state;
  auto mint = [&st] {
    auto id = st.home->context->reservation_ids->next();
    return domain::reservation_identity{id, domain::make_pickup_code(id, check_value())};
  };
  auto result = st.book.reserve(req.user_id, req.quantity, req.now, req.idempotency_key, mint,
                                st.home->context->settings->max_items_per_customer,
                                st.home->business.owner_id);
  r.ok = result.ok();
  r.outcome = domain::to_string(result.kind);
  r.reason_key = result.reason_key();
  r.may_take = result.may_take;
  r.reservation = result.reservation;
  if (result.kind != domain::reserve_result::outcome::reserved) return;
  const auto& o = offer_of(self);
  r.changes.offers.push_back(o);
  r.changes.reservations.push_back(*result.reservation);
  r.changes.events.push_back(
      event("reservation.created", o, req.user_id,
            {{"reservation_id", result.reservation->id}, {"quantity", req.quantity}}));
  report(self, {*result.reservation});
  // Committed with the reservation, so the owner never hears of one that is not stored; their
  // session batches these into one message per OWNER_NOTIFY_INTERVAL_SECONDS.
  r.changes.notices.push_back(
      {0, st.home->business.owner_id,
       domain::notices::new_reservations{o.id, o.title, 1, o.quantity_left()}});
}

void cancel(offer_pointer self, const flows::offer_request& req, flows::offer_reply& r) {
  auto result =
      self->state.book.cancel(req.reservation_id, req.user_id, req.now,
                              self->state.home->context->settings->cancel_cutoff_minutes * 60);
  r.allowed = result.kind != domain::cancel_result::outcome::not_yours;
  r.ok = result.ok();
  r.outcome = domain::to_string(result.kind);
  r.reason_key = result.reason_key();
  if (r.allowed) r.reservation = result.reservation;
  if (!result.ok()) return;
  const auto& o = offer_of(self);
  r.changes.offers.push_back(o);
  r.changes.reservations.push_back(*result.reservation);
  r.changes.events.push_back(
      event("reservation.cancelled", o, req.user_id,
            {{"reservation_id", req.reservation_id}, {"quantity", result.items}}));
  report(self, {*result.reservation});
}

// Lifecycle steps and edits: the owner only.
void change(offer_pointer self, const flows::offer_request& req, flows::offer_reply& r) {
  auto& st = self->state;
  if (req.user_id != st.home->business.owner_id) {
    r.allowed = false;
    r.reason_key = "offer.refused.not_yours";
    return;
  }
  auto holders_before = st.book.holders();
  domain::transition_result result;
  std::string kind;
  switch (req.what) {
    case request_kind::publish:
      result = st.book.publish(req.now);
      kind = "offer.published";
      break;
    case request_kind::pause:
      result = st.book.pause();
      kind = "offer.paused";
      break;
    case request_kind::resume:
      result = st.book.resume(req.now);
      kind = "offer.resumed";
      break;
    case request_kind::end:
      result = st.book.end(req.now);
      kind = "offer.ended";
      break;
    case request_kind::edit_price:
      result = st.book.edit_price(req.original_price, req.deal_price);
      kind = "offer.price_changed";
      break;
    case request_kind::edit_quantity:
      result = st.book.edit_quantity(req.quantity);
      kind = "offer.quantity_changed";
      break;
    default:
      return;
  }
  r.ok = result.ok;
  r.outcome = result.ok ? "ok" : "refused";
  r.reason_key = result.reason_key;
  if (!result.ok) return;
  const auto& o = offer_of(self);
  r.changes.offers.push_back(o);
  for (const auto& changed : result.changed) r.changes.reservations.push_back(changed);
  r.changes.events.push_back(event(kind, o, req.user_id));
  report(self, result.changed);
  if (req.what == request_kind::publish || req.what == request_kind::resume) schedule_timers(self);
  if (req.what == request_kind::pause || req.what == request_kind::end) {
    for (auto holder : holders_before) {
      domain::notice notice = domain::notices::offer_ended{o.id, o.title};
      if (req.what == request_kind::pause) notice = domain::notices::offer_paused{o.id, o.title};
      r.changes.notices.push_back({0, holder, std::move(notice)});
    }
  }
}

flows::offer_reply handle(offer_pointer self, const flows::offer_request& req) {
  auto r = base_reply(self);
  switch (req.what) {
    case request_kind::view:
      r.ok = true;
      break;
    case request_kind::reserve:
      reserve(self, req, r);
      break;
    case request_kind::cancel:
      cancel(self, req, r);
      break;
    case request_kind::reservations:
      r.allowed = req.user_id == self->state.home->business.owner_id;
      r.ok = r.allowed;
      if (r.allowed) r.reservations = self->state.book.reservations();
      break;
    default:
      change(self, req, r);
      break;
  }
  finish_reply(self, r, req.user_id);
  return r;
}

flows::offer_reply collect(offer_pointer self, const std::string& code, int64_t business_id,
                           int64_t user_id, int64_t now) {
  auto r = base_reply(self);
  auto result = self->state.book.collect(code, business_id, now);
  r.allowed = result.kind != domain::collect_result::outcome::not_yours;
  r.ok = result.ok();
  r.outcome = domain::to_string(result.kind);
  r.reason_key = result.reason_key();
  if (r.allowed) r.reservation = result.reservation;
  if (result.ok()) {
    const auto& o = offer_of(self);
    r.changes.offers.push_back(o);
    r.changes.reservations.push_back(*result.reservation);
    r.changes.events.push_back(
        event("reservation.collected", o, user_id, {{"reservation_id", result.reservation->id}}));
    report(self, {*result.reservation});
  }
  finish_reply(self, r, user_id);
  return r;
}

void expire(offer_pointer self) {
  auto now = unix_now();
  auto result = self->state.book.expire(now);
  if (!result.ok) return;
  const auto& o = offer_of(self);
  persistence::unit_of_work unit;
  unit.offers.push_back(o);
  for (const auto& changed : result.changed) {
    unit.reservations.push_back(changed);
    unit.notices.push_back({0, changed.customer_id, domain::notices::missed_pickup{o.id, o.title}});
  }
  unit.events.push_back(event("offer.expired", o, 0, {{"no_shows", result.changed.size()}}));
  commit(self, std::move(unit));
  report(self, result.changed);
  logs::info(logs::event("offer", "expired"), "offer {} expired ({} no-shows)", o.id,
             result.changed.size());
}

void remind(offer_pointer self) {
  auto& st = self->state;
  st.reminded = true;
  const auto& o = offer_of(self);
  persistence::unit_of_work unit;
  for (const auto& reservation : st.book.reservations()) {
    if (reservation.status != domain::reservation_status::active) continue;
    unit.notices.push_back(
        {0, reservation.customer_id,
         domain::notices::pickup_reminder{o.id, o.title, reservation.code, o.pickup_end,
                                          st.home->business.address}});
  }
  if (!unit.empty()) commit(self, std::move(unit));
}

offer_actor::behavior_type offer_impl(offer_pointer self, offer_home_ptr home, domain::offer offer,
                                      std::vector<domain::reservation> reservations) {
  auto& st = self->state;
  st.home = std::move(home);
  // Sessions commit separately, so a stored offer row may count a reservation whose own row was
  // never committed (a crash between the two). The reservation rows are the truth: count from them.
  offer.quantity_reserved = 0;
  offer.quantity_collected = 0;
  for (const auto& r : reservations) {
    if (r.status == domain::reservation_status::active) offer.quantity_reserved += r.quantity;
    if (r.status == domain::reservation_status::collected) offer.quantity_collected += r.quantity;
  }
  st.book = domain::offer_book(std::move(offer), std::move(reservations));
  // An offer whose window ended while the bot was down expires now; the others get their timers
  // back.
  auto deadline = st.book.next_deadline();
  if (deadline && *deadline <= unix_now())
    expire(self);
  else
    schedule_timers(self);
  return {
      [=](offer_atom, flows::offer_request& req) -> flows::offer_reply {
        return handle(self, req);
      },
      [=](collect_atom, std::string& code, int64_t business_id, int64_t user_id, int64_t now)
          -> flows::offer_reply { return collect(self, code, business_id, user_id, now); },
      [=](tick_atom, caf::atom_value what, uint64_t generation) {
        auto& st = self->state;
        if (generation != st.timer_generation) return;
        if (what == remind_timer) {
          remind(self);
          schedule_timers(self);  // now the expiry
          return;
        }
        auto deadline = st.book.next_deadline();
        if (deadline && *deadline > unix_now()) {
          schedule_timers(self);  // the timer fired early: wait for the real end
          return;
        }
        expire(self);
      },
  };
}

}  // namespace

offer_timers spawn_offer_timers(caf::actor_system& system) {
  return system.spawn(timers_impl);
}

offer_home_ptr make_offer_home(std::shared_ptr<const offer_context> context,
                               domain::business business) {
  return offer_home_ptr{caf::make_counted<offer_home>(std::move(context), std::move(business))};
}

offer_actor spawn_offer(caf::actor_system& system, offer_home_ptr home, domain::offer offer,
                        std::vector<domain::reservation> reservations) {
  return system.spawn(offer_impl, std::move(home), std::move(offer), std::move(reservations));
}

}  // namespace lastcall::actors

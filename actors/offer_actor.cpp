#include "actors/offer_actor.hpp"

#include <random>

#include <caf/all.hpp>

#include "domain/pickup_code.hpp"
#include "logs/event.hpp"

namespace lastcall::actors {

namespace {

// Kept to 248 bytes: with CAF's actor around it that is 1,280, one of jemalloc's size classes; 96
// bytes more and every idle offer pays for the next class, 1,536 (BENCHMARKS.md, "Memory").
struct offer_state {
  static inline const char* name = "offer";
  offer_home_ptr home;
  market::live_offer offer;
  uint32_t timer_generation = 0;  // timers of older settings are stale
};
static_assert(sizeof(offer_state) <= 248,
              "an idle offer actor would take jemalloc's next size class");

using offer_pointer = offer_actor::stateful_pointer<offer_state>;

// The random check value of a pickup code. One generator per worker thread rather than one per
// offer: offers run on those threads one at a time, and a generator each would cost every idle
// offer its bytes and a random_device read at start-up.
uint32_t check_value() {
  thread_local std::mt19937 random{std::random_device{}()};
  return static_cast<uint32_t>(random());
}

// Runs `decide` with what the offer's decisions need from around it.
template <class Decide>
auto with_surroundings(offer_pointer self, Decide decide) {
  const auto& home = *self->state.home;
  const std::function<domain::reservation_identity()> mint = [&home] {
    auto id = home.context->reservation_ids->next();
    return domain::reservation_identity{id, domain::make_pickup_code(id, check_value())};
  };
  return decide(market::offer_surroundings{home.business, home.context->rules, mint});
}

void report(offer_pointer self, const persistence::unit_of_work& changes) {
  if (changes.offers.empty()) return;
  self->send(self->state.home->context->market, changed_atom::value, self->state.offer.state(),
             changes.reservations);
}

// The next timer the offer needs; one is pending at a time (the reminder sets the expiry when it
// fires).
void schedule_timer(offer_pointer self) {
  auto& st = self->state;
  uint64_t generation = ++st.timer_generation;
  auto now = st.home->context->unix_clock();
  auto due = st.offer.next_timer(now, st.home->context->rules);
  if (!due) return;
  self->send(st.home->context->timers,
             set_offer_timer{due->what, std::max<int64_t>(0, due->at - now), generation});
}

// Changes made by a timer have no user turn to ride with: the offer commits them itself.
void commit(offer_pointer self, persistence::unit_of_work unit) {
  auto offer_id = self->state.offer.state().id;
  self->request(self->state.home->context->persistence, caf::infinite, commit_atom::value,
                std::move(unit))
      .then([](durable_atom) {},
            [offer_id](caf::error& err) {
              logs::error(logs::event("offer", "timed_change_failed"),
                          "offer {}: committing a timed change failed: {}", offer_id,
                          to_string(err));
            });
}

void fire(offer_pointer self, market::offer_timer what) {
  auto unit = with_surroundings(self, [&](const market::offer_surroundings& around) {
    return self->state.offer.fire(what, self->state.home->context->unix_clock(), around);
  });
  if (what == market::offer_timer::expiry && !unit.offers.empty())
    logs::info(logs::event("offer", "expired"), "offer {} expired ({} no-shows)",
               self->state.offer.state().id, unit.reservations.size());
  report(self, unit);
  if (!unit.empty()) commit(self, std::move(unit));
}

market::offer_outcome handle(offer_pointer self, const market::offer_operation& op) {
  auto outcome = with_surroundings(self, [&](const market::offer_surroundings& around) {
    return self->state.offer.answer(op, around);
  });
  const auto& answer = market::answer_of(outcome);
  report(self, answer.changes);
  const bool started = std::holds_alternative<market::publish_offer>(op) ||
                       std::holds_alternative<market::resume_offer>(op);
  if (started && answer.ok) schedule_timer(self);
  return outcome;
}

offer_actor::behavior_type offer_impl(offer_pointer self, offer_home_ptr home, domain::offer offer,
                                      std::vector<domain::reservation> reservations) {
  auto& st = self->state;
  st.home = std::move(home);
  const auto stored_reserved = offer.quantity_reserved;
  const auto stored_collected = offer.quantity_collected;
  st.offer = market::live_offer(std::move(offer), std::move(reservations));
  // The market read the stored counters; the reservations may count otherwise (see live_offer).
  const auto& counted = st.offer.state();
  if (counted.quantity_reserved != stored_reserved ||
      counted.quantity_collected != stored_collected)
    self->send(st.home->context->market, changed_atom::value, counted,
               std::vector<domain::reservation>{});
  // An offer whose window ended while the bot was down expires now; the others get their timers
  // back.
  const auto now = st.home->context->unix_clock();
  auto due = st.offer.next_timer(now, st.home->context->rules);
  if (due && due->what == market::offer_timer::expiry && due->at <= now)
    fire(self, market::offer_timer::expiry);
  else
    schedule_timer(self);
  return {
      [=](const market::offer_operation& op) { return handle(self, op); },
      [=](const offer_timer_due& timer) {
        if (timer.generation != self->state.timer_generation) return;
        fire(self, timer.what);
        schedule_timer(self);  // the expiry after the reminder; again if this one was early
      },
  };
}

}  // namespace

offer_home_ptr make_offer_home(std::shared_ptr<const offer_context> context,
                               domain::business business) {
  return offer_home_ptr{caf::make_counted<offer_home>(std::move(context), std::move(business))};
}

offer_actor spawn_offer(caf::actor_system& system, offer_home_ptr home, domain::offer offer,
                        std::vector<domain::reservation> reservations) {
  return system.spawn(offer_impl, std::move(home), std::move(offer), std::move(reservations));
}

}  // namespace lastcall::actors

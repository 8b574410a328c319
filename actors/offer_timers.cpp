#include "actors/offer_timers.hpp"

#include <chrono>
#include <queue>

#include <caf/all.hpp>

#include "actors/offer_actor.hpp"

namespace lastcall::actors {

namespace {

struct timer_entry {
  std::chrono::steady_clock::time_point at;
  caf::actor_addr offer;  // weak: a stopped offer's memory is not held until its timers are due
  uint64_t generation;
  market::offer_timer what;
};

struct later {
  bool operator()(const timer_entry& a, const timer_entry& b) const { return a.at > b.at; }
};

struct timers_state {
  static inline const char* name = "offer_timers";
  std::priority_queue<timer_entry, std::vector<timer_entry>, later> pending;
  // When the one CAF timer is due, and its generation (an earlier entry re-arms it; the older
  // wake-up then arrives stale).
  std::chrono::steady_clock::time_point armed = std::chrono::steady_clock::time_point::max();
  uint64_t wake_up_generation = 0;
};

using timers_pointer = offer_timers::stateful_pointer<timers_state>;

void arm(timers_pointer self) {
  auto& st = self->state;
  if (st.pending.empty() || st.pending.top().at >= st.armed) return;
  st.armed = st.pending.top().at;
  auto delay =
      std::max(std::chrono::steady_clock::duration::zero(), st.armed - self->clock().now());
  self->delayed_send(self, delay, timers_wake_up{++st.wake_up_generation});
}

void add_timer(timers_pointer self, const set_offer_timer& timer) {
  auto offer = caf::actor_cast<caf::actor_addr>(self->current_sender());
  if (!offer) return;
  self->state.pending.push(
      timer_entry{self->clock().now() + std::chrono::seconds(std::max<int64_t>(0, timer.seconds)),
                  std::move(offer), timer.generation, timer.what});
  arm(self);
}

void deliver(timers_pointer self, const timer_entry& entry) {
  auto offer = caf::actor_cast<offer_actor>(caf::actor_cast<caf::strong_actor_ptr>(entry.offer));
  if (offer)  // else stopped meanwhile
    self->send(offer, offer_timer_due{entry.what, entry.generation});
}

offer_timers::behavior_type timers_impl(timers_pointer self) {
  return {
      [=](const set_offer_timer& timer) { add_timer(self, timer); },
      [=](const timers_wake_up& wake_up) {
        auto& st = self->state;
        if (wake_up.generation != st.wake_up_generation) return;
        st.armed = std::chrono::steady_clock::time_point::max();
        auto now = self->clock().now();
        while (!st.pending.empty() && st.pending.top().at <= now) {
          deliver(self, st.pending.top());
          st.pending.pop();
        }
        arm(self);
      },
  };
}

}  // namespace

offer_timers spawn_offer_timers(caf::actor_system& system) {
  return system.spawn(timers_impl);
}

}  // namespace lastcall::actors

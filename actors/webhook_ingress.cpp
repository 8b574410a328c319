#include "actors/webhook_ingress.hpp"

#include <unordered_map>

#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "domain/webhook_window.hpp"

namespace lastcall::actors {

namespace {

struct ingress_state {
  static inline const char* name = "webhook_ingress";
  domain::webhook_window window{0, {}, 0};
  std::shared_ptr<runtime_metrics> metrics;
  router_actor router;
  persistence_actor persistence;
  std::vector<telegram::update> early;  // arrived before the wiring
  std::unordered_map<int64_t, std::vector<webhook_ticket>> waiting;
  int64_t stored_offset = 0;
};

using ingress_pointer = webhook_ingress_actor::stateful_pointer<ingress_state>;

void settle(webhook_ticket& ticket) {
  try {
    ticket.durable->set_value();
  } catch (const std::future_error&) {
    // Already settled: nothing to do.
  }
}

// Lets the database forget processed ids below the window's floor.
void store_offset(ingress_pointer self) {
  auto& st = self->state;
  const auto floor = st.window.floor();
  if (floor <= st.stored_offset || !st.persistence) return;
  st.stored_offset = floor;
  persistence::unit_of_work unit;
  unit.update_offset = floor;
  self->request(st.persistence, caf::infinite, commit_atom::value, std::move(unit))
      .then([](durable_atom) {},
            [](caf::error& err) {
              spdlog::warn("storing the webhook floor failed: {}", to_string(err));
            });
}

void arrive(ingress_pointer self, telegram::update update, webhook_ticket ticket) {
  auto& st = self->state;
  const auto id = update.update_id;
  switch (st.window.accept(id)) {
    case domain::webhook_window::arrival::done:
      ++st.metrics->updates_duplicate;
      settle(ticket);
      return;
    case domain::webhook_window::arrival::in_flight:
      ++st.metrics->updates_duplicate;
      st.waiting[id].push_back(std::move(ticket));
      return;
    case domain::webhook_window::arrival::fresh:
      st.waiting[id].push_back(std::move(ticket));
      if (st.router)
        self->send(st.router, update_atom::value, std::move(update));
      else
        st.early.push_back(std::move(update));
      return;
  }
}

webhook_ingress_actor::behavior_type ingress_impl(ingress_pointer self,
                                                  webhook_ingress_options options) {
  auto& st = self->state;
  st.window = domain::webhook_window(options.stored_offset, options.durable_update_ids, unix_now());
  st.stored_offset = options.stored_offset;
  st.metrics = std::move(options.metrics);
  return {
      [=](update_atom, telegram::update& update, webhook_ticket& ticket) {
        arrive(self, std::move(update), std::move(ticket));
      },
      [=](processed_atom, std::vector<int64_t>& ids) {
        auto& st = self->state;
        const auto now = unix_now();
        for (auto id : ids) {
          st.window.mark_durable(id, now);
          auto it = st.waiting.find(id);
          if (it == st.waiting.end()) continue;
          for (auto& ticket : it->second) settle(ticket);
          st.waiting.erase(it);
        }
        st.window.prune(now);
        store_offset(self);
      },
      [=](router_actor& router, persistence_actor& persistence) {
        auto& st = self->state;
        st.router = std::move(router);
        st.persistence = std::move(persistence);
        for (auto& update : st.early) self->send(st.router, update_atom::value, std::move(update));
        st.early.clear();
      },
      [=](status_atom) -> uint64_t { return self->state.window.in_flight(); },
  };
}

}  // namespace

webhook_ingress_actor spawn_webhook_ingress(caf::actor_system& system,
                                            webhook_ingress_options options) {
  return system.spawn(ingress_impl, std::move(options));
}

}  // namespace lastcall::actors

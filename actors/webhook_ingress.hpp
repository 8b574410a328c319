#pragma once
// Updates that Telegram POSTs to the webhook. Each is handed to the router once; the HTTP handler
// waiting on its ticket is released only when the update's effects are durable, so the 200 that
// tells Telegram to forget the update never comes before the commit. Re-sent updates are recognised
// (see domain/webhook_window) and answered at once when done, or when their first delivery is.

#include <cstdint>
#include <future>
#include <memory>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "actors/persistence_actor.hpp"
#include "actors/router.hpp"
#include "actors/runtime_metrics.hpp"

namespace lastcall::actors {

// Settled when the update's effects are durable (or it needs none).
struct webhook_ticket {
  std::shared_ptr<std::promise<void>> durable;
};

}  // namespace lastcall::actors

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::actors::webhook_ticket)

namespace lastcall::actors {

using webhook_ingress_actor =
    caf::typed_actor<caf::reacts_to<update_atom, telegram::update, webhook_ticket>,
                     // Durable updates, from the persistence actor.
                     caf::reacts_to<processed_atom, std::vector<int64_t>>,
                     // Wiring: where updates go and where the offset is stored. Updates that came
                     // earlier wait.
                     caf::reacts_to<router_actor, persistence_actor>,
                     // Replies how many accepted updates are not yet durable.
                     caf::replies_to<status_atom>::with<uint64_t>>;

struct webhook_ingress_options {
  int64_t stored_offset = 0;
  std::vector<int64_t> durable_update_ids;
  std::shared_ptr<runtime_metrics> metrics = std::make_shared<runtime_metrics>();
};

webhook_ingress_actor spawn_webhook_ingress(caf::actor_system& system,
                                            webhook_ingress_options options);

}  // namespace lastcall::actors

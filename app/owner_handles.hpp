#pragma once
// The actors of the market this node owns right now, for the HTTP routes, which outlive them: a
// node that is a standby, or between owning and standing by, has none, and the routes answer 503.
// Handles are kept weakly: a strong one would keep the actor system's shutdown waiting.

#include <mutex>

#include <caf/actor_addr.hpp>
#include <caf/actor_cast.hpp>
#include <caf/weak_intrusive_ptr.hpp>

#include "actors/intake.hpp"
#include "actors/persistence_actor.hpp"

namespace lastcall::app {

class owner_handles {
 public:
  void set(const actors::intake_actor& intake, const actors::persistence_actor& persistence) {
    std::lock_guard<std::mutex> guard(mutex_);
    intake_ = caf::actor_cast<caf::weak_actor_ptr>(intake);
    persistence_ = caf::actor_cast<caf::weak_actor_ptr>(persistence);
  }
  void clear() {
    std::lock_guard<std::mutex> guard(mutex_);
    intake_ = nullptr;
    persistence_ = nullptr;
  }
  // Null handles when none runs.
  actors::intake_actor intake() const {
    std::lock_guard<std::mutex> guard(mutex_);
    return caf::actor_cast<actors::intake_actor>(caf::actor_cast<caf::strong_actor_ptr>(intake_));
  }
  actors::persistence_actor persistence() const {
    std::lock_guard<std::mutex> guard(mutex_);
    return caf::actor_cast<actors::persistence_actor>(
        caf::actor_cast<caf::strong_actor_ptr>(persistence_));
  }

 private:
  mutable std::mutex mutex_;
  caf::weak_actor_ptr intake_;
  caf::weak_actor_ptr persistence_;
};

}  // namespace lastcall::app

#include "domain/lease_term.hpp"

#include <algorithm>

namespace lastcall::domain {

lease_term::lease_term(std::chrono::milliseconds length)
    // A tenth covers clock rates far worse than real machines drift (parts per million).
    : length_(length), margin_(std::max(length / 10, std::chrono::milliseconds(1))) {}

void lease_term::granted(time_point asked_at, int standbys) {
  if (lost_) return;
  granted_ = true;
  asked_at_ = std::max(asked_at_, asked_at);
  standbys_ = standbys;
}

void lease_term::lost() {
  lost_ = true;
}

lease_term::time_point lease_term::acts_until() const {
  if (!granted_ || lost_) return time_point::min();
  if (standbys_ == 0) return time_point::max();
  return asked_at_ + length_ - margin_;
}

bool lease_term::may_act(time_point now) const {
  return now < acts_until();
}

}  // namespace lastcall::domain

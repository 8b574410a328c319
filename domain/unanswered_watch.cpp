#include "domain/unanswered_watch.hpp"

namespace lastcall::domain {

void unanswered_watch::handed_out(int64_t update_id, int64_t user_id, int64_t now_ms) {
  if (!waiting_.insert(update_id).second) return;  // already waiting: it keeps its first moment
  order_.push_back({update_id, user_id, now_ms});
}

void unanswered_watch::handled(int64_t update_id) {
  waiting_.erase(update_id);
}

void unanswered_watch::drop_handled_front() {
  while (!order_.empty() && waiting_.count(order_.front().update_id) == 0) order_.pop_front();
}

std::vector<unanswered_watch::overdue> unanswered_watch::take_overdue(int64_t now_ms) {
  std::vector<overdue> due;
  for (drop_handled_front(); !order_.empty(); drop_handled_front()) {
    const auto& oldest = order_.front();
    if (now_ms - oldest.handed_at_ms < notice_after_ms_) break;
    due.push_back({oldest.user_id, oldest.update_id});
    // Still waiting, but told: it is not returned again.
    order_.pop_front();
  }
  return due;
}

std::optional<int64_t> unanswered_watch::next_due_ms() {
  drop_handled_front();
  if (order_.empty()) return std::nullopt;
  return order_.front().handed_at_ms + notice_after_ms_;
}

}  // namespace lastcall::domain

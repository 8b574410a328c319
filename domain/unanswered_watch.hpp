#pragma once
// The updates handed to sessions and not yet handled, oldest first, and which of them have waited
// longer than the user should wait in silence (NOT_CONFIRMED_NOTICE_SECONDS). The intake keeps one
// for all users, so a slow commit is noticed by one timer for the whole bot rather than by a timer
// per turn: a timer per turn cost CAF's clock thread and the session about a tenth of the bot's CPU
// in a flash sale (BENCHMARKS.md).

#include <cstddef>
#include <cstdint>
#include <deque>
#include <optional>
#include <unordered_set>
#include <vector>

namespace lastcall::domain {

class unanswered_watch {
 public:
  explicit unanswered_watch(int64_t notice_after_ms) : notice_after_ms_(notice_after_ms) {}

  // `now_ms` never goes back (a steady clock).
  void handed_out(int64_t update_id, int64_t user_id, int64_t now_ms);
  void handled(int64_t update_id);

  struct overdue {
    int64_t user_id = 0;
    int64_t update_id = 0;
  };
  // The updates handed out at least the notice time ago and still not handled, oldest first; each
  // is returned once.
  std::vector<overdue> take_overdue(int64_t now_ms);
  // When the oldest update still waiting falls due; none when nothing waits.
  std::optional<int64_t> next_due_ms();

  size_t waiting() const { return waiting_.size(); }

 private:
  struct entry {
    int64_t update_id;
    int64_t user_id;
    int64_t handed_at_ms;
  };
  void drop_handled_front();

  int64_t notice_after_ms_;
  std::deque<entry> order_;  // handed-out order; handled entries leave when they reach the front
  std::unordered_set<int64_t> waiting_;
};

}  // namespace lastcall::domain

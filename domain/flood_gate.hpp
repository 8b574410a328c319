#pragma once
// Inbound flood control: how many updates each user may have handled. A token bucket per user
// (`per_second` on average, `burst` at once); an update beyond it is acknowledged without being
// handled, and the user is told to slow down at most once per `notice_every_ms`. People tapping
// and typing stay well inside the defaults; a script sending thousands of updates does not, and
// its excess must not cost the bot a turn, a commit and a reply each.

#include <cstddef>
#include <cstdint>
#include <unordered_map>

namespace lastcall::domain {

struct flood_limits {
  int per_second = 5;  // 0: no limit
  int burst = 10;
  int64_t notice_every_ms = 60'000;
};

enum class flood_verdict { handle, drop, drop_and_notify };

class flood_gate {
 public:
  explicit flood_gate(flood_limits limits = {});

  flood_verdict admit(int64_t user_id, int64_t now_ms);

  // Users with a bucket that is not full (or a notice period still running); the rest are
  // forgotten now and then, so the gate stays as small as the set of users active right now.
  size_t tracked() const { return buckets_.size(); }

 private:
  struct bucket {
    double tokens = 0;
    int64_t refilled_ms = 0;
    int64_t noticed_ms = 0;
    bool noticed = false;
  };
  void refill(bucket& b, int64_t now_ms) const;
  void forget_idle(int64_t now_ms);

  flood_limits limits_;
  std::unordered_map<int64_t, bucket> buckets_;
  int64_t swept_ms_ = 0;
};

}  // namespace lastcall::domain

#pragma once
// What happens to a Bot API call before the world acts on it: it is counted, injected faults
// (faults.hpp) strike, and flood control lets it through or answers 429. Also the tally of error
// answers, for the driver's stats.
//
// Its own mutex guards it; it takes no other lock but the change_signal's.

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "sandbox/change_signal.hpp"
#include "sandbox/faults.hpp"
#include "sandbox/rate_limiter.hpp"

namespace lastcall::sandbox {

class call_admission {
 public:
  call_admission(change_signal& signal, rate_limits limits, rate_limiter::clock clock);
  call_admission(const call_admission&) = delete;
  call_admission& operator=(const call_admission&) = delete;

  // See world::admit.
  fault_decision admit(const std::string& method, bool flood_controlled, int64_t chat_id);
  void set_rate_limits(rate_limits limits);
  void set_faults(fault_plan plan);
  fault_plan fault_settings() const;
  std::map<std::string, uint64_t> injected_faults() const;
  void record_error(int error_code);

  std::map<std::string, uint64_t> method_calls() const;
  uint64_t calls(const std::string& method) const;
  uint64_t rate_limited_count() const;
  // The stats' "calls", "errors", "rate_limited" and "rate_limits".
  nlohmann::json stats() const;

 private:
  using lock = std::unique_lock<std::mutex>;

  change_signal& signal_;
  mutable std::mutex mutex_;
  faults faults_;
  rate_limiter limiter_;
  std::map<std::string, uint64_t> calls_;
  std::map<int, uint64_t> errors_;
  uint64_t rate_limited_ = 0;
};

}  // namespace lastcall::sandbox

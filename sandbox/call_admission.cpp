#include "sandbox/call_admission.hpp"

#include <algorithm>
#include <utility>

#include "sandbox/bot_api_error.hpp"

namespace lastcall::sandbox {

call_admission::call_admission(change_signal& signal, rate_limits limits, rate_limiter::clock clock)
    : signal_(signal), limiter_(limits, std::move(clock)) {
  faults_.limits = limits;
}

fault_decision call_admission::admit(const std::string& method, bool flood_controlled,
                                     int64_t chat_id) {
  lock guard(mutex_);
  ++calls_[method];
  // Every way out counts as a change: a waiter may be counting calls.
  struct announce {
    change_signal& signal;
    ~announce() { signal.notify(); }
  } announce_call{signal_};
  const auto fault = faults_.injector.decide(method);
  if (fault.kind == fault_kind::server_error) throw bot_api_error(500, "Internal Server Error");
  if (fault.kind == fault_kind::too_many_requests) {
    throw too_many_requests(std::max(1, fault.retry_after_seconds));
  }
  if (fault.kind == fault_kind::drop_connection || fault.kind == fault_kind::malformed_body) {
    return fault;
  }
  if (flood_controlled) {
    const int retry_after = limiter_.admit(chat_id);
    if (retry_after > 0) {
      ++rate_limited_;
      throw too_many_requests(retry_after);
    }
  }
  return fault;
}

void call_admission::set_rate_limits(rate_limits limits) {
  lock guard(mutex_);
  faults_.limits = limits;
  limiter_.set_limits(limits);
  signal_.notify();
}

void call_admission::set_faults(fault_plan plan) {
  lock guard(mutex_);
  faults_.injector.set_plan(std::move(plan));
  signal_.notify();
}

fault_plan call_admission::fault_settings() const {
  lock guard(mutex_);
  return faults_.injector.plan();
}

std::map<std::string, uint64_t> call_admission::injected_faults() const {
  lock guard(mutex_);
  return faults_.injector.injected();
}

void call_admission::record_error(int error_code) {
  lock guard(mutex_);
  ++errors_[error_code];
  signal_.notify();
}

std::map<std::string, uint64_t> call_admission::method_calls() const {
  lock guard(mutex_);
  return calls_;
}

uint64_t call_admission::calls(const std::string& method) const {
  lock guard(mutex_);
  const auto it = calls_.find(method);
  return it == calls_.end() ? 0 : it->second;
}

uint64_t call_admission::rate_limited_count() const {
  lock guard(mutex_);
  return rate_limited_;
}

nlohmann::json call_admission::stats() const {
  lock guard(mutex_);
  auto errors = nlohmann::json::object();
  for (const auto& [code, count] : errors_) errors[std::to_string(code)] = count;
  return {{"calls", calls_},
          {"errors", errors},
          {"rate_limited", rate_limited_},
          {"rate_limits",
           {{"per_chat_per_second", faults_.limits.per_chat_per_second},
            {"global_per_second", faults_.limits.global_per_second}}}};
}

}  // namespace lastcall::sandbox

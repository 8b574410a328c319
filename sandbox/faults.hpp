#pragma once
// Misbehaviour the sandbox shows on purpose. The world consults it before every Bot API call
// (world::admit), so new kinds of trouble are added here and there only.
//
// Faults that make a call fail (a dropped connection, a malformed body, a 500, a 429) strike
// before the call is applied, as a failing front proxy or an overloaded Telegram would: a message
// is then either delivered once or not at all, and a test can demand that every message arrives
// exactly once. (A failure after the call was applied would make any client send it twice: the
// Bot API has no idempotency keys.) A slow answer is applied first and answered late.

#include <cstdint>
#include <map>
#include <random>
#include <set>
#include <string>

#include "sandbox/rate_limiter.hpp"

namespace lastcall::sandbox {

// One kind of trouble: it strikes the next `next` calls, then a `fraction` of the calls after.
struct fault_rule {
  int next = 0;
  double fraction = 0;
  bool active() const { return next > 0 || fraction > 0; }
};

enum class fault_kind {
  none,
  drop_connection,    // the connection closes without an answer
  malformed_body,     // HTTP 200 with a body that is not JSON
  server_error,       // 500 Internal Server Error
  too_many_requests,  // 429 with retry_after, whatever the rate limits say
  slow_answer,        // applied, then answered after a delay
};

inline const char* fault_name(fault_kind kind) {
  switch (kind) {
    case fault_kind::drop_connection:
      return "drop_connection";
    case fault_kind::malformed_body:
      return "malformed_body";
    case fault_kind::server_error:
      return "server_error";
    case fault_kind::too_many_requests:
      return "too_many_requests";
    case fault_kind::slow_answer:
      return "slow_answer";
    case fault_kind::none:
      break;
  }
  return "none";
}

struct fault_plan {
  fault_rule drop_connection;
  fault_rule malformed_body;
  fault_rule server_error;
  fault_rule too_many_requests;
  int retry_after_seconds = 1;
  fault_rule slow_answer;
  int delay_ms = 500;
  // The methods struck; empty: the ones that send or edit messages and answerCallbackQuery, so
  // start-up calls and long polls are spared.
  std::set<std::string> methods;
  uint64_t seed = 1;  // for `fraction`: the same plan strikes the same calls on every run
};

struct fault_decision {
  fault_kind kind = fault_kind::none;
  int retry_after_seconds = 0;
  int delay_ms = 0;
};

// Not thread-safe: the world calls it under its own lock.
class fault_injector {
 public:
  void set_plan(fault_plan plan) {
    plan_ = std::move(plan);
    random_.seed(plan_.seed);
  }
  const fault_plan& plan() const { return plan_; }
  // How often each kind struck, by fault_name.
  const std::map<std::string, uint64_t>& injected() const { return injected_; }

  // The fault for this call, if any; the first kind that strikes, in the order of fault_plan.
  fault_decision decide(const std::string& method) {
    if (!applies_to(method)) return {};
    for (auto [rule, kind] : {std::pair{&plan_.drop_connection, fault_kind::drop_connection},
                              std::pair{&plan_.malformed_body, fault_kind::malformed_body},
                              std::pair{&plan_.server_error, fault_kind::server_error},
                              std::pair{&plan_.too_many_requests, fault_kind::too_many_requests},
                              std::pair{&plan_.slow_answer, fault_kind::slow_answer}}) {
      if (!strikes(*rule)) continue;
      ++injected_[fault_name(kind)];
      return {kind, plan_.retry_after_seconds, plan_.delay_ms};
    }
    return {};
  }

 private:
  bool applies_to(const std::string& method) const {
    static const std::set<std::string> message_methods{"sendMessage",
                                                       "sendPhoto",
                                                       "editMessageText",
                                                       "editMessageCaption",
                                                       "editMessageReplyMarkup",
                                                       "answerCallbackQuery",
                                                       "sendChatAction"};
    return (plan_.methods.empty() ? message_methods : plan_.methods).count(method) > 0;
  }

  bool strikes(fault_rule& rule) {
    if (rule.next > 0) {
      --rule.next;
      return true;
    }
    if (rule.fraction <= 0) return false;
    return std::uniform_real_distribution<double>(0, 1)(random_) < rule.fraction;
  }

  fault_plan plan_;
  std::mt19937_64 random_{1};
  std::map<std::string, uint64_t> injected_;
};

struct faults {
  rate_limits limits;  // flood control on the sending and editing methods
  fault_injector injector;
};

}  // namespace lastcall::sandbox

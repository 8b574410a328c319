#pragma once
// A Bot API call on its way through the client: waiting for a connection, on the wire, or answered.

#include <chrono>
#include <functional>
#include <string>

#include "telegram/api_result.hpp"

namespace lastcall::telegram {

struct call_options {
  long timeout_ms = 0;  // bounds the whole call, from submission; 0: the client's default
  // False: only whether the call succeeded is read (ok, error_code, description, retry_after),
  // and `result` stays null. Most calls' results are never used, and reading them into a JSON
  // document costs more than the rest of the call.
  bool wants_result = true;
};

using api_completion = std::function<void(api_result)>;

struct pending_call {
  std::string method;
  std::string body;
  api_completion done;
  call_options options;
  std::chrono::steady_clock::time_point submitted;
  std::chrono::steady_clock::time_point deadline;
  // Sent once on a kept-alive connection the server had already closed: sent again once, as
  // browsers and curl do, and never a third time.
  bool resent = false;

  // A long poll holds its connection until it ends: nothing may wait behind it.
  bool alone() const { return method == "getUpdates"; }
};

}  // namespace lastcall::telegram

#pragma once
// The outcome of one Bot API call, and how an HTTP answer becomes one.

#include <string>

#include <nlohmann/json.hpp>

namespace lastcall::telegram {

struct api_result {
  enum class outcome { ok, api_error, transport_error };
  outcome kind = outcome::transport_error;
  long http_status = 0;     // 0 when no HTTP answer
  int error_code = 0;       // Bot API error_code when kind == api_error
  std::string description;  // Bot API description or a redacted transport error
  nlohmann::json result;    // the "result" field when ok
  int retry_after = 0;      // seconds, from parameters.retry_after on 429
  bool ok() const { return kind == outcome::ok; }
};

// Reads an HTTP answer. {"ok":true,...} is ok; {"ok":false,...} is api_error whatever the HTTP
// status; a body that is not a Bot API answer is transport_error with the status kept. The
// description never quotes the body, and `secret` is redacted from Telegram's description.
api_result interpret_response(long http_status, const std::string& body, const std::string& secret);

api_result transport_failure(std::string description, long http_status = 0);

}  // namespace lastcall::telegram

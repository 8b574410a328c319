#pragma once
// The outcome of one Bot API call, and how an HTTP answer becomes one.

#include <cstdint>
#include <string>
#include <vector>

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
  // Parts of the result that were not valid JSON and are left out of `result` (see
  // answer_salvage.hpp): entries of a result array, and the ids of those that had a readable
  // update_id.
  int undecodable_entries = 0;
  std::vector<int64_t> undecodable_update_ids;
  // A transport error for a call that never left: this node did not own the market when it was
  // due (bot_api_client::options::may_send). It may go out later; it was not an attempt.
  bool held_back = false;
  bool ok() const { return kind == outcome::ok; }
};

// How much of an answer is read: all of it, or only whether the call succeeded (ok, error_code,
// description, retry_after), which skips building the result's JSON document.
enum class answer_reading { whole, status_only };

// Reads an HTTP answer. {"ok":true,...} is ok; {"ok":false,...} is api_error whatever the HTTP
// status; a body that is not a Bot API answer is transport_error with the status kept. A body that
// is an answer with parts that are not valid JSON is read without those parts. The
// description never quotes the body, and `secret` is redacted from Telegram's description.
api_result interpret_response(long http_status, const std::string& body, const std::string& secret,
                              answer_reading reading = answer_reading::whole);

api_result transport_failure(std::string description, long http_status = 0);

}  // namespace lastcall::telegram

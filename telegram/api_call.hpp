#pragma once
// One outgoing Bot API call, as the actors produce it and the outbox stores it.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace lastcall::telegram {

// Lower values go first: a user watching a button spinner waits on a callback answer.
enum class call_priority : int { callback_answer = 0, interactive = 1, bulk = 2 };

struct api_call {
  std::string method;     // e.g. "sendMessage"
  nlohmann::json params;  // the method's parameters, sent as a JSON body
  int64_t chat_id =
      0;  // the chat it goes to (0 when none): per-chat order and rate limits key on it
  call_priority priority = call_priority::interactive;
  int64_t outbox_id = 0;  // set once the call is durable in the outbox; 0 for calls never stored
  // `params` as the JSON text stored in the outbox, kept so the call is written once: the body
  // sent is this text. Empty until the call is stored.
  std::string body;
  // It tells of a committed change (a reservation's code, a decision): never dropped to make room,
  // only sent (or given up when the chat is blocked or the call fails for good).
  bool must_deliver = false;
};

// The JSON text of a call's parameters. Invalid UTF-8 (a text cut mid-character) is replaced
// rather than thrown on: Telegram would reject the call anyway, and the caller learns that from
// the answer.
inline std::string to_body(const nlohmann::json& params) {
  if (params.is_null()) return "{}";
  return params.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

}  // namespace lastcall::telegram

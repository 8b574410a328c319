#pragma once
// One Bot API call, independent of HTTP: checks the token, finds the method (names are
// case-insensitive, as Telegram's are), applies the world's admission rules and runs the method.

#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "sandbox/request_params.hpp"
#include "sandbox/world.hpp"

namespace lastcall::sandbox {

struct bot_api_reply {
  int status = 200;     // HTTP status: 200, or the error_code
  nlohmann::json body;  // {"ok":true,"result":...} or the error object
  // A fault the HTTP front end acts out: a late answer, a dropped connection or a malformed body
  // (for the last two the call was not applied and `body` is empty).
  fault_decision fault;
};

// `read_params` runs only once the token and the method are known good, so a wrong token is
// answered 401 whatever the body holds.
bot_api_reply serve_bot_api_call(world& state, const std::string& expected_token,
                                 const std::string& token, const std::string& method,
                                 const std::function<request_params()>& read_params);

}  // namespace lastcall::sandbox

#pragma once
// A failed Bot API call as Telegram reports it: the HTTP status doubles as error_code, and the
// description carries Telegram's exact wording because bots (ours included) match on it.

#include <stdexcept>
#include <string>

namespace lastcall::sandbox {

class bot_api_error : public std::runtime_error {
 public:
  bot_api_error(int code, const std::string& description, int retry_after = 0)
      : std::runtime_error(description), code_(code), retry_after_(retry_after) {}

  int code() const { return code_; }
  std::string description() const { return what(); }
  int retry_after() const { return retry_after_; }  // seconds; only set for 429

 private:
  int code_;
  int retry_after_;
};

inline bot_api_error bad_request(const std::string& detail) {
  return bot_api_error(400, "Bad Request: " + detail);
}

inline bot_api_error unauthorized() {
  return bot_api_error(401, "Unauthorized");
}

inline bot_api_error forbidden(const std::string& detail) {
  return bot_api_error(403, "Forbidden: " + detail);
}

inline bot_api_error not_found() {
  return bot_api_error(404, "Not Found");
}

inline bot_api_error conflict(const std::string& detail) {
  return bot_api_error(409, "Conflict: " + detail);
}

inline bot_api_error too_many_requests(int retry_after) {
  return bot_api_error(429, "Too Many Requests: retry after " + std::to_string(retry_after),
                       retry_after);
}

}  // namespace lastcall::sandbox

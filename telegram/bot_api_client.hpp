#pragma once
// A Bot API client over libcurl's multi socket interface: many calls in flight at once on one I/O
// thread that sleeps in epoll, connections to Telegram kept alive and reused, and one easy handle
// per connection slot reused from call to call. The token never appears in a log or a
// description.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "telegram/api_call.hpp"
#include "telegram/api_result.hpp"

namespace lastcall::telegram {

struct call_options {
  long timeout_ms = 0;  // bounds the whole call, from submission; 0: the client's default
  // False: only whether the call succeeded is read (ok, error_code, description, retry_after),
  // and `result` stays null. Most calls' results are never used, and reading them into a JSON
  // document costs more than the rest of the call.
  bool wants_result = true;
};

class bot_api_client {
 public:
  struct options {
    std::string base_url;  // e.g. "https://api.telegram.org"; a trailing slash is ignored
    std::string token;     // secret
    long connect_timeout_ms = 5000;
    long default_timeout_ms = 30000;  // whole call, for calls that give none
    // Calls on the wire at once (one connection each); further calls wait in the client, their
    // timeout already running. At least 1.
    long max_host_connections = 16;
  };

  using call_options = telegram::call_options;
  using completion = std::function<void(api_result)>;

  explicit bot_api_client(options opts);
  // Stops the I/O thread; calls still pending complete with transport_error "shutting down".
  ~bot_api_client();

  bot_api_client(const bot_api_client&) = delete;
  bot_api_client& operator=(const bot_api_client&) = delete;

  // Thread-safe and returns at once. `body` is the JSON text of the parameters ("{}" for none).
  // `done` runs exactly once, on the client's I/O thread, and must not block: every other call
  // waits while it runs. It may itself call call(). For getUpdates the timeout must exceed the
  // long-poll timeout.
  void call(const std::string& method, std::string body, completion done,
            call_options options = {});
  void call(const std::string& method, const nlohmann::json& params, completion done,
            call_options options = {});

  // Waits for the answer: for start-up calls (getMe, setMyCommands). Never from inside a
  // completion.
  api_result call_blocking(const std::string& method, const nlohmann::json& params,
                           long timeout_ms = 0);

  // Calls submitted whose completion has not started yet.
  size_t in_flight() const;

 private:
  class io_loop;
  std::unique_ptr<io_loop> loop_;
};

}  // namespace lastcall::telegram

#pragma once
// A Bot API client over libcurl's multi interface: many calls in flight at once on one I/O thread,
// connections to Telegram kept alive and reused. The token never appears in a log or a description.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "telegram/api_result.hpp"

namespace lastcall::telegram {

class bot_api_client {
 public:
  struct options {
    std::string base_url;  // e.g. "https://api.telegram.org"; a trailing slash is ignored
    std::string token;     // secret
    long connect_timeout_ms = 5000;
    long default_timeout_ms = 30000;  // whole call, for calls that give none
    // Further calls wait for a free connection, their timeout already running; 0: no limit.
    long max_host_connections = 16;
  };

  using completion = std::function<void(api_result)>;

  explicit bot_api_client(options opts);
  // Stops the I/O thread; calls still pending complete with transport_error "shutting down".
  ~bot_api_client();

  bot_api_client(const bot_api_client&) = delete;
  bot_api_client& operator=(const bot_api_client&) = delete;

  // Thread-safe and returns at once. `done` runs exactly once, on the client's I/O thread, and must
  // not block: every other call waits while it runs. It may itself call call(). `timeout_ms` bounds
  // the whole call (0: the default); for getUpdates it must exceed the long-poll timeout.
  void call(const std::string& method, const nlohmann::json& params, completion done,
            long timeout_ms = 0);

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

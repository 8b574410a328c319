#pragma once
// A Bot API client on one I/O thread that sleeps in epoll: many calls in flight at once over a few
// kept-alive HTTP/1.1 connections (plain, or TLS through OpenSSL), and, for a server that reads
// them, several calls on the wire at once on a connection when every connection is busy
// (pipelining: one write and one read for many calls). The token never appears in a log or a
// description.

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "telegram/api_call.hpp"
#include "telegram/api_result.hpp"
#include "telegram/pending_call.hpp"

namespace lastcall::telegram {

class bot_api_client {
 public:
  struct options {
    std::string base_url;  // e.g. "https://api.telegram.org"; a trailing slash is ignored
    std::string token;     // secret
    long connect_timeout_ms = 5000;
    long default_timeout_ms = 30000;  // whole call, for calls that give none
    // Connections to the Bot API at once; at least 1. A call takes an idle connection, or opens
    // one, before it queues behind another call.
    long max_host_connections = 16;
    // Calls on the wire at once on one connection once all are busy; further calls wait in the
    // client, their timeout already running. Above 1 only for a server known to read pipelined
    // requests (many do not: cpp-httplib's own server answers the first and waits).
    long pipeline_depth = 1;
    // Certificates to trust for https instead of the system's (a local Bot API server's own CA).
    std::string ca_file;
    // Asked right before each call goes on the wire, on the I/O thread; a call it refuses fails
    // with a transport error and never reaches the Bot API (a node that may no longer speak for
    // the market: app/market_ownership.hpp). None: every call goes.
    std::function<bool()> may_send;
  };

  using call_options = telegram::call_options;
  using completion = api_completion;

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

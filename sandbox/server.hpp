#pragma once
// The sandbox Bot API server: the Bot API at <base_url>/bot<token>/<method>, the driver API at
// <base_url>/driver/ and the browser chat page at <base_url>/, served by cpp-httplib on its own
// threads around one world.

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

#include "sandbox/driver_page.hpp"
#include "sandbox/rate_limiter.hpp"
#include "sandbox/webhook_sender.hpp"
#include "sandbox/world.hpp"

namespace lastcall::sandbox {

class pipelining_http_server;

struct server_options {
  // Requests with another token are answered 401. Empty: "<bot_id>:sandbox-local-token".
  std::string token;
  int64_t bot_id = 777000001;
  std::string bot_username = "lastcall_sandbox_bot";
  std::string bot_name = "lastcall";
  rate_limits limits;
  int64_t first_update_id = 1;
  // cpp-httplib gives every open connection (idle keep-alive ones too) and every blocked long poll
  // a thread of its own; the bot alone may keep 16 connections open, so this leaves room for polls
  // and the driver.
  size_t worker_threads = 64;
  // Idle keep-alive connections are closed after this; stop() may wait that long for one to let go.
  int keep_alive_seconds = 2;
  rate_limiter::clock clock;  // flood control's clock; empty: the steady clock
  chat_page page;             // the personas and places the browser chat page at "/" offers
};
using options = server_options;

class server {
 public:
  explicit server(server_options opts);
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds and starts serving; port 0 picks a free port. Returns the port. std::runtime_error when
  // the address cannot be bound or the server is already running. A stopped server can be started
  // again and keeps its world.
  int start(const std::string& host, int port);
  // Ends long polls at once, stops accepting and waits for the serving threads. Idempotent.
  void stop();

  world& state() { return world_; }
  const std::string& token() const { return options_.token; }
  std::string base_url() const;  // "http://127.0.0.1:<port>"
  int port() const { return port_; }

 private:
  server_options options_;
  world world_;
  std::unique_ptr<pipelining_http_server> http_;
  std::unique_ptr<webhook_sender> webhooks_;
  std::thread listener_;
  std::atomic<bool> listener_done_{false};
  std::string host_;
  int port_ = 0;
};

}  // namespace lastcall::sandbox

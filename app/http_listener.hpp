#pragma once
// The bot's one HTTP listener (HTTP_HOST:HTTP_PORT, loopback by default): the Telegram webhook,
// /healthz, /metrics and the operators' admin endpoints. Components add their routes to server()
// before start(); cpp-httplib serves them on its own threads, so handlers must only touch
// thread-safe state (atomics, or messages to actors).

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
}

namespace lastcall::app {

class http_listener {
 public:
  http_listener();
  ~http_listener();
  http_listener(const http_listener&) = delete;
  http_listener& operator=(const http_listener&) = delete;

  httplib::Server& server() { return *http_; }

  // Binds and serves; port 0 picks a free port. Returns the bound port; std::runtime_error when
  // the address cannot be bound.
  int start(const std::string& host, int port);
  // Stops accepting and waits for the serving threads. Idempotent.
  void stop();
  int port() const { return port_; }

 private:
  std::unique_ptr<httplib::Server> http_;
  std::thread listener_;
  std::atomic<bool> listener_done_{false};
  int port_ = 0;
};

}  // namespace lastcall::app

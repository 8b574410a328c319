#pragma once
// Whether the server can do its work: PostgreSQL reachable and the Bot API answered getMe. Read by
// /healthz from the listener's threads. The database is probed with its own connection, at most
// once a second, so a load balancer polling /healthz costs the database next to nothing.

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <string>

#include <pqxx/connection>

namespace lastcall::app {

class readiness {
 public:
  explicit readiness(std::string database_url);
  ~readiness();

  void bot_api_answered() { bot_api_ = true; }

  struct report {
    bool database = false;
    bool bot_api = false;
    bool ready() const { return database && bot_api; }
  };
  report check();

 private:
  bool probe_database();

  std::string database_url_;
  std::atomic<bool> bot_api_{false};
  std::mutex mutex_;
  std::unique_ptr<pqxx::connection> connection_;
  std::chrono::steady_clock::time_point last_probe_{};
  bool last_result_ = false;
};

}  // namespace lastcall::app

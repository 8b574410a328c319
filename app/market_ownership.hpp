#pragma once
// This node's part in the market's lease (persistence/market_lease.hpp): a standby waits, cheaply
// and with one connection, until the lease is free and takes it; an owner renews it on a thread of
// its own. Everything that speaks for the market (the poller, the Bot API client, the webhook)
// asks may_act() first, from any thread: an owner whose lease may have passed to another node
// stays silent, and a commit the database fences off (the epoch moved) makes it step down.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>

#include <pqxx/connection>

#include "domain/lease_term.hpp"

namespace lastcall::app {

enum class market_role { standby, owner };

class market_ownership {
 public:
  struct options {
    std::string database_url;
    std::string node_name;  // unique per machine; the holder is "<node_name>/<pid>"
    std::chrono::milliseconds lease{5000};
  };

  explicit market_ownership(options opts);
  ~market_ownership();
  market_ownership(const market_ownership&) = delete;
  market_ownership& operator=(const market_ownership&) = delete;

  // One attempt to take the lease (as a standby, between waits). The epoch when this node now
  // owns the market.
  std::optional<int64_t> try_to_take();
  // How long a standby waits between attempts.
  std::chrono::milliseconds standby_poll() const;

  // Renews the lease on a thread of its own until release() or until it is lost; `on_lost` runs
  // once, on that thread or the caller of lost().
  void keep(std::function<void()> on_lost);
  // A commit was fenced off: the lease is another node's.
  void lost();
  // Stops renewing and ends the lease at once, so a standby takes over without waiting.
  void release();
  // A standby that stops takes itself off the list the owner counts.
  void forget_standby();

  bool may_act() const;
  // False once a standby is known: spooling updates the new owner could not read would lose them.
  bool rides_out_outages() const;

  market_role role() const { return role_.load(); }
  int64_t epoch() const { return epoch_.load(); }
  uint64_t renewals() const { return renewals_.load(); }
  int standbys() const { return standbys_.load(); }
  const std::string& holder() const { return holder_; }
  std::chrono::milliseconds lease_length() const { return options_.lease; }

 private:
  pqxx::connection& connection();
  void renew_loop();
  void publish();  // with mutex_ held
  // With mutex_ held: ends the term, so this node stops acting at once and is a standby again, and
  // stops the keeper. Returns the callback for a lost lease, for the caller to run or drop.
  std::function<void()> step_down();

  options options_;
  std::string holder_;
  std::unique_ptr<pqxx::connection> connection_;  // used by one thread at a time
  std::atomic<market_role> role_{market_role::standby};
  std::atomic<int64_t> epoch_{0};
  std::atomic<uint64_t> renewals_{0};
  std::atomic<int> standbys_{0};
  // steady_clock nanoseconds; may_act() compares without a lock.
  std::atomic<int64_t> acts_until_{0};
  std::atomic<bool> rides_out_{false};

  std::mutex mutex_;
  domain::lease_term term_;
  std::condition_variable wake_;
  bool stopping_ = false;
  std::function<void()> on_lost_;
  std::thread keeper_;
};

// "<host name>": the default node name.
std::string default_node_name();

}  // namespace lastcall::app

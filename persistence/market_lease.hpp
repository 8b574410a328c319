#pragma once
// The market's lease in PostgreSQL (migration 005): which node owns the market, under which epoch,
// until when. Each call is one short statement on the caller's connection, timed by the
// database's clock; the caller keeps its own time of when it asked (domain/lease_term.hpp).

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>

#include <pqxx/connection>

namespace lastcall::persistence {

struct lease_holder {
  std::string holder;  // "" when nobody ever held it
  int64_t epoch = 0;
  bool expired = true;
};

lease_holder read_lease(pqxx::connection& connection);

// What a node is granted on taking the lease: its epoch, and how many other nodes stand by (which
// decides from the first moment whether the owner must fall silent when it cannot renew).
struct lease_grant {
  int64_t epoch = 0;
  int standbys = 0;
};

// Takes the lease with a new epoch when it has expired, or when `holder_is_gone` says its holder
// is a process known to be dead (a restart on the same machine need not wait for the expiry).
// Nothing when another node holds it.
std::optional<lease_grant> take_lease(pqxx::connection& connection, const std::string& node,
                                      std::chrono::milliseconds length, bool holder_is_gone = false,
                                      const std::string& gone_holder = {});

// Extends the lease held under `epoch`. The number of standbys seen lately (other nodes waiting to
// take over), or nothing when the epoch was taken over: this node no longer owns the market.
std::optional<int> renew_lease(pqxx::connection& connection, int64_t epoch,
                               std::chrono::milliseconds length, const std::string& node);

// Ends the lease at once (a clean stop), so a standby need not wait for it to expire.
void release_lease(pqxx::connection& connection, int64_t epoch);

// A standby says it is waiting; the owner counts the ones seen within `recent`.
void note_standby(pqxx::connection& connection, const std::string& node);
void forget_standby(pqxx::connection& connection, const std::string& node);

// The statement that makes a transaction fail unless `epoch` still owns the market; it goes right
// after BEGIN. The error it raises has this SQLSTATE.
std::string fence_statement(int64_t epoch);
constexpr const char* fenced_sqlstate = "LC001";

}  // namespace lastcall::persistence

#pragma once
// Taking a snapshot from the database in two steps, so the persistence actor, which must not
// commit while the moment is chosen, waits only for the first:
//  1. pin(): on a connection of its own, a REPEATABLE READ READ ONLY transaction reads the last
//     event seq. PostgreSQL fixes the transaction's view at its first query, so from then on it
//     sees the tables exactly as they were then, however much commits afterwards. Called between
//     two batches, that view holds every committed unit and nothing half-written, and the seq says
//     which log position it matches (one writer appends events in commit order).
//  2. read(): reads every row in that transaction. Slow for a big market, so it runs on a thread
//     of its own while the actor goes on committing on its own connection.

#include <cstdint>
#include <memory>
#include <string>

#include <pqxx/connection>
#include <pqxx/transaction>

#include "persistence/snapshot_format.hpp"

namespace lastcall::persistence {

class pinned_snapshot {
 public:
  // Throws what connecting or querying throws (messages are free of passwords).
  static std::unique_ptr<pinned_snapshot> pin(const std::string& database_url);

  int64_t event_seq() const { return event_seq_; }

  // Once, from any one thread at a time; `taken_at` is stored as the snapshot's time.
  snapshot read(int64_t taken_at);

 private:
  using view = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;
  pinned_snapshot() = default;

  // Declared in this order so the transaction ends before its connection closes.
  std::unique_ptr<pqxx::connection> connection_;
  std::unique_ptr<view> txn_;
  int64_t event_seq_ = 0;
};

}  // namespace lastcall::persistence

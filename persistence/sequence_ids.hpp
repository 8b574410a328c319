#pragma once
// Ids drawn from a database sequence a block at a time, so that a batch which needs ids for its
// rows (outbox calls, notices) learns them without a round trip of its own. The block is drawn in
// the caller's connection; ids are handed out in ascending order, so rows numbered from one
// reserve keep the order they were numbered in. Ids of a block left unused when the process stops
// are never used: a sequence has gaps anyway.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/transaction_base>

namespace lastcall::persistence {

class sequence_ids {
 public:
  // `block`: how many ids one round trip draws (at least the count asked for).
  explicit sequence_ids(std::string sequence, size_t block = 1024);

  // `count` ids, ascending, drawing a new block through `txn` only when too few are left.
  std::vector<int64_t> take(pqxx::transaction_base& txn, size_t count);

 private:
  std::string sequence_;
  size_t block_;
  std::vector<int64_t> ready_;  // ascending; handed out from `next_`
  size_t next_ = 0;
};

}  // namespace lastcall::persistence

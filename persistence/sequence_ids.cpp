#include "persistence/sequence_ids.hpp"

#include <algorithm>

#include <pqxx/pqxx>

namespace lastcall::persistence {

sequence_ids::sequence_ids(std::string sequence, size_t block)
    : sequence_(std::move(sequence)), block_(std::max<size_t>(block, 1)) {}

std::vector<int64_t> sequence_ids::take(pqxx::transaction_base& txn, size_t count) {
  if (count == 0) return {};
  const size_t left = ready_.size() - next_;
  if (left < count) {
    // What is left goes first, so the ids stay ascending across blocks.
    std::vector<int64_t> kept(ready_.begin() + static_cast<std::ptrdiff_t>(next_), ready_.end());
    const auto drawn =
        txn.exec("SELECT nextval(" + txn.quote(sequence_) + ") FROM generate_series(1," +
                 std::to_string(std::max(block_, count - left)) + ")");
    std::vector<int64_t> fresh;
    fresh.reserve(drawn.size());
    for (const auto& row : drawn) fresh.push_back(row[0].as<int64_t>());
    std::sort(fresh.begin(), fresh.end());
    kept.insert(kept.end(), fresh.begin(), fresh.end());
    ready_ = std::move(kept);
    next_ = 0;
  }
  std::vector<int64_t> ids(ready_.begin() + static_cast<std::ptrdiff_t>(next_),
                           ready_.begin() + static_cast<std::ptrdiff_t>(next_ + count));
  next_ += count;
  return ids;
}

}  // namespace lastcall::persistence

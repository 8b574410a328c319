#include "persistence/snapshot_reader.hpp"

#include <stdexcept>

#include <pqxx/pqxx>

#include "persistence/database.hpp"
#include "persistence/loader.hpp"

namespace lastcall::persistence {

std::unique_ptr<pinned_snapshot> pinned_snapshot::pin(const std::string& database_url) {
  std::unique_ptr<pinned_snapshot> pinned(new pinned_snapshot);
  pinned->connection_ = connect(database_url);
  pinned->txn_ = std::make_unique<view>(*pinned->connection_, "snapshot");
  // The first query fixes what the transaction sees: this is the snapshot's moment.
  pinned->event_seq_ =
      pinned->txn_->exec1("SELECT coalesce(max(seq),0) FROM events")[0].as<int64_t>();
  return pinned;
}

snapshot pinned_snapshot::read(int64_t taken_at) {
  if (!txn_) throw std::logic_error("a pinned snapshot is read once");
  auto rows = load_all_rows(*txn_);
  txn_->commit();
  txn_.reset();
  connection_.reset();

  snapshot s;
  s.event_seq = event_seq_;
  s.taken_at = taken_at;
  s.entities.users = std::move(rows.users);
  s.entities.businesses = std::move(rows.businesses);
  s.entities.offers = std::move(rows.offers);
  s.entities.reservations = std::move(rows.reservations);
  s.outbox = std::move(rows.outbox);
  s.update_offset = rows.update_offset;
  s.processed_update_ids = std::move(rows.processed_update_ids);
  return s;
}

}  // namespace lastcall::persistence

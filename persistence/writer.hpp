#pragma once
// The group-commit writer: many units of work in one transaction, a few multi-row statements per
// batch instead of a round trip per row.

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "persistence/sequence_ids.hpp"
#include "persistence/snapshot_entities.hpp"
#include "persistence/unit_of_work.hpp"

namespace lastcall::persistence {

// Writes the units and deletes the sent outbox entries in ONE transaction, or throws and writes
// nothing:
// - entity rows are upserted keeping the highest version: an older snapshot never overwrites a
//   newer one, and of two snapshots of one entity in the batch the higher version wins;
// - events are appended in unit order, and the batch's last event carries in events.state the
//   images of the entity rows the batch upserted (an event of kind "state" is added to carry them
//   when the batch has rows but no events). With them the log alone can bring the current-state
//   tables up to date from a snapshot (persistence/replay.hpp). A column on a row the batch
//   writes anyway, rather than a row per entity, keeps the row count as it was; each entity is
//   imaged once per batch however many units changed it, so a hot offer costs one image a batch;
// - outbox calls are inserted and each api_call::outbox_id is set to its row id (ids grow in unit
//   order; after a throw the ids set are meaningless);
// - notices are inserted and each notice_record::id is set to its row id; handled notices are
//   deleted;
// - processed update ids are recorded; the stored update_offset becomes the largest one given but
//   never moves backwards, and processed ids below it are deleted.
// A non-empty `commit_token` is stored with the batch, so after a connection loss during COMMIT
// commit_token_stored() tells whether the batch committed.
// Returns the number of rows it sent to the database.
// `ids`: where row ids come from, kept from batch to batch by a long-lived writer so that a batch
// needs one round trip (BEGIN, its statements and COMMIT in one string); without it each batch
// draws exactly the ids it needs first.
struct writer_ids {
  explicit writer_ids(size_t block = 1024);
  sequence_ids outbox;
  sequence_ids notices;
};
// `fence_epoch`, when not 0: the batch fails with persistence::fenced_sqlstate unless that epoch
// still owns the market's lease (persistence/market_lease.hpp).
size_t write_batch(pqxx::connection& connection, std::vector<unit_of_work*>& units,
                   const std::vector<int64_t>& sent_outbox_ids,
                   const std::string& commit_token = {}, writer_ids* ids = nullptr,
                   int64_t fence_epoch = 0);

// Upserts the rows in the caller's transaction with the same version guard write_batch uses (the
// newest version wins; of equal versions the stored row stays), and records nothing in the event
// log: restore and replay apply images the log already holds. Returns the number of rows sent.
size_t apply_images(pqxx::transaction_base& txn, const entity_images& images);

// Whether the batch written with this token committed (only the latest token is kept).
bool commit_token_stored(pqxx::connection& connection, const std::string& commit_token);

}  // namespace lastcall::persistence

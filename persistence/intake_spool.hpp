#pragma once
// The intake's fallback while PostgreSQL is unreachable: a poll's updates (or a webhook request's
// update) are appended to a local file and synced to disk, so the getUpdates offset can move on
// (or the webhook answer 200) and the bot keeps reading, and answering what needs nothing stored,
// for any number of updates. The same updates stay queued for the inbox in the persistence actor
// and reach it, in order, before anything that handles them; once every spooled batch is in the
// inbox the file is emptied. After a crash, the batches the database does not have yet are taken
// in again from the file.
//
// The file is this node's own: an update spooled on a machine that dies with the database still
// down is on that machine's disk only.

#include <cstdint>
#include <string>
#include <vector>

#include "persistence/unit_of_work.hpp"

namespace lastcall::persistence {

struct spooled_batch {
  int64_t next_offset = 0;  // the getUpdates offset that confirmed the batch; 0 from a webhook
  std::vector<inbox_entry> updates;
};

class intake_spool {
 public:
  explicit intake_spool(std::string path);

  // Appends the batch and syncs it to disk; throws std::runtime_error when it cannot.
  void append(const spooled_batch& batch);
  // Every complete batch in the file, oldest first; a torn last line (a crash while writing) is
  // left out, as its offset never reached Telegram.
  std::vector<spooled_batch> read_all() const;
  // Empties the file (every batch in it is in the database).
  void clear();
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// The spool file of one bot on one database, in `data_dir`.
std::string intake_spool_path(const std::string& data_dir, int64_t bot_id,
                              const std::string& database_url);

}  // namespace lastcall::persistence

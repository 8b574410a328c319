#include "persistence/snapshot_restore.hpp"

#include <string>
#include <vector>

#include <pqxx/pqxx>

#include "persistence/writer.hpp"

namespace lastcall::persistence {

namespace {

// Rows per INSERT for the outbox and processed update ids.
constexpr size_t rows_per_statement = 1000;

void refuse_unless_empty(pqxx::work& txn) {
  // Held until the restore commits: a server started on this database meanwhile waits for it.
  txn.exec0("LOCK TABLE users, businesses, offers, reservations IN EXCLUSIVE MODE");
  std::vector<std::string> occupied;
  for (const char* table : {"users", "businesses", "offers", "reservations"}) {
    if (txn.exec1(std::string("SELECT EXISTS (SELECT 1 FROM ") + table + ")")[0].as<bool>())
      occupied.push_back(table);
  }
  if (occupied.empty()) return;
  std::string list;
  for (size_t i = 0; i < occupied.size(); ++i) list += (i ? ", " : "") + occupied[i];
  throw restore_refused("the target database already holds " + list +
                        "; restore only into an empty database");
}

void refuse_overlapping_log(pqxx::work& txn, int64_t after_seq) {
  const auto later =
      txn.exec1("SELECT count(*) FROM events WHERE seq > " + std::to_string(after_seq))[0]
          .as<int64_t>();
  if (later > 0)
    throw restore_refused("the target database's event log already goes past the snapshot (" +
                          std::to_string(later) + " events after " + std::to_string(after_seq) +
                          "); the log to replay cannot be copied into it");
}

size_t insert_outbox(pqxx::work& txn, const std::vector<telegram::api_call>& calls) {
  for (size_t begin = 0; begin < calls.size(); begin += rows_per_statement) {
    const size_t end = std::min(calls.size(), begin + rows_per_statement);
    std::string sql = "INSERT INTO outbox (chat_id,method,params,priority) VALUES ";
    for (size_t i = begin; i < end; ++i) {
      const auto& call = calls[i];
      sql += (i == begin ? "(" : ",(") + std::to_string(call.chat_id) + "," +
             txn.quote(call.method) + "," + txn.quote(json_text(call.params)) + "::jsonb," +
             std::to_string(static_cast<int>(call.priority)) + ")";
    }
    txn.exec0(sql);
  }
  return calls.size();
}

void restore_update_progress(pqxx::work& txn, const snapshot& s) {
  txn.exec0("INSERT INTO bot_state (key,value) VALUES ('update_offset','" +
            std::to_string(s.update_offset) +
            "') ON CONFLICT (key) DO UPDATE SET value=EXCLUDED.value");
  const auto& ids = s.processed_update_ids;
  for (size_t begin = 0; begin < ids.size(); begin += rows_per_statement) {
    const size_t end = std::min(ids.size(), begin + rows_per_statement);
    std::string sql = "INSERT INTO processed_updates (update_id) VALUES ";
    for (size_t i = begin; i < end; ++i)
      sql += (i == begin ? "(" : ",(") + std::to_string(ids[i]) + ")";
    txn.exec0(sql + " ON CONFLICT DO NOTHING");
  }
}

// New events must number after everything the restored state includes, so a snapshot taken
// later from this database names a position in the same log.
void continue_event_numbering(pqxx::work& txn, int64_t at_least) {
  txn.exec("SELECT setval(pg_get_serial_sequence('events','seq'), greatest(" +
           std::to_string(at_least) +
           ", (SELECT coalesce(max(seq),0) FROM events), 1), "
           "greatest(" +
           std::to_string(at_least) + ", (SELECT coalesce(max(seq),0) FROM events)) > 0)");
}

}  // namespace

restore_report restore_snapshot(pqxx::connection& target, const snapshot& s,
                                pqxx::connection* log_source) {
  restore_report report;
  pqxx::work txn(target, "restore_snapshot");
  refuse_unless_empty(txn);
  if (log_source) refuse_overlapping_log(txn, s.event_seq);

  // Foreign keys are deferred to the commit, so the order of the tables does not matter.
  apply_images(txn, s.entities);
  report.users = s.entities.users.size();
  report.businesses = s.entities.businesses.size();
  report.offers = s.entities.offers.size();
  report.reservations = s.entities.reservations.size();
  restore_update_progress(txn, s);

  if (log_source) {
    pqxx::transaction<pqxx::repeatable_read, pqxx::read_only> log(*log_source, "replay_source");
    report.replayed = replay_log(log, txn, s.event_seq, true);
    log.commit();
  } else {
    report.replayed = replay_log(txn, txn, s.event_seq, false);
  }
  if (report.replayed.events == 0) report.outbox = insert_outbox(txn, s.outbox);
  continue_event_numbering(txn, s.event_seq);
  txn.commit();
  return report;
}

}  // namespace lastcall::persistence

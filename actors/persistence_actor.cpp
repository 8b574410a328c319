#include "actors/persistence_actor.hpp"

#include <algorithm>
#include <chrono>
#include <ctime>
#include <deque>
#include <filesystem>
#include <memory>
#include <optional>
#include <random>
#include <thread>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "domain/backoff.hpp"
#include "logs/event.hpp"
#include "persistence/database.hpp"
#include "persistence/failure.hpp"
#include "persistence/snapshot_file.hpp"
#include "persistence/snapshot_reader.hpp"
#include "persistence/writer.hpp"

namespace lastcall::actors {

namespace {

using std::chrono::milliseconds;
using std::chrono::steady_clock;

// Retries while the database is unreachable: quick after a blip, and never hammering it.
constexpr domain::backoff_policy reconnect_backoff{50, 2000};

struct waiting_unit {
  persistence::unit_of_work unit;
  caf::typed_response_promise<durable_atom> promise;
};

// What committed units hand on to other actors: sent once per flush, not once per unit.
struct committed_effects {
  std::vector<telegram::api_call> calls;
  std::vector<int64_t> processed;
  std::vector<persistence::notice_record> notices;
};

enum class attempt_outcome { committed, unreachable, rejected, fenced };

struct snapshot_job {
  uint64_t number = 0;
  std::string folder;  // empty: reply with the text
  caf::typed_response_promise<snapshot_outcome> promise;
};

// Runs on the snapshot's own thread: reads the pinned transaction, then writes the file or keeps
// the text. Everything it touches was handed to it; it reports back by message.
snapshot_outcome read_snapshot(persistence::pinned_snapshot& pinned, const std::string& folder,
                               int64_t taken_at) {
  snapshot_outcome out;
  out.event_seq = pinned.event_seq();
  try {
    const auto started = steady_clock::now();
    const auto s = pinned.read(taken_at);
    auto text = persistence::serialise_snapshot(s);
    const size_t rows = s.entities.size();
    const size_t bytes = text.size();
    if (folder.empty()) {
      out.text = std::move(text);
    } else {
      const auto path = std::filesystem::absolute(
          std::filesystem::path(folder) / persistence::snapshot_file_name(s.event_seq, taken_at));
      persistence::write_file_atomically(path.string(), text);
      out.path = path.string();
    }
    const auto took =
        std::chrono::duration_cast<milliseconds>(steady_clock::now() - started).count();
    logs::info(logs::event("persistence", "snapshot_taken"),
               "snapshot at event {} taken: {} rows, {} bytes, {} ms{}{}", s.event_seq, rows, bytes,
               took, out.path.empty() ? "" : ", written to ", out.path);
    out.ok = true;
  } catch (const std::exception& e) {
    // Database errors name the database by its redacted URL; file errors name the path.
    out.error = e.what();
    logs::error(logs::event("persistence", "snapshot_failed"), "snapshot at event {} failed: {}",
                out.event_seq, out.error);
  }
  return out;
}

std::string random_token_prefix() {
  std::random_device entropy;
  std::uniform_int_distribution<uint64_t> any;
  return std::to_string(any(entropy)) + ":";
}

struct persistence_state;
using persistence_pointer = persistence_actor::stateful_pointer<persistence_state>;

struct persistence_state {
  static inline const char* name = "persistence";

  persistence_pointer self = nullptr;
  persistence_options options;
  outbound_actor outbound;
  update_sink tracker;
  notification_sink notices;
  // Committed before the sink was wired: handed on when it is.
  std::vector<persistence::notice_record> early_notices;
  persistence::persistence_metrics own_metrics;
  persistence::persistence_metrics* metrics = &own_metrics;

  std::unique_ptr<pqxx::connection> connection;
  persistence::writer_ids ids;  // drawn a block at a time, kept across batches and reconnections
  std::deque<waiting_unit> waiting;  // accepted, not yet committed, in arrival order
  std::vector<int64_t> sent_ids;     // outbox rows to delete with the next batch
  bool flush_queued = false;         // a flush_atom (immediate or delayed) is on its way
  domain::retry_backoff backoff{reconnect_backoff};
  // An outage is under way; logged once when it starts and once when it ends.
  bool unreachable = false;
  steady_clock::time_point unreachable_since;
  bool refusing = false;  // refusals are logged once per episode, not once per unit
  bool fenced = false;    // another node owns the market: never commit again
  std::string last_rejection;
  // A batch whose COMMIT outcome is unknown: it carried the front in_doubt_units units.
  std::string in_doubt_token;
  size_t in_doubt_units = 0;
  std::string token_prefix = random_token_prefix();
  uint64_t token_counter = 0;
  // Snapshots: one is read at a time, the others wait their turn.
  std::deque<snapshot_job> snapshot_queue;
  std::optional<snapshot_job> snapshot_running;
  std::thread snapshot_reader;
  uint64_t snapshot_counter = 0;

  ~persistence_state() {
    if (self == nullptr) return;
    finish_snapshots();
    try {
      commit_before_exit();
    } catch (...) {
      // Nothing may escape a destructor; the requesters below learn that nothing was saved.
    }
    if (!waiting.empty())
      logs::error(logs::event("persistence", "stopped_unsaved"),
                  "persistence stopped with {} units not saved", waiting.size());
    for (auto& w : waiting)
      w.promise.deliver(
          caf::make_error(caf::sec::runtime_error, "stopped before the change was saved"));
    waiting.clear();
  }

  // Too many units wait (a long outage): the next is refused, and its sender retries later.
  bool full() {
    if (waiting.size() < options.pending_max_units) {
      refusing = false;
      return false;
    }
    if (!refusing) {
      logs::warn(logs::event("persistence", "overloaded"),
                 "persistence refuses new units: {} are waiting to be saved", waiting.size());
      refusing = true;
    }
    metrics->refused_units++;
    return true;
  }

  static caf::error refusal() {
    return caf::make_error(caf::sec::runtime_error, "too many changes are waiting to be saved");
  }

  caf::result<durable_atom> accept(persistence::unit_of_work&& unit) {
    if (full()) return refusal();
    return enqueue(std::move(unit));
  }

  // The unit leaves the sender's pointer only when accepted: a refused one stays whole there.
  caf::result<durable_atom> accept(const std::shared_ptr<persistence::unit_of_work>& unit) {
    if (!unit) return caf::make_error(caf::sec::invalid_argument, "no unit");
    if (full()) return refusal();
    return enqueue(std::move(*unit));
  }

  caf::result<durable_atom> enqueue(persistence::unit_of_work&& unit) {
    auto promise = self->make_response_promise<durable_atom>();
    waiting.push_back(waiting_unit{std::move(unit), promise});
    metrics->pending_units = waiting.size();
    schedule_flush();
    return promise;
  }

  void add_sent(std::vector<int64_t>& ids) {
    sent_ids.insert(sent_ids.end(), ids.begin(), ids.end());
    schedule_flush();
  }

  // Whatever arrived before this message forms the batch: the flush was queued behind it.
  void flush() {
    flush_queued = false;
    if (fenced || (waiting.empty() && sent_ids.empty())) return;
    if (!ensure_connection() || !commit_front(options.batch_max_units)) {
      retry_later();
      return;
    }
    if (!waiting.empty() || !sent_ids.empty()) schedule_flush();
  }

  void schedule_flush() {
    if (flush_queued) return;
    flush_queued = true;
    self->send(self, flush_atom::value);
  }

  void retry_later() {
    flush_queued = true;
    self->delayed_send(self, backoff.next(), flush_atom::value);
  }

  bool ensure_connection() {
    if (connection && connection->is_open()) return true;
    connection.reset();
    try {
      // Its errors name the database by its redacted URL: safe to log.
      connection = persistence::connect(options.database_url);
      return true;
    } catch (const std::exception& e) {
      mark_unreachable(e.what());
      return false;
    }
  }

  void mark_unreachable(const std::string& reason) {
    if (unreachable) return;
    unreachable = true;
    unreachable_since = steady_clock::now();
    metrics->outages++;
    metrics->outage = true;
    logs::warn(logs::event("persistence", "outage_started"),
               "database unreachable, keeping {} units and retrying: {}", waiting.size(), reason);
  }

  void mark_reachable() {
    backoff.reset();
    if (!unreachable) return;
    unreachable = false;
    metrics->outage = false;
    const auto lasted =
        std::chrono::duration_cast<milliseconds>(steady_clock::now() - unreachable_since).count();
    logs::info(logs::event("persistence", "outage_ended"),
               "database reachable again after {} ms; {} units waiting", lasted, waiting.size());
  }

  // Commits up to `max_units` front units (and the sent outbox ids). Returns false when the
  // database is unreachable: nothing is lost, the caller retries later.
  bool commit_front(size_t max_units) {
    committed_effects effects;
    bool reachable = resolve_in_doubt(effects);
    if (reachable) {
      const size_t count = std::min(std::max<size_t>(max_units, 1), waiting.size());
      switch (attempt(count, true, effects)) {
        case attempt_outcome::committed:
          break;
        case attempt_outcome::unreachable:
          reachable = false;
          break;
        case attempt_outcome::rejected:
          reachable = isolate_rejected(count, effects);
          break;
        case attempt_outcome::fenced:
          reachable = false;
          break;
      }
    }
    hand_on(effects);
    return reachable;
  }

  // One bad unit must not keep the others from being saved: after a rejection, each goes alone.
  bool isolate_rejected(size_t count, committed_effects& effects) {
    logs::warn(logs::event("persistence", "batch_rejected"),
               "a batch of {} units was rejected ({}); committing them one by one", count,
               last_rejection);
    for (size_t i = 0; i < count; ++i) {
      const auto outcome = attempt(1, false, effects);
      if (outcome == attempt_outcome::unreachable || outcome == attempt_outcome::fenced)
        return false;
      if (outcome == attempt_outcome::rejected) {
        logs::error(logs::event("persistence", "unit_rejected"),
                    "the database rejected a unit, which was not saved: {}", last_rejection);
        metrics->failed_units++;
        metrics->pending_units = waiting.size() - 1;
        // invalid_argument, unlike the runtime_error of an overload, says "retrying cannot help".
        waiting.front().promise.deliver(
            caf::make_error(caf::sec::invalid_argument, "the database rejected the change"));
        waiting.pop_front();
      }
    }
    if (!sent_ids.empty()) {
      const auto outcome = attempt(0, true, effects);
      if (outcome == attempt_outcome::unreachable || outcome == attempt_outcome::fenced)
        return false;
      if (outcome == attempt_outcome::rejected) {
        // The rows stay in the outbox; after a restart those messages would be sent again.
        logs::error(logs::event("persistence", "outbox_delete_failed"),
                    "deleting {} sent outbox entries failed: {}", sent_ids.size(), last_rejection);
        sent_ids.clear();
      }
    }
    return true;
  }

  attempt_outcome attempt(size_t count, bool with_sent, committed_effects& effects) {
    std::vector<persistence::unit_of_work*> units;
    units.reserve(count);
    for (size_t i = 0; i < count; ++i) units.push_back(&waiting[i].unit);
    const std::vector<int64_t> sent = with_sent ? sent_ids : std::vector<int64_t>{};
    const std::string token = token_prefix + std::to_string(++token_counter);
    const auto started = steady_clock::now();
    try {
      const size_t rows =
          persistence::write_batch(*connection, units, sent, token, &ids, options.lease_epoch);
      const auto took =
          std::chrono::duration_cast<std::chrono::microseconds>(steady_clock::now() - started);
      metrics->batches++;
      metrics->rows += rows;
      metrics->last_commit_microseconds = static_cast<uint64_t>(took.count());
      if (count > 0) {
        metrics->last_batch_units = count;
        if (count > metrics->largest_batch_units) metrics->largest_batch_units = count;
      }
      sent_ids.erase(sent_ids.begin(), sent_ids.begin() + static_cast<std::ptrdiff_t>(sent.size()));
      mark_reachable();
      complete_front(count, effects);
      return attempt_outcome::committed;
    } catch (const std::exception& e) {
      const bool open = connection && connection->is_open();
      switch (persistence::classify_failure(e, open)) {
        case persistence::failure_kind::in_doubt:
          in_doubt_token = token;
          in_doubt_units = count;
          connection.reset();
          mark_unreachable(persistence::describe_failure(e));
          return attempt_outcome::unreachable;
        case persistence::failure_kind::unreachable:
          if (!open) connection.reset();
          mark_unreachable(persistence::describe_failure(e));
          return attempt_outcome::unreachable;
        case persistence::failure_kind::rejected:
          last_rejection = persistence::describe_failure(e);
          return attempt_outcome::rejected;
        case persistence::failure_kind::fenced:
          fence_off();
          return attempt_outcome::fenced;
      }
      return attempt_outcome::rejected;
    }
  }

  void fence_off() {
    if (fenced) return;
    fenced = true;
    logs::warn(logs::event("persistence", "fenced"),
               "another node owns the market now; {} units are left to it", waiting.size());
    if (options.fenced_off) options.fenced_off();
  }

  // After the connection broke during COMMIT: the stored token tells whether that batch committed.
  bool resolve_in_doubt(committed_effects& effects) {
    if (in_doubt_token.empty()) return true;
    try {
      if (persistence::commit_token_stored(*connection, in_doubt_token)) {
        metrics->batches++;
        complete_front(in_doubt_units, effects);
      }
      in_doubt_token.clear();
      in_doubt_units = 0;
      return true;
    } catch (const std::exception& e) {
      if (!connection->is_open()) connection.reset();
      mark_unreachable(persistence::describe_failure(e));
      return false;
    }
  }

  // Counters first: whoever learns that a unit is durable may read them at once.
  void complete_front(size_t count, committed_effects& effects) {
    metrics->units += count;
    metrics->pending_units = waiting.size() - count;
    for (size_t i = 0; i < count; ++i) {
      auto& w = waiting.front();
      w.promise.deliver(durable_atom::value);
      for (auto& call : w.unit.outbox) effects.calls.push_back(std::move(call));
      for (auto& notice : w.unit.notices) effects.notices.push_back(std::move(notice));
      effects.processed.insert(effects.processed.end(), w.unit.processed_updates.begin(),
                               w.unit.processed_updates.end());
      waiting.pop_front();
    }
  }

  void hand_on(committed_effects& effects) {
    if (!effects.calls.empty() && outbound)
      self->send(outbound, send_atom::value, std::move(effects.calls));
    if (!effects.processed.empty() && tracker)
      self->send(tracker, processed_atom::value, std::move(effects.processed));
    if (!notices) {
      for (auto& notice : effects.notices) early_notices.push_back(std::move(notice));
      return;
    }
    for (auto& notice : effects.notices) hand_on(std::move(notice));
  }

  void hand_on(persistence::notice_record notice) {
    self->send(notices, notify_atom::value, notice.user_id,
               flows::notification{std::move(notice.notice), notice.id});
  }

  void wire_notices(notification_sink sink) {
    notices = std::move(sink);
    for (auto& notice : early_notices) hand_on(std::move(notice));
    early_notices.clear();
  }

  void request_snapshot(std::string folder) {
    snapshot_queue.push_back(snapshot_job{++snapshot_counter, std::move(folder),
                                          self->make_response_promise<snapshot_outcome>()});
    if (!snapshot_running) start_next_snapshot();
  }

  void start_next_snapshot() {
    while (!snapshot_running && !snapshot_queue.empty()) {
      auto job = std::move(snapshot_queue.front());
      snapshot_queue.pop_front();
      if (auto refused = pin_and_read(job)) {
        snapshot_outcome out;
        out.error = *refused;
        logs::warn(logs::event("persistence", "snapshot_refused"), "snapshot refused: {}",
                   out.error);
        job.promise.deliver(std::move(out));
      }
    }
  }

  // Commits what was accepted before the request, pins the snapshot's moment here, between two
  // batches, and leaves the reading to a thread. Returns why not when it cannot.
  std::optional<std::string> pin_and_read(snapshot_job& job) {
    while (!waiting.empty()) {
      if (!ensure_connection() || !commit_front(options.batch_max_units)) {
        if (!flush_queued) retry_later();
        return std::string("the database is unreachable; try again once it is back");
      }
    }
    std::unique_ptr<persistence::pinned_snapshot> pinned;
    try {
      pinned = persistence::pinned_snapshot::pin(options.database_url);
    } catch (const std::exception& e) {
      return "the snapshot could not start: " + persistence::describe_failure(e);
    }
    const int64_t taken_at = static_cast<int64_t>(std::time(nullptr));
    if (snapshot_reader.joinable()) snapshot_reader.join();  // the previous one, finished
    auto handle = caf::actor_cast<persistence_actor>(self);
    snapshot_reader = std::thread([pinned = std::move(pinned), folder = job.folder, taken_at,
                                   number = job.number, handle]() mutable {
      auto out = read_snapshot(*pinned, folder, taken_at);
      pinned.reset();  // closes its connection before the actor hears of it
      caf::anon_send(handle, snapshot_atom::value, number, std::move(out));
    });
    snapshot_running = std::move(job);
    return std::nullopt;
  }

  void snapshot_finished(uint64_t number, snapshot_outcome& out) {
    if (!snapshot_running || snapshot_running->number != number) return;
    snapshot_running->promise.deliver(std::move(out));
    snapshot_running.reset();
    if (snapshot_reader.joinable()) snapshot_reader.join();
    start_next_snapshot();
  }

  // On exit: the running reader is waited for (it holds a connection of its own); its requester
  // and the waiting ones hear that no snapshot came.
  void finish_snapshots() {
    if (snapshot_reader.joinable()) snapshot_reader.join();
    snapshot_outcome stopped;
    stopped.error = "the server stopped before the snapshot was taken";
    if (snapshot_running) snapshot_running->promise.deliver(stopped);
    snapshot_running.reset();
    for (auto& job : snapshot_queue) job.promise.deliver(stopped);
    snapshot_queue.clear();
  }

  // One pass without back-off: a stopping process does not wait for an unreachable database.
  void commit_before_exit() {
    while (!fenced && (!waiting.empty() || !sent_ids.empty())) {
      if (!ensure_connection() || !commit_front(options.batch_max_units)) return;
    }
  }
};

persistence_actor::behavior_type persistence_impl(persistence_pointer self,
                                                  persistence_options options,
                                                  outbound_actor outbound, update_sink tracker) {
  auto& st = self->state;
  st.self = self;
  st.options = std::move(options);
  if (st.options.batch_max_units == 0) st.options.batch_max_units = 1;
  if (st.options.metrics) st.metrics = st.options.metrics;
  st.outbound = std::move(outbound);
  st.tracker = std::move(tracker);
  st.ensure_connection();  // an unreachable database is reported now, not at the first commit
  return {
      [self](commit_atom, persistence::unit_of_work& unit) -> caf::result<durable_atom> {
        return self->state.accept(std::move(unit));
      },
      [self](commit_atom, std::shared_ptr<persistence::unit_of_work>& unit)
          -> caf::result<durable_atom> { return self->state.accept(unit); },
      [self](sent_atom, std::vector<int64_t>& ids) { self->state.add_sent(ids); },
      [self](flush_atom) { self->state.flush(); },
      [self](notification_sink& sink) { self->state.wire_notices(std::move(sink)); },
      [self](snapshot_atom, std::string& folder) -> caf::result<snapshot_outcome> {
        self->state.request_snapshot(std::move(folder));
        return caf::delegated<snapshot_outcome>();
      },
      [self](snapshot_atom, uint64_t number, snapshot_outcome& out) {
        self->state.snapshot_finished(number, out);
      },
  };
}

}  // namespace

persistence_actor spawn_persistence(caf::actor_system& system, persistence_options options,
                                    outbound_actor outbound, update_sink tracker) {
  return system.spawn<caf::detached>(persistence_impl, std::move(options), std::move(outbound),
                                     std::move(tracker));
}

}  // namespace lastcall::actors

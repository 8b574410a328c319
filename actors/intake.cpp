#include "actors/intake.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <unordered_map>

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "domain/backoff.hpp"
#include "domain/intake_window.hpp"
#include "domain/unanswered_watch.hpp"
#include "logs/event.hpp"
#include "telegram/update_parser.hpp"

namespace lastcall::actors {

namespace {

constexpr domain::backoff_policy commit_backoff{100, 5000};
// An intake commit slower than this during an outage goes to the spool instead of holding up
// the polls.
constexpr auto spool_after = std::chrono::milliseconds(500);

using completion = std::function<void()>;

// Updates on their way into the inbox, committed as one unit.
struct intake_batch {
  persistence::unit_of_work unit;
  std::vector<int64_t> ids;               // every id this batch settles, readable or not
  std::vector<telegram::update> updates;  // the readable ones, in arrival order
  std::vector<completion> done;
  domain::retry_backoff backoff{commit_backoff};
  bool spooled = false;  // synced to the spool and handed out; still on its way to the inbox
};

struct waiting_batch {
  std::vector<incoming_update> updates;
  int64_t next_offset = 0;
  completion done;
};

struct intake_state {
  static inline const char* name = "intake";
  intake_options options;
  domain::intake_window window{0, {}, 0};
  router_actor router;
  persistence_actor persistence;
  std::vector<waiting_batch> early;  // arrived before the wiring
  uint64_t next_batch = 0;
  std::map<uint64_t, intake_batch> committing;
  // Ids a second arrival waits for while their first intake commits (a webhook re-delivery).
  std::unordered_map<int64_t, std::vector<completion>> waiters;
  domain::unanswered_watch handling{0};  // handed to sessions, not yet handled
  bool late_check_queued = false;        // a late_atom is on its way
  int64_t stored_offset = 0;
  size_t spooled_batches = 0;  // in the spool and not yet in the inbox
};

using intake_pointer = intake_actor::stateful_pointer<intake_state>;

void publish_depth(intake_state& st) {
  st.options.metrics->inbox_unhandled = st.handling.waiting();
}

// One timer for every update in flight, due when the oldest one is.
void queue_late_check(intake_pointer self) {
  auto& st = self->state;
  if (st.late_check_queued) return;
  const auto due = st.handling.next_due_ms();
  if (!due) return;
  st.late_check_queued = true;
  self->delayed_send(self, std::chrono::milliseconds(std::max<int64_t>(*due - steady_ms(), 1)),
                     late_atom::value);
}

// Updates that have waited too long go to their users' sessions, which say so if the wait is
// theirs to explain.
void report_late(intake_pointer self) {
  auto& st = self->state;
  st.late_check_queued = false;
  for (const auto& due : st.handling.take_overdue(steady_ms()))
    self->send(st.router, late_atom::value, due.user_id, due.update_id);
  queue_late_check(self);
}

void hand_out(intake_pointer self, telegram::update update) {
  auto& st = self->state;
  st.handling.handed_out(update.update_id, update.user_id(), steady_ms());
  self->send(st.router, update_atom::value, std::move(update));
  queue_late_check(self);
}

void commit(intake_pointer self, uint64_t number);

// The webhook's floor moves as handled ids age out; storing it lets the database forget them.
void store_floor(intake_pointer self) {
  auto& st = self->state;
  const auto floor = st.window.floor();
  if (st.options.retention_seconds == 0 || floor <= st.stored_offset) return;
  st.stored_offset = floor;
  persistence::unit_of_work unit;
  unit.update_offset = floor;
  self->request(st.persistence, caf::infinite, commit_atom::value, std::move(unit))
      .then([](durable_atom) {},
            [](caf::error& err) {
              logs::warn(logs::event("intake", "floor_store_failed"),
                         "storing the update floor failed: {}", to_string(err));
            });
}

// The batch is durable (in the inbox, or in the spool): its updates go to their sessions and
// whoever waits for it hears so.
void release(intake_pointer self, intake_batch& batch) {
  auto& st = self->state;
  const auto now = unix_now();
  for (auto id : batch.ids) st.window.mark_durable(id, now);
  for (auto& update : batch.updates) hand_out(self, std::move(update));
  batch.updates.clear();
  st.window.prune(now);
  publish_depth(st);
  for (auto& done : batch.done) done();
  batch.done.clear();
  for (auto id : batch.ids) {
    auto waiting = st.waiters.find(id);
    if (waiting == st.waiters.end()) continue;
    for (auto& done : waiting->second) done();
    st.waiters.erase(waiting);
  }
}

// Every spooled batch is in the inbox: the spool has nothing the database lacks.
void empty_spool(intake_state& st) {
  if (!st.options.spool) return;
  try {
    st.options.spool->clear();
  } catch (const std::exception& e) {
    logs::error(logs::event("intake", "spool_clear_failed"), "emptying the intake spool failed: {}",
                e.what());
  }
}

void on_committed(intake_pointer self, uint64_t number) {
  auto& st = self->state;
  auto it = st.committing.find(number);
  if (it == st.committing.end()) return;
  auto batch = std::move(it->second);
  st.committing.erase(it);
  st.stored_offset = std::max(st.stored_offset, batch.unit.update_offset);
  if (batch.spooled) {
    if (--st.spooled_batches == 0) empty_spool(st);
  } else {
    release(self, batch);
  }
  store_floor(self);
}

// The database is unreachable: the batch is synced to the local spool, so the poll may confirm
// it and the updates may be handled now. The unit stays queued for the inbox.
void spool(intake_pointer self, uint64_t number) {
  auto& st = self->state;
  auto it = st.committing.find(number);
  if (it == st.committing.end() || it->second.spooled || !st.options.spool) return;
  if (st.options.may_spool && !st.options.may_spool()) return;
  auto& batch = it->second;
  try {
    st.options.spool->append({batch.unit.update_offset, batch.unit.inbox});
  } catch (const std::exception& e) {
    logs::error(logs::event("intake", "spool_failed"),
                "the intake spool failed, so the poll waits for the database: {}", e.what());
    return;
  }
  batch.spooled = true;
  ++st.spooled_batches;
  ++st.options.metrics->updates_spooled;
  release(self, batch);
}

bool database_unreachable(const intake_state& st) {
  return st.options.database && st.options.database->outage.load();
}

void commit(intake_pointer self, uint64_t number) {
  auto it = self->state.committing.find(number);
  if (it == self->state.committing.end()) return;
  self->request(self->state.persistence, caf::infinite, commit_atom::value, it->second.unit)
      .then([=](durable_atom) { on_committed(self, number); },
            [=](caf::error& err) {
              auto found = self->state.committing.find(number);
              if (found == self->state.committing.end()) return;
              const auto pause = found->second.backoff.next();
              logs::warn(logs::event("intake", "commit_retry"),
                         "taking {} updates in failed ({}); retrying in {} ms",
                         found->second.ids.size(), to_string(err), pause.count());
              self->delayed_send(self, pause, commit_atom::value, number);
            });
}

void take_in(intake_pointer self, std::vector<incoming_update> updates, int64_t next_offset,
             completion done) {
  auto& st = self->state;
  intake_batch batch;
  std::vector<int64_t> in_flight_elsewhere;
  for (auto& incoming : updates) {
    switch (st.window.accept(incoming.update_id)) {
      case domain::intake_window::arrival::done:
        ++st.options.metrics->updates_duplicate;
        continue;
      case domain::intake_window::arrival::in_flight:
        ++st.options.metrics->updates_duplicate;
        in_flight_elsewhere.push_back(incoming.update_id);
        continue;
      case domain::intake_window::arrival::fresh:
        break;
    }
    batch.ids.push_back(incoming.update_id);
    if (!incoming.update) {
      // Nothing to handle: the offset passes it, and it is never handed out.
      ++st.options.metrics->updates_unreadable;
      continue;
    }
    batch.unit.inbox.push_back({incoming.update_id, std::move(incoming.payload)});
    batch.updates.push_back(std::move(*incoming.update));
  }
  if (next_offset > st.stored_offset) batch.unit.update_offset = next_offset;
  if (done) {
    if (!in_flight_elsewhere.empty() && batch.ids.empty()) {
      // Settled when the first arrival of these ids is in the inbox; one waiter is enough, as the
      // ids of one request share a batch.
      st.waiters[in_flight_elsewhere.front()].push_back(std::move(done));
    } else {
      batch.done.push_back(std::move(done));
    }
  }
  if (batch.unit.empty()) {
    const auto now = unix_now();
    for (auto id : batch.ids) st.window.mark_durable(id, now);
    for (auto& d : batch.done) d();
    return;
  }
  const auto number = ++st.next_batch;
  st.committing.emplace(number, std::move(batch));
  commit(self, number);
  if (st.options.spool) {
    if (database_unreachable(st))
      spool(self, number);
    else
      self->delayed_send(self, spool_after, slow_atom::value, number);
  }
}

// The updates a crash left in the inbox: handed out first, in the order they arrived.
void resume_inbox(intake_pointer self) {
  auto& st = self->state;
  size_t unreadable = 0;
  for (auto& entry : st.options.inbox) {
    auto update = telegram::parse_update_text(entry.payload);
    if (!update) {
      ++unreadable;
      continue;
    }
    hand_out(self, std::move(*update));
  }
  if (!st.options.inbox.empty())
    logs::info(logs::event("intake", "inbox_resumed"),
               "{} updates left in the inbox are handled first ({} unreadable)",
               st.options.inbox.size() - unreadable, unreadable);
  st.options.inbox.clear();
  st.options.inbox.shrink_to_fit();
  publish_depth(st);
}

// Batches spooled during an outage whose offset the database never stored: taken in again,
// after the inbox's updates and in their order, before anything new.
void resume_spool(intake_pointer self) {
  auto& st = self->state;
  auto spooled = std::move(st.options.spooled);
  st.options.spooled.clear();
  size_t resumed = 0;
  for (auto& batch : spooled) {
    // A poll's batch whose offset is stored is in the inbox; a webhook's (no offset) is
    // recognised update by update by the window, which knows what the inbox and the handled ids
    // hold.
    if (batch.next_offset > 0 && batch.next_offset <= st.stored_offset) continue;
    intake_batch again;
    for (auto& entry : batch.updates) {
      if (st.window.accept(entry.update_id) != domain::intake_window::arrival::fresh) continue;
      auto update = telegram::parse_update_text(entry.payload);
      again.ids.push_back(entry.update_id);
      if (!update) continue;
      again.updates.push_back(std::move(*update));
      again.unit.inbox.push_back(std::move(entry));
    }
    again.unit.update_offset = batch.next_offset;
    again.spooled = true;
    resumed += again.updates.size();
    const auto number = ++st.next_batch;
    auto& kept = st.committing.emplace(number, std::move(again)).first->second;
    ++st.spooled_batches;
    commit(self, number);  // queued for the inbox before the sessions' units
    release(self, kept);
  }
  if (resumed > 0)
    logs::info(logs::event("intake", "spool_resumed"), "{} spooled updates are taken in again",
               resumed);
  if (st.spooled_batches == 0) empty_spool(st);
}

intake_actor::behavior_type intake_impl(intake_pointer self, intake_options options) {
  auto& st = self->state;
  st.options = std::move(options);
  st.handling = domain::unanswered_watch(st.options.not_confirmed_notice.count());
  std::vector<int64_t> known = st.options.durable_update_ids;
  for (const auto& entry : st.options.inbox) known.push_back(entry.update_id);
  st.window = domain::intake_window(st.options.stored_offset, known, unix_now(),
                                    st.options.retention_seconds);
  st.stored_offset = st.options.stored_offset;
  return {
      [=](update_atom, std::vector<incoming_update>& updates,
          int64_t next_offset) -> caf::result<done_atom> {
        auto promise = self->make_response_promise<done_atom>();
        completion done = [promise]() mutable { promise.deliver(done_atom::value); };
        if (!self->state.router)
          self->state.early.push_back({std::move(updates), next_offset, std::move(done)});
        else
          take_in(self, std::move(updates), next_offset, std::move(done));
        return promise;
      },
      [=](update_atom, incoming_update& update, intake_ticket& ticket) {
        std::vector<incoming_update> one;
        one.push_back(std::move(update));
        if (!self->state.router)
          self->state.early.push_back({std::move(one), 0, std::move(ticket.settle)});
        else
          take_in(self, std::move(one), 0, std::move(ticket.settle));
      },
      [=](processed_atom, std::vector<int64_t>& ids) {
        for (auto id : ids) self->state.handling.handled(id);
        publish_depth(self->state);
      },
      [=](router_actor& router, persistence_actor& persistence) {
        auto& st = self->state;
        st.router = std::move(router);
        st.persistence = std::move(persistence);
        resume_inbox(self);
        resume_spool(self);
        auto early = std::move(st.early);
        st.early.clear();
        for (auto& waiting : early)
          take_in(self, std::move(waiting.updates), waiting.next_offset, std::move(waiting.done));
      },
      [=](commit_atom, uint64_t number) { commit(self, number); },
      [=](slow_atom, uint64_t number) {
        if (database_unreachable(self->state)) spool(self, number);
      },
      [=](late_atom) { report_late(self); },
      [=](status_atom) -> uint64_t {
        auto& st = self->state;
        size_t taking = 0;
        for (const auto& waiting : st.early) taking += waiting.updates.size();
        for (const auto& [number, batch] : st.committing) taking += batch.ids.size();
        return taking + st.handling.waiting();
      },
  };
}

}  // namespace

intake_actor spawn_intake(caf::actor_system& system, intake_options options) {
  return system.spawn(intake_impl, std::move(options));
}

}  // namespace lastcall::actors

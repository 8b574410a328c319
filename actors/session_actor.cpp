#include "actors/session_actor.hpp"

#include <chrono>
#include <list>
#include <map>
#include <unordered_set>
#include <variant>

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/session_services.hpp"
#include "domain/backoff.hpp"
#include "domain/session_state.hpp"
#include "domain/ui_texts.hpp"
#include "flows/dispatcher.hpp"
#include "flows/notice_rendering.hpp"
#include "flows/services.hpp"
#include "flows/turn.hpp"
#include "logs/event.hpp"
#include "telegram/requests.hpp"

namespace lastcall::actors {

namespace {

// Retries of a commit or a load while the database does not answer.
constexpr domain::backoff_policy database_backoff{100, 5000};
// A unit whose replies went out during an outage is retried at this pace until it commits.
constexpr auto unconfirmed_retry_pause = std::chrono::seconds(5);

// An owner hears of new reservations of an offer at once, and of the ones that follow within
// OWNER_NOTIFY_INTERVAL_SECONDS in one message at its end. The held notices keep their rows until
// the message that counts them is committed, so a crash meanwhile renders them again.
struct reservations_batch {
  int64_t count = 0;
  int64_t items = 0;
  int64_t cancelled_items = 0;
  int64_t left = 0;
  std::string title;
  std::vector<int64_t> notice_ids;  // held, not yet deleted
  std::vector<int64_t> reservation_ids;
  int64_t last_sent = 0;
  bool scheduled = false;
};

// A held batch is due: queued like the rest, so it waits for the turn in progress.
struct batch_due {
  int64_t offer_id = 0;
};

// A turn's unit goes to the persistence actor without a copy: the actor takes it out of the
// shared pointer once it accepts it, and a refused unit stays whole for the retry. What a unit the
// database rejects still needs (its update and notice ids) is kept apart.
struct committing_turn {
  std::shared_ptr<persistence::unit_of_work> unit;
  std::vector<int64_t> processed_updates;
  std::vector<int64_t> handled_notices;
};

struct session_actor_state {
  static inline const char* name = "session";
  int64_t user_id = 0;
  session_dependencies deps;
  bool loaded = false;
  domain::user_record record;   // without its session JSON, which `session` holds parsed
  bool record_stored = false;   // false until the user's row exists
  bool record_changed = false;  // the record itself changed (blocked_bot): store it with the turn
  domain::session_state session;
  struct queued {
    std::variant<telegram::update, flows::notification, blocked_atom, batch_due> item;
    std::chrono::steady_clock::time_point arrived;
  };
  // Updates and notifications, handled one at a time in arrival order.
  // A list rather than a deque: libstdc++'s deque allocates 624 bytes before anything is queued,
  // in every live session, and a session's queue is almost always empty.
  std::list<queued> queue;
  std::shared_ptr<flows::turn> current;
  std::chrono::steady_clock::time_point current_arrived;
  // The current turn's effects on their way to the database, until durable; null when none.
  std::unique_ptr<committing_turn> committing;
  domain::retry_backoff backoff{database_backoff};
  std::unique_ptr<flows::services> services;
  uint64_t handled = 0;           // updates and notifications finished, for passivation
  bool current_forwarded = true;  // the current turn is for something the router sent
  // By offer; only owners with reservations coming in have any.
  std::unique_ptr<std::map<int64_t, reservations_batch>> batches;
  uint64_t turn_generation = 0;  // of the turn waiting for its commit (slow_atom)
  bool in_next = false;          // next() is running further up the stack
  // The current update was reported late while it was being handled: its commit is watched.
  bool current_late = false;
  // Queued updates reported late (see late_atom); emptied whenever the queue is.
  std::unique_ptr<std::unordered_set<int64_t>> late_queued;
  // Units of turns answered before they were durable (an outage), by their turn generation, until
  // they commit.
  std::map<uint64_t, persistence::unit_of_work> unconfirmed;
};

using session_pointer = session_actor::stateful_pointer<session_actor_state>;

void next(session_pointer self);

void count_finished(session_actor_state& st) {
  auto& metrics = st.deps.metrics;
  if (!metrics) return;
  if (st.current && st.current->update().update_id != 0) {
    ++metrics->updates_handled;
    metrics->handler_latency.observe(std::chrono::duration_cast<std::chrono::microseconds>(
        std::chrono::steady_clock::now() - st.current_arrived));
  } else {
    ++metrics->notifications_handled;
  }
}

bool rejected_as_invalid(const caf::error& err) {
  return err.category() == caf::atom("system") &&
         err.code() == static_cast<uint8_t>(caf::sec::invalid_argument);
}

void commit(session_pointer self);

void commit(session_pointer self, persistence::unit_of_work unit) {
  auto& st = self->state;
  st.committing = std::make_unique<committing_turn>();
  st.committing->processed_updates = unit.processed_updates;
  st.committing->handled_notices = unit.handled_notices;
  st.committing->unit = std::make_shared<persistence::unit_of_work>(std::move(unit));
  commit(self);
}

// The database rejected the turn's changes as invalid: a bug, not an outage. Retrying cannot help
// and would hold the update (and the poll offset) forever, so the changes are dropped, the user is
// told that something went wrong, and only the update's id is stored so it is not handled again.
void give_up_turn(session_pointer self) {
  auto& st = self->state;
  logs::error(logs::event("session", "turn_rejected").user(st.user_id),
              "the database rejected a turn's changes; they were dropped");
  persistence::unit_of_work unit;
  unit.processed_updates = std::move(st.committing->processed_updates);
  unit.handled_notices = std::move(st.committing->handled_notices);
  if (st.current && st.current->update().update_id != 0)
    unit.outbox.push_back(telegram::send_message(
        st.user_id, domain::ui_texts::builtin().text(st.session.lang, "error.internal")));
  st.record_changed = true;  // the record in the rejected unit was not stored
  commit(self, std::move(unit));
}

void commit(session_pointer self) {
  if (!self->state.committing) return;
  self->request(self->state.deps.persistence, caf::infinite, commit_atom::value,
                self->state.committing->unit)
      .then(
          [=](durable_atom) {
            self->state.backoff.reset();
            self->state.record_stored = true;
            self->state.committing.reset();
            count_finished(self->state);
            self->state.current.reset();
            if (self->state.current_forwarded) ++self->state.handled;
            next(self);
          },
          [=](caf::error& err) {
            if (rejected_as_invalid(err)) return give_up_turn(self);
            const auto pause = self->state.backoff.next();
            logs::warn(logs::event("session", "commit_retry").user(self->state.user_id),
                       "commit failed ({}); retrying in {} ms", to_string(err), pause.count());
            self->delayed_send(self, pause, commit_atom::value);
          });
}

// Commits a unit whose replies were already sent, retrying until the database takes it.
void commit_unconfirmed(session_pointer self, uint64_t generation) {
  auto it = self->state.unconfirmed.find(generation);
  if (it == self->state.unconfirmed.end()) return;
  self->request(self->state.deps.persistence, caf::infinite, commit_atom::value, it->second)
      .then(
          [=](durable_atom) {
            self->state.record_stored = true;
            self->state.unconfirmed.erase(generation);
            ++self->state.handled;
          },
          [=](caf::error& err) {
            auto& unit = self->state.unconfirmed[generation];
            if (rejected_as_invalid(err)) {
              logs::error(logs::event("session", "turn_rejected").user(self->state.user_id),
                          "the database rejected a turn's changes; they were dropped");
              persistence::unit_of_work only_the_update;
              only_the_update.processed_updates = std::move(unit.processed_updates);
              only_the_update.handled_notices = std::move(unit.handled_notices);
              unit = std::move(only_the_update);
            }
            self->delayed_send(self, unconfirmed_retry_pause, commit_atom::value, generation);
          });
}

// Whether the unit changes only this user's navigation: then its replies confirm nothing, and
// during an outage they may go out before the commit (the update is re-delivered and answered
// again if the process dies first). A unit that renders a notice tells of a committed change, and
// one that notifies others must commit before they hear of it: neither qualifies.
bool confirms_nothing(const persistence::unit_of_work& unit) {
  return unit.businesses.empty() && unit.offers.empty() && unit.reservations.empty() &&
         unit.events.empty() && unit.notices.empty() && unit.handled_notices.empty();
}

bool database_unreachable(const session_actor_state& st) {
  return st.deps.database && st.deps.database->outage.load();
}

// `session_before`: the session as the turn found it; the record is written only when it changed
// (compared as a struct: writing it as JSON twice a turn to compare cost more than the turn).
void finish_turn(session_pointer self, const domain::session_state& session_before) {
  auto& st = self->state;
  auto& t = *st.current;
  auto unit = std::move(t.unit());
  if (t.update().update_id != 0) unit.processed_updates.push_back(t.update().update_id);
  if (!st.record_stored || st.record_changed || !(st.session == session_before)) {
    st.record_changed = false;
    st.record.lang = st.session.lang;
    st.record.language_chosen = st.session.language_chosen;
    st.record.session = domain::to_json(st.session);
    st.record.version += 1;
    if (st.record.created_at == 0) st.record.created_at = t.now();
    unit.users.push_back(st.record);
    st.record.session = nlohmann::json();  // kept once, as st.session, not twice
  }
  const auto generation = ++st.turn_generation;
  const bool confirms = !confirms_nothing(unit);
  for (auto& call : unit.outbox) call.must_deliver = confirms;
  if (database_unreachable(st) && !confirms && st.deps.outbound) {
    // Answered from memory: the user is not kept waiting for a database that is down.
    if (!unit.outbox.empty())
      self->send(st.deps.outbound, send_atom::value, std::move(unit.outbox));
    unit.outbox.clear();
    st.unconfirmed.emplace(generation, std::move(unit));
    count_finished(st);
    st.current.reset();
    commit_unconfirmed(self, generation);
    next(self);
    return;
  }
  commit(self, std::move(unit));
  // Usually the intake's watch reports a slow commit (late_atom); an update it reported before
  // its turn got this far gets a watch of its own.
  if (st.current_late && st.current->update().update_id != 0)
    self->delayed_send(self, std::chrono::seconds(st.deps.settings->not_confirmed_notice_seconds),
                       slow_atom::value, generation);
}

// The turn's commit is slow (the database is down or overloaded): say so plainly, once. Its real
// answer follows when the commit succeeds.
void tell_not_confirmed(session_pointer self, uint64_t generation) {
  auto& st = self->state;
  if (!st.current || generation != st.turn_generation || !st.deps.outbound) return;
  auto text = domain::ui_texts::builtin().text(st.session.lang, "error.not_confirmed_yet");
  self->send(st.deps.outbound, send_atom::value,
             std::vector<telegram::api_call>{telegram::send_message(st.user_id, text)});
}

// The intake reports that this update has waited past the notice time.
void note_late(session_pointer self, int64_t update_id) {
  auto& st = self->state;
  if (st.current && st.current->update().update_id == update_id) {
    if (st.committing)
      tell_not_confirmed(self, st.turn_generation);
    else
      st.current_late = true;
    return;
  }
  if (st.queue.empty()) return;  // already handled: its commit and the report crossed
  if (!st.late_queued) st.late_queued = std::make_unique<std::unordered_set<int64_t>>();
  st.late_queued->insert(update_id);
}

// The user wrote to the bot, so they no longer block it: store that with this turn and let the
// outbound actor send to them again. Sent before the turn's replies exist, so it reaches the
// outbound actor before them.
void note_user_is_back(session_pointer self) {
  auto& st = self->state;
  if (!st.record.blocked_bot) return;
  st.record.blocked_bot = false;
  st.record_changed = true;
  if (st.deps.outbound) self->send(st.deps.outbound, unblocked_atom::value, st.user_id);
}

void handle(session_pointer self, telegram::update update) {
  auto& st = self->state;
  st.current_late = st.late_queued && st.late_queued->erase(update.update_id) > 0;
  note_user_is_back(self);
  logs::debug(logs::event("session", "update_handling").update(update.update_id).user(st.user_id),
              "handling the update");
  if (!st.record_stored && st.record.created_at == 0) {
    // A new user: start in the language Telegram reports.
    if (auto* from =
            update.callback_query
                ? &update.callback_query->from
                : (update.message && update.message->from ? &*update.message->from : nullptr)) {
      st.session.lang = domain::language_from_code(from->language_code);
    }
  }
  auto before = st.session;
  st.current = std::make_shared<flows::turn>(std::move(update), st.session, *st.deps.settings,
                                             domain::ui_texts::builtin(), unix_now());
  try {
    flows::default_dispatcher().dispatch(*st.current, *st.services);
  } catch (const std::exception& e) {
    // A flow bug must not take the session down with the update unanswered.
    logs::error(logs::event("session", "flow_failed")
                    .update(st.current->update().update_id)
                    .user(st.user_id),
                "flow failed: {}", e.what());
    st.current->reply(st.current->text("error.internal"));
  }
  st.current->start([self, before] { finish_turn(self, before); });
}

// Reads the user's stored record; retried until the database answers, because handling the user's
// updates without it would start them over in a fresh session and lose their drafts.
void load(session_pointer self) {
  self->request(self->state.deps.user_loader, caf::infinite, load_atom::value, self->state.user_id)
      .then(
          [=](std::optional<domain::user_record>& loaded) {
            self->send(self, loaded_atom::value, std::move(loaded));
          },
          [=](caf::error& err) {
            const auto pause = self->state.backoff.next();
            logs::warn(logs::event("session", "load_retry").user(self->state.user_id),
                       "loading the session failed ({}); retrying in {} ms", to_string(err),
                       pause.count());
            self->delayed_send(self, pause, load_atom::value);
          });
}

// A turn of the user's own that no update started.
void start_turn_without_update(session_pointer self) {
  auto& st = self->state;
  st.current = std::make_shared<flows::turn>(st.user_id, st.session, *st.deps.settings,
                                             domain::ui_texts::builtin(), unix_now());
}

// `rows`: the notices it stands for, deleted by the unit that sends it (also when rendering fails).
void render(session_pointer self, const flows::notification& n, std::vector<int64_t> rows) {
  auto& st = self->state;
  auto before = st.session;
  start_turn_without_update(self);
  st.current->unit().handled_notices = std::move(rows);
  try {
    flows::render_notice(*st.current, *st.services, n.notice);
  } catch (const std::exception& e) {
    logs::error(logs::event("session", "notification_failed").user(st.user_id),
                "notice {} failed: {}", domain::notice_kind(n.notice), e.what());
  }
  st.current->start([self, before] { finish_turn(self, before); });
}

// Telegram refused a message with 403: only the record changes, nothing is sent.
void record_blocked(session_pointer self) {
  auto& st = self->state;
  auto before = st.session;
  start_turn_without_update(self);
  st.record_changed = st.record_changed || !st.record.blocked_bot;
  st.record.blocked_bot = true;
  st.current->start([self, before] { finish_turn(self, before); });
}

void send_batch(session_pointer self, int64_t offer_id) {
  auto& st = self->state;
  auto& batch = (*st.batches)[offer_id];
  batch.scheduled = false;
  if (batch.count == 0 && batch.cancelled_items == 0) return;  // nothing held: no turn
  flows::notification n{
      domain::notices::new_reservations{offer_id, batch.title, batch.count, batch.left, batch.items,
                                        batch.cancelled_items, std::move(batch.reservation_ids)},
      0};
  batch.reservation_ids.clear();
  auto rows = std::move(batch.notice_ids);
  batch.notice_ids.clear();
  batch.count = 0;
  batch.items = 0;
  batch.cancelled_items = 0;
  batch.last_sent = unix_now();
  render(self, n, std::move(rows));
}

void add_to_batch(session_pointer self, const domain::notices::new_reservations& notice,
                  int64_t notice_id) {
  auto& st = self->state;
  if (!st.batches) st.batches = std::make_unique<std::map<int64_t, reservations_batch>>();
  auto& batch = (*st.batches)[notice.offer_id];
  batch.count += notice.count;
  batch.items += notice.items > 0 ? notice.items : notice.count;
  batch.cancelled_items += notice.cancelled_items;
  batch.reservation_ids.insert(batch.reservation_ids.end(), notice.reservation_ids.begin(),
                               notice.reservation_ids.end());
  batch.left = notice.left;
  batch.title = notice.title;
  if (notice_id != 0) batch.notice_ids.push_back(notice_id);
  const auto now = unix_now();
  const int64_t due = batch.last_sent + st.deps.settings->owner_notify_interval_seconds;
  if (!batch.scheduled && (batch.last_sent == 0 || now >= due))
    return send_batch(self, notice.offer_id);
  if (!batch.scheduled) {
    batch.scheduled = true;
    self->delayed_send(self, std::chrono::seconds(due - now), batch_atom::value, notice.offer_id);
  }
  ++st.handled;  // held: its turn comes with the batch; next() goes on with what follows
}

bool batch_scheduled(const session_actor_state& st) {
  if (!st.batches) return false;
  for (const auto& [offer_id, batch] : *st.batches)
    if (batch.scheduled) return true;
  return false;
}

// Starts the next queued item's turn, passing over items that start none (a notice held for its
// batch). A loop, not a recursion, and not re-entered: a session may find tens of thousands of
// held notices queued at start-up, and a turn answered at once (during an outage) calls next()
// from inside the turn that this loop started.
void next(session_pointer self) {
  auto& st = self->state;
  if (st.in_next) return;  // further up this very stack: that loop goes on once this returns
  st.in_next = true;
  struct leave {
    bool& flag;
    ~leave() { flag = false; }
  } leaving{st.in_next};
  if (st.queue.empty()) st.late_queued.reset();  // whatever it held was handled meanwhile
  while (st.loaded && !st.current && !st.queue.empty()) {
    auto item = std::move(st.queue.front().item);
    st.current_arrived = st.queue.front().arrived;
    st.queue.pop_front();
    st.current_forwarded = !std::holds_alternative<batch_due>(item);
    if (auto* update = std::get_if<telegram::update>(&item)) {
      handle(self, std::move(*update));
    } else if (auto* n = std::get_if<flows::notification>(&item)) {
      if (auto* reservations = std::get_if<domain::notices::new_reservations>(&n->notice))
        add_to_batch(self, *reservations, n->notice_id);
      else
        render(self, *n, {n->notice_id});
    } else if (auto* due = std::get_if<batch_due>(&item)) {
      send_batch(self, due->offer_id);
    } else {
      record_blocked(self);
    }
  }
}

session_actor::behavior_type session_impl(session_pointer self, int64_t user_id,
                                          session_dependencies deps,
                                          std::optional<domain::user_record> record, bool is_new) {
  auto& st = self->state;
  st.user_id = user_id;
  st.deps = std::move(deps);
  st.record.id = user_id;
  st.services = std::make_unique<session_services<session_pointer>>(
      self, st.deps.market, st.deps.settings, flows::default_dispatcher().bot_username());
  self->attach_functor(
      [owner = st.deps.owner, user_id, me = self->address()](const caf::error& why) {
        if (why) caf::anon_send(owner, stop_atom::value, user_id, me);  // else the owner stopped it
      });
  if (record || is_new)
    self->send(self, loaded_atom::value, std::move(record));
  else
    load(self);
  return {
      [=](update_atom, telegram::update& update) {
        self->state.queue.push_back({std::move(update), std::chrono::steady_clock::now()});
        next(self);
      },
      [=](notify_atom, flows::notification& n) {
        self->state.queue.push_back({std::move(n), std::chrono::steady_clock::now()});
        next(self);
      },
      [=](blocked_atom) {
        self->state.queue.push_back({blocked_atom::value, std::chrono::steady_clock::now()});
        next(self);
      },
      [=](batch_atom, int64_t offer_id) {
        self->state.queue.push_back({batch_due{offer_id}, std::chrono::steady_clock::now()});
        next(self);
      },
      [=](loaded_atom, std::optional<domain::user_record>& loaded) {
        auto& st = self->state;
        if (st.loaded) return;
        st.backoff.reset();
        if (loaded) {
          st.record = std::move(*loaded);
          st.record_stored = true;
          st.session = domain::session_from_json(st.record.session, st.record.lang);
          // The parsed state is the truth from here on; a turn writes the record's JSON afresh.
          st.record.session = nlohmann::json();
        }
        st.loaded = true;
        next(self);
      },
      [=](commit_atom) { commit(self); },
      [=](commit_atom, uint64_t generation) { commit_unconfirmed(self, generation); },
      [=](slow_atom, uint64_t generation) { tell_not_confirmed(self, generation); },
      [=](late_atom, int64_t update_id) { note_late(self, update_id); },
      [=](load_atom) { load(self); },
      [=](idle_atom) {
        // Idle sessions offer to stop, so a million known users cost nothing while they sleep:
        // their state is durable (every turn commits before the next starts) and a new session
        // loads it on the user's next update. One with work in hand says nothing and is asked
        // again later.
        auto& st = self->state;
        if (!st.loaded || st.current || !st.queue.empty() || !st.unconfirmed.empty() ||
            batch_scheduled(st))
          return;
        self->send(st.deps.owner, idle_atom::value, st.user_id, st.handled);
      },
      [=](stop_atom) { self->quit(); },
  };
}

}  // namespace

session_actor spawn_session(caf::actor_system& system, int64_t user_id, session_dependencies deps,
                            std::optional<domain::user_record> record, bool is_new) {
  return system.spawn(session_impl, user_id, std::move(deps), std::move(record), is_new);
}

}  // namespace lastcall::actors

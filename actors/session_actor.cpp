#include "actors/session_actor.hpp"

#include <chrono>
#include <deque>
#include <variant>

#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/session_services.hpp"
#include "domain/catalog.hpp"
#include "domain/session_state.hpp"
#include "flows/router.hpp"
#include "flows/services.hpp"
#include "flows/turn.hpp"

namespace lastcall::actors {

namespace {

constexpr auto max_retry_pause = std::chrono::seconds(5);

struct session_state {
  static inline const char* name = "session";
  int64_t user_id = 0;
  session_dependencies deps;
  bool loaded = false;
  domain::user_record record;
  bool record_stored = false;  // false until the user's row exists
  domain::session_state session;
  // Updates and notifications, handled one at a time in arrival order.
  std::deque<std::variant<telegram::update, flows::notification>> queue;
  std::shared_ptr<flows::turn> current;
  persistence::unit_of_work pending_unit;  // the current turn's effects, until durable
  std::chrono::milliseconds retry_pause{0};
  std::unique_ptr<flows::services> services;
  uint64_t handled = 0;  // updates and notifications finished, for passivation
  uint64_t idle_generation = 0;
};

using session_pointer = session_actor::stateful_pointer<session_state>;

void next(session_pointer self);

// Idle sessions offer to stop, so a million known users cost nothing while they sleep; their state
// is durable (every turn commits before the next starts) and a new session loads it on the user's
// next update.
void schedule_idle(session_pointer self) {
  auto& st = self->state;
  auto seconds = st.deps.settings->session_idle_seconds;
  if (seconds <= 0 || st.current || !st.queue.empty()) return;
  self->delayed_send(self, std::chrono::seconds(seconds), idle_atom::value, ++st.idle_generation);
}

void commit(session_pointer self) {
  auto unit = self->state.pending_unit;
  self->request(self->state.deps.persistence, caf::infinite, commit_atom::value, std::move(unit))
      .then(
          [=](durable_atom) {
            self->state.retry_pause = std::chrono::milliseconds(0);
            self->state.record_stored = true;
            self->state.pending_unit = {};
            self->state.current.reset();
            ++self->state.handled;
            next(self);
            schedule_idle(self);
          },
          [=](caf::error& err) {
            auto& pause = self->state.retry_pause;
            pause = std::min<std::chrono::milliseconds>(
                max_retry_pause,
                std::max<std::chrono::milliseconds>(pause * 2, std::chrono::milliseconds(100)));
            spdlog::warn("user {}: commit failed ({}); retrying in {} ms", self->state.user_id,
                         to_string(err), pause.count());
            self->delayed_send(self, pause, commit_atom::value);
          });
}

void finish_turn(session_pointer self, const nlohmann::json& session_before) {
  auto& st = self->state;
  auto& t = *st.current;
  auto unit = std::move(t.unit());
  if (t.update().update_id != 0) unit.processed_updates.push_back(t.update().update_id);
  auto session_after = domain::to_json(st.session);
  if (!st.record_stored || session_after != session_before) {
    st.record.lang = st.session.lang;
    st.record.language_chosen = st.session.language_chosen;
    st.record.session = std::move(session_after);
    st.record.version += 1;
    if (st.record.created_at == 0) st.record.created_at = t.now();
    unit.users.push_back(st.record);
  }
  st.pending_unit = std::move(unit);
  commit(self);
}

void handle(session_pointer self, telegram::update update) {
  auto& st = self->state;
  spdlog::debug("update {}: handling for user {}", update.update_id, st.user_id);
  if (!st.record_stored && st.record.created_at == 0) {
    // A new user: start in the language Telegram reports.
    if (auto* from =
            update.callback_query
                ? &update.callback_query->from
                : (update.message && update.message->from ? &*update.message->from : nullptr)) {
      st.session.lang = domain::language_from_code(from->language_code);
    }
  }
  auto before = domain::to_json(st.session);
  st.current = std::make_shared<flows::turn>(std::move(update), st.session, *st.deps.settings,
                                             domain::catalog::builtin(), unix_now());
  try {
    flows::default_router().dispatch(*st.current, *st.services);
  } catch (const std::exception& e) {
    // A flow bug must not take the session down with the update unanswered.
    spdlog::error("update {}: flow failed: {}", st.current->update().update_id, e.what());
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
            auto& pause = self->state.retry_pause;
            pause = std::min<std::chrono::milliseconds>(
                max_retry_pause,
                std::max<std::chrono::milliseconds>(pause * 2, std::chrono::milliseconds(100)));
            spdlog::warn("user {}: loading the session failed ({}); retrying in {} ms",
                         self->state.user_id, to_string(err), pause.count());
            self->delayed_send(self, pause, load_atom::value);
          });
}

void render(session_pointer self, const flows::notification& n) {
  auto& st = self->state;
  auto before = domain::to_json(st.session);
  st.current = std::make_shared<flows::turn>(st.user_id, st.session, *st.deps.settings,
                                             domain::catalog::builtin(), unix_now());
  try {
    flows::default_router().dispatch_notification(*st.current, *st.services, n.kind, n.data);
  } catch (const std::exception& e) {
    spdlog::error("user {}: notification {} failed: {}", st.user_id, n.kind, e.what());
  }
  st.current->start([self, before] { finish_turn(self, before); });
}

void next(session_pointer self) {
  auto& st = self->state;
  if (!st.loaded || st.current || st.queue.empty()) return;
  auto item = std::move(st.queue.front());
  st.queue.pop_front();
  if (auto* update = std::get_if<telegram::update>(&item))
    handle(self, std::move(*update));
  else
    render(self, std::get<flows::notification>(item));
}

session_actor::behavior_type session_impl(session_pointer self, int64_t user_id,
                                          session_dependencies deps,
                                          std::optional<domain::user_record> record) {
  auto& st = self->state;
  st.user_id = user_id;
  st.deps = std::move(deps);
  st.record.id = user_id;
  st.services = std::make_unique<session_services<session_pointer>>(
      self, st.deps.market, st.deps.notifications, st.deps.settings,
      flows::default_router().bot_username());
  if (record)
    self->send(self, loaded_atom::value, std::move(record));
  else
    load(self);
  return {
      [=](update_atom, telegram::update& update) {
        self->state.queue.push_back(std::move(update));
        next(self);
      },
      [=](notify_atom, flows::notification& n) {
        self->state.queue.push_back(std::move(n));
        next(self);
      },
      [=](loaded_atom, std::optional<domain::user_record>& loaded) {
        auto& st = self->state;
        if (st.loaded) return;
        st.retry_pause = std::chrono::milliseconds(0);
        if (loaded) {
          st.record = std::move(*loaded);
          st.record_stored = true;
          st.session = domain::session_from_json(st.record.session, st.record.lang);
        }
        st.loaded = true;
        next(self);
        schedule_idle(self);  // a session restored at start-up may never get an update
      },
      [=](commit_atom) { commit(self); },
      [=](load_atom) { load(self); },
      [=](idle_atom, uint64_t generation) {
        auto& st = self->state;
        if (generation != st.idle_generation || st.current || !st.queue.empty()) return;
        self->send(st.deps.owner, idle_atom::value, st.user_id, st.handled);
      },
  };
}

}  // namespace

session_actor spawn_session(caf::actor_system& system, int64_t user_id, session_dependencies deps,
                            std::optional<domain::user_record> record) {
  return system.spawn(session_impl, user_id, std::move(deps), std::move(record));
}

}  // namespace lastcall::actors

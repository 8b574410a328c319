#include "actors/router.hpp"

#include <algorithm>
#include <chrono>
#include <unordered_map>
#include <unordered_set>

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/session_actor.hpp"
#include "domain/flood_gate.hpp"
#include "domain/session_state.hpp"
#include "domain/ui_texts.hpp"
#include "logs/event.hpp"
#include "telegram/requests.hpp"

namespace lastcall::actors {

namespace {

struct router_state {
  static inline const char* name = "router";
  router_dependencies deps;
  struct live_session {
    session_actor actor;
    uint64_t forwarded = 0;                           // updates and notifications sent to it
    std::chrono::steady_clock::time_point last_sent;  // or when it started
  };
  std::unordered_map<int64_t, live_session> sessions;
  std::unordered_set<int64_t> started_here;  // users first seen since start-up: known from now on
  domain::flood_gate flood;
  std::vector<int64_t> unacknowledged;  // acknowledged unhandled, to be stored (flush_atom)
};

bool known_user(const router_state& st, int64_t user_id) {
  const auto& stored = st.deps.known_user_ids;
  return std::binary_search(stored.begin(), stored.end(), user_id) ||
         st.started_here.count(user_id) > 0;
}

using router_pointer = router_actor::stateful_pointer<router_state>;

// Records the update as handled without handling it, so the offset moves on and its inbox row
// goes. A flooder's updates come a hundred to a poll: they are stored together, in one unit once
// the updates already in the mailbox are through, not in a commit each.
void acknowledge_unhandled(router_pointer self, int64_t update_id) {
  auto& st = self->state;
  if (st.unacknowledged.empty()) self->send(self, flush_atom::value);
  st.unacknowledged.push_back(update_id);
}

void store_acknowledged(router_pointer self) {
  persistence::unit_of_work unit;
  unit.processed_updates = std::move(self->state.unacknowledged);
  self->state.unacknowledged.clear();
  if (unit.processed_updates.empty()) return;
  self->request(self->state.deps.persistence, caf::infinite, commit_atom::value, std::move(unit))
      .then([](durable_atom) {},
            [](caf::error& err) {
              logs::warn(logs::event("router", "acknowledge_failed"),
                         "acknowledging updates failed: {}", to_string(err));
            });
}

// Once per notice period: the flooder learns why answers stopped. A tap gets it as the button's
// answer, so its spinner stops too.
void tell_slow_down(router_pointer self, const telegram::update& update) {
  if (!self->state.deps.outbound) return;
  const auto& from = update.callback_query ? update.callback_query->from : *update.message->from;
  const auto& text = domain::ui_texts::builtin().text(
      domain::language_from_code(from.language_code), "error.slow_down");
  auto call = update.callback_query
                  ? telegram::answer_callback_query(update.callback_query->id, text, true)
                  : telegram::send_message(from.id, text);
  self->send(self->state.deps.outbound, send_atom::value,
             std::vector<telegram::api_call>{std::move(call)});
}

router_state::live_session& session_of(router_pointer self, int64_t user_id,
                                       std::optional<domain::user_record> record) {
  auto& st = self->state;
  auto it = st.sessions.find(user_id);
  if (it != st.sessions.end()) return it->second;
  const bool is_new = !record && !known_user(st, user_id);
  if (is_new) st.started_here.insert(user_id);
  auto session =
      spawn_session(self->system(), user_id,
                    session_dependencies{st.deps.settings, st.deps.persistence, st.deps.user_loader,
                                         st.deps.market, session_owner{self}, st.deps.metrics,
                                         st.deps.outbound, st.deps.database, st.deps.history},
                    std::move(record), is_new);
  auto& entry = st.sessions
                    .emplace(user_id, router_state::live_session{session, 0,
                                                                 std::chrono::steady_clock::now()})
                    .first->second;
  st.deps.metrics->live_sessions = st.sessions.size();
  return entry;
}

// Hands an update or a notification to the user's session, counting it (see idle_atom).
template <class... Ts>
void forward(router_pointer self, int64_t user_id, Ts&&... xs) {
  auto& session = session_of(self, user_id, std::nullopt);
  ++session.forwarded;
  session.last_sent = std::chrono::steady_clock::now();
  self->send(session.actor, std::forward<Ts>(xs)...);
}

// How often the router looks for idle sessions: a session is passivated between
// session_idle_seconds and that plus this after it was last sent something.
std::chrono::seconds sweep_interval(const config::settings& settings) {
  return std::chrono::seconds(std::clamp(settings.session_idle_seconds / 4, 1, 60));
}

// Asks every session that was sent nothing for session_idle_seconds whether it is idle.
void sweep_idle(router_pointer self) {
  auto idle_for = std::chrono::seconds(self->state.deps.settings->session_idle_seconds);
  auto now = std::chrono::steady_clock::now();
  for (auto& [user_id, session] : self->state.sessions)
    if (now - session.last_sent >= idle_for) self->send(session.actor, idle_atom::value);
  self->delayed_send(self, sweep_interval(*self->state.deps.settings), tick_atom::value);
}

router_actor::behavior_type router_impl(router_pointer self, router_dependencies deps) {
  self->state.deps = std::move(deps);
  const auto& settings = *self->state.deps.settings;
  self->state.flood = domain::flood_gate(
      domain::flood_limits{settings.flood_updates_per_second, settings.flood_burst,
                           int64_t{1000} * settings.flood_notice_seconds});
  for (auto& record : self->state.deps.sessions_to_restore) session_of(self, record.id, record);
  self->state.deps.sessions_to_restore.clear();
  if (self->state.deps.settings->session_idle_seconds > 0)
    self->delayed_send(self, sweep_interval(*self->state.deps.settings), tick_atom::value);
  // Sessions stop with the router. They are not linked to it (see session_owner), so it stops
  // them itself.
  self->set_exit_handler([=](caf::exit_msg& msg) {
    for (auto& [user_id, session] : self->state.sessions)
      self->send_exit(session.actor, msg.reason);
    self->state.sessions.clear();
    self->state.deps.metrics->live_sessions = 0;
    self->quit(msg.reason);
  });
  return {
      [=](update_atom, telegram::update& update) {
        ++self->state.deps.metrics->updates_received;
        auto user_id = update.user_id();
        if (user_id == 0) {
          // Nothing to answer (e.g. a channel post).
          acknowledge_unhandled(self, update.update_id);
          return;
        }
        const auto verdict = self->state.flood.admit(user_id, steady_ms());
        if (verdict != domain::flood_verdict::handle) {
          ++self->state.deps.metrics->updates_flood_dropped;
          logs::debug(logs::event("router", "flood_dropped").update(update.update_id).user(user_id),
                      "beyond its user's flood limit; acknowledged unhandled");
          acknowledge_unhandled(self, update.update_id);
          if (verdict == domain::flood_verdict::drop_and_notify) tell_slow_down(self, update);
          return;
        }
        forward(self, user_id, update_atom::value, std::move(update));
      },
      [=](notify_atom, int64_t user_id, flows::notification& n) {
        forward(self, user_id, notify_atom::value, std::move(n));
      },
      [=](blocked_atom, int64_t user_id) { forward(self, user_id, blocked_atom::value); },
      [=](late_atom, int64_t user_id, int64_t update_id) {
        // Not forwarded (nor counted for passivation): a session that is gone has handled it.
        auto it = self->state.sessions.find(user_id);
        if (it != self->state.sessions.end())
          self->send(it->second.actor, late_atom::value, update_id);
      },
      [=](idle_atom, int64_t user_id, uint64_t handled) {
        // Only a session that has handled everything sent to it may stop: anything in its mailbox
        // would be lost. The user's next update starts a new session, which loads the durable
        // record.
        auto& sessions = self->state.sessions;
        auto it = sessions.find(user_id);
        if (it == sessions.end() || it->second.forwarded != handled) return;
        self->send(it->second.actor, stop_atom::value);
        sessions.erase(it);
        self->state.deps.metrics->live_sessions = sessions.size();
        logs::debug(logs::event("router", "session_passivated").user(user_id),
                    "session passivated");
      },
      [=](stop_atom, int64_t user_id, caf::actor_addr& session) {
        // Only if it is still the user's session: a passivated one may have a successor.
        auto& sessions = self->state.sessions;
        auto it = sessions.find(user_id);
        if (it == sessions.end() || it->second.actor.address() != session) return;
        logs::warn(logs::event("router", "session_stopped").user(user_id), "session stopped");
        sessions.erase(it);
        self->state.deps.metrics->live_sessions = sessions.size();
      },
      [=](tick_atom) { sweep_idle(self); },
      [=](flush_atom) { store_acknowledged(self); },
      [=](status_atom) -> uint64_t { return self->state.sessions.size(); },
  };
}

}  // namespace

router_actor spawn_router(caf::actor_system& system, router_dependencies deps) {
  return system.spawn(router_impl, std::move(deps));
}

}  // namespace lastcall::actors

#include "actors/poller.hpp"

#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "domain/update_window.hpp"
#include "telegram/requests.hpp"
#include "telegram/update_parser.hpp"

namespace lastcall::actors {

namespace {

// Between polls that brought nothing new while updates are still in flight: Telegram answers such a
// poll at once with the same updates, so asking again immediately would spin.
constexpr auto busy_poll_pause = std::chrono::milliseconds(50);
// After a failed getUpdates, wait before asking again, growing to this.
constexpr auto max_error_pause = std::chrono::seconds(5);

struct poller_state {
  static inline const char* name = "poller";
  std::shared_ptr<telegram::bot_api_client> client;
  poller_options options;
  domain::update_window window{0, {}};
  router_actor router;
  persistence_actor persistence;
  uint64_t generation = 0;  // of the poll in flight; answers of abandoned polls are ignored
  bool polling = false;
  bool stopped = false;
  int64_t stored_offset = 0;
  std::chrono::milliseconds error_pause{0};
};

using poller_pointer = poller_actor::stateful_pointer<poller_state>;

void store_offset(poller_pointer self) {
  auto offset = self->state.window.offset();
  if (offset <= self->state.stored_offset || !self->state.persistence) return;
  self->state.stored_offset = offset;
  persistence::unit_of_work unit;
  unit.update_offset = offset;
  self->request(self->state.persistence, caf::infinite, commit_atom::value, std::move(unit))
      .then([](durable_atom) {},
            [](caf::error& err) {
              spdlog::warn("storing the update offset failed: {}", to_string(err));
            });
}

void poll(poller_pointer self) {
  auto& st = self->state;
  if (st.polling || st.stopped || !st.router) return;
  st.polling = true;
  auto generation = ++st.generation;
  auto request = telegram::get_updates(st.window.offset(), st.options.timeout_seconds, 100,
                                       {"message", "callback_query"});
  poller_actor handle = self;
  // Long polls last up to the poll timeout; give the HTTP request room beyond it.
  long timeout_ms = (st.options.timeout_seconds + 15) * 1000L;
  st.client->call(
      request.method, request.params,
      [handle, generation](telegram::api_result result) {
        caf::anon_send(handle, polled_atom::value, generation, std::move(result));
      },
      timeout_ms);
}

void on_polled(poller_pointer self, uint64_t generation, telegram::api_result& result) {
  auto& st = self->state;
  if (generation != st.generation) return;
  st.polling = false;
  if (st.stopped) return;
  if (!result.ok()) {
    st.error_pause = std::min<std::chrono::milliseconds>(
        max_error_pause,
        std::max<std::chrono::milliseconds>(st.error_pause * 2, std::chrono::milliseconds(100)));
    auto pause = result.retry_after > 0 ? std::chrono::milliseconds(result.retry_after * 1000)
                                        : st.error_pause;
    spdlog::warn("getUpdates failed (status {}, code {}): {}; retrying in {} ms",
                 result.http_status, result.error_code, result.description, pause.count());
    self->delayed_send(self, pause, poll_atom::value);
    return;
  }
  st.error_pause = std::chrono::milliseconds(0);
  auto parsed = telegram::parse_updates(result.result);
  size_t fresh = 0;
  for (auto& update : parsed.updates) {
    if (!st.window.accept(update.update_id)) {
      ++st.options.metrics->updates_duplicate;
      spdlog::debug("update {} skipped: already handled or in flight", update.update_id);
      continue;
    }
    ++fresh;
    spdlog::debug("update {} accepted", update.update_id);
    self->send(st.router, update_atom::value, std::move(update));
  }
  // Entries too malformed to parse carry no effects: treat them as done so the offset moves past
  // them.
  if (parsed.malformed > 0 && result.result.is_array()) {
    for (const auto& raw : result.result) {
      if (!raw.is_object() || !raw.contains("update_id") || !raw["update_id"].is_number_integer())
        continue;
      auto id = raw["update_id"].get<int64_t>();
      bool known = false;
      for (const auto& u : parsed.updates) known = known || u.update_id == id;
      if (!known && st.window.accept(id)) st.window.mark_durable(id);
    }
    store_offset(self);
  }
  if (fresh == 0 && st.window.in_flight() > 0)
    self->delayed_send(self, busy_poll_pause, poll_atom::value);
  else
    poll(self);
}

poller_actor::behavior_type poller_impl(poller_pointer self,
                                        std::shared_ptr<telegram::bot_api_client> client,
                                        poller_options options) {
  self->state.client = std::move(client);
  self->state.window = domain::update_window(options.stored_offset, options.durable_update_ids);
  self->state.stored_offset = options.stored_offset;
  self->state.options = std::move(options);
  return {
      [=](processed_atom, std::vector<int64_t>& ids) {
        for (auto id : ids) self->state.window.mark_durable(id);
        store_offset(self);
      },
      [=](router_actor& router, persistence_actor& persistence) {
        self->state.router = std::move(router);
        self->state.persistence = std::move(persistence);
        poll(self);
      },
      [=](poll_atom) { poll(self); },
      [=](polled_atom, uint64_t generation, telegram::api_result& result) {
        on_polled(self, generation, result);
      },
      [=](stop_atom) {
        self->state.stopped = true;
        ++self->state.generation;  // the poll in flight is abandoned
        self->state.polling = false;
      },
      [=](status_atom) -> uint64_t { return self->state.window.in_flight(); },
  };
}

}  // namespace

poller_actor spawn_poller(caf::actor_system& system,
                          std::shared_ptr<telegram::bot_api_client> client,
                          poller_options options) {
  return system.spawn(poller_impl, std::move(client), std::move(options));
}

}  // namespace lastcall::actors

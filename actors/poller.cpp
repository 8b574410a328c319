#include "actors/poller.hpp"

#include <caf/all.hpp>

#include "domain/backoff.hpp"
#include "logs/event.hpp"
#include "telegram/requests.hpp"
#include "telegram/update_parser.hpp"

namespace lastcall::actors {

namespace {

// After a failed getUpdates, wait before asking again: 100 ms at first, growing to 5 s.
constexpr domain::backoff_policy poll_backoff{100, 5000};
constexpr int updates_per_poll = 100;  // Telegram's most

struct poller_state {
  static inline const char* name = "poller";
  std::shared_ptr<telegram::bot_api_client> client;
  poller_options options;
  intake_actor intake;
  int64_t offset = 0;
  uint64_t generation = 0;  // of the poll in flight; answers of abandoned polls are ignored
  bool polling = false;
  bool stopped = false;
  domain::retry_backoff backoff{poll_backoff};
};

using poller_pointer = poller_actor::stateful_pointer<poller_state>;

void poll(poller_pointer self) {
  auto& st = self->state;
  if (st.polling || st.stopped || !st.intake) return;
  st.polling = true;
  auto generation = ++st.generation;
  auto request = telegram::get_updates(st.offset, st.options.timeout_seconds, updates_per_poll,
                                       {"message", "callback_query"});
  poller_actor handle = self;
  // Long polls last up to the poll timeout; give the HTTP request room beyond it.
  long timeout_ms = (st.options.timeout_seconds + 15) * 1000L;
  st.client->call(
      request.method, request.params,
      [handle, generation](telegram::api_result result) {
        caf::anon_send(handle, polled_atom::value, generation, std::move(result));
      },
      telegram::bot_api_client::call_options{timeout_ms, true});
}

// The answer's updates, each with the text the inbox keeps, and the ids of entries that cannot be
// read: those are acknowledged (the offset passes them) without being handled.
std::vector<incoming_update> entries_of(telegram::parsed_updates parsed) {
  std::vector<incoming_update> entries;
  entries.reserve(parsed.updates.size() + parsed.unreadable_ids.size());
  for (size_t i = 0; i < parsed.updates.size(); ++i) {
    const auto id = parsed.updates[i].update_id;
    entries.push_back({id, std::move(parsed.texts[i]), std::move(parsed.updates[i])});
  }
  for (auto id : parsed.unreadable_ids) entries.push_back({id, {}, std::nullopt});
  return entries;
}

void on_polled(poller_pointer self, uint64_t generation, telegram::api_result& result) {
  auto& st = self->state;
  if (generation != st.generation) return;
  st.polling = false;
  if (st.stopped) return;
  if (!result.ok()) {
    const auto backoff = st.backoff.next();
    auto pause =
        result.retry_after > 0 ? std::chrono::milliseconds(result.retry_after * 1000) : backoff;
    logs::warn(logs::event("poller", "poll_failed"),
               "getUpdates failed (status {}, code {}): {}; retrying in {} ms", result.http_status,
               result.error_code, result.description, pause.count());
    self->delayed_send(self, pause, poll_atom::value);
    return;
  }
  st.backoff.reset();
  auto parsed = telegram::parse_updates(result.result);
  if (result.undecodable_entries > 0) {
    logs::warn(logs::event("poller", "undecodable_updates"),
               "getUpdates: {} updates that are not valid JSON are skipped",
               result.undecodable_entries);
  }
  for (const auto id : result.undecodable_update_ids) {
    parsed.unreadable_ids.push_back(id);
    parsed.max_update_id = std::max(parsed.max_update_id, id);
  }
  const int64_t next_offset = std::max(st.offset, parsed.max_update_id + 1);
  auto entries = entries_of(std::move(parsed));
  if (entries.empty()) {
    st.offset = next_offset;
    poll(self);
    return;
  }
  // The next poll confirms these to Telegram, so it waits until the intake has them in the inbox.
  st.polling = true;
  self->request(st.intake, caf::infinite, update_atom::value, std::move(entries), next_offset)
      .then(
          [=](done_atom) {
            self->state.polling = false;
            self->state.offset = std::max(self->state.offset, next_offset);
            poll(self);
          },
          [=](caf::error& err) {
            // Only when the intake is gone (shutdown): Telegram keeps the updates.
            self->state.polling = false;
            logs::warn(logs::event("poller", "intake_gone"),
                       "the intake did not take the updates: {}", to_string(err));
          });
}

poller_actor::behavior_type poller_impl(poller_pointer self,
                                        std::shared_ptr<telegram::bot_api_client> client,
                                        poller_options options) {
  self->state.client = std::move(client);
  self->state.offset = options.stored_offset;
  self->state.options = std::move(options);
  return {
      [=](intake_actor& intake) {
        self->state.intake = std::move(intake);
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
  };
}

}  // namespace

poller_actor spawn_poller(caf::actor_system& system,
                          std::shared_ptr<telegram::bot_api_client> client,
                          poller_options options) {
  return system.spawn(poller_impl, std::move(client), std::move(options));
}

}  // namespace lastcall::actors

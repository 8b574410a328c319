#include "actors/outbound_actor.hpp"

#include <chrono>
#include <random>

#include <spdlog/spdlog.h>
#include <caf/all.hpp>

#include "telegram/outbound_queue.hpp"

namespace lastcall::actors {

namespace {

constexpr int64_t base_backoff_ms = 200;
constexpr int64_t max_backoff_ms = 10'000;

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

struct outbound_state {
  static inline const char* name = "outbound";
  std::shared_ptr<telegram::bot_api_client> client;
  outbound_options options;
  sent_sink sink;
  telegram::outbound_queue queue;
  std::unordered_map<uint64_t, telegram::outbound_queue::dispatch> in_flight;
  std::minstd_rand jitter{std::random_device{}()};
  bool wakeup_scheduled = false;
  int64_t wakeup_at = 0;
};

using outbound_pointer = outbound_actor::stateful_pointer<outbound_state>;

void pump(outbound_pointer self);

void schedule_wakeup(outbound_pointer self) {
  auto due = self->state.queue.next_due();
  if (!due) return;
  auto& st = self->state;
  if (st.wakeup_scheduled && st.wakeup_at <= *due) return;
  st.wakeup_scheduled = true;
  st.wakeup_at = *due;
  auto delay = std::max<int64_t>(0, *due - now_ms());
  self->delayed_send(self, std::chrono::milliseconds(delay), tick_atom::value);
}

void pump(outbound_pointer self) {
  auto& st = self->state;
  while (static_cast<int>(st.in_flight.size()) < st.options.max_in_flight) {
    auto dispatch = st.queue.next(now_ms());
    if (!dispatch) break;
    auto token = dispatch->token;
    outbound_actor handle = self;
    st.client->call(dispatch->call.method, dispatch->call.params,
                    [handle, token](telegram::api_result result) {
                      caf::anon_send(handle, done_atom::value, token, std::move(result));
                    });
    st.in_flight.emplace(token, std::move(*dispatch));
  }
  schedule_wakeup(self);
}

bool is_not_modified(const telegram::api_result& result) {
  return result.error_code == 400 &&
         result.description.find("message is not modified") != std::string::npos;
}

void on_done(outbound_pointer self, uint64_t token, const telegram::api_result& result) {
  auto& st = self->state;
  auto it = st.in_flight.find(token);
  if (it == st.in_flight.end()) return;
  auto dispatch = std::move(it->second);
  st.in_flight.erase(it);
  const auto& call = dispatch.call;

  bool delivered = result.ok() || is_not_modified(result);
  if (!delivered && result.error_code == 429) {
    // Telegram says exactly how long to wait; waiting does not count as an attempt.
    auto wait_ms = std::max(1, result.retry_after) * 1000L;
    spdlog::warn("{} to chat {} throttled: retrying in {} ms", call.method, call.chat_id, wait_ms);
    st.queue.retry_at(token, now_ms() + wait_ms);
    pump(self);
    return;
  }
  bool transient = result.kind == telegram::api_result::outcome::transport_error ||
                   result.http_status >= 500 || result.error_code >= 500;
  if (!delivered && transient && dispatch.attempt < st.options.max_attempts) {
    auto backoff = std::min(max_backoff_ms, base_backoff_ms << (dispatch.attempt - 1));
    auto delay =
        backoff / 2 + static_cast<int64_t>(st.jitter() % static_cast<uint64_t>(backoff / 2 + 1));
    spdlog::warn("{} to chat {} failed (attempt {}, status {}): {}; retrying in {} ms", call.method,
                 call.chat_id, dispatch.attempt, result.http_status, result.description, delay);
    st.queue.retry_at(token, now_ms() + delay);
    pump(self);
    return;
  }
  if (!delivered) {
    spdlog::error("{} to chat {} failed for good (attempt {}, code {}): {}", call.method,
                  call.chat_id, dispatch.attempt, result.error_code, result.description);
  }
  st.queue.finish(token);
  // A call that can never succeed (a 400 or 403) leaves the outbox too: resending it after a
  // restart would fail the same way.
  if (call.outbox_id != 0 && st.sink)
    self->send(st.sink, sent_atom::value, std::vector<int64_t>{call.outbox_id});
  pump(self);
}

outbound_actor::behavior_type outbound_impl(outbound_pointer self,
                                            std::shared_ptr<telegram::bot_api_client> client,
                                            outbound_options options) {
  self->state.client = std::move(client);
  self->state.options = options;
  return {
      [=](send_atom, std::vector<telegram::api_call>& calls) {
        for (auto& call : calls) self->state.queue.push(std::move(call));
        pump(self);
      },
      [=](sent_sink& sink) { self->state.sink = std::move(sink); },
      [=](done_atom, uint64_t token, telegram::api_result& result) {
        on_done(self, token, result);
      },
      [=](tick_atom) {
        self->state.wakeup_scheduled = false;
        pump(self);
      },
      [=](status_atom) -> uint64_t {
        return self->state.queue.queued() + self->state.queue.in_flight();
      },
  };
}

}  // namespace

outbound_actor spawn_outbound(caf::actor_system& system,
                              std::shared_ptr<telegram::bot_api_client> client,
                              outbound_options options) {
  return system.spawn(outbound_impl, std::move(client), options);
}

}  // namespace lastcall::actors

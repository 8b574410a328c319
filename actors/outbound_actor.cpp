#include "actors/outbound_actor.hpp"

#include <chrono>
#include <random>

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "logs/event.hpp"

namespace lastcall::actors {

namespace {

using telegram::outbound_result;

int64_t unix_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// Overload warnings come in floods; the 1st, 10th, 100th... and then every 1000th are enough to
// see it happening, the counter has the rest.
bool worth_logging(uint64_t nth) {
  if (nth % 1000 == 0) return true;
  while (nth % 10 == 0) nth /= 10;
  return nth == 1;
}

struct outbound_state {
  static inline const char* name = "outbound";
  std::shared_ptr<telegram::bot_api_client> client;
  outbound_options options;
  std::shared_ptr<telegram::outbound_metrics> metrics;
  sent_sink sink;
  blocked_chat_sink blocked_sink;
  telegram::outbound_queue queue;
  std::unordered_map<uint64_t, telegram::outbound_queue::dispatch> in_flight;
  std::mt19937_64 jitter;
  uint64_t overload_drops = 0;
  bool wakeup_scheduled = false;
  int64_t wakeup_at = 0;
};

using outbound_pointer = outbound_actor::stateful_pointer<outbound_state>;

void publish_gauges(outbound_state& st, int64_t now) {
  auto& m = *st.metrics;
  m.queued = st.queue.queued();
  m.in_flight = st.queue.in_flight();
  m.blocked_chats = st.queue.blocked_count();
  const auto paused = st.queue.paused_until();
  m.paused_until_unix_ms = paused > now ? unix_ms() + (paused - now) : 0;
}

void report_settled(outbound_pointer self) {
  auto ids = self->state.queue.take_settled_outbox_ids();
  if (!ids.empty() && self->state.sink)
    self->send(self->state.sink, sent_atom::value, std::move(ids));
}

void schedule_wakeup(outbound_pointer self) {
  auto& st = self->state;
  auto due = st.queue.next_due();
  if (!due) return;
  if (st.wakeup_scheduled && st.wakeup_at <= *due) return;
  st.wakeup_scheduled = true;
  st.wakeup_at = *due;
  auto delay = std::max<int64_t>(0, *due - steady_ms());
  self->delayed_send(self, std::chrono::milliseconds(delay), tick_atom::value);
}

// How soon a call the client held back (the lease in doubt) is tried again.
constexpr int64_t held_back_retry_ms = 250;

void pump(outbound_pointer self) {
  auto& st = self->state;
  const auto now = steady_ms();
  while (static_cast<int>(st.in_flight.size()) < st.options.max_in_flight) {
    auto dispatch = st.queue.next(now);
    if (!dispatch) break;
    auto token = dispatch->token;
    outbound_actor handle = self;
    const auto& call = dispatch->call;
    // A stored call is sent as the text the outbox holds; others are written now.
    st.client->call(
        call.method, call.body.empty() ? telegram::to_body(call.params) : call.body,
        [handle, token](telegram::api_result result) {
          caf::anon_send(handle, done_atom::value, token, std::move(result));
        },
        telegram::bot_api_client::call_options{0, false});
    st.in_flight.emplace(token, std::move(*dispatch));
  }
  publish_gauges(st, now);
  schedule_wakeup(self);
}

void enqueue(outbound_pointer self, std::vector<telegram::api_call>& calls) {
  auto& st = self->state;
  for (auto& call : calls) {
    const auto method = call.method;
    const auto chat_id = call.chat_id;
    auto pushed = st.queue.push(std::move(call));
    switch (pushed.outcome) {
      case telegram::push_outcome::queued:
        break;
      case telegram::push_outcome::coalesced:
        st.metrics->count(method, outbound_result::coalesced);
        break;
      case telegram::push_outcome::dropped_blocked:
        st.metrics->count(method, outbound_result::dropped_blocked);
        logs::debug(logs::event("outbound", "blocked_skipped").chat(chat_id),
                    "{} not sent: the user blocked the bot", method);
        break;
      case telegram::push_outcome::refused_overload:
        st.metrics->count(method, outbound_result::refused_overload);
        if (worth_logging(++st.overload_drops))
          logs::warn(logs::event("outbound", "overload_refused").chat(chat_id),
                     "outbound queue full ({} calls): refused {} ({} so far)", st.queue.queued(),
                     method, st.overload_drops);
        break;
    }
    if (pushed.evicted) {
      st.metrics->count(pushed.evicted->method, outbound_result::refused_overload);
      if (worth_logging(++st.overload_drops))
        logs::warn(logs::event("outbound", "overload_evicted").chat(pushed.evicted->chat_id),
                   "outbound queue full ({} calls): dropped a queued bulk {} ({} so far)",
                   st.queue.queued(), pushed.evicted->method, st.overload_drops);
    }
  }
  report_settled(self);
  pump(self);
}

bool is_not_modified(const telegram::api_result& result) {
  return result.error_code == 400 &&
         result.description.find("message is not modified") != std::string::npos;
}

bool is_transient(const telegram::api_result& result) {
  return result.kind == telegram::api_result::outcome::transport_error ||
         result.http_status >= 500 || result.error_code >= 500;
}

void on_blocked(outbound_pointer self, const telegram::api_call& call) {
  auto& st = self->state;
  st.metrics->count(call.method, outbound_result::dropped_blocked);
  if (call.chat_id == 0 || st.queue.is_blocked(call.chat_id)) return;
  auto dropped = st.queue.block_chat(call.chat_id);
  for (const auto& d : dropped) st.metrics->count(d.method, outbound_result::dropped_blocked);
  logs::info(logs::event("outbound", "chat_blocked").chat(call.chat_id),
             "the chat refuses messages (403): {} queued calls dropped; sending resumes when the "
             "user writes again",
             dropped.size());
  if (call.chat_id > 0 && st.blocked_sink)
    self->send(st.blocked_sink, blocked_atom::value, call.chat_id);
}

void on_done(outbound_pointer self, uint64_t token, const telegram::api_result& result) {
  auto& st = self->state;
  auto it = st.in_flight.find(token);
  if (it == st.in_flight.end()) return;
  auto dispatch = std::move(it->second);
  st.in_flight.erase(it);
  const auto& call = dispatch.call;
  const auto now = steady_ms();

  if (result.ok() || is_not_modified(result)) {
    st.metrics->count(call.method, outbound_result::ok);
    st.queue.finish(token, now);
  } else if (result.held_back) {
    // This node may not speak for the market now: the call waits, as it never left, until the
    // lease is renewed or the node stops.
    st.queue.not_sent(token, now + held_back_retry_ms, now);
  } else if (result.error_code == 429) {
    // Telegram says exactly how long to wait; waiting does not count as an attempt.
    const int64_t wait_ms = std::max(1, result.retry_after) * int64_t{1000};
    ++st.metrics->throttled;
    ++st.metrics->retries;
    st.metrics->count(call.method, outbound_result::retried);
    if (st.queue.throttled(token, wait_ms, now)) {
      ++st.metrics->global_pauses;
      logs::warn(logs::event("outbound", "global_pause"),
                 "429s from several chats: all sending paused for {} ms", wait_ms);
    } else {
      logs::warn(logs::event("outbound", "throttled").chat(call.chat_id),
                 "{} throttled: retrying in {} ms", call.method, wait_ms);
    }
  } else if (result.error_code == 403) {
    st.queue.finish(token, now);
    on_blocked(self, call);
  } else if (is_transient(result) && dispatch.attempt < st.options.backoff.max_attempts) {
    const auto delay = domain::backoff_delay_ms(st.options.backoff, dispatch.attempt, st.jitter);
    ++st.metrics->retries;
    st.metrics->count(call.method, outbound_result::retried);
    logs::warn(logs::event("outbound", "send_retry").chat(call.chat_id),
               "{} failed (attempt {}, status {}): {}; retrying in {} ms", call.method,
               dispatch.attempt, result.http_status, result.description, delay);
    st.queue.retry_at(token, now + delay, now);
  } else {
    st.metrics->count(call.method, outbound_result::failed);
    logs::error(logs::event("outbound", "send_failed").chat(call.chat_id),
                "{} failed for good (attempt {}, status {}, code {}): {}", call.method,
                dispatch.attempt, result.http_status, result.error_code, result.description);
    // A call that can never succeed leaves the outbox too: resending it after a restart would fail
    // the same way.
    st.queue.finish(token, now);
  }
  report_settled(self);
  pump(self);
}

outbound_actor::behavior_type outbound_impl(outbound_pointer self,
                                            std::shared_ptr<telegram::bot_api_client> client,
                                            outbound_options options,
                                            std::shared_ptr<telegram::outbound_metrics> metrics) {
  auto& st = self->state;
  st.client = std::move(client);
  st.metrics = std::move(metrics);
  st.queue = telegram::outbound_queue(options.limits);
  st.jitter.seed(options.jitter_seed != 0 ? options.jitter_seed : std::random_device{}());
  for (auto chat : options.blocked_chats) st.queue.block_chat(chat);
  st.metrics->blocked_chats = st.queue.blocked_count();
  st.options = std::move(options);
  return {
      [=](send_atom, std::vector<telegram::api_call>& calls) { enqueue(self, calls); },
      [=](sent_sink& sink) { self->state.sink = std::move(sink); },
      [=](blocked_chat_sink& sink) { self->state.blocked_sink = std::move(sink); },
      [=](unblocked_atom, int64_t chat_id) {
        if (!self->state.queue.is_blocked(chat_id)) return;
        self->state.queue.unblock_chat(chat_id);
        self->state.metrics->blocked_chats = self->state.queue.blocked_count();
        logs::info(logs::event("outbound", "chat_unblocked").chat(chat_id),
                   "the chat writes again: sending to it again");
      },
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

outbound_options outbound_options_from(const config::settings& settings,
                                       std::vector<int64_t> blocked_chats) {
  outbound_options options;
  options.limits.global_per_second = settings.outbound_global_per_second;
  options.limits.chat_per_second = settings.outbound_chat_per_second;
  options.limits.chat_burst = settings.outbound_chat_burst;
  options.limits.group_per_minute = settings.outbound_group_per_minute;
  options.limits.max_queued = static_cast<size_t>(settings.outbound_max_queued);
  options.limits.max_queued_per_chat = static_cast<size_t>(settings.outbound_chat_max_queued);
  options.backoff.max_attempts = settings.outbound_max_attempts;
  options.blocked_chats = std::move(blocked_chats);
  return options;
}

outbound_actor spawn_outbound(caf::actor_system& system,
                              std::shared_ptr<telegram::bot_api_client> client,
                              outbound_options options,
                              std::shared_ptr<telegram::outbound_metrics> metrics) {
  if (!metrics) metrics = std::make_shared<telegram::outbound_metrics>();
  return system.spawn(outbound_impl, std::move(client), std::move(options), std::move(metrics));
}

}  // namespace lastcall::actors

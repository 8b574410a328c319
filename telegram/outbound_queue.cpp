#include "telegram/outbound_queue.hpp"

namespace lastcall::telegram {

int64_t outbound_queue::key_of(const api_call& call) {
  if (call.chat_id != 0) return call.chat_id;
  // Chat ids of users and groups are never this negative, so the keys cannot collide with a real
  // chat.
  return INT64_MIN / 2 + (next_unordered_key_--);
}

void outbound_queue::make_runnable(int64_t key, chat_queue& chat) {
  if (chat.busy || chat.calls.empty() || chat.waiting) return;
  const auto& head = chat.calls.front();
  runnable_.emplace(static_cast<int>(head.call.priority), head.seq, key);
}

void outbound_queue::push(api_call call) {
  auto key = key_of(call);
  auto& chat = chats_[key];
  bool was_empty = chat.calls.empty();
  chat.calls.push_back(entry{std::move(call), next_seq_++, 0});
  ++queued_;
  if (was_empty) make_runnable(key, chat);
}

std::optional<outbound_queue::dispatch> outbound_queue::next(int64_t now_ms) {
  // Retries whose time has come rejoin the runnable set first: they keep their original place.
  while (!waiting_.empty() && waiting_.begin()->first <= now_ms) {
    auto key = waiting_.begin()->second;
    waiting_.erase(waiting_.begin());
    auto it = chats_.find(key);
    if (it == chats_.end()) continue;
    it->second.waiting = false;
    make_runnable(key, it->second);
  }
  if (runnable_.empty()) return std::nullopt;
  auto [priority, seq, key] = *runnable_.begin();
  runnable_.erase(runnable_.begin());
  auto& chat = chats_[key];
  entry e = std::move(chat.calls.front());
  chat.calls.pop_front();
  chat.busy = true;
  --queued_;
  ++e.attempts;
  dispatch d{++next_token_, e.call, e.attempts};
  in_flight_.emplace(d.token, std::make_pair(key, std::move(e)));
  return d;
}

void outbound_queue::finish(uint64_t token) {
  auto it = in_flight_.find(token);
  if (it == in_flight_.end()) return;
  auto key = it->second.first;
  in_flight_.erase(it);
  auto chat = chats_.find(key);
  if (chat == chats_.end()) return;
  chat->second.busy = false;
  if (chat->second.calls.empty() && !chat->second.waiting) {
    chats_.erase(chat);
    return;
  }
  make_runnable(key, chat->second);
}

void outbound_queue::retry_at(uint64_t token, int64_t at_ms) {
  auto it = in_flight_.find(token);
  if (it == in_flight_.end()) return;
  auto key = it->second.first;
  auto& chat = chats_[key];
  chat.calls.push_front(std::move(it->second.second));
  ++queued_;
  in_flight_.erase(it);
  chat.busy = false;
  chat.waiting = true;
  waiting_.emplace(at_ms, key);
}

std::optional<int64_t> outbound_queue::next_due() const {
  if (waiting_.empty()) return std::nullopt;
  return waiting_.begin()->first;
}

}  // namespace lastcall::telegram

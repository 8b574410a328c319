#include "telegram/outbound_queue.hpp"

#include <algorithm>

#include "telegram/outbound_coalescing.hpp"

namespace lastcall::telegram {

namespace {

// The queue keeps the call until it is settled (a retry sends it again); the sender gets a copy. A
// stored call goes out as the text it was stored with, so its parameters' document is left out of
// the copy, which takes every other field.
api_call copy_to_send(api_call& call) {
  if (call.body.empty()) return call;
  auto params = std::move(call.params);
  api_call copy = call;
  call.params = std::move(params);
  return copy;
}

// Telegram's windows run on its clock and ours reads whole milliseconds: a call that becomes
// allowed exactly at a window's edge could arrive a hair early. Waiting this much longer keeps it
// inside the limit at a cost of at most 2 % of the rate.
constexpr int64_t clock_margin_ms = 20;
}  // namespace

namespace {

// Allowances of chats that went quiet are forgotten now and then, so a long run over many chats
// does not keep one per chat ever served.
constexpr uint64_t cleanup_every_answers = 1024;

}  // namespace

outbound_queue::outbound_queue(outbound_limits limits)
    : limits_(limits),
      global_(limits.global_per_second > 0 ? limits.global_per_second : 0, 1000 + clock_margin_ms) {
}

bool outbound_queue::exempt(const api_call& call) {
  return call.priority == call_priority::callback_answer;
}

int64_t outbound_queue::key_of(const api_call& call) {
  if (call.chat_id != 0) return call.chat_id;
  // Chat ids of users and groups are never this negative, so the keys cannot collide with a real
  // chat.
  return INT64_MIN / 2 + (next_unordered_key_--);
}

outbound_allowance& outbound_queue::chat_allowance(int64_t chat_id) {
  auto it = chat_allowances_.find(chat_id);
  if (it != chat_allowances_.end()) return it->second;
  const int burst = std::max(1, limits_.chat_burst);
  // `burst` calls per burst/rate seconds: on average chat_per_second, `burst` of them at once.
  const int64_t period_ms =
      int64_t{1000} * burst / std::max(1, limits_.chat_per_second) + clock_margin_ms;
  return chat_allowances_.emplace(chat_id, outbound_allowance(burst, period_ms)).first->second;
}

outbound_allowance& outbound_queue::group_allowance(int64_t chat_id) {
  auto it = group_allowances_.find(chat_id);
  if (it != group_allowances_.end()) return it->second;
  return group_allowances_
      .emplace(chat_id,
               outbound_allowance(std::max(1, limits_.group_per_minute), 60'000 + clock_margin_ms))
      .first->second;
}

void outbound_queue::forget_full_allowances(int64_t now_ms) {
  answers_since_cleanup_ = 0;
  for (auto* allowances : {&chat_allowances_, &group_allowances_}) {
    for (auto it = allowances->begin(); it != allowances->end();)
      it = it->second.full(now_ms) ? allowances->erase(it) : std::next(it);
  }
}

void outbound_queue::make_runnable(int64_t key, chat_queue& chat) {
  if (chat.busy || chat.calls.empty() || chat.waiting) return;
  unschedule(chat);
  const auto& head = chat.calls.front();
  head_key scheduled{static_cast<int>(head.call.priority), head.seq, key};
  runnable_.insert(scheduled);
  chat.scheduled = scheduled;
}

void outbound_queue::unschedule(chat_queue& chat) {
  if (!chat.scheduled) return;
  runnable_.erase(*chat.scheduled);
  chat.scheduled.reset();
}

void outbound_queue::wait(int64_t key, chat_queue& chat, int64_t until) {
  unschedule(chat);
  chat.waiting = true;
  chat.waiting_until = until;
  waiting_.emplace(until, key);
}

void outbound_queue::forget_if_done(int64_t key) {
  auto it = chats_.find(key);
  if (it == chats_.end() || it->second.busy || !it->second.calls.empty()) return;
  unschedule(it->second);
  chats_.erase(it);
}

void outbound_queue::settle(const entry& e) {
  if (e.call.outbox_id != 0) settled_.push_back(e.call.outbox_id);
  settled_.insert(settled_.end(), e.also_settles.begin(), e.also_settles.end());
}

void outbound_queue::index_bulk(const entry& e, int64_t key) {
  if (e.call.priority == call_priority::bulk && !e.call.must_deliver) bulk_.emplace(e.seq, key);
}

void outbound_queue::unindex_bulk(const entry& e, int64_t key) {
  bulk_.erase({e.seq, key});
}

bool outbound_queue::coalesce(api_call& call, int64_t key) {
  const auto message_id = coalescible_message_id(call);
  if (!message_id) return false;
  auto it = chats_.find(key);
  if (it == chats_.end()) return false;
  auto& chat = it->second;
  for (auto e = chat.calls.begin(); e != chat.calls.end(); ++e) {
    if (coalescible_message_id(e->call) != message_id) continue;
    unindex_bulk(*e, key);
    e->call = merge_edits(e->call, call);
    if (call.outbox_id != 0) e->also_settles.push_back(call.outbox_id);
    index_bulk(*e, key);
    // The head's priority may have risen: its place among the chats changes with it.
    if (e == chat.calls.begin() && chat.scheduled) make_runnable(key, chat);
    return true;
  }
  return false;
}

std::optional<api_call> outbound_queue::evict_oldest_bulk() {
  while (!bulk_.empty()) {
    const auto [seq, key] = *bulk_.begin();
    bulk_.erase(bulk_.begin());
    auto it = chats_.find(key);
    if (it == chats_.end()) continue;
    auto& chat = it->second;
    auto pos = std::lower_bound(chat.calls.begin(), chat.calls.end(), seq,
                                [](const entry& e, uint64_t s) { return e.seq < s; });
    if (pos == chat.calls.end() || pos->seq != seq) continue;
    return std::move(remove_queued(key, chat, pos).call);
  }
  return std::nullopt;
}

std::optional<api_call> outbound_queue::evict_oldest_droppable(int64_t key) {
  auto it = chats_.find(key);
  if (it == chats_.end()) return std::nullopt;
  auto& chat = it->second;
  const auto pos = std::find_if(chat.calls.begin(), chat.calls.end(),
                                [](const entry& e) { return !e.call.must_deliver; });
  if (pos == chat.calls.end()) return std::nullopt;
  unindex_bulk(*pos, key);
  return std::move(remove_queued(key, chat, pos).call);
}

// Takes a queued (not in-flight) call out for good; the chat may be forgotten after it, so `chat`
// must not be used afterwards.
outbound_queue::entry outbound_queue::remove_queued(int64_t key, chat_queue& chat,
                                                    std::deque<entry>::iterator pos) {
  const bool was_head = pos == chat.calls.begin();
  entry removed = std::move(*pos);
  chat.calls.erase(pos);
  --queued_;
  settle(removed);
  if (was_head && chat.scheduled) make_runnable(key, chat);
  if (chat.calls.empty()) {
    chat.waiting = false;
    forget_if_done(key);
  }
  return removed;
}

push_result outbound_queue::refuse(api_call call) {
  settle(entry{std::move(call), 0, 0, {}});
  push_result result;
  result.outcome = push_outcome::refused_overload;
  return result;
}

push_result outbound_queue::push(api_call call) {
  push_result result;
  if (call.method == "answerCallbackQuery") call.priority = call_priority::callback_answer;
  if (call.chat_id != 0 && is_blocked(call.chat_id)) {
    settle(entry{std::move(call), 0, 0, {}});
    result.outcome = push_outcome::dropped_blocked;
    return result;
  }
  const auto key = key_of(call);
  if (coalesce(call, key)) {
    result.outcome = push_outcome::coalesced;
    return result;
  }
  if (!call.must_deliver && limits_.max_queued_per_chat > 0) {
    const auto chat = chats_.find(key);
    if (chat != chats_.end() && chat->second.calls.size() >= limits_.max_queued_per_chat) {
      result.evicted = evict_oldest_droppable(key);
      if (!result.evicted) return refuse(std::move(call));
    }
  }
  if (!call.must_deliver && !result.evicted && limits_.max_queued > 0 &&
      queued_ >= limits_.max_queued) {
    result.evicted = evict_oldest_bulk();
    if (!result.evicted) return refuse(std::move(call));
  }
  auto& chat = chats_[key];
  chat.calls.push_back(entry{std::move(call), next_seq_++, 0, {}});
  ++queued_;
  index_bulk(chat.calls.back(), key);
  if (chat.calls.size() == 1) make_runnable(key, chat);
  return result;
}

std::optional<outbound_queue::dispatch> outbound_queue::next(int64_t now_ms) {
  last_now_ = std::max(last_now_, now_ms);
  blocked_until_.reset();
  // Chats whose wait is over rejoin the runnable set: they keep their original place.
  while (!waiting_.empty() && waiting_.begin()->first <= now_ms) {
    const auto key = waiting_.begin()->second;
    waiting_.erase(waiting_.begin());
    auto it = chats_.find(key);
    if (it == chats_.end() || !it->second.waiting || it->second.waiting_until > now_ms) continue;
    it->second.waiting = false;
    make_runnable(key, it->second);
  }

  while (!runnable_.empty()) {
    const auto key = std::get<2>(*runnable_.begin());
    auto& chat = chats_[key];
    const auto& head = chat.calls.front();
    bool use_global = false, use_chat = false, use_group = false;
    if (!exempt(head.call)) {
      // Everything from here on in runnable_ is a message too (exempt calls sort first).
      if (paused_until_ > now_ms) {
        blocked_until_ = paused_until_;
        return std::nullopt;
      }
      const auto chat_id = head.call.chat_id;
      int64_t ready = now_ms;
      use_chat = chat_id != 0 && limits_.chat_per_second > 0;
      use_group = chat_id < 0 && limits_.group_per_minute > 0;
      if (use_chat) ready = std::max(ready, chat_allowance(chat_id).ready_at(now_ms));
      if (use_group) ready = std::max(ready, group_allowance(chat_id).ready_at(now_ms));
      if (ready > now_ms) {
        // Nothing of this chat is in flight, so its tokens are all on their way back: `ready` is
        // a real time. The chat steps aside; others may go meanwhile.
        wait(key, chat, ready == outbound_allowance::never ? now_ms + 1000 : ready);
        continue;
      }
      if (global_.limited()) {
        const auto global_ready = global_.ready_at(now_ms);
        if (global_ready > now_ms) {
          blocked_until_ = global_ready;
          return std::nullopt;
        }
        use_global = true;
      }
    }
    unschedule(chat);
    entry e = std::move(chat.calls.front());
    chat.calls.pop_front();
    --queued_;
    unindex_bulk(e, key);
    chat.busy = true;
    ++e.attempts;
    if (use_global) global_.take();
    if (use_chat) chat_allowance(e.call.chat_id).take();
    if (use_group) group_allowance(e.call.chat_id).take();
    dispatch d{++next_token_, copy_to_send(e.call), e.attempts};
    in_flight_.emplace(d.token, sent{key, std::move(e), use_global, use_chat, use_group});
    return d;
  }
  return std::nullopt;
}

void outbound_queue::give_back(const sent& s, int64_t answered_ms) {
  if (s.used_global) global_.give_back(answered_ms);
  if (s.used_chat) chat_allowance(s.e.call.chat_id).give_back(answered_ms);
  if (s.used_group) group_allowance(s.e.call.chat_id).give_back(answered_ms);
  if (++answers_since_cleanup_ >= cleanup_every_answers) forget_full_allowances(answered_ms);
}

void outbound_queue::finish(uint64_t token) {
  finish(token, last_now_);
}

void outbound_queue::finish(uint64_t token, int64_t answered_ms) {
  auto it = in_flight_.find(token);
  if (it == in_flight_.end()) return;
  sent s = std::move(it->second);
  in_flight_.erase(it);
  give_back(s, answered_ms);
  settle(s.e);
  auto chat = chats_.find(s.key);
  if (chat == chats_.end()) return;
  chat->second.busy = false;
  if (chat->second.calls.empty()) {
    chat->second.waiting = false;
    forget_if_done(s.key);
    return;
  }
  make_runnable(s.key, chat->second);
}

void outbound_queue::retry_at(uint64_t token, int64_t at_ms) {
  retry_at(token, at_ms, last_now_);
}

void outbound_queue::retry_at(uint64_t token, int64_t at_ms, int64_t answered_ms) {
  auto it = in_flight_.find(token);
  if (it == in_flight_.end()) return;
  sent s = std::move(it->second);
  in_flight_.erase(it);
  give_back(s, answered_ms);
  auto& chat = chats_[s.key];
  chat.calls.push_front(std::move(s.e));
  ++queued_;
  index_bulk(chat.calls.front(), s.key);
  chat.busy = false;
  wait(s.key, chat, at_ms);
}

void outbound_queue::not_sent(uint64_t token, int64_t at_ms, int64_t now_ms) {
  auto it = in_flight_.find(token);
  if (it == in_flight_.end()) return;
  const auto key = it->second.key;
  retry_at(token, at_ms, now_ms);
  auto& calls = chats_[key].calls;
  if (!calls.empty() && calls.front().attempts > 0) --calls.front().attempts;
}

bool outbound_queue::throttled(uint64_t token, int64_t retry_after_ms, int64_t now_ms) {
  auto it = in_flight_.find(token);
  if (it == in_flight_.end()) return false;
  const auto chat_id = it->second.e.call.chat_id;
  const bool is_exempt = exempt(it->second.e.call);
  const auto until = now_ms + std::max<int64_t>(0, retry_after_ms);
  retry_at(token, until, now_ms);
  if (is_exempt) return false;  // a callback answer's 429 says nothing about messages

  while (!recent_throttles_.empty() &&
         recent_throttles_.front().first < now_ms - limits_.global_throttle_window_ms)
    recent_throttles_.pop_front();
  recent_throttles_.emplace_back(now_ms, chat_id);
  std::unordered_set<int64_t> chats;
  for (const auto& throttle : recent_throttles_) chats.insert(throttle.second);
  const bool global =
      chat_id == 0 || static_cast<int>(chats.size()) >= std::max(1, limits_.global_throttle_chats);
  if (!global) return false;
  const bool began = paused_until_ <= now_ms;
  paused_until_ = std::max(paused_until_, until);
  return began;
}

std::vector<api_call> outbound_queue::block_chat(int64_t chat_id) {
  std::vector<api_call> dropped;
  if (chat_id == 0) return dropped;
  blocked_.insert(chat_id);
  auto it = chats_.find(chat_id);
  if (it == chats_.end()) return dropped;
  auto& chat = it->second;
  for (auto& e : chat.calls) {
    unindex_bulk(e, chat_id);
    settle(e);
    dropped.push_back(std::move(e.call));
  }
  queued_ -= chat.calls.size();
  chat.calls.clear();
  chat.waiting = false;
  unschedule(chat);
  forget_if_done(chat_id);
  return dropped;
}

void outbound_queue::unblock_chat(int64_t chat_id) {
  blocked_.erase(chat_id);
}

std::vector<int64_t> outbound_queue::take_settled_outbox_ids() {
  std::vector<int64_t> ids;
  ids.swap(settled_);
  return ids;
}

std::optional<int64_t> outbound_queue::next_due() const {
  std::optional<int64_t> due;
  if (!waiting_.empty()) due = waiting_.begin()->first;
  if (blocked_until_ && *blocked_until_ != outbound_allowance::never)
    due = due ? std::min(*due, *blocked_until_) : *blocked_until_;
  return due;
}

}  // namespace lastcall::telegram

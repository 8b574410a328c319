#pragma once
// The order in which Bot API calls leave the bot, independent of any I/O so it can be tested with
// an explicit clock.
//
// Order: one call in flight per chat (Telegram shows a chat's messages in the order they arrive,
// so a second message must not overtake the first); among chats, the most urgent call first
// (callback answers, then interactive replies, then bulk notifications), oldest first within a
// priority; a call told to retry keeps its place at the head of its chat until its time comes.
//
// Rate limits (see outbound_allowance.hpp for how a token bucket counts): one allowance for the
// whole bot, one per chat and one more per group (chat id < 0). A chat out of tokens waits without
// holding up other chats; when the bot-wide allowance is out, nothing but callback answers goes.
// Callback answers are not messages to a chat: no allowance applies to them and they go first.
//
// 429: the call waits what retry_after says and is sent again; nothing is dropped. Telegram's 429
// does not say whether one chat or the whole bot is over its limit, so a 429 pauses its own chat
// only, unless 429s came from `global_throttle_chats` different chats within
// `global_throttle_window_ms` (or for a call that names no chat): per-chat limits hit one chat at a
// time, so several chats throttled together means the bot-wide limit, and sending to yet other
// chats would only prolong the flood wait. Then all sending except callback answers pauses.
//
// Blocked chats (403): calls to them are dropped, queued ones included, until unblock_chat.
//
// Edits of one message waiting to be sent are merged (outbound_coalescing.hpp); the merged call
// keeps the older call's place. Every outbox id it stands for is settled when it is.
//
// Bounded, per chat first: with max_queued_per_chat set, a call to a chat that already has that
// many waiting makes room by dropping that chat's oldest droppable call (the reply a flooding user
// is least likely still to look at), or is refused when the chat has none; so one user's backlog
// never takes room from anyone else. With max_queued set, a call that would exceed it makes room
// by dropping the oldest droppable bulk call (a notification that has waited longest is the
// likeliest to be stale, and bulk calls are the ones nobody is watching a spinner for). When no
// bulk call can go, the new call itself is refused: the queue is then full of replies users are
// waiting for, which means Telegram has not been reachable for a long time, and refusing beats
// running out of memory. push() reports both, so the caller can count and log them.
//
// Calls marked must_deliver (they tell of a committed change) are never dropped or refused for
// room: they are in the outbox and would otherwise be lost; they may exceed both bounds. Their
// number is bounded by how fast users can change things, which inbound flood control limits.
//
// Outbox ids of calls that are done in any way (sent, given up, merged away, dropped, refused)
// are collected for take_settled_outbox_ids(), so they are not sent again after a restart.

#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "telegram/api_call.hpp"
#include "telegram/outbound_allowance.hpp"

namespace lastcall::telegram {

struct outbound_limits {
  int global_per_second = 0;       // 0: no bot-wide limit
  int chat_per_second = 0;         // 0: no per-chat limit
  int chat_burst = 1;              // calls a chat may get at once; on average chat_per_second
  int group_per_minute = 0;        // 0: no per-group limit
  size_t max_queued = 0;           // 0: unbounded
  size_t max_queued_per_chat = 0;  // 0: unbounded
  int global_throttle_chats = 3;
  int64_t global_throttle_window_ms = 1000;
};

enum class push_outcome { queued, coalesced, dropped_blocked, refused_overload };

struct push_result {
  push_outcome outcome = push_outcome::queued;
  std::optional<api_call> evicted;  // a queued bulk call dropped to make room for this one
};

class outbound_queue {
 public:
  struct dispatch {
    uint64_t token = 0;  // hand back to finish/retry_at/throttled
    api_call call;       // a stored call comes without `params`: it is sent as its `body`
    int attempt = 1;     // 1 on the first try
  };

  explicit outbound_queue(outbound_limits limits = {});

  push_result push(api_call call);

  // The next call to send now, or nothing when every chat with work is busy, waiting (for a retry
  // or for its allowance), or the bot-wide allowance is out or paused.
  std::optional<dispatch> next(int64_t now_ms);

  // The call is done (accepted, or given up): its chat may send its next call. Its tokens come back
  // counting from answered_ms (without it: the latest time given to next()).
  void finish(uint64_t token);
  void finish(uint64_t token, int64_t answered_ms);

  // Send the call again no earlier than `at_ms`, before anything else queued for its chat.
  void retry_at(uint64_t token, int64_t at_ms);
  void retry_at(uint64_t token, int64_t at_ms, int64_t answered_ms);

  // The call never left (the client held it back): send it again at `at_ms`, not counted as an
  // attempt.
  void not_sent(uint64_t token, int64_t at_ms, int64_t now_ms);

  // A 429 with retry_after: retries the call then. Returns true when this began a pause of all
  // sending (see the rule above).
  bool throttled(uint64_t token, int64_t retry_after_ms, int64_t now_ms);

  // Stops sending to the chat; returns the queued calls dropped (a call in flight is not among
  // them). Calls pushed later are dropped too, until unblock_chat.
  std::vector<api_call> block_chat(int64_t chat_id);
  void unblock_chat(int64_t chat_id);
  bool is_blocked(int64_t chat_id) const { return blocked_.count(chat_id) > 0; }
  size_t blocked_count() const { return blocked_.size(); }

  // Outbox ids settled since the last call.
  std::vector<int64_t> take_settled_outbox_ids();

  // The earliest time something waiting may become sendable, if any (a retry's time, a chat's or
  // the bot's allowance, the end of a pause). Valid after next() returned nothing.
  std::optional<int64_t> next_due() const;

  // Until when all sending (callback answers excepted) is paused; not paused when <= now.
  int64_t paused_until() const { return paused_until_; }

  size_t queued() const { return queued_; }
  size_t in_flight() const { return in_flight_.size(); }
  bool idle() const { return queued_ == 0 && in_flight_.empty(); }

 private:
  struct entry {
    api_call call;
    uint64_t seq = 0;
    int attempts = 0;
    std::vector<int64_t> also_settles;  // outbox ids of edits merged into this one
  };
  using head_key = std::tuple<int, uint64_t, int64_t>;  // priority, seq, chat key
  struct chat_queue {
    std::deque<entry> calls;  // ascending seq
    bool busy = false;        // a call of this chat is in flight
    bool waiting = false;     // its head waits for a retry or for the chat's allowance
    int64_t waiting_until = 0;
    std::optional<head_key> scheduled;  // its entry in runnable_, if any
  };
  struct sent {
    int64_t key = 0;
    entry e;
    bool used_global = false;
    bool used_chat = false;
    bool used_group = false;
  };

  static bool exempt(const api_call& call);
  int64_t key_of(const api_call& call);
  void make_runnable(int64_t key, chat_queue& chat);
  void unschedule(chat_queue& chat);
  void wait(int64_t key, chat_queue& chat, int64_t until);
  void forget_if_done(int64_t key);
  void settle(const entry& e);
  void index_bulk(const entry& e, int64_t key);
  void unindex_bulk(const entry& e, int64_t key);
  bool coalesce(api_call& call, int64_t key);
  std::optional<api_call> evict_oldest_bulk();
  push_result refuse(api_call call);
  std::optional<api_call> evict_oldest_droppable(int64_t key);
  entry remove_queued(int64_t key, chat_queue& chat, std::deque<entry>::iterator pos);
  void give_back(const sent& s, int64_t answered_ms);
  outbound_allowance& chat_allowance(int64_t chat_id);
  outbound_allowance& group_allowance(int64_t chat_id);
  void forget_full_allowances(int64_t now_ms);

  outbound_limits limits_;
  outbound_allowance global_;
  std::unordered_map<int64_t, outbound_allowance> chat_allowances_;
  std::unordered_map<int64_t, outbound_allowance> group_allowances_;

  std::unordered_map<int64_t, chat_queue> chats_;
  std::set<head_key> runnable_;                    // heads of chats that may send now
  std::set<std::pair<int64_t, int64_t>> waiting_;  // (due time, chat key); stale ones are skipped
  std::set<std::pair<uint64_t, int64_t>> bulk_;    // (seq, chat key) of queued bulk calls
  std::unordered_map<uint64_t, sent> in_flight_;
  std::unordered_set<int64_t> blocked_;
  std::deque<std::pair<int64_t, int64_t>> recent_throttles_;  // (time, chat id) of 429s
  std::vector<int64_t> settled_;

  uint64_t next_seq_ = 0;
  uint64_t next_token_ = 0;
  // Calls without a chat get a key of their own: no ordering among them.
  int64_t next_unordered_key_ = -1;
  size_t queued_ = 0;
  int64_t last_now_ = 0;
  int64_t paused_until_ = 0;
  std::optional<int64_t> blocked_until_;  // why the last next() stopped early, if it did
  uint64_t answers_since_cleanup_ = 0;
};

}  // namespace lastcall::telegram

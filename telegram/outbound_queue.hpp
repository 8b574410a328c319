#pragma once
// The order in which Bot API calls leave the bot, independent of any I/O so it can be tested with
// an explicit clock. Rules: one call in flight per chat (Telegram shows a chat's messages in the
// order they arrive, so a second message must not overtake the first); among chats, the most urgent
// call first (callback answers, then interactive replies, then bulk notifications), oldest first
// within a priority; a call told to retry keeps its place at the head of its chat until its time
// comes.

#include <cstdint>
#include <deque>
#include <optional>
#include <set>
#include <tuple>
#include <unordered_map>

#include "telegram/api_call.hpp"

namespace lastcall::telegram {

class outbound_queue {
 public:
  struct dispatch {
    uint64_t token = 0;  // hand back to succeeded/retry_at/failed
    api_call call;
    int attempt = 1;  // 1 on the first try
  };

  void push(api_call call);

  // The next call to send now, or nothing when every chat with work is busy or waiting for a retry.
  std::optional<dispatch> next(int64_t now_ms);

  // The call is done (accepted, or given up): its chat may send its next call.
  void finish(uint64_t token);

  // Send the call again no earlier than `at_ms`, before anything else queued for its chat.
  void retry_at(uint64_t token, int64_t at_ms);

  // The earliest time a waiting retry becomes due, if any.
  std::optional<int64_t> next_due() const;

  size_t queued() const { return queued_; }
  size_t in_flight() const { return in_flight_.size(); }
  bool idle() const { return queued_ == 0 && in_flight_.empty(); }

 private:
  struct entry {
    api_call call;
    uint64_t seq = 0;
    int attempts = 0;
  };
  struct chat_queue {
    std::deque<entry> calls;
    bool busy = false;     // a call of this chat is in flight
    bool waiting = false;  // its head is a retry waiting for its time
  };
  using head_key = std::tuple<int, uint64_t, int64_t>;  // priority, seq, chat key

  int64_t key_of(const api_call& call);
  void make_runnable(int64_t key, chat_queue& chat);

  std::unordered_map<int64_t, chat_queue> chats_;
  std::set<head_key> runnable_;                    // heads of chats that may send now
  std::set<std::pair<int64_t, int64_t>> waiting_;  // (due time, chat key) of retries
  std::unordered_map<uint64_t, std::pair<int64_t, entry>> in_flight_;
  uint64_t next_seq_ = 0;
  uint64_t next_token_ = 0;
  int64_t next_unordered_key_ =
      -1;  // calls without a chat get a key of their own: no ordering among them
  size_t queued_ = 0;
};

}  // namespace lastcall::telegram

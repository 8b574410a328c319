#pragma once
// Counters of the outbound path. The outbound actor updates them on its own thread; the metrics
// page or a test reads them from any other thread at any time, hence atomics. Methods outside the
// fixed list below are counted under "other", so the set of label values stays small and known.

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <string>

namespace lastcall::telegram {

// What became of one call (or, for `retried`, of one attempt).
enum class outbound_result : size_t {
  ok,                // Telegram accepted it ("message is not modified" included)
  retried,           // an attempt failed (429, 5xx, transport) and the call was queued again
  failed,            // given up: a permanent error, or still failing after the last attempt
  dropped_blocked,   // not sent: the user blocked the bot (the 403 itself is counted here too)
  coalesced,         // replaced by a newer edit of the same message before it was sent
  refused_overload,  // the queue was full: refused, or dropped to make room for another call
};

inline constexpr std::array<const char*, 6> outbound_result_names{
    "ok", "retried", "failed", "dropped_blocked", "coalesced", "refused_overload"};

inline constexpr std::array<const char*, 10> outbound_method_names{"sendMessage",
                                                                   "sendPhoto",
                                                                   "editMessageText",
                                                                   "editMessageCaption",
                                                                   "editMessageReplyMarkup",
                                                                   "answerCallbackQuery",
                                                                   "sendChatAction",
                                                                   "setMyCommands",
                                                                   "deleteMessage",
                                                                   "other"};

struct outbound_metrics {
  static constexpr size_t method_count = outbound_method_names.size();
  static constexpr size_t result_count = outbound_result_names.size();

  // calls[method][result], indices into the name arrays above.
  std::array<std::array<std::atomic<uint64_t>, result_count>, method_count> calls{};
  std::atomic<uint64_t> throttled{0};      // 429 answers
  std::atomic<uint64_t> global_pauses{0};  // times a run of 429s paused all sending
  std::atomic<uint64_t> retries{0};        // attempts queued again, whatever the reason
  std::atomic<uint64_t> queued{0};         // calls waiting to be sent (gauge)
  std::atomic<uint64_t> in_flight{0};      // calls sent and not yet answered (gauge)
  std::atomic<uint64_t> blocked_chats{0};  // chats known to have blocked the bot (gauge)
  // Unix time in milliseconds until which all sending is paused after a 429; 0 when not paused.
  std::atomic<int64_t> paused_until_unix_ms{0};

  static size_t method_index(const std::string& method) {
    for (size_t i = 0; i + 1 < method_count; ++i)
      if (method == outbound_method_names[i]) return i;
    return method_count - 1;
  }

  void count(const std::string& method, outbound_result result, uint64_t n = 1) {
    calls[method_index(method)][static_cast<size_t>(result)].fetch_add(n,
                                                                       std::memory_order_relaxed);
  }

  uint64_t count_of(const std::string& method, outbound_result result) const {
    return calls[method_index(method)][static_cast<size_t>(result)].load(std::memory_order_relaxed);
  }

  // Over every method.
  uint64_t total(outbound_result result) const {
    uint64_t sum = 0;
    for (const auto& by_result : calls)
      sum += by_result[static_cast<size_t>(result)].load(std::memory_order_relaxed);
    return sum;
  }
};

}  // namespace lastcall::telegram

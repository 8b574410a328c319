#include "telegram/outbound_coalescing.hpp"

#include <algorithm>

namespace lastcall::telegram {

namespace {

bool sets_whole_message(const std::string& method) {
  return method == "editMessageText" || method == "editMessageCaption";
}

bool sets_markup_only(const std::string& method) {
  return method == "editMessageReplyMarkup";
}

}  // namespace

std::optional<int64_t> coalescible_message_id(const api_call& call) {
  if (call.chat_id == 0) return std::nullopt;
  if (!sets_whole_message(call.method) && !sets_markup_only(call.method)) return std::nullopt;
  if (!call.params.is_object()) return std::nullopt;
  const auto it = call.params.find("message_id");
  if (it == call.params.end() || !it->is_number_integer()) return std::nullopt;
  return it->get<int64_t>();
}

api_call merge_edits(const api_call& older, const api_call& newer) {
  api_call merged;
  if (sets_markup_only(newer.method) && sets_whole_message(older.method)) {
    merged = older;
    merged.body.clear();  // the parameters change: their text is written again
    if (newer.params.contains("reply_markup"))
      merged.params["reply_markup"] = newer.params["reply_markup"];
    else
      merged.params.erase("reply_markup");
  } else {
    merged = newer;
  }
  merged.priority = std::min(older.priority, newer.priority);
  merged.outbox_id = older.outbox_id;
  merged.must_deliver = older.must_deliver || newer.must_deliver;
  return merged;
}

}  // namespace lastcall::telegram

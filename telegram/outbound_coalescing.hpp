#pragma once
// Edits of one message that are still waiting to be sent collapse into one call: a user tapping
// through a list, or stock counts changing quickly, would otherwise queue edits Telegram shows only
// for an instant, each one using up the chat's allowance.
//
// Merging keeps the result the user would have seen had every edit been sent in turn:
// - a newer editMessageText or editMessageCaption sets the whole visible message (Telegram drops
//   the inline keyboard of a message edited without one), so it replaces whatever edit waits;
// - a newer editMessageReplyMarkup replaces a waiting markup edit, and is folded into a waiting
//   text or caption edit as that edit's reply_markup (its absence removing the keyboard), so the
//   text change is not lost.

#include <cstdint>
#include <optional>

#include "telegram/api_call.hpp"

namespace lastcall::telegram {

// The message a call edits, when it is an edit that may be merged with others of that message.
std::optional<int64_t> coalescible_message_id(const api_call& call);

// One call with the effect of `older` followed by `newer`, two edits of the same message. It takes
// the more urgent priority of the two; outbox ids are the caller's business.
api_call merge_edits(const api_call& older, const api_call& newer);

}  // namespace lastcall::telegram

#pragma once
// The kinds of answer the business forms ask for, each reading a reply into the draft under the
// keys given and refusing what it cannot take with a text that says what to send instead.

#include <cstddef>
#include <string>

#include "flows/form.hpp"

namespace lastcall::flows::biz {

// Typed text of at most `max_chars` (trimmed); `not_text_key` answers a reply that is no text.
form_answer text_answer(const std::string& key, size_t max_chars, bool allow_newlines,
                        const std::string& not_text_key);
// A photo, or the Skip button, which stores an empty file id.
form_answer photo_answer(const std::string& key, const std::string& neither_key);
// A shared location pin, as "latitude" and "longitude".
form_answer location_answer(const std::string& not_location_key);
// A shared contact's number or a typed one.
form_answer phone_answer(const std::string& key, const std::string& no_phone_key);
// A price.
form_answer money_answer(const std::string& key);
// A price below the one already answered under `original_key`.
form_answer discount_answer(const std::string& key, const std::string& original_key);
// The question for a deal price, naming the usual price answered under `original_key`.
form_prompt deal_price_prompt(const std::string& original_key);
// A number of items.
form_answer quantity_answer(const std::string& key);
// A pickup window, as "pickup_start" and "pickup_end".
form_answer window_answer();

}  // namespace lastcall::flows::biz

#pragma once
// Small pieces the business and admin conversations share: talking to the user a turn belongs to,
// recognising their own keyboard buttons, reading ids they type, and naming states and refusals in
// their language. The business side's helpers live in flows::biz, apart from the customer side's.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/entities.hpp"
#include "domain/input_parsing.hpp"
#include "flows/turn.hpp"
#include "telegram/keyboards.hpp"

namespace lastcall::flows::biz {

// Sends a message to the user the turn belongs to. Unlike turn::reply it also works in a turn
// without an update (a notification rendered for this user), where there is no chat to answer.
void tell(turn& t, const std::string& text, nlohmann::json markup = nullptr);

// Answers a tapped button with an alert, or replies when the turn came from a typed command, so
// button and command paths can share one refusal.
void refuse(turn& t, const std::string& text);

// True when `text` is the label `key` has in any language: a keyboard shown before the user
// switched language still works.
bool is_label(const turn& t, const std::string& key, const std::string& text);

// A positive id typed by a person or carried in callback data: digits only, an optional leading
// '#', at most 15 digits. Anything else is refused.
std::optional<int64_t> parse_id(const std::string& text);

// The first word of `args` and the rest, both trimmed: "/reject 12 no address" -> ("12", "no
// address").
std::pair<std::string, std::string> split_first_word(const std::string& args);

// The text the catalog has for `reason_key`, or a general refusal when the key is not one the
// catalog knows (a reason added later must not show its raw key to people).
std::string reason_text(const turn& t, const std::string& reason_key,
                        const domain::text_args& args = {});

// Why a typed answer was refused, for the input_parsing reason keys ("input.too_long" ->
// "business.input.too_long"); `max_chars` fills in the limit where the reason names one.
std::string input_refusal(const turn& t, const std::string& reason_key, size_t max_chars = 0);

// A positive integer id in a form draft, or nothing when it is absent or not one.
std::optional<int64_t> id_in(const nlohmann::json& data, const char* key);

// An inline keyboard with one button: throw the draft away and start the form again.
nlohmann::json start_over_button(const turn& t, const std::string& callback_data);

// A reply keyboard for a step of a multi-step form: the step's own buttons, then one to stop.
nlohmann::json form_keyboard(const turn& t, std::vector<std::vector<telegram::reply_button>> rows);

std::string money_text(const turn& t, int64_t minor);
std::string window_text(const turn& t, int64_t start, int64_t end);
std::string offer_state_name(const turn& t, domain::offer_state state);
std::string business_status_name(const turn& t, domain::business_status status);

// The largest size of a photo the user sent, or empty when the message has none.
std::string photo_file_id(const turn& t);

// The key of the button that stops a form, shared by every business form.
inline constexpr const char* stop_button_key = "business.button.stop";

}  // namespace lastcall::flows::biz

#pragma once
// How the business side explains what an offer refused: no such offer, someone else's offer, or
// the domain's reason ("offer.refused.below_reserved").

#include <cstdint>

#include <nlohmann/json.hpp>

#include "flows/services.hpp"
#include "flows/turn.hpp"

namespace lastcall::flows::biz {

// When the request did nothing, tells the user why (an alert for a tapped button, a message with
// `markup` otherwise) and returns true; returns false when it did what it asked.
bool explain_refusal(turn& t, const offer_answer& r, int64_t offer_id,
                     nlohmann::json markup = nullptr);

// The same for a read (view, reservations): only a missing offer or someone else's is refused.
bool explain_no_access(turn& t, const offer_answer& r, int64_t offer_id,
                       nlohmann::json markup = nullptr);

// The message the tapped button is on, when the turn is a tap.
std::optional<int64_t> tapped_message_id(const turn& t);

}  // namespace lastcall::flows::biz

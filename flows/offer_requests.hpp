#pragma once
// How the business side explains what an offer refused: no such offer, someone else's offer, or
// the domain's reason ("offer.refused.below_reserved").

#include <cstdint>
#include <functional>

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

// Reads the offer's reservations, which only its owner may: anyone else is told why not, and `then`
// does not run. `then` gets the reply and the turn's release, which it calls once it is done.
void with_own_reservations(
    turn& t, services& s, int64_t offer_id,
    std::function<void(reservations_reply, std::function<void()> release)> then);

}  // namespace lastcall::flows::biz

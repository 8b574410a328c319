#pragma once
// How customers find food: /browse (every deal, best first), /nearby (deals around the location
// they shared), the offer card with its quantity buttons, and links that open one offer's card.

#include <string>

#include "flows/customer_card.hpp"
#include "flows/dispatcher.hpp"
#include "flows/services.hpp"

namespace lastcall::flows {

void add_discovery_handlers(dispatcher& r);

// Handles "/start <payload>" from a deep link: opens the offer's card, or explains a broken or
// outdated link. Returns false when the payload is empty, i.e. a plain /start.
bool open_start_link(turn& t, services& s, const std::string& payload);

// The card for an offer actor's answer, seen by this turn's user.
card_view card_view_of(turn& t, const offer_answer& reply);

// Whether customers may see the offer of this reply at all.
bool shown_to_customers(const offer_answer& reply);

// Says the offer is gone (a popup for a tapped button, a message otherwise).
void offer_gone(turn& t, const offer_answer& reply);

// A read of the offer for this turn's user.
market::view_offer view_request(const turn& t, int64_t offer_id);

}  // namespace lastcall::flows

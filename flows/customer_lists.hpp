#pragma once
// One page of /browse or /nearby as a message: the deals with their prices, stock, pickup times
// and distances, a button per deal that opens its card, and Previous / Next.

#include <string>

#include <nlohmann/json.hpp>

#include "domain/ranking.hpp"
#include "flows/customer_callbacks.hpp"
#include "flows/turn.hpp"

namespace lastcall::flows {

std::string list_text(const turn& t, const domain::offer_page& page, list_position::list which);

// Null when the page is empty: an edited list then loses its old buttons.
nlohmann::json list_keyboard(const turn& t, const domain::offer_page& page,
                             list_position::list which);

// The callback prefix of a list's page buttons: "browse" or "nearby".
const char* list_prefix(list_position::list which);

}  // namespace lastcall::flows

#pragma once
// The two business forms (registering a business, posting a deal): their fields, their drafts as
// they are kept in the session, which answer is still missing, and the entity the answers make. A
// form always asks for the first missing answer, so changing one field of a finished form is
// clearing it and asking again, and a draft written by an older version (a field of the wrong type)
// simply asks again.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/entities.hpp"
#include "flows/form.hpp"

namespace lastcall::flows::biz {

// Together these keep a deal's card (title, description, business name and address, figures)
// within the 1024 characters Telegram allows under a photo.
inline constexpr size_t max_business_name_chars = 100;
inline constexpr size_t max_business_address_chars = 200;
inline constexpr size_t max_offer_title_chars = 80;
inline constexpr size_t max_offer_description_chars = 500;

// Stop on a business form: the answers wait for `command` to continue them.
form_stop paused_form(const std::string& command);

// Registration's fields, in the order they are asked.
const std::vector<form_field>& registration_form_fields();
// Registration: "name", "address", "location", "phone", "photo" (an empty photo means skipped);
// empty when every answer is there.
std::string next_registration_step(const nlohmann::json& draft);
domain::business business_from_draft(const nlohmann::json& draft, int64_t owner_id);

// A new deal's fields, in the order they are asked.
const std::vector<form_field>& offer_form_fields();
// New deal: "title", "description", "photo", "original_price", "deal_price", "quantity",
// "window"; empty when every answer is there.
std::string next_offer_step(const nlohmann::json& draft);
// The draft offer the answers make (business and id are assigned by the market).
domain::offer offer_from_draft(const nlohmann::json& draft, const std::string& currency);

// The fields a business can change from the preview, in the order they are offered.
const std::vector<std::string>& offer_fields();
// Clears what `field` covers so the form asks for it again ("price" is both prices, since the deal
// must stay below the original). False for an unknown field.
bool clear_offer_field(nlohmann::json& draft, const std::string& field);

}  // namespace lastcall::flows::biz

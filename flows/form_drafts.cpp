#include "flows/form_drafts.hpp"

#include <algorithm>

#include "flows/business_common.hpp"
#include "flows/form_answers.hpp"

namespace lastcall::flows::biz {

namespace {

template <class T>
T value_or(const nlohmann::json& draft, const char* key, T fallback) {
  if (!draft.is_object() || !draft.contains(key)) return fallback;
  try {
    return draft.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    return fallback;
  }
}

// The refusals each business form words in its own way.
struct refusal_keys {
  std::string not_text;
  std::string not_photo;
};

// Typed text kept under the step's own name.
form_field text_field(const refusal_keys& refusals, const std::string& step,
                      const std::string& prompt_key, size_t max_chars,
                      bool allow_newlines = false) {
  return {step, {prompt_key}, {}, text_answer(step, max_chars, allow_newlines, refusals.not_text)};
}

// A photo or Skip, kept as "photo".
form_field photo_field(const refusal_keys& refusals, const std::string& prompt_key) {
  return {"photo",
          {prompt_key},
          {{{"business.button.skip"}}},
          photo_answer("photo", refusals.not_photo)};
}

}  // namespace

form_stop paused_form(const std::string& command) {
  return {"business.form.paused", {{"command", command}}, true};
}

const std::vector<form_field>& registration_form_fields() {
  static const refusal_keys refusals{"business.register.type_text",
                                     "business.register.photo_or_skip"};
  static const std::vector<form_field> fields = {
      text_field(refusals, "name", "business.register.ask_name", max_business_name_chars),
      text_field(refusals, "address", "business.register.ask_address", max_business_address_chars),
      {"location",
       {"business.register.ask_location"},
       {{{"business.button.send_location", true, false}}},
       location_answer("business.register.use_location_button")},
      {"phone",
       {"business.register.ask_phone"},
       {{{"business.button.share_phone", false, true}}},
       phone_answer("phone", "business.register.use_phone_button")},
      photo_field(refusals, "business.register.ask_photo"),
  };
  return fields;
}

std::string next_registration_step(const nlohmann::json& draft) {
  return next_step(registration_form_fields(), draft);
}

domain::business business_from_draft(const nlohmann::json& draft, int64_t owner_id) {
  domain::business b;
  b.owner_id = owner_id;
  b.name = value_or<std::string>(draft, "name", "");
  b.address = value_or<std::string>(draft, "address", "");
  b.latitude = value_or<double>(draft, "latitude", 0);
  b.longitude = value_or<double>(draft, "longitude", 0);
  b.phone = value_or<std::string>(draft, "phone", "");
  b.photo_file_id = value_or<std::string>(draft, "photo", "");
  b.status = domain::business_status::pending;
  return b;
}

const std::vector<form_field>& offer_form_fields() {
  static const refusal_keys refusals{"business.offer.type_text", "business.offer.photo_or_skip"};
  static const std::vector<form_field> fields = {
      text_field(refusals, "title", "business.offer.ask_title", max_offer_title_chars),
      text_field(refusals, "description", "business.offer.ask_description",
                 max_offer_description_chars, true),
      photo_field(refusals, "business.offer.ask_photo"),
      {"original_price",
       {"business.offer.ask_original",
        [](const turn& t, const nlohmann::json&) -> domain::text_args {
          return {{"currency", t.settings().currency}};
        }},
       {},
       money_answer("original_price")},
      {"deal_price",
       deal_price_prompt("original_price"),
       {},
       discount_answer("deal_price", "original_price")},
      {"quantity", {"business.offer.ask_quantity"}, {}, quantity_answer("quantity")},
      {"window", {"business.offer.ask_window"}, {}, window_answer()},
  };
  return fields;
}

std::string next_offer_step(const nlohmann::json& draft) {
  return next_step(offer_form_fields(), draft);
}

domain::offer offer_from_draft(const nlohmann::json& draft, const std::string& currency) {
  domain::offer o;
  o.title = value_or<std::string>(draft, "title", "");
  o.description = value_or<std::string>(draft, "description", "");
  o.photo_file_id = value_or<std::string>(draft, "photo", "");
  o.original_price = value_or<int64_t>(draft, "original_price", 0);
  o.deal_price = value_or<int64_t>(draft, "deal_price", 0);
  o.currency = currency;
  o.quantity_total = value_or<int32_t>(draft, "quantity", 0);
  o.pickup_start = value_or<int64_t>(draft, "pickup_start", 0);
  o.pickup_end = value_or<int64_t>(draft, "pickup_end", 0);
  o.state = domain::offer_state::draft;
  return o;
}

const std::vector<std::string>& offer_fields() {
  static const std::vector<std::string> fields = {"title", "description", "photo",
                                                  "price", "quantity",    "window"};
  return fields;
}

bool clear_offer_field(nlohmann::json& draft, const std::string& field) {
  const auto& fields = offer_fields();
  if (std::find(fields.begin(), fields.end(), field) == fields.end()) return false;
  if (!draft.is_object()) draft = nlohmann::json::object();
  if (field == "price") {
    draft.erase("original_price");
    draft.erase("deal_price");
  } else if (field == "window") {
    draft.erase("pickup_start");
    draft.erase("pickup_end");
  } else {
    draft.erase(field);
  }
  return true;
}

}  // namespace lastcall::flows::biz

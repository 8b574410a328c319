#include "flows/form_drafts.hpp"

#include <algorithm>

namespace lastcall::flows::biz {

namespace {

bool has_string(const nlohmann::json& draft, const char* key) {
  return draft.is_object() && draft.contains(key) && draft.at(key).is_string();
}

bool has_non_empty_string(const nlohmann::json& draft, const char* key) {
  return has_string(draft, key) && !draft.at(key).get<std::string>().empty();
}

bool has_integer(const nlohmann::json& draft, const char* key) {
  return draft.is_object() && draft.contains(key) && draft.at(key).is_number_integer();
}

bool has_number(const nlohmann::json& draft, const char* key) {
  return draft.is_object() && draft.contains(key) && draft.at(key).is_number();
}

template <class T>
T value_or(const nlohmann::json& draft, const char* key, T fallback) {
  if (!draft.is_object() || !draft.contains(key)) return fallback;
  try {
    return draft.at(key).get<T>();
  } catch (const nlohmann::json::exception&) {
    return fallback;
  }
}

}  // namespace

std::string next_registration_step(const nlohmann::json& draft) {
  if (!has_non_empty_string(draft, "name")) return "name";
  if (!has_non_empty_string(draft, "address")) return "address";
  if (!has_number(draft, "latitude") || !has_number(draft, "longitude")) return "location";
  if (!has_non_empty_string(draft, "phone")) return "phone";
  if (!has_string(draft, "photo")) return "photo";
  return {};
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

std::string next_offer_step(const nlohmann::json& draft) {
  if (!has_non_empty_string(draft, "title")) return "title";
  if (!has_non_empty_string(draft, "description")) return "description";
  if (!has_string(draft, "photo")) return "photo";
  if (!has_integer(draft, "original_price")) return "original_price";
  if (!has_integer(draft, "deal_price")) return "deal_price";
  if (!has_integer(draft, "quantity")) return "quantity";
  if (!has_integer(draft, "pickup_start") || !has_integer(draft, "pickup_end")) return "window";
  return {};
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

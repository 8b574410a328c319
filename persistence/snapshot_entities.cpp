#include "persistence/snapshot_entities.hpp"

#include <cmath>
#include <limits>

namespace lastcall::persistence {

namespace {

using nlohmann::json;

// Reads the fields of one JSON object, naming the failing field in every error.
class fields {
 public:
  fields(const json& object, std::string where) : object_(object), where_(std::move(where)) {
    if (!object_.is_object()) throw image_error(where_ + ": must be an object");
  }

  int64_t integer(const char* key) const {
    const auto& value = at(key);
    if (value.is_number_unsigned()) {
      if (value.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        fail(key, "is too large");
      return static_cast<int64_t>(value.get<uint64_t>());
    }
    if (!value.is_number_integer()) fail(key, "must be a whole number");
    return value.get<int64_t>();
  }
  int32_t integer32(const char* key) const {
    const auto value = integer(key);
    if (value < std::numeric_limits<int32_t>::min() || value > std::numeric_limits<int32_t>::max())
      fail(key, "is out of range");
    return static_cast<int32_t>(value);
  }
  // Ids and amounts the database keeps non-negative.
  int64_t non_negative(const char* key) const {
    const auto value = integer(key);
    if (value < 0) fail(key, "must not be negative");
    return value;
  }
  int32_t non_negative32(const char* key) const {
    const auto value = integer32(key);
    if (value < 0) fail(key, "must not be negative");
    return value;
  }
  int64_t id(const char* key) const {
    const auto value = integer(key);
    if (value <= 0) fail(key, "must be a positive id");
    return value;
  }
  // JSON has no NaN or infinity: they are written as null and read back as NaN.
  double real(const char* key) const {
    const auto& value = at(key);
    if (value.is_null()) return std::numeric_limits<double>::quiet_NaN();
    if (!value.is_number()) fail(key, "must be a number");
    return value.get<double>();
  }
  bool boolean(const char* key) const {
    const auto& value = at(key);
    if (!value.is_boolean()) fail(key, "must be true or false");
    return value.get<bool>();
  }
  std::string text(const char* key) const {
    const auto& value = at(key);
    if (!value.is_string()) fail(key, "must be a string");
    return value.get<std::string>();
  }
  const json& any(const char* key) const { return at(key); }
  template <class Enum>
  Enum enumeration(const char* key) const {
    Enum out{};
    const auto name = text(key);
    if (!domain::parse(name, out)) fail(key, "unknown value \"" + name + "\"");
    return out;
  }

 private:
  const json& at(const char* key) const {
    const auto it = object_.find(key);
    if (it == object_.end()) fail(key, "is missing");
    return *it;
  }
  [[noreturn]] void fail(const char* key, const std::string& why) const {
    throw image_error(where_ + "." + key + ": " + why);
  }

  const json& object_;
  std::string where_;
};

json real_or_null(double value) {
  return std::isfinite(value) ? json(value) : json(nullptr);
}

template <class Entity, class Read>
std::vector<Entity> list_from(const json& json_object, const char* key, const std::string& where,
                              Read read) {
  std::vector<Entity> out;
  const auto it = json_object.find(key);
  if (it == json_object.end()) return out;
  const std::string path = where.empty() ? std::string(key) : where + "." + key;
  if (!it->is_array()) throw image_error(path + ": must be a list");
  out.reserve(it->size());
  for (size_t i = 0; i < it->size(); ++i)
    out.push_back(read((*it)[i], path + "[" + std::to_string(i) + "]"));
  return out;
}

template <class Entity>
void add_list(json& out, const char* key, const std::vector<Entity>& rows) {
  if (rows.empty()) return;
  auto& list = out[key] = json::array();
  for (const auto& row : rows) list.push_back(to_image(row));
}

}  // namespace

json to_image(const domain::user_record& u) {
  return {{"id", u.id},
          {"language", domain::to_string(u.lang)},
          {"language_chosen", u.language_chosen},
          {"blocked_bot", u.blocked_bot},
          {"session", u.session},
          {"version", u.version},
          {"created_at", u.created_at}};
}

json to_image(const domain::business& b) {
  return {{"id", b.id},
          {"owner_id", b.owner_id},
          {"name", b.name},
          {"address", b.address},
          {"latitude", real_or_null(b.latitude)},
          {"longitude", real_or_null(b.longitude)},
          {"phone", b.phone},
          {"photo_file_id", b.photo_file_id},
          {"status", domain::to_string(b.status)},
          {"reject_reason", b.reject_reason},
          {"decided_by", b.decided_by},
          {"version", b.version},
          {"created_at", b.created_at}};
}

json to_image(const domain::offer& o) {
  return {{"id", o.id},
          {"business_id", o.business_id},
          {"title", o.title},
          {"description", o.description},
          {"photo_file_id", o.photo_file_id},
          {"original_price", o.original_price},
          {"deal_price", o.deal_price},
          {"currency", o.currency},
          {"quantity_total", o.quantity_total},
          {"quantity_reserved", o.quantity_reserved},
          {"quantity_collected", o.quantity_collected},
          {"pickup_start", o.pickup_start},
          {"pickup_end", o.pickup_end},
          {"state", domain::to_string(o.state)},
          {"version", o.version},
          {"created_at", o.created_at},
          {"published_at", o.published_at}};
}

json to_image(const domain::reservation& r) {
  return {{"id", r.id},
          {"offer_id", r.offer_id},
          {"customer_id", r.customer_id},
          {"quantity", r.quantity},
          {"code", r.code},
          {"status", domain::to_string(r.status)},
          {"deal_price", r.deal_price},
          {"idempotency_key", r.idempotency_key},
          {"version", r.version},
          {"created_at", r.created_at},
          {"updated_at", r.updated_at}};
}

domain::user_record user_from_image(const json& image, const std::string& where) {
  const fields f(image, where);
  domain::user_record u;
  u.id = f.id("id");
  u.lang = f.enumeration<domain::language>("language");
  u.language_chosen = f.boolean("language_chosen");
  u.blocked_bot = f.boolean("blocked_bot");
  u.session = f.any("session");
  u.version = f.integer("version");
  u.created_at = f.integer("created_at");
  return u;
}

domain::business business_from_image(const json& image, const std::string& where) {
  const fields f(image, where);
  domain::business b;
  b.id = f.id("id");
  b.owner_id = f.integer("owner_id");
  b.name = f.text("name");
  b.address = f.text("address");
  b.latitude = f.real("latitude");
  b.longitude = f.real("longitude");
  b.phone = f.text("phone");
  b.photo_file_id = f.text("photo_file_id");
  b.status = f.enumeration<domain::business_status>("status");
  b.reject_reason = f.text("reject_reason");
  b.decided_by = f.non_negative("decided_by");
  b.version = f.integer("version");
  b.created_at = f.integer("created_at");
  return b;
}

domain::offer offer_from_image(const json& image, const std::string& where) {
  const fields f(image, where);
  domain::offer o;
  o.id = f.id("id");
  o.business_id = f.id("business_id");
  o.title = f.text("title");
  o.description = f.text("description");
  o.photo_file_id = f.text("photo_file_id");
  o.original_price = f.non_negative("original_price");
  o.deal_price = f.non_negative("deal_price");
  o.currency = f.text("currency");
  o.quantity_total = f.non_negative32("quantity_total");
  o.quantity_reserved = f.non_negative32("quantity_reserved");
  o.quantity_collected = f.non_negative32("quantity_collected");
  o.pickup_start = f.integer("pickup_start");
  o.pickup_end = f.integer("pickup_end");
  o.state = f.enumeration<domain::offer_state>("state");
  o.version = f.integer("version");
  o.created_at = f.integer("created_at");
  o.published_at = f.integer("published_at");
  return o;
}

domain::reservation reservation_from_image(const json& image, const std::string& where) {
  const fields f(image, where);
  domain::reservation r;
  r.id = f.id("id");
  r.offer_id = f.id("offer_id");
  r.customer_id = f.integer("customer_id");
  r.quantity = f.integer32("quantity");
  if (r.quantity <= 0) throw image_error(where + ".quantity: must be positive");
  r.code = f.text("code");
  r.status = f.enumeration<domain::reservation_status>("status");
  r.deal_price = f.non_negative("deal_price");
  r.idempotency_key = f.text("idempotency_key");
  r.version = f.integer("version");
  r.created_at = f.integer("created_at");
  r.updated_at = f.integer("updated_at");
  return r;
}

json images_to_json(const entity_images& images) {
  json out = json::object();
  add_list(out, "users", images.users);
  add_list(out, "businesses", images.businesses);
  add_list(out, "offers", images.offers);
  add_list(out, "reservations", images.reservations);
  return out;
}

entity_images images_from_json(const json& json_object, const std::string& where) {
  if (!json_object.is_object())
    throw image_error((where.empty() ? std::string("images") : where) + ": must be an object");
  entity_images images;
  images.users = list_from<domain::user_record>(json_object, "users", where, user_from_image);
  images.businesses =
      list_from<domain::business>(json_object, "businesses", where, business_from_image);
  images.offers = list_from<domain::offer>(json_object, "offers", where, offer_from_image);
  images.reservations =
      list_from<domain::reservation>(json_object, "reservations", where, reservation_from_image);
  return images;
}

std::string json_text(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace lastcall::persistence

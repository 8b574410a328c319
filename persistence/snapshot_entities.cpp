#include "persistence/snapshot_entities.hpp"

#include <cmath>
#include <limits>
#include <type_traits>

#include "persistence/entity_fields.hpp"

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
  // An int64_t or an int32_t, range-checked.
  template <class Value>
  Value whole(const char* key) const {
    const auto value = integer(key);
    if (value < std::numeric_limits<Value>::min() || value > std::numeric_limits<Value>::max())
      fail(key, "is out of range");
    return static_cast<Value>(value);
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

  [[noreturn]] void fail(const char* key, const std::string& why) const {
    throw image_error(where_ + "." + key + ": " + why);
  }

 private:
  const json& at(const char* key) const {
    const auto it = object_.find(key);
    if (it == object_.end()) fail(key, "is missing");
    return *it;
  }

  const json& object_;
  std::string where_;
};

// How a field of each kind is written into an image. JSON has no NaN or infinity: they are
// written as null.
struct image_value {
  static json of(stored_as::whole_number, int64_t v) { return v; }
  static json of(stored_as::text, const std::string& v) { return v; }
  static json of(stored_as::real, double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
  static json of(stored_as::boolean, bool v) { return v; }
  static json of(stored_as::json, const json& v) { return v; }
  static json of(stored_as::time, int64_t v) { return v; }
  template <class Enum>
  static json of(stored_as::name<Enum>, Enum v) {
    return domain::to_string(v);
  }
};

// How a field of each kind is read from an image, with the limits the database keeps; a real's
// null is read back as NaN.
struct image_field {
  // The least whole number of each kind and what an image holding less is told.
  struct least {
    int64_t value;
    const char* otherwise;
  };
  static least least_of(stored_as::whole_number) { return {INT64_MIN, ""}; }
  static least least_of(stored_as::non_negative) { return {0, "must not be negative"}; }
  static least least_of(stored_as::positive) { return {1, "must be positive"}; }
  static least least_of(stored_as::id) { return {1, "must be a positive id"}; }

  template <class Kind, class Value,
            std::enable_if_t<std::is_base_of_v<stored_as::whole_number, Kind>, int> = 0>
  static void read(Kind kind, const fields& f, const char* key, Value& out) {
    out = f.whole<Value>(key);
    const auto bound = least_of(kind);
    if (out < bound.value) f.fail(key, bound.otherwise);
  }
  static void read(stored_as::text, const fields& f, const char* key, std::string& out) {
    out = f.text(key);
  }
  static void read(stored_as::real, const fields& f, const char* key, double& out) {
    out = f.real(key);
  }
  static void read(stored_as::boolean, const fields& f, const char* key, bool& out) {
    out = f.boolean(key);
  }
  static void read(stored_as::json, const fields& f, const char* key, json& out) {
    out = f.any(key);
  }
  static void read(stored_as::time, const fields& f, const char* key, int64_t& out) {
    out = f.integer(key);
  }
  template <class Enum>
  static void read(stored_as::name<Enum>, const fields& f, const char* key, Enum& out) {
    out = f.enumeration<Enum>(key);
  }
};

template <class Entity>
std::vector<Entity> list_from(const json& json_object, const std::string& where) {
  const char* key = entity_table<Entity>::name;
  std::vector<Entity> out;
  const auto it = json_object.find(key);
  if (it == json_object.end()) return out;
  const std::string path = where.empty() ? std::string(key) : where + "." + key;
  if (!it->is_array()) throw image_error(path + ": must be a list");
  out.reserve(it->size());
  for (size_t i = 0; i < it->size(); ++i)
    out.push_back(from_image<Entity>((*it)[i], path + "[" + std::to_string(i) + "]"));
  return out;
}

template <class Entity>
void add_list(json& out, const std::vector<Entity>& rows) {
  if (rows.empty()) return;
  auto& list = out[entity_table<Entity>::name] = json::array();
  for (const auto& row : rows) list.push_back(to_image(row));
}

}  // namespace

template <class Entity>
json to_image(const Entity& entity) {
  json image = json::object();
  for_each_member_field<Entity>([&](const auto& field) {
    image[field.name] = image_value::of(field.kind, entity.*field.member);
  });
  return image;
}

template <class Entity>
Entity from_image(const json& image, const std::string& where) {
  const fields f(image, where);
  Entity entity;
  for_each_member_field<Entity>([&](const auto& field) {
    image_field::read(field.kind, f, field.name, entity.*field.member);
  });
  return entity;
}

template json to_image(const domain::user_record&);
template json to_image(const domain::business&);
template json to_image(const domain::offer&);
template json to_image(const domain::reservation&);
template domain::user_record from_image(const json&, const std::string&);
template domain::business from_image(const json&, const std::string&);
template domain::offer from_image(const json&, const std::string&);
template domain::reservation from_image(const json&, const std::string&);

json images_to_json(const entity_images& images) {
  json out = json::object();
  add_list(out, images.users);
  add_list(out, images.businesses);
  add_list(out, images.offers);
  add_list(out, images.reservations);
  return out;
}

entity_images images_from_json(const json& json_object, const std::string& where) {
  if (!json_object.is_object())
    throw image_error((where.empty() ? std::string("images") : where) + ": must be an object");
  entity_images images;
  images.users = list_from<domain::user_record>(json_object, where);
  images.businesses = list_from<domain::business>(json_object, where);
  images.offers = list_from<domain::offer>(json_object, where);
  images.reservations = list_from<domain::reservation>(json_object, where);
  return images;
}

std::string json_text(const json& value) {
  return value.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace lastcall::persistence

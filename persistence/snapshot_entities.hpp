#pragma once
// Entity rows as JSON "images": every field of a row by name, so a snapshot file and the event
// log's after-images (events.state, see persistence/writer.hpp) hold the same thing and one reader
// checks both. Reading is strict: a missing field, a wrong type or an unknown enumeration name is
// an error naming where it is, never a default, because a silently defaulted field would restore
// a different market than the one saved.

#include <stdexcept>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/entities.hpp"

namespace lastcall::persistence {

// What is wrong with an image and where, e.g. "offers[3].state: unknown value \"gone\"".
class image_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Rows of the four entity tables.
struct entity_images {
  std::vector<domain::user_record> users;
  std::vector<domain::business> businesses;
  std::vector<domain::offer> offers;
  std::vector<domain::reservation> reservations;

  bool empty() const {
    return users.empty() && businesses.empty() && offers.empty() && reservations.empty();
  }
  size_t size() const {
    return users.size() + businesses.size() + offers.size() + reservations.size();
  }
};

// For the four entities of entity_images; the fields are those of persistence/entity_fields.hpp.
template <class Entity>
nlohmann::json to_image(const Entity& entity);

// `where` names the image in error messages, e.g. "users[2]". Throws image_error.
template <class Entity>
Entity from_image(const nlohmann::json& image, const std::string& where);

// {"users": [...], "businesses": [...], "offers": [...], "reservations": [...]}; empty lists are
// left out, which keeps the log's images small.
nlohmann::json images_to_json(const entity_images& images);
// The inverse; a missing list is empty, anything else that is not a list of valid images throws
// image_error. `where` prefixes the paths in messages ("" for none).
entity_images images_from_json(const nlohmann::json& json, const std::string& where = "");

// The JSON text of a value; invalid UTF-8 in user input is replaced rather than failing a whole
// batch or snapshot.
std::string json_text(const nlohmann::json& value);

}  // namespace lastcall::persistence

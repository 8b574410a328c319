#include "telegram/update_parser.hpp"

#include <limits>
#include <stdexcept>

#include "logs/event.hpp"

namespace lastcall::telegram {
namespace {

using nlohmann::json;

// Thrown by the field readers below and caught in parse_update, so a missing field anywhere aborts
// the whole update with one message.
struct malformed_field : std::runtime_error {
  using std::runtime_error::runtime_error;
};

[[noreturn]] void fail(const std::string& path, const char* problem) {
  throw malformed_field(path + ": " + problem);
}

std::string join(const std::string& path, const char* key) {
  return path.empty() ? std::string(key) : path + "." + key;
}

// Telegram leaves out fields it has nothing for; an explicit null is read the same way.
const json* find(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

const json& require_object(const json& value, const std::string& path) {
  if (!value.is_object()) fail(path, "expected an object");
  return value;
}

int64_t as_int64(const json& value, const std::string& path) {
  if (value.is_number_integer() && !value.is_number_unsigned()) return value.get<int64_t>();
  if (value.is_number_unsigned()) {
    const auto unsigned_value = value.get<uint64_t>();
    if (unsigned_value > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
      fail(path, "integer out of range");
    }
    return static_cast<int64_t>(unsigned_value);
  }
  fail(path, "expected an integer");
}

std::optional<int64_t> optional_int64(const json& object, const std::string& path,
                                      const char* key) {
  const json* value = find(object, key);
  if (!value) return std::nullopt;
  return as_int64(*value, join(path, key));
}

int64_t required_int64(const json& object, const std::string& path, const char* key) {
  const auto value = optional_int64(object, path, key);
  if (!value) fail(join(path, key), "missing");
  return *value;
}

int required_int(const json& object, const std::string& path, const char* key) {
  const int64_t value = required_int64(object, path, key);
  if (value < std::numeric_limits<int>::min() || value > std::numeric_limits<int>::max()) {
    fail(join(path, key), "integer out of range");
  }
  return static_cast<int>(value);
}

double required_double(const json& object, const std::string& path, const char* key) {
  const json* value = find(object, key);
  if (!value) fail(join(path, key), "missing");
  if (!value->is_number()) fail(join(path, key), "expected a number");
  return value->get<double>();
}

std::string optional_string(const json& object, const std::string& path, const char* key) {
  const json* value = find(object, key);
  if (!value) return {};
  if (!value->is_string()) fail(join(path, key), "expected a string");
  return value->get<std::string>();
}

std::string required_string(const json& object, const std::string& path, const char* key) {
  const json* value = find(object, key);
  if (!value) fail(join(path, key), "missing");
  if (!value->is_string()) fail(join(path, key), "expected a string");
  return value->get<std::string>();
}

bool optional_bool(const json& object, const std::string& path, const char* key) {
  const json* value = find(object, key);
  if (!value) return false;
  if (!value->is_boolean()) fail(join(path, key), "expected a boolean");
  return value->get<bool>();
}

// Telegram's user ids are positive and below 2^52 (its documentation promises that they fit a
// double exactly); anything else is not Telegram speaking, and a negative id would be read as a
// group chat elsewhere.
constexpr int64_t user_id_limit = int64_t{1} << 52;

user parse_user(const json& value, const std::string& path) {
  require_object(value, path);
  user out;
  out.id = required_int64(value, path, "id");
  if (out.id <= 0 || out.id >= user_id_limit) fail(join(path, "id"), "not a Telegram user id");
  out.is_bot = optional_bool(value, path, "is_bot");
  out.first_name = optional_string(value, path, "first_name");
  out.username = optional_string(value, path, "username");
  out.language_code = optional_string(value, path, "language_code");
  return out;
}

location parse_location(const json& value, const std::string& path) {
  require_object(value, path);
  return {required_double(value, path, "latitude"), required_double(value, path, "longitude")};
}

contact parse_contact(const json& value, const std::string& path) {
  require_object(value, path);
  contact out;
  out.phone_number = required_string(value, path, "phone_number");
  out.first_name = optional_string(value, path, "first_name");
  out.user_id = optional_int64(value, path, "user_id");
  return out;
}

std::vector<photo_size> parse_photo(const json& value, const std::string& path) {
  if (!value.is_array()) fail(path, "expected an array");
  std::vector<photo_size> out;
  for (size_t i = 0; i < value.size(); ++i) {
    const std::string item_path = path + "[" + std::to_string(i) + "]";
    const json& item = require_object(value[i], item_path);
    photo_size size;
    size.file_id = required_string(item, item_path, "file_id");
    size.file_unique_id = optional_string(item, item_path, "file_unique_id");
    size.width = required_int(item, item_path, "width");
    size.height = required_int(item, item_path, "height");
    out.push_back(std::move(size));
  }
  return out;
}

const json& require_chat(const json& message_json, const std::string& path) {
  const json* chat = find(message_json, "chat");
  if (!chat) fail(join(path, "chat"), "missing");
  return require_object(*chat, join(path, "chat"));
}

message parse_message(const json& value, const std::string& path) {
  require_object(value, path);
  message out;
  out.message_id = required_int64(value, path, "message_id");
  const std::string chat_path = join(path, "chat");
  const json& chat = require_chat(value, path);
  out.chat_id = required_int64(chat, chat_path, "id");
  out.chat_type = optional_string(chat, chat_path, "type");
  if (const json* from = find(value, "from")) out.from = parse_user(*from, join(path, "from"));
  out.date = required_int64(value, path, "date");
  out.text = optional_string(value, path, "text");
  out.caption = optional_string(value, path, "caption");
  if (const json* where = find(value, "location")) {
    out.location = parse_location(*where, join(path, "location"));
  }
  if (const json* shared = find(value, "contact")) {
    out.contact = parse_contact(*shared, join(path, "contact"));
  }
  if (const json* photo = find(value, "photo"))
    out.photo = parse_photo(*photo, join(path, "photo"));
  return out;
}

callback_query parse_callback_query(const json& value, const std::string& path) {
  require_object(value, path);
  callback_query out;
  out.id = required_string(value, path, "id");
  const json* from = find(value, "from");
  if (!from) fail(join(path, "from"), "missing");
  out.from = parse_user(*from, join(path, "from"));
  // Only the tapped message's address is kept. Telegram may send an inaccessible message here (too
  // old, deleted) that has little besides these two fields, so the message is not parsed as a
  // whole.
  if (const json* tapped = find(value, "message")) {
    const std::string message_path = join(path, "message");
    require_object(*tapped, message_path);
    out.message_id = required_int64(*tapped, message_path, "message_id");
    out.chat_id =
        required_int64(require_chat(*tapped, message_path), join(message_path, "chat"), "id");
  }
  out.data = optional_string(value, path, "data");
  return out;
}

update parse_update_or_throw(const json& value) {
  require_object(value, "update");
  update out;
  out.update_id = required_int64(value, "", "update_id");
  if (const json* message_json = find(value, "message")) {
    out.message = parse_message(*message_json, "message");
  } else if (const json* query = find(value, "callback_query")) {
    out.callback_query = parse_callback_query(*query, "callback_query");
  }
  return out;
}

// The update_id of an entry that failed to parse, when it has a usable one.
std::optional<int64_t> readable_update_id(const json& value) {
  if (!value.is_object()) return std::nullopt;
  try {
    return optional_int64(value, "", "update_id");
  } catch (const malformed_field&) {
    return std::nullopt;
  }
}

}  // namespace

std::optional<update> parse_update(const json& value, std::string* error) {
  try {
    return parse_update_or_throw(value);
  } catch (const std::exception& e) {
    // Besides malformed_field, nlohmann's own type errors land here should a reader above miss a
    // check.
    if (error) *error = e.what();
    return std::nullopt;
  }
}

std::optional<update> parse_update_text(const std::string& text, std::string* error) {
  const auto value = json::parse(text, nullptr, false);
  if (value.is_discarded()) {
    if (error) *error = "update: not JSON";
    return std::nullopt;
  }
  return parse_update(value, error);
}

parsed_updates parse_updates(const json& result_array) {
  parsed_updates out;
  if (!result_array.is_array()) {
    logs::warn(logs::event("update_parser", "not_an_array"),
               "telegram: update batch is a JSON {}, not an array; ignored",
               result_array.type_name());
    out.malformed = 1;
    return out;
  }
  out.updates.reserve(result_array.size());
  for (const json& entry : result_array) {
    std::string error;
    std::optional<update> parsed = parse_update(entry, &error);
    const std::optional<int64_t> update_id =
        parsed ? std::optional<int64_t>(parsed->update_id) : readable_update_id(entry);
    if (update_id && *update_id > out.max_update_id) out.max_update_id = *update_id;
    if (parsed) {
      out.updates.push_back(std::move(*parsed));
      // Invalid UTF-8 cannot be stored as text: replaced, as Telegram never sends it anyway.
      out.texts.push_back(entry.dump(-1, ' ', false, json::error_handler_t::replace));
      continue;
    }
    ++out.malformed;
    if (update_id) out.unreadable_ids.push_back(*update_id);
    if (update_id) {
      logs::warn(logs::event("update_parser", "malformed_update").update(*update_id),
                 "skipped a malformed update: {}", error);
    } else {
      logs::warn(logs::event("update_parser", "malformed_update"),
                 "skipped a malformed update without a usable update_id: {}", error);
    }
  }
  return out;
}

}  // namespace lastcall::telegram

#include "persistence/snapshot_format.hpp"

#include <set>
#include <unordered_set>

namespace lastcall::persistence {

namespace {

using nlohmann::json;

json outbox_to_json(const std::vector<telegram::api_call>& calls) {
  json list = json::array();
  for (const auto& call : calls) {
    list.push_back({{"chat_id", call.chat_id},
                    {"method", call.method},
                    {"params", call.params},
                    {"priority", static_cast<int>(call.priority)}});
  }
  return list;
}

const json& member(const json& object, const char* key) {
  const auto it = object.find(key);
  if (it == object.end()) throw image_error(std::string(key) + ": is missing");
  return *it;
}

int64_t whole_number(const json& value, const std::string& where) {
  if (value.is_number_unsigned() && value.get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
    throw image_error(where + ": is too large");
  if (!value.is_number_integer()) throw image_error(where + ": must be a whole number");
  return value.get<int64_t>();
}

const json& list(const json& object, const char* key) {
  const auto& value = member(object, key);
  if (!value.is_array()) throw image_error(std::string(key) + ": must be a list");
  return value;
}

std::vector<telegram::api_call> outbox_from_json(const json& calls) {
  std::vector<telegram::api_call> out;
  for (size_t i = 0; i < calls.size(); ++i) {
    const std::string where = "outbox[" + std::to_string(i) + "]";
    const auto& item = calls[i];
    if (!item.is_object()) throw image_error(where + ": must be an object");
    telegram::api_call call;
    call.chat_id = whole_number(member(item, "chat_id"), where + ".chat_id");
    const auto& method = member(item, "method");
    if (!method.is_string() || method.get<std::string>().empty())
      throw image_error(where + ".method: must be a method name");
    call.method = method.get<std::string>();
    call.params = member(item, "params");
    const auto priority = whole_number(member(item, "priority"), where + ".priority");
    if (priority < static_cast<int>(telegram::call_priority::callback_answer) ||
        priority > static_cast<int>(telegram::call_priority::bulk))
      throw image_error(where + ".priority: unknown value " + std::to_string(priority));
    call.priority = static_cast<telegram::call_priority>(priority);
    out.push_back(std::move(call));
  }
  return out;
}

template <class Entity>
void require_unique_ids(const std::vector<Entity>& rows, const char* table) {
  std::unordered_set<int64_t> seen;
  for (const auto& row : rows)
    if (!seen.insert(row.id).second)
      throw image_error(std::string(table) + ": id " + std::to_string(row.id) +
                        " appears more than once");
}

// What the database's keys and references would refuse, found before anything is written.
void check_references(const entity_images& e) {
  require_unique_ids(e.users, "users");
  require_unique_ids(e.businesses, "businesses");
  require_unique_ids(e.offers, "offers");
  require_unique_ids(e.reservations, "reservations");

  std::unordered_set<int64_t> businesses, offers;
  for (const auto& b : e.businesses) businesses.insert(b.id);
  for (const auto& o : e.offers) {
    if (!businesses.count(o.business_id))
      throw image_error("offers: offer " + std::to_string(o.id) + " belongs to business " +
                        std::to_string(o.business_id) + ", which the snapshot does not hold");
    offers.insert(o.id);
  }
  std::set<std::string> codes, keys;
  for (const auto& r : e.reservations) {
    if (!offers.count(r.offer_id))
      throw image_error("reservations: reservation " + std::to_string(r.id) + " is of offer " +
                        std::to_string(r.offer_id) + ", which the snapshot does not hold");
    if (!codes.insert(r.code).second)
      throw image_error("reservations: pickup code of reservation " + std::to_string(r.id) +
                        " appears more than once");
    if (!r.idempotency_key.empty() && !keys.insert(r.idempotency_key).second)
      throw image_error("reservations: idempotency key of reservation " + std::to_string(r.id) +
                        " appears more than once");
  }
}

snapshot snapshot_from_json(const json& root) {
  if (!root.is_object()) throw image_error("the top level must be a JSON object");
  const auto format = root.find("format");
  if (format == root.end() || !format->is_string() ||
      format->get<std::string>() != snapshot_format_name)
    throw image_error(std::string("this is not a lastcall snapshot (\"format\" must be \"") +
                      snapshot_format_name + "\")");
  const auto version = whole_number(member(root, "version"), "version");
  if (version > snapshot_format_version)
    throw image_error("snapshot format version " + std::to_string(version) +
                      " is newer than this lastcall reads (version " +
                      std::to_string(snapshot_format_version) +
                      "); use the lastcall release that wrote it");
  if (version < 1) throw image_error("version: must be 1 or more");

  snapshot s;
  s.event_seq = whole_number(member(root, "event_seq"), "event_seq");
  if (s.event_seq < 0) throw image_error("event_seq: must not be negative");
  s.taken_at = whole_number(member(root, "taken_at"), "taken_at");
  s.update_offset = whole_number(member(root, "update_offset"), "update_offset");
  if (s.update_offset < 0) throw image_error("update_offset: must not be negative");
  const auto& processed = list(root, "processed_update_ids");
  for (size_t i = 0; i < processed.size(); ++i)
    s.processed_update_ids.push_back(
        whole_number(processed[i], "processed_update_ids[" + std::to_string(i) + "]"));
  // Every table is required: a file that lost one must not restore as a market without it.
  for (const char* table : {"users", "businesses", "offers", "reservations"}) list(root, table);
  s.entities = images_from_json(root);
  s.outbox = outbox_from_json(list(root, "outbox"));
  check_references(s.entities);
  return s;
}

}  // namespace

std::string serialise_snapshot(const snapshot& s) {
  // Key order is fixed (nlohmann sorts object keys), so equal snapshots give equal files.
  json root = images_to_json(s.entities);
  for (const char* table : {"users", "businesses", "offers", "reservations"})
    if (!root.contains(table)) root[table] = json::array();
  root["format"] = snapshot_format_name;
  root["version"] = snapshot_format_version;
  root["event_seq"] = s.event_seq;
  root["taken_at"] = s.taken_at;
  root["update_offset"] = s.update_offset;
  root["processed_update_ids"] = s.processed_update_ids;
  root["outbox"] = outbox_to_json(s.outbox);
  return json_text(root) + "\n";
}

snapshot_parse_result parse_snapshot(std::string_view text) {
  snapshot_parse_result result;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    result.error = "the file is empty";
    return result;
  }
  json root;
  try {
    root = json::parse(text.begin(), text.end());
  } catch (const json::parse_error& e) {
    result.error = "the file is not complete, valid JSON (truncated or damaged?) near byte " +
                   std::to_string(e.byte);
    return result;
  } catch (const json::exception&) {
    // A number beyond any double ("1E763990000") is out_of_range, not a parse_error.
    result.error = "the file is not valid JSON: it holds a number out of range (damaged?)";
    return result;
  }
  try {
    result.value = snapshot_from_json(root);
  } catch (const image_error& e) {
    result.error = e.what();
  }
  return result;
}

}  // namespace lastcall::persistence

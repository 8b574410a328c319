#include "sandbox/driver_json.hpp"

#include <utility>

#include "sandbox/http_json.hpp"
#include "sandbox/request_params.hpp"

namespace lastcall::sandbox {

using json = nlohmann::json;

json body_of(const httplib::Request& request) {
  auto body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    throw driver_input_error("the body must be a JSON object");
  }
  return body;
}

int64_t required_integer(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it != body.end() && it->is_number_integer()) return it->get<int64_t>();
  if (it != body.end() && it->is_string()) {
    if (auto value = parse_integer(it->get<std::string>())) return *value;
  }
  throw driver_input_error(std::string("\"") + name + "\" must be an integer");
}

double required_number(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_number()) {
    throw driver_input_error(std::string("\"") + name + "\" must be a number");
  }
  return it->get<double>();
}

std::string optional_string(const json& body, const char* name, const std::string& fallback) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_string()) throw driver_input_error(std::string("\"") + name + "\" must be a string");
  return it->get<std::string>();
}

std::string required_string(const json& body, const char* name) {
  if (!body.contains(name)) throw driver_input_error(std::string("\"") + name + "\" is required");
  return optional_string(body, name);
}

user_profile profile_of(const json& body, const world& state) {
  const auto id = required_integer(body, "user_id");
  if (id <= 0) throw driver_input_error("\"user_id\" must be positive");
  auto profile = state.user(id).value_or(user_profile{id, "User", "en", ""});
  profile.first_name = optional_string(body, "first_name", profile.first_name);
  profile.language_code = optional_string(body, "language_code", profile.language_code);
  profile.username = optional_string(body, "username", profile.username);
  return profile;
}

json update_created(int64_t update_id) {
  return {{"ok", true}, {"update_id", update_id}};
}

httplib::Server::Handler guarded(driver_handler run) {
  return [run = std::move(run)](const httplib::Request& request, httplib::Response& response) {
    try {
      write_json(response, 200, run(request));
    } catch (const std::invalid_argument& error) {
      write_json(response, 400, {{"ok", false}, {"error", error.what()}});
    } catch (const json::exception& error) {
      write_json(response, 400, {{"ok", false}, {"error", error.what()}});
    }
  };
}

}  // namespace lastcall::sandbox

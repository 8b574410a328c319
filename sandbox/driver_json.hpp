#pragma once
// What every driver route shares: reading a JSON request body, naming bad input, and answering
// with JSON (bad input as 400 {"ok":false,"error":"..."}).

#include <cstdint>
#include <functional>
#include <stdexcept>
#include <string>

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "sandbox/world.hpp"

namespace lastcall::sandbox {

// Bad driver input; answered 400 with its message.
class driver_input_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

// The body as a JSON object.
nlohmann::json body_of(const httplib::Request& request);

// Integers may come as JSON numbers or as strings holding one (query parameters are strings).
int64_t required_integer(const nlohmann::json& body, const char* name);
double required_number(const nlohmann::json& body, const char* name);
std::string optional_string(const nlohmann::json& body, const char* name,
                            const std::string& fallback = {});
std::string required_string(const nlohmann::json& body, const char* name);

// The acting user: the profile the world knows, updated with whatever `body` states
// ("user_id", and "first_name", "language_code", "username" when given).
user_profile profile_of(const nlohmann::json& body, const world& state);

nlohmann::json update_created(int64_t update_id);

using driver_handler = std::function<nlohmann::json(const httplib::Request&)>;

// Answers 200 with what `run` returns; input errors (the driver's and the world's own
// std::invalid_argument, malformed JSON) become 400s.
httplib::Server::Handler guarded(driver_handler run);

}  // namespace lastcall::sandbox

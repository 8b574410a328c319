#include "sandbox/http_json.hpp"

namespace lastcall::sandbox {

void write_json(httplib::Response& response, int status, const nlohmann::json& body) {
  response.status = status;
  response.set_content(body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                       "application/json");
}

}  // namespace lastcall::sandbox

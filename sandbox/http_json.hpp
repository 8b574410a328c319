#pragma once
// Every sandbox answer is JSON; text that is not UTF-8 (a driver may store anything) is replaced on
// the way out instead of failing the request.

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace lastcall::sandbox {

void write_json(httplib::Response& response, int status, const nlohmann::json& body);

}  // namespace lastcall::sandbox

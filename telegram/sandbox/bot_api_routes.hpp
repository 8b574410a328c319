#pragma once
// The Bot API over HTTP: GET or POST /bot<token>/<method>, parameters in the query string, a JSON
// body, a form-urlencoded body or multipart form data, as Telegram accepts them.

#include <string>

#include <httplib.h>

#include "telegram/sandbox/world.hpp"

namespace lastcall::sandbox {

// `state` must outlive `http`'s serving.
void install_bot_api_routes(httplib::Server& http, world& state, const std::string& token);

// Writes a JSON answer that never fails on text that is not UTF-8 (it is replaced, not thrown on).
void write_json(httplib::Response& response, int status, const nlohmann::json& body);

}  // namespace lastcall::sandbox

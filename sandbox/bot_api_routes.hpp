#pragma once
// The Bot API over HTTP: GET or POST /bot<token>/<method>, parameters in the query string, a JSON
// body, a form-urlencoded body or multipart form data, as Telegram accepts them.

#include <string>

#include <httplib.h>

#include "sandbox/world.hpp"

namespace lastcall::sandbox {

// `state` must outlive `http`'s serving.
void install_bot_api_routes(httplib::Server& http, world& state, const std::string& token);

}  // namespace lastcall::sandbox

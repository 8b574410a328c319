#pragma once
// Photos with real images: a user's upload is kept in the world and every size's file_id shows it,
// so the chat page can display what people send and what the bot sends back by file_id.

#include <httplib.h>
#include <nlohmann/json.hpp>

#include "sandbox/world.hpp"

namespace lastcall::sandbox {

// Whether the request to /driver/photo carries the image itself rather than JSON.
bool is_image_upload(const httplib::Request& request);

// POST /driver/photo?user_id=N&caption=... with an image body: the user sends that photo.
// driver_input_error for another image type (only raster types that browsers show are taken, never
// SVG, which could carry script) or an image over 10 MB.
nlohmann::json send_uploaded_photo(const httplib::Request& request, world& state);

// GET /driver/file/<file_id>: the kept image, a drawn placeholder for a photo the sandbox invented,
// 404 for a file_id it never issued.
void install_file_routes(httplib::Server& http, const world& state);

}  // namespace lastcall::sandbox

#include "sandbox/driver_files.hpp"

#include <algorithm>
#include <array>
#include <string>

#include "sandbox/driver_json.hpp"
#include "sandbox/http_json.hpp"
#include "telegram/ascii_case.hpp"

namespace lastcall::sandbox {

namespace {

using json = nlohmann::json;

constexpr size_t max_image_bytes = 10 * 1024 * 1024;
constexpr std::array<const char*, 4> image_types = {"image/png", "image/jpeg", "image/gif",
                                                    "image/webp"};

std::string media_type(const httplib::Request& request) {
  auto type = request.get_header_value("Content-Type");
  type = type.substr(0, type.find(';'));
  type.erase(std::remove(type.begin(), type.end(), ' '), type.end());
  return telegram::ascii_lower(type);
}

// Shown for photos the sandbox made up (the bot sent a URL, or a test sent a photo without an
// image): a grey frame with a camera, at the 4:3 shape the invented sizes have.
const char* const placeholder_svg =
    R"(<svg xmlns="http://www.w3.org/2000/svg" width="320" height="240" viewBox="0 0 320 240">)"
    R"(<rect width="320" height="240" fill="#d7dde4"/>)"
    R"(<rect x="120" y="88" width="80" height="60" rx="8" fill="none" stroke="#7b8794" )"
    R"(stroke-width="6"/><circle cx="160" cy="118" r="16" fill="none" stroke="#7b8794" )"
    R"(stroke-width="6"/><rect x="140" y="78" width="24" height="12" rx="3" fill="#7b8794"/>)"
    R"(<text x="160" y="185" font-family="sans-serif" font-size="16" fill="#52606d" )"
    R"(text-anchor="middle">photo</text></svg>)";

}  // namespace

bool is_image_upload(const httplib::Request& request) {
  return media_type(request).rfind("image/", 0) == 0;
}

json send_uploaded_photo(const httplib::Request& request, world& state) {
  const auto type = media_type(request);
  if (std::find(image_types.begin(), image_types.end(), type) == image_types.end()) {
    throw driver_input_error("the image must be PNG, JPEG, GIF or WebP");
  }
  if (request.body.empty()) throw driver_input_error("the image is empty");
  if (request.body.size() > max_image_bytes) {
    throw driver_input_error("the image must be at most 10 MB");
  }
  // The user and caption travel in the query string; the body is the image.
  auto fields = json::object();
  for (const auto& [name, value] : request.params) fields[name] = value;
  const auto profile = profile_of(fields, state);
  const auto sent = state.send_photo_file(profile, optional_string(fields, "caption"),
                                          photo_file{type, request.body});
  auto created = update_created(sent.update_id);
  created["file_id"] = sent.file_id;
  return created;
}

void install_file_routes(httplib::Server& http, const world& state) {
  http.Get(R"(/driver/file/([A-Za-z0-9_\-]+))",
           [&state](const httplib::Request& request, httplib::Response& response) {
             const auto file = state.photo_file_of(request.matches[1]);
             if (!file) {
               write_json(response, 404, {{"ok", false}, {"error", "unknown file_id"}});
               return;
             }
             // A file_id always names the same image.
             response.set_header("Cache-Control", "max-age=86400, immutable");
             response.set_header("X-Content-Type-Options", "nosniff");
             if (file->bytes.empty()) {
               response.set_content(placeholder_svg, "image/svg+xml");
             } else {
               response.set_content(file->bytes, file->content_type.c_str());
             }
           });
}

}  // namespace lastcall::sandbox

#include "sandbox/driver_page.hpp"

#include <memory>
#include <utility>

#include <nlohmann/json.hpp>

#include "sandbox/bot_api_json.hpp"
#include "sandbox/http_json.hpp"

namespace lastcall::sandbox {

namespace {

using json = nlohmann::json;

json page_json(const world& state, const chat_page& page) {
  auto personas = json::array();
  for (const auto& someone : page.personas) {
    personas.push_back({{"id", someone.id},
                        {"first_name", someone.first_name},
                        {"role", someone.role},
                        {"language_code", someone.language_code},
                        {"phone", someone.phone}});
  }
  auto places = json::array();
  for (const auto& place : page.places) {
    places.push_back(
        {{"name", place.name}, {"latitude", place.latitude}, {"longitude", place.longitude}});
  }
  return {{"ok", true},
          {"bot", bot_user_json(state.bot())},
          {"personas", std::move(personas)},
          {"places", std::move(places)},
          {"utc_offset_minutes", page.utc_offset_minutes},
          {"admin_ids", page.admin_ids}};
}

// httplib routes are regular expressions: the dot of "/app.js" must match only a dot.
std::string route_for(const std::string& path) {
  std::string route;
  for (const char c : path) {
    if (c == '.') route += '\\';
    route += c;
  }
  return route;
}

void serve_asset(httplib::Response& response, const page_asset& asset) {
  // The page is small and changes with the binary: always ask again rather than show an old one.
  response.set_header("Cache-Control", "no-cache");
  response.set_header("X-Content-Type-Options", "nosniff");
  response.set_content(asset.body, asset.content_type.c_str());
}

}  // namespace

user_profile profile_of(const persona& someone) {
  return user_profile{someone.id, someone.first_name, someone.language_code, ""};
}

void install_page_routes(httplib::Server& http, const world& state, chat_page page) {
  for (const auto& asset : embedded_page_assets()) {
    const auto* served = &asset;  // the assets live as long as the program
    const auto handler = [served](const httplib::Request&, httplib::Response& response) {
      serve_asset(response, *served);
    };
    http.Get(route_for(asset.path), handler);
    if (asset.path == "/index.html") http.Get("/", handler);
  }
  const auto shown = std::make_shared<const chat_page>(std::move(page));
  http.Get("/driver/page", [&state, shown](const httplib::Request&, httplib::Response& response) {
    write_json(response, 200, page_json(state, *shown));
  });
}

}  // namespace lastcall::sandbox

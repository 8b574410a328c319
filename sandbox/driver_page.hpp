#pragma once
// The chat page: a Telegram-like chat with the bot in the browser, served by the sandbox at "/"
// from the files in sandbox/web/ (compiled into the binary, so it works from any working
// directory and fetches nothing from elsewhere). The page drives the sandbox through the same
// driver API the tests use.
//
//   GET /                 the page (web/index.html); /app.css and /app.js beside it
//   GET /driver/page      {"bot":{...},"personas":[...],"places":[...],"utc_offset_minutes":N,
//                         "admin_ids":[...]}: who the page lets you be, where "share location"
//                         can put you, and the bot's clock

#include <cstdint>
#include <string>
#include <vector>

#include <httplib.h>

#include "sandbox/world.hpp"

namespace lastcall::sandbox {

// Someone the page lets you chat as.
struct persona {
  int64_t id = 0;
  std::string first_name;
  std::string role;  // shown under the name: "customer", "business", "admin", ...
  std::string language_code = "en";
  std::string phone;  // what "share contact" sends
};

struct preset_place {
  std::string name;
  double latitude = 0;
  double longitude = 0;
};

struct chat_page {
  std::vector<persona> personas;
  std::vector<preset_place> places;
  // The bot's time zone, so the page shows times as the bot speaks of them, not in the browser's.
  int utc_offset_minutes = 0;
  // Who the bot treats as an admin, so a person added on the page is labelled as the bot sees them.
  std::vector<int64_t> admin_ids;
};

// A file of web/ as the binary holds it.
struct page_asset {
  std::string path;  // "/index.html", "/app.js", ...
  std::string content_type;
  std::string body;
};

// Every file of web/, generated at build time by embed_web.cmake.
const std::vector<page_asset>& embedded_page_assets();

// The user a persona chats as.
user_profile profile_of(const persona& someone);

// `state` must outlive `http`'s serving.
void install_page_routes(httplib::Server& http, const world& state, chat_page page);

}  // namespace lastcall::sandbox

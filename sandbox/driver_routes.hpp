#pragma once
// The driver API under /driver/: how tests, tools and the browser chat page act as users and look
// at what the bot did. JSON in, JSON out; bad input is answered 400 {"ok":false,"error":"..."}.
// Every user action also accepts the profile fields of /driver/send; omitted ones keep their last
// value.
//
// clang-format off
//   GET  /driver/health                                                 {"ok":true}
//   POST /driver/send      {"user_id","text","first_name"?,"language_code"?,"username"?} -> {"update_id"}
//   POST /driver/location  {"user_id","latitude","longitude"}                             -> {"update_id"}
//   POST /driver/contact   {"user_id","phone_number","contact_first_name"?}               -> {"update_id"}
//   POST /driver/photo     {"user_id","caption"?}                                         -> {"update_id"}
//   POST /driver/photo?user_id=N&caption=...  with the image as the body (Content-Type image/png,
//                          image/jpeg, image/gif or image/webp; kept for /driver/file)    -> {"update_id","file_id"}
//   POST /driver/tap       {"user_id","message_id","data"}              -> {"update_id","callback_query_id"}
//   POST /driver/block | /driver/unblock  {"user_id"}
//   POST /driver/inject    {"update","keep_id"?}                  a raw update, for malformed-input tests
//   POST /driver/rate_limits  {"per_chat_per_second","global_per_second"}
//   GET  /driver/chat/<chat_id>         messages with their current text and markup, the reply
//                                       keyboard, and the chat's "revision"
//   GET  /driver/watch?chats=42:3,43:0&wait=25   waits up to `wait` seconds until a chat's revision
//                                       differs from the one given -> {"revisions":{"42":5,"43":0}}
//   GET  /driver/file/<file_id>         a photo's image (a drawn placeholder when the sandbox has none)
//   GET  /driver/answer/<callback_query_id>
//   GET  /driver/stats | /driver/updates | /driver/bot
// clang-format on
//
// The chat page itself and /driver/page are in driver_page.hpp.

#include <httplib.h>

#include "sandbox/world.hpp"

namespace lastcall::sandbox {

// `state` must outlive `http`'s serving.
void install_driver_routes(httplib::Server& http, world& state);

}  // namespace lastcall::sandbox

#include "sandbox/driver_routes.hpp"

#include <string>

#include "sandbox/bot_api_json.hpp"
#include "sandbox/driver_fault_routes.hpp"
#include "sandbox/driver_files.hpp"
#include "sandbox/driver_json.hpp"
#include "sandbox/driver_watch.hpp"
#include "sandbox/http_json.hpp"
#include "sandbox/request_params.hpp"

namespace lastcall::sandbox {

namespace {

using json = nlohmann::json;

}  // namespace

void install_driver_routes(httplib::Server& http, world& state) {
  install_file_routes(http, state);
  install_driver_fault_routes(http, state);
  install_watch_routes(http, state);

  http.Get("/driver/health", guarded([](const httplib::Request&) { return json{{"ok", true}}; }));

  http.Post("/driver/send", guarded([&state](const httplib::Request& request) {
              const auto body = body_of(request);
              const auto text = required_string(body, "text");
              return update_created(state.send_text(profile_of(body, state), text));
            }));

  http.Post("/driver/location", guarded([&state](const httplib::Request& request) {
              const auto body = body_of(request);
              return update_created(state.send_location(profile_of(body, state),
                                                        required_number(body, "latitude"),
                                                        required_number(body, "longitude")));
            }));

  http.Post("/driver/contact", guarded([&state](const httplib::Request& request) {
              const auto body = body_of(request);
              const auto profile = profile_of(body, state);
              const auto phone = body.contains("phone_number")
                                     ? required_string(body, "phone_number")
                                     : required_string(body, "phone");
              return update_created(state.send_contact(
                  profile, phone, optional_string(body, "contact_first_name", profile.first_name)));
            }));

  http.Post("/driver/photo", guarded([&state](const httplib::Request& request) {
              if (is_image_upload(request)) return send_uploaded_photo(request, state);
              const auto body = body_of(request);
              return update_created(
                  state.send_photo(profile_of(body, state), optional_string(body, "caption")));
            }));

  http.Post("/driver/tap", guarded([&state](const httplib::Request& request) {
              const auto body = body_of(request);
              const auto tapped =
                  state.tap(profile_of(body, state), required_integer(body, "message_id"),
                            required_string(body, "data"));
              return json{{"ok", true},
                          {"update_id", tapped.update_id},
                          {"callback_query_id", tapped.callback_query_id}};
            }));

  http.Post("/driver/block", guarded([&state](const httplib::Request& request) {
              state.block_bot(required_integer(body_of(request), "user_id"));
              return json{{"ok", true}};
            }));

  http.Post("/driver/unblock", guarded([&state](const httplib::Request& request) {
              state.unblock_bot(required_integer(body_of(request), "user_id"));
              return json{{"ok", true}};
            }));

  http.Post("/driver/inject", guarded([&state](const httplib::Request& request) {
              const auto body = body_of(request);
              if (!body.contains("update")) throw driver_input_error("\"update\" is required");
              const bool keep_id = body.value("keep_id", false);
              const auto update_id = keep_id ? state.inject_update_with_id(body["update"])
                                             : state.inject_raw_update(body["update"]);
              return update_created(update_id);
            }));

  http.Post("/driver/rate_limits", guarded([&state](const httplib::Request& request) {
              const auto body = body_of(request);
              rate_limits limits;
              limits.per_chat_per_second =
                  static_cast<int>(required_integer(body, "per_chat_per_second"));
              limits.global_per_second =
                  static_cast<int>(required_integer(body, "global_per_second"));
              if (limits.per_chat_per_second < 0 || limits.global_per_second < 0) {
                throw driver_input_error("rate limits must not be negative");
              }
              state.set_rate_limits(limits);
              return json{{"ok", true}};
            }));

  http.Get(R"(/driver/chat/(-?\d+))", guarded([&state](const httplib::Request& request) {
             const auto chat_id = parse_integer(request.matches[1]);
             if (!chat_id) throw driver_input_error("the chat id must be an integer");
             // Read before the messages: a change in between then shows as a newer revision.
             const auto revision = state.chat_revision(*chat_id);
             auto messages = json::array();
             for (const auto& message : state.chat(*chat_id)) {
               messages.push_back(chat_message_view(message));
             }
             return json{{"ok", true},
                         {"chat_id", *chat_id},
                         {"messages", std::move(messages)},
                         {"reply_keyboard", state.reply_keyboard(*chat_id)},
                         {"blocked", state.is_blocked(*chat_id)},
                         {"revision", revision}};
           }));

  http.Get(R"(/driver/answer/([^/]+))",
           [&state](const httplib::Request& request, httplib::Response& response) {
             const auto answer = state.answer(request.matches[1]);
             if (!answer) {
               write_json(response, 404, {{"ok", false}, {"error", "unknown callback query"}});
               return;
             }
             auto view = callback_answer_view(*answer);
             view["ok"] = true;
             write_json(response, 200, view);
           });

  http.Get("/driver/stats", guarded([&state](const httplib::Request&) {
             auto stats = state.stats();
             stats["ok"] = true;
             return stats;
           }));

  http.Get("/driver/updates", guarded([&state](const httplib::Request&) {
             return json{{"ok", true}, {"updates", state.pending_update_list()}};
           }));

  http.Get("/driver/bot", guarded([&state](const httplib::Request&) {
             auto settings = state.bot_settings();
             settings["ok"] = true;
             return settings;
           }));
}

}  // namespace lastcall::sandbox

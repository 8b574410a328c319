#include "telegram/sandbox/driver_routes.hpp"

#include <functional>
#include <stdexcept>
#include <string>

#include "telegram/sandbox/bot_api_json.hpp"
#include "telegram/sandbox/http_json.hpp"
#include "telegram/sandbox/request_params.hpp"

namespace lastcall::sandbox {

namespace {

using json = nlohmann::json;

// Bad driver input; answered 400 with its message.
class driver_input_error : public std::invalid_argument {
 public:
  using std::invalid_argument::invalid_argument;
};

json body_of(const httplib::Request& request) {
  auto body = json::parse(request.body, nullptr, false);
  if (body.is_discarded() || !body.is_object()) {
    throw driver_input_error("the body must be a JSON object");
  }
  return body;
}

int64_t required_integer(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it != body.end() && it->is_number_integer()) return it->get<int64_t>();
  if (it != body.end() && it->is_string()) {
    if (auto value = parse_integer(it->get<std::string>())) return *value;
  }
  throw driver_input_error(std::string("\"") + name + "\" must be an integer");
}

double required_number(const json& body, const char* name) {
  const auto it = body.find(name);
  if (it == body.end() || !it->is_number()) {
    throw driver_input_error(std::string("\"") + name + "\" must be a number");
  }
  return it->get<double>();
}

std::string optional_string(const json& body, const char* name, const std::string& fallback = {}) {
  const auto it = body.find(name);
  if (it == body.end() || it->is_null()) return fallback;
  if (!it->is_string()) throw driver_input_error(std::string("\"") + name + "\" must be a string");
  return it->get<std::string>();
}

std::string required_string(const json& body, const char* name) {
  if (!body.contains(name)) throw driver_input_error(std::string("\"") + name + "\" is required");
  return optional_string(body, name);
}

// The acting user: the profile the world knows, updated with whatever the request states.
user_profile profile_of(const json& body, const world& state) {
  const auto id = required_integer(body, "user_id");
  if (id <= 0) throw driver_input_error("\"user_id\" must be positive");
  auto profile = state.user(id).value_or(user_profile{id, "User", "en", ""});
  profile.first_name = optional_string(body, "first_name", profile.first_name);
  profile.language_code = optional_string(body, "language_code", profile.language_code);
  profile.username = optional_string(body, "username", profile.username);
  return profile;
}

json update_created(int64_t update_id) {
  return {{"ok", true}, {"update_id", update_id}};
}

using handler = std::function<json(const httplib::Request&)>;

// Runs a driver handler; input errors (the driver's and the world's own std::invalid_argument)
// become 400s.
httplib::Server::Handler guarded(handler run) {
  return [run = std::move(run)](const httplib::Request& request, httplib::Response& response) {
    try {
      write_json(response, 200, run(request));
    } catch (const std::invalid_argument& error) {
      write_json(response, 400, {{"ok", false}, {"error", error.what()}});
    } catch (const json::exception& error) {
      write_json(response, 400, {{"ok", false}, {"error", error.what()}});
    }
  };
}

}  // namespace

void install_driver_routes(httplib::Server& http, world& state) {
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
             auto messages = json::array();
             for (const auto& message : state.chat(*chat_id)) {
               messages.push_back(chat_message_view(message));
             }
             return json{{"ok", true},
                         {"chat_id", *chat_id},
                         {"messages", std::move(messages)},
                         {"reply_keyboard", state.reply_keyboard(*chat_id)},
                         {"blocked", state.is_blocked(*chat_id)}};
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

#include "sandbox/driver_watch.hpp"

#include <chrono>
#include <optional>
#include <sstream>

#include "sandbox/driver_json.hpp"
#include "sandbox/request_params.hpp"

namespace lastcall::sandbox {

namespace {

using json = nlohmann::json;

constexpr size_t max_watched_chats = 100;
constexpr int64_t max_wait_seconds = 30;

}  // namespace

std::map<int64_t, uint64_t> parse_watched_chats(const std::string& text) {
  std::map<int64_t, uint64_t> watched;
  if (text.empty()) return watched;
  std::istringstream items(text);
  std::string item;
  while (std::getline(items, item, ',')) {
    const auto colon = item.find(':');
    const auto chat_id = parse_integer(item.substr(0, colon));
    const auto revision = colon == std::string::npos ? std::optional<int64_t>(0)
                                                     : parse_integer(item.substr(colon + 1));
    if (!chat_id || !revision || *revision < 0) {
      throw driver_input_error("\"chats\" must look like 42:3,43:0 (chat id:revision)");
    }
    watched[*chat_id] = static_cast<uint64_t>(*revision);
  }
  if (watched.size() > max_watched_chats) {
    throw driver_input_error("at most 100 chats can be watched at once");
  }
  return watched;
}

void install_watch_routes(httplib::Server& http, const world& state) {
  http.Get("/driver/watch", guarded([&state](const httplib::Request& request) {
             const auto watched = parse_watched_chats(request.get_param_value("chats"));
             int64_t wait = 0;
             if (request.has_param("wait")) {
               const auto given = parse_integer(request.get_param_value("wait"));
               if (!given || *given < 0 || *given > max_wait_seconds) {
                 throw driver_input_error("\"wait\" must be 0..30 seconds");
               }
               wait = *given;
             }
             const auto revisions =
                 state.wait_for_chat_changes(watched, std::chrono::seconds(wait));
             auto answer = json::object();
             for (const auto& [chat_id, revision] : revisions) {
               answer[std::to_string(chat_id)] = revision;
             }
             return json{{"ok", true}, {"revisions", answer}};
           }));
}

}  // namespace lastcall::sandbox

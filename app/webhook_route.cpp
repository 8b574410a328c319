#include "app/webhook_route.hpp"

#include <future>

#include <caf/all.hpp>

#include "logs/event.hpp"
#include "telegram/update_parser.hpp"

namespace lastcall::app {

namespace {

// Compares without stopping at the first difference, so the answer time does not reveal how much
// of a guessed token was right.
bool same_secret(const std::string& given, const std::string& expected) {
  if (given.size() != expected.size()) return false;
  unsigned char difference = 0;
  for (size_t i = 0; i < given.size(); ++i)
    difference |= static_cast<unsigned char>(given[i] ^ expected[i]);
  return difference == 0;
}

void answer(httplib::Response& response, int status, const char* text) {
  response.status = status;
  response.set_content(text, "text/plain");
}

}  // namespace

std::string webhook_path(const std::string& url) {
  const auto scheme = url.find("://");
  const auto host_start = scheme == std::string::npos ? 0 : scheme + 3;
  const auto path_start = url.find('/', host_start);
  if (path_start == std::string::npos) return "/";
  auto path = url.substr(path_start);
  const auto query = path.find_first_of("?#");
  if (query != std::string::npos) path.resize(query);
  return path.empty() ? "/" : path;
}

void install_webhook_route(httplib::Server& http, webhook_route_options options,
                           std::shared_ptr<const owner_handles> owner,
                           std::shared_ptr<actors::runtime_metrics> metrics) {
  http.Post(options.path, [options, owner, metrics](const httplib::Request& request,
                                                    httplib::Response& response) {
    ++metrics->webhook_requests;
    if (!same_secret(request.get_header_value("X-Telegram-Bot-Api-Secret-Token"),
                     options.secret_token)) {
      ++metrics->webhook_rejected;
      logs::warn(logs::event("webhook", "unauthorized"),
                 "webhook: a request without the right secret token was refused");
      return answer(response, 401, "unauthorized\n");
    }
    auto update = telegram::parse_update_text(request.body);
    if (!update) {
      // Sending it again cannot make it readable: confirm it so Telegram moves on.
      ++metrics->webhook_rejected;
      logs::warn(logs::event("webhook", "unreadable_update"),
                 "webhook: an unreadable update was dropped");
      return answer(response, 200, "ignored\n");
    }
    const auto update_id = update->update_id;
    auto intake = owner->intake();
    if (!intake) return answer(response, 503, "this node does not own the market now\n");
    auto durable = std::make_shared<std::promise<void>>();
    auto in_inbox = durable->get_future();
    actors::intake_ticket ticket{[durable] { durable->set_value(); }};
    caf::anon_send(intake, actors::update_atom::value,
                   actors::incoming_update{update_id, request.body, std::move(update)},
                   std::move(ticket));
    if (in_inbox.wait_for(options.durable_wait) != std::future_status::ready) {
      logs::warn(logs::event("webhook", "not_durable").update(update_id),
                 "not durable in time; Telegram will send it again");
      return answer(response, 503, "not confirmed yet\n");
    }
    answer(response, 200, "ok\n");
  });
}

}  // namespace lastcall::app

#include "app/admin_routes.hpp"

#include <chrono>
#include <string_view>

#include <httplib.h>
#include <caf/all.hpp>

#include "logs/event.hpp"
#include "telegram/ascii_case.hpp"

namespace lastcall::app {

namespace {

// A large market takes a while to read; the listener's other threads serve on meanwhile.
constexpr auto snapshot_patience = std::chrono::minutes(10);

void answer(httplib::Response& response, int status, const std::string& text) {
  response.status = status;
  response.set_content(text + "\n", "text/plain; charset=utf-8");
}

}  // namespace

bool bearer_token_matches(const std::string& header, const std::string& expected) {
  static const std::string scheme = "bearer ";
  if (expected.empty() || header.size() < scheme.size()) return false;
  if (!telegram::same_ignoring_ascii_case(std::string_view(header).substr(0, scheme.size()),
                                          scheme))
    return false;
  const std::string given = header.substr(scheme.size());
  // Every byte of the expected token is compared whatever the given one holds, so the time taken
  // does not tell how much of a guess was right.
  unsigned char difference = given.size() == expected.size() ? 0 : 1;
  for (size_t i = 0; i < expected.size(); ++i) {
    const unsigned char g = i < given.size() ? static_cast<unsigned char>(given[i]) : 0;
    difference |= static_cast<unsigned char>(g ^ static_cast<unsigned char>(expected[i]));
  }
  return difference == 0;
}

void install_admin_routes(httplib::Server& http, const std::string& admin_token,
                          snapshot_source take_snapshot) {
  http.Post("/admin/snapshot", [admin_token, take_snapshot](const httplib::Request& request,
                                                            httplib::Response& response) {
    if (admin_token.empty()) {
      answer(response, 404,
             "admin endpoints are switched off: set ADMIN_TOKEN (or ADMIN_TOKEN_FILE) on the "
             "server to use them");
      return;
    }
    if (!bearer_token_matches(request.get_header_value("Authorization"), admin_token)) {
      logs::warn(logs::event("admin", "unauthorized"),
                 "admin: snapshot request refused: missing or wrong admin token");
      response.set_header("WWW-Authenticate", "Bearer");
      answer(response, 401, "a valid admin token is required: Authorization: Bearer <ADMIN_TOKEN>");
      return;
    }
    logs::info(logs::event("admin", "snapshot_requested"), "admin: snapshot requested over HTTP");
    auto outcome = take_snapshot();
    if (!outcome.ok) {
      answer(response, 503, "the snapshot could not be taken: " + outcome.error);
      return;
    }
    response.status = 200;
    response.set_header("X-Lastcall-Event-Seq", std::to_string(outcome.event_seq));
    response.set_content(std::move(outcome.text), "application/json");
  });
}

snapshot_source persistence_snapshot_source(std::shared_ptr<const owner_handles> owner) {
  return [owner] {
    actors::snapshot_outcome outcome;
    auto persistence = owner->persistence();
    if (!persistence) {
      outcome.error = "this node does not own the market now (a standby, or stopping)";
      return outcome;
    }
    outcome.error = "the server did not answer in time";
    caf::scoped_actor self{persistence.home_system()};
    self->request(persistence, snapshot_patience, actors::snapshot_atom::value, std::string())
        .receive([&](actors::snapshot_outcome& answer) { outcome = std::move(answer); },
                 [&](caf::error& error) {
                   outcome.ok = false;
                   outcome.error = "the server is stopping or busy (" + to_string(error) + ")";
                 });
    return outcome;
  };
}

}  // namespace lastcall::app

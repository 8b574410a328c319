#pragma once
// The Telegram webhook: POST <path> with the update as JSON. A request without the secret token
// given to setWebhook is answered 401 and changes nothing. A good one is answered 200 once the
// update is in the inbox (one group commit: milliseconds), not once it is handled: a 200 makes
// Telegram forget the update, and from the inbox it is handled even after a crash
// (actors/intake.hpp). When that takes too long (the database is down), the answer is 503 and
// Telegram sends the update again later; the second delivery is recognised, not taken twice.

#include <chrono>
#include <memory>
#include <string>

#include <httplib.h>

#include "actors/intake.hpp"
#include "actors/runtime_metrics.hpp"
#include "app/owner_handles.hpp"

namespace lastcall::app {

struct webhook_route_options {
  std::string path;  // from the webhook URL, e.g. "/telegram/webhook"
  std::string secret_token;
  std::chrono::seconds durable_wait{20};
};

// `owner` says where updates go; while this node owns no market the answer is 503 and Telegram
// sends the update again (to the owner, behind a load balancer that asks /healthz).
void install_webhook_route(httplib::Server& http, webhook_route_options options,
                           std::shared_ptr<const owner_handles> owner,
                           std::shared_ptr<actors::runtime_metrics> metrics);

// The path part of a webhook URL ("/" when it has none).
std::string webhook_path(const std::string& url);

}  // namespace lastcall::app

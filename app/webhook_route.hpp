#pragma once
// The Telegram webhook: POST <path> with the update as JSON. A request without the secret token
// given to setWebhook is answered 401 and changes nothing. A good one is answered 200 once the
// update's effects are durable (milliseconds, with group commit), because a 200 makes Telegram
// forget the update: answering before the commit could lose it in a crash. When that takes too
// long (the database is down), the answer is 503 and Telegram sends the update again later; the
// second delivery is recognised, not applied twice.

#include <chrono>
#include <memory>
#include <string>

#include <httplib.h>

#include "actors/runtime_metrics.hpp"
#include "actors/webhook_ingress.hpp"

namespace lastcall::app {

struct webhook_route_options {
  std::string path;  // from the webhook URL, e.g. "/telegram/webhook"
  std::string secret_token;
  std::chrono::seconds durable_wait{20};
};

void install_webhook_route(httplib::Server& http, webhook_route_options options,
                           actors::webhook_ingress_actor ingress,
                           std::shared_ptr<actors::runtime_metrics> metrics);

// The path part of a webhook URL ("/" when it has none).
std::string webhook_path(const std::string& url);

}  // namespace lastcall::app

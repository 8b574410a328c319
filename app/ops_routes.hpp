#pragma once
// GET /healthz and GET /metrics on the server's HTTP listener.

#include <httplib.h>

#include "app/metrics_page.hpp"
#include "app/readiness.hpp"

namespace lastcall::app {

// `ready` must outlive the serving. /healthz is 200 only on the node that owns the market and can
// work; a standby answers 503 with "role":"standby", so a load balancer sends Telegram's requests
// to the owner alone.
void install_ops_routes(httplib::Server& http, readiness& ready, metrics_sources sources);

}  // namespace lastcall::app

#pragma once
// GET /healthz and GET /metrics on the server's HTTP listener.

#include <httplib.h>

#include "app/metrics_page.hpp"
#include "app/readiness.hpp"

namespace lastcall::app {

// `ready` must outlive the serving.
void install_ops_routes(httplib::Server& http, readiness& ready, metrics_sources sources);

}  // namespace lastcall::app

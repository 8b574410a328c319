#pragma once
// The /metrics page: every counter the server keeps, in Prometheus' text format.

#include <memory>
#include <string>

#include "actors/runtime_metrics.hpp"
#include "persistence/metrics.hpp"
#include "telegram/outbound_metrics.hpp"

namespace lastcall::app {

class market_ownership;

struct metrics_sources {
  std::shared_ptr<actors::runtime_metrics> runtime;
  std::shared_ptr<persistence::persistence_metrics> persistence;
  std::shared_ptr<telegram::outbound_metrics> outbound;
  std::shared_ptr<const market_ownership> ownership;
};

std::string render_metrics(const metrics_sources& sources);

}  // namespace lastcall::app

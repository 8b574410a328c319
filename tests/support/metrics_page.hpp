#pragma once
// Reading the bot's /metrics page (Prometheus text) in tests.

#include <string>

namespace lastcall::testing {

// The value of an unlabelled sample on the page, or -1 when absent.
inline double metric_sample(const std::string& page, const std::string& name) {
  const auto at = page.find("\n" + name + " ");
  if (at == std::string::npos) return -1;
  return std::stod(page.substr(at + name.size() + 2));
}

}  // namespace lastcall::testing

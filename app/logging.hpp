#pragma once
// Process-wide logging: human-readable lines by default, one JSON object per line with
// LOG_FORMAT=json. Log lines name ids (update, user, offer), never message texts, tokens or
// personal data.

#include <string>

namespace lastcall::app {

void setup_logging(const std::string& level, const std::string& format);

}  // namespace lastcall::app

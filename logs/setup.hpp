#pragma once
// Process-wide logging: human-readable lines by default, one JSON object per line with
// LOG_FORMAT=json, whose fields are the time, level, thread, the line's event (logs/event.hpp:
// actor, event, update_id, user) and the message.

#include <memory>
#include <string>

#include <spdlog/formatter.h>

namespace lastcall::logs {

void setup_logging(const std::string& level, const std::string& format);

// How a line is written in `format` ("text" or "json").
std::unique_ptr<spdlog::formatter> line_formatter(const std::string& format);

}  // namespace lastcall::logs

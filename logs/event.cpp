#include "logs/event.hpp"

namespace lastcall::logs::detail {

namespace {
// Set while a line is formatted: spdlog's synchronous logger formats on the calling thread, so
// the formatter (logs/setup.cpp) finds the line's event here.
thread_local const event* line_event = nullptr;
}  // namespace

void write(spdlog::level::level_enum level, const event& e, fmt::string_view format,
           fmt::format_args args) {
  struct current_line {
    explicit current_line(const event& e) { line_event = &e; }
    ~current_line() { line_event = nullptr; }
  };
  const auto message = fmt::vformat(format, args);
  current_line line(e);
  spdlog::default_logger_raw()->log(level, spdlog::string_view_t(message));
}

const event* current() {
  return line_event;
}

}  // namespace lastcall::logs::detail

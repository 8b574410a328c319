#pragma once
// Structured log lines. Each names what logs it (the actor or component), the kind of event, and
// where it applies the update and the user it is about; the message says the rest in words. With
// LOG_FORMAT=json these are fields of the line (logs/setup.hpp). A user appears only as a keyed
// reference (logs/user_reference.hpp), never by Telegram id, and no line carries message texts,
// phone numbers or secrets.
//
//   logs::warn(logs::event("session", "commit_retry").user(user_id).update(update_id),
//              "commit failed ({}); retrying in {} ms", reason, pause_ms);

#include <cstdint>
#include <string_view>

#include <fmt/format.h>
#include <spdlog/spdlog.h>

namespace lastcall::logs {

struct event {
  // Both are string literals: a line's fields point at them.
  event(const char* actor, const char* kind) : actor(actor), kind(kind) {}
  event& update(int64_t id) {
    update_id = id;
    return *this;
  }
  event& user(int64_t id) {
    user_id = id;
    return *this;
  }
  // A private chat's id is its user's, so it is written as the user's reference; a group's or a
  // channel's is public and written as it is.
  event& chat(int64_t id) {
    if (id > 0)
      user_id = id;
    else
      chat_id = id;
    return *this;
  }

  const char* actor;
  const char* kind;
  int64_t update_id = 0;  // 0: none
  int64_t user_id = 0;    // 0: none; written as its reference
  int64_t chat_id = 0;    // a group or channel; 0: none
};

namespace detail {
void write(spdlog::level::level_enum level, const event& e, fmt::string_view format,
           fmt::format_args args);
// The event of the line being formatted on this thread, if it has one.
const event* current();
}  // namespace detail

template <typename... Args>
void log(spdlog::level::level_enum level, const event& e, fmt::format_string<Args...> format,
         Args&&... args) {
  if (!spdlog::should_log(level)) return;
  detail::write(level, e, format, fmt::make_format_args(args...));
}

template <typename... Args>
void debug(const event& e, fmt::format_string<Args...> format, Args&&... args) {
  log(spdlog::level::debug, e, format, std::forward<Args>(args)...);
}
template <typename... Args>
void info(const event& e, fmt::format_string<Args...> format, Args&&... args) {
  log(spdlog::level::info, e, format, std::forward<Args>(args)...);
}
template <typename... Args>
void warn(const event& e, fmt::format_string<Args...> format, Args&&... args) {
  log(spdlog::level::warn, e, format, std::forward<Args>(args)...);
}
template <typename... Args>
void error(const event& e, fmt::format_string<Args...> format, Args&&... args) {
  log(spdlog::level::err, e, format, std::forward<Args>(args)...);
}

}  // namespace lastcall::logs

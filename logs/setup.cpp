#include "logs/setup.hpp"

#include <memory>

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include "logs/event.hpp"
#include "logs/user_reference.hpp"

namespace lastcall::logs {

namespace {

void append(spdlog::memory_buf_t& dest, std::string_view text) {
  dest.append(text.data(), text.data() + text.size());
}

// Writes the message as a JSON string, escaped, so any log line parses as JSON.
class json_message_flag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    append(dest, nlohmann::json(std::string(msg.payload.data(), msg.payload.size()))
                     .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<json_message_flag>();
  }
};

// The line's event as JSON fields, each after a comma. Actor and event names are identifiers
// written in the code, so they need no escaping.
class json_event_flag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const auto* e = detail::current();
    if (!e) return;
    append(dest, R"(,"actor":")");
    append(dest, e->actor);
    append(dest, R"(","event":")");
    append(dest, e->kind);
    append(dest, "\"");
    if (e->update_id != 0) {
      append(dest, R"(,"update_id":)");
      append(dest, std::to_string(e->update_id));
    }
    if (e->user_id != 0) {
      append(dest, R"(,"user":")");
      append(dest, user_reference(e->user_id));
      append(dest, "\"");
    }
    if (e->chat_id != 0) {
      append(dest, R"(,"chat":)");
      append(dest, std::to_string(e->chat_id));
    }
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<json_event_flag>();
  }
};

// The line's event for a reader: "[session commit_retry update=5 user=u3fa2…] ".
class text_event_flag : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    const auto* e = detail::current();
    if (!e) return;
    append(dest, "[");
    append(dest, e->actor);
    append(dest, " ");
    append(dest, e->kind);
    if (e->update_id != 0) {
      append(dest, " update=");
      append(dest, std::to_string(e->update_id));
    }
    if (e->user_id != 0) {
      append(dest, " user=");
      append(dest, user_reference(e->user_id));
    }
    if (e->chat_id != 0) {
      append(dest, " chat=");
      append(dest, std::to_string(e->chat_id));
    }
    append(dest, "] ");
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<text_event_flag>();
  }
};

}  // namespace

std::unique_ptr<spdlog::formatter> line_formatter(const std::string& format) {
  if (format == "json") {
    auto formatter = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
    formatter->add_flag<json_event_flag>('&').add_flag<json_message_flag>('*').set_pattern(
        R"({"time":"%Y-%m-%dT%H:%M:%S.%fZ","level":"%l","thread":%t%&,"msg":%*})");
    return formatter;
  }
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<text_event_flag>('&').set_pattern("%Y-%m-%d %H:%M:%S.%e %^%-5l%$ %&%v");
  return formatter;
}

void setup_logging(const std::string& level, const std::string& format) {
  auto logger = std::make_shared<spdlog::logger>("lastcall",
                                                 std::make_shared<spdlog::sinks::stderr_sink_mt>());
  logger->set_formatter(line_formatter(format));
  logger->set_level(spdlog::level::from_str(level));
  logger->flush_on(spdlog::level::info);
  spdlog::set_default_logger(logger);
}

}  // namespace lastcall::logs

#include "app/sandbox_command.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>

#include <pthread.h>
#include <spdlog/spdlog.h>

#include "app/logging.hpp"
#include "telegram/sandbox/request_params.hpp"
#include "telegram/sandbox/server.hpp"

namespace lastcall::app {

namespace {

struct sandbox_flags {
  std::string host = "127.0.0.1";
  int port = 8081;
  std::string token = "sandbox:local-development-token";
  sandbox::rate_limits limits;
  std::string log_level = "info";
};

int usage_error(const std::string& problem) {
  std::fprintf(stderr,
               "lastcall sandbox: %s\n"
               "usage: lastcall sandbox [--host H] [--port N] [--token T] [--chat-rate N] "
               "[--global-rate N] [--log-level L]\n",
               problem.c_str());
  return 2;
}

std::optional<int> non_negative(const std::string& text) {
  const auto value = sandbox::parse_integer(text);
  if (!value || *value < 0 || *value > 1'000'000) return std::nullopt;
  return static_cast<int>(*value);
}

std::string env_or(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

// Returns an error message, or "" when every flag was understood.
std::string parse_flags(const std::vector<std::string>& args, sandbox_flags& flags) {
  flags.token = env_or("BOT_TOKEN", flags.token);
  flags.log_level = env_or("LOG_LEVEL", flags.log_level);
  for (size_t i = 0; i < args.size(); ++i) {
    const auto& flag = args[i];
    if (i + 1 >= args.size()) return "flag " + flag + " needs a value";
    const auto& value = args[++i];
    if (flag == "--host") {
      flags.host = value;
    } else if (flag == "--port") {
      const auto port = non_negative(value);
      if (!port || *port > 65535) return "--port needs a port number";
      flags.port = *port;
    } else if (flag == "--token") {
      flags.token = value;
    } else if (flag == "--chat-rate" || flag == "--global-rate") {
      const auto rate = non_negative(value);
      if (!rate) return flag + " needs a number of calls per second";
      (flag == "--chat-rate" ? flags.limits.per_chat_per_second : flags.limits.global_per_second) =
          *rate;
    } else if (flag == "--log-level") {
      flags.log_level = value;
    } else {
      return "unknown flag " + flag;
    }
  }
  if (flags.token.empty()) return "the token must not be empty";
  return {};
}

}  // namespace

int run_sandbox_command(const std::vector<std::string>& args) {
  for (const auto& arg : args) {
    if (arg == "--help" || arg == "-h") {
      usage_error("serves the sandbox Bot API");
      return 0;
    }
  }
  sandbox_flags flags;
  const auto problem = parse_flags(args, flags);
  if (!problem.empty()) return usage_error(problem);
  setup_logging(flags.log_level, env_or("LOG_FORMAT", "text"));

  // Blocked before the server's threads start, so they inherit the mask and sigwait below is the
  // only place these signals arrive.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigset_t previous;
  pthread_sigmask(SIG_BLOCK, &signals, &previous);

  int exit_code = 0;
  try {
    sandbox::server_options options;
    options.token = flags.token;
    options.limits = flags.limits;
    sandbox::server server(options);
    const int port = server.start(flags.host, flags.port);
    spdlog::info(
        "sandbox Bot API listening on {}:{}: Bot API at /bot<token>/<method>, driver at /driver/",
        flags.host, port);
    int signal = 0;
    sigwait(&signals, &signal);
    spdlog::info("sandbox stopping on signal {}", signal);
    server.stop();
  } catch (const std::exception& e) {
    spdlog::error("sandbox failed: {}", e.what());
    exit_code = 1;
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return exit_code;
}

}  // namespace lastcall::app

#include "app/sandbox_command.hpp"

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <pthread.h>

#include "config/settings.hpp"
#include "domain/demo_data.hpp"
#include "logs/event.hpp"
#include "logs/setup.hpp"
#include "sandbox/request_params.hpp"
#include "sandbox/server.hpp"

namespace lastcall::app {

namespace {

struct sandbox_flags {
  std::string host = "127.0.0.1";
  int port = 8081;
  std::string token = "sandbox:local-development-token";
  sandbox::rate_limits limits;
  std::string log_level = "info";
  std::vector<sandbox::persona> extra_personas;
};

int usage_error(const std::string& problem) {
  std::fprintf(stderr,
               "lastcall sandbox: %s\n"
               "usage: lastcall sandbox [--host H] [--port N] [--token T] [--chat-rate N] "
               "[--global-rate N] [--log-level L] [--persona ID:NAME[:ROLE]]...\n",
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

// A made-up number per persona, so "share contact" sends something that looks like a phone.
std::string phone_for(int64_t user_id) {
  auto digits = std::to_string(user_id % 10'000'000);
  return "+99890" + std::string(7 - digits.size(), '0') + digits;
}

sandbox::persona make_persona(int64_t id, std::string name, std::string role) {
  sandbox::persona someone;
  someone.id = id;
  someone.first_name = std::move(name);
  someone.role = std::move(role);
  someone.phone = phone_for(id);
  return someone;
}

// "ID:NAME" or "ID:NAME:ROLE".
std::optional<sandbox::persona> parse_persona(const std::string& text) {
  const auto first = text.find(':');
  if (first == std::string::npos) return std::nullopt;
  const auto id = sandbox::parse_integer(text.substr(0, first));
  const auto second = text.find(':', first + 1);
  auto name =
      text.substr(first + 1, second == std::string::npos ? std::string::npos : second - first - 1);
  auto role = second == std::string::npos ? std::string("customer") : text.substr(second + 1);
  if (!id || *id <= 0 || name.empty() || role.empty()) return std::nullopt;
  return make_persona(*id, std::move(name), std::move(role));
}

// The people the chat page offers: two customers, the demo business's owner and an admin (the
// first of ADMIN_IDS, so the bot treats them as one; none without it), then any given with
// --persona.
std::vector<sandbox::persona> personas_for(const config::settings& settings,
                                           const std::vector<sandbox::persona>& extra) {
  std::vector<sandbox::persona> all = {
      make_persona(domain::demo_customer_id, "Ann", "customer"),
      make_persona(domain::demo_second_customer_id, "Bob", "customer"),
      make_persona(domain::demo_owner_id, "Olga", "business owner")};
  // Without ADMIN_IDS the bot has no admin, so the page offers none.
  if (!settings.admin_ids.empty())
    all.push_back(make_persona(settings.admin_ids.front(), "Adam", "admin"));
  for (const auto& someone : extra) {
    bool replaced = false;
    for (auto& known : all) {
      if (known.id == someone.id) {
        known = someone;
        replaced = true;
      }
    }
    if (!replaced) all.push_back(someone);
  }
  // A label never claims more than the bot grants: admins are the ids in ADMIN_IDS.
  for (auto& someone : all) {
    if (settings.is_admin(someone.id))
      someone.role = "admin";
    else if (someone.role == "admin")
      throw config::config_error("--persona " + std::to_string(someone.id) +
                                 ": an admin must be one of ADMIN_IDS");
  }
  return all;
}

sandbox::chat_page page_for(const config::settings& settings,
                            const std::vector<sandbox::persona>& extra) {
  sandbox::chat_page page;
  page.personas = personas_for(settings, extra);
  page.utc_offset_minutes = settings.utc_offset_minutes;
  page.admin_ids = settings.admin_ids;
  for (const auto& place : domain::demo_places({settings.city_latitude, settings.city_longitude})) {
    page.places.push_back({place.name, place.where.latitude, place.where.longitude});
  }
  return page;
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
    } else if (flag == "--persona") {
      auto someone = parse_persona(value);
      if (!someone) return "--persona needs ID:NAME or ID:NAME:ROLE";
      flags.extra_personas.push_back(std::move(*someone));
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
  logs::setup_logging(flags.log_level, env_or("LOG_FORMAT", "text"));

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
    // The bot's own settings say where the city is and who the admin is.
    const auto settings = config::load({}, config::environment());
    sandbox::server_options options;
    options.token = flags.token;
    options.limits = flags.limits;
    options.page = page_for(settings, flags.extra_personas);
    sandbox::server server(options);
    // The personas have started the bot before, so it can write to them first (a business hears
    // of a reservation before its owner ever opened the page).
    for (const auto& someone : options.page.personas) {
      server.state().open_chat_with(sandbox::profile_of(someone));
    }
    const int port = server.start(flags.host, flags.port);
    logs::info(
        logs::event("sandbox", "started"),
        "sandbox listening on {}:{}: chat page at /, Bot API at /bot<token>/<method>, driver at "
        "/driver/",
        flags.host, port);
    int signal = 0;
    sigwait(&signals, &signal);
    logs::info(logs::event("sandbox", "stopping"), "sandbox stopping on signal {}", signal);
    server.stop();
  } catch (const config::config_error& e) {
    logs::error(logs::event("sandbox", "failed"), "sandbox failed: {}", e.what());
    exit_code = 2;
  } catch (const std::exception& e) {
    logs::error(logs::event("sandbox", "failed"), "sandbox failed: {}", e.what());
    exit_code = 1;
  }
  pthread_sigmask(SIG_SETMASK, &previous, nullptr);
  return exit_code;
}

}  // namespace lastcall::app

#include "app/restore_command.hpp"

#include <cstdio>
#include <memory>

#include <spdlog/spdlog.h>
#include <pqxx/pqxx>

#include "app/snapshot_command.hpp"
#include "config/settings.hpp"
#include "logs/setup.hpp"
#include "persistence/database.hpp"
#include "persistence/failure.hpp"
#include "persistence/snapshot_file.hpp"
#include "persistence/snapshot_format.hpp"
#include "persistence/snapshot_restore.hpp"

namespace lastcall::app {

namespace {

int refuse(const std::string& message) {
  std::fprintf(stderr, "lastcall restore: %s; nothing was changed\n", message.c_str());
  return 2;
}

int usage_error(const std::string& message) {
  std::fprintf(stderr, "lastcall restore: %s\n", message.c_str());
  std::fprintf(stderr, "usage: lastcall restore FILE [--log-from DATABASE_URL]\n");
  return 2;
}

int restore(const config::settings& settings, const std::string& file,
            const std::optional<std::string>& log_from) {
  if (settings.database_url.empty()) return usage_error("setting DATABASE_URL: is required");
  if (log_from && log_from->empty()) return usage_error("--log-from needs a database URL");

  // The whole file is checked before the database is even opened.
  std::string text;
  try {
    text = persistence::read_whole_file(file);
  } catch (const std::exception& e) {
    return refuse(e.what());
  }
  const auto parsed = persistence::parse_snapshot(text);
  if (!parsed.ok()) return refuse(file + " is not a usable snapshot: " + parsed.error);
  const auto& s = *parsed.value;

  try {
    auto target = persistence::connect(settings.database_url);
    persistence::migrate(*target);
    std::unique_ptr<pqxx::connection> source;
    if (log_from) source = persistence::connect(*log_from);
    const auto report = persistence::restore_snapshot(*target, s, source.get());
    std::printf(
        "restored the snapshot at event %lld: %zu users, %zu businesses, %zu offers, %zu "
        "reservations, %zu unsent messages\n",
        static_cast<long long>(s.event_seq), report.users, report.businesses, report.offers,
        report.reservations, report.outbox);
    if (report.replayed.events > 0)
      std::printf("replayed %lld events after it, up to event %lld (%zu rows)\n",
                  static_cast<long long>(report.replayed.events),
                  static_cast<long long>(report.replayed.last_seq), report.replayed.rows);
    else
      std::printf("the log holds no events after it\n");
    return 0;
  } catch (const persistence::restore_refused& e) {
    return refuse(e.what());
  } catch (const persistence::image_error& e) {
    return refuse(std::string("the event log after the snapshot is unreadable: ") + e.what());
  } catch (const pqxx::broken_connection& e) {
    // Its message names the database by its redacted URL.
    std::fprintf(stderr, "lastcall restore: %s; nothing was changed\n", e.what());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lastcall restore: the database failed: %s; nothing was changed\n",
                 persistence::describe_failure(e).c_str());
    return 1;
  }
}

}  // namespace

int run_restore_command(const std::vector<std::string>& args) {
  config::settings settings;
  std::vector<std::string> rest;
  try {
    settings = config::load(args, config::environment(), &rest);
  } catch (const config::config_error& e) {
    return usage_error(e.what());
  }
  logs::setup_logging(settings.log_level, settings.log_format);
  const auto log_from = take_flag(rest, "--log-from");
  if (rest.empty()) return usage_error("name the snapshot FILE");
  for (size_t i = 0; i < rest.size(); ++i)
    if (i > 0 || rest[i].rfind("--", 0) == 0) return usage_error("unexpected argument " + rest[i]);
  return restore(settings, rest.front(), log_from);
}

std::optional<int> restore_before_serve(std::vector<std::string>& args) {
  const auto file = take_flag(args, "--from-snapshot");
  if (!file) return std::nullopt;
  if (file->empty()) return usage_error("--from-snapshot needs a FILE");
  const auto log_from = take_flag(args, "--log-from");
  config::settings settings;
  try {
    settings = config::load(args, config::environment());
  } catch (const config::config_error& e) {
    return usage_error(e.what());
  }
  return restore(settings, *file, log_from);
}

}  // namespace lastcall::app

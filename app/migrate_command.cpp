#include "app/migrate_command.hpp"

#include "config/settings.hpp"
#include "logs/event.hpp"
#include "logs/setup.hpp"
#include "persistence/database.hpp"

namespace lastcall::app {

int run_migrate_command(const std::vector<std::string>& args) {
  try {
    auto settings = config::load(args, config::environment());
    logs::setup_logging(settings.log_level, settings.log_format);
    if (settings.database_url.empty())
      throw config::config_error("setting DATABASE_URL: is required");
    auto connection = persistence::connect(settings.database_url);
    int applied = persistence::migrate(*connection);
    logs::info(logs::event("migrate", "current"),
               "database schema is current ({} migration(s) applied)", applied);
    return 0;
  } catch (const config::config_error& e) {
    std::fprintf(stderr, "lastcall: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    logs::error(logs::event("migrate", "failed"), "migration failed: {}", e.what());
    return 1;
  }
}

}  // namespace lastcall::app

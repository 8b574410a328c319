#include "app/demo_command.hpp"

#include <chrono>
#include <cstdio>
#include <string>

#include "config/settings.hpp"
#include "domain/demo_data.hpp"
#include "logs/event.hpp"
#include "logs/setup.hpp"
#include "persistence/database.hpp"
#include "persistence/loader.hpp"
#include "persistence/writer.hpp"

namespace lastcall::app {

namespace {

int64_t wall_clock() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int64_t parse_owner_id(const std::string& text) {
  int64_t id = 0;
  try {
    size_t used = 0;
    id = std::stoll(text, &used);
    if (used != text.size()) id = 0;
  } catch (const std::exception&) {
    id = 0;
  }
  if (id <= 0) throw config::config_error("demo-seed: --owner-id needs a user id");
  return id;
}

// Reads the flags config::load left over; throws config_error on anything else.
int64_t owner_id_from(const std::vector<std::string>& rest) {
  static const std::string flag = "--owner-id";
  int64_t owner_id = domain::demo_owner_id;
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == flag && i + 1 < rest.size()) {
      owner_id = parse_owner_id(rest[++i]);
    } else if (rest[i].rfind(flag + "=", 0) == 0) {
      owner_id = parse_owner_id(rest[i].substr(flag.size() + 1));
    } else {
      throw config::config_error("demo-seed: unknown argument " + rest[i] +
                                 " (flags: --owner-id N and the settings flags)");
    }
  }
  return owner_id;
}

}  // namespace

int run_demo_seed_command(const std::vector<std::string>& args) {
  try {
    std::vector<std::string> rest;
    const auto settings = config::load(args, config::environment(), &rest);
    logs::setup_logging(settings.log_level, settings.log_format);
    if (settings.database_url.empty())
      throw config::config_error("setting DATABASE_URL: is required");

    domain::demo_settings demo;
    demo.owner_id = owner_id_from(rest);
    demo.approved_by =
        settings.admin_ids.empty() ? domain::demo_default_admin_id : settings.admin_ids.front();
    demo.city = {settings.city_latitude, settings.city_longitude};
    demo.now = wall_clock();
    demo.utc_offset_minutes = settings.utc_offset_minutes;
    demo.currency = settings.currency;

    auto connection = persistence::connect(settings.database_url);
    persistence::migrate(*connection);
    // The demo only ever starts a market: data someone made is never mixed with it.
    if (persistence::load_state(*connection).max_business_id != 0) {
      logs::info(logs::event("demo", "already_seeded"),
                 "the database already has businesses; demo data not written");
      return 0;
    }
    const auto market = domain::make_demo_market(demo);
    persistence::unit_of_work unit;
    unit.businesses.push_back(market.shop);
    unit.offers = market.offers;
    std::vector<persistence::unit_of_work*> units = {&unit};
    persistence::write_batch(*connection, units, {});
    logs::info(logs::event("demo", "seeded"), "demo data written: business #{} with {} deals",
               market.shop.id, market.offers.size());
    return 0;
  } catch (const config::config_error& e) {
    std::fprintf(stderr, "lastcall: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    logs::error(logs::event("demo", "failed"), "demo-seed failed: {}", e.what());
    return 1;
  }
}

}  // namespace lastcall::app

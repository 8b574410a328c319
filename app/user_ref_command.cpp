#include "app/user_ref_command.hpp"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>

#include "config/settings.hpp"
#include "logs/user_reference.hpp"

namespace lastcall::app {

int run_user_ref_command(const std::vector<std::string>& args) {
  std::vector<std::string> ids;
  config::settings settings;
  try {
    settings = config::load(args, config::environment(), &ids);
  } catch (const config::config_error& e) {
    std::fprintf(stderr, "lastcall: %s\n", e.what());
    return 2;
  }
  if (ids.empty()) {
    std::fprintf(stderr, "usage: lastcall user-ref TELEGRAM_USER_ID...\n");
    return 2;
  }
  std::vector<int64_t> users;
  for (const auto& id : ids) {
    char* end = nullptr;
    errno = 0;
    const long long value = std::strtoll(id.c_str(), &end, 10);
    if (id.empty() || *end != '\0' || errno != 0 || value <= 0) {
      std::fprintf(stderr, "lastcall: '%s' is not a Telegram user id\n", id.c_str());
      return 2;
    }
    users.push_back(value);
  }
  try {
    logs::set_user_reference_key(
        logs::user_reference_key(settings.log_user_key, settings.data_dir));
  } catch (const std::exception& e) {
    std::fprintf(stderr, "lastcall: %s\n", e.what());
    return 1;
  }
  for (auto user : users)
    std::printf("%lld %s\n", static_cast<long long>(user), logs::user_reference(user).c_str());
  return 0;
}

}  // namespace lastcall::app

#include "config/settings.hpp"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

extern char** environ;

namespace lastcall::config {

namespace {

std::string trim(const std::string& s) {
  auto begin = s.find_first_not_of(" \t\r\n");
  if (begin == std::string::npos) return "";
  auto end = s.find_last_not_of(" \t\r\n");
  return s.substr(begin, end - begin + 1);
}

[[noreturn]] void fail(const std::string& key, const std::string& why) {
  throw config_error("setting " + key + ": " + why);
}

// KEY=VALUE lines; '#' starts a comment line; values may be wrapped in double quotes.
std::map<std::string, std::string> read_config_file(const std::string& path) {
  std::ifstream in(path);
  if (!in) fail("LASTCALL_CONFIG", "cannot read the file " + path);
  std::map<std::string, std::string> values;
  std::string line;
  int number = 0;
  while (std::getline(in, line)) {
    ++number;
    line = trim(line);
    if (line.empty() || line[0] == '#') continue;
    auto eq = line.find('=');
    if (eq == std::string::npos)
      fail("LASTCALL_CONFIG", path + " line " + std::to_string(number) + " is not KEY=VALUE");
    auto key = trim(line.substr(0, eq));
    auto value = trim(line.substr(eq + 1));
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    values[key] = value;
  }
  return values;
}

std::string read_secret_file(const std::string& key, const std::string& path) {
  std::ifstream in(path);
  if (!in) fail(key, "cannot read the file it names");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return trim(buffer.str());
}

// A short key would let someone who guesses it name every user in the logs.
std::string checked_log_user_key(const std::string& key, const std::string& value) {
  if (value.size() < 16) fail(key, "must be at least 16 characters");
  return value;
}

// "--bot-token" -> "BOT_TOKEN"
std::string flag_to_key(const std::string& flag) {
  std::string key = flag.substr(2);
  for (auto& c : key)
    c = c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return key;
}

long long parse_integer(const std::string& key, const std::string& text, long long min,
                        long long max) {
  if (text.empty()) fail(key, "is empty");
  char* end = nullptr;
  errno = 0;
  long long value = std::strtoll(text.c_str(), &end, 10);
  if (errno != 0 || *end != '\0') fail(key, "must be a whole number");
  if (value < min || value > max)
    fail(key, "must be between " + std::to_string(min) + " and " + std::to_string(max));
  return value;
}

double parse_double(const std::string& key, const std::string& text, double min, double max) {
  char* end = nullptr;
  errno = 0;
  double value = std::strtod(text.c_str(), &end);
  if (text.empty() || errno != 0 || *end != '\0') fail(key, "must be a number");
  if (value < min || value > max) fail(key, "is out of range");
  return value;
}

std::vector<int64_t> parse_id_list(const std::string& key, const std::string& text) {
  std::vector<int64_t> ids;
  std::stringstream in(text);
  std::string item;
  while (std::getline(in, item, ',')) {
    item = trim(item);
    if (item.empty()) continue;
    ids.push_back(parse_integer(key, item, 1, INT64_MAX));
  }
  return ids;
}

bool valid_url(const std::string& url) {
  return url.rfind("http://", 0) == 0 || url.rfind("https://", 0) == 0;
}

}  // namespace

bool settings::is_admin(int64_t user_id) const {
  return std::find(admin_ids.begin(), admin_ids.end(), user_id) != admin_ids.end();
}

bool parse_utc_offset(const std::string& input, int& minutes) {
  std::string text = trim(input);
  if (text.rfind("UTC", 0) == 0 || text.rfind("GMT", 0) == 0) text = text.substr(3);
  if (text.empty() || text == "Z") {
    minutes = 0;
    return true;
  }
  if (text[0] != '+' && text[0] != '-') return false;
  int sign = text[0] == '-' ? -1 : 1;
  text = text.substr(1);
  int hours = 0;
  int mins = 0;
  auto colon = text.find(':');
  auto all_digits = [](const std::string& s) {
    return !s.empty() && s.size() <= 2 &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
  };
  std::string h = colon == std::string::npos ? text : text.substr(0, colon);
  std::string m = colon == std::string::npos ? "0" : text.substr(colon + 1);
  if (!all_digits(h) || !all_digits(m)) return false;
  hours = std::stoi(h);
  mins = std::stoi(m);
  if (hours > 14 || mins > 59) return false;
  minutes = sign * (hours * 60 + mins);
  return true;
}

std::map<std::string, std::string> environment() {
  std::map<std::string, std::string> env;
  for (char** entry = environ; entry && *entry; ++entry) {
    std::string item(*entry);
    auto eq = item.find('=');
    if (eq != std::string::npos) env[item.substr(0, eq)] = item.substr(eq + 1);
  }
  return env;
}

namespace {

// The values of all layers (flags over the environment over the config file), and the flags and
// positional arguments as given, for the ones passed on to the subcommand.
struct layers {
  std::map<std::string, std::string> values;
  std::map<std::string, std::vector<std::string>> flag_tokens;
  std::vector<std::string> positional;
};

layers read_layers(const std::vector<std::string>& args,
                   const std::map<std::string, std::string>& env) {
  // Flags first, because --config names the file whose values the environment and flags override.
  std::map<std::string, std::string> flags;
  std::map<std::string, std::vector<std::string>> flag_tokens;  // as given, for flags we pass on
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    const auto& arg = args[i];
    if (arg.rfind("--", 0) != 0 || arg.size() < 3) {
      positional.push_back(arg);
      continue;
    }
    auto eq = arg.find('=');
    if (eq != std::string::npos) {
      auto key = flag_to_key(arg.substr(0, eq));
      flags[key] = arg.substr(eq + 1);
      flag_tokens[key] = {arg};
    } else if (i + 1 < args.size() && args[i + 1].rfind("--", 0) != 0) {
      auto key = flag_to_key(arg);
      flags[key] = args[i + 1];
      flag_tokens[key] = {arg, args[i + 1]};
      ++i;
    } else {
      auto key = flag_to_key(arg);
      flags[key] = "true";
      flag_tokens[key] = {arg};
    }
  }

  std::map<std::string, std::string> values;
  std::string config_path;
  if (auto it = env.find("LASTCALL_CONFIG"); it != env.end()) config_path = it->second;
  if (auto it = flags.find("CONFIG"); it != flags.end()) config_path = it->second;
  if (!config_path.empty()) values = read_config_file(config_path);
  for (const auto& [k, v] : env) values[k] = v;
  for (const auto& [k, v] : flags) values[k] = v;
  return {values, flag_tokens, positional};
}

// Every setting this module knows, and how it is read into `s`: the one list of keys, which
// known_keys() gives too.
using setter = std::function<void(const std::string& key, const std::string& value)>;
std::map<std::string, setter> setters(settings& s) {
  return {
      {"BOT_TOKEN", [&](auto&, auto& v) { s.bot_token = v; }},
      {"BOT_TOKEN_FILE", [&](auto& k, auto& v) { s.bot_token = read_secret_file(k, v); }},
      {"TELEGRAM_API_URL",
       [&](auto& k, auto& v) {
         if (!valid_url(v)) fail(k, "must start with http:// or https://");
         s.telegram_api_url = v;
       }},
      {"BOT_API_PIPELINE_DEPTH",
       [&](auto& k, auto& v) { s.bot_api_pipeline_depth = parse_integer(k, v, 1, 16); }},
      {"POLL_TIMEOUT_SECONDS",
       [&](auto& k, auto& v) { s.poll_timeout_seconds = parse_integer(k, v, 0, 50); }},
      {"WEBHOOK_URL",
       [&](auto& k, auto& v) {
         if (!v.empty() && !valid_url(v)) fail(k, "must start with http:// or https://");
         s.webhook_url = v;
       }},
      {"WEBHOOK",
       [&](auto& k, auto& v) {
         if (!v.empty() && !valid_url(v)) fail(k, "must start with http:// or https://");
         s.webhook_url = v;
       }},
      {"WEBHOOK_SECRET",
       [&](auto& k, auto& v) {
         // Telegram's rule for secret_token: 1-256 of A-Z, a-z, 0-9, _ and -.
         const bool allowed =
             v.size() <= 256 && std::all_of(v.begin(), v.end(), [](unsigned char c) {
               return std::isalnum(c) || c == '_' || c == '-';
             });
         if (!allowed) fail(k, "may hold only letters, digits, _ and - (at most 256)");
         s.webhook_secret = v;
       }},
      {"DATABASE_URL", [&](auto&, auto& v) { s.database_url = v; }},
      {"DATABASE_URL_FILE", [&](auto& k, auto& v) { s.database_url = read_secret_file(k, v); }},
      {"ADMIN_IDS", [&](auto& k, auto& v) { s.admin_ids = parse_id_list(k, v); }},
      {"BOT_NAME",
       [&](auto& k, auto& v) {
         if (trim(v).empty()) fail(k, "must not be empty");
         if (v.size() > 64) fail(k, "must be at most 64 characters");
         s.bot_name = v;
       }},
      {"CURRENCY",
       [&](auto& k, auto& v) {
         if (v.size() != 3 ||
             !std::all_of(v.begin(), v.end(), [](unsigned char c) { return std::isupper(c); }))
           fail(k, "must be a three-letter ISO 4217 code such as UZS");
         s.currency = v;
       }},
      {"TIME_ZONE",
       [&](auto& k, auto& v) {
         if (!parse_utc_offset(v, s.utc_offset_minutes))
           fail(k, "must be a UTC offset such as +05:00");
       }},
      {"CITY_LATITUDE", [&](auto& k, auto& v) { s.city_latitude = parse_double(k, v, -90, 90); }},
      {"CITY_LONGITUDE",
       [&](auto& k, auto& v) { s.city_longitude = parse_double(k, v, -180, 180); }},
      {"NEARBY_RADIUS_METERS",
       [&](auto& k, auto& v) { s.nearby_radius_meters = parse_integer(k, v, 100, 200000); }},
      {"MAX_ITEMS_PER_CUSTOMER",
       [&](auto& k, auto& v) { s.max_items_per_customer = parse_integer(k, v, 1, 10000); }},
      {"CANCEL_CUTOFF_MINUTES",
       [&](auto& k, auto& v) { s.cancel_cutoff_minutes = parse_integer(k, v, 0, 24 * 60); }},
      {"REMINDER_MINUTES",
       [&](auto& k, auto& v) { s.reminder_minutes = parse_integer(k, v, 0, 24 * 60); }},
      {"OWNER_NOTIFY_INTERVAL_SECONDS",
       [&](auto& k, auto& v) { s.owner_notify_interval_seconds = parse_integer(k, v, 0, 3600); }},
      {"PAGE_SIZE", [&](auto& k, auto& v) { s.page_size = parse_integer(k, v, 1, 10); }},
      {"LEASE_SECONDS",
       [&](auto& k, auto& v) {
         s.lease_milliseconds = static_cast<int>(parse_double(k, v, 0.5, 120) * 1000);
       }},
      {"NODE_NAME",
       [&](auto& k, auto& v) {
         if (v.find('/') != std::string::npos) fail(k, "must not contain '/'");
         s.node_name = v;
       }},
      {"NOT_CONFIRMED_NOTICE_SECONDS",
       [&](auto& k, auto& v) { s.not_confirmed_notice_seconds = parse_integer(k, v, 1, 3600); }},
      {"SESSION_IDLE_SECONDS",
       [&](auto& k, auto& v) { s.session_idle_seconds = parse_integer(k, v, 0, 7 * 24 * 3600); }},
      {"HTTP_HOST", [&](auto&, auto& v) { s.http_host = v; }},
      {"HTTP_PORT", [&](auto& k, auto& v) { s.http_port = parse_integer(k, v, 0, 65535); }},
      {"ADMIN_TOKEN", [&](auto&, auto& v) { s.admin_token = v; }},
      {"ADMIN_TOKEN_FILE", [&](auto& k, auto& v) { s.admin_token = read_secret_file(k, v); }},
      {"DATA_DIR",
       [&](auto& k, auto& v) {
         if (v.empty()) fail(k, "is empty");
         s.data_dir = v;
       }},
      {"SNAPSHOT_DIR",
       [&](auto& k, auto& v) {
         if (v.empty()) fail(k, "is empty");
         s.snapshot_dir = v;
       }},
      {"LOG_LEVEL",
       [&](auto& k, auto& v) {
         static const std::vector<std::string> levels{"trace", "debug", "info",
                                                      "warn",  "error", "off"};
         if (std::find(levels.begin(), levels.end(), v) == levels.end())
           fail(k, "must be one of trace, debug, info, warn, error, off");
         s.log_level = v;
       }},
      {"LOG_FORMAT",
       [&](auto& k, auto& v) {
         if (v != "text" && v != "json") fail(k, "must be text or json");
         s.log_format = v;
       }},
      {"LOG_USER_KEY", [&](auto& k, auto& v) { s.log_user_key = checked_log_user_key(k, v); }},
      {"LOG_USER_KEY_FILE",
       [&](auto& k, auto& v) { s.log_user_key = checked_log_user_key(k, read_secret_file(k, v)); }},
      {"WORKER_THREADS", [&](auto& k, auto& v) { s.worker_threads = parse_integer(k, v, 0, 256); }},
      {"SCHEDULER_POLICY",
       [&](auto& k, auto& v) {
         if (v != "sharing" && v != "stealing") fail(k, "must be sharing or stealing");
         s.scheduler_policy = v;
       }},
      {"PERSISTENCE_BATCH_MAX",
       [&](auto& k, auto& v) { s.persistence_batch_max = parse_integer(k, v, 1, 100000); }},
      {"OUTBOUND_GLOBAL_PER_SECOND",
       [&](auto& k, auto& v) { s.outbound_global_per_second = parse_integer(k, v, 0, 100000); }},
      {"OUTBOUND_CHAT_PER_SECOND",
       [&](auto& k, auto& v) { s.outbound_chat_per_second = parse_integer(k, v, 0, 1000); }},
      {"OUTBOUND_CHAT_BURST",
       [&](auto& k, auto& v) { s.outbound_chat_burst = parse_integer(k, v, 1, 1000); }},
      {"OUTBOUND_GROUP_PER_MINUTE",
       [&](auto& k, auto& v) { s.outbound_group_per_minute = parse_integer(k, v, 0, 100000); }},
      {"OUTBOUND_MAX_QUEUED",
       [&](auto& k, auto& v) { s.outbound_max_queued = parse_integer(k, v, 100, 10000000); }},
      {"FLOOD_UPDATES_PER_SECOND",
       [&](auto& k, auto& v) { s.flood_updates_per_second = parse_integer(k, v, 0, 10000); }},
      {"FLOOD_BURST", [&](auto& k, auto& v) { s.flood_burst = parse_integer(k, v, 1, 100000); }},
      {"FLOOD_NOTICE_SECONDS",
       [&](auto& k, auto& v) { s.flood_notice_seconds = parse_integer(k, v, 1, 86400); }},
      {"OUTBOUND_CHAT_MAX_QUEUED",
       [&](auto& k, auto& v) { s.outbound_chat_max_queued = parse_integer(k, v, 1, 100000); }},
      {"OUTBOUND_MAX_ATTEMPTS",
       [&](auto& k, auto& v) { s.outbound_max_attempts = parse_integer(k, v, 1, 100); }},
  };
}

}  // namespace

std::vector<std::string> known_keys() {
  settings unused;
  std::vector<std::string> keys;
  for (const auto& [key, read] : setters(unused)) keys.push_back(key);
  return keys;
}

settings load(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
              std::vector<std::string>* rest) {
  const auto [values, flag_tokens, positional] = read_layers(args, env);
  settings s;
  const auto known = setters(s);
  for (const auto& [key, value] : values) {
    auto it = known.find(key);
    if (it != known.end()) it->second(key, value);
  }
  if (rest) {
    // Flags this module does not know belong to the subcommand itself.
    *rest = positional;
    for (const auto& [key, tokens] : flag_tokens)
      if (!known.count(key) && key != "CONFIG")
        rest->insert(rest->end(), tokens.begin(), tokens.end());
  }
  return s;
}

}  // namespace lastcall::config

#pragma once
// Settings from, in increasing precedence: built-in defaults, a config file (KEY=VALUE lines),
// environment variables, command-line flags (--bot-token, --database-url, ...: the key in lower
// case with dashes).

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace lastcall::config {

// A missing or malformed setting. what() is one line naming the setting and never contains its
// value.
class config_error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct settings {
  // Telegram
  std::string bot_token;  // secret: never logged
  std::string telegram_api_url = "https://api.telegram.org";
  // Bot API calls on the wire at once on one connection (HTTP/1.1 pipelining); 1: none.
  int bot_api_pipeline_depth = 1;
  int poll_timeout_seconds = 25;
  std::string webhook_url;     // empty: long polling
  std::string webhook_secret;  // secret: never logged

  // Storage
  std::string database_url;  // secret (may hold a password): never logged

  // People
  std::vector<int64_t> admin_ids;

  // Market rules
  // What the bot calls itself in texts: a city's market has its own.
  std::string bot_name = "lastcall";
  std::string currency = "UZS";
  int utc_offset_minutes = 5 * 60;  // the businesses' time zone, e.g. +05:00 for Tashkent
  double city_latitude = 41.3111;  // where "nearby" and demo data centre when nothing else is known
  double city_longitude = 69.2797;
  int nearby_radius_meters = 5000;
  int max_items_per_customer = 5;
  int cancel_cutoff_minutes = 30;  // before the pickup window starts
  int reminder_minutes = 30;       // before the pickup window ends
  int owner_notify_interval_seconds =
      60;  // at most one "new reservations" message per offer per interval
  int page_size = 5;
  // Inbound flood control (domain/flood_gate.hpp): updates a user may have handled per second on
  // average and at once; beyond it they are acknowledged unhandled and the user is told to slow
  // down at most once per FLOOD_NOTICE_SECONDS. A rate of 0 switches it off.
  int flood_updates_per_second = 5;
  int flood_burst = 10;
  int flood_notice_seconds = 60;
  // An update whose commit has not come this long after it reached its session is not ordinary
  // group-commit latency: the user is told that their request is not confirmed yet rather than
  // left wondering.
  int not_confirmed_notice_seconds = 3;
  // The market's lease (app/market_ownership.hpp): a standby takes over this long after the
  // owner's last renewal. Milliseconds, so tests may use a short one.
  int lease_milliseconds = 5000;
  std::string node_name;  // unique per machine; empty: the host name
  int session_idle_seconds =
      600;  // an idle session actor stops after this and reloads on demand; 0: never

  // Operations
  std::string http_host = "127.0.0.1";
  int http_port = 0;  // 0: no HTTP listener
  // Bearer token of the admin endpoints (POST /admin/snapshot); empty: they are switched off.
  std::string admin_token;  // secret: never logged
  // The server's own files: the intake spool (written while the database is unreachable) and,
  // unless SNAPSHOT_DIR says otherwise, snapshots. Relative to the working folder.
  std::string data_dir = ".data";
  // Where /snapshot in chat writes snapshot files; empty: snapshot_folder() below.
  std::string snapshot_dir;
  // Snapshots hold every user's data: by default they stay in the data folder, never in a
  // checkout that git might pick them up from.
  std::string snapshot_folder() const {
    return snapshot_dir.empty() ? data_dir + "/snapshots" : snapshot_dir;
  }
  std::string log_level = "info";
  std::string log_format = "text";  // "text" or "json"
  // The key under which logs name users (logs/user_reference.hpp); empty: one kept in DATA_DIR.
  std::string log_user_key;  // secret: never logged
  int worker_threads = 0;    // 0: one per core
  // CAF's scheduler: "sharing" (one queue for all workers) or "stealing" (CAF's default, a queue
  // per worker). Stealing takes a job from the far end of another worker's queue by walking the
  // whole queue, so an actor that wakes 100,000 others at once (passivation, shutdown, a
  // notification to many) made it quadratic; sharing was also faster for a hot offer
  // (BENCHMARKS.md).
  std::string scheduler_policy = "sharing";
  int persistence_batch_max = 1000;  // units per group commit at most

  // Outbound Bot API calls (see telegram/outbound_queue.hpp); a rate of 0 switches that limit off.
  // Telegram allows about 30 messages a second overall, 20 a minute in a group and about one a
  // second in a private chat, tolerating short bursts there: a reply to a user is often two or
  // three messages at once (an answer and a menu), which a burst of 3 sends without delay, while
  // over any 3 seconds a chat still gets no more than 3.
  int outbound_global_per_second = 30;
  int outbound_chat_per_second = 1;
  int outbound_chat_burst = 3;
  int outbound_group_per_minute = 20;
  // Calls waiting at most; beyond it the oldest bulk notification is dropped (counted). About 11
  // minutes of sending at the global limit: older notifications are of little use.
  int outbound_max_queued = 20000;
  // Calls waiting for one chat at most (about half a minute of that chat's sending): beyond it the
  // chat's oldest call that confirms nothing is dropped, so one user's backlog never takes room
  // from others.
  int outbound_chat_max_queued = 30;
  int outbound_max_attempts = 6;  // for 5xx and transport errors, then the call is given up

  bool is_admin(int64_t user_id) const;
};

// Builds settings from a config file (LASTCALL_CONFIG or --config), the environment and flags.
// `args` are the flags after the subcommand; the ones not recognised are returned in `rest`.
// BOT_TOKEN_FILE / DATABASE_URL_FILE name files to read a secret from.
settings load(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
              std::vector<std::string>* rest = nullptr);

// The key of every setting load() reads (BOT_TOKEN, BOT_TOKEN_FILE, ...), sorted: what a settings
// file may name.
std::vector<std::string> known_keys();

// The process environment as a map.
std::map<std::string, std::string> environment();

// Parses "+05:00", "-03:30", "UTC+5" into minutes east of UTC.
bool parse_utc_offset(const std::string& text, int& minutes);

}  // namespace lastcall::config

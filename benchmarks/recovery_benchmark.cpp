// Recovery: the time from `lastcall serve` starting to serving, with a large market in the
// database. Fills a throwaway database through COPY (verified businesses, live offers, their
// reservations, the customers, a few users with a form left halfway), then starts the real bot
// against the in-process sandbox Bot API several times and measures each start.
//
//   build/benchmarks/recovery_benchmark [--offers N] [--reservations N] [--runs N]
//                                       [--lastcall PATH] [--logs DIR]
//                                       [--keep | --database-url URL]
//
// "Serving" means: the bot has answered a customer's /browse that was waiting before it started.
// Browsing asks the market, which handles it only after it has spawned every offer actor, so by
// then the whole market is live. Also reported: when the log says the state was loaded, and when
// the market says it started its offers (polled from the log every few milliseconds). The database
// is created through PG_ADMIN_URL (as scripts/test exports it) and dropped at the end unless
// --keep; --database-url starts the bot on a database kept that way, as it is. Exit code 0 when
// every start served and recovered exactly what was generated.

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <fstream>
#include <optional>
#include <regex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <pqxx/pqxx>

#include "benchmarks/bot_process.hpp"
#include "benchmarks/command_line.hpp"
#include "benchmarks/database_row.hpp"
#include "benchmarks/entity_copy.hpp"
#include "benchmarks/median.hpp"
#include "benchmarks/sample_market.hpp"
#include "benchmarks/throwaway_database.hpp"
#include "domain/session_state.hpp"
#include "persistence/database.hpp"
#include "persistence/entity_fields.hpp"
#include "persistence/loader.hpp"
#include "sandbox/server.hpp"

using namespace lastcall;

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
  int64_t offers = 100'000;
  int64_t reservations = 1'000'000;
  int runs = 3;
  int drafts = 1000;  // users whose session holds a half-filled form: restored at start-up
  std::string lastcall = benchmarks::lastcall_binary(LASTCALL_BINARY_PATH);
  bool keep = false;
  std::string database_url;  // a database filled by an earlier run (--keep): used as it is
  std::string logs;          // where to keep the bot's logs; empty: deleted after each start
};

benchmarks::flag_table flags_of(options& o) {
  return benchmarks::flag_table("recovery_benchmark")
      .number("--offers", o.offers)
      .number("--reservations", o.reservations, 0)
      .number("--drafts", o.drafts, 0)
      .number("--runs", o.runs)
      .text("--lastcall", o.lastcall, "PATH")
      .text("--logs", o.logs, "DIR")
      .toggle("--keep", o.keep)
      .text("--database-url", o.database_url, "URL")
      .note("(or LASTCALL_BINARY)");
}

int64_t wall_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

// What the generator wrote: the bot must load exactly this.
struct generated {
  int64_t businesses = 0, offers = 0, reservations = 0, sessions = 0;
};

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

// Text that COPY and the loader must carry unchanged: quotes, backslashes, a tab, a newline, SQL
// and non-Latin letters. Every thousandth business, offer and draft holds some.
const std::string awkward_text =
    "O'Reilly's \"best\" \\ back\\\\slash \\N \t tab\nline; DROP TABLE offers; -- ёжик 🍰 日本語";

bool awkward(int64_t id) {
  return id % 1000 == 1;
}

// The generated market, row by row, so that it can be both written and checked after loading.
class market_plan {
 public:
  market_plan(const options& o, int64_t now) : o_(o), now_(now) {}

  int64_t now() const { return now_; }
  int64_t businesses() const { return (o_.offers + per_business - 1) / per_business; }
  int64_t offers() const { return o_.offers; }
  int64_t reservations() const { return o_.reservations; }
  int64_t drafts() const { return o_.drafts; }

  domain::business business(int64_t id) const {
    auto b = benchmarks::sample_business(id, now_);
    if (awkward(id)) b.name += awkward_text;
    return b;
  }

  // With the counters its reservations give it.
  domain::offer offer(int64_t id) const {
    auto count = reservations_of(id);
    auto o = benchmarks::sample_offer(id, (id - 1) / per_business + 1, now_,
                                      static_cast<int32_t>(std::max<int64_t>(20, count)));
    if (awkward(id)) o.description = awkward_text;
    for (int64_t k = 0; k < count; ++k) {
      if (status_of(k) == domain::reservation_status::active) o.quantity_reserved += 1;
      if (status_of(k) == domain::reservation_status::collected) o.quantity_collected += 1;
    }
    return o;
  }

  // Spread evenly over the offers; the first ones take the remainder.
  int64_t reservations_of(int64_t offer_id) const {
    return o_.reservations / o_.offers + (offer_id <= o_.reservations % o_.offers ? 1 : 0);
  }

  // The k-th reservation of an offer (ids run on from one offer to the next).
  domain::reservation reservation(const domain::offer& offer, int64_t k) const {
    auto before = (offer.id - 1) * (o_.reservations / o_.offers) +
                  std::min(offer.id - 1, o_.reservations % o_.offers);
    auto id = before + k + 1;
    return benchmarks::sample_reservation(id, offer, customer_of(id), status_of(k), now_);
  }

  // Customers are shared by several reservations, like real ones.
  static int64_t customer_of(int64_t reservation_id) { return 100'000'000 + reservation_id / 5; }

  domain::user_record customer(int64_t id) const {
    domain::user_record u;
    u.id = id;
    u.lang = domain::language::ru;
    u.language_chosen = true;
    u.version = 2;
    u.created_at = now_ - 86400;
    return u;
  }

  // An owner who left the registration form halfway: restored at start-up.
  domain::user_record draft_user(int64_t k) const {
    domain::session_state s;
    s.lang = domain::language::uz;
    s.language_chosen = true;
    s.flow = "register";
    s.step = "address";
    s.draft("register") = {
        {"name", "Choyxona " + std::to_string(k) + (awkward(k) ? awkward_text : "")}};
    domain::user_record u;
    u.id = 900'000'000 + k;
    u.lang = s.lang;
    u.language_chosen = true;
    u.session = domain::to_json(s);
    u.version = 3;
    u.created_at = now_ - 86400;
    return u;
  }

 private:
  static constexpr int64_t per_business = 10;

  // One in ten collected, two cancelled, the rest still to be picked up.
  static domain::reservation_status status_of(int64_t k) {
    if (k % 10 == 0) return domain::reservation_status::collected;
    if (k % 10 <= 2) return domain::reservation_status::cancelled;
    return domain::reservation_status::active;
  }

  options o_;
  int64_t now_;
};

// Fills the database through COPY, in one transaction, then VACUUM ANALYZE as autovacuum would
// have done to a database that has been live for a while.
generated fill(const std::string& url, const market_plan& plan) {
  auto started = clock_type::now();
  auto connection = persistence::connect(url);
  {
    pqxx::work txn(*connection, "fill");
    // COPY takes one table at a time.
    benchmarks::entity_copy<domain::business> businesses(txn);
    for (int64_t id = 1; id <= plan.businesses(); ++id) businesses.write(plan.business(id));
    businesses.complete();
    benchmarks::entity_copy<domain::offer> offers(txn);
    for (int64_t id = 1; id <= plan.offers(); ++id) offers.write(plan.offer(id));
    offers.complete();
    benchmarks::entity_copy<domain::reservation> reservations(txn);
    for (int64_t id = 1; id <= plan.offers(); ++id) {
      const auto offer = plan.offer(id);
      for (int64_t k = 0; k < plan.reservations_of(id); ++k)
        reservations.write(plan.reservation(offer, k));
    }
    reservations.complete();
    // Every customer (no session kept), then the owners with a form left halfway.
    benchmarks::entity_copy<domain::user_record> users(txn);
    for (int64_t id = market_plan::customer_of(1);
         id <= market_plan::customer_of(plan.reservations()); ++id)
      users.write(plan.customer(id));
    for (int64_t k = 1; k <= plan.drafts(); ++k) users.write(plan.draft_user(k));
    users.complete();
    txn.commit();
  }
  pqxx::nontransaction maintenance(*connection, "vacuum");
  maintenance.exec0("VACUUM ANALYZE");
  generated g{plan.businesses(), plan.offers(), plan.reservations(), plan.drafts()};
  std::printf(
      "generated %lld businesses, %lld offers, %lld reservations, %lld draft sessions in %.1f s\n",
      static_cast<long long>(g.businesses), static_cast<long long>(g.offers),
      static_cast<long long>(g.reservations), static_cast<long long>(g.sessions),
      seconds_since(started));
  std::fflush(stdout);
  return g;
}

template <class Entity>
void sort_by_id(std::vector<Entity>& entities) {
  std::sort(entities.begin(), entities.end(),
            [](const Entity& a, const Entity& b) { return a.id < b.id; });
}

// Loads the state in this process, as the bot does, and checks it is exactly the plan. Returns how
// many rows differ (0 when right) and reports the time load_state took.
int64_t check_loader(const std::string& url, const market_plan& plan) {
  auto connection = persistence::connect(url);
  auto started = clock_type::now();
  auto state = persistence::load_state(*connection);
  std::printf("load_state in this process: %.2f s\n", seconds_since(started));
  int64_t wrong = 0;
  sort_by_id(state.businesses);
  sort_by_id(state.offers);
  sort_by_id(state.reservations);
  sort_by_id(state.users_with_session);
  if (static_cast<int64_t>(state.businesses.size()) != plan.businesses() ||
      static_cast<int64_t>(state.offers.size()) != plan.offers() ||
      static_cast<int64_t>(state.reservations.size()) != plan.reservations() ||
      static_cast<int64_t>(state.users_with_session.size()) != plan.drafts()) {
    std::fprintf(stderr, "load_state: wrong counts\n");
    return 1;
  }
  for (const auto& b : state.businesses) wrong += !persistence::same_fields(b, plan.business(b.id));
  size_t next_reservation = 0;
  for (const auto& o : state.offers) {
    const auto e = plan.offer(o.id);
    wrong += !persistence::same_fields(o, e);
    for (int64_t k = 0; k < plan.reservations_of(o.id); ++k)
      wrong +=
          !persistence::same_fields(state.reservations[next_reservation++], plan.reservation(e, k));
  }
  for (const auto& u : state.users_with_session)
    wrong += !persistence::same_fields(u, plan.draft_user(u.id - 900'000'000));
  if (wrong != 0)
    std::fprintf(stderr, "load_state: %lld rows differ from what was written\n",
                 static_cast<long long>(wrong));
  return wrong;
}

// What a database filled earlier holds, counted as the bot's loader selects it.
generated count(const std::string& url) {
  auto row = benchmarks::select_row(
      url,
      "SELECT (SELECT count(*) FROM businesses),"
      "(SELECT count(*) FROM offers WHERE state NOT IN ('expired','ended')),"
      "(SELECT count(*) FROM reservations WHERE offer_id IN "
      "(SELECT id FROM offers WHERE state NOT IN ('expired','ended'))),"
      "(SELECT count(*) FROM users WHERE session IS NOT NULL AND session NOT IN "
      "('null'::jsonb,'{}'::jsonb,'[]'::jsonb))");
  generated g;
  g.businesses = row[0].as<int64_t>();
  g.offers = row[1].as<int64_t>();
  g.reservations = row[2].as<int64_t>();
  g.sessions = row[3].as<int64_t>();
  return g;
}

int64_t next_update_id(const std::string& url) {
  return benchmarks::select_row(
             url,
             "SELECT greatest((SELECT coalesce(max(value::bigint),0) FROM bot_state WHERE "
             "key='update_offset'),(SELECT coalesce(max(update_id),0) FROM processed_updates))")[0]
             .as<int64_t>() +
         1;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// One start of the bot, what it loaded and when it got there (seconds from the start).
struct start_result {
  bool served = false;
  double loaded = -1, market = -1, serving = -1;
  int64_t loaded_businesses = -1, loaded_offers = -1, loaded_reservations = -1,
          loaded_sessions = -1, live_offers = -1;
  double stopped_in = -1;
  int exit_code = -1;
};

start_result run_once(const options& o, const std::string& database_url, int run) {
  start_result result;
  sandbox::server_options sandbox_options;
  sandbox_options.token = "123456:recovery-benchmark";
  // Above every update id an earlier start stored as done: the bot would skip them.
  sandbox_options.first_update_id = next_update_id(database_url);
  sandbox::server sandbox(sandbox_options);
  sandbox.start("127.0.0.1", 0);
  sandbox::user_profile customer{777'000'000 + run, "Dilnoza", "ru", ""};
  sandbox.state().send_text(customer, "/browse");

  auto log_path = (o.logs.empty() ? std::string("/tmp") : o.logs) + "/recovery_benchmark_" +
                  std::to_string(::getpid()) + "_" + std::to_string(run) + ".log";
  const std::regex loaded_line(
      R"(loaded (\d+) businesses, (\d+) offers, (\d+) reservations, (\d+) sessions)");
  const std::regex market_line(R"(market: (\d+) businesses, (\d+) live offers)");

  auto started = clock_type::now();
  pid_t pid = benchmarks::start_bot(
      o.lastcall,
      {"BOT_TOKEN=" + sandbox_options.token, "TELEGRAM_API_URL=" + sandbox.base_url(),
       "DATABASE_URL=" + database_url, "LOG_LEVEL=info", "LOG_FORMAT=text"},
      log_path);
  if (pid < 0) {
    std::fprintf(stderr, "cannot start %s\n", o.lastcall.c_str());
    return result;
  }
  auto deadline = started + std::chrono::minutes(5);
  std::smatch m;
  while (clock_type::now() < deadline) {
    if (result.loaded < 0 || result.market < 0) {
      auto log = read_file(log_path);
      if (result.loaded < 0 && std::regex_search(log, m, loaded_line)) {
        result.loaded = seconds_since(started);
        result.loaded_businesses = std::stoll(m[1]);
        result.loaded_offers = std::stoll(m[2]);
        result.loaded_reservations = std::stoll(m[3]);
        result.loaded_sessions = std::stoll(m[4]);
      }
      if (result.market < 0 && std::regex_search(log, m, market_line)) {
        result.market = seconds_since(started);
        result.live_offers = std::stoll(m[2]);
      }
    }
    if (sandbox.state().wait_for_bot_message(customer.id, 0, std::chrono::milliseconds(5))) {
      result.serving = seconds_since(started);
      result.served = true;
      break;
    }
    int status = 0;
    if (waitpid(pid, &status, WNOHANG) == pid) {
      std::fprintf(stderr, "the bot stopped before serving; its log: %s\n", log_path.c_str());
      sandbox.stop();
      return result;
    }
  }
  // The market's line may come after the answer's arrival is seen only in a very tight race.
  if (result.market < 0 || result.loaded < 0) {
    auto log = read_file(log_path);
    if (std::regex_search(log, m, market_line)) result.live_offers = std::stoll(m[2]);
  }
  auto stopping = clock_type::now();
  result.exit_code = benchmarks::stop_bot(pid);
  result.stopped_in = seconds_since(stopping);
  sandbox.stop();
  if (o.logs.empty()) std::remove(log_path.c_str());
  // The customer's session was stored: forget it, so every start loads the same market.
  auto connection = persistence::connect(database_url);
  pqxx::work txn(*connection, "forget_customer");
  txn.exec0("DELETE FROM users WHERE id = " + std::to_string(customer.id));
  txn.commit();
  return result;
}

}  // namespace

int main(int argc, char** argv) {
  const auto o = benchmarks::options_or_exit<options>(argc, argv, flags_of);
  spdlog::set_level(spdlog::level::warn);  // the migrations' log lines are not results
  const char* admin = benchmarks::admin_url();
  if (o.database_url.empty() && admin == nullptr) return benchmarks::no_admin_url();
  try {
    std::optional<benchmarks::throwaway_database> database;
    std::string url = o.database_url;
    generated g;
    int failures = 0;
    if (url.empty()) {
      database.emplace(admin, "lastcall_recovery_", o.keep);
      url = database->url();
      {
        auto connection = persistence::connect(url);
        persistence::migrate(*connection);
      }
      market_plan plan(o, wall_now());
      g = fill(url, plan);
      if (check_loader(url, plan) != 0) ++failures;
    } else {
      g = count(url);
    }

    std::vector<double> loaded, market, serving;
    std::printf("%-4s %10s %12s %12s %10s\n", "run", "loaded s", "offers up s", "serving s",
                "stop s");
    for (int run = 1; run <= o.runs; ++run) {
      auto r = run_once(o, url, run);
      std::printf("%-4d %10.2f %12.2f %12.2f %10.2f\n", run, r.loaded, r.market, r.serving,
                  r.stopped_in);
      std::fflush(stdout);
      bool right = r.served && r.loaded_businesses == g.businesses && r.loaded_offers == g.offers &&
                   r.loaded_reservations == g.reservations && r.loaded_sessions == g.sessions &&
                   r.live_offers == g.offers && r.exit_code == 0;
      if (!right) {
        ++failures;
        std::fprintf(stderr,
                     "run %d: served %d; loaded %lld businesses, %lld offers, %lld reservations, "
                     "%lld sessions; %lld live offers; exit code %d\n",
                     run, r.served ? 1 : 0, static_cast<long long>(r.loaded_businesses),
                     static_cast<long long>(r.loaded_offers),
                     static_cast<long long>(r.loaded_reservations),
                     static_cast<long long>(r.loaded_sessions),
                     static_cast<long long>(r.live_offers), r.exit_code);
      }
      loaded.push_back(r.loaded);
      market.push_back(r.market);
      serving.push_back(r.serving);
    }
    std::printf("median: loaded %.2f s, offers up %.2f s, serving %.2f s\n",
                benchmarks::median(loaded), benchmarks::median(market),
                benchmarks::median(serving));
    return failures == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "recovery benchmark failed: %s\n", e.what());
    return 1;
  }
}

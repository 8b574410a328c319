// End to end: simulated customers talk to the real `lastcall serve` through the in-process sandbox
// Bot API (real HTTP long polling, real PostgreSQL, replies only once their effects are durable).
//
//   build/benchmarks/end_to_end_benchmark [--customers N] [--items N] [--mixed-seconds N]
//                                         [--mixed-customers N] [--idle-taps N] [--flood N]
//                                         [--threads N] [--pipeline-depth N] [--lastcall PATH]
//
// 1. Flash sale: every customer opens one offer's card through its deep link, then all of them
//    tap Reserve at once (from --threads threads, as fast as the sandbox takes the taps). Reported:
//    updates per second, p50/p99 from the tap (the update queued in the sandbox) to the callback
//    answer and to the confirmation with the pickup code, and the oversell count from the database.
// 2. Mixed load for --mixed-seconds: customers in a closed loop browse, open a card, reserve and
//    cancel (Cancel, then Yes to the question it asks). Reported: updates per second and p50/p99
//    from each update to its answer.
// 4. With --flood N, two more flash sales at the end (same customers, an offer of their own each):
//    one as the first, then one during which one more user sends N messages at once as the taps
//    begin. Reported as the first, with the ratio of the customers' p99 between the two: what one
//    flooding user costs everybody else.
// 3. One customer on the idle bot taps a card button --idle-taps times, one tap at a time.
//    Reported: p50/p99 from the tap to the callback answer.
// For the first two, the bot's CPU time per update (from /proc) and this process's (the sandbox
// and the simulated customers together), to show which side bounds the figures, and how many new
// updates each getUpdates answer brought.
//
// The sandbox throttles nothing and the bot's own outbound flood control is switched off: both
// would measure Telegram's limits, not the bot. The database is created through PG_ADMIN_URL (as
// scripts/test exports it) and dropped at the end. Exit code 0 when every update was answered,
// every winner got the confirmation, nothing was oversold and the database agrees with what the
// customers were told.

#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>
#include <pqxx/pqxx>

#include "benchmarks/bot_process.hpp"
#include "benchmarks/command_line.hpp"
#include "benchmarks/database_row.hpp"
#include "benchmarks/sample_market.hpp"
#include "benchmarks/throwaway_database.hpp"
#include "persistence/database.hpp"
#include "persistence/writer.hpp"
#include "sandbox/server.hpp"

using namespace lastcall;

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
  int customers = 10'000;
  int items = 500;
  int mixed_seconds = 30;
  int mixed_customers = 200;
  int mixed_offers = 20;
  int idle_taps = 50;
  // Two more sales at the end, the second while one more user sends this many messages at once;
  // 0: none.
  int flood = 0;
  int threads = 4;
  // The bot's BOT_API_PIPELINE_DEPTH (the sandbox reads pipelined requests).
  int pipeline_depth = 1;
  // Waiting for a phase to finish; generous, a loaded machine must not fail the run.
  int timeout_seconds = 600;
#ifdef LASTCALL_BINARY_PATH
  std::string lastcall = benchmarks::lastcall_binary(LASTCALL_BINARY_PATH);
#else
  std::string lastcall = benchmarks::lastcall_binary("");
#endif
};

benchmarks::flag_table flags_of(options& o) {
  return benchmarks::flag_table("end_to_end_benchmark")
      .number("--customers", o.customers)
      .number("--items", o.items)
      .number("--mixed-seconds", o.mixed_seconds, 0)
      .number("--mixed-customers", o.mixed_customers)
      .number("--mixed-offers", o.mixed_offers)
      .number("--idle-taps", o.idle_taps, 0)
      .number("--flood", o.flood, 0)
      .number("--threads", o.threads)
      .number("--pipeline-depth", o.pipeline_depth)
      .number("--timeout-seconds", o.timeout_seconds)
      .text("--lastcall", o.lastcall, "PATH")
      .note("(or LASTCALL_BINARY)")
      .check([&o] { return !o.lastcall.empty(); });
}

double ms_between(clock_type::time_point from, clock_type::time_point to) {
  return std::chrono::duration<double, std::milli>(to - from).count();
}

double seconds_since(clock_type::time_point start) {
  return std::chrono::duration<double>(clock_type::now() - start).count();
}

double percentile(std::vector<double> values, double p) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  auto rank = static_cast<size_t>(std::ceil(p * static_cast<double>(values.size())));
  return values[std::min(values.size() - 1, rank == 0 ? 0 : rank - 1)];
}

std::string p50_p99(const std::vector<double>& ms) {
  char text[80];
  std::snprintf(text, sizeof text, "p50 %.0f ms, p99 %.0f ms (n=%zu)", percentile(ms, 0.50),
                percentile(ms, 0.99), ms.size());
  return text;
}

// ---- CPU time

// utime + stime of one /proc stat file, in seconds; -1 when it cannot be read.
double stat_cpu_seconds(const std::string& path, std::string* name = nullptr) {
  std::ifstream in(path);
  std::string stat((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  // The command name may hold spaces: the fields that follow it are counted from its ')'.
  auto close = stat.rfind(')');
  const auto open = stat.find('(');
  if (close == std::string::npos || open == std::string::npos) return -1;
  if (name != nullptr) *name = stat.substr(open + 1, close - open - 1);
  std::istringstream fields(stat.substr(close + 2));
  std::string field;
  unsigned long long utime = 0, stime = 0;
  // state is field 3 of the whole line; utime and stime are fields 14 and 15.
  for (int index = 3; index <= 15 && fields >> field; ++index) {
    if (index == 14) utime = std::stoull(field);
    if (index == 15) stime = std::stoull(field);
  }
  return static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
}

double process_cpu_seconds(pid_t pid) {
  return stat_cpu_seconds("/proc/" + std::to_string(pid) + "/stat");
}

// The bot's CPU time by thread name (CAF's workers share one), to show where an update's CPU goes.
std::map<std::string, double> thread_cpu_by_name(pid_t pid) {
  std::map<std::string, double> by_name;
  const std::string tasks = "/proc/" + std::to_string(pid) + "/task";
  std::error_code ignored;
  for (const auto& task : std::filesystem::directory_iterator(tasks, ignored)) {
    std::string name;
    const double seconds = stat_cpu_seconds(task.path().string() + "/stat", &name);
    if (seconds >= 0) by_name[name] += seconds;
  }
  return by_name;
}

double own_cpu_seconds() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
  return seconds(usage.ru_utime) + seconds(usage.ru_stime);
}

double thread_cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec / 1e9;
}

// CPU time of the customer-driving threads, so the sandbox's share of this process shows apart.
std::atomic<int64_t> driver_cpu_us{0};

struct cpu_meter {
  pid_t bot;
  double bot_start, own_start;
  int64_t drivers_start;
  std::map<std::string, double> threads_start;
  explicit cpu_meter(pid_t pid)
      : bot(pid),
        bot_start(process_cpu_seconds(pid)),
        own_start(own_cpu_seconds()),
        drivers_start(driver_cpu_us.load()),
        threads_start(thread_cpu_by_name(pid)) {}
  void report(const char* phase, uint64_t updates) const {
    const double bot_used = process_cpu_seconds(bot) - bot_start;
    const double own_used = own_cpu_seconds() - own_start;
    const double drivers_used = static_cast<double>(driver_cpu_us.load() - drivers_start) / 1e6;
    const double sandbox_used = own_used - drivers_used;
    const double n = static_cast<double>(std::max<uint64_t>(updates, 1));
    std::printf(
        "  %s CPU per update: bot %.0f us (%.2f s); sandbox %.0f us (%.2f s); simulated "
        "customers %.0f us (%.2f s)\n",
        phase, bot_used / n * 1e6, bot_used, sandbox_used / n * 1e6, sandbox_used,
        drivers_used / n * 1e6, drivers_used);
    std::string threads;
    for (const auto& [name, seconds] : thread_cpu_by_name(bot)) {
      const auto start = threads_start.find(name);
      const double used = seconds - (start == threads_start.end() ? 0 : start->second);
      if (used / n * 1e6 < 0.5) continue;
      threads += (threads.empty() ? "" : ", ") + name + " " +
                 std::to_string(std::lround(used / n * 1e6)) + " us";
    }
    std::printf("  %s bot CPU per update by thread: %s\n", phase, threads.c_str());
  }
};

// How many updates each getUpdates answer brought that the bot had not been given before.
struct poll_meter {
  sandbox::world& world;
  sandbox::poll_figures start;
  explicit poll_meter(sandbox::world& w) : world(w), start(w.polls()) {}
  void report(const char* phase) const {
    const auto now = world.polls();
    const auto answers = now.answers - start.answers;
    const auto with_updates = answers - (now.empty_answers - start.empty_answers);
    const auto fresh = now.first_deliveries - start.first_deliveries;
    const auto delivered = now.delivered - start.delivered;
    std::printf(
        "  %s getUpdates: %llu answers (%llu with updates), %llu updates in them, %llu new: %.1f "
        "new per answer with updates\n",
        phase, static_cast<unsigned long long>(answers),
        static_cast<unsigned long long>(with_updates), static_cast<unsigned long long>(delivered),
        static_cast<unsigned long long>(fresh),
        static_cast<double>(fresh) / static_cast<double>(std::max<uint64_t>(with_updates, 1)));
  }
};

// ---- The database

constexpr int64_t flash_offer_id = 1;
// The sales of --flood, without and during the flood: offers of their own, far from the mixed
// load's ids.
constexpr int64_t quiet_offer_id = 1'000'000;
constexpr int64_t flood_offer_id = 1'000'001;

// Business 1 holds the flash sale's offer; the mixed load's offers (ids from 2) are spread over a
// few more businesses and have stock enough never to sell out.
void seed(const std::string& url, const options& o) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  persistence::unit_of_work unit;
  const int64_t businesses = 1 + (o.mixed_offers + 4) / 5;
  for (int64_t id = 1; id <= businesses; ++id)
    unit.businesses.push_back(benchmarks::sample_business(id, now));
  unit.offers.push_back(benchmarks::sample_offer(flash_offer_id, 1, now, o.items));
  if (o.flood > 0) {
    unit.offers.push_back(benchmarks::sample_offer(quiet_offer_id, 1, now, o.items));
    unit.offers.push_back(benchmarks::sample_offer(flood_offer_id, 1, now, o.items));
  }
  for (int k = 0; k < o.mixed_offers; ++k)
    unit.offers.push_back(benchmarks::sample_offer(2 + k, 2 + k / 5, now, 1'000'000));
  auto connection = persistence::connect(url);
  persistence::migrate(*connection);
  std::vector<persistence::unit_of_work*> units{&unit};
  persistence::write_batch(*connection, units, {});
}

int64_t scalar(const std::string& url, const std::string& sql) {
  auto value = benchmarks::select_row(url, sql)[0];
  return value.is_null() ? 0 : value.as<int64_t>();
}

// ---- The bot

// Once reaped, a pid answers no more: the bots that were seen to exit are remembered, and how.
std::map<pid_t, int>& exit_statuses() {
  static std::map<pid_t, int> statuses;
  return statuses;
}

bool exited(pid_t pid) {
  if (exit_statuses().count(pid)) return true;
  int status = 0;
  if (waitpid(pid, &status, WNOHANG) != pid) return false;
  exit_statuses()[pid] = status;
  std::fprintf(stderr, "the bot (pid %d) exited: %s %d\n", static_cast<int>(pid),
               WIFEXITED(status) ? "exit code" : "signal",
               WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status));
  return true;
}

int stop_bot(pid_t pid) {
  if (auto known = exit_statuses().find(pid); known != exit_statuses().end())
    return benchmarks::exit_code_of(known->second);
  return benchmarks::stop_bot(pid);
}

// ---- Customers

// Reads a chat forward, one message at a time: message ids of a private chat count up from 1 over
// the user's and the bot's messages alike, so nothing is read twice and no chat is copied whole.
struct chat_cursor {
  int64_t next_id = 1;
};

std::vector<std::string> buttons_with(const sandbox::chat_message& message,
                                      const std::string& prefix) {
  std::vector<std::string> found;
  if (!message.reply_markup.is_object() || !message.reply_markup.contains("inline_keyboard"))
    return found;
  for (const auto& row : message.reply_markup["inline_keyboard"])
    for (const auto& button : row) {
      auto data = button.value("callback_data", "");
      if (data.rfind(prefix, 0) == 0) found.push_back(data);
    }
  return found;
}

// The next bot message with a button whose data starts with `prefix`; messages before it are
// passed over for good.
std::optional<sandbox::chat_message> next_bot_message_with(sandbox::world& world, int64_t chat_id,
                                                           chat_cursor& cursor,
                                                           const std::string& prefix) {
  while (auto message = world.message(chat_id, cursor.next_id)) {
    ++cursor.next_id;
    if (message->from_bot && !buttons_with(*message, prefix).empty()) return message;
  }
  return std::nullopt;
}

bool says_reserved(const sandbox::callback_answer& answer) {
  return answer.text.rfind("Reserved!", 0) == 0;
}

sandbox::user_profile customer_profile(int64_t id, int index) {
  return {id, "Customer" + std::to_string(index), "en", ""};
}

// Runs `work(thread_index)` on `threads` threads while the main thread watches the bot; `stop` is
// raised when the bot exits, so no thread waits out its deadline for a dead bot.
bool run_threads(int threads, pid_t bot, std::atomic<bool>& stop,
                 const std::function<void(int)>& work) {
  std::atomic<int> running{threads};
  std::vector<std::thread> pool;
  for (int t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      const double cpu_start = thread_cpu_seconds();
      work(t);
      driver_cpu_us += static_cast<int64_t>((thread_cpu_seconds() - cpu_start) * 1e6);
      --running;
    });
  bool bot_died = false;
  while (running > 0) {
    if (!bot_died && exited(bot)) {
      bot_died = true;
      stop = true;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  for (auto& thread : pool) thread.join();
  return !bot_died;
}

// Each sweep over the customers takes the world's lock once per customer: a pause between sweeps
// leaves it to the sandbox's HTTP threads, at the price of a millisecond of resolution.
void pause_between_sweeps() {
  std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

// Sweeps thread `t`'s share of the customers (every `threads`-th from `t`) with `look`, which
// returns true once for each customer, when it has got all it waits for; until every one has,
// `stop` is raised or `give_up` comes.
template <class Customer, class Look>
void sweep(std::vector<Customer>& customers, int t, int threads, const std::atomic<bool>& stop,
           clock_type::time_point give_up, Look look) {
  size_t left = 0;
  for (size_t i = t; i < customers.size(); i += threads) ++left;
  while (left > 0 && !stop && clock_type::now() < give_up) {
    for (size_t i = t; i < customers.size(); i += threads) left -= look(customers[i]) ? 1 : 0;
    pause_between_sweeps();
  }
}

// ---- Flash sale

struct flash_customer {
  sandbox::user_profile profile;
  chat_cursor cursor;
  clock_type::time_point link_sent, tapped;
  int64_t card_id = 0;
  std::string reserve_data;
  std::string query;
  double card_ms = -1, answer_ms = -1, confirmation_ms = -1;
  bool reserved = false;
};

struct sale_outcome {
  bool right = false;
  std::vector<double> answer_ms;  // tap -> callback answer, every customer
};

// One flash sale on `offer_id`: every customer opens its card, then all tap Reserve at once, while
// (with `flood` > 0) one more user sends that many messages. The customers' chat cursors carry
// over from an earlier sale.
sale_outcome run_flash_sale(sandbox::world& world, const std::string& database_url, pid_t bot,
                            const options& o, std::vector<flash_customer>& customers,
                            int64_t offer_id, int flood) {
  for (auto& c : customers) {
    c.card_id = 0;
    c.card_ms = c.answer_ms = c.confirmation_ms = -1;
    c.reserved = false;
  }
  sale_outcome outcome;
  const auto limit = std::chrono::seconds(o.timeout_seconds);
  std::atomic<bool> stop{false};
  const std::string link = "/start offer_" + std::to_string(offer_id);

  // Every customer opens the card from the shared link.
  if (flood > 0)
    std::printf(
        "flash sale during a flood: %d customers, one offer of %d items, one user sending "
        "%d messages\n",
        o.customers, o.items, flood);
  else
    std::printf("flash sale: %d customers, one offer of %d items\n", o.customers, o.items);
  cpu_meter cards_cpu(bot);
  poll_meter cards_polls(world);
  auto started = clock_type::now();
  bool alive = run_threads(o.threads, bot, stop, [&](int t) {
    for (size_t i = t; i < customers.size(); i += o.threads) {
      customers[i].link_sent = clock_type::now();
      world.send_text(customers[i].profile, link);
    }
    sweep(customers, t, o.threads, stop, started + limit, [&](flash_customer& c) {
      if (c.card_id != 0) return false;
      auto card = next_bot_message_with(world, c.profile.id, c.cursor, "res:");
      if (!card) return false;
      c.card_ms = ms_between(c.link_sent, clock_type::now());
      c.card_id = card->message_id;
      c.reserve_data = buttons_with(*card, "res:").front();
      return true;
    });
  });
  const double cards_seconds = seconds_since(started);
  std::vector<double> card_ms;
  for (const auto& c : customers)
    if (c.card_ms >= 0) card_ms.push_back(c.card_ms);
  std::printf("  /start offer_%lld -> card: %zu of %d cards in %.2f s = %.0f updates/s; %s\n",
              static_cast<long long>(offer_id), card_ms.size(), o.customers, cards_seconds,
              static_cast<double>(card_ms.size()) / cards_seconds, p50_p99(card_ms).c_str());
  cards_cpu.report("cards", card_ms.size());
  cards_polls.report("cards");
  if (!alive || card_ms.size() != customers.size()) {
    std::fprintf(stderr, "not every customer got the card%s\n", alive ? "" : ": the bot exited");
    return outcome;
  }

  // The rush: everyone taps Reserve at once.
  cpu_meter rush_cpu(bot);
  poll_meter rush_polls(world);
  started = clock_type::now();
  std::atomic<int64_t> last_answer_ns{0};
  // The flooder writes from a thread of its own while the customers tap: its messages and their
  // taps arrive interleaved, as they would from Telegram.
  const sandbox::user_profile flooder{500'000'000, "Flooder", "en", ""};
  chat_cursor flooder_cursor;
  std::thread flooding;
  if (flood > 0)
    flooding = std::thread([&] {
      for (int i = 0; i < flood && !stop; ++i)
        world.send_text(flooder, "hello " + std::to_string(i));
    });
  alive = run_threads(o.threads, bot, stop, [&](int t) {
    for (size_t i = t; i < customers.size(); i += o.threads) {
      auto& c = customers[i];
      c.tapped = clock_type::now();
      c.query = world.tap(c.profile, c.card_id, c.reserve_data).callback_query_id;
    }
    sweep(customers, t, o.threads, stop, started + limit, [&](flash_customer& c) {
      if (c.answer_ms < 0) {
        auto answer = world.answer(c.query);
        if (!answer || !answer->answered) return false;
        auto now = clock_type::now();
        c.answer_ms = ms_between(c.tapped, now);
        c.reserved = says_reserved(*answer);
        int64_t ns = std::chrono::duration_cast<std::chrono::nanoseconds>(now - started).count();
        for (auto seen = last_answer_ns.load(); ns > seen;)
          if (last_answer_ns.compare_exchange_weak(seen, ns)) break;
        if (!c.reserved) return true;  // done: nothing more comes
      }
      if (c.reserved && c.confirmation_ms < 0) {
        if (!next_bot_message_with(world, c.profile.id, c.cursor, "cancel:")) return false;
        c.confirmation_ms = ms_between(c.tapped, clock_type::now());
        return true;
      }
      return false;
    });
  });
  if (flooding.joinable()) flooding.join();
  const double answers_seconds = static_cast<double>(last_answer_ns.load()) / 1e9;
  std::vector<double> answer_ms, confirmation_ms;
  int winners = 0;
  for (const auto& c : customers) {
    if (c.answer_ms >= 0) answer_ms.push_back(c.answer_ms);
    if (c.confirmation_ms >= 0) confirmation_ms.push_back(c.confirmation_ms);
    winners += c.reserved ? 1 : 0;
  }
  std::printf("  Reserve taps: %zu of %d answered in %.2f s = %.0f updates/s\n", answer_ms.size(),
              o.customers, answers_seconds,
              static_cast<double>(answer_ms.size()) / std::max(answers_seconds, 1e-9));
  std::printf("  tap -> callback answer: %s\n", p50_p99(answer_ms).c_str());
  std::printf("  tap -> confirmation with the pickup code: %s\n", p50_p99(confirmation_ms).c_str());
  rush_cpu.report("rush", answer_ms.size() + static_cast<size_t>(flood));
  rush_polls.report("rush");
  if (flood > 0) {
    int answered = 0;
    while (auto message = world.message(flooder.id, flooder_cursor.next_id)) {
      ++flooder_cursor.next_id;
      if (message->from_bot) ++answered;
    }
    std::printf("  the flooder's messages answered by the time every customer was: %d of %d\n",
                answered, flood);
  }

  const auto offer = std::to_string(offer_id);
  const int64_t stored =
      scalar(database_url, "SELECT sum(quantity) FROM reservations WHERE offer_id = " + offer +
                               " AND status = 'active'");
  const int64_t oversold = std::max<int64_t>(0, stored - o.items);
  std::printf("  reserved (told so): %d; stored active items: %lld of %d; oversold: %lld\n",
              winners, static_cast<long long>(stored), o.items, static_cast<long long>(oversold));
  bool right = alive && answer_ms.size() == customers.size() &&
               confirmation_ms.size() == static_cast<size_t>(winners) && oversold == 0 &&
               stored == winners && winners == std::min(o.items, o.customers);
  if (!right) std::fprintf(stderr, "the flash sale went wrong%s\n", alive ? "" : ": bot exited");
  outcome.right = right;
  outcome.answer_ms = std::move(answer_ms);
  return outcome;
}

// ---- Mixed load

enum class step { idle, list, card, reserve, confirmation, cancel_question, cancel };

struct mixed_customer {
  sandbox::user_profile profile;
  chat_cursor cursor;
  step at = step::idle;
  clock_type::time_point sent;
  clock_type::time_point deadline;
  int64_t list_id = 0, card_id = 0, confirmation_id = 0;
  std::string reserve_data, cancel_data, query;
  bool card_answered = false;
  unsigned seed = 0;
};

struct mixed_figures {
  std::vector<double> answer_ms, browse_ms, card_ms, reserve_ms, confirmation_ms, cancel_ms;
  uint64_t updates = 0, timeouts = 0, reserved = 0, refused = 0, cancelled = 0;
};

// One move of one customer when what it waits for has come; false when nothing happened.
bool advance(sandbox::world& world, mixed_customer& c, mixed_figures& f, bool starting) {
  const auto now = clock_type::now();
  auto send = [&](const std::function<void()> act, step next) {
    c.sent = clock_type::now();
    c.deadline = c.sent + std::chrono::seconds(60);
    act();
    ++f.updates;
    c.at = next;
  };
  auto tap = [&](int64_t message_id, const std::string& data, step next) {
    send([&] { c.query = world.tap(c.profile, message_id, data).callback_query_id; }, next);
  };
  auto answered = [&]() -> std::optional<sandbox::callback_answer> {
    auto a = world.answer(c.query);
    if (a && a->answered) return a;
    return std::nullopt;
  };
  // An answer to what the customer sent: its time counts for its phase and for all answers.
  auto took = [&](std::vector<double>& phase_ms) {
    const double ms = ms_between(c.sent, now);
    phase_ms.push_back(ms);
    f.answer_ms.push_back(ms);
  };
  if (c.at != step::idle && now > c.deadline) {
    ++f.timeouts;
    c.at = step::idle;
    return true;
  }
  switch (c.at) {
    case step::idle:
      if (!starting) return false;
      send([&] { world.send_text(c.profile, "/browse"); }, step::list);
      return true;
    case step::list: {
      auto list = next_bot_message_with(world, c.profile.id, c.cursor, "card:");
      if (!list) return false;
      took(f.browse_ms);
      auto cards = buttons_with(*list, "card:");
      c.card_answered = false;
      c.card_id = 0;
      tap(list->message_id, cards[rand_r(&c.seed) % cards.size()], step::card);
      return true;
    }
    case step::card: {
      bool moved = false;
      if (!c.card_answered && answered()) {
        c.card_answered = true;
        took(f.card_ms);
        moved = true;
      }
      if (c.card_id == 0) {
        if (auto card = next_bot_message_with(world, c.profile.id, c.cursor, "res:")) {
          c.card_id = card->message_id;
          c.reserve_data = buttons_with(*card, "res:").front();
          moved = true;
        }
      }
      if (c.card_answered && c.card_id != 0) tap(c.card_id, c.reserve_data, step::reserve);
      return moved;
    }
    case step::reserve: {
      auto a = answered();
      if (!a) return false;
      took(f.reserve_ms);
      if (says_reserved(*a)) {
        ++f.reserved;
        c.at = step::confirmation;
      } else {
        ++f.refused;
        c.at = step::idle;
      }
      return true;
    }
    case step::confirmation: {
      auto confirmation = next_bot_message_with(world, c.profile.id, c.cursor, "cancel:");
      if (!confirmation) return false;
      f.confirmation_ms.push_back(ms_between(c.sent, now));
      c.confirmation_id = confirmation->message_id;
      c.cancel_data = buttons_with(*confirmation, "cancel:").front();
      tap(c.confirmation_id, c.cancel_data, step::cancel_question);
      return true;
    }
    case step::cancel_question: {
      // Cancel asks once more; the answer counts among all answers, the Yes as the cancel.
      if (!answered()) return false;
      f.answer_ms.push_back(ms_between(c.sent, now));
      tap(c.confirmation_id, c.cancel_data + ":y", step::cancel);
      return true;
    }
    case step::cancel: {
      auto a = answered();
      if (!a) return false;
      took(f.cancel_ms);
      if (a->text.find("cancelled") != std::string::npos) ++f.cancelled;
      c.at = step::idle;
      return true;
    }
  }
  return false;
}

void append(std::vector<double>& to, const std::vector<double>& from) {
  to.insert(to.end(), from.begin(), from.end());
}

bool run_mixed(sandbox::world& world, const std::string& database_url, pid_t bot,
               const options& o) {
  if (o.mixed_seconds == 0) return true;
  std::printf("mixed load: %d customers for %d s (browse, card, reserve, cancel) over %d offers\n",
              o.mixed_customers, o.mixed_seconds, o.mixed_offers);
  std::vector<mixed_customer> customers(o.mixed_customers);
  for (int i = 0; i < o.mixed_customers; ++i) {
    customers[i].profile = customer_profile(200'000'000 + i, i);
    customers[i].seed = static_cast<unsigned>(i + 1);
  }
  std::vector<mixed_figures> per_thread(o.threads);
  std::atomic<bool> stop{false};
  cpu_meter cpu(bot);
  poll_meter polls(world);
  const auto started = clock_type::now();
  const auto end = started + std::chrono::seconds(o.mixed_seconds);
  // After the end nobody starts anew; what is under way finishes, so the database can be checked.
  const auto drain_end = end + std::chrono::seconds(o.timeout_seconds);
  bool alive = run_threads(o.threads, bot, stop, [&](int t) {
    auto& f = per_thread[t];
    while (!stop) {
      const auto now = clock_type::now();
      const bool starting = now < end;
      bool busy = false;
      for (size_t i = t; i < customers.size(); i += o.threads) {
        advance(world, customers[i], f, starting);
        busy = busy || customers[i].at != step::idle;
      }
      if ((!starting && !busy) || now > drain_end) break;
      pause_between_sweeps();
    }
  });
  const double seconds = seconds_since(started);
  mixed_figures all;
  for (const auto& f : per_thread) {
    append(all.answer_ms, f.answer_ms);
    append(all.browse_ms, f.browse_ms);
    append(all.card_ms, f.card_ms);
    append(all.reserve_ms, f.reserve_ms);
    append(all.confirmation_ms, f.confirmation_ms);
    append(all.cancel_ms, f.cancel_ms);
    all.updates += f.updates;
    all.timeouts += f.timeouts;
    all.reserved += f.reserved;
    all.refused += f.refused;
    all.cancelled += f.cancelled;
  }
  std::printf("  %llu updates sent, %llu answered in %.2f s = %.0f updates/s\n",
              static_cast<unsigned long long>(all.updates),
              static_cast<unsigned long long>(all.answer_ms.size()), seconds,
              static_cast<double>(all.answer_ms.size()) / seconds);
  std::printf("  update -> answer, all: %s\n", p50_p99(all.answer_ms).c_str());
  std::printf("    /browse -> list: %s\n", p50_p99(all.browse_ms).c_str());
  std::printf("    card tap -> answer: %s\n", p50_p99(all.card_ms).c_str());
  std::printf("    Reserve tap -> answer: %s\n", p50_p99(all.reserve_ms).c_str());
  std::printf("    Reserve tap -> confirmation: %s\n", p50_p99(all.confirmation_ms).c_str());
  std::printf("    Cancel tap -> answer: %s\n", p50_p99(all.cancel_ms).c_str());
  cpu.report("mixed", all.answer_ms.size());
  polls.report("mixed");
  const int64_t held =
      scalar(database_url, "SELECT sum(quantity) FROM reservations WHERE offer_id <> " +
                               std::to_string(flash_offer_id) + " AND status = 'active'");
  std::printf(
      "  reserved %llu, refused %llu, cancelled %llu, timed out %llu; active items stored %lld\n",
      static_cast<unsigned long long>(all.reserved), static_cast<unsigned long long>(all.refused),
      static_cast<unsigned long long>(all.cancelled), static_cast<unsigned long long>(all.timeouts),
      static_cast<long long>(held));
  // Every loop ends with its cancellation, so nothing stays held.
  bool right = alive && all.timeouts == 0 && all.refused == 0 && all.reserved > 0 &&
               all.cancelled == all.reserved && held == 0;
  if (!right) std::fprintf(stderr, "the mixed load went wrong%s\n", alive ? "" : ": bot exited");
  return right;
}

// ---- One customer on an idle bot

// Taps a deal's card button again and again, each tap once the previous one was answered: what a
// single customer waits for when nobody else is there (the intake's commit, the turn, its commit
// and the Bot API calls).
bool run_idle_taps(sandbox::world& world, pid_t bot, const options& o) {
  if (o.idle_taps == 0) return true;
  const sandbox::user_profile customer{400'000'000, "Idle", "en", ""};
  chat_cursor cursor;
  world.send_text(customer, "/browse");
  std::optional<sandbox::chat_message> list;
  const auto give_up = clock_type::now() + std::chrono::seconds(o.timeout_seconds);
  while (!(list = next_bot_message_with(world, customer.id, cursor, "card:")) &&
         clock_type::now() < give_up && !exited(bot))
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  if (!list) return false;
  const auto card = buttons_with(*list, "card:").front();
  std::vector<double> answer_ms;
  for (int i = 0; i < o.idle_taps; ++i) {
    const auto tapped = clock_type::now();
    const auto query = world.tap(customer, list->message_id, card).callback_query_id;
    auto answer = world.wait_for_answer(query, std::chrono::seconds(o.timeout_seconds));
    if (!answer || !answer->answered) return false;
    answer_ms.push_back(ms_between(tapped, clock_type::now()));
    // Idle again before the next tap: the card it sent is out, nothing else is queued.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::printf("idle bot, one customer: card tap -> callback answer %s\n",
              p50_p99(answer_ms).c_str());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  const auto o = benchmarks::options_or_exit<options>(argc, argv, flags_of);
  spdlog::set_level(spdlog::level::warn);  // the migrations' log lines are not results
  const char* admin = benchmarks::admin_url();
  if (admin == nullptr) return benchmarks::no_admin_url();
  try {
    benchmarks::throwaway_database database(admin, "lastcall_e2e_bench_");
    seed(database.url(), o);

    sandbox::server_options sandbox_options;
    sandbox_options.token = "123456:end-to-end-benchmark";
    sandbox_options.limits = {};  // no flood control: the bot's speed is measured, not Telegram's
    sandbox::server sandbox(sandbox_options);
    sandbox.start("127.0.0.1", 0);
    auto& world = sandbox.state();

    // One log per start of the bot, so a second start does not write over the first one's.
    int starts = 0;
    auto log_of = [](int start) {
      return "/tmp/end_to_end_benchmark_" + std::to_string(::getpid()) + "_" +
             std::to_string(start) + ".log";
    };
    // `flood_gate`: the bot's own per-user flood limits, as it runs by default. Off for the
    // phases whose simulated customers tap far faster than people, where the limit would measure
    // itself, not the bot.
    auto launch = [&](bool flood_gate) -> pid_t {
      std::vector<std::string> settings = {
          "BOT_TOKEN=" + sandbox_options.token,
          "TELEGRAM_API_URL=" + sandbox.base_url(),
          "DATABASE_URL=" + database.url(),
          "POLL_TIMEOUT_SECONDS=2",
          "LOG_LEVEL=warn",
          "LOG_FORMAT=text",
          "OUTBOUND_GLOBAL_PER_SECOND=0",
          "OUTBOUND_CHAT_PER_SECOND=0",
          "OUTBOUND_GROUP_PER_MINUTE=0",
          "OUTBOUND_MAX_QUEUED=10000000",
          "BOT_API_PIPELINE_DEPTH=" + std::to_string(o.pipeline_depth)};
      if (!flood_gate) settings.push_back("FLOOD_UPDATES_PER_SECOND=0");
      const auto log_path = log_of(++starts);
      pid_t pid = benchmarks::start_bot(o.lastcall, settings, log_path);
      if (pid < 0) {
        std::fprintf(stderr, "cannot start %s\n", o.lastcall.c_str());
        return -1;
      }
      // Serving: a first customer's /start is answered.
      const sandbox::user_profile first{300'000'000, "First", "en", ""};
      size_t seen = 0;
      for (const auto& message : world.chat(first.id)) seen += message.from_bot ? 1 : 0;
      world.send_text(first, "/start");
      if (!world.wait_for_bot_message(first.id, seen, std::chrono::seconds(120))) {
        std::fprintf(stderr, "the bot did not answer; its log: %s\n", log_path.c_str());
        stop_bot(pid);
        return -1;
      }
      return pid;
    };
    pid_t bot = launch(false);
    if (bot < 0) return 1;
    std::printf("bot serving (threads of this process driving customers: %d)\n", o.threads);
    std::fflush(stdout);

    std::vector<flash_customer> customers(o.customers);
    for (int i = 0; i < o.customers; ++i)
      customers[i].profile = customer_profile(100'000'000 + i, i);
    const auto sale = run_flash_sale(world, database.url(), bot, o, customers, flash_offer_id, 0);
    bool right = sale.right;
    std::fflush(stdout);
    right = run_mixed(world, database.url(), bot, o) && right;
    std::fflush(stdout);
    right = run_idle_taps(world, bot, o) && right;
    std::fflush(stdout);
    // Last, so the flooder's backlog cannot touch the other phases' figures, and against a bot
    // with its default flood limits: what a flooding user meets.
    if (o.flood > 0 && right) {
      int exit_code = stop_bot(bot);
      bot = launch(true);
      if (exit_code != 0 || bot < 0) {
        std::fprintf(stderr, "restarting the bot with its flood limits failed\n");
        return 1;
      }
      std::printf("bot restarted with its default flood limits\n");
      const auto calm = run_flash_sale(world, database.url(), bot, o, customers, quiet_offer_id, 0);
      std::fflush(stdout);
      const auto flooded =
          run_flash_sale(world, database.url(), bot, o, customers, flood_offer_id, o.flood);
      right = calm.right && flooded.right && right;
      const double quiet = percentile(calm.answer_ms, 0.99);
      const double loud = percentile(flooded.answer_ms, 0.99);
      std::printf(
          "  customers' tap -> answer p99 during the flood: %.0f ms against %.0f ms "
          "without it: %.2fx\n",
          loud, quiet, loud / std::max(quiet, 1e-9));
    }
    const int exit_code = stop_bot(bot);
    sandbox.stop();
    if (exit_code != 0) {
      std::fprintf(stderr, "the bot exited with %d\n", exit_code);
      right = false;
    }
    for (int start = 1; start <= starts; ++start) {
      const auto path = log_of(start);
      if (right)
        std::remove(path.c_str());
      else
        std::fprintf(stderr, "the bot's log: %s\n", path.c_str());
    }
    return right ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "end-to-end benchmark failed: %s\n", e.what());
    return 1;
  }
}

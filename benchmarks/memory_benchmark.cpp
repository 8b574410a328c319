// Memory per actor: resident bytes (and heap bytes in use) per idle offer actor, per live offer as
// the market holds it, per live session and per passivated known user, with N of each. Every kind
// is measured in a process of its own (the binary runs itself once per kind), so memory freed by
// one measurement cannot hide the cost of the next.
//
//   build/benchmarks/memory_benchmark [--offers N] [--sessions N] [--reservations N] [--threads N]
//
// --reservations: per offer, in the market measurement (0 by default: idle offers nobody reserved
// yet). Exit code 0 when every actor was spawned and answered (and every idle session passivated),
// 1 otherwise, 2 on bad flags.

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/market_actor.hpp"
#include "actors/offer_actor.hpp"
#include "actors/router.hpp"
#include "app/allocator.hpp"
#include "benchmarks/command_line.hpp"
#include "benchmarks/sample_market.hpp"
#include "benchmarks/sink_actor.hpp"
#include "domain/session_state.hpp"

extern char** environ;

using namespace lastcall;
using namespace lastcall::actors;

namespace {

struct options {
  int offers = 100000;
  int sessions = 100000;
  int reservations = 0;
  int threads = 2;
  std::string kind;  // one measurement in this process; empty: all of them, each in a child
};

benchmarks::flag_table flags_of(options& o) {
  return benchmarks::flag_table("memory_benchmark")
      .number("--offers", o.offers, 0)
      .number("--sessions", o.sessions, 0)
      .number("--reservations", o.reservations, 0)
      .number("--threads", o.threads)
      .text("--kind", o.kind, "KIND")
      .hidden();
}

struct usage {
  int64_t resident = 0;  // bytes, from /proc/self/statm
  int64_t heap = 0;      // bytes the allocator handed out and not yet got back
};

// CPU time of the whole process, in microseconds.
int64_t cpu_micros() {
  rusage r{};
  getrusage(RUSAGE_SELF, &r);
  return (r.ru_utime.tv_sec + r.ru_stime.tv_sec) * 1'000'000 + r.ru_utime.tv_usec +
         r.ru_stime.tv_usec;
}

// Waits until the actors are idle (the process used almost no CPU for a while), then hands free
// memory back to the system so that resident memory counts what is held.
void settle() {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(10);
  for (;;) {
    auto before = cpu_micros();
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    if (cpu_micros() - before < 6'000 || std::chrono::steady_clock::now() > deadline) break;
  }
  app::release_free_memory();
}

usage measure() {
  settle();
  usage u;
  std::ifstream statm("/proc/self/statm");
  int64_t size = 0, resident = 0;
  statm >> size >> resident;
  u.resident = resident * sysconf(_SC_PAGESIZE);
  if (auto stats = app::read_allocator_stats()) u.heap = stats->allocated;
  return u;
}

void report(const char* what, int count, const usage& before, const usage& after) {
  double n = count > 0 ? count : 1;
  std::printf("%-44s %8d  %10.0f B resident  %10.0f B heap  per actor\n", what, count,
              static_cast<double>(after.resident - before.resident) / n,
              static_cast<double>(after.heap - before.heap) / n);
  std::fflush(stdout);
}

// The smallest actor there is, for comparison: what CAF itself costs per actor.
struct bare_state {
  static inline const char* name = "bare";
};
caf::behavior bare(caf::stateful_actor<bare_state>*) {
  return {[](int x) { return x; }};
}

// Asks for a view of offer `id`, straight or through the market; false when it does not answer
// as that offer.
template <class Handle>
bool answers_as_offer(caf::scoped_actor& self, const Handle& handle, int64_t id) {
  bool ok = false;
  self->request(handle, caf::infinite, market::offer_operation{market::view_offer{id, 0}})
      .receive(
          [&](market::offer_outcome& outcome) {
            const auto& r = market::answer_of(outcome);
            ok = r.found && r.offer.id == id;
          },
          [&](caf::error&) {});
  return ok;
}

// Stops the actors and waits until they are gone. Takes the handles: a stopped actor counts as
// running while a strong handle to it exists. Polls: the registry wakes its waiters only when the
// count drops to one or zero.
void stop_all(caf::actor_system& system, caf::scoped_actor& self, std::vector<caf::actor> actors,
              size_t running_before) {
  for (const auto& a : actors) self->send_exit(a, caf::exit_reason::user_shutdown);
  actors.clear();
  while (system.registry().running() > running_before)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
}

std::shared_ptr<config::settings> benchmark_settings() {
  auto settings = std::make_shared<config::settings>();
  settings->owner_notify_interval_seconds = 3600;
  return settings;
}

int measure_bare(caf::actor_system& system, const options& o) {
  caf::scoped_actor self{system};
  auto running = system.registry().running();
  auto before = measure();
  std::vector<caf::actor> actors;
  actors.reserve(static_cast<size_t>(o.offers));
  for (int i = 0; i < o.offers; ++i) actors.push_back(system.spawn(bare));
  auto after = measure();
  // The handles are the benchmark's, not the actors': 8 bytes each.
  report("bare CAF actor (for comparison)", o.offers, before, after);
  stop_all(system, self, std::move(actors), running);
  return 0;
}

int measure_offer_actors(caf::actor_system& system, const options& o) {
  caf::scoped_actor self{system};
  auto ignore = system.spawn(benchmarks::sink);
  auto timers = spawn_offer_timers(system);
  auto running = system.registry().running();
  auto context = std::make_shared<const offer_context>(
      offer_context{std::make_shared<id_allocator>(0), caf::actor_cast<persistence_actor>(ignore),
                    caf::actor_cast<offer_observer>(ignore), timers,
                    market::offer_rules_of(*benchmark_settings()), unix_now});
  auto now = unix_now();
  auto before = measure();
  std::vector<offer_actor> offers;
  offers.reserve(static_cast<size_t>(o.offers));
  // Ten offers per business, sharing its record as the market's offers do.
  const int per_business = 10;
  offer_home_ptr home;
  for (int64_t id = 1; id <= o.offers; ++id) {
    auto business_id = (id - 1) / per_business + 1;
    if (!home || home->business.id != business_id)
      home = make_offer_home(context, benchmarks::sample_business(business_id, now));
    offers.push_back(
        spawn_offer(system, home, benchmarks::sample_offer(id, business_id, now, 20), {}));
  }
  home.reset();
  int answered = 0;
  for (int64_t id = 1; id <= o.offers; ++id)
    answered += answers_as_offer(self, offers[static_cast<size_t>(id - 1)], id) ? 1 : 0;
  auto after = measure();
  report("offer actor (spawn_offer, idle)", o.offers, before, after);
  std::vector<caf::actor> all;
  for (auto& a : offers) all.push_back(caf::actor_cast<caf::actor>(a));
  offers.clear();
  stop_all(system, self, std::move(all), running);
  // The timers hold a CAF timer (and with it themselves) until the first offer's reminder.
  self->send_exit(timers, caf::exit_reason::user_shutdown);
  if (answered != o.offers) {
    std::fprintf(stderr, "only %d of %d offer actors answered\n", answered, o.offers);
    return 1;
  }
  return 0;
}

int measure_market_offers(caf::actor_system& system, const options& o) {
  caf::scoped_actor self{system};
  auto ignore = system.spawn(benchmarks::sink);
  auto running = system.registry().running();
  auto now = unix_now();
  auto before = measure();
  market_actor market;
  {
    market_dependencies deps;
    deps.settings = benchmark_settings();
    deps.persistence = caf::actor_cast<persistence_actor>(ignore);
    const int per_business = 10;
    int64_t reservation_id = 0;
    for (int64_t id = 1; id <= o.offers; ++id) {
      auto business_id = (id - 1) / per_business + 1;
      if ((id - 1) % per_business == 0)
        deps.businesses.push_back(benchmarks::sample_business(business_id, now));
      auto offer = benchmarks::sample_offer(id, business_id, now, 20 + o.reservations);
      for (int k = 0; k < o.reservations; ++k) {
        ++reservation_id;
        deps.reservations.push_back(
            benchmarks::sample_reservation(reservation_id, offer, 1'000'000 + reservation_id,
                                           domain::reservation_status::active, now));
        offer.quantity_reserved += 1;
      }
      deps.offers.push_back(std::move(offer));
    }
    deps.max_business_id = static_cast<int64_t>(deps.businesses.size());
    deps.max_offer_id = o.offers;
    deps.max_reservation_id = reservation_id;
    market = spawn_market(system, std::move(deps));
  }
  caf::anon_send(market, start_atom::value);
  int answered = 0;
  for (int64_t id = 1; id <= o.offers; ++id) answered += answers_as_offer(self, market, id) ? 1 : 0;
  auto after = measure();
  std::string what =
      "live offer via the market (" + std::to_string(o.reservations) + " reservations each)";
  report(what.c_str(), o.offers, before, after);
  stop_all(system, self, {caf::actor_cast<caf::actor>(market)}, running);
  if (answered != o.offers) {
    std::fprintf(stderr, "only %d of %d offers answered through the market\n", answered, o.offers);
    return 1;
  }
  return 0;
}

// A user who left a registration form halfway, as the bot restores them at start-up.
domain::user_record sample_user(int64_t id) {
  domain::session_state s;
  s.lang = domain::language::ru;
  s.language_chosen = true;
  s.flow = "register";
  s.step = "address";
  s.draft("register") = {{"name", "Bakery Nord " + std::to_string(id)}};
  domain::user_record u;
  u.id = id;
  u.lang = s.lang;
  u.language_chosen = true;
  u.session = domain::to_json(s);
  u.version = 3;
  u.created_at = unix_now() - 86400;
  return u;
}

// Sessions through the router, as the bot starts them. With idle_seconds they passivate.
int measure_sessions(caf::actor_system& system, const options& o, int idle_seconds) {
  caf::scoped_actor self{system};
  auto ignore = system.spawn(benchmarks::sink);
  auto settings = benchmark_settings();
  settings->session_idle_seconds = idle_seconds;
  market_dependencies market_deps;
  market_deps.settings = settings;
  market_deps.persistence = caf::actor_cast<persistence_actor>(ignore);
  auto market = spawn_market(system, std::move(market_deps));
  // Once it answers, the market has started (and spawned its timers): count from there.
  self->request(market, caf::infinite, stats_atom::value)
      .receive([](flows::market_stats&) {}, [](caf::error&) {});
  auto running = system.registry().running();
  auto before = measure();
  auto started = std::chrono::steady_clock::now();
  router_actor router;
  {
    router_dependencies deps;
    deps.settings = settings;
    deps.persistence = caf::actor_cast<persistence_actor>(ignore);
    deps.user_loader = caf::actor_cast<user_loader_actor>(ignore);
    deps.market = market;
    for (int64_t id = 1; id <= o.sessions; ++id)
      deps.sessions_to_restore.push_back(sample_user(10'000'000 + id));
    router = spawn_router(system, std::move(deps));
  }
  auto live = [&] {
    uint64_t n = 0;
    self->request(router, caf::infinite, status_atom::value)
        .receive([&](uint64_t x) { n = x; }, [](caf::error&) {});
    return n;
  };
  int result = 0;
  if (idle_seconds == 0) {
    auto after = measure();
    report("live session (restored with a draft)", o.sessions, before, after);
    if (live() != static_cast<uint64_t>(o.sessions)) {
      std::fprintf(stderr, "%llu of %d sessions live\n", static_cast<unsigned long long>(live()),
                   o.sessions);
      result = 1;
    }
  } else {
    auto deadline = started + std::chrono::minutes(30);
    while (live() > 0 && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto passivated_in = std::chrono::duration<double>(std::chrono::steady_clock::now() - started);
    auto left = live();
    auto after = measure();
    report("passivated known user (after idle sessions)", o.sessions, before, after);
    std::printf("  %d sessions started and passivated in %.1f s (idle after %d s)\n", o.sessions,
                passivated_in.count(), idle_seconds);
    if (left != 0) {
      std::fprintf(stderr, "%llu sessions never passivated\n",
                   static_cast<unsigned long long>(left));
      result = 1;
    }
  }
  stop_all(system, self, {caf::actor_cast<caf::actor>(router)}, running);
  self->send_exit(market, caf::exit_reason::user_shutdown);
  return result;
}

int run_kind(const options& o) {
  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", o.threads);
  cfg.set("scheduler.policy", caf::atom_from_string(config::settings{}.scheduler_policy));
  caf::actor_system system{cfg};
  if (o.kind == "bare") return measure_bare(system, o);
  if (o.kind == "offer") return measure_offer_actors(system, o);
  if (o.kind == "market") return measure_market_offers(system, o);
  if (o.kind == "session") return measure_sessions(system, o, 0);
  if (o.kind == "passivated") return measure_sessions(system, o, 1);
  std::fprintf(stderr, "unknown kind %s\n", o.kind.c_str());
  return 2;
}

// Runs this program again for one kind of measurement and returns its exit code.
int run_child(const options& o, const std::string& kind) {
  std::vector<std::string> args = {"/proc/self/exe",
                                   "--kind",
                                   kind,
                                   "--offers",
                                   std::to_string(o.offers),
                                   "--sessions",
                                   std::to_string(o.sessions),
                                   "--reservations",
                                   std::to_string(o.reservations),
                                   "--threads",
                                   std::to_string(o.threads)};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, "/proc/self/exe", nullptr, nullptr, argv.data(), environ) != 0) return 1;
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

}  // namespace

int main(int argc, char** argv) {
  const auto o = benchmarks::options_or_exit<options>(argc, argv, flags_of);
  if (!o.kind.empty()) return run_kind(o);

  std::printf("%-44s %8s  per actor, after the actors are idle\n", "what", "count");
  std::fflush(stdout);
  int failures = 0;
  for (const char* kind : {"bare", "offer", "market", "session", "passivated"})
    failures += run_child(o, kind) != 0 ? 1 : 0;
  return failures == 0 ? 0 : 1;
}

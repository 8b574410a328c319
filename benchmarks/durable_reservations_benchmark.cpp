// Durable reservations per second: many customers at once, each waiting for its reservation to be
// committed before it makes the next (the bot acknowledges nothing earlier). The same load runs
// against the persistence actor with group commit (many units per transaction), with group commit
// fenced by the market's lease (each batch checks its epoch first, as the server's do), and with
// one commit per reservation, in turn in one run, so the ratios are measured side by side.
//
//   build/benchmarks/durable_reservations_benchmark [--customers N] [--reservations N]
//                                                   [--rounds N] [--batch-max N]
//
// Each unit is what a reservation turn commits: the reservation, the offer's new counters (one hot
// offer, so every unit updates the same row), the customer's session row, an event, two outbox
// calls (the callback answer and the pickup code) and the processed update id. The database is a
// throwaway one created through PG_ADMIN_URL (as scripts/test exports it), or else DATABASE_URL,
// which must then be empty. Exit code 0 when every unit was durable and the database holds every
// reservation, 1 otherwise.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "actors/clock.hpp"
#include "actors/persistence_actor.hpp"
#include "benchmarks/command_line.hpp"
#include "benchmarks/median.hpp"
#include "benchmarks/sample_market.hpp"
#include "benchmarks/throwaway_database.hpp"
#include "persistence/database.hpp"
#include "persistence/market_lease.hpp"
#include "persistence/writer.hpp"
#include "telegram/requests.hpp"

using namespace lastcall;
using namespace lastcall::actors;

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
  int customers = 200;
  int reservations = 20;  // per customer and run
  int rounds = 3;
  size_t batch_max = 1000;
};

benchmarks::flag_table flags_of(options& o) {
  return benchmarks::flag_table("durable_reservations_benchmark")
      .number("--customers", o.customers)
      .number("--reservations", o.reservations)
      .number("--rounds", o.rounds)
      .number("--batch-max", o.batch_max);
}

// Ids and versions shared by all customers of a run.
struct run_context {
  domain::offer offer;
  std::atomic<int64_t> next_reservation_id{1};
  std::atomic<int64_t> next_update_id{1};
  std::atomic<int64_t> offer_version{1};
  std::atomic<int32_t> reserved{0};
  std::atomic<uint64_t> failures{0};
  std::vector<std::vector<int64_t>> latencies_us;  // per customer, written by its actor only
};

persistence::unit_of_work reservation_unit(run_context& ctx, int64_t customer_id) {
  const auto now = unix_now();
  persistence::unit_of_work unit;
  const auto id = ctx.next_reservation_id++;
  const auto update_id = ctx.next_update_id++;
  unit.reservations.push_back(benchmarks::sample_reservation(
      id, ctx.offer, customer_id, domain::reservation_status::active, now));
  unit.reservations.back().idempotency_key = "u:" + std::to_string(update_id);
  auto offer = ctx.offer;
  offer.quantity_reserved = ++ctx.reserved;
  offer.version = ++ctx.offer_version;
  unit.offers.push_back(std::move(offer));
  domain::user_record user;
  user.id = customer_id;
  user.version = id;
  user.created_at = now;
  user.session = {{"screen", "card"}, {"offer", ctx.offer.id}};
  unit.users.push_back(std::move(user));
  unit.events.push_back({"reservation.created", id, customer_id, {{"offer_id", ctx.offer.id}}});
  unit.outbox.push_back(telegram::answer_callback_query("cbq-" + std::to_string(id), "Reserved"));
  unit.outbox.push_back(
      telegram::send_message(customer_id, "Your pickup code: " + unit.reservations.back().code));
  unit.processed_updates.push_back(update_id);
  return unit;
}

struct customer_state {
  int left = 0;
  std::function<void()> fire;  // sends the next reservation
};

caf::behavior customer(caf::stateful_actor<customer_state>* self, persistence_actor persistence,
                       run_context* ctx, int index, int count, caf::actor done) {
  self->state.left = count;
  self->state.fire = [=] {
    const auto started = clock_type::now();
    const int64_t customer_id = 100000 + index;
    self->request(persistence, caf::infinite, commit_atom::value,
                  reservation_unit(*ctx, customer_id))
        .then(
            [=](durable_atom) {
              ctx->latencies_us[index].push_back(
                  std::chrono::duration_cast<std::chrono::microseconds>(clock_type::now() - started)
                      .count());
              if (--self->state.left > 0) return self->state.fire();
              self->send(done, done_atom::value);
              self->quit();
            },
            [=](caf::error&) {
              ++ctx->failures;
              self->send(done, done_atom::value);
              self->quit();
            });
  };
  self->state.fire();
  return {[](int) {}};  // only request replies arrive
}

struct run_result {
  double per_second = 0;
  double p50_ms = 0;
  double p99_ms = 0;
  double units_per_batch = 0;
};

run_result run(caf::actor_system& system, const std::string& url, const options& o,
               size_t batch_max, const domain::offer& offer, int64_t lease_epoch) {
  persistence::persistence_metrics metrics;
  persistence_options po;
  po.database_url = url;
  po.batch_max_units = batch_max;
  po.lease_epoch = lease_epoch;
  po.metrics = &metrics;
  auto persistence = spawn_persistence(system, po, outbound_actor{}, update_sink{});
  run_context ctx;
  ctx.offer = offer;
  // Ids of earlier runs stay in the table: continue above them.
  {
    auto connection = persistence::connect(url);
    pqxx::work read(*connection);
    ctx.next_reservation_id =
        read.exec1("SELECT coalesce(max(id),0)+1 FROM reservations")[0].as<int64_t>();
    ctx.next_update_id =
        read.exec1("SELECT coalesce(max(update_id),0)+1 FROM processed_updates")[0].as<int64_t>();
    ctx.offer_version =
        read.exec1("SELECT version FROM offers WHERE id = " + std::to_string(offer.id))[0]
            .as<int64_t>();
    ctx.reserved =
        read.exec1("SELECT quantity_reserved FROM offers WHERE id = " + std::to_string(offer.id))[0]
            .as<int32_t>();
  }
  ctx.latencies_us.resize(static_cast<size_t>(o.customers));

  caf::scoped_actor self{system};
  const auto started = clock_type::now();
  for (int i = 0; i < o.customers; ++i)
    self->spawn(customer, persistence, &ctx, i, o.reservations, caf::actor{self});
  for (int i = 0; i < o.customers; ++i) self->receive([](done_atom) {});
  const double seconds = std::chrono::duration<double>(clock_type::now() - started).count();
  self->send_exit(persistence, caf::exit_reason::user_shutdown);

  std::vector<int64_t> all;
  for (auto& l : ctx.latencies_us) all.insert(all.end(), l.begin(), l.end());
  std::sort(all.begin(), all.end());
  run_result r;
  r.per_second = static_cast<double>(all.size()) / seconds;
  if (!all.empty()) {
    r.p50_ms = all[all.size() / 2] / 1000.0;
    r.p99_ms = all[std::min(all.size() - 1, all.size() * 99 / 100)] / 1000.0;
  }
  r.units_per_batch = metrics.batches ? static_cast<double>(metrics.units) / metrics.batches : 0;
  if (ctx.failures > 0)
    std::fprintf(stderr, "%llu units failed\n", (unsigned long long)ctx.failures.load());
  return r;
}

}  // namespace

int main(int argc, char** argv) {
  const auto o = benchmarks::options_or_exit<options>(argc, argv, flags_of);
  std::optional<benchmarks::throwaway_database> throwaway;
  std::string database_url;
  // A database of its own when it can make one: the count it checks assumes an empty one.
  if (const char* admin = benchmarks::admin_url()) {
    throwaway.emplace(admin, "lastcall_bench_");
    database_url = throwaway->url();
  } else if (const char* url = std::getenv("DATABASE_URL"); url != nullptr && *url != '\0') {
    database_url = url;
  } else {
    std::fprintf(stderr, "set DATABASE_URL or PG_ADMIN_URL\n");
    return 2;
  }

  const auto now = unix_now();
  auto business = benchmarks::sample_business(1, now);
  auto offer = benchmarks::sample_offer(1, business.id, now, 1'000'000'000);
  {
    auto connection = persistence::connect(database_url);
    persistence::migrate(*connection);
    persistence::unit_of_work seed;
    seed.businesses.push_back(business);
    seed.offers.push_back(offer);
    std::vector<persistence::unit_of_work*> units{&seed};
    persistence::write_batch(*connection, units, {});
  }
  // The fenced runs hold the market's lease for the whole benchmark.
  int64_t lease_epoch = 0;
  {
    auto connection = persistence::connect(database_url);
    const auto grant = persistence::take_lease(*connection, "benchmark/1", std::chrono::hours(1));
    if (!grant) {
      std::fprintf(stderr, "another node holds the database's market lease\n");
      return 2;
    }
    lease_epoch = grant->epoch;
  }

  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", 2);
  caf::actor_system system{cfg};
  std::printf("%d customers x %d reservations per run, %d rounds\n", o.customers, o.reservations,
              o.rounds);
  std::printf("%-8s %-6s %14s %10s %10s %12s\n", "mode", "round", "reservations/s", "p50 ms",
              "p99 ms", "units/batch");
  struct mode {
    const char* name;
    size_t batch_max;
    bool fenced;
    std::vector<double> rates;
  };
  std::vector<mode> modes{{"group", o.batch_max, false, {}},
                          {"fenced", o.batch_max, true, {}},
                          {"single", 1, false, {}}};
  for (int round = 1; round <= o.rounds; ++round) {
    for (auto& m : modes) {
      auto r = run(system, database_url, o, m.batch_max, offer, m.fenced ? lease_epoch : 0);
      m.rates.push_back(r.per_second);
      std::printf("%-8s %-6d %14.0f %10.2f %10.2f %12.1f\n", m.name, round, r.per_second, r.p50_ms,
                  r.p99_ms, r.units_per_batch);
      std::fflush(stdout);
    }
  }
  const double group = benchmarks::median(modes[0].rates);
  const double fenced = benchmarks::median(modes[1].rates);
  const double single = benchmarks::median(modes[2].rates);
  std::printf(
      "median: group commit %.0f/s, fenced group commit %.0f/s (%.2fx), one commit per "
      "reservation %.0f/s, ratio group/single %.1fx\n",
      group, fenced, fenced / group, single, group / single);

  auto connection = persistence::connect(database_url);
  pqxx::work check(*connection);
  const auto stored = check.exec1("SELECT count(*) FROM reservations")[0].as<int64_t>();
  const auto expected = int64_t{o.customers} * o.reservations * o.rounds * 3;
  if (stored != expected) {
    std::fprintf(stderr, "the database holds %lld reservations, expected %lld\n", (long long)stored,
                 (long long)expected);
    return 1;
  }
  std::printf("the database holds all %lld reservations\n", (long long)stored);
  std::fflush(stdout);
  return 0;
}

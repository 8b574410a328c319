// Reservation decisions in process: many customer actors reserve on offer actors at once, either
// all on one hot offer or spread over many. Reports decisions per second and the p50/p99 time from
// request to decision, and checks every offer decided right: none oversold, and none refused a
// customer while it still had items.
//
//   build/benchmarks/hot_offer_benchmark [--customers N] [--requests N] [--threads N]
//                                        [--offers N] [--items N] [--via-market]
//                                        [--policy stealing|sharing]
//
// (`hot_offer_benchmark 1000 200 2`, customers, requests and threads by position, still works.)
//
// Each customer keeps one request outstanding and sends `requests` in all, each to an offer drawn
// at random. --via-market sends them through the market actor (as sessions do) instead of straight
// to the offer actors; the offers then report their changes to the market, as in the bot.
// Exit code 0 when every decision was right, 1 otherwise, 2 on bad flags.

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/market_actor.hpp"
#include "actors/offer_actor.hpp"
#include "benchmarks/command_line.hpp"
#include "benchmarks/sample_market.hpp"
#include "benchmarks/sink_actor.hpp"

using namespace lastcall;
using namespace lastcall::actors;

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
  int customers = 1000;
  int requests = 200;
  int threads = 2;
  int offers = 1;
  int items = 10000;
  bool via_market = false;
  std::string policy = config::settings{}.scheduler_policy;  // the bot's, unless --policy
};

// The first form of this benchmark took [customers] [requests] [threads] by position.
benchmarks::flag_table flags_of(options& o) {
  return benchmarks::flag_table("hot_offer_benchmark")
      .positional(o.customers)
      .positional(o.requests)
      .positional(o.threads)
      .number("--customers", o.customers)
      .number("--requests", o.requests)
      .number("--threads", o.threads)
      .number("--offers", o.offers)
      .number("--items", o.items)
      .toggle("--via-market", o.via_market)
      .text("--policy", o.policy, "")
      .one_of({"stealing", "sharing"});
}

// What the customers saw, per offer (index = offer id - 1) and overall.
struct results {
  explicit results(int offers)
      : requested(new std::atomic<int64_t>[offers]()),
        reserved(new std::atomic<int64_t>[offers]()) {}
  std::mutex mutex;
  std::vector<double> latencies_us;
  std::unique_ptr<std::atomic<int64_t>[]> requested;
  std::unique_ptr<std::atomic<int64_t>[]> reserved;
  std::atomic<int64_t> decisions{0};
};

// Where a customer sends a reservation for offer `offer_id`.
struct target {
  std::vector<offer_actor> offers;  // direct: by offer id - 1
  market_actor market;              // via the market otherwise
};

caf::behavior customer(caf::event_based_actor* self, std::shared_ptr<const target> to, int offers,
                       int64_t id, int requests, results* out) {
  auto latencies = std::make_shared<std::vector<double>>();
  latencies->reserve(static_cast<size_t>(requests));
  auto random = std::make_shared<std::minstd_rand>(static_cast<uint32_t>(id));
  auto next = std::make_shared<std::function<void(int)>>();
  *next = [=](int left) {
    if (left == 0) {
      std::lock_guard<std::mutex> guard(out->mutex);
      out->latencies_us.insert(out->latencies_us.end(), latencies->begin(), latencies->end());
      self->quit();
      return;
    }
    int64_t offer_id = 1 + static_cast<int64_t>((*random)() % static_cast<uint32_t>(offers));
    out->requested[offer_id - 1].fetch_add(1, std::memory_order_relaxed);
    market::offer_operation req{market::reserve_items{offer_id, id, 1, unix_now(), {}}};
    auto started = clock_type::now();
    auto decided = [=](market::offer_outcome& outcome) {
      latencies->push_back(
          std::chrono::duration<double, std::micro>(clock_type::now() - started).count());
      if (std::get<market::reserve_reply>(outcome).outcome ==
          domain::reserve_result::outcome::reserved)
        out->reserved[offer_id - 1].fetch_add(1, std::memory_order_relaxed);
      out->decisions.fetch_add(1, std::memory_order_relaxed);
      (*next)(left - 1);
    };
    auto failed = [=](caf::error& err) {
      std::fprintf(stderr, "customer %lld: %s\n", static_cast<long long>(id),
                   to_string(err).c_str());
      std::exit(2);
    };
    if (to->market)
      self->request(to->market, caf::infinite, req).then(decided, failed);
    else
      self->request(to->offers[offer_id - 1], caf::infinite, req).then(decided, failed);
  };
  (*next)(requests);
  return {[](int) {}};
}

double percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  auto index = static_cast<size_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<long>(index), values.end());
  return values[index];
}

// Waits until the market has started its offers: an answer to a request for the last one proves
// the start-up message before it was handled.
void await_market(caf::actor_system& system, const market_actor& market, int64_t last_offer_id) {
  caf::scoped_actor self{system};
  market::offer_operation view{market::view_offer{last_offer_id, 0}};
  self->request(market, caf::infinite, view)
      .receive([](market::offer_outcome&) {},
               [](caf::error& err) {
                 std::fprintf(stderr, "market: %s\n", to_string(err).c_str());
                 std::exit(2);
               });
}

}  // namespace

int main(int argc, char** argv) {
  const auto opt = benchmarks::options_or_exit<options>(argc, argv, flags_of);

  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", opt.threads);
  cfg.set("scheduler.policy", caf::atom_from_string(opt.policy));
  caf::actor_system system{cfg};

  auto settings = std::make_shared<config::settings>();
  settings->max_items_per_customer = 0;  // no per-customer limit: every request is a real decision
  settings->owner_notify_interval_seconds = 3600;
  auto ignore = system.spawn(benchmarks::sink);
  auto now = unix_now();
  auto business = benchmarks::sample_business(1, now);

  auto to = std::make_shared<target>();
  offer_timers timers;  // the market has its own
  if (opt.via_market) {
    market_dependencies deps;
    deps.settings = settings;
    deps.persistence = caf::actor_cast<persistence_actor>(ignore);
    deps.businesses.push_back(business);
    for (int64_t id = 1; id <= opt.offers; ++id)
      deps.offers.push_back(benchmarks::sample_offer(id, business.id, now, opt.items));
    deps.max_business_id = 1;
    deps.max_offer_id = opt.offers;
    to->market = spawn_market(system, std::move(deps));
    caf::anon_send(to->market, start_atom::value);
    await_market(system, to->market, opt.offers);
  } else {
    timers = spawn_offer_timers(system);
    auto context = std::make_shared<const offer_context>(
        offer_context{std::make_shared<id_allocator>(0), caf::actor_cast<persistence_actor>(ignore),
                      caf::actor_cast<offer_observer>(ignore), timers,
                      market::offer_rules_of(*settings), unix_now});
    auto home = make_offer_home(context, business);
    for (int64_t id = 1; id <= opt.offers; ++id)
      to->offers.push_back(
          spawn_offer(system, home, benchmarks::sample_offer(id, business.id, now, opt.items), {}));
  }

  results out(opt.offers);
  auto started = clock_type::now();
  for (int i = 0; i < opt.customers; ++i)
    system.spawn(customer, std::shared_ptr<const target>(to), opt.offers, 1000 + i, opt.requests,
                 &out);
  const int64_t expected = int64_t{opt.customers} * opt.requests;
  while (out.decisions.load() < expected) std::this_thread::sleep_for(std::chrono::milliseconds(1));
  double seconds = std::chrono::duration<double>(clock_type::now() - started).count();

  caf::scoped_actor self{system};
  if (to->market) self->send_exit(to->market, caf::exit_reason::user_shutdown);
  for (auto& offer : to->offers) self->send_exit(offer, caf::exit_reason::user_shutdown);
  if (timers) self->send_exit(timers, caf::exit_reason::user_shutdown);
  self->send_exit(ignore, caf::exit_reason::user_shutdown);

  // A right decision reserves while items are left and refuses only once none are: with one item
  // per request and no per-customer limit, an offer reserves exactly min(requests, items).
  int64_t reserved = 0, oversold = 0, wrongly_refused = 0;
  for (int i = 0; i < opt.offers; ++i) {
    auto got = out.reserved[i].load();
    auto should = std::min<int64_t>(out.requested[i].load(), opt.items);
    reserved += got;
    oversold += std::max<int64_t>(0, got - opt.items);
    wrongly_refused += std::max<int64_t>(0, should - got);
  }

  std::lock_guard<std::mutex> guard(out.mutex);
  std::printf("customers %d, requests each %d, threads %d, offers %d of %d items, %s\n",
              opt.customers, opt.requests, opt.threads, opt.offers, opt.items,
              opt.via_market ? "through the market" : "straight to the offers");
  std::printf("decisions %lld in %.3f s: %.0f decisions/s\n",
              static_cast<long long>(out.decisions.load()), seconds,
              static_cast<double>(out.decisions.load()) / seconds);
  std::printf("latency p50 %.1f us, p99 %.1f us\n", percentile(out.latencies_us, 0.50),
              percentile(out.latencies_us, 0.99));
  std::printf("reserved %lld of %lld items, oversold %lld, refused with items left %lld\n",
              static_cast<long long>(reserved), static_cast<long long>(opt.items) * opt.offers,
              static_cast<long long>(oversold), static_cast<long long>(wrongly_refused));
  return oversold == 0 && wrongly_refused == 0 ? 0 : 1;
}

// Hot offer, in process: many customer actors reserve on one offer actor at once. Reports
// reservation decisions per second and the p50/p99 time from request to decision, and checks
// nothing was oversold.
//
//   build/benchmarks/hot_offer_benchmark [customers] [requests-per-customer] [threads]

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <mutex>
#include <string>
#include <vector>

#include <caf/all.hpp>

#include "actors/clock.hpp"
#include "actors/offer_actor.hpp"

using namespace lastcall;
using namespace lastcall::actors;

namespace {

using clock_type = std::chrono::steady_clock;

// Stands in for the market, the notifications and the persistence actor: the benchmark measures the
// offer. (A dropping default handler would answer with an error message, which the typed offer
// actor refuses.)
caf::behavior sink(caf::event_based_actor*) {
  return {
      [](changed_atom, domain::offer&, std::vector<domain::reservation>&) {},
      [](notify_atom, int64_t, flows::notification&) {},
      [](commit_atom, persistence::unit_of_work&) { return durable_atom::value; },
  };
}

struct results {
  std::mutex mutex;
  std::vector<double> latencies_us;
  std::atomic<int64_t> reserved_items{0};
  std::atomic<int64_t> decisions{0};
};

caf::behavior customer(caf::event_based_actor* self, offer_actor offer, int64_t id, int requests,
                       results* out) {
  auto latencies = std::make_shared<std::vector<double>>();
  latencies->reserve(requests);
  auto next = std::make_shared<std::function<void(int)>>();
  *next = [=](int left) {
    if (left == 0) {
      std::lock_guard<std::mutex> guard(out->mutex);
      out->latencies_us.insert(out->latencies_us.end(), latencies->begin(), latencies->end());
      self->quit();
      return;
    }
    flows::offer_request req;
    req.what = flows::offer_request::kind::reserve;
    req.user_id = id;
    req.quantity = 1;
    req.now = unix_now();
    auto started = clock_type::now();
    self->request(offer, caf::infinite, offer_atom::value, req)
        .then(
            [=](flows::offer_reply& r) {
              latencies->push_back(
                  std::chrono::duration<double, std::micro>(clock_type::now() - started).count());
              out->decisions.fetch_add(1, std::memory_order_relaxed);
              if (r.outcome == "reserved")
                out->reserved_items.fetch_add(1, std::memory_order_relaxed);
              (*next)(left - 1);
            },
            [=](caf::error& err) {
              std::fprintf(stderr, "customer %lld: %s\n", static_cast<long long>(id),
                           to_string(err).c_str());
              std::exit(2);
            });
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

}  // namespace

int main(int argc, char** argv) {
  int customers = argc > 1 ? std::stoi(argv[1]) : 1000;
  int requests = argc > 2 ? std::stoi(argv[2]) : 200;
  int threads = argc > 3 ? std::stoi(argv[3]) : 2;

  caf::actor_system_config cfg;
  cfg.set("scheduler.max-threads", threads);
  caf::actor_system system{cfg};

  auto settings = std::make_shared<config::settings>();
  settings->max_items_per_customer = 0;  // no per-customer limit: every request is a real decision
  settings->owner_notify_interval_seconds = 3600;
  auto ignore = system.spawn(sink);
  offer_context context{
      settings, std::make_shared<id_allocator>(0), caf::actor_cast<persistence_actor>(ignore),
      caf::actor_cast<offer_observer>(ignore), caf::actor_cast<notification_sink>(ignore)};
  domain::offer offer;
  offer.id = 1;
  offer.business_id = 1;
  offer.title = "Croissants";
  offer.original_price = 20000;
  offer.deal_price = 12000;
  offer.quantity_total = 10000;
  offer.pickup_start = unix_now();
  offer.pickup_end = unix_now() + 3600;
  offer.state = domain::offer_state::active;
  domain::business business;
  business.id = 1;
  business.owner_id = 1;
  auto hot = spawn_offer(system, context, offer, {}, business);

  results out;
  auto started = clock_type::now();
  for (int i = 0; i < customers; ++i) system.spawn(customer, hot, 1000 + i, requests, &out);
  caf::scoped_actor self{system};
  // Customers quit when done; the offer and the sink are the only actors left.
  while (out.decisions.load() < int64_t{customers} * requests)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  double seconds = std::chrono::duration<double>(clock_type::now() - started).count();
  self->send_exit(hot, caf::exit_reason::user_shutdown);
  self->send_exit(ignore, caf::exit_reason::user_shutdown);

  std::lock_guard<std::mutex> guard(out.mutex);
  auto decisions = out.decisions.load();
  std::printf("customers %d, requests each %d, threads %d\n", customers, requests, threads);
  std::printf("decisions %lld in %.3f s: %.0f decisions/s\n", static_cast<long long>(decisions),
              seconds, static_cast<double>(decisions) / seconds);
  std::printf("latency p50 %.1f us, p99 %.1f us\n", percentile(out.latencies_us, 0.50),
              percentile(out.latencies_us, 0.99));
  std::printf("reserved %lld of %d items, oversold %lld\n",
              static_cast<long long>(out.reserved_items.load()), offer.quantity_total,
              static_cast<long long>(
                  std::max<int64_t>(0, out.reserved_items.load() - offer.quantity_total)));
  return out.reserved_items.load() > offer.quantity_total ? 1 : 0;
}

// Webhook mode with two nodes behind HAProxy, configured as config/haproxy-webhook.cfg says: only
// the owner's /healthz is 200, so Telegram's requests reach the owner alone. The owner is killed
// in the middle of a flash sale; the sandbox, like Telegram, sends every update it got no 2xx for
// again, and once the standby has taken over those reach it through the same address.

#include <signal.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/support/flash_sale.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/seed.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

constexpr int customer_count = 120;
constexpr int item_count = 50;
constexpr std::chrono::milliseconds rush_length{4000};
constexpr std::chrono::milliseconds patience{90000};

// HAProxy with the repository's configuration, in the background; stopped when this ends.
class load_balancer {
 public:
  load_balancer(int frontend, int node_1, int node_2) {
    char pattern[] = "/tmp/lastcall-haproxy.XXXXXX";
    if (mkdtemp(pattern) == nullptr) FAIL("cannot create a directory for HAProxy");
    dir_ = pattern;
    const std::string command = "LASTCALL_FRONTEND=127.0.0.1:" + std::to_string(frontend) +
                                " LASTCALL_NODE_1=127.0.0.1:" + std::to_string(node_1) +
                                " LASTCALL_NODE_2=127.0.0.1:" + std::to_string(node_2) +
                                " haproxy -D -p " + dir_ + "/haproxy.pid -f " +
                                LASTCALL_SOURCE_DIR + "/config/haproxy-webhook.cfg >" + dir_ +
                                "/haproxy.log 2>&1";
    REQUIRE(std::system(command.c_str()) == 0);
  }
  ~load_balancer() {
    std::ifstream in(dir_ + "/haproxy.pid");
    long pid = 0;
    if (in >> pid && pid > 0) ::kill(static_cast<pid_t>(pid), SIGTERM);
    std::system(("rm -rf " + dir_).c_str());
  }
  load_balancer(const load_balancer&) = delete;
  load_balancer& operator=(const load_balancer&) = delete;

 private:
  std::string dir_;
};

}  // namespace

TEST_CASE(
    "webhook nodes behind HAProxy: the owner is killed mid-sale and re-deliveries reach the new "
    "owner",
    "[ha][webhook]") {
  const int frontend = free_tcp_port(), port_a = free_tcp_port(), port_b = free_tcp_port();
  load_balancer haproxy(frontend, port_a, port_b);
  const std::string hook = "http://127.0.0.1:" + std::to_string(frontend) + "/telegram/hook";

  market_seed seed;
  auto bakery = seed.add_business(700, "Webhook Bakery", {41.3111, 69.2797});
  auto offer = seed.add_offer(bakery, offer_titled("Webhook box", item_count));
  auto m = seeded_market("webhook-failover", seed,
                         {{"WEBHOOK_URL", hook},
                          {"WEBHOOK_SECRET", "webhook-secret-every-node-of-this-market-shares"},
                          {"HTTP_PORT", std::to_string(port_a)},
                          {"NODE_NAME", "node-a"},
                          {"LEASE_SECONDS", "1"},
                          {"MAX_ITEMS_PER_CUSTOMER", "1"}});
  auto& world = m->world();
  auto crowd = sale_crowd(customer_count, 700000);
  greet(world, crowd, patience);
  auto standby =
      m->start_node("standby", {{"HTTP_PORT", std::to_string(port_b)}, {"NODE_NAME", "node-b"}});
  // The standby says so in its log once it has looked at the lease.
  REQUIRE(world.wait_until([&] { return standby->log().find("standing by") != std::string::npos; },
                           patience));

  std::thread killer([&] {
    std::this_thread::sleep_for(rush_length / 3);
    m->kill_bot();
  });
  rush(world, crowd, offer.id, 4, rush_length);
  killer.join();

  INFO("bot logs: " << m->bot().log_path() << " and " << standby->log_path());
  CHECK(world.wait_until([&] { return standby->log().find("[lease taken]") != std::string::npos; },
                         patience));
  check_sale(*m, offer.id, item_count, crowd, patience,
             m->bot().log_path() + " and " + standby->log_path());
  // Deliveries failed while no node owned the market, and were made again.
  CHECK(world.webhook_failures() > 0);
}

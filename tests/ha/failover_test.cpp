// Two nodes of one market: the owner dies or freezes in the middle of a flash sale and the standby
// takes over. Customers must not notice beyond a pause: every tap answered, every code they were
// shown stored, nothing oversold, nothing applied twice; and a frozen owner that wakes up must
// neither commit nor send anything, nor poll against the new owner (the sandbox counts a second
// getUpdates consumer as Telegram does, with a 409 to the first).

#include <signal.h>

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <thread>

#include <httplib.h>
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "tests/support/flash_sale.hpp"
#include "tests/support/metrics_page.hpp"
#include "tests/support/ports.hpp"
#include "tests/support/seed.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

constexpr int customer_count = 160;
constexpr int item_count = 60;
constexpr int sender_threads = 4;
constexpr std::chrono::milliseconds rush_length{3000};
// Generous: a test machine may be slow; nothing here asserts on speed.
constexpr std::chrono::milliseconds patience{60000};
// Short, so that a take-over happens within the test's patience many times over.
constexpr char lease_seconds[] = "1";

struct node_health {
  int status = 0;
  std::string role;
};

// /healthz of the node on `port`; nothing while it does not answer (stopped, or frozen).
std::optional<node_health> health(int port) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(1, 0);
  client.set_read_timeout(1, 0);
  auto response = client.Get("/healthz");
  if (!response) return std::nullopt;
  auto body = nlohmann::json::parse(response->body, nullptr, false);
  if (!body.is_object() || !body.contains("role")) return node_health{response->status, ""};
  return node_health{response->status, body["role"].get<std::string>()};
}

bool becomes(sandbox::world& world, int port, int status, const std::string& role) {
  return world.wait_until(
      [&] {
        auto h = health(port);
        return h && h->status == status && h->role == role;
      },
      patience);
}

double metric(int port, const std::string& name) {
  httplib::Client client("127.0.0.1", port);
  client.set_read_timeout(2, 0);
  auto response = client.Get("/metrics");
  return response ? metric_sample(response->body, name) : -1;
}

std::map<std::string, std::string> node_settings(const std::string& name, int port) {
  return {{"NODE_NAME", name},
          {"HTTP_PORT", std::to_string(port)},
          {"LEASE_SECONDS", lease_seconds},
          {"MAX_ITEMS_PER_CUSTOMER", "1"},
          // Every owner notice at once: none left on a timer to go out later in the test. And
          // at once means at once: one a second to the owner's chat would take a minute.
          {"OWNER_NOTIFY_INTERVAL_SECONDS", "0"},
          {"OUTBOUND_CHAT_PER_SECOND", "0"}};
}

// Bot API calls other than getUpdates, by method: what the nodes said to users.
std::string spoken(const sandbox::world& world) {
  std::string said;
  for (const auto& [method, count] : world.method_calls())
    if (method != "getUpdates") said += method + " " + std::to_string(count) + "\n";
  return said;
}

// The node on `port` has nothing left to send.
bool says_nothing_more(sandbox::world& world, int port) {
  return world.wait_until(
      [&] {
        return metric(port, "lastcall_outbound_queued") == 0 &&
               metric(port, "lastcall_outbound_in_flight") == 0;
      },
      patience);
}

struct two_nodes {
  std::unique_ptr<market> m;
  int owner_port = free_tcp_port();
  int standby_port = free_tcp_port();
  std::unique_ptr<bot_process> standby;
  domain::offer offer;

  explicit two_nodes(const std::string& name) {
    market_seed seed;
    auto bakery = seed.add_business(700, "Failover Bakery", {41.3111, 69.2797});
    offer = seed.add_offer(bakery, offer_titled("Failover box", item_count));
    m = seeded_market(name, seed, node_settings("node-a", owner_port));
    REQUIRE(becomes(m->world(), owner_port, 200, "owner"));
    standby = m->start_node("standby", node_settings("node-b", standby_port));
    REQUIRE(becomes(m->world(), standby_port, 503, "standby"));
    // The owner counts the standby at a renewal: from then on its lease is strict.
    REQUIRE(m->world().wait_until(
        [&] { return metric(owner_port, "lastcall_market_standbys") >= 1; }, patience));
  }

  std::string logs() const { return m->bot().log_path() + " and " + standby->log_path(); }
};

}  // namespace

TEST_CASE("the owner is killed in the middle of a flash sale: the standby takes over and sells",
          "[ha][failover]") {
  two_nodes nodes("failover-kill");
  auto& world = nodes.m->world();
  auto crowd = sale_crowd(customer_count, 400000);
  greet(world, crowd, patience);
  // A standby never polls: the owner's long polls were never cut short by a second consumer.
  CHECK(world.polls().overtaken == 0);

  std::thread killer([&] {
    std::this_thread::sleep_for(rush_length / 3);
    nodes.m->kill_bot();
  });
  rush(world, crowd, nodes.offer.id, sender_threads, rush_length);
  killer.join();

  INFO("bot logs: " << nodes.logs());
  CHECK(becomes(world, nodes.standby_port, 200, "owner"));
  CHECK(metric(nodes.standby_port, "lastcall_market_epoch") >= 2);
  check_sale(*nodes.m, nodes.offer.id, item_count, crowd, patience, nodes.logs());
}

TEST_CASE(
    "a frozen owner that wakes after the take-over commits nothing, sends nothing and stands by",
    "[ha][failover]") {
  two_nodes nodes("failover-freeze");
  auto& world = nodes.m->world();
  auto crowd = sale_crowd(customer_count, 500000);
  greet(world, crowd, patience);

  std::thread freezer([&] {
    std::this_thread::sleep_for(rush_length / 3);
    nodes.m->bot().signal(SIGSTOP);
  });
  rush(world, crowd, nodes.offer.id, sender_threads, rush_length);
  freezer.join();
  INFO("bot logs: " << nodes.logs());
  REQUIRE(becomes(world, nodes.standby_port, 200, "owner"));
  // The new owner works off the whole sale while the old one is still frozen.
  check_sale(*nodes.m, nodes.offer.id, item_count, crowd, patience, nodes.logs());
  REQUIRE(says_nothing_more(world, nodes.standby_port));

  const auto said_before = spoken(world);
  const auto overtaken_before = world.polls().overtaken;
  const auto reservations_before = stored_reservations(nodes.m->database_url(), nodes.offer.id);
  nodes.m->bot().signal(SIGCONT);
  // It learns that it lost the lease, takes its actors down and stands by.
  CHECK(becomes(world, nodes.owner_port, 503, "standby"));
  CHECK(world.wait_until(
      [&] { return nodes.m->bot().log().find("stands by again") != std::string::npos; }, patience));
  CHECK(nodes.m->bot().log().find("another node took the market over") != std::string::npos);

  // Everything it had queued before the freeze stayed unsaid, and it never polled again.
  CHECK(spoken(world) == said_before);
  CHECK(world.polls().overtaken == overtaken_before);
  // Whatever it had not committed before the freeze never landed.
  const auto reservations_after = stored_reservations(nodes.m->database_url(), nodes.offer.id);
  CHECK(reservations_after.size() == reservations_before.size());
  check_sale(*nodes.m, nodes.offer.id, item_count, crowd, patience, nodes.logs());

  // The new owner goes on serving.
  CHECK(health(nodes.standby_port)->status == 200);
}

// The operator's round trip the issue asks for: a snapshot of the running bot taken with
// `lastcall snapshot` while customers reserve and cancel and the business publishes and pauses,
// more traffic after it, then `lastcall restore` into an empty database with the live log: the
// restored tables equal the live ones row for row.

#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <filesystem>
#include <regex>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/snapshot_file.hpp"
#include "persistence/snapshot_format.hpp"
#include "tests/e2e/customer_steps.hpp"
#include "tests/integration/snapshot_cli.hpp"
#include "tests/integration/snapshot_tables.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

constexpr int customer_count = 8;
const std::string admin_token = "round-trip-admin-token";

// A port nothing listens on right now, for the bot's HTTP listener.
int free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  REQUIRE(fd >= 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  REQUIRE(::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) == 0);
  socklen_t length = sizeof address;
  REQUIRE(::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) == 0);
  ::close(fd);
  return ntohs(address.sin_port);
}

std::string pickup_code(const std::string& popup) {
  std::smatch code;
  if (std::regex_search(popup, code, std::regex("code is ([A-Z0-9]+)"))) return code[1];
  return "";
}

int64_t last_event_seq(const std::string& url) {
  auto connection = persistence::connect(url);
  pqxx::read_transaction txn(*connection);
  return txn.exec1("SELECT coalesce(max(seq),0) FROM events")[0].as<int64_t>();
}

int64_t stored_reservation_count(const std::string& url) {
  auto connection = persistence::connect(url);
  pqxx::read_transaction txn(*connection);
  return txn.exec1("SELECT count(*) FROM reservations")[0].as<int64_t>();
}

// One customer's share of a round: reserve one item of a deal, and every other round cancel it
// again with /cancel (and Yes to the question it asks).
void shops(chat_user& customer, int64_t message_id, int64_t offer_id, bool cancels) {
  const auto before = customer.seen();
  const auto popup = customer.taps(message_id, reserve_data(offer_id, 1));
  const auto code = pickup_code(popup.text);
  if (code.empty()) return;      // refused (sold out, paused): that is traffic too
  customer.await_reply(before);  // the confirmation
  if (!cancels) return;
  // The question may come after a notice the owner's changes caused; its Yes ends in ":y".
  auto index = customer.seen();
  customer.says("/cancel " + code);
  for (;; ++index) {
    const auto message = customer.await_reply(index);
    if (!message.reply_markup.contains("inline_keyboard")) continue;
    for (const auto& row : message.reply_markup["inline_keyboard"])
      for (const auto& button : row) {
        const auto data = button.value("callback_data", "");
        if (data.rfind("cancel:", 0) == 0 && data.size() > 2 &&
            data.compare(data.size() - 2, 2, ":y") == 0) {
          customer.taps(message.message_id, data);
          return;
        }
      }
  }
}

}  // namespace

TEST_CASE("a snapshot taken mid-traffic and restored with the later log equals the live state",
          "[e2e][snapshot]") {
  market_seed seed;
  auto bakery = seed.add_business(700, "Round Trip Bakery", {41.3111, 69.2797});
  std::vector<domain::offer> deals;
  for (const char* title : {"Buns", "Pies", "Cakes"}) {
    deals.push_back(seed.add_offer(bakery, offer_titled(title, 40)));
  }
  std::vector<domain::offer> drafts;
  for (const char* title : {"Bagels", "Muffins"}) {
    offer_seed spec;
    spec.title = title;
    spec.state = domain::offer_state::draft;
    drafts.push_back(seed.add_offer(bakery, spec));
  }
  const int port = free_port();
  auto m = seeded_market("snapshot-round-trip", seed,
                         {{"HTTP_PORT", std::to_string(port)}, {"ADMIN_TOKEN", admin_token}});
  const std::string server = "http://127.0.0.1:" + std::to_string(port);

  chat_user owner(*m, 700, "Olga");
  std::vector<std::unique_ptr<chat_user>> customers;
  std::vector<int64_t> message_ids;
  for (int i = 0; i < customer_count; ++i) {
    customers.push_back(std::make_unique<chat_user>(*m, 320000 + i, "Customer" + std::to_string(i),
                                                    i % 2 ? "ru" : "en"));
    message_ids.push_back(customers.back()->says("/help").message_id);
  }

  // A round of traffic: every customer shops on their own thread while the owner changes deals.
  auto round = [&](int number, const std::vector<std::string>& owner_commands) {
    std::vector<std::thread> threads;
    for (int i = 0; i < customer_count; ++i) {
      threads.emplace_back([&, i, number] {
        for (int k = 0; k < 3; ++k)
          shops(*customers[i], message_ids[i], deals[(i + k + number) % deals.size()].id,
                (i + k + number) % 2 == 0);
      });
    }
    threads.emplace_back([&owner, owner_commands] {
      for (const auto& command : owner_commands) owner.says(command);
    });
    return threads;
  };
  auto id = [](const domain::offer& o) { return std::to_string(o.id); };

  const auto snapshot_path = tests::temporary_path("round-trip-" + std::to_string(port));
  std::filesystem::remove(snapshot_path);
  auto during = round(0, {"/publish " + id(drafts[0]), "/pause " + id(deals[2]),
                          "/resume " + id(deals[2]), "/pause " + id(deals[1])});
  // Mid-traffic: the customers are shopping while the snapshot is taken.
  CHECK(eventually([&] { return stored_reservation_count(m->database_url()) >= 4; }));
  const auto taken = tests::run_lastcall({"snapshot", "--out", snapshot_path, "--server", server},
                                         {{"ADMIN_TOKEN", admin_token}}, "round-trip-snapshot");
  for (auto& t : during) t.join();
  INFO(taken.output);
  REQUIRE(taken.exit_code == 0);
  const auto parsed = persistence::parse_snapshot(persistence::read_whole_file(snapshot_path));
  REQUIRE(parsed.ok());
  const auto& snapshot = *parsed.value;
  CHECK(snapshot.event_seq > 0);
  CHECK(snapshot.entities.businesses.size() == 1);
  CHECK(snapshot.entities.reservations.size() >= 4);

  auto after =
      round(1, {"/publish " + id(drafts[1]), "/resume " + id(deals[1]), "/pause " + id(deals[0])});
  for (auto& t : after) t.join();
  CHECK(m->world().wait_until([&] { return m->world().pending_updates() == 0; }, answer_timeout));
  CHECK(m->stop_bot() == 0);

  const auto live = tests::read_market(m->database_url());
  const auto live_seq = last_event_seq(m->database_url());
  REQUIRE(live_seq > snapshot.event_seq);  // the log went on after the snapshot
  CHECK(live.at("reservations").size() > snapshot.entities.reservations.size());

  tests::test_database restored(false);
  const auto restore =
      tests::run_lastcall({"restore", snapshot_path, "--log-from", m->database_url()},
                          {{"DATABASE_URL", restored.url()}}, "round-trip-restore");
  INFO(restore.output);
  REQUIRE(restore.exit_code == 0);
  CHECK_THAT(restore.output, Catch::Contains("up to event " + std::to_string(live_seq)));

  tests::require_same_market(live, tests::read_market(restored.url()));
  CHECK(last_event_seq(restored.url()) == live_seq);
  std::filesystem::remove(snapshot_path);
}

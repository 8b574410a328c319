// /snapshot in chat, end to end: an admin is told where the server wrote a valid snapshot; a
// customer is told the command does not exist, and nothing is written.

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "persistence/snapshot_file.hpp"
#include "persistence/snapshot_format.hpp"
#include "tests/e2e/customer_steps.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

size_t files_in(const std::filesystem::path& folder) {
  if (!std::filesystem::exists(folder)) return 0;
  size_t n = 0;
  for (const auto& entry : std::filesystem::directory_iterator(folder))
    if (entry.is_regular_file()) ++n;
  return n;
}

}  // namespace

TEST_CASE(
    "an admin's /snapshot writes a valid snapshot and says where, and a customer's does nothing",
    "[e2e][snapshot]") {
  bakery_seed s("Snapshot Bakery");
  auto buns = s.offer("Snapshot buns");
  const auto folder = std::filesystem::temp_directory_path() /
                      ("lastcall-chat-snapshots-" + std::to_string(::getpid()));
  std::filesystem::remove_all(folder);
  auto m = seeded_market("snapshot-chat", s.seed, {{"SNAPSHOT_DIR", folder.string()}}, {900});
  chat_user admin(*m, 900, "Adam");
  chat_user customer(*m, 611, "Ann");

  // The customer reserves first, so the snapshot holds something the chat made.
  reserves_on(customer, opens_offer(customer, buns.id), "Reserve 1");

  const auto refused = customer.says("/snapshot");
  CHECK_THAT(refused.text, Catch::Contains("I don't know the command /snapshot"));
  CHECK(files_in(folder) == 0);

  const auto reply = admin.says("/snapshot");
  CHECK_THAT(reply.text, Catch::Contains("Snapshot saved"));
  const auto first_line_end = reply.text.find('\n');
  REQUIRE(first_line_end != std::string::npos);
  const auto path = reply.text.substr(
      first_line_end + 1, reply.text.find('\n', first_line_end + 1) - first_line_end - 1);
  INFO(reply.text);
  CHECK(std::filesystem::path(path).parent_path() == folder);
  REQUIRE(std::filesystem::exists(path));
  CHECK(files_in(folder) == 1);
  // Every user's data is in it: nobody but the bot's own user may read it.
  const auto mode = std::filesystem::status(path).permissions();
  CHECK((mode & (std::filesystem::perms::group_all | std::filesystem::perms::others_all)) ==
        std::filesystem::perms::none);

  const auto parsed = persistence::parse_snapshot(persistence::read_whole_file(path));
  INFO(parsed.error);
  REQUIRE(parsed.ok());
  CHECK_THAT(reply.text, Catch::Contains("event " + std::to_string(parsed.value->event_seq)));
  REQUIRE(parsed.value->entities.reservations.size() == 1);
  CHECK(parsed.value->entities.reservations[0].customer_id == customer.id());
  REQUIRE(parsed.value->entities.offers.size() == 1);
  CHECK(parsed.value->entities.offers[0].quantity_reserved == 1);

  // The help an admin reads names the command; a customer's does not.
  CHECK_THAT(admin.says("/help").text, Catch::Contains("/snapshot"));
  CHECK(customer.says("/help").text.find("/snapshot") == std::string::npos);
  std::filesystem::remove_all(folder);
}

// `lastcall restore FILE` as an operator runs it: a bad file or an occupied database is refused
// with a clear message and exit code 2, and nothing in the database changes.

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/snapshot_file.hpp"
#include "persistence/snapshot_reader.hpp"
#include "persistence/writer.hpp"
#include "tests/support/entity_samples.hpp"
#include "tests/integration/snapshot_cli.hpp"
#include "tests/integration/snapshot_tables.hpp"
#include "tests/support/test_database.hpp"

using namespace lastcall;
using tests::run_lastcall;

namespace {

void write(pqxx::connection& connection, persistence::unit_of_work unit) {
  std::vector<persistence::unit_of_work*> units{&unit};
  persistence::write_batch(connection, units, {});
}

persistence::unit_of_work small_market() {
  persistence::unit_of_work unit;
  unit.users = {tests::sample_user(500)};
  unit.businesses = {tests::sample_business(10, 500)};
  unit.offers = {tests::sample_offer(20, 10)};
  unit.reservations = {tests::sample_reservation(30, 20, 600)};
  unit.events = {{"reservation.created", 30, 600, nullptr}};
  return unit;
}

// A valid snapshot file of a small market, and the market it holds.
struct snapshot_file {
  tests::test_database source;
  std::string path = tests::temporary_path("restore-cli-" + source.name());
  std::string text;
  tests::market_tables market;

  snapshot_file() {
    auto connection = source.connect();
    write(*connection, small_market());
    market = tests::read_market(*connection);
    text = persistence::serialise_snapshot(
        persistence::pinned_snapshot::pin(source.url())->read(1767261600));
    persistence::write_file_atomically(path, text);
  }
  ~snapshot_file() { std::filesystem::remove(path); }
};

int64_t number(const std::string& url, const std::string& query) {
  auto connection = persistence::connect(url);
  pqxx::read_transaction txn(*connection);
  return txn.exec1(query)[0].as<int64_t>();
}

// What restore could have changed.
std::string fingerprint(const std::string& url) {
  return std::to_string(tests::row_count(tests::read_market(url))) + "/" +
         std::to_string(number(url, "SELECT count(*) FROM events")) + "/" +
         std::to_string(number(url, "SELECT count(*) FROM outbox")) + "/" +
         std::to_string(
             number(url, "SELECT value::bigint FROM bot_state WHERE key='update_offset'"));
}

}  // namespace

TEST_CASE("lastcall restore loads a snapshot into an empty database",
          "[integration][snapshot][cli]") {
  snapshot_file file;
  tests::test_database target(false);  // restore migrates it
  const auto run =
      run_lastcall({"restore", file.path}, {{"DATABASE_URL", target.url()}}, "restore-cli-ok");
  INFO(run.output);
  CHECK(run.exit_code == 0);
  CHECK_THAT(run.output, Catch::Contains("restored the snapshot at event 1: 1 users, 1 businesses, "
                                         "1 offers, 1 reservations"));
  tests::require_same_market(file.market, tests::read_market(target.url()));
}

TEST_CASE("lastcall restore refuses malformed, truncated and newer files and changes nothing",
          "[integration][snapshot][cli]") {
  snapshot_file file;
  tests::test_database target;
  const auto before = fingerprint(target.url());

  auto json = nlohmann::json::parse(file.text);
  auto newer = json;
  newer["version"] = 2;
  auto malformed = json;
  malformed["offers"][0]["state"] = "vanished";
  const std::vector<std::pair<std::string, std::string>> bad_files = {
      {file.text.substr(0, file.text.size() / 2), "truncated"},
      {newer.dump(), "version 2 is newer than this lastcall reads"},
      {malformed.dump(), "offers[0].state: unknown value \"vanished\""},
      {"", "the file is empty"},
      {"{\"format\": \"pg_dump\"}", "not a lastcall snapshot"},
  };
  const auto bad_path = tests::temporary_path("restore-cli-bad-" + target.name());
  for (const auto& [content, message] : bad_files) {
    std::ofstream(bad_path, std::ios::binary | std::ios::trunc) << content;
    const auto run =
        run_lastcall({"restore", bad_path}, {{"DATABASE_URL", target.url()}}, "restore-cli-bad");
    INFO(run.output);
    CHECK(run.exit_code == 2);
    CHECK_THAT(run.output, Catch::Contains("is not a usable snapshot") &&
                               Catch::Contains(message) && Catch::Contains("nothing was changed"));
    CHECK(fingerprint(target.url()) == before);
  }
  std::filesystem::remove(bad_path);

  const auto missing = run_lastcall({"restore", bad_path + ".absent"},
                                    {{"DATABASE_URL", target.url()}}, "restore-cli-missing");
  CHECK(missing.exit_code == 2);
  CHECK_THAT(missing.output, Catch::Contains("cannot read"));

  // serve --from-snapshot refuses the same way, before it starts serving.
  const auto serve = run_lastcall({"serve", "--from-snapshot", bad_path + ".absent"},
                                  {{"DATABASE_URL", target.url()}}, "restore-cli-serve");
  CHECK(serve.exit_code == 2);
  CHECK(fingerprint(target.url()) == before);
}

TEST_CASE("lastcall restore refuses a database that holds a market",
          "[integration][snapshot][cli]") {
  snapshot_file file;
  tests::test_database target;
  {
    auto connection = target.connect();
    auto unit = persistence::unit_of_work{};
    unit.businesses = {tests::sample_business(99, 1)};
    write(*connection, std::move(unit));
  }
  const auto before = fingerprint(target.url());
  const auto run = run_lastcall({"restore", file.path}, {{"DATABASE_URL", target.url()}},
                                "restore-cli-occupied");
  INFO(run.output);
  CHECK(run.exit_code == 2);
  CHECK_THAT(run.output,
             Catch::Contains("already holds businesses") && Catch::Contains("nothing was changed"));
  CHECK(fingerprint(target.url()) == before);
}

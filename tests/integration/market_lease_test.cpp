// The market's lease in a real PostgreSQL: one holder at a time, an epoch that only grows, and a
// fence that fails every transaction of a node whose epoch was taken over, even one that was
// already under way when the take-over happened.

#include <chrono>
#include <future>
#include <optional>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/failure.hpp"
#include "persistence/market_lease.hpp"
#include "persistence/writer.hpp"
#include "tests/support/entity_samples.hpp"
#include "tests/support/test_database.hpp"

using namespace lastcall;
using namespace std::chrono_literals;

namespace {

constexpr auto lease = 60s;

std::optional<int64_t> epoch_of(const std::optional<persistence::lease_grant>& grant) {
  if (!grant) return std::nullopt;
  return grant->epoch;
}

void expire_lease(pqxx::connection& connection) {
  pqxx::work txn(connection);
  txn.exec0("UPDATE market_lease SET expires_at = now() - interval '1 second'");
  txn.commit();
}

int64_t users_stored(pqxx::connection& connection) {
  pqxx::read_transaction txn(connection);
  return txn.exec1("SELECT count(*) FROM users")[0].as<int64_t>();
}

// Writes one user in a batch fenced by `epoch`; the failure kind when it throws.
std::optional<persistence::failure_kind> write_user(pqxx::connection& connection, int64_t epoch,
                                                    int64_t user_id) {
  persistence::unit_of_work unit;
  unit.users.push_back(tests::sample_user(user_id));
  std::vector<persistence::unit_of_work*> units{&unit};
  try {
    persistence::write_batch(connection, units, {}, {}, nullptr, epoch);
    return std::nullopt;
  } catch (const std::exception& e) {
    return persistence::classify_failure(e, connection.is_open());
  }
}

// node-a took the lease under epoch 1 and let it expire: a standby may take it over now.
struct expired_owner {
  tests::test_database db;
  std::unique_ptr<pqxx::connection> owner = db.connect();
  std::unique_ptr<pqxx::connection> standby = db.connect();
  expired_owner() {
    REQUIRE(epoch_of(persistence::take_lease(*owner, "node-a/1", lease)) == 1);
    expire_lease(*standby);
  }
};

}  // namespace

TEST_CASE("market lease: one holder at a time, taken over only once it expired",
          "[integration][lease]") {
  tests::test_database db;
  auto a = db.connect();
  auto b = db.connect();

  auto first = persistence::take_lease(*a, "node-a/1", lease);
  REQUIRE(first);
  CHECK(first->epoch == 1);
  CHECK(first->standbys == 0);
  CHECK_FALSE(persistence::take_lease(*b, "node-b/1", lease));
  CHECK(persistence::read_lease(*b).holder == "node-a/1");

  // The owner counts the standbys that said they wait.
  CHECK(persistence::renew_lease(*a, 1, lease, "node-a/1") == 0);
  persistence::note_standby(*b, "node-b/1");
  CHECK(persistence::renew_lease(*a, 1, lease, "node-a/1") == 1);

  expire_lease(*a);
  persistence::note_standby(*a, "node-a/1");
  auto second = persistence::take_lease(*b, "node-b/1", lease);
  REQUIRE(second);
  CHECK(second->epoch == 2);
  // Taking the lease says at once who stands by: the old owner has said it waits.
  CHECK(second->standbys == 1);
  // The old owner learns at its next renewal that the market is no longer its.
  CHECK_FALSE(persistence::renew_lease(*a, 1, lease, "node-a/1"));
  CHECK(persistence::renew_lease(*b, 2, lease, "node-b/1") == 1);
}

TEST_CASE("market lease: a holder known to be gone, or one that released it, is replaced at once",
          "[integration][lease]") {
  tests::test_database db;
  auto connection = db.connect();
  REQUIRE(persistence::take_lease(*connection, "host/100", lease));
  // Only the holder named as gone is replaced before the expiry.
  CHECK_FALSE(persistence::take_lease(*connection, "host/200", lease, true, "host/999"));
  CHECK(epoch_of(persistence::take_lease(*connection, "host/200", lease, true, "host/100")) == 2);

  persistence::release_lease(*connection, 2);
  CHECK(persistence::read_lease(*connection).expired);
  CHECK(epoch_of(persistence::take_lease(*connection, "other/1", lease)) == 3);
}

TEST_CASE("market lease: the fence fails every commit of an epoch that was taken over",
          "[integration][lease]") {
  tests::test_database db;
  auto a = db.connect();
  auto b = db.connect();
  REQUIRE(epoch_of(persistence::take_lease(*a, "node-a/1", lease)) == 1);
  CHECK_FALSE(write_user(*a, 1, 1001));
  CHECK(users_stored(*a) == 1);

  expire_lease(*b);
  REQUIRE(epoch_of(persistence::take_lease(*b, "node-b/1", lease)) == 2);
  CHECK(write_user(*a, 1, 1002) == persistence::failure_kind::fenced);
  CHECK(users_stored(*b) == 1);
  // The connection is usable again after the refusal, and the new epoch commits.
  CHECK_FALSE(write_user(*a, 2, 1003));
  CHECK(users_stored(*b) == 2);
}

TEST_CASE("market lease: a commit under way when the take-over starts is refused once it ends",
          "[integration][lease]") {
  expired_owner lease_of;
  auto& owner = lease_of.owner;
  auto& standby = lease_of.standby;

  // The take-over has raised the epoch but not committed yet when the owner's batch arrives.
  pqxx::work takeover(*standby);
  takeover.exec0("UPDATE market_lease SET epoch = epoch + 1, holder = 'node-b/1' WHERE id = 1");
  auto batch = std::async(std::launch::async, [&] { return write_user(*owner, 1, 2001); });
  takeover.commit();
  CHECK(batch.get() == persistence::failure_kind::fenced);
  CHECK(users_stored(*standby) == 0);
}

TEST_CASE("market lease: a take-over waits for the owner's open transaction, which then lands",
          "[integration][lease]") {
  expired_owner lease_of;
  auto& owner = lease_of.owner;
  auto& standby = lease_of.standby;

  pqxx::work commit(*owner);
  commit.exec(persistence::fence_statement(1));
  auto takeover = std::async(std::launch::async,
                             [&] { return persistence::take_lease(*standby, "b/1", lease); });
  commit.exec0("INSERT INTO bot_state (key, value) VALUES ('fenced_probe', 'landed')");
  commit.commit();
  // The new owner took over after the commit, so loading the market it sees what was committed.
  CHECK(epoch_of(takeover.get()) == 2);
  pqxx::read_transaction read(*standby);
  CHECK(read.exec1("SELECT value FROM bot_state WHERE key = 'fenced_probe'")[0].as<std::string>() ==
        "landed");
}

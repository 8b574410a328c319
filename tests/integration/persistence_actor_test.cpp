#include <chrono>
#include <functional>
#include <memory>
#include <thread>
#include <vector>

#include <caf/all.hpp>
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "actors/persistence_actor.hpp"
#include "persistence/loader.hpp"
#include "tests/support/entity_samples.hpp"
#include "tests/support/test_database.hpp"

using namespace lastcall;
using actors::commit_atom;
using actors::done_atom;
using actors::durable_atom;
using actors::processed_atom;
using actors::send_atom;
using persistence::unit_of_work;

namespace {

// Generous: only a broken actor makes a test wait this long.
constexpr auto patience = std::chrono::seconds(60);

// Stands in for the outbound actor and the update tracker: hands on what it gets to the test.
// Untyped, so it need not implement the rest of their interfaces; the persistence actor only sends
// these two messages.
caf::behavior relay(caf::event_based_actor* self, caf::actor test) {
  return {
      [=](send_atom, std::vector<telegram::api_call>& calls) {
        self->send(test, send_atom::value, std::move(calls));
      },
      [=](processed_atom, std::vector<int64_t>& ids) {
        self->send(test, processed_atom::value, std::move(ids));
      },
  };
}

// Sends all its units at once, as many sessions would, and reports how many became durable and how
// many failed.
caf::behavior requester(caf::event_based_actor* self, actors::persistence_actor persistence,
                        std::vector<unit_of_work> units, caf::actor report_to) {
  auto outcome = std::make_shared<std::pair<size_t, size_t>>(0, 0);
  const size_t total = units.size();
  auto settle = [=] {
    if (outcome->first + outcome->second < total) return;
    self->send(report_to, done_atom::value, outcome->first, outcome->second);
    self->quit();
  };
  for (auto& unit : units) {
    self->request(persistence, caf::infinite, commit_atom::value, std::move(unit))
        .then(
            [=](durable_atom) {
              ++outcome->first;
              settle();
            },
            [=](caf::error&) {
              ++outcome->second;
              settle();
            });
  }
  return {[](actors::stop_atom) {}};
}

telegram::api_call message_to(int64_t chat_id) {
  telegram::api_call call;
  call.method = "sendMessage";
  call.chat_id = chat_id;
  call.params = {{"chat_id", chat_id}, {"text", "saved"}};
  return call;
}

// A unit like a session turn's: the user's record, an event, a reply and the update it handled.
unit_of_work user_unit(int64_t id) {
  unit_of_work unit;
  unit.users = {tests::sample_user(id)};
  unit.events = {{"user.started", id, id, {{"n", id}}}};
  unit.outbox = {message_to(id)};
  unit.processed_updates = {id};
  return unit;
}

int64_t count(pqxx::connection& connection, const std::string& query) {
  pqxx::read_transaction txn(connection);
  return txn.exec1(query)[0].as<int64_t>();
}

struct persistence_fixture {
  tests::test_database db;
  std::unique_ptr<pqxx::connection> observer = db.connect();
  persistence::persistence_metrics metrics;
  caf::actor_system_config config;
  caf::actor_system system{config};
  caf::scoped_actor self{system};
  caf::actor relay_actor;
  actors::persistence_actor persistence;
  std::vector<telegram::api_call> forwarded_calls;
  size_t call_messages = 0;
  std::vector<int64_t> forwarded_processed;

  explicit persistence_fixture(size_t batch_max_units = 1000, size_t pending_max_units = 100000) {
    relay_actor = system.spawn(relay, caf::actor_cast<caf::actor>(self));
    actors::persistence_options options;
    options.database_url = db.url();
    options.batch_max_units = batch_max_units;
    options.pending_max_units = pending_max_units;
    options.metrics = &metrics;
    persistence = actors::spawn_persistence(system, options,
                                            caf::actor_cast<actors::outbound_actor>(relay_actor),
                                            caf::actor_cast<actors::update_sink>(relay_actor));
  }

  ~persistence_fixture() {
    stop_persistence();
    self->send_exit(relay_actor, caf::exit_reason::user_shutdown);
  }

  void stop_persistence() {
    if (!persistence) return;
    self->send_exit(persistence, caf::exit_reason::user_shutdown);
    self->wait_for(persistence);
    persistence = nullptr;
  }

  auto request_commit(unit_of_work unit) {
    return self->request(persistence, patience, commit_atom::value, std::move(unit));
  }

  // No error when the unit became durable.
  template <class Handle>
  caf::error outcome(Handle& handle) {
    caf::error result;
    handle.receive([](durable_atom) {}, [&](caf::error& e) { result = std::move(e); });
    return result;
  }

  caf::error commit(unit_of_work unit) {
    auto handle = request_commit(std::move(unit));
    return outcome(handle);
  }

  // Collects what the actor handed on until `done` holds; false when it never does.
  bool collect_until(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      self->receive(
          [&](send_atom, std::vector<telegram::api_call>& calls) {
            ++call_messages;
            for (auto& call : calls) forwarded_calls.push_back(std::move(call));
          },
          [&](processed_atom, std::vector<int64_t>& ids) {
            forwarded_processed.insert(forwarded_processed.end(), ids.begin(), ids.end());
          },
          caf::after(std::chrono::milliseconds(50)) >> [] {});
    }
    return true;
  }

  bool poll_database(const std::function<bool()>& done) {
    const auto deadline = std::chrono::steady_clock::now() + patience;
    while (!done()) {
      if (std::chrono::steady_clock::now() > deadline) return false;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return true;
  }

  // Holds a lock every write to users waits for, until release(): the actor's commit stalls.
  struct users_lock {
    std::unique_ptr<pqxx::connection> connection;
    std::unique_ptr<pqxx::work> txn;
    void release() { txn->abort(); }
  };

  users_lock lock_users() {
    users_lock lock{db.connect(), nullptr};
    lock.txn = std::make_unique<pqxx::work>(*lock.connection);
    lock.txn->exec0("LOCK TABLE users IN SHARE MODE");
    return lock;
  }

  bool writer_is_waiting_for_lock() {
    return poll_database([&] {
      return count(*observer,
                   "SELECT count(*) FROM pg_locks WHERE NOT granted AND database = "
                   "(SELECT oid FROM pg_database WHERE datname = current_database())") > 0;
    });
  }

  // User 1's commit, stalled on the users lock until the lock's release(): what is requested
  // meanwhile waits behind it.
  auto stall_first_commit() {
    auto lock = lock_users();
    auto first = request_commit(user_unit(1));
    REQUIRE(writer_is_waiting_for_lock());
    return std::make_pair(std::move(lock), std::move(first));
  }

  // Commits of users first..last, requested one after the other.
  auto request_users(int64_t first, int64_t last) {
    std::vector<decltype(request_commit(unit_of_work{}))> handles;
    for (int64_t id = first; id <= last; ++id) handles.push_back(request_commit(user_unit(id)));
    return handles;
  }
};

}  // namespace

TEST_CASE("a committed unit is durable, then its calls and update ids are handed on",
          "[persistence][actor]") {
  persistence_fixture f;
  auto unit = user_unit(1);
  unit.outbox.push_back(message_to(2));
  unit.processed_updates = {41, 42};
  REQUIRE_FALSE(f.commit(unit));

  // Durable means committed: another connection sees the rows right away.
  const auto stored = persistence::load_state(*f.observer);
  REQUIRE(stored.users_with_session.size() == 1);
  REQUIRE(stored.outbox.size() == 2);
  CHECK(stored.processed_update_ids == std::vector<int64_t>{41, 42});

  REQUIRE(f.collect_until(
      [&] { return f.forwarded_calls.size() == 2 && f.forwarded_processed.size() == 2; }));
  CHECK(f.call_messages == 1);
  CHECK(f.forwarded_calls[0].chat_id == 1);
  CHECK(f.forwarded_calls[0].outbox_id == stored.outbox[0].outbox_id);
  CHECK(f.forwarded_calls[1].chat_id == 2);
  CHECK(f.forwarded_calls[1].outbox_id == stored.outbox[1].outbox_id);
  CHECK(f.forwarded_processed == std::vector<int64_t>{41, 42});

  // Telegram accepted the first call: its outbox row goes with the next batch.
  f.self->send(f.persistence, actors::sent_atom::value,
               std::vector<int64_t>{f.forwarded_calls[0].outbox_id});
  REQUIRE(f.poll_database([&] {
    return f.metrics.batches.load() == 2 && persistence::load_state(*f.observer).outbox.size() == 1;
  }));
  CHECK(persistence::load_state(*f.observer).outbox[0].outbox_id == f.forwarded_calls[1].outbox_id);
  CHECK(f.metrics.units.load() == 1);
}

TEST_CASE("units that arrive during a commit form the next batch", "[persistence][actor]") {
  persistence_fixture f;
  auto [lock, first] = f.stall_first_commit();
  auto queued = f.request_users(2, 6);
  lock.release();

  REQUIRE_FALSE(f.outcome(first));
  for (auto& handle : queued) REQUIRE_FALSE(f.outcome(handle));
  CHECK(f.metrics.batches.load() == 2);
  CHECK(f.metrics.units.load() == 6);
  CHECK(f.metrics.last_batch_units.load() == 5);
  CHECK(f.metrics.largest_batch_units.load() == 5);
  CHECK(count(*f.observer, "SELECT count(*) FROM users") == 6);

  // One send per batch, not per unit.
  REQUIRE(f.collect_until(
      [&] { return f.forwarded_calls.size() == 6 && f.forwarded_processed.size() == 6; }));
  CHECK(f.call_messages == 2);
}

TEST_CASE("many requesters at once: every unit becomes durable, in shared batches",
          "[persistence][actor]") {
  const size_t batch_max = 100;
  persistence_fixture f(batch_max);
  const int64_t requesters = 8, units_each = 250, total = requesters * units_each;
  for (int64_t r = 0; r < requesters; ++r) {
    std::vector<unit_of_work> units;
    for (int64_t i = 0; i < units_each; ++i) units.push_back(user_unit(1 + r * units_each + i));
    f.system.spawn(requester, f.persistence, std::move(units), caf::actor_cast<caf::actor>(f.self));
  }

  size_t durable = 0, failed = 0, reports = 0;
  bool timed_out = false;
  while (reports < static_cast<size_t>(requesters) && !timed_out) {
    f.self->receive(
        [&](done_atom, size_t ok, size_t bad) {
          durable += ok;
          failed += bad;
          ++reports;
        },
        caf::after(patience) >> [&] { timed_out = true; });
  }
  REQUIRE_FALSE(timed_out);
  CHECK(failed == 0);
  CHECK(durable == static_cast<size_t>(total));
  CHECK(count(*f.observer, "SELECT count(*) FROM users") == total);
  CHECK(count(*f.observer, "SELECT count(*) FROM events") == total);
  CHECK(count(*f.observer, "SELECT count(*) FROM outbox") == total);
  CHECK(f.metrics.units.load() == static_cast<uint64_t>(total));
  CHECK(f.metrics.batches.load() < static_cast<uint64_t>(total));
  CHECK(f.metrics.largest_batch_units.load() > 1);
  CHECK(f.metrics.largest_batch_units.load() <= batch_max);
  CHECK(f.metrics.failed_units.load() == 0);

  REQUIRE(f.collect_until([&] {
    return f.forwarded_calls.size() == static_cast<size_t>(total) &&
           f.forwarded_processed.size() == static_cast<size_t>(total);
  }));
  CHECK(f.call_messages == f.metrics.batches.load());
}

TEST_CASE("a unit the database rejects fails alone and the rest of its batch is saved",
          "[persistence][actor]") {
  persistence_fixture f;
  auto [lock, blocker] = f.stall_first_commit();

  unit_of_work bad = user_unit(3);
  bad.businesses = {tests::sample_business(30)};
  bad.offers = {tests::sample_offer(31, 30)};
  bad.offers[0].quantity_total = -1;  // violates CHECK (quantity_total >= 0)
  auto good_before = f.request_commit(user_unit(2));
  auto rejected = f.request_commit(bad);
  auto good_after = f.request_commit(user_unit(4));
  lock.release();

  REQUIRE_FALSE(f.outcome(blocker));
  CHECK_FALSE(f.outcome(good_before));
  CHECK(f.outcome(rejected));
  CHECK_FALSE(f.outcome(good_after));
  CHECK(f.metrics.failed_units.load() == 1);
  CHECK(f.metrics.units.load() == 3);

  CHECK(count(*f.observer, "SELECT count(*) FROM users WHERE id IN (1, 2, 4)") == 3);
  CHECK(count(*f.observer, "SELECT count(*) FROM users WHERE id = 3") == 0);
  CHECK(count(*f.observer, "SELECT count(*) FROM offers") == 0);
  CHECK(count(*f.observer, "SELECT count(*) FROM businesses") == 0);

  REQUIRE(f.collect_until(
      [&] { return f.forwarded_calls.size() == 3 && f.forwarded_processed.size() == 3; }));
  for (const auto& call : f.forwarded_calls) CHECK(call.chat_id != 3);

  // The actor carries on normally afterwards.
  CHECK_FALSE(f.commit(user_unit(5)));
}

TEST_CASE("while too many units wait, new ones are refused at once", "[persistence][actor]") {
  persistence_fixture f(1000, 2);
  auto [lock, in_flight] = f.stall_first_commit();
  auto queued = f.request_users(2, 5);
  lock.release();

  // After the first batch: 2 and 3 fill the queue to its limit of 2, so 4 and 5 are refused.
  REQUIRE_FALSE(f.outcome(in_flight));
  CHECK_FALSE(f.outcome(queued[0]));
  CHECK_FALSE(f.outcome(queued[1]));
  CHECK(f.outcome(queued[2]));
  CHECK(f.outcome(queued[3]));
  CHECK(f.metrics.refused_units.load() == 2);
  CHECK(count(*f.observer, "SELECT count(*) FROM users") == 3);
}

TEST_CASE("while the database is unreachable units wait, then commit once it is back",
          "[persistence][actor]") {
  persistence_fixture f;
  REQUIRE_FALSE(f.commit(user_unit(1)));

  // Break the actor's connection and keep it from reconnecting.
  auto admin = f.db.connect_admin();
  auto allow_connections = [&](bool allow) {
    pqxx::nontransaction txn(*admin);
    txn.exec0("ALTER DATABASE " + txn.quote_name(f.db.name()) + " WITH ALLOW_CONNECTIONS " +
              (allow ? "true" : "false"));
  };
  allow_connections(false);
  const std::string others =
      "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()";
  count(*f.observer, "SELECT count(pg_terminate_backend(pid)) " + others);
  REQUIRE(f.poll_database([&] { return count(*f.observer, "SELECT count(*) " + others) == 0; }));

  auto during_outage = f.request_commit(user_unit(2));
  REQUIRE(f.poll_database([&] { return f.metrics.outage.load(); }));
  CHECK(f.metrics.pending_units.load() == 1);
  CHECK(count(*f.observer, "SELECT count(*) FROM users") == 1);

  allow_connections(true);
  REQUIRE_FALSE(f.outcome(during_outage));
  CHECK(count(*f.observer, "SELECT count(*) FROM users") == 2);
  CHECK(f.metrics.outages.load() == 1);
  CHECK_FALSE(f.metrics.outage.load());
  CHECK(f.metrics.units.load() == 2);
}

TEST_CASE("units still waiting when the actor stops are committed first", "[persistence][actor]") {
  persistence_fixture f;
  auto [lock, in_flight] = f.stall_first_commit();
  auto waiting = f.request_commit(user_unit(2));
  // Queued behind the commit, ahead of the flush that commit schedules.
  caf::anon_send_exit(f.persistence, caf::exit_reason::user_shutdown);
  lock.release();

  REQUIRE_FALSE(f.outcome(in_flight));
  CHECK_FALSE(f.outcome(waiting));
  f.self->wait_for(f.persistence);
  f.persistence = nullptr;
  CHECK(count(*f.observer, "SELECT count(*) FROM users") == 2);
  CHECK(f.metrics.units.load() == 2);
}

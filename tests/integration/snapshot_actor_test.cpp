// Snapshots taken by the persistence actor: between batches, after what it accepted before the
// request, and not stalled by what comes after.

#include <chrono>
#include <filesystem>
#include <vector>

#include <caf/all.hpp>
#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "actors/persistence_actor.hpp"
#include "persistence/database.hpp"
#include "persistence/snapshot_file.hpp"
#include "persistence/snapshot_format.hpp"
#include "tests/support/entity_samples.hpp"
#include "tests/support/test_database.hpp"

using namespace lastcall;
using actors::commit_atom;
using actors::durable_atom;
using actors::snapshot_atom;
using actors::snapshot_outcome;
using persistence::unit_of_work;

namespace {

// Generous: only a broken actor makes a test wait this long.
constexpr auto patience = std::chrono::seconds(60);

// Takes the place of the outbound actor and the update tracker; what they get does not matter here.
caf::behavior sink(caf::event_based_actor*) {
  return {[](actors::send_atom, std::vector<telegram::api_call>&) {},
          [](actors::processed_atom, std::vector<int64_t>&) {}};
}

unit_of_work user_unit(int64_t id) {
  unit_of_work unit;
  unit.users = {tests::sample_user(id)};
  unit.events = {{"user.started", id, id, {{"n", id}}}};
  return unit;
}

struct snapshot_fixture {
  tests::test_database db;
  caf::actor_system_config config;
  caf::actor_system system{config};
  caf::scoped_actor self{system};
  caf::actor sink_actor = system.spawn(sink);
  actors::persistence_actor persistence;

  explicit snapshot_fixture(std::string database_url = {}) {
    actors::persistence_options options;
    options.database_url = database_url.empty() ? db.url() : database_url;
    persistence = actors::spawn_persistence(system, options,
                                            caf::actor_cast<actors::outbound_actor>(sink_actor),
                                            caf::actor_cast<actors::update_sink>(sink_actor));
  }
  ~snapshot_fixture() {
    self->send_exit(persistence, caf::exit_reason::user_shutdown);
    self->wait_for(persistence);
    self->send_exit(sink_actor, caf::exit_reason::user_shutdown);
  }

  snapshot_outcome wait(decltype(std::declval<caf::scoped_actor&>()->request(
      std::declval<actors::persistence_actor&>(), patience, snapshot_atom::value,
      std::string()))& handle) {
    snapshot_outcome out;
    out.error = "no answer";
    handle.receive([&](snapshot_outcome& answer) { out = std::move(answer); },
                   [&](caf::error& e) { out.error = to_string(e); });
    return out;
  }

  int64_t last_seq() {
    auto connection = db.connect();
    pqxx::read_transaction txn(*connection);
    return txn.exec1("SELECT coalesce(max(seq),0) FROM events")[0].as<int64_t>();
  }
};

std::set<int64_t> user_ids(const persistence::snapshot& s) {
  std::set<int64_t> ids;
  for (const auto& u : s.entities.users) ids.insert(u.id);
  return ids;
}

}  // namespace

TEST_CASE("a snapshot holds every unit accepted before it was asked for",
          "[integration][snapshot][actor]") {
  snapshot_fixture f;
  std::vector<decltype(f.self->request(f.persistence, patience, commit_atom::value,
                                       unit_of_work{}))>
      commits;
  for (int64_t id = 1; id <= 50; ++id)
    commits.push_back(f.self->request(f.persistence, patience, commit_atom::value, user_unit(id)));
  auto asked = f.self->request(f.persistence, patience, snapshot_atom::value, std::string());
  const auto out = f.wait(asked);
  INFO(out.error);
  REQUIRE(out.ok);
  CHECK(out.path.empty());
  for (auto& commit : commits) {
    bool durable = false;
    commit.receive([&](durable_atom) { durable = true; }, [](caf::error&) {});
    CHECK(durable);
  }

  const auto parsed = persistence::parse_snapshot(out.text);
  INFO(parsed.error);
  REQUIRE(parsed.ok());
  CHECK(user_ids(*parsed.value).size() == 50);
  CHECK(parsed.value->event_seq == out.event_seq);
  CHECK(out.event_seq == f.last_seq());
}

TEST_CASE("a snapshot holds nothing accepted after it was asked for",
          "[integration][snapshot][actor]") {
  snapshot_fixture f;
  auto first = f.self->request(f.persistence, patience, commit_atom::value, user_unit(1));
  first.receive([](durable_atom) {}, [](caf::error&) { FAIL("not saved"); });

  // One sender's messages arrive in order: the snapshot is pinned before these units are seen.
  auto asked = f.self->request(f.persistence, patience, snapshot_atom::value, std::string());
  std::vector<decltype(f.self->request(f.persistence, patience, commit_atom::value,
                                       unit_of_work{}))>
      later;
  for (int64_t id = 2; id <= 30; ++id)
    later.push_back(f.self->request(f.persistence, patience, commit_atom::value, user_unit(id)));
  const auto out = f.wait(asked);
  REQUIRE(out.ok);
  for (auto& commit : later) commit.receive([](durable_atom) {}, [](caf::error&) {});

  const auto parsed = persistence::parse_snapshot(out.text);
  REQUIRE(parsed.ok());
  CHECK(user_ids(*parsed.value) == std::set<int64_t>{1});
  CHECK(out.event_seq < f.last_seq());
}

TEST_CASE("given a folder, the snapshot is written there and the answer names the file",
          "[integration][snapshot][actor]") {
  snapshot_fixture f;
  auto commit = f.self->request(f.persistence, patience, commit_atom::value, user_unit(7));
  commit.receive([](durable_atom) {}, [](caf::error&) { FAIL("not saved"); });
  const auto folder =
      std::filesystem::temp_directory_path() / ("lastcall-snapshots-" + f.db.name()) / "nested";
  auto asked = f.self->request(f.persistence, patience, snapshot_atom::value, folder.string());
  const auto out = f.wait(asked);
  INFO(out.error);
  REQUIRE(out.ok);
  CHECK(out.text.empty());
  const std::filesystem::path path(out.path);
  CHECK(path.is_absolute());
  CHECK(path.parent_path() == folder);
  CHECK(path.filename().string().rfind("snapshot-", 0) == 0);
  const auto parsed = persistence::parse_snapshot(persistence::read_whole_file(out.path));
  REQUIRE(parsed.ok());
  CHECK(user_ids(*parsed.value) == std::set<int64_t>{7});
  CHECK(parsed.value->event_seq == out.event_seq);
  std::filesystem::remove_all(folder.parent_path());
}

TEST_CASE("several snapshot requests at once are each answered", "[integration][snapshot][actor]") {
  snapshot_fixture f;
  auto commit = f.self->request(f.persistence, patience, commit_atom::value, user_unit(3));
  commit.receive([](durable_atom) {}, [](caf::error&) { FAIL("not saved"); });
  std::vector<decltype(f.self->request(f.persistence, patience, snapshot_atom::value,
                                       std::string()))>
      asked;
  for (int i = 0; i < 3; ++i)
    asked.push_back(f.self->request(f.persistence, patience, snapshot_atom::value, std::string()));
  for (auto& handle : asked) {
    const auto out = f.wait(handle);
    CHECK(out.ok);
    CHECK(out.event_seq == f.last_seq());
  }
}

TEST_CASE("a snapshot of an unreachable database is refused plainly",
          "[integration][snapshot][actor]") {
  tests::test_database db;
  snapshot_fixture f(persistence::with_database(db.url(), db.name() + "_missing"));
  auto asked = f.self->request(f.persistence, patience, snapshot_atom::value, std::string());
  const auto out = f.wait(asked);
  CHECK_FALSE(out.ok);
  CHECK_THAT(out.error, Catch::Contains("could not start"));
  CHECK(out.text.empty());
}

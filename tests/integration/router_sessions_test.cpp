// The router and the sessions it starts, with stand-ins for everything else: a session that fails
// is forgotten, so the user's next update starts a new one; sessions stop when the router stops.
// (Sessions are not linked to the router; see actors/session_actor.hpp.)

#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include "actors/router.hpp"

using namespace lastcall;
using namespace lastcall::actors;

namespace {

// Who asked the user loader for which user. Loads are never answered: each session stays where it
// is, waiting for its user's record.
struct loads_seen {
  std::mutex mutex;
  std::vector<std::pair<int64_t, caf::actor>> by;
  std::vector<caf::response_promise> unanswered;

  std::vector<std::pair<int64_t, caf::actor>> snapshot() {
    std::lock_guard<std::mutex> guard(mutex);
    return by;
  }
};

caf::behavior silent_loader(caf::event_based_actor* self, std::shared_ptr<loads_seen> seen) {
  return {
      [=](load_atom, int64_t user_id) {
        std::lock_guard<std::mutex> guard(seen->mutex);
        seen->by.emplace_back(user_id, caf::actor_cast<caf::actor>(self->current_sender()));
        seen->unanswered.push_back(self->make_response_promise());
      },
  };
}

// Stands in for persistence, the market and the outbound actor, none of which a session waiting
// for its record talks to.
caf::behavior nobody(caf::event_based_actor*) {
  return {[](caf::message&) {}};
}

// The router's world: the loader and persistence given, every other actor a stand-in; the users
// in `stored` have rows.
router_dependencies dependencies(const caf::actor& loader, const caf::actor& persistence,
                                 const caf::actor& stand_in, std::vector<int64_t> stored) {
  router_dependencies deps;
  deps.settings = std::make_shared<config::settings>();
  deps.persistence = caf::actor_cast<persistence_actor>(persistence);
  deps.user_loader = caf::actor_cast<user_loader_actor>(loader);
  deps.market = caf::actor_cast<market_actor>(stand_in);
  deps.outbound = caf::actor_cast<outbound_actor>(stand_in);
  deps.known_user_ids = std::move(stored);
  return deps;
}

telegram::update text_from(int64_t update_id, int64_t user_id) {
  telegram::update u;
  u.update_id = update_id;
  telegram::message m;
  m.chat_id = user_id;
  m.chat_type = "private";
  m.from = telegram::user{};
  m.from->id = user_id;
  m.text = "/start";
  u.message = m;
  return u;
}

// Waits (up to a minute) until `done` holds.
bool eventually(const std::function<bool()>& done) {
  auto deadline = std::chrono::steady_clock::now() + std::chrono::minutes(1);
  while (!done()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return true;
}

// An actor system with a loader that never answers and a stand-in for the actors a waiting session
// does not talk to; stops them (and whatever a test adds to `actors`) at the end.
struct router_rig {
  caf::actor_system_config cfg;
  caf::actor_system system{cfg};
  caf::scoped_actor self{system};
  std::shared_ptr<loads_seen> loads = std::make_shared<loads_seen>();
  caf::actor loader = system.spawn(silent_loader, loads);
  caf::actor stand_in = system.spawn(nobody);
  std::vector<caf::actor> actors{loader, stand_in};

  ~router_rig() {
    // The last added (the router, where a test adds it) first.
    for (auto it = actors.rbegin(); it != actors.rend(); ++it)
      self->send_exit(*it, caf::exit_reason::user_shutdown);
  }
};

}  // namespace

TEST_CASE("a session that fails is forgotten, and sessions stop with the router",
          "[integration][router]") {
  router_rig rig;
  auto& self = rig.self;
  const auto& seen = rig.loads;

  // User 42 is stored: its session loads it.
  auto router =
      spawn_router(rig.system, dependencies(rig.loader, rig.stand_in, rig.stand_in, {42}));
  auto live_sessions = [&] {
    uint64_t n = 0;
    self->request(router, caf::infinite, status_atom::value)
        .receive([&](uint64_t x) { n = x; }, [](caf::error&) {});
    return n;
  };

  self->send(router, update_atom::value, text_from(1, 42));
  REQUIRE(eventually([&] { return seen->snapshot().size() == 1; }));
  auto first = seen->snapshot()[0];
  CHECK(first.first == 42);
  CHECK(live_sessions() == 1);

  // The session fails (as an uncaught exception in a flow would end it).
  self->send_exit(first.second, caf::exit_reason::kill);
  CHECK(eventually([&] { return live_sessions() == 0; }));

  // The user writes again: a new session starts and loads the user afresh.
  self->send(router, update_atom::value, text_from(2, 42));
  REQUIRE(eventually([&] { return seen->snapshot().size() == 2; }));
  auto second = seen->snapshot()[1];
  CHECK(second.first == 42);
  CHECK(second.second.address() != first.second.address());
  CHECK(live_sessions() == 1);

  // Shutdown: the router stops its sessions.
  self->monitor(second.second);
  self->send_exit(router, caf::exit_reason::user_shutdown);
  bool stopped = false;
  self->receive([&](caf::down_msg& down) { stopped = down.source == second.second.address(); },
                caf::after(std::chrono::minutes(1)) >> [] {});
  CHECK(stopped);
}

// Stands in for the persistence actor: notes which updates' turns it was asked to commit, and never
// answers.
struct commits_seen {
  std::mutex mutex;
  std::vector<int64_t> updates;
  std::vector<int64_t> snapshot() {
    std::lock_guard<std::mutex> guard(mutex);
    return updates;
  }
  void note(const persistence::unit_of_work& unit) {
    std::lock_guard<std::mutex> guard(mutex);
    updates.insert(updates.end(), unit.processed_updates.begin(), unit.processed_updates.end());
  }
};

caf::behavior noting_persistence(caf::event_based_actor* self, std::shared_ptr<commits_seen> seen) {
  return {
      [=](commit_atom, persistence::unit_of_work& unit) {
        seen->note(unit);
        // Kept unanswered: the session waits, as it would for a slow commit.
        auto promise = self->make_response_promise();
        (void)promise;
      },
      // A session hands its unit over in a shared pointer (see actors/persistence_actor.hpp).
      [=](commit_atom, std::shared_ptr<persistence::unit_of_work>& unit) {
        seen->note(*unit);
        auto promise = self->make_response_promise();
        (void)promise;
      },
      [](caf::message&) {},
  };
}

TEST_CASE("a user with no stored row is handled at once, without asking the database",
          "[integration][router]") {
  router_rig rig;
  auto& self = rig.self;
  const auto& loads = rig.loads;
  auto commits = std::make_shared<commits_seen>();
  auto persistence = rig.system.spawn(noting_persistence, commits);
  rig.actors.push_back(persistence);

  auto router = spawn_router(rig.system, dependencies(rig.loader, persistence, rig.stand_in, {42}));
  rig.actors.push_back(caf::actor_cast<caf::actor>(router));

  self->send(router, update_atom::value, text_from(1, 42));  // stored: waits for its record
  self->send(router, update_atom::value, text_from(2, 7));   // new: handled from memory
  REQUIRE(eventually([&] { return commits->snapshot() == std::vector<int64_t>{2}; }));
  REQUIRE(eventually([&] { return loads->snapshot().size() == 1; }));
  CHECK(loads->snapshot()[0].first == 42);
}

namespace {

// Stands in for the outbound actor: notes to whom each message goes.
struct sends_seen {
  std::mutex mutex;
  std::vector<int64_t> chats;
  std::vector<int64_t> snapshot() {
    std::lock_guard<std::mutex> guard(mutex);
    return chats;
  }
};

caf::behavior noting_outbound(caf::event_based_actor*, std::shared_ptr<sends_seen> seen) {
  return {
      [=](send_atom, std::vector<telegram::api_call>& calls) {
        std::lock_guard<std::mutex> guard(seen->mutex);
        for (const auto& call : calls) seen->chats.push_back(call.chat_id);
      },
      [](caf::message&) {},
  };
}

}  // namespace

TEST_CASE("an update reported late is explained to its user once its turn waits for the commit",
          "[integration][router]") {
  router_rig rig;
  auto& self = rig.self;
  auto commits = std::make_shared<commits_seen>();
  auto persistence = rig.system.spawn(noting_persistence, commits);
  auto sends = std::make_shared<sends_seen>();
  auto outbound = rig.system.spawn(noting_outbound, sends);
  rig.actors.push_back(persistence);
  rig.actors.push_back(outbound);

  auto deps = dependencies(rig.loader, persistence, rig.stand_in, {42});
  deps.outbound = caf::actor_cast<outbound_actor>(outbound);
  auto settings = std::make_shared<config::settings>();
  settings->not_confirmed_notice_seconds = 1;
  deps.settings = settings;
  auto router = spawn_router(rig.system, std::move(deps));
  rig.actors.push_back(caf::actor_cast<caf::actor>(router));

  // User 7 is new: the turn is handled at once and waits for its commit, which never comes. Its
  // replies wait with it; only the late report makes the session say something now.
  self->send(router, update_atom::value, text_from(1, 7));
  REQUIRE(eventually([&] { return commits->snapshot() == std::vector<int64_t>{1}; }));
  CHECK(sends->snapshot().empty());
  self->send(router, late_atom::value, int64_t{7}, int64_t{1});
  REQUIRE(eventually([&] { return sends->snapshot() == std::vector<int64_t>{7}; }));

  // Reports of updates the session is not at, and of users without a session, say nothing.
  self->send(router, late_atom::value, int64_t{7}, int64_t{99});
  self->send(router, late_atom::value, int64_t{8}, int64_t{3});

  // User 42 is stored: the update waits for the record, and is reported late meanwhile. Once the
  // record comes and the turn commits, its commit gets a watch of its own (1 s here).
  self->send(router, update_atom::value, text_from(2, 42));
  REQUIRE(eventually([&] { return rig.loads->snapshot().size() == 1; }));
  self->send(router, late_atom::value, int64_t{42}, int64_t{2});
  {
    std::lock_guard<std::mutex> guard(rig.loads->mutex);
    rig.loads->unanswered.at(0).deliver(std::optional<domain::user_record>{});
  }
  REQUIRE(eventually([&] { return commits->snapshot() == std::vector<int64_t>{1, 2}; }));
  REQUIRE(eventually([&] { return sends->snapshot().size() == 2; }));
  CHECK(sends->snapshot() == std::vector<int64_t>{7, 42});
}

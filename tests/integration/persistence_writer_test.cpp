#include <algorithm>
#include <chrono>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/failure.hpp"
#include "persistence/loader.hpp"
#include "persistence/writer.hpp"
#include "tests/support/entity_samples.hpp"
#include "tests/support/test_database.hpp"

using namespace lastcall;
using persistence::unit_of_work;

namespace {

void write(pqxx::connection& connection, std::vector<unit_of_work>& units,
           const std::vector<int64_t>& sent = {}) {
  std::vector<unit_of_work*> pointers;
  for (auto& unit : units) pointers.push_back(&unit);
  persistence::write_batch(connection, pointers, sent);
}

void write(pqxx::connection& connection, unit_of_work unit) {
  std::vector<unit_of_work> units{std::move(unit)};
  write(connection, units);
}

int64_t count(pqxx::connection& connection, const std::string& query) {
  pqxx::read_transaction txn(connection);
  return txn.exec1(query)[0].as<int64_t>();
}

telegram::api_call sample_call(int64_t chat_id, const std::string& text) {
  telegram::api_call call;
  call.method = "sendMessage";
  call.chat_id = chat_id;
  call.params = {{"chat_id", chat_id}, {"text", text}};
  call.priority = telegram::call_priority::bulk;
  return call;
}

template <class Entity>
const Entity& by_id(const std::vector<Entity>& entities, int64_t id) {
  auto it =
      std::find_if(entities.begin(), entities.end(), [id](const Entity& e) { return e.id == id; });
  REQUIRE(it != entities.end());
  return *it;
}

// Offer `id` of business 1 as of `version`, its title telling which image it is.
domain::offer offer_image(int64_t id, int64_t version, const std::string& title) {
  auto offer = tests::sample_offer(id, 1);
  offer.version = version;
  offer.title = title;
  return offer;
}

}  // namespace

TEST_CASE("write_batch stores every field and load_state reads it back", "[persistence][writer]") {
  tests::test_database db;
  auto connection = db.connect();

  unit_of_work unit;
  unit.users.push_back(tests::sample_user(500));
  unit.businesses.push_back(tests::sample_business(10, 500));
  unit.offers.push_back(tests::sample_offer(20, 10));
  unit.reservations.push_back(tests::sample_reservation(30, 20, 600));
  unit.events.push_back({"offer.published", 20, 500, {{"title", tests::awkward_text}}});
  unit.events.push_back({"reservation.created", 30, 600, {{"quantity", 2}}});
  unit.outbox.push_back(sample_call(600, tests::awkward_text));
  unit.processed_updates = {77, 78};
  unit.update_offset = 77;
  write(*connection, unit);

  const auto stored = persistence::load_state(*connection);
  REQUIRE(stored.users_with_session.size() == 1);
  tests::require_same(stored.users_with_session[0], tests::sample_user(500));
  REQUIRE(stored.businesses.size() == 1);
  tests::require_same(stored.businesses[0], tests::sample_business(10, 500));
  REQUIRE(stored.offers.size() == 1);
  tests::require_same(stored.offers[0], tests::sample_offer(20, 10));
  REQUIRE(stored.reservations.size() == 1);
  tests::require_same(stored.reservations[0], tests::sample_reservation(30, 20, 600));

  REQUIRE(stored.outbox.size() == 1);
  CHECK(stored.outbox[0].outbox_id != 0);
  CHECK(stored.outbox[0].method == "sendMessage");
  CHECK(stored.outbox[0].chat_id == 600);
  CHECK(stored.outbox[0].params == sample_call(600, tests::awkward_text).params);
  CHECK(stored.outbox[0].priority == telegram::call_priority::bulk);

  CHECK(stored.update_offset == 77);
  CHECK(stored.processed_update_ids == std::vector<int64_t>{77, 78});
  CHECK(stored.max_business_id == 10);
  CHECK(stored.max_offer_id == 20);
  CHECK(stored.max_reservation_id == 30);
  CHECK(stored.last_event_seq == 2);

  pqxx::read_transaction txn(*connection);
  const auto events =
      txn.exec("SELECT kind, entity_id, actor_id, payload::text FROM events ORDER BY seq");
  REQUIRE(events.size() == 2);
  CHECK(events[0][0].as<std::string>() == "offer.published");
  CHECK(events[0][1].as<int64_t>() == 20);
  CHECK(events[0][2].as<int64_t>() == 500);
  CHECK(nlohmann::json::parse(events[0][3].as<std::string>())["title"] == tests::awkward_text);
  CHECK(events[1][0].as<std::string>() == "reservation.created");
}

TEST_CASE("an older version written later never overwrites a newer one", "[persistence][writer]") {
  tests::test_database db;
  auto connection = db.connect();

  auto user = tests::sample_user(1);
  auto business = tests::sample_business(2);
  auto offer = tests::sample_offer(3, 2);
  auto reservation = tests::sample_reservation(4, 3, 1);
  user.version = business.version = offer.version = reservation.version = 5;
  user.session = {{"v", 5}};
  business.name = offer.title = reservation.code = "five";
  unit_of_work newer;
  newer.users = {user};
  newer.businesses = {business};
  newer.offers = {offer};
  newer.reservations = {reservation};
  write(*connection, newer);

  unit_of_work older = newer;
  older.users[0].version = older.businesses[0].version = 4;
  older.offers[0].version = older.reservations[0].version = 4;
  older.users[0].session = {{"v", 4}};
  older.businesses[0].name = older.offers[0].title = older.reservations[0].code = "four";
  write(*connection, older);

  auto stored = persistence::load_state(*connection);
  CHECK(stored.users_with_session.at(0).session == nlohmann::json{{"v", 5}});
  CHECK(stored.businesses.at(0).name == "five");
  CHECK(stored.offers.at(0).title == "five");
  CHECK(stored.reservations.at(0).code == "five");

  unit_of_work newest = newer;
  newest.users[0].version = newest.businesses[0].version = 6;
  newest.offers[0].version = newest.reservations[0].version = 6;
  newest.businesses[0].name = newest.offers[0].title = newest.reservations[0].code = "six";
  write(*connection, newest);

  stored = persistence::load_state(*connection);
  CHECK(stored.businesses.at(0).name == "six");
  CHECK(stored.offers.at(0).title == "six");
  CHECK(stored.offers.at(0).version == 6);
  CHECK(stored.reservations.at(0).code == "six");
}

TEST_CASE("one batch carrying the same entity twice keeps the higher version",
          "[persistence][writer]") {
  tests::test_database db;
  auto connection = db.connect();

  std::vector<unit_of_work> units(3);
  units[0].businesses = {tests::sample_business(1)};
  units[0].offers = {offer_image(2, 8, "eight"),
                     offer_image(3, 3, "three")};  // the newer snapshot first for offer 3,
  units[1].offers = {offer_image(2, 9, "nine")};   // and last for offer 2
  units[2].offers = {offer_image(3, 2, "two")};
  write(*connection, units);

  const auto stored = persistence::load_state(*connection);
  REQUIRE(stored.offers.size() == 2);
  CHECK(by_id(stored.offers, 2).title == "nine");
  CHECK(by_id(stored.offers, 3).title == "three");
}

TEST_CASE("outbox calls get ids in unit order and sent ones are deleted", "[persistence][writer]") {
  tests::test_database db;
  auto connection = db.connect();

  std::vector<unit_of_work> units(2);
  units[0].outbox = {sample_call(1, "first"), sample_call(2, "second")};
  units[1].outbox = {sample_call(3, "third")};
  write(*connection, units);

  const int64_t first = units[0].outbox[0].outbox_id;
  const int64_t second = units[0].outbox[1].outbox_id;
  const int64_t third = units[1].outbox[0].outbox_id;
  REQUIRE(first > 0);
  REQUIRE(first < second);
  REQUIRE(second < third);

  auto stored = persistence::load_state(*connection);
  REQUIRE(stored.outbox.size() == 3);
  CHECK(stored.outbox[0].outbox_id == first);
  CHECK(stored.outbox[0].params["text"] == "first");
  CHECK(stored.outbox[2].outbox_id == third);
  CHECK(stored.outbox[2].params["text"] == "third");

  std::vector<unit_of_work> none;
  write(*connection, none, {first, third});
  stored = persistence::load_state(*connection);
  REQUIRE(stored.outbox.size() == 1);
  CHECK(stored.outbox[0].outbox_id == second);
}

TEST_CASE("ids reserved a block at a time stay ascending across batches and blocks",
          "[persistence][writer]") {
  tests::test_database db;
  auto connection = db.connect();
  persistence::writer_ids ids(3);  // small blocks, so the batches below cross them

  std::vector<int64_t> seen;
  for (int batch = 0; batch < 4; ++batch) {
    std::vector<unit_of_work> units(1);
    units[0].outbox = {sample_call(1, "a"), sample_call(2, "b")};
    std::vector<unit_of_work*> pointers{&units[0]};
    persistence::write_batch(*connection, pointers, {}, {}, &ids);
    for (const auto& call : units[0].outbox) {
      seen.push_back(call.outbox_id);
      // The call keeps the text it was stored with, which the outbound actor sends.
      CHECK(nlohmann::json::parse(call.body) == call.params);
    }
  }
  REQUIRE(seen.size() == 8);
  CHECK(std::is_sorted(seen.begin(), seen.end()));
  CHECK(std::adjacent_find(seen.begin(), seen.end()) == seen.end());
  const auto stored = persistence::load_state(*connection);
  REQUIRE(stored.outbox.size() == 8);
  for (size_t i = 0; i < seen.size(); ++i) CHECK(stored.outbox[i].outbox_id == seen[i]);
}

TEST_CASE("notices get ids, load back in order, and leave with the unit that rendered them",
          "[persistence][writer]") {
  tests::test_database db;
  auto connection = db.connect();

  std::vector<unit_of_work> units(2);
  units[0].notices.push_back({0, 71, domain::notices::business_decided{3}});
  units[1].notices.push_back({0, 72, domain::notices::offer_paused{9, "Buns", 0}});
  units[1].notices.push_back({0, 73, domain::notices::offer_paused{9, "Buns", 0}});
  write(*connection, units);
  const auto first = units[0].notices[0].id;
  CHECK(first > 0);
  CHECK(units[1].notices[0].id > first);
  CHECK(units[1].notices[1].id > units[1].notices[0].id);

  auto state = persistence::load_state(*connection);
  REQUIRE(state.notices.size() == 3);
  CHECK(state.notices[0].id == first);
  CHECK(state.notices[0].user_id == 71);
  REQUIRE(std::holds_alternative<domain::notices::business_decided>(state.notices[0].notice));
  CHECK(std::get<domain::notices::business_decided>(state.notices[0].notice).business_id == 3);
  CHECK(state.notices[2].user_id == 73);

  unit_of_work rendered;
  rendered.handled_notices = {first, units[1].notices[1].id};
  write(*connection, std::move(rendered));
  state = persistence::load_state(*connection);
  REQUIRE(state.notices.size() == 1);
  CHECK(state.notices[0].user_id == 72);
}

TEST_CASE("processed update ids and the update offset", "[persistence][writer]") {
  tests::test_database db;
  auto connection = db.connect();

  unit_of_work processed;
  processed.processed_updates = {5, 7, 6, 6};
  write(*connection, processed);
  auto stored = persistence::load_state(*connection);
  CHECK(stored.update_offset == 0);
  CHECK(stored.processed_update_ids == std::vector<int64_t>{5, 6, 7});

  unit_of_work advance;
  advance.update_offset = 7;
  write(*connection, advance);
  stored = persistence::load_state(*connection);
  CHECK(stored.update_offset == 7);
  CHECK(stored.processed_update_ids == std::vector<int64_t>{7});
  CHECK(count(*connection, "SELECT count(*) FROM processed_updates WHERE update_id < 7") == 0);

  SECTION("an older offset never moves it backwards") {
    unit_of_work late;
    late.update_offset = 3;
    late.processed_updates = {8};
    write(*connection, late);
    stored = persistence::load_state(*connection);
    CHECK(stored.update_offset == 7);
    CHECK(stored.processed_update_ids == std::vector<int64_t>{7, 8});
  }
  SECTION("of several offsets in one batch the largest wins") {
    std::vector<unit_of_work> units(3);
    units[0].update_offset = 12;
    units[1].update_offset = 9;
    units[2].processed_updates = {11, 12, 13};
    write(*connection, units);
    stored = persistence::load_state(*connection);
    CHECK(stored.update_offset == 12);
    CHECK(stored.processed_update_ids == std::vector<int64_t>{12, 13});
    CHECK(count(*connection, "SELECT count(*) FROM processed_updates") == 2);
  }
}

TEST_CASE("a batch the database rejects writes nothing at all", "[persistence][writer]") {
  tests::test_database db;
  auto connection = db.connect();

  std::vector<unit_of_work> units(2);
  units[0].businesses = {tests::sample_business(1)};
  units[0].offers = {tests::sample_offer(2, 1)};
  units[0].outbox = {sample_call(1, "hello")};
  auto bad = tests::sample_reservation(3, 2, 9);
  bad.quantity = 0;  // violates CHECK (quantity > 0)
  units[1].reservations = {bad};

  bool rejected = false;
  try {
    write(*connection, units);
  } catch (const pqxx::sql_error& e) {
    rejected = persistence::classify_failure(e, connection->is_open()) ==
               persistence::failure_kind::rejected;
    CHECK(persistence::describe_failure(e).find("23514") == 0);  // check_violation
  }
  REQUIRE(rejected);
  const auto stored = persistence::load_state(*connection);
  CHECK(stored.businesses.empty());
  CHECK(stored.offers.empty());
  CHECK(stored.outbox.empty());

  // The failed batch's transaction is over: the same connection writes the next one.
  units.pop_back();
  write(*connection, units);
  CHECK(persistence::load_state(*connection).businesses.size() == 1);
}

TEST_CASE("the commit token tells whether a batch committed", "[persistence][writer]") {
  tests::test_database db;
  auto connection = db.connect();
  CHECK_FALSE(persistence::commit_token_stored(*connection, "a:1"));

  unit_of_work unit;
  unit.processed_updates = {1};
  std::vector<unit_of_work*> units{&unit};
  persistence::write_batch(*connection, units, {}, "a:1");
  CHECK(persistence::commit_token_stored(*connection, "a:1"));
  CHECK_FALSE(persistence::commit_token_stored(*connection, "a:2"));
}

TEST_CASE("the event log is append-only", "[persistence][writer]") {
  tests::test_database db;
  auto connection = db.connect();
  unit_of_work unit;
  unit.events.push_back({"user.started", 1, 1, nullptr});
  write(*connection, unit);

  pqxx::work txn(*connection);
  CHECK_THROWS_AS(txn.exec0("UPDATE events SET kind = 'forged'"), pqxx::sql_error);
}

// Hidden (run with "[.perf]"): batches shaped like busy session turns.
TEST_CASE("write_batch throughput", "[.perf][persistence][writer]") {
  tests::test_database db;
  auto connection = db.connect();
  unit_of_work setup;
  setup.businesses = {tests::sample_business(1)};
  for (int64_t id = 1; id <= 1000; ++id) setup.offers.push_back(tests::sample_offer(id, 1));
  write(*connection, setup);

  const int batches = 10, units_per_batch = 1000;
  size_t rows = 0;
  const auto started = std::chrono::steady_clock::now();
  for (int b = 0; b < batches; ++b) {
    std::vector<unit_of_work> units(units_per_batch);
    for (int i = 0; i < units_per_batch; ++i) {
      const int64_t n = b * units_per_batch + i + 1;
      auto& unit = units[i];
      unit.users = {tests::sample_user(n)};
      auto offer = tests::sample_offer(1 + n % 1000, 1);
      offer.version = 10 + n;
      unit.offers = {offer};
      unit.reservations = {tests::sample_reservation(n, offer.id, n)};
      unit.events = {{"reservation.created", n, n, {{"quantity", 2}}},
                     {"offer.changed", offer.id, n, nullptr}};
      unit.outbox = {sample_call(n, "Reserved")};
      unit.processed_updates = {n};
    }
    std::vector<unit_of_work*> pointers;
    for (auto& unit : units) pointers.push_back(&unit);
    rows += persistence::write_batch(*connection, pointers, {});
  }
  const auto seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  WARN(batches * units_per_batch << " units, " << rows << " rows in " << seconds
                                 << " s: " << batches * units_per_batch / seconds << " units/s, "
                                 << rows / seconds << " rows/s");
  CHECK(count(*connection, "SELECT count(*) FROM reservations") == batches * units_per_batch);
}

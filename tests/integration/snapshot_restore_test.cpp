// Snapshots against a real PostgreSQL: the log's after-images, the pinned moment, restoring into
// an empty database and replaying the log after the snapshot's position.

#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/snapshot_reader.hpp"
#include "persistence/snapshot_restore.hpp"
#include "persistence/writer.hpp"
#include "tests/support/entity_samples.hpp"
#include "tests/integration/snapshot_tables.hpp"
#include "tests/support/test_database.hpp"

using namespace lastcall;
using persistence::unit_of_work;

namespace {

void write(pqxx::connection& connection, std::vector<unit_of_work> units) {
  std::vector<unit_of_work*> pointers;
  for (auto& unit : units) pointers.push_back(&unit);
  persistence::write_batch(connection, pointers, {});
}

int64_t number(pqxx::connection& connection, const std::string& query) {
  pqxx::read_transaction txn(connection);
  return txn.exec1(query)[0].as<int64_t>();
}

telegram::api_call message_to(int64_t chat_id) {
  telegram::api_call call;
  call.method = "sendMessage";
  call.chat_id = chat_id;
  call.params = {{"chat_id", chat_id}, {"text", tests::awkward_text}};
  return call;
}

// A small market: an owner, a business, two offers, a reservation, and the update that made it.
unit_of_work opening_day() {
  unit_of_work unit;
  unit.users = {tests::sample_user(500), tests::sample_user(600)};
  unit.businesses = {tests::sample_business(10, 500)};
  unit.offers = {tests::sample_offer(20, 10), tests::sample_offer(21, 10)};
  unit.reservations = {tests::sample_reservation(30, 20, 600)};
  unit.events = {{"offer.published", 20, 500, {{"n", 1}}},
                 {"reservation.created", 30, 600, {{"quantity", 2}}}};
  unit.outbox = {message_to(600)};
  unit.processed_updates = {41, 42};
  unit.update_offset = 41;
  return unit;
}

// What happens after the snapshot: every kind of change the writer sees.
std::vector<std::vector<unit_of_work>> the_days_after() {
  std::vector<std::vector<unit_of_work>> batches;

  unit_of_work reserve;  // a new reservation moves the offer's figures
  auto offer = tests::sample_offer(20, 10);
  offer.quantity_reserved = 5;
  offer.version = 8;
  reserve.offers = {offer};
  reserve.reservations = {tests::sample_reservation(31, 20, 601)};
  reserve.reservations[0].code = "NEW31";
  reserve.events = {{"reservation.created", 31, 601, nullptr}};
  unit_of_work cancel;  // in the same batch: a status change of the snapshot's reservation
  auto cancelled = tests::sample_reservation(30, 20, 600);
  cancelled.status = domain::reservation_status::cancelled;
  cancelled.version = 6;
  cancel.reservations = {cancelled};
  offer.quantity_reserved = 3;
  offer.version = 9;
  cancel.offers = {offer};
  cancel.events = {{"reservation.cancelled", 30, 600, nullptr}};
  batches.push_back({std::move(reserve), std::move(cancel)});

  unit_of_work session;  // a user's session changes with no event at all
  auto user = tests::sample_user(600);
  user.session = {{"flow", "register"}, {"step", "name"}};
  user.version = 4;
  session.users = {user, tests::sample_user(602)};
  batches.push_back({std::move(session)});

  unit_of_work late;  // an older image that arrives late: the version guard keeps the newer row
  auto stale = tests::sample_offer(20, 10);
  stale.quantity_reserved = 99;
  stale.version = 7;
  late.offers = {stale};
  late.events = {{"offer.stale", 20, 0, nullptr}};
  unit_of_work second_business;
  second_business.businesses = {tests::sample_business(11, 700)};
  second_business.offers = {tests::sample_offer(22, 11, domain::offer_state::draft)};
  second_business.events = {{"business.registered", 11, 700, nullptr}};
  batches.push_back({std::move(late), std::move(second_business)});

  unit_of_work sent_only;  // outbox and update progress only: nothing for the log
  sent_only.outbox = {message_to(601)};
  sent_only.processed_updates = {43};
  sent_only.update_offset = 43;
  batches.push_back({std::move(sent_only)});
  return batches;
}

persistence::snapshot take_snapshot(const std::string& url) {
  auto pinned = persistence::pinned_snapshot::pin(url);
  return pinned->read(1767261600);
}

void live_the_days_after(pqxx::connection& connection) {
  for (auto& batch : the_days_after()) write(connection, std::move(batch));
}

// The current-state tables are lost; the log is not.
void lose_current_state(pqxx::connection& connection) {
  pqxx::work txn(connection);
  txn.exec0("TRUNCATE users, businesses, offers, reservations");
  txn.commit();
}

// The seq the database gives the next event it logs.
int64_t next_event_seq(pqxx::connection& connection) {
  auto more = unit_of_work{};
  more.users = {tests::sample_user(800)};
  write(connection, {std::move(more)});
  return number(connection, "SELECT max(seq) FROM events");
}

// The live server's database: the opening day written, then a snapshot taken.
struct snapshotted_market {
  tests::test_database db;
  std::unique_ptr<pqxx::connection> connection = db.connect();
  persistence::snapshot s;

  snapshotted_market() {
    write(*connection, {opening_day()});
    s = take_snapshot(db.url());
  }
};

}  // namespace

TEST_CASE("each batch's last event carries the images of the rows it wrote",
          "[integration][snapshot]") {
  tests::test_database db;
  auto connection = db.connect();
  write(*connection, {opening_day()});
  auto session = unit_of_work{};
  session.users = {tests::sample_user(700)};
  write(*connection, {std::move(session)});
  auto progress = unit_of_work{};
  progress.processed_updates = {50};
  write(*connection, {std::move(progress)});

  pqxx::read_transaction txn(*connection);
  const auto events = txn.exec("SELECT kind, entity_id, state::text FROM events ORDER BY seq");
  REQUIRE(events.size() == 3);
  CHECK(events[0][2].is_null());
  const auto images = persistence::images_from_json(nlohmann::json::parse(events[1][2].c_str()));
  CHECK(images.users.size() == 2);
  REQUIRE(images.businesses.size() == 1);
  tests::require_same(images.businesses[0], tests::sample_business(10, 500));
  REQUIRE(images.offers.size() == 2);
  tests::require_same(images.offers[1], tests::sample_offer(21, 10));
  REQUIRE(images.reservations.size() == 1);
  tests::require_same(images.reservations[0], tests::sample_reservation(30, 20, 600));
  // A batch with rows but no events gets one event to carry them.
  CHECK(events[2][0].as<std::string>() == "state");
  CHECK(events[2][1].as<int64_t>() == 0);
  const auto users = persistence::images_from_json(nlohmann::json::parse(events[2][2].c_str()));
  REQUIRE(users.users.size() == 1);
  tests::require_same(users.users[0], tests::sample_user(700));
}

TEST_CASE("a pinned snapshot holds the database as it was when pinned", "[integration][snapshot]") {
  tests::test_database db;
  auto connection = db.connect();
  write(*connection, {opening_day()});
  const auto before = tests::read_market(*connection);
  const auto seq_then = number(*connection, "SELECT max(seq) FROM events");

  auto pinned = persistence::pinned_snapshot::pin(db.url());
  CHECK(pinned->event_seq() == seq_then);
  live_the_days_after(*connection);
  REQUIRE(number(*connection, "SELECT max(seq) FROM events") > seq_then);

  const auto s = pinned->read(1767261600);
  CHECK(s.event_seq == seq_then);
  CHECK(s.taken_at == 1767261600);
  CHECK(s.update_offset == 41);
  CHECK(s.processed_update_ids == std::vector<int64_t>{41, 42});
  REQUIRE(s.outbox.size() == 1);
  CHECK(s.outbox[0].params == message_to(600).params);

  tests::market_tables in_snapshot;
  for (const auto& u : s.entities.users) in_snapshot["users"][u.id] = persistence::to_image(u);
  for (const auto& b : s.entities.businesses)
    in_snapshot["businesses"][b.id] = persistence::to_image(b);
  for (const auto& o : s.entities.offers) in_snapshot["offers"][o.id] = persistence::to_image(o);
  for (const auto& r : s.entities.reservations)
    in_snapshot["reservations"][r.id] = persistence::to_image(r);
  tests::require_same_market(before, in_snapshot);
}

TEST_CASE("restore with the log after the snapshot rebuilds the live tables exactly",
          "[integration][snapshot]") {
  snapshotted_market live;
  const auto& s = live.s;
  live_the_days_after(*live.connection);
  const auto expected = tests::read_market(*live.connection);
  const auto live_last_seq = number(*live.connection, "SELECT max(seq) FROM events");
  REQUIRE(tests::row_count(expected) > s.entities.size());

  tests::test_database restored;
  auto target = restored.connect();
  auto source = live.db.connect();
  const auto report = persistence::restore_snapshot(*target, s, source.get());
  CHECK(report.users == 2);
  CHECK(report.businesses == 1);
  CHECK(report.offers == 2);
  CHECK(report.reservations == 1);
  CHECK(report.replayed.last_seq == live_last_seq);
  CHECK(report.replayed.events == live_last_seq - s.event_seq);

  const auto actual = tests::read_market(*target);
  tests::require_same_market(expected, actual);
  CHECK(actual.at("offers").at(20)["quantity_reserved"] == 3);  // not the stale 99
  CHECK(actual.at("reservations").at(30)["status"] == "cancelled");

  // The copied log continues the live one, event for event.
  const auto copied = [&](pqxx::connection& c) {
    pqxx::read_transaction txn(c);
    std::vector<std::string> rows;
    for (const auto& row :
         txn.exec("SELECT seq, at, kind, entity_id, actor_id, payload::text, state::text FROM "
                  "events WHERE seq > " +
                  std::to_string(s.event_seq) + " ORDER BY seq")) {
      std::string line;
      for (const auto& field : row)
        line += std::string(field.is_null() ? "NULL" : field.c_str()) + "|";
      rows.push_back(line);
    }
    return rows;
  };
  CHECK(copied(*target) == copied(*live.connection));

  // The server went on after the snapshot: its unsent messages are not sent a second time.
  CHECK(report.outbox == 0);
  CHECK(number(*target, "SELECT count(*) FROM outbox") == 0);
  CHECK(number(*target, "SELECT value::bigint FROM bot_state WHERE key='update_offset'") == 41);

  // New events number after the live log's.
  CHECK(next_event_seq(*target) == live_last_seq + 1);
}

TEST_CASE("restore without a log source replays the target's own events",
          "[integration][snapshot]") {
  snapshotted_market market;
  auto& connection = market.connection;
  live_the_days_after(*connection);
  const auto expected = tests::read_market(*connection);
  const auto events_before = number(*connection, "SELECT count(*) FROM events");

  lose_current_state(*connection);
  const auto report = persistence::restore_snapshot(*connection, market.s);
  CHECK(report.replayed.events > 0);
  tests::require_same_market(expected, tests::read_market(*connection));
  CHECK(number(*connection, "SELECT count(*) FROM events") == events_before);
}

TEST_CASE("a snapshot with nothing after it restores its unsent messages and update progress",
          "[integration][snapshot]") {
  snapshotted_market live;

  tests::test_database restored;
  auto target = restored.connect();
  auto source = live.db.connect();
  const auto report = persistence::restore_snapshot(*target, live.s, source.get());
  CHECK(report.replayed.events == 0);
  CHECK(report.outbox == 1);
  tests::require_same_market(tests::read_market(*live.connection), tests::read_market(*target));

  const auto state = persistence::load_state(*target);
  REQUIRE(state.outbox.size() == 1);
  CHECK(state.outbox[0].params == message_to(600).params);
  CHECK(state.update_offset == 41);
  CHECK(state.processed_update_ids == std::vector<int64_t>{41, 42});
  CHECK(state.last_event_seq == 0);  // the log is the live one's; the snapshot stands for it
  CHECK(next_event_seq(*target) == live.s.event_seq + 1);
}

TEST_CASE("restore refuses a database that holds a market and changes nothing",
          "[integration][snapshot]") {
  snapshotted_market live;

  tests::test_database occupied;
  auto target = occupied.connect();
  auto own = unit_of_work{};
  own.users = {tests::sample_user(999)};
  own.update_offset = 7;
  write(*target, {std::move(own)});
  const auto before = tests::read_market(*target);
  const auto events_before = number(*target, "SELECT count(*) FROM events");

  auto source = live.db.connect();
  try {
    persistence::restore_snapshot(*target, live.s, source.get());
    FAIL("restore went ahead");
  } catch (const persistence::restore_refused& e) {
    CHECK_THAT(e.what(), Catch::Contains("already holds users") && Catch::Contains("empty"));
  }
  tests::require_same_market(before, tests::read_market(*target));
  CHECK(number(*target, "SELECT count(*) FROM events") == events_before);
  CHECK(number(*target, "SELECT value::bigint FROM bot_state WHERE key='update_offset'") == 7);
  CHECK(number(*target, "SELECT count(*) FROM outbox") == 0);
}

TEST_CASE("restore refuses to copy a log into a database whose log already goes further",
          "[integration][snapshot]") {
  snapshotted_market live;
  live_the_days_after(*live.connection);

  tests::test_database other;
  auto target = other.connect();
  write(*target, {opening_day()});
  live_the_days_after(*target);
  lose_current_state(*target);
  auto source = live.db.connect();
  CHECK_THROWS_AS(persistence::restore_snapshot(*target, live.s, source.get()),
                  persistence::restore_refused);
  CHECK(tests::row_count(tests::read_market(*target)) == 0);
}

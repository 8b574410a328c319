#include <catch2/catch.hpp>

#include "domain/unanswered_watch.hpp"

using lastcall::domain::unanswered_watch;

namespace {

std::vector<int64_t> overdue_ids(unanswered_watch& watch, int64_t now_ms) {
  std::vector<int64_t> ids;
  for (const auto& due : watch.take_overdue(now_ms)) ids.push_back(due.update_id);
  return ids;
}

}  // namespace

TEST_CASE("an update still unhandled after the notice time is overdue once, with its user",
          "[unit][domain][intake]") {
  unanswered_watch watch(3000);
  watch.handed_out(10, 501, 1000);
  watch.handed_out(11, 502, 1500);
  CHECK(watch.next_due_ms() == 4000);
  CHECK(watch.take_overdue(3999).empty());

  auto due = watch.take_overdue(4000);
  REQUIRE(due.size() == 1);
  CHECK(due[0].update_id == 10);
  CHECK(due[0].user_id == 501);
  CHECK(watch.next_due_ms() == 4500);
  // Told once: later checks do not return it again, though it still waits.
  CHECK(overdue_ids(watch, 4200).empty());
  CHECK(overdue_ids(watch, 9000) == std::vector<int64_t>{11});
  CHECK(overdue_ids(watch, 20000).empty());
  CHECK(watch.waiting() == 2);
  CHECK_FALSE(watch.next_due_ms().has_value());
}

TEST_CASE("handled updates are never overdue, whatever order they finish in",
          "[unit][domain][intake]") {
  unanswered_watch watch(3000);
  for (int64_t id = 1; id <= 5; ++id) watch.handed_out(id, 100 + id, 1000 + id * 100);
  watch.handled(1);
  watch.handled(4);
  watch.handled(2);
  CHECK(watch.waiting() == 2);
  // The oldest still waiting says when the next check is due.
  CHECK(watch.next_due_ms() == 1300 + 3000);
  CHECK(overdue_ids(watch, 100000) == std::vector<int64_t>{3, 5});
  watch.handled(3);
  watch.handled(5);
  CHECK(watch.waiting() == 0);
}

TEST_CASE("an update handed out twice keeps its first moment", "[unit][domain][intake]") {
  unanswered_watch watch(1000);
  watch.handed_out(7, 1, 0);
  watch.handed_out(7, 1, 900);
  CHECK(watch.waiting() == 1);
  CHECK(overdue_ids(watch, 1000) == std::vector<int64_t>{7});
  CHECK(overdue_ids(watch, 5000).empty());
}

#include <catch2/catch.hpp>

#include "domain/intake_window.hpp"

using lastcall::domain::intake_window;
using arrival = intake_window::arrival;

namespace {

// Lets the window forget what it may at `now`; the floor it is left with.
int64_t floor_after_prune(intake_window& window, int64_t now) {
  window.prune(now);
  return window.floor();
}

}  // namespace

TEST_CASE("intake window: updates finishing out of order are all handled once", "[intake]") {
  intake_window window(0, {}, 1000);
  REQUIRE(window.accept(11) == arrival::fresh);
  window.mark_durable(11, 1000);
  // 10 arrives after 11 is done: with a single offset it would have been skipped.
  REQUIRE(window.accept(10) == arrival::fresh);
  REQUIRE(window.accept(10) == arrival::in_flight);
  window.mark_durable(10, 1001);
  REQUIRE(window.accept(10) == arrival::done);
  REQUIRE(window.accept(11) == arrival::done);
}

TEST_CASE("intake window: the floor passes only durable ids older than the retention", "[intake]") {
  intake_window window(5, {}, 0, 100);
  window.accept(5);
  window.accept(6);
  window.accept(7);
  window.mark_durable(5, 0);
  window.mark_durable(7, 0);
  // 6 is still in flight: the floor stops below it.
  REQUIRE(floor_after_prune(window, 1000) == 6);
  REQUIRE(window.accept(7) == arrival::done);
  window.mark_durable(6, 1000);
  REQUIRE(floor_after_prune(window, 1050) == 6);  // 6 is not old enough yet
  REQUIRE(floor_after_prune(window, 1100) == 8);
  REQUIRE(window.remembered() == 0);
  REQUIRE(window.accept(3) == arrival::done);
}

TEST_CASE("intake window: ids stored as processed are recognised after a restart", "[intake]") {
  intake_window window(100, {99, 104, 102}, 0);
  REQUIRE(window.accept(99) == arrival::done);
  REQUIRE(window.accept(102) == arrival::done);
  REQUIRE(window.accept(103) == arrival::fresh);
  REQUIRE(window.remembered() == 2);
}

TEST_CASE("intake window: with polling, durable ids fold into the floor at once", "[intake]") {
  intake_window window(10, {}, 0, 0);
  REQUIRE(window.accept(10) == arrival::fresh);
  REQUIRE(window.accept(11) == arrival::fresh);
  REQUIRE(window.accept(11) == arrival::in_flight);  // a duplicate in the same answer
  window.mark_durable(11, 5);
  // 10 is still being taken in: nothing below it may count as done yet, 11 is remembered.
  REQUIRE(floor_after_prune(window, 5) == 10);
  REQUIRE(window.accept(11) == arrival::done);
  window.mark_durable(10, 5);
  REQUIRE(floor_after_prune(window, 5) == 12);
  REQUIRE(window.remembered() == 0);
  REQUIRE(window.accept(10) == arrival::done);
  REQUIRE(window.accept(12) == arrival::fresh);
}

TEST_CASE("intake window: updates left in the inbox at a restart are not taken again", "[intake]") {
  // Stored offset 20; 20 and 21 were in the inbox, unhandled, when the process stopped.
  intake_window window(20, {20, 21}, 100, 0);
  REQUIRE(window.accept(20) == arrival::done);
  REQUIRE(window.accept(21) == arrival::done);
  REQUIRE(window.accept(22) == arrival::fresh);
}

#include <catch2/catch.hpp>

#include "domain/update_window.hpp"

using lastcall::domain::update_window;

TEST_CASE("the offset never passes an update that is not durable", "[unit][update_window]") {
  update_window w(0, {});
  REQUIRE(w.accept(10));
  REQUIRE(w.accept(11));
  REQUIRE(w.accept(12));
  CHECK(w.offset() == 10);
  w.mark_durable(11);
  w.mark_durable(12);
  CHECK(w.offset() == 10);  // 10 is still in flight
  w.mark_durable(10);
  CHECK(w.offset() == 13);
  CHECK(w.in_flight() == 0);
}

TEST_CASE("re-delivered and duplicated updates are refused", "[unit][update_window]") {
  update_window w(0, {});
  REQUIRE(w.accept(5));
  CHECK_FALSE(w.accept(5));  // in flight
  REQUIRE(w.accept(6));
  w.mark_durable(6);
  CHECK_FALSE(w.accept(6));  // durable, offset still at 5
  w.mark_durable(5);
  CHECK_FALSE(w.accept(5));  // below the offset
  CHECK(w.accept(7));
}

TEST_CASE("a restart resumes from the stored offset and the durable ids above it",
          "[unit][update_window]") {
  update_window w(100, {98, 102, 103});
  // 100 and 101 were in flight when the bot stopped: the offset must not pass them.
  CHECK(w.offset() == 100);
  CHECK_FALSE(w.accept(99));
  CHECK(w.accept(100));
  CHECK(w.accept(101));
  CHECK_FALSE(w.accept(102));
  CHECK_FALSE(w.accept(103));
  CHECK(w.accept(104));
  CHECK(w.offset() == 100);
  w.mark_durable(100);
  w.mark_durable(101);
  CHECK(w.offset() == 104);
  w.mark_durable(104);
  CHECK(w.offset() == 105);
}

TEST_CASE("durable updates fetched again move the offset past them", "[unit][update_window]") {
  update_window w(100, {100, 101});
  CHECK(w.offset() == 100);
  CHECK_FALSE(w.accept(100));
  CHECK_FALSE(w.accept(101));
  CHECK(w.offset() == 102);  // no endless re-fetching of updates already handled
}

TEST_CASE("with nothing in flight the offset follows the highest id seen",
          "[unit][update_window]") {
  update_window w(0, {});
  CHECK(w.offset() == 0);
  REQUIRE(w.accept(1000));
  w.mark_durable(1000);
  CHECK(w.offset() == 1001);
}

#include <catch2/catch.hpp>

#include "domain/flood_gate.hpp"

using namespace lastcall::domain;

namespace {
flood_limits limits(int per_second, int burst, int64_t notice_every_ms = 60'000) {
  return flood_limits{per_second, burst, notice_every_ms};
}
}  // namespace

TEST_CASE("a burst is handled, the excess dropped with one notice", "[unit][flood_gate]") {
  flood_gate gate(limits(5, 10));
  for (int i = 0; i < 10; ++i) CHECK(gate.admit(1, 1000) == flood_verdict::handle);
  CHECK(gate.admit(1, 1000) == flood_verdict::drop_and_notify);
  for (int i = 0; i < 100; ++i) CHECK(gate.admit(1, 1000) == flood_verdict::drop);
  // Another user is not affected.
  CHECK(gate.admit(2, 1000) == flood_verdict::handle);
}

TEST_CASE("tokens come back at the rate", "[unit][flood_gate]") {
  flood_gate gate(limits(5, 10));
  for (int i = 0; i < 10; ++i) gate.admit(1, 0);
  CHECK(gate.admit(1, 0) == flood_verdict::drop_and_notify);
  CHECK(gate.admit(1, 199) == flood_verdict::drop);
  CHECK(gate.admit(1, 200) == flood_verdict::handle);  // one token per 200 ms
  CHECK(gate.admit(1, 200) == flood_verdict::drop);
  // A steady 5 a second is always handled.
  for (int64_t t = 400; t < 10'000; t += 200) CHECK(gate.admit(1, t) == flood_verdict::handle);
}

TEST_CASE("the notice comes again only after its period", "[unit][flood_gate]") {
  flood_gate gate(limits(1, 1, 10'000));
  CHECK(gate.admit(1, 0) == flood_verdict::handle);
  CHECK(gate.admit(1, 0) == flood_verdict::drop_and_notify);
  CHECK(gate.admit(1, 1000) == flood_verdict::handle);
  CHECK(gate.admit(1, 1000) == flood_verdict::drop);
  CHECK(gate.admit(1, 10'000) == flood_verdict::handle);
  CHECK(gate.admit(1, 10'000) == flood_verdict::drop_and_notify);
}

TEST_CASE("a rate of 0 switches the gate off", "[unit][flood_gate]") {
  flood_gate gate(limits(0, 1));
  for (int i = 0; i < 1000; ++i) CHECK(gate.admit(1, 0) == flood_verdict::handle);
  CHECK(gate.tracked() == 0);
}

TEST_CASE("users who went quiet are forgotten", "[unit][flood_gate]") {
  flood_gate gate(limits(5, 10, 1000));
  for (int64_t user = 1; user <= 1000; ++user) gate.admit(user, 0);
  CHECK(gate.tracked() == 1000);
  gate.admit(5000, 120'000);
  CHECK(gate.tracked() == 1);
}

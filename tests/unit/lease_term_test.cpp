#include <chrono>

#include <catch2/catch.hpp>

#include "domain/lease_term.hpp"

using lastcall::domain::lease_term;
using namespace std::chrono_literals;

namespace {
const lease_term::time_point t0{std::chrono::seconds(1000)};
}

TEST_CASE("lease term: nothing granted, nothing done", "[unit][lease]") {
  lease_term term(1000ms);
  CHECK_FALSE(term.held());
  CHECK_FALSE(term.may_act(t0));
}

TEST_CASE("lease term: with a standby the owner stops before the lease can be taken",
          "[unit][lease]") {
  lease_term term(1000ms);
  term.granted(t0, 1);
  CHECK(term.may_act(t0 + 800ms));
  // A tenth of the lease is kept back for clocks that run at different rates.
  CHECK_FALSE(term.may_act(t0 + 900ms));
  CHECK_FALSE(term.may_act(t0 + 1000ms));
  // A renewal asked for later extends it from when it was asked, not from when it was answered.
  term.granted(t0 + 500ms, 1);
  CHECK(term.may_act(t0 + 1300ms));
  CHECK_FALSE(term.may_act(t0 + 1400ms));
  // An answer to an older request that arrives late does not shorten it.
  term.granted(t0 + 100ms, 1);
  CHECK(term.may_act(t0 + 1300ms));
}

TEST_CASE("lease term: an owner that knows no standby rides out a database outage",
          "[unit][lease]") {
  lease_term term(1000ms);
  term.granted(t0, 0);
  CHECK(term.may_act(t0 + 24h));
  // Once a standby shows up the term is strict again.
  term.granted(t0 + 2s, 1);
  CHECK(term.may_act(t0 + 2s + 800ms));
  CHECK_FALSE(term.may_act(t0 + 3s));
}

TEST_CASE("lease term: a lost lease is never acted on again", "[unit][lease]") {
  lease_term term(1000ms);
  term.granted(t0, 0);
  term.lost();
  CHECK_FALSE(term.held());
  CHECK_FALSE(term.may_act(t0));
  term.granted(t0 + 10ms, 0);
  CHECK_FALSE(term.may_act(t0 + 20ms));
}

TEST_CASE("lease term: renewals come often enough for two to fail within a term", "[unit][lease]") {
  lease_term term(4000ms);
  CHECK(term.renew_every() * 3 < term.length() - term.length() / 10);
}

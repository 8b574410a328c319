// The retry pace of everything the server retries until it succeeds.

#include <catch2/catch.hpp>

#include "domain/backoff.hpp"

using namespace lastcall::domain;

namespace {
constexpr backoff_policy policy{100, 1000};
}

TEST_CASE("a retry waits longer after each failure in a row, up to the cap", "[unit][backoff]") {
  retry_backoff backoff(policy);
  for (int failure = 1; failure <= 8; ++failure) {
    const auto wait = backoff.next().count();
    const auto ceiling = backoff_ceiling_ms(policy, failure);
    CHECK(wait >= ceiling / 2);
    CHECK(wait <= ceiling);
    CHECK(wait <= 1000);
  }
  CHECK(backoff.failures() == 8);
  CHECK(backoff_ceiling_ms(policy, 8) == 1000);
}

TEST_CASE("after a success the next failure waits the shortest time again", "[unit][backoff]") {
  retry_backoff backoff(policy);
  for (int i = 0; i < 5; ++i) backoff.next();
  backoff.reset();
  CHECK(backoff.failures() == 0);
  const auto wait = backoff.next().count();
  CHECK(wait >= 50);
  CHECK(wait <= 100);
}

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "domain/geo.hpp"

using namespace lastcall::domain;

namespace {
constexpr double pi = 3.14159265358979323846;
}  // namespace

TEST_CASE("distances between real places come out right", "[unit][geo]") {
  const geo_point tashkent{41.2995, 69.2401};
  const geo_point samarkand{39.6542, 66.9597};
  const double d = distance_meters(tashkent, samarkand);
  CHECK(d > 260'000);
  CHECK(d < 280'000);
  CHECK(distance_meters(samarkand, tashkent) == Approx(d));
}

TEST_CASE("distance sanity values", "[unit][geo]") {
  const geo_point here{41.3111, 69.2797};
  CHECK(distance_meters(here, here) == Approx(0).margin(1e-6));
  // One degree of latitude is 1/360 of a meridian.
  CHECK(distance_meters({0, 0}, {1, 0}) == Approx(2 * pi * 6371008.8 / 360).epsilon(1e-9));
  CHECK(distance_meters({0, 0}, {0, 180}) == Approx(pi * 6371008.8).epsilon(1e-9));
  CHECK(distance_meters({90, 0}, {-90, 0}) == Approx(pi * 6371008.8).epsilon(1e-9));
  // Across the antimeridian the short way round.
  CHECK(distance_meters({0, 179.5}, {0, -179.5}) == Approx(2 * pi * 6371008.8 / 360).epsilon(1e-9));
  // About 111 m per 0.001 degree of latitude.
  CHECK(distance_meters(here, {41.3121, 69.2797}) == Approx(111.2).margin(0.1));
}

TEST_CASE("distances are shown in metres, then kilometres", "[unit][geo]") {
  CHECK(format_distance(0) == "10 m");
  CHECK(format_distance(4) == "10 m");
  CHECK(format_distance(349) == "350 m");
  CHECK(format_distance(350) == "350 m");
  CHECK(format_distance(994) == "990 m");
  CHECK(format_distance(996) == "1.0 km");
  CHECK(format_distance(1234) == "1.2 km");
  CHECK(format_distance(1250) == "1.3 km");
  CHECK(format_distance(9949) == "9.9 km");
  CHECK(format_distance(9960) == "10 km");
  CHECK(format_distance(12345) == "12 km");
  CHECK(format_distance(270'307) == "270 km");
}

TEST_CASE("nonsense distances do not break formatting", "[unit][geo]") {
  CHECK(format_distance(-5) == "10 m");
  CHECK(format_distance(std::numeric_limits<double>::quiet_NaN()) == "10 m");
  CHECK_FALSE(format_distance(std::numeric_limits<double>::infinity()).empty());
}

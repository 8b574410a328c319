#pragma once
// Distances between places on the Earth's surface, and how they are shown to people.

#include <string>

#include "domain/session_state.hpp"

namespace lastcall::domain {

// Great-circle distance on a sphere of the Earth's mean radius (6371008.8 m). Good to about 0.5 %,
// far better than the few metres a phone's location is off by.
double distance_meters(geo_point a, geo_point b);

// "350 m" (rounded to 10 m) below a kilometre, "1.2 km" below ten, "12 km" beyond.
std::string format_distance(double meters);

}  // namespace lastcall::domain

#include "domain/geo.hpp"

#include <cmath>

namespace lastcall::domain {

namespace {

constexpr double earth_radius_m = 6371008.8;
constexpr double pi = 3.14159265358979323846;

double radians(double degrees) {
  return degrees * pi / 180.0;
}

}  // namespace

double distance_meters(geo_point a, geo_point b) {
  const double lat1 = radians(a.latitude);
  const double lat2 = radians(b.latitude);
  const double half_dlat = (lat2 - lat1) / 2;
  const double half_dlon = radians(b.longitude - a.longitude) / 2;
  const double h = std::sin(half_dlat) * std::sin(half_dlat) +
                   std::cos(lat1) * std::cos(lat2) * std::sin(half_dlon) * std::sin(half_dlon);
  // Rounding can push h a hair above 1 for antipodal points, where asin would return NaN.
  return 2 * earth_radius_m * std::asin(std::sqrt(std::fmin(1.0, h)));
}

std::string format_distance(double meters) {
  if (!(meters > 0)) meters = 0;    // also catches NaN
  meters = std::fmin(meters, 1e9);  // keeps llround defined for absurd inputs
  // Rounded first, so 996 m reads "1.0 km" rather than "1000 m".
  const long long tens_of_meters = std::llround(meters / 10);
  if (tens_of_meters < 100)
    return std::to_string(tens_of_meters < 1 ? 10 : tens_of_meters * 10) + " m";
  const long long tenths_of_km = std::llround(meters / 100);
  if (tenths_of_km < 100)
    return std::to_string(tenths_of_km / 10) + "." + std::to_string(tenths_of_km % 10) + " km";
  return std::to_string(std::llround(meters / 1000)) + " km";
}

}  // namespace lastcall::domain

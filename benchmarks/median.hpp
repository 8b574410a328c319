#pragma once
// The figure a benchmark reports over its runs: the median, which one slow run (a machine busy with
// something else) does not move.

#include <algorithm>
#include <vector>

namespace lastcall::benchmarks {

// The upper median of an even count; 0 for no values.
inline double median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

}  // namespace lastcall::benchmarks

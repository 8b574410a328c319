#pragma once
// How every benchmark answers a command line it cannot read: its usage line on stderr and exit code
// 2, before anything is measured.

#include <cstdio>
#include <cstdlib>

namespace lastcall::benchmarks {

// The options `parse` reads from the command line; `usage` lists them after the program's name.
template <typename Options>
Options options_or_exit(int argc, char** argv, bool (*parse)(int, char**, Options&),
                        const char* usage) {
  Options options;
  if (!parse(argc, argv, options)) {
    std::fprintf(stderr, "usage: %s\n", usage);
    std::exit(2);
  }
  return options;
}

}  // namespace lastcall::benchmarks

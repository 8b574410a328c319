#pragma once
// How every benchmark reads its command line: its `--name value` flags declared once, in a table
// that both reads them and writes the usage line. A command line it cannot read gets that usage
// line on stderr and exit code 2, before anything is measured.
//
//   flag_table flags_of(options& o) {
//     return flag_table("x_benchmark").number("--runs", o.runs).text("--logs", o.logs, "DIR");
//   }
//   const auto o = options_or_exit<options>(argc, argv, flags_of);

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

namespace lastcall::benchmarks {

class flag_table {
 public:
  explicit flag_table(std::string program) : program_(std::move(program)) {}

  // `--name N`: a whole number from `min` up (atoll's reading, so "0" is the only way to say 0).
  template <typename Number>
  flag_table& number(const char* name, Number& target, long long min = 1) {
    flags_.push_back({name, "N", false, [&target, min](const char* v, long long most) {
                        const long long n = std::atoll(v);
                        if (n < min || (n == 0 && std::string(v) != "0")) return false;
                        if (n > most ||
                            n > static_cast<long long>(std::numeric_limits<Number>::max()))
                          return false;
                        target = static_cast<Number>(n);
                        return true;
                      }});
    return *this;
  }
  // `--name TEXT`, shown in the usage line as `--name shown`.
  flag_table& text(const char* name, std::string& target, const char* shown) {
    flags_.push_back({name, shown, false, [&target](const char* v, long long) {
                        target = v;
                        return true;
                      }});
    return *this;
  }
  // `--name` alone, which sets `target`.
  flag_table& toggle(const char* name, bool& target) {
    flags_.push_back({name, "", true, [&target](const char*, long long) {
                        target = true;
                        return true;
                      }});
    return *this;
  }

  // Modifiers of the flag declared last.
  // Its value shown in the usage line as `shown` instead of N.
  flag_table& shown_as(const char* shown) {
    flags_.back().shown = shown;
    return *this;
  }
  // A number no larger than `most`, which the usage line says.
  flag_table& at_most(long long most) {
    flags_.back().most = most;
    flags_.back().shown += " (<= " + std::to_string(most) + ")";
    return *this;
  }
  // A text that is one of `choices`, which the usage line lists.
  flag_table& one_of(std::vector<std::string> choices) {
    auto& f = flags_.back();
    f.shown.clear();
    for (const auto& c : choices) f.shown += (f.shown.empty() ? "" : "|") + c;
    f.take = [choices, take = f.take](const char* v, long long most) {
      for (const auto& c : choices)
        if (c == v) return take(v, most);
      return false;
    };
    return *this;
  }
  // Left out of the usage line: for the benchmark's own use (a child it runs).
  flag_table& hidden() {
    flags_.back().hidden = true;
    return *this;
  }

  // A number of at least 1 that may come by position, before any flag, in declaration order.
  // Kept for an older command line; not in the usage line.
  flag_table& positional(int& target) {
    positionals_.push_back(&target);
    return *this;
  }
  // What the options must satisfy once read (beyond each flag's own check).
  flag_table& check(std::function<bool()> holds) {
    check_ = std::move(holds);
    return *this;
  }
  // Said at the end of the usage line.
  flag_table& note(const char* text) {
    note_ = text;
    return *this;
  }

  // False on an unknown flag, a missing value, a value its flag refuses or a failed check.
  [[nodiscard]] bool read(int argc, char** argv) const {
    int i = 1;
    for (int* target : positionals_) {
      if (i >= argc || argv[i][0] == '-') break;
      *target = std::atoi(argv[i++]);
      if (*target < 1) return false;
    }
    for (; i < argc; ++i) {
      const flag* f = find(argv[i]);
      if (f == nullptr) return false;
      if (f->alone) {
        f->take(nullptr, f->most);
        continue;
      }
      if (i + 1 >= argc || !f->take(argv[++i], f->most)) return false;
    }
    return !check_ || check_();
  }

  std::string usage() const {
    std::string line = program_;
    for (const auto& f : flags_) {
      if (f.hidden) continue;
      line += " [" + f.name + (f.alone ? "" : " " + f.shown) + "]";
    }
    if (!note_.empty()) line += " " + note_;
    return line;
  }

 private:
  struct flag {
    std::string name, shown;
    bool alone = false;  // takes no value
    std::function<bool(const char* value, long long most)> take;
    long long most = std::numeric_limits<long long>::max();
    bool hidden = false;
  };

  const flag* find(const std::string& name) const {
    for (const auto& f : flags_)
      if (f.name == name) return &f;
    return nullptr;
  }

  std::string program_, note_;
  std::vector<flag> flags_;
  std::vector<int*> positionals_;
  std::function<bool()> check_;
};

// The options the table `flags_of` declares, read from the command line; on a command line it
// cannot read, the usage line on stderr and exit code 2.
template <typename Options>
Options options_or_exit(int argc, char** argv, flag_table (*flags_of)(Options&)) {
  Options options;
  const flag_table flags = flags_of(options);
  if (!flags.read(argc, argv)) {
    std::fprintf(stderr, "usage: %s\n", flags.usage().c_str());
    std::exit(2);
  }
  return options;
}

}  // namespace lastcall::benchmarks

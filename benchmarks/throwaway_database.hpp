#pragma once
// A database of its own for one benchmark run, on the server of PG_ADMIN_URL (as scripts/test
// exports it): created empty (a leftover of the same name is dropped first) and dropped again when
// this goes, unless asked to keep it.

#include <string>

namespace lastcall::benchmarks {

// PG_ADMIN_URL, or nullptr when it is not set.
const char* admin_url();
// Says on stderr how to get a PG_ADMIN_URL; returns the exit code for that, 2.
int no_admin_url();

class throwaway_database {
 public:
  // Named `prefix` followed by this process's id.
  throwaway_database(std::string admin_url, const std::string& prefix, bool keep = false);
  ~throwaway_database();
  throwaway_database(const throwaway_database&) = delete;
  throwaway_database& operator=(const throwaway_database&) = delete;

  const std::string& url() const { return url_; }

 private:
  std::string admin_url_, name_, url_;
  bool keep_;
};

}  // namespace lastcall::benchmarks

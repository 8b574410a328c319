#include "benchmarks/throwaway_database.hpp"

#include <cstdio>
#include <cstdlib>

#include <unistd.h>
#include <pqxx/pqxx>

#include "persistence/database.hpp"

namespace lastcall::benchmarks {

const char* admin_url() {
  const char* url = std::getenv("PG_ADMIN_URL");
  return url != nullptr && *url != '\0' ? url : nullptr;
}

int no_admin_url() {
  std::fprintf(stderr,
               "PG_ADMIN_URL is not set: start a server with `source scripts/lib.sh && pg_start "
               "/tmp/pg-data`, or run scripts/test\n");
  return 2;
}

throwaway_database::throwaway_database(std::string admin_url, const std::string& prefix, bool keep)
    : admin_url_(std::move(admin_url)), name_(prefix + std::to_string(::getpid())), keep_(keep) {
  pqxx::connection admin(admin_url_);
  pqxx::nontransaction txn(admin);
  txn.exec0("DROP DATABASE IF EXISTS " + txn.quote_name(name_));
  txn.exec0("CREATE DATABASE " + txn.quote_name(name_));
  url_ = persistence::with_database(admin_url_, name_);
}

throwaway_database::~throwaway_database() {
  if (keep_) {
    std::printf("kept database %s\n", name_.c_str());
    return;
  }
  try {
    pqxx::connection admin(admin_url_);
    pqxx::nontransaction txn(admin);
    txn.exec0("DROP DATABASE IF EXISTS " + txn.quote_name(name_) + " WITH (FORCE)");
  } catch (const std::exception& e) {
    std::fprintf(stderr, "dropping %s failed: %s\n", name_.c_str(), e.what());
  }
}

}  // namespace lastcall::benchmarks

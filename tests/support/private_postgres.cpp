#include "tests/support/private_postgres.hpp"

#include <unistd.h>

#include <cstdlib>
#include <stdexcept>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

namespace lastcall::testing {

namespace {

std::string pg_bin() {
  const char* given = std::getenv("PG_BIN");
  return given != nullptr && *given != '\0' ? given : "/usr/lib/postgresql/15/bin";
}

std::string as_postgres(const std::string& command) {
  return geteuid() == 0 ? "runuser -u postgres -- " + command : command;
}

}  // namespace

private_postgres::private_postgres() {
  char pattern[] = "/tmp/lastcall-private-pg.XXXXXX";
  if (mkdtemp(pattern) == nullptr) FAIL("cannot create a directory for a private PostgreSQL");
  root_ = pattern;
  run("mkdir -p " + root_ + "/data " + root_ + "/socket");
  if (geteuid() == 0) run("chown -R postgres " + root_);
  run(as_postgres(pg_bin() + "/initdb -D " + root_ + "/data -U postgres --auth=trust -E UTF8") +
      " >/dev/null");
  start();
}

private_postgres::~private_postgres() {
  try {
    stop();
  } catch (...) {
  }
  std::system(("rm -rf " + root_).c_str());
}

void private_postgres::run(const std::string& command) const {
  if (std::system(command.c_str()) != 0) throw std::runtime_error("command failed: " + command);
}

void private_postgres::start() {
  run(as_postgres(pg_bin() + "/pg_ctl -D " + root_ + "/data -l " + root_ +
                  "/server.log -w -t 60 start -o \"-c listen_addresses='' "
                  "-c unix_socket_directories='" +
                  root_ + "/socket' -c max_connections=100\"") +
      " >/dev/null");
}

void private_postgres::stop() {
  run(as_postgres(pg_bin() + "/pg_ctl -D " + root_ + "/data -m fast -w stop") + " >/dev/null 2>&1");
}

std::string private_postgres::url(const std::string& database) const {
  return "postgresql:///" + database + "?host=" + root_ + "/socket&user=postgres";
}

void private_postgres::create_database(const std::string& name) {
  pqxx::connection admin(url("postgres"));
  pqxx::nontransaction command(admin);
  command.exec("CREATE DATABASE " + admin.quote_name(name));
}

}  // namespace lastcall::testing

#include "tests/support/ha_postgres.hpp"

#include <stdlib.h>

#include <cstdlib>
#include <fstream>
#include <stdexcept>
#include <thread>

#include <httplib.h>
#include <catch2/catch.hpp>

#include "tests/support/ports.hpp"

#ifndef LASTCALL_SOURCE_DIR
#error "LASTCALL_SOURCE_DIR must name the source tree (for scripts/pg-ha-cluster)"
#endif

namespace lastcall::testing {

namespace {

int status_of(int port, const std::string& path) {
  httplib::Client client("127.0.0.1", port);
  client.set_connection_timeout(2, 0);
  client.set_read_timeout(5, 0);
  auto response = client.Get(path.c_str());
  return response ? response->status : 0;
}

}  // namespace

ha_postgres::ha_postgres() {
  char pattern[] = "/tmp/lastcall-ha-pg.XXXXXX";
  if (mkdtemp(pattern) == nullptr) FAIL("cannot create a directory for the failover cluster");
  dir_ = pattern;
  api_ports_[0] = free_tcp_port();
  api_ports_[1] = free_tcp_port();
  const int etcd = free_tcp_port(), peer = free_tcp_port(), pg1 = free_tcp_port(),
            pg2 = free_tcp_port();
  script("start " + dir_ + " " + std::to_string(etcd) + " " + std::to_string(peer) + " " +
         std::to_string(pg1) + " " + std::to_string(pg2) + " " + std::to_string(api_ports_[0]) +
         " " + std::to_string(api_ports_[1]));
  std::ifstream in(dir_ + "/url");
  std::getline(in, url_);
  if (url_.empty()) FAIL("the failover cluster wrote no URL; its files: " << dir_);
}

ha_postgres::~ha_postgres() {
  try {
    script("stop " + dir_);
  } catch (...) {
  }
  std::system(("rm -rf " + dir_).c_str());
}

void ha_postgres::script(const std::string& arguments) const {
  const std::string command = std::string(LASTCALL_SOURCE_DIR) + "/scripts/pg-ha-cluster " +
                              arguments + " >>" + dir_ + "/script.log 2>&1";
  if (std::system(command.c_str()) != 0)
    throw std::runtime_error("failed: " + command + " (see " + dir_ + "/script.log)");
}

std::string ha_postgres::leader() const {
  for (const char* node : {"node1", "node2"})
    if (status_of(api_port(node), "/leader") == 200) return node;
  return "";
}

std::string ha_postgres::synchronous_standby() const {
  for (const char* node : {"node1", "node2"})
    if (status_of(api_port(node), "/sync") == 200) return node;
  return "";
}

bool ha_postgres::settled_with_leader(const std::string& node,
                                      std::chrono::milliseconds limit) const {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (std::chrono::steady_clock::now() < deadline) {
    if (leader() == node && synchronous_standby() == other(node)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
  }
  return false;
}

bool ha_postgres::switch_over_to(const std::string& node) {
  httplib::Client client("127.0.0.1", api_port(other(node)));
  client.set_read_timeout(60, 0);
  auto response = client.Post("/switchover",
                              "{\"leader\":\"" + other(node) + "\",\"candidate\":\"" + node + "\"}",
                              "application/json");
  return response && response->status == 200;
}

void ha_postgres::kill(const std::string& node) {
  script("kill " + dir_ + " " + node);
}

void ha_postgres::restart(const std::string& node) {
  script("restart " + dir_ + " " + node);
}

}  // namespace lastcall::testing

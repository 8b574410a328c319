#pragma once
// A PostgreSQL cluster that fails over by itself (scripts/pg-ha-cluster: Patroni over etcd, two
// servers in strict synchronous mode, on loopback), for tests that take the primary away under the
// bot. Nodes are "node1" and "node2".

#include <chrono>
#include <string>

namespace lastcall::testing {

class ha_postgres {
 public:
  ha_postgres();   // starts etcd and both nodes; fails the test when it cannot
  ~ha_postgres();  // stops everything and removes its files
  ha_postgres(const ha_postgres&) = delete;
  ha_postgres& operator=(const ha_postgres&) = delete;

  // A libpq URL naming both servers with target_session_attrs=read-write.
  const std::string& url() const { return url_; }

  // The node that leads now and the one that is its synchronous standby ("" while none is).
  std::string leader() const;
  std::string synchronous_standby() const;
  // Waits until `node` leads and the other node is its synchronous standby.
  bool settled_with_leader(const std::string& node, std::chrono::milliseconds limit) const;

  // Patroni's planned switchover to the standby (the primary is demoted cleanly).
  bool switch_over_to(const std::string& node);
  // SIGKILL of a node's Patroni and PostgreSQL, as when its machine dies; restart() brings it back
  // as a standby.
  void kill(const std::string& node);
  void restart(const std::string& node);

  static std::string other(const std::string& node) { return node == "node1" ? "node2" : "node1"; }

 private:
  int api_port(const std::string& node) const {
    return node == "node1" ? api_ports_[0] : api_ports_[1];
  }
  void script(const std::string& arguments) const;

  std::string dir_;
  std::string url_;
  int api_ports_[2] = {0, 0};
};

}  // namespace lastcall::testing

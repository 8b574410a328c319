// Failover time: two nodes of one market; the owner is killed (SIGKILL) or stopped (SIGTERM), and
// a customer writes at that moment. Measured: from the signal to the customer's answer, which the
// standby gives once it has taken the lease (killed: when it expires; stopped: at once, as a clean
// stop releases it), loaded the market and polled. The stopped node comes back as the next standby,
// so the roles alternate from run to run.
//
//   build/benchmarks/failover_benchmark [--runs N] [--lease-seconds S] [--lastcall PATH]
//
// The database is a throwaway one created through PG_ADMIN_URL (as scripts/test exports it); the
// Bot API is the sandbox, in process. Exit code 0 when every run was answered.

#include <signal.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <spdlog/spdlog.h>

#include "benchmarks/bot_process.hpp"
#include "benchmarks/command_line.hpp"
#include "benchmarks/median.hpp"
#include "benchmarks/throwaway_database.hpp"
#include "persistence/database.hpp"
#include "sandbox/server.hpp"

using namespace lastcall;

namespace {

using clock_type = std::chrono::steady_clock;

struct options {
  int runs = 5;
  std::string lease_seconds = "5";
  std::string lastcall = benchmarks::lastcall_binary(LASTCALL_BINARY_PATH);
};

benchmarks::flag_table flags_of(options& o) {
  return benchmarks::flag_table("failover_benchmark")
      .number("--runs", o.runs)
      .text("--lease-seconds", o.lease_seconds, "S")
      .text("--lastcall", o.lastcall, "PATH");
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

bool wait_for_log(const std::string& path, const std::string& needle, std::chrono::seconds limit) {
  const auto deadline = clock_type::now() + limit;
  while (clock_type::now() < deadline) {
    if (read_file(path).find(needle) != std::string::npos) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return false;
}

struct node {
  pid_t pid = -1;
  std::string log;
};

}  // namespace

int main(int argc, char** argv) {
  const auto o = benchmarks::options_or_exit<options>(argc, argv, flags_of);
  spdlog::set_level(spdlog::level::warn);
  const char* admin = benchmarks::admin_url();
  if (admin == nullptr) return benchmarks::no_admin_url();
  try {
    benchmarks::throwaway_database database(admin, "lastcall_failover_bench_");
    sandbox::server_options sandbox_options;
    sandbox_options.token = "123456:failover-benchmark";
    sandbox_options.limits = {};
    sandbox::server sandbox(sandbox_options);
    sandbox.start("127.0.0.1", 0);
    auto& world = sandbox.state();

    int starts = 0;
    auto start_node = [&](const std::string& name) {
      node n;
      n.log = "/tmp/failover_benchmark_" + std::to_string(::getpid()) + "_" +
              std::to_string(++starts) + ".log";
      n.pid = benchmarks::start_bot(
          o.lastcall,
          {"BOT_TOKEN=" + sandbox_options.token, "TELEGRAM_API_URL=" + sandbox.base_url(),
           "DATABASE_URL=" + database.url(), "POLL_TIMEOUT_SECONDS=2", "LOG_LEVEL=info",
           "LOG_FORMAT=text", "FLOOD_UPDATES_PER_SECOND=0", "NODE_NAME=" + name,
           "LEASE_SECONDS=" + o.lease_seconds},
          n.log);
      return n;
    };
    std::array<node, 2> nodes{start_node("node-a"), node{}};
    if (!wait_for_log(nodes[0].log, "[serve serving]", std::chrono::seconds(120))) {
      std::fprintf(stderr, "the first node did not start; its log: %s\n", nodes[0].log.c_str());
      return 1;
    }
    nodes[1] = start_node("node-b");

    std::printf("lease %s s; a customer writes as the owner goes\n", o.lease_seconds.c_str());
    std::printf("%-8s %-4s %12s\n", "owner", "run", "answer after");
    std::vector<double> killed_ms, stopped_ms;
    int64_t next_customer = 700'000'000;
    int owner = 0;
    bool all_answered = true;
    for (int run = 1; run <= o.runs; ++run) {
      for (const int sig : {SIGKILL, SIGTERM}) {
        auto& standby = nodes[1 - owner];
        if (!wait_for_log(standby.log, "standing by", std::chrono::seconds(120))) {
          std::fprintf(stderr, "no standby; its log: %s\n", standby.log.c_str());
          return 1;
        }
        const sandbox::user_profile customer{next_customer++, "Customer", "en", ""};
        const auto signalled = clock_type::now();
        ::kill(nodes[owner].pid, sig);
        world.send_text(customer, "/start");
        const auto answer = world.wait_for_bot_message(customer.id, 0, std::chrono::seconds(150));
        const double ms =
            std::chrono::duration<double, std::milli>(clock_type::now() - signalled).count();
        if (!answer) {
          all_answered = false;
          std::fprintf(stderr, "no answer within 150 s; logs: %s, %s\n", nodes[0].log.c_str(),
                       nodes[1].log.c_str());
        }
        (sig == SIGKILL ? killed_ms : stopped_ms).push_back(ms);
        std::printf("%-8s %-4d %9.0f ms\n", sig == SIGKILL ? "killed" : "stopped", run, ms);
        std::fflush(stdout);
        benchmarks::wait_exit(nodes[owner].pid, std::chrono::seconds(120));
        const std::string name = owner == 0 ? "node-a" : "node-b";
        nodes[owner] = start_node(name);
        owner = 1 - owner;
      }
    }
    std::printf(
        "median: killed owner -> first answer %.0f ms, stopped owner -> first answer %.0f "
        "ms (lease %s s, %d runs each)\n",
        benchmarks::median(killed_ms), benchmarks::median(stopped_ms), o.lease_seconds.c_str(),
        o.runs);
    for (auto& n : nodes) benchmarks::stop_bot(n.pid);
    return all_answered ? 0 : 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "failover benchmark failed: %s\n", e.what());
    return 1;
  }
}

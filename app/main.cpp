// lastcall: a Telegram marketplace for surplus food. One binary, several subcommands.

#include <cstdio>
#include <string>
#include <vector>

#include "app/demo_command.hpp"
#include "app/migrate_command.hpp"
#include "app/restore_command.hpp"
#include "app/sandbox_command.hpp"
#include "app/serve_command.hpp"
#include "app/snapshot_command.hpp"
#include "app/user_ref_command.hpp"

// Read by jemalloc (see app/allocator.hpp) at start-up: a background thread hands freed pages back
// to the system after its decay time, so the memory of sessions passivated after a rush is returned
// even while the bot is quiet, not only at its next allocations.
extern "C" {
const char* malloc_conf = "background_thread:true";
}

namespace {

int usage() {
  std::fprintf(
      stderr,
      "usage: lastcall <command> [flags]\n"
      "  serve     run the bot (long polling, or --webhook URL); --from-snapshot FILE restores\n"
      "            FILE into the empty database first\n"
      "  migrate   apply database migrations and exit\n"
      "  snapshot  save a running server's state: --out FILE [--server http://HOST:PORT]\n"
      "  restore   load a snapshot into an empty database: FILE [--log-from DATABASE_URL]\n"
      "  sandbox   run the sandbox Bot API and its chat page on localhost (--port N)\n"
      "  demo-seed write demo deals into an empty database, for trying the bot in the sandbox\n"
      "  user-ref  print how the logs name users: ID... (Telegram user ids)\n"
      "Settings come from the environment (BOT_TOKEN, DATABASE_URL, ADMIN_IDS, ...), an optional\n"
      "config file (--config FILE) and flags (--database-url URL, ...); see README.md.\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "serve") {
    if (auto restored = lastcall::app::restore_before_serve(args); restored && *restored != 0)
      return *restored;
    return lastcall::app::run_serve_command(args);
  }
  if (command == "snapshot") return lastcall::app::run_snapshot_command(args);
  if (command == "restore") return lastcall::app::run_restore_command(args);
  if (command == "migrate") return lastcall::app::run_migrate_command(args);
  if (command == "sandbox") return lastcall::app::run_sandbox_command(args);
  if (command == "demo-seed") return lastcall::app::run_demo_seed_command(args);
  if (command == "user-ref") return lastcall::app::run_user_ref_command(args);
  if (command == "help" || command == "--help" || command == "-h") {
    usage();
    return 0;
  }
  std::fprintf(stderr, "lastcall: unknown command '%s'\n", command.c_str());
  return usage();
}

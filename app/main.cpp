// lastcall: a Telegram marketplace for surplus food. One binary, several subcommands.

#include <cstdio>
#include <string>
#include <vector>

#include "app/migrate_command.hpp"
#include "app/sandbox_command.hpp"
#include "app/serve_command.hpp"

namespace {

int usage() {
  std::fprintf(
      stderr,
      "usage: lastcall <command> [flags]\n"
      "  serve     run the bot (long polling, or --webhook URL)\n"
      "  migrate   apply database migrations and exit\n"
      "  sandbox   run the sandbox Bot API on localhost (--port N)\n"
      "Settings come from the environment (BOT_TOKEN, DATABASE_URL, ADMIN_IDS, ...), an optional\n"
      "config file (--config FILE) and flags (--database-url URL, ...); see README.md.\n");
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage();
  std::string command = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (command == "serve") return lastcall::app::run_serve_command(args);
  if (command == "migrate") return lastcall::app::run_migrate_command(args);
  if (command == "sandbox") return lastcall::app::run_sandbox_command(args);
  if (command == "help" || command == "--help" || command == "-h") {
    usage();
    return 0;
  }
  std::fprintf(stderr, "lastcall: unknown command '%s'\n", command.c_str());
  return usage();
}

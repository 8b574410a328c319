#pragma once
// Delivers the sandbox's updates to the bot's webhook the way Telegram does: an HTTP POST of the
// update's JSON with the X-Telegram-Bot-Api-Secret-Token header, several users in parallel, one
// user's updates one at a time, and any answer but 2xx (or none) retried after a pause.

#include <atomic>
#include <thread>
#include <vector>

#include "sandbox/world.hpp"

namespace lastcall::sandbox {

class webhook_sender {
 public:
  explicit webhook_sender(world& state, size_t connections = 8);
  ~webhook_sender();
  webhook_sender(const webhook_sender&) = delete;
  webhook_sender& operator=(const webhook_sender&) = delete;

  // The world must be closed first (world::close) so waiting workers return at once.
  void stop();

 private:
  void work();

  world& world_;
  std::atomic<bool> stopping_{false};
  std::vector<std::thread> workers_;
};

}  // namespace lastcall::sandbox

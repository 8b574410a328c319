#pragma once
// A flash sale through the sandbox with the bot taken down in the middle (killed, frozen, or
// failed over to another node), and what must hold afterwards: every tap answered, every code a
// customer was shown stored as theirs, nothing oversold, nothing applied twice.

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "sandbox/chats.hpp"
#include "tests/support/market.hpp"

namespace lastcall::testing {

struct sale_customer {
  sandbox::user_profile profile;
  int64_t help_message_id = 0;
  sandbox::tap_result tap;
};

// `count` customers from `first_id` on, half in English and half in Russian.
std::vector<sale_customer> sale_crowd(int count, int64_t first_id);

// Each customer needs a bot message to tap on: /help, answered while nothing is disturbed.
void greet(sandbox::world& world, std::vector<sale_customer>& crowd,
           std::chrono::milliseconds timeout);

// Every customer taps Reserve for one item, from `threads` threads, spread over about `spread`.
void rush(sandbox::world& world, std::vector<sale_customer>& crowd, int64_t offer_id, int threads,
          std::chrono::milliseconds spread);

// Waits until the bot worked everything off (nothing pending at the Bot API, the inbox empty)
// and checks the sale's outcome, failing the test with what went wrong.
void check_sale(market& m, int64_t offer_id, int item_count,
                const std::vector<sale_customer>& crowd, std::chrono::milliseconds timeout,
                const std::string& logs_to_read);

}  // namespace lastcall::testing

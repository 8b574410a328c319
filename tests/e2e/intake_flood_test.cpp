// One user floods the bot; another user's answer must not wait for the flood. Updates are taken
// into the inbox as fast as Telegram hands them over and each user's session works off its own
// queue, so the other user waits for one intake and one turn of their own, however many updates
// the flooder sent before them.

#include <string>

#include <catch2/catch.hpp>

#include "tests/support/market.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

constexpr int flood = 300;

// Telegram's per-chat limit would hold the flooder's replies back by itself; without it the
// flooder's session answers as fast as it can, which is what the intake must not wait for.
const std::map<std::string, std::string> no_flood_limits = {{"OUTBOUND_GLOBAL_PER_SECOND", "0"},
                                                            {"OUTBOUND_CHAT_PER_SECOND", "0"},
                                                            {"OUTBOUND_GROUP_PER_MINUTE", "0"}};

}  // namespace

TEST_CASE("a flood from one user does not hold back another user's answer", "[e2e][intake]") {
  market m("intake-flood", {}, no_flood_limits);
  chat_user flooder(m, 6601, "Flo");
  chat_user other(m, 6602, "Otto");
  // Both have talked to the bot before, so neither waits for a first greeting.
  flooder.says("/help");
  other.says("/help");
  const auto flooder_before = flooder.seen();
  const auto other_before = other.seen();

  auto& world = m.world();
  for (int i = 0; i < flood; ++i) world.send_text(flooder.profile(), "/help");
  world.send_text(other.profile(), "/help");

  // The moment the other user is answered, how far the flooder's answers have got.
  size_t flooder_answered_then = 0;
  REQUIRE(world.wait_until(
      [&] {
        if (world.bot_message_count(other.id()) <= other_before) return false;
        flooder_answered_then = world.bot_message_count(flooder.id()) - flooder_before;
        return true;
      },
      answer_timeout));
  INFO("the flooder had " << flooder_answered_then << " of " << flood
                          << " answers when the other user got theirs");
  // Waiting for the flood would mean at least the updates read before the other user's (200 of
  // them in three full getUpdates answers); the other user's turn runs beside the flooder's.
  CHECK(flooder_answered_then < flood / 2);

  // Nothing of the flood is lost, and its answers come in order, one per message.
  REQUIRE(world.wait_until(
      [&] { return world.bot_message_count(flooder.id()) >= flooder_before + flood; },
      std::chrono::milliseconds(120000)));
  CHECK(world.bot_message_count(flooder.id()) == flooder_before + flood);
  CHECK(m.stop_bot() == 0);
}

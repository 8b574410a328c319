// The outbound actor against the sandbox Bot API, with Telegram's rate limits and each kind of
// fault: every message the bot meant to send arrives exactly once and in its chat's order (or is
// counted as failed after the last attempt), and flood control never had to refuse a call.

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <caf/all.hpp>
#include <catch2/catch.hpp>

#include "actors/outbound_actor.hpp"
#include "sandbox/server.hpp"
#include "telegram/requests.hpp"

using namespace lastcall;
using telegram::outbound_result;

namespace {

constexpr auto generous = std::chrono::seconds(60);

// Telegram's limits as the sandbox enforces them: 30 a second overall, one a second per chat with
// bursts of three tolerated.
sandbox::rate_limits telegram_limits() {
  sandbox::rate_limits limits;
  limits.global_per_second = 30;
  limits.per_chat_per_second = 1;
  limits.per_chat_burst = 3;
  return limits;
}

// Collects the outbox ids the outbound actor reports, as the persistence actor would receive them.
struct outbox_record {
  std::mutex mutex;
  std::vector<int64_t> ids;
};

caf::behavior recording_sink(caf::event_based_actor*, std::shared_ptr<outbox_record> record) {
  return {[record](actors::sent_atom, const std::vector<int64_t>& ids) {
    std::lock_guard<std::mutex> guard(record->mutex);
    record->ids.insert(record->ids.end(), ids.begin(), ids.end());
  }};
}

struct delivery_rig {
  sandbox::server sandbox;
  caf::actor_system_config config;
  std::unique_ptr<caf::actor_system> system;
  std::shared_ptr<telegram::bot_api_client> client;
  std::shared_ptr<telegram::outbound_metrics> metrics =
      std::make_shared<telegram::outbound_metrics>();
  std::shared_ptr<outbox_record> outbox = std::make_shared<outbox_record>();
  actors::outbound_actor outbound;

  explicit delivery_rig(actors::outbound_options options = telegram_options())
      : sandbox(sandbox_options()) {
    sandbox.start("127.0.0.1", 0);
    config.set("scheduler.max-threads", 2);
    system = std::make_unique<caf::actor_system>(config);
    telegram::bot_api_client::options client_options;
    client_options.base_url = sandbox.base_url();
    client_options.token = sandbox.token();
    client = std::make_shared<telegram::bot_api_client>(std::move(client_options));
    outbound = actors::spawn_outbound(*system, client, std::move(options), metrics);
    auto sink = system->spawn(recording_sink, outbox);
    caf::anon_send(outbound, caf::actor_cast<actors::sent_sink>(sink));
  }

  ~delivery_rig() {
    caf::anon_send_exit(outbound, caf::exit_reason::user_shutdown);
    system.reset();
    client.reset();
    sandbox.stop();
  }

  static sandbox::server_options sandbox_options() {
    sandbox::server_options options;
    options.limits = telegram_limits();
    return options;
  }

  // The bot's defaults, with quicker back-off so failing attempts do not make the test slow.
  static actors::outbound_options telegram_options() {
    config::settings defaults;
    auto options = actors::outbound_options_from(defaults);
    options.backoff.base_ms = 50;
    options.backoff.max_ms = 1000;
    options.backoff.max_attempts = 10;
    options.jitter_seed = 42;
    return options;
  }

  sandbox::world& world() { return sandbox.state(); }

  // Users who started the bot, so it may write to them.
  std::vector<int64_t> open_chats(int count, int64_t first_id = 5001) {
    std::vector<int64_t> ids;
    for (int i = 0; i < count; ++i) {
      sandbox::user_profile user{first_id + i, "User" + std::to_string(i), "en", ""};
      world().send_text(user, "/start");
      ids.push_back(user.id);
    }
    return ids;
  }

  // `per_chat` numbered messages to each chat, as one batch (as a committed unit would hand them
  // over), each with an outbox id. Returns the texts each chat should get, in order.
  std::map<int64_t, std::vector<std::string>> send_numbered(
      const std::vector<int64_t>& chats, int per_chat,
      telegram::call_priority priority = telegram::call_priority::bulk) {
    std::map<int64_t, std::vector<std::string>> expected;
    std::vector<telegram::api_call> calls;
    for (int i = 0; i < per_chat; ++i) {
      for (auto chat : chats) {
        auto text = "chat " + std::to_string(chat) + " message " + std::to_string(i);
        auto call = telegram::send_message(chat, text, nullptr, priority);
        call.outbox_id = ++last_outbox_id;
        calls.push_back(std::move(call));
        expected[chat].push_back(text);
      }
    }
    caf::anon_send(outbound, actors::send_atom::value, std::move(calls));
    return expected;
  }

  uint64_t pending() {
    caf::scoped_actor self{*system};
    uint64_t left = 1;
    self->request(outbound, std::chrono::seconds(5), actors::status_atom::value)
        .receive([&](uint64_t n) { left = n; }, [&](caf::error&) {});
    return left;
  }

  // Waits until the outbound actor has nothing queued or in flight.
  bool drained() {
    const auto deadline = std::chrono::steady_clock::now() + generous;
    while (std::chrono::steady_clock::now() < deadline) {
      if (pending() == 0) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    return false;
  }

  std::vector<std::string> texts_in(int64_t chat) {
    std::vector<std::string> texts;
    for (const auto& message : world().bot_messages(chat)) texts.push_back(message.text);
    return texts;
  }

  // Every outbox id handed over was reported done, each exactly once.
  void check_outbox_settled() {
    std::vector<int64_t> ids;
    for (int attempt = 0; attempt < 100; ++attempt) {
      {
        std::lock_guard<std::mutex> guard(outbox->mutex);
        ids = outbox->ids;
      }
      if (ids.size() >= static_cast<size_t>(last_outbox_id)) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    std::sort(ids.begin(), ids.end());
    std::vector<int64_t> all(static_cast<size_t>(last_outbox_id));
    for (size_t i = 0; i < all.size(); ++i) all[i] = static_cast<int64_t>(i + 1);
    CHECK(ids == all);
  }

  // Each chat got exactly the expected messages, once each, in order.
  void check_delivered(const std::map<int64_t, std::vector<std::string>>& expected) {
    REQUIRE(drained());
    for (const auto& [chat, texts] : expected) {
      INFO("chat " << chat);
      CHECK(texts_in(chat) == texts);
    }
    size_t total = 0;
    for (const auto& [chat, texts] : expected) total += texts.size();
    CHECK(metrics->count_of("sendMessage", outbound_result::ok) == total);
    CHECK(metrics->total(outbound_result::failed) == 0);
    check_outbox_settled();
  }

  uint64_t injected(const char* kind) {
    auto counts = world().injected_faults();
    auto it = counts.find(kind);
    return it == counts.end() ? 0 : it->second;
  }

  // Eight chats get `per_chat` messages each while the sandbox injects `faults`: each chat gets
  // all of its own, once each and in order, and flood control never had to refuse a call.
  void check_delivered_despite(const sandbox::fault_plan& faults, int per_chat) {
    auto chats = open_chats(8);
    world().set_faults(faults);
    check_delivered(send_numbered(chats, per_chat));
    CHECK(world().rate_limited_count() == 0);
  }

  // One kind of fault that fails the attempt outright, striking as `strikes` says (with `seed` for
  // its fraction): it struck at least `strikes.next` times, each attempt it failed was retried,
  // and check_delivered_despite holds.
  void check_retried_until_delivered(sandbox::fault_kind kind, sandbox::fault_rule strikes,
                                     uint64_t seed, int per_chat) {
    sandbox::fault_plan plan;
    plan.seed = seed;
    failing_rule(plan, kind) = strikes;
    check_delivered_despite(plan, per_chat);
    const auto struck = injected(sandbox::fault_name(kind));
    CHECK(struck >= static_cast<uint64_t>(strikes.next));
    CHECK(metrics->count_of("sendMessage", outbound_result::retried) == struck);
  }

  static sandbox::fault_rule& failing_rule(sandbox::fault_plan& plan, sandbox::fault_kind kind) {
    switch (kind) {
      case sandbox::fault_kind::drop_connection:
        return plan.drop_connection;
      case sandbox::fault_kind::malformed_body:
        return plan.malformed_body;
      case sandbox::fault_kind::server_error:
        return plan.server_error;
      default:
        FAIL("not a fault that fails the attempt outright: " << sandbox::fault_name(kind));
        return plan.server_error;
    }
  }

  int64_t last_outbox_id = 0;
};

}  // namespace

TEST_CASE("under Telegram's limits a busy bot never meets flood control",
          "[integration][outbound][delivery]") {
  delivery_rig rig;
  // 40 chats: more than the 30 a second allowed overall, so the bot-wide limit is what holds.
  auto chats = rig.open_chats(40);
  auto expected = rig.send_numbered(chats, 4);
  rig.check_delivered(expected);
  CHECK(rig.world().rate_limited_count() == 0);
  CHECK(rig.metrics->throttled == 0);
  CHECK(rig.metrics->retries == 0);
  CHECK(rig.metrics->queued == 0);
}

TEST_CASE("a 429 storm delays messages but loses none", "[integration][outbound][delivery]") {
  delivery_rig rig;
  sandbox::fault_plan storm;
  storm.too_many_requests.next = 20;
  storm.retry_after_seconds = 1;
  rig.check_delivered_despite(storm, 5);
  CHECK(rig.injected("too_many_requests") == 20);
  CHECK(rig.metrics->throttled == 20);     // every one seen and waited out
  CHECK(rig.metrics->global_pauses >= 1);  // several chats at once: the bot paused as a whole
}

TEST_CASE("500s are retried with back-off until the message goes through",
          "[integration][outbound][delivery]") {
  delivery_rig rig;
  rig.check_retried_until_delivered(sandbox::fault_kind::server_error, {5, 0.25}, /*seed=*/11,
                                    /*per_chat=*/5);
}

TEST_CASE("after the last attempt a failing message is counted as failed, never silent",
          "[integration][outbound][delivery]") {
  auto options = delivery_rig::telegram_options();
  options.backoff.max_attempts = 3;
  delivery_rig rig(options);
  auto chat = rig.open_chats(1).at(0);
  sandbox::fault_plan plan;
  plan.server_error.next = 3;
  rig.world().set_faults(plan);
  rig.send_numbered({chat}, 1);
  REQUIRE(rig.drained());
  CHECK(rig.metrics->count_of("sendMessage", outbound_result::failed) == 1);
  CHECK(rig.metrics->count_of("sendMessage", outbound_result::retried) == 2);
  CHECK(rig.texts_in(chat).empty());
  // It leaves the outbox all the same: resending it after a restart would not help.
  rig.check_outbox_settled();

  // The chat is not stuck behind it.
  auto next = rig.send_numbered({chat}, 1);
  REQUIRE(rig.drained());
  CHECK(rig.texts_in(chat) ==
        std::vector<std::string>{"chat " + std::to_string(chat) + " message 0"});
}

TEST_CASE("slow answers hold up only their own chat", "[integration][outbound][delivery]") {
  delivery_rig rig;
  sandbox::fault_plan plan;
  plan.slow_answer.fraction = 0.5;
  plan.delay_ms = 300;
  plan.seed = 3;
  rig.check_delivered_despite(plan, 4);
  CHECK(rig.injected("slow_answer") > 0);
  CHECK(rig.metrics->retries == 0);  // slow is not failed: nothing sent twice
}

TEST_CASE("dropped connections are retried and deliver each message once",
          "[integration][outbound][delivery]") {
  delivery_rig rig;
  rig.check_retried_until_delivered(sandbox::fault_kind::drop_connection, {3, 0.2}, /*seed=*/5,
                                    /*per_chat=*/4);
}

TEST_CASE("malformed answers are retried and deliver each message once",
          "[integration][outbound][delivery]") {
  delivery_rig rig;
  rig.check_retried_until_delivered(sandbox::fault_kind::malformed_body, {3, 0.2}, /*seed=*/9,
                                    /*per_chat=*/4);
}

TEST_CASE("a user who blocked the bot gets nothing more until unblocked",
          "[integration][outbound][delivery]") {
  delivery_rig rig;
  auto chats = rig.open_chats(2);
  const auto blocker = chats[0], other = chats[1];
  rig.world().block_bot(blocker);
  rig.send_numbered({blocker, other}, 3);
  REQUIRE(rig.drained());
  CHECK(rig.texts_in(blocker).empty());
  CHECK(rig.texts_in(other).size() == 3);
  // One 403, then the rest dropped without asking Telegram.
  CHECK(rig.world().calls("sendMessage") == 4);
  CHECK(rig.metrics->count_of("sendMessage", outbound_result::dropped_blocked) == 3);
  CHECK(rig.metrics->blocked_chats == 1);
  rig.check_outbox_settled();

  rig.world().unblock_bot(blocker);
  caf::anon_send(rig.outbound, actors::unblocked_atom::value, blocker);
  rig.send_numbered({blocker}, 1);
  REQUIRE(rig.drained());
  CHECK(rig.texts_in(blocker).size() == 1);
  CHECK(rig.metrics->blocked_chats == 0);
}

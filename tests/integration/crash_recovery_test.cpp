// SIGKILL during a flash sale, again and again: the bot gets no chance to drain, so whatever it
// told a customer must already be durable, and whatever it had not finished must be redone after
// the restart exactly once: from the inbox, where a killed bot leaves the updates it had taken in
// but not handled. Telegram re-delivers every update the bot had not confirmed, so a tap may reach
// the bot twice; the idempotency key keeps the second delivery from reserving again.

#include <atomic>
#include <chrono>
#include <map>
#include <random>
#include <regex>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/database.hpp"
#include "tests/e2e/customer_steps.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

constexpr int customer_count = 240;
constexpr int item_count = 100;
constexpr int sender_threads = 4;
constexpr int kill_count = 10;
// Taps are spread over about this long, so kills land before, during and after the rush.
constexpr std::chrono::milliseconds rush_length{4000};
// A restarted bot replays its queue before it answers: wait generously, assert nothing on speed.
constexpr std::chrono::milliseconds recovery_timeout{60000};

struct customer {
  sandbox::user_profile profile;
  int64_t help_message_id = 0;
  sandbox::tap_result tap;
};

// Every pickup code the texts show, in either language, from the popup and the confirmation.
std::set<std::string> codes_in(const std::string& text) {
  static const std::regex code_pattern(
      "(?:[Pp]ickup code(?: is|:)|(?:Код|код) выдачи:?) ([2-9A-Z]{5,12})");
  std::set<std::string> codes;
  for (std::sregex_iterator it(text.begin(), text.end(), code_pattern), end; it != end; ++it)
    codes.insert((*it)[1].str());
  return codes;
}

int64_t inbox_rows(const std::string& url) {
  auto connection = persistence::connect(url);
  pqxx::read_transaction txn(*connection);
  return txn.exec1("SELECT count(*) FROM inbox")[0].as<int64_t>();
}

}  // namespace

TEST_CASE("SIGKILL at random moments of a flash sale loses no reservation and doubles none",
          "[integration][crash]") {
  market_seed seed;
  auto bakery = seed.add_business(700, "Crash Bakery", {41.3111, 69.2797});
  auto offer = seed.add_offer(bakery, offer_titled("Crash sale box", item_count));
  auto m = seeded_market("crash-recovery", seed, {{"MAX_ITEMS_PER_CUSTOMER", "1"}});
  auto& world = m->world();

  std::vector<customer> customers(customer_count);
  for (int i = 0; i < customer_count; ++i) {
    customers[i].profile.id = 300000 + i;
    customers[i].profile.first_name = "Customer" + std::to_string(i);
    customers[i].profile.language_code = i % 2 ? "ru" : "en";
  }

  // Each customer needs a bot message to tap on; the bot answers these while nothing is killed.
  for (auto& c : customers) world.send_text(c.profile, "/help");
  for (auto& c : customers) {
    auto help = world.wait_for_bot_message(c.profile.id, 0, recovery_timeout);
    REQUIRE(help);
    c.help_message_id = help->message_id;
  }

  const std::string reserve = reserve_data(offer.id, 1);
  std::atomic<bool> all_tapped{false};
  std::vector<std::thread> senders;
  for (int t = 0; t < sender_threads; ++t) {
    senders.emplace_back([&, t] {
      const auto pause = rush_length * sender_threads / customer_count;
      for (int i = t; i < customer_count; i += sender_threads) {
        customers[i].tap = world.tap(customers[i].profile, customers[i].help_message_id, reserve);
        std::this_thread::sleep_for(pause);
      }
    });
  }
  // Keeps killing while taps arrive, so the last taps meet a bot that may die as well.
  int kills = 0;
  std::thread killer([&] {
    std::mt19937 random(std::random_device{}());
    std::uniform_int_distribution<int> pause_ms(100, 600);
    while (kills < kill_count || !all_tapped) {
      std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(random)));
      m->kill_bot();
      m->start_bot();
      ++kills;
    }
  });
  for (auto& sender : senders) sender.join();
  all_tapped = true;
  killer.join();
  REQUIRE(kills >= kill_count);

  // The last bot started by the killer runs on undisturbed: it must work off everything.
  CHECK(world.wait_until([&] { return world.pending_updates() == 0; }, recovery_timeout));
  std::vector<int64_t> unanswered;
  bool all_answered = world.wait_until(
      [&] {
        unanswered.clear();
        for (const auto& c : customers) {
          auto answer = world.answer(c.tap.callback_query_id);
          if (!answer || !answer->answered) unanswered.push_back(c.profile.id);
        }
        return unanswered.empty();
      },
      recovery_timeout);
  INFO("bot log: " << m->bot().log_path());
  INFO(unanswered.size() << " customers never got an answer, the first: "
                         << (unanswered.empty() ? 0 : unanswered.front()));
  CHECK(all_answered);
  // Every update taken into the inbox, through all the kills, was handled: none is left there.
  CHECK(world.wait_until([&] { return inbox_rows(m->database_url()) == 0; }, recovery_timeout));

  // What customers were shown, from popups and from confirmation messages in their chats.
  auto rows = stored_reservations(m->database_url(), offer.id);
  std::map<int64_t, std::vector<domain::reservation>> by_customer;
  std::map<std::string, domain::reservation> by_code;
  for (const auto& r : rows) {
    by_customer[r.customer_id].push_back(r);
    by_code[r.code] = r;
  }
  int shown_codes = 0;
  std::vector<std::string> shown_but_missing;
  for (const auto& c : customers) {
    std::set<std::string> shown;
    if (auto answer = world.answer(c.tap.callback_query_id); answer && answer->answered)
      shown = codes_in(answer->text);
    for (const auto& message : world.bot_messages(c.profile.id)) {
      auto in_message = codes_in(message.text);
      shown.insert(in_message.begin(), in_message.end());
    }
    for (const auto& code : shown) {
      ++shown_codes;
      auto stored = by_code.find(code);
      if (stored == by_code.end() || stored->second.customer_id != c.profile.id ||
          stored->second.status != domain::reservation_status::active)
        shown_but_missing.push_back(code);
    }
  }
  // The crowd is larger than the stock, so the sale must have gone on through the kills.
  CHECK(shown_codes > 0);
  INFO("codes shown but not stored as the customer's active reservation: "
       << shown_but_missing.size());
  CHECK(shown_but_missing.empty());

  // Nothing oversold, and the offer's counter agrees with its reservations.
  int active_items_stored = 0;
  for (const auto& r : rows)
    if (r.status == domain::reservation_status::active) active_items_stored += r.quantity;
  CHECK(active_items_stored <= item_count);
  auto stored = stored_offer(m->database_url(), offer.id);
  CHECK(stored.quantity_total == item_count);
  CHECK(stored.quantity_reserved == active_items_stored);

  // Nothing applied twice: one tap each, so at most one reservation each, made for that tap.
  std::map<int64_t, int64_t> tap_update_of;
  for (const auto& c : customers) tap_update_of[c.profile.id] = c.tap.update_id;
  for (const auto& [customer_id, theirs] : by_customer) {
    INFO("customer " << customer_id);
    CHECK(theirs.size() == 1);
    REQUIRE(tap_update_of.count(customer_id) == 1);
    CHECK(theirs.front().idempotency_key == "u:" + std::to_string(tap_update_of[customer_id]));
  }
}

#include "tests/support/flash_sale.hpp"

#include <map>
#include <regex>
#include <set>
#include <thread>

#include <catch2/catch.hpp>
#include <pqxx/pqxx>

#include "persistence/database.hpp"
#include "tests/e2e/customer_steps.hpp"
#include "tests/support/seed.hpp"

namespace lastcall::testing {

namespace {

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

std::vector<sale_customer> sale_crowd(int count, int64_t first_id) {
  std::vector<sale_customer> crowd(static_cast<size_t>(count));
  for (int i = 0; i < count; ++i) {
    auto& profile = crowd[static_cast<size_t>(i)].profile;
    profile.id = first_id + i;
    profile.first_name = "Customer" + std::to_string(i);
    profile.language_code = i % 2 ? "ru" : "en";
  }
  return crowd;
}

void greet(sandbox::world& world, std::vector<sale_customer>& crowd,
           std::chrono::milliseconds timeout) {
  for (auto& c : crowd) world.send_text(c.profile, "/help");
  for (auto& c : crowd) {
    auto help = world.wait_for_bot_message(c.profile.id, 0, timeout);
    REQUIRE(help);
    c.help_message_id = help->message_id;
  }
}

void rush(sandbox::world& world, std::vector<sale_customer>& crowd, int64_t offer_id, int threads,
          std::chrono::milliseconds spread) {
  const std::string reserve = reserve_data(offer_id, 1);
  const auto pause = spread * threads / static_cast<int>(crowd.size());
  std::vector<std::thread> senders;
  for (int t = 0; t < threads; ++t) {
    senders.emplace_back([&, t] {
      for (size_t i = static_cast<size_t>(t); i < crowd.size(); i += static_cast<size_t>(threads)) {
        crowd[i].tap = world.tap(crowd[i].profile, crowd[i].help_message_id, reserve);
        std::this_thread::sleep_for(pause);
      }
    });
  }
  for (auto& sender : senders) sender.join();
}

void check_sale(market& m, int64_t offer_id, int item_count,
                const std::vector<sale_customer>& crowd, std::chrono::milliseconds timeout,
                const std::string& logs_to_read) {
  auto& world = m.world();
  INFO("bot logs: " << logs_to_read);
  CHECK(world.wait_until([&] { return world.pending_updates() == 0; }, timeout));
  std::vector<int64_t> unanswered;
  bool all_answered = world.wait_until(
      [&] {
        unanswered.clear();
        for (const auto& c : crowd) {
          auto answer = world.answer(c.tap.callback_query_id);
          if (!answer || !answer->answered) unanswered.push_back(c.profile.id);
        }
        return unanswered.empty();
      },
      timeout);
  INFO(unanswered.size() << " customers never got an answer, the first: "
                         << (unanswered.empty() ? 0 : unanswered.front()));
  CHECK(all_answered);
  // Every update taken into the inbox, through all the trouble, was handled: none is left there.
  CHECK(world.wait_until([&] { return inbox_rows(m.database_url()) == 0; }, timeout));

  // What customers were shown, from popups and from confirmation messages in their chats.
  auto rows = stored_reservations(m.database_url(), offer_id);
  std::map<int64_t, std::vector<domain::reservation>> by_customer;
  std::map<std::string, domain::reservation> by_code;
  for (const auto& r : rows) {
    by_customer[r.customer_id].push_back(r);
    by_code[r.code] = r;
  }
  int shown_codes = 0;
  std::vector<std::string> shown_but_missing;
  for (const auto& c : crowd) {
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
  // The crowd is larger than the stock, so the sale must have gone on through the trouble.
  CHECK(shown_codes > 0);
  INFO("codes shown but not stored as the customer's active reservation: "
       << shown_but_missing.size());
  CHECK(shown_but_missing.empty());

  // Nothing oversold, and the offer's counter agrees with its reservations.
  int active_items_stored = 0;
  for (const auto& r : rows)
    if (r.status == domain::reservation_status::active) active_items_stored += r.quantity;
  CHECK(active_items_stored <= item_count);
  auto stored = stored_offer(m.database_url(), offer_id);
  CHECK(stored.quantity_total == item_count);
  CHECK(stored.quantity_reserved == active_items_stored);

  // Nothing applied twice: one tap each, so at most one reservation each, made for that tap.
  std::map<int64_t, int64_t> tap_update_of;
  for (const auto& c : crowd) tap_update_of[c.profile.id] = c.tap.update_id;
  for (const auto& [customer_id, theirs] : by_customer) {
    INFO("customer " << customer_id);
    CHECK(theirs.size() == 1);
    REQUIRE(tap_update_of.count(customer_id) == 1);
    CHECK(theirs.front().idempotency_key == "u:" + std::to_string(tap_update_of[customer_id]));
  }
}

}  // namespace lastcall::testing

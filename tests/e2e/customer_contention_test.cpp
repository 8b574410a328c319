// A flash sale: far more customers than items tap Reserve at the same moment, from several
// threads, while some winners cancel. Exactly the stock is sold, never more; every tap is
// answered; the database agrees with what customers were told.

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include <catch2/catch.hpp>

#include "tests/e2e/customer_steps.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

constexpr int customer_count = 1000;
constexpr int item_count = 100;
constexpr int thread_count = 8;
constexpr int cancel_count = 20;
constexpr int early_count = 2 * cancel_count;
// A thousand conversations queue up behind each other: wait generously, assert nothing on speed.
constexpr std::chrono::milliseconds rush_timeout{180000};

struct customer {
  sandbox::user_profile profile;
  int64_t card_message_id = 0;
  std::string rush_query;   // the callback query of the Reserve tap in the rush
  std::string retry_query;  // the one of the second try, if any
  std::optional<sandbox::callback_answer> rush_answer, retry_answer;
  bool cancelled = false;
};

bool says_reserved(const std::optional<sandbox::callback_answer>& a) {
  return a && a->answered &&
         (a->text.find("Reserved!") != std::string::npos ||
          a->text.find("Забронировано!") != std::string::npos);
}

// Runs f for every customer, split over the threads.
template <class F>
void in_parallel(const std::vector<customer*>& all, F f) {
  std::vector<std::thread> threads;
  for (int t = 0; t < thread_count; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = t; i < all.size(); i += thread_count) f(*all[i]);
    });
  }
  for (auto& thread : threads) thread.join();
}

// The confirmation's Cancel button of a customer who just reserved, once it arrived.
std::optional<std::pair<int64_t, std::string>> cancel_button(sandbox::world& world,
                                                             int64_t chat_id) {
  std::optional<std::pair<int64_t, std::string>> found;
  world.wait_until(
      [&] {
        for (const auto& message : world.bot_messages(chat_id)) {
          if (!message.reply_markup.is_object() ||
              !message.reply_markup.contains("inline_keyboard"))
            continue;
          for (const auto& row : message.reply_markup["inline_keyboard"])
            for (const auto& button : row) {
              auto data = button.value("callback_data", "");
              if (data.rfind("cancel:", 0) == 0) found.emplace(message.message_id, data);
            }
        }
        return found.has_value();
      },
      rush_timeout);
  return found;
}

}  // namespace

TEST_CASE("a flash sale never sells more than the stock, even with cancellations in the rush",
          "[e2e][customer][contention]") {
  bakery_seed s("Flash Bakery");
  auto offer = s.offer("Flash sale box", item_count);
  auto m = seeded_market("customer-contention", s.seed,
                         {{"MAX_ITEMS_PER_CUSTOMER", "1"}, {"LOG_LEVEL", "info"}});
  auto& world = m->world();

  std::vector<customer> customers(customer_count);
  std::vector<customer*> everyone;
  for (auto& c : customers) everyone.push_back(&c);
  for (int i = 0; i < customer_count; ++i) {
    customers[i].profile.id = 100000 + i;
    customers[i].profile.first_name = "Customer" + std::to_string(i);
    customers[i].profile.language_code = i % 2 ? "ru" : "en";
  }
  const std::string reserve = reserve_data(offer.id, 1);

  // Everyone opens the deal from a shared link first, so each has a card to tap.
  in_parallel(everyone, [&](customer& c) { world.send_text(c.profile, offer_link(offer.id)); });
  in_parallel(everyone, [&](customer& c) {
    if (auto card = world.wait_for_bot_message(c.profile.id, 0, rush_timeout))
      c.card_message_id = card->message_id;
  });
  int with_card = 0;
  for (const auto& c : customers) with_card += c.card_message_id != 0;
  REQUIRE(with_card == customer_count);

  // The rush: every customer taps Reserve. A few tap a moment earlier, and half of those cancel
  // as soon as they hold their item, while the first half of the crowd is tapping; the second
  // half taps once the cancellations are through, so the freed items are certainly sold again in
  // the rush. Each thread only touches its own customers.
  std::vector<customer*> early, first_half, second_half;
  for (int i = 0; i < customer_count; ++i) {
    auto* c = &customers[i];
    if (i < early_count)
      early.push_back(c);
    else
      (i % 2 ? first_half : second_half).push_back(c);
  }
  for (auto* c : early)
    c->rush_query = world.tap(c->profile, c->card_message_id, reserve).callback_query_id;

  int cancels_done = 0, cancel_answers_missing = 0;
  std::thread canceller([&] {
    for (auto* c : early) {
      c->rush_answer = world.wait_for_answer(c->rush_query, rush_timeout);
      if (cancels_done == cancel_count || !says_reserved(c->rush_answer)) continue;
      auto button = cancel_button(world, c->profile.id);
      if (!button) continue;
      // Cancel asks first; the customer answers Yes under the question.
      auto ask = world.tap(c->profile, button->first, button->second);
      if (!world.wait_for_answer(ask.callback_query_id, rush_timeout)) {
        ++cancel_answers_missing;
        continue;
      }
      auto tap = world.tap(c->profile, button->first, button->second + ":y");
      auto cancel = world.wait_for_answer(tap.callback_query_id, rush_timeout);
      if (!cancel || !cancel->answered) {
        ++cancel_answers_missing;
        continue;
      }
      if (cancel->text.find("cancelled") != std::string::npos ||
          cancel->text.find("отменена") != std::string::npos) {
        c->cancelled = true;
        ++cancels_done;
      }
    }
  });
  auto tap_reserve = [&](customer& c) {
    c.rush_query = world.tap(c.profile, c.card_message_id, reserve).callback_query_id;
  };
  in_parallel(first_half, tap_reserve);
  canceller.join();
  in_parallel(second_half, tap_reserve);
  for (auto* half : {&first_half, &second_half}) {
    in_parallel(*half, [&](customer& c) {
      c.rush_answer = world.wait_for_answer(c.rush_query, rush_timeout);
    });
  }

  int rush_winners = 0, unanswered = 0;
  for (const auto& c : customers) {
    if (!c.rush_answer || !c.rush_answer->answered) ++unanswered;
    if (says_reserved(c.rush_answer)) ++rush_winners;
  }
  CHECK(unanswered == 0);
  CHECK(cancel_answers_missing == 0);
  // The early customers are far fewer than the items, so they all win and half of them cancel.
  REQUIRE(cancels_done == cancel_count);
  // Far more customers than items: every item is sold, the freed ones a second time.
  CHECK(rush_winners == item_count + cancel_count);

  // Everyone without an item tries once more, and is told it is sold out.
  in_parallel(everyone, [&](customer& c) {
    if (says_reserved(c.rush_answer) && !c.cancelled) return;
    c.retry_query = world.tap(c.profile, c.card_message_id, reserve).callback_query_id;
  });
  in_parallel(everyone, [&](customer& c) {
    if (!c.retry_query.empty()) c.retry_answer = world.wait_for_answer(c.retry_query, rush_timeout);
  });
  int retries = 0, retry_winners = 0;
  for (const auto& c : customers) {
    if (c.retry_query.empty()) continue;
    ++retries;
    if (!c.retry_answer || !c.retry_answer->answered) ++unanswered;
    if (says_reserved(c.retry_answer)) ++retry_winners;
  }
  CHECK(retries == customer_count - item_count);
  CHECK(unanswered == 0);
  CHECK(retry_winners == 0);

  // The database agrees: exactly the stock is reserved, one item per customer, and every
  // reservation a customer was told about is there with the code they were given.
  auto rows = stored_reservations(m->database_url(), offer.id);
  std::map<int64_t, std::vector<domain::reservation>> by_customer;
  int active_rows = 0, active_items_stored = 0, cancelled_rows = 0;
  for (const auto& r : rows) {
    by_customer[r.customer_id].push_back(r);
    if (r.status == domain::reservation_status::active) {
      ++active_rows;
      active_items_stored += r.quantity;
    }
    if (r.status == domain::reservation_status::cancelled) ++cancelled_rows;
  }
  CHECK(active_items_stored == item_count);
  CHECK(active_rows == item_count);
  CHECK(cancelled_rows == cancel_count);
  CHECK(static_cast<int>(rows.size()) == item_count + cancel_count);
  for (const auto& [customer_id, theirs] : by_customer) {
    int active = 0;
    for (const auto& r : theirs) active += r.status == domain::reservation_status::active;
    INFO("customer " << customer_id);
    CHECK(active <= 1);
  }
  int told_but_missing = 0;
  for (const auto& c : customers) {
    for (const auto* answer : {&c.rush_answer, &c.retry_answer}) {
      if (!says_reserved(*answer)) continue;
      bool found = false;
      for (const auto& r : by_customer[c.profile.id])
        found = found || (*answer)->text.find(r.code) != std::string::npos;
      told_but_missing += !found;
    }
  }
  CHECK(told_but_missing == 0);
  auto stored = stored_offer(m->database_url(), offer.id);
  CHECK(stored.quantity_reserved == item_count);
  CHECK(stored.state == domain::offer_state::sold_out);
}

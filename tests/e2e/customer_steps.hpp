#pragma once
// Steps the customer conversations share: a seeded bakery, opening a card, reserving from it,
// waiting for a message to change, and what the database holds for an offer afterwards.

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "tests/support/market.hpp"
#include "tests/support/seed.hpp"

namespace lastcall::testing {

// A seed with one business, owner 700, and its deals: what most customer conversations start from.
struct bakery_seed {
  market_seed seed;
  domain::business bakery;

  explicit bakery_seed(const std::string& name = "Bakery Nord",
                       const std::string& address = "Navoi 5")
      : bakery(seed.add_business(700, name, {41.3111, 69.2797}, address)) {}

  domain::offer offer(const std::string& title, int32_t quantity = offer_seed{}.quantity,
                      domain::offer_state state = domain::offer_state::active) {
    auto spec = offer_titled(title, quantity);
    spec.state = state;
    return seed.add_offer(bakery, spec);
  }
};

// Taps the button labelled `label` on a list and returns the card the bot sends.
inline sandbox::chat_message opens_card(chat_user& user, const sandbox::chat_message& list,
                                        const std::string& label) {
  auto before = user.seen();
  user.taps_button(list, label);
  return user.await_reply(before);
}

// The message once it has been edited more often than `before` shows (the bot edits after it
// answered the tap, so the edit may land a moment later).
inline sandbox::chat_message edited(market& m, chat_user& user,
                                    const sandbox::chat_message& before) {
  bool changed = m.world().wait_until(
      [&] {
        auto now = m.world().message(user.id(), before.message_id);
        return now && now->edit_count > before.edit_count;
      },
      answer_timeout);
  CHECK(changed);
  return user.message(before.message_id);
}

struct cancellation_answered {
  sandbox::chat_message question;   // the message as it asked "Cancel …?"
  sandbox::callback_answer answer;  // the popup on the answer to the question
  sandbox::chat_message after;      // the message once the answer is shown
};

// Taps the button labelled `cancel` on a message, waits for the question the bot then asks in
// that message, and answers it with the button labelled `answer`.
inline cancellation_answered cancels_from(market& m, chat_user& user,
                                          const sandbox::chat_message& message,
                                          const std::string& cancel = "Cancel",
                                          const std::string& answer = "Yes") {
  user.taps_button(message, cancel);
  auto question = edited(m, user, message);
  auto popup = user.taps_button(question, answer);
  return {question, popup, edited(m, user, question)};
}

inline std::string offer_link(int64_t offer_id) {
  return "/start offer_" + std::to_string(offer_id);
}

// Opens the deal by its link and returns its card.
inline sandbox::chat_message opens_offer(chat_user& user, int64_t offer_id) {
  return user.says_and_gets(offer_link(offer_id), 2)[0];
}

struct reservation_made {
  sandbox::callback_answer answer;     // the popup on the tap
  sandbox::chat_message confirmation;  // the message with the pickup code and Cancel
};

// Taps the Reserve button labelled `label` on a deal's card and waits for the confirmation.
inline reservation_made reserves_on(chat_user& user, const sandbox::chat_message& card,
                                    const std::string& label) {
  auto before = user.seen();
  auto answer = user.taps_button(card, label);
  return {answer, user.await_reply(before)};
}

inline std::string reserve_data(int64_t offer_id, int quantity) {
  return "res:" + std::to_string(offer_id) + ":" + std::to_string(quantity) + ":b0";
}

// Waits until `condition` holds, checking it every few milliseconds: for what the sandbox cannot
// signal, such as rows a timer commits on its own.
inline bool eventually(const std::function<bool()>& condition,
                       std::chrono::milliseconds timeout = answer_timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!condition()) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

// The first bot message to the user whose text contains `part`, once it arrived.
inline sandbox::chat_message message_containing(market& m, chat_user& user,
                                                const std::string& part) {
  std::optional<sandbox::chat_message> found;
  m.world().wait_until(
      [&] {
        for (const auto& message : m.world().bot_messages(user.id()))
          if (message.text.find(part) != std::string::npos) found = message;
        return found.has_value();
      },
      answer_timeout);
  if (!found) FAIL("no message containing '" << part << "'; bot log: " << m.bot().log_path());
  return *found;
}

// Items of the offer in active reservations, as stored.
inline int active_items(market& m, int64_t offer_id) {
  int items = 0;
  for (const auto& r : stored_reservations(m.database_url(), offer_id))
    if (r.status == domain::reservation_status::active) items += r.quantity;
  return items;
}

}  // namespace lastcall::testing

#pragma once
// Steps the business conversations share in end-to-end tests: opening the bot, registering,
// getting approved, posting a deal. Each checks what it relies on, so a failing step points at
// itself rather than at a later assertion.

#include <regex>
#include <string>

#include <catch2/catch.hpp>

#include "tests/support/market.hpp"

namespace lastcall::testing::business_steps {

// Telegram lets a bot write only to users who opened it: admins must have, to get applications.
inline void opens_bot(chat_user& user) {
  user.says_and_gets("/start", 2);
}

// The number in the first "#<n>" of a text: the id the bot reported.
inline int64_t number_after_hash(const std::string& text) {
  std::smatch match;
  REQUIRE(std::regex_search(text, match, std::regex("#([0-9]+)")));
  return std::stoll(match[1]);
}

struct application {
  int64_t business_id = 0;
  sandbox::chat_message card;  // as the admin received it
};

// Registers a business with valid answers; `admin` (who opened the bot) receives the application.
inline application registers(chat_user& owner, chat_user& admin,
                             const std::string& name = "Bakery Nord",
                             const std::string& skip = "⏭ Skip") {
  auto admin_before = admin.seen();
  owner.says_and_gets("/register", 2);
  owner.says(name);
  owner.says("Main St 1, Tashkent");
  owner.shares_location(41.3111, 69.2797);
  owner.shares_contact("+998901234567");
  auto done = owner.says(skip);
  application result;
  result.business_id = number_after_hash(done.text);
  result.card = admin.await_reply(admin_before);
  CHECK_THAT(result.card.text, Catch::Contains(name));
  return result;
}

// The admin approves by command and the owner hears it.
inline void approves(chat_user& admin, chat_user& owner, int64_t business_id) {
  auto owner_before = owner.seen();
  CHECK_THAT(admin.says("/verify " + std::to_string(business_id)).text,
             Catch::Contains("is approved"));
  CHECK_THAT(owner.await_reply(owner_before).text, Catch::Contains("is approved"));
}

// A registered and approved business.
inline int64_t verified_business(chat_user& owner, chat_user& admin,
                                 const std::string& name = "Bakery Nord") {
  auto id = registers(owner, admin, name).business_id;
  approves(admin, owner, id);
  return id;
}

// /newoffer begun and its first question, the title, answered.
inline void starts_deal(chat_user& owner, const std::string& title) {
  owner.says_and_gets("/newoffer", 2);
  owner.says(title);
}

// /newoffer answered up to the preview; returns the preview card (the message with Publish).
inline sandbox::chat_message prepares_deal(chat_user& owner,
                                           const std::string& title = "Croissants",
                                           const std::string& quantity = "10") {
  starts_deal(owner, title);
  owner.says("Baked this morning");
  owner.says("⏭ Skip");
  owner.says("20000");
  owner.says("12000");
  owner.says(quantity);
  return owner.says_and_gets("tomorrow 18:00-20:30", 2)[1];
}

// A published deal; returns its id.
inline int64_t publishes_deal(chat_user& owner, const std::string& title = "Croissants",
                              const std::string& quantity = "10") {
  auto preview = prepares_deal(owner, title, quantity);
  auto before = owner.seen();
  owner.taps_button(preview, "Publish");
  auto published = owner.await_reply(before);
  CHECK_THAT(published.text, Catch::Contains("is live"));
  return number_after_hash(published.text);
}

// A customer reserves `quantity` items of the deal with the card's Reserve button; returns the
// pickup code the bot gave them.
inline std::string reserves(chat_user& customer, int64_t offer_id, int quantity) {
  auto any_message = customer.says("/help");
  auto popup = customer.taps(any_message.message_id,
                             "res:" + std::to_string(offer_id) + ":" + std::to_string(quantity));
  std::smatch code;
  REQUIRE(std::regex_search(popup.text, code, std::regex("code is ([A-Z0-9]+)")));
  return code[1];
}

// A market whose admin (Adam, 900) opened the bot, so applications reach him, and a user who may
// register a business: where registration conversations start. Bind its parts:
// `auto& [m, admin, ann] = applying;`.
struct market_with_applicant {
  market m;
  chat_user admin;
  chat_user owner;

  market_with_applicant(const std::string& name, int64_t owner_id,
                        const std::string& owner_name = "Ann", const std::string& language = "en")
      : m(name, {900}), admin(m, 900, "Adam"), owner(m, owner_id, owner_name, language) {
    opens_bot(admin);
  }
};

// The same with the owner's bakery registered and approved: what most business conversations
// start from. Bind its parts: `auto& [m, admin, ann] = bakery;`.
struct market_with_bakery : market_with_applicant {
  market_with_bakery(const std::string& name, int64_t ann_id)
      : market_with_applicant(name, ann_id) {
    verified_business(owner, admin);
  }
};

}  // namespace lastcall::testing::business_steps

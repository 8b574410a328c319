// The business hears about new reservations without being flooded: at most one message per offer
// per OWNER_NOTIFY_INTERVAL_SECONDS, each counting the reservations since the last one.

#include <regex>

#include <catch2/catch.hpp>

#include "tests/e2e/business_steps.hpp"
#include "tests/e2e/customer_steps.hpp"
#include "tests/support/seed.hpp"

using namespace lastcall;
using namespace lastcall::testing;

namespace {

// The counts of the owner's "new reservations" messages, in order.
std::vector<int> notice_counts(const std::vector<sandbox::chat_message>& messages) {
  std::vector<int> counts;
  static const std::regex notice("New reservations for .*: (\\d+) \\(");
  for (const auto& message : messages) {
    std::smatch match;
    if (std::regex_search(message.text, match, notice)) counts.push_back(std::stoi(match[1]));
  }
  return counts;
}

}  // namespace

TEST_CASE("new reservations reach the owner in batches, never one message each",
          "[e2e][business][notice]") {
  bakery_seed s;
  auto croissants = s.offer("Croissants", 10);
  // A long interval: the reservations below all fall inside one.
  auto m = seeded_market("owner-notice", s.seed, {{"OWNER_NOTIFY_INTERVAL_SECONDS", "10"}});
  chat_user owner(*m, 700, "Olga");
  owner.says("/start");

  for (int64_t customer = 651; customer <= 654; ++customer) {
    chat_user c(*m, customer, "C" + std::to_string(customer));
    auto any_message = c.says("/help");
    CHECK_THAT(c.taps(any_message.message_id, reserve_data(croissants.id, 1)).text,
               Catch::Contains("Reserved"));
  }

  REQUIRE(eventually(
      [&] {
        auto counts = notice_counts(owner.messages());
        int total = 0;
        for (int n : counts) total += n;
        return total == 4;
      },
      std::chrono::seconds(60)));
  auto counts = notice_counts(owner.messages());
  // The first reservation is told at once; the rest wait for the interval and come together.
  CHECK(counts.size() == 2);
  CHECK(counts.front() == 1);
  CHECK(counts.back() == 3);
}

TEST_CASE("news of a reservation picked up before its batch was due is dropped",
          "[e2e][business][notice]") {
  bakery_seed s;
  auto croissants = s.offer("Croissants", 10);
  auto m = seeded_market("owner-notice-dropped", s.seed, {{"OWNER_NOTIFY_INTERVAL_SECONDS", "15"}});
  chat_user owner(*m, 700, "Olga");
  owner.says("/start");

  chat_user first(*m, 661, "Cora"), second(*m, 662, "Dan");
  business_steps::reserves(first, croissants.id, 1);
  message_containing(*m, owner, "New reservations");  // the first news comes at once
  // The second waits for the interval, and is handed over before it is due.
  const auto code = business_steps::reserves(second, croissants.id, 1);
  CHECK_THAT(owner.says("/collect " + code).text, Catch::Contains("1 × Croissants"));

  // Once the batch's turn has run, its notice row is gone; a reply after it comes after anything
  // that turn sent (one chat's messages go out in order).
  REQUIRE(
      eventually([&] { return stored_notices(m->database_url()) == 0; }, std::chrono::seconds(60)));
  owner.says("/help");
  CHECK(notice_counts(owner.messages()) == std::vector<int>{1});
}

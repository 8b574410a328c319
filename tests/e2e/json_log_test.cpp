// The log of a whole market day in LOG_FORMAT=json: every line is a JSON object with its fields,
// users appear only by keyed reference, and nothing anyone typed or shared (names, addresses,
// phone numbers, messages), no Telegram user id and no token is in it.

#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "logs/user_reference.hpp"
#include "tests/e2e/business_steps.hpp"
#include "tests/e2e/customer_steps.hpp"

using namespace lastcall;
using namespace lastcall::testing;
using namespace lastcall::testing::business_steps;

namespace {

constexpr char log_key[] = "the key of the json log test";

std::vector<nlohmann::json> log_lines(const std::string& log) {
  std::vector<nlohmann::json> lines;
  std::istringstream in(log);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    auto parsed = nlohmann::json::parse(line, nullptr, false);
    INFO(line);
    REQUIRE(parsed.is_object());
    lines.push_back(std::move(parsed));
  }
  return lines;
}

}  // namespace

TEST_CASE("a JSON log has fields on every line and no texts, phones, user ids or token",
          "[e2e][logs]") {
  // Ids long enough that no timestamp, count or offer number contains them by chance.
  const int64_t admin_id = 734519001, owner_id = 734519002, customer_id = 734519003;
  market m(market_options{
      "json-log", {admin_id}, {{"LOG_FORMAT", "json"}, {"LOG_USER_KEY", log_key}}, false});
  m.start_bot();
  chat_user admin(m, admin_id, "Adelheid");
  chat_user owner(m, owner_id, "Ottoline");
  chat_user customer(m, customer_id, "Cunegonde");
  opens_bot(admin);
  verified_business(owner, admin, "Quuxbakery Secret");
  const auto offer = publishes_deal(owner, "Zetacroissant Mystery");
  auto card = customer.says_and_gets(offer_link(offer), 2)[0];
  CHECK_THAT(customer.taps(card.message_id, reserve_data(offer, 1)).text,
             Catch::Contains("Reserved"));
  customer.says("my xyzzy plugh message");
  customer.shares_contact("+998 91 765 43 21");
  const auto token = m.bot_token();
  REQUIRE(m.stop_bot() == 0);

  const auto log = m.bot().log();
  const auto lines = log_lines(log);
  REQUIRE(lines.size() > 20);

  logs::set_user_reference_key(log_key);
  bool customer_update_seen = false;
  for (const auto& line : lines) {
    INFO(line.dump());
    CHECK(line.contains("time"));
    CHECK(line.contains("level"));
    CHECK(line["actor"].is_string());
    CHECK(line["event"].is_string());
    CHECK(line["msg"].is_string());
    if (line.value("user", "") == logs::user_reference(customer_id) && line.contains("update_id"))
      customer_update_seen = true;
  }
  // The customer's updates can be followed through the log by their reference.
  CHECK(customer_update_seen);

  for (const std::string& secret :
       {std::to_string(admin_id), std::to_string(owner_id), std::to_string(customer_id), token,
        std::string("Adelheid"), std::string("Ottoline"), std::string("Cunegonde"),
        std::string("Quuxbakery"), std::string("Main St 1"), std::string("998901234567"),
        std::string("Zetacroissant"), std::string("Baked this morning"), std::string("xyzzy"),
        std::string("765 43 21"), std::string("998917654321")}) {
    INFO(secret);
    CHECK(log.find(secret) == std::string::npos);
  }
}

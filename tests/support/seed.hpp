#pragma once
// Puts a market's starting state straight into a test database, before the bot starts: verified
// businesses, their offers and reservations, so a test of what customers do does not depend on
// the conversations that register businesses and post offers.
//
//   market_seed seed;
//   auto bakery = seed.add_business(700, "Bakery Nord", {41.31, 69.28});
//   auto offer = seed.add_offer(bakery, offer_titled("Buns"));
//   auto m = seeded_market("browse", seed);  // the bot starts on the seeded database

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "domain/entities.hpp"
#include "domain/session_state.hpp"
#include "persistence/unit_of_work.hpp"
#include "tests/support/market.hpp"

namespace lastcall::testing {

struct offer_seed {
  std::string title = "Surprise bag";
  std::string description;
  std::string photo_file_id;         // empty: no photo
  int64_t original_price = 5000000;  // minor units: 50 000
  int64_t deal_price = 2000000;      // 20 000
  int32_t quantity = 5;
  int64_t starts_in = 2 * 3600;  // seconds from the seed's now to the start of the pickup window
  int64_t lasts = 2 * 3600;      // length of the pickup window
  domain::offer_state state = domain::offer_state::active;
  std::string currency = "UZS";
};

// The default deal under another title, and with another stock when given: what most tests vary.
inline offer_seed offer_titled(std::string title, int32_t quantity = offer_seed{}.quantity) {
  offer_seed spec;
  spec.title = std::move(title);
  spec.quantity = quantity;
  return spec;
}

class market_seed {
 public:
  // `now` is the time the rows are written for; defaults to the wall clock.
  explicit market_seed(int64_t now = 0);

  int64_t now() const { return now_; }

  domain::business add_business(int64_t owner_id, const std::string& name,
                                domain::geo_point where = {41.3111, 69.2797},
                                const std::string& address = "Amir Temur 1");
  domain::offer add_offer(const domain::business& business, offer_seed spec = {});
  // An active reservation counts against the offer's stock; the offer follows (sold out when
  // nothing is left).
  domain::reservation add_reservation(
      const domain::offer& offer, int64_t customer_id, int32_t quantity,
      domain::reservation_status status = domain::reservation_status::active);

  // The rows as they will be written.
  const persistence::unit_of_work& unit() const { return unit_; }

  // Writes everything in one transaction (persistence::write_batch).
  void write(const std::string& database_url) const;

 private:
  domain::offer& stored_offer(int64_t offer_id);

  int64_t now_;
  persistence::unit_of_work unit_;
  int64_t next_business_id_ = 1;
  int64_t next_offer_id_ = 1;
  int64_t next_reservation_id_ = 1;
};

// A market whose database holds `seed` when its bot starts.
std::unique_ptr<market> seeded_market(market_options options, const market_seed& seed);
std::unique_ptr<market> seeded_market(const std::string& name, const market_seed& seed,
                                      std::map<std::string, std::string> env = {},
                                      std::vector<int64_t> admin_ids = {});

// ---- Reading back what the bot stored

// Every stored reservation of the offer, by id.
std::vector<domain::reservation> stored_reservations(const std::string& database_url,
                                                     int64_t offer_id);

// The stored row of the offer (id 0 when there is none).
domain::offer stored_offer(const std::string& database_url, int64_t offer_id);

// Notices committed and not yet rendered (or dropped) by their users' sessions.
int64_t stored_notices(const std::string& database_url);

}  // namespace lastcall::testing

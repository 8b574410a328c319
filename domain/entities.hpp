#pragma once
// The market's entities as the actors hold them and the database stores them. Times are Unix
// seconds (UTC); money is integer minor units (tiyin, cents) in the deployment's currency, never
// floating point. `version` grows by one with every change the owning actor makes, so a write that
// arrives late never overwrites a newer one.

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace lastcall::domain {

enum class language { en, ru, uz };

enum class business_status { pending, verified, rejected };

enum class offer_state { draft, active, paused, sold_out, expired, ended };

enum class reservation_status { active, cancelled, collected, no_show };

struct user_record {
  int64_t id = 0;
  language lang = language::en;
  bool language_chosen = false;  // false while the language is only Telegram's guess
  bool blocked_bot = false;      // Telegram answered 403: stop sending to this user
  nlohmann::json session;        // navigation state and drafts, owned by the session actor
  int64_t version = 0;
  int64_t created_at = 0;
};

struct business {
  int64_t id = 0;
  int64_t owner_id = 0;
  std::string name;
  std::string address;
  double latitude = 0;
  double longitude = 0;
  std::string phone;
  std::string photo_file_id;  // empty when none
  business_status status = business_status::pending;
  std::string reject_reason;
  int64_t decided_by = 0;  // the admin who approved or rejected it
  int64_t version = 0;
  int64_t created_at = 0;
};

struct offer {
  int64_t id = 0;
  int64_t business_id = 0;
  std::string title;
  std::string description;
  std::string photo_file_id;   // empty when none
  int64_t original_price = 0;  // minor units
  int64_t deal_price = 0;      // minor units, lower than original_price
  std::string currency;
  int32_t quantity_total = 0;  // items put up for sale; left = total - reserved - collected
  int32_t quantity_reserved = 0;
  int32_t quantity_collected = 0;
  offer_state state = offer_state::draft;  // here, it fills what would be padding after the counts
  int64_t pickup_start = 0;
  int64_t pickup_end = 0;
  int64_t version = 0;
  int64_t created_at = 0;
  int64_t published_at = 0;

  int32_t quantity_left() const { return quantity_total - quantity_reserved - quantity_collected; }
};

struct reservation {
  int64_t id = 0;
  int64_t offer_id = 0;
  int64_t customer_id = 0;
  int32_t quantity = 0;
  std::string code;  // the short pickup code the customer shows
  reservation_status status = reservation_status::active;
  int64_t deal_price = 0;  // per item, fixed when reserved: later price edits never change it
  std::string
      idempotency_key;  // e.g. "u:<update_id>": a re-delivered update finds its first result
  int64_t version = 0;
  int64_t created_at = 0;
  int64_t updated_at = 0;
};

// A reservation with what the customer needs to find the food.
struct reservation_entry {
  domain::reservation reservation;
  domain::offer offer;
  domain::business business;
};

// Stable names used in the database, the event log and snapshots.
const char* to_string(language);
const char* to_string(business_status);
const char* to_string(offer_state);
const char* to_string(reservation_status);
bool parse(const std::string& text, language& out);
bool parse(const std::string& text, business_status& out);
bool parse(const std::string& text, offer_state& out);
bool parse(const std::string& text, reservation_status& out);

}  // namespace lastcall::domain

#pragma once
// What one user's change (or a timer) tells another user: a closed set of notices, each a struct
// with what its message needs. A notice is stored with the change that causes it (persistence's
// notices table, as a kind and JSON data) and rendered by its user's session in their language
// (flows/notice_rendering.hpp), which visits every alternative: a new notice does not compile
// until it can be rendered.

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/entities.hpp"

namespace lastcall::domain {

namespace notices {

// To an admin: a business applied.
struct new_application {
  int64_t business_id = 0;
};
// To the owner: an admin decided their application.
struct business_decided {
  int64_t business_id = 0;
};
// To a customer holding the offer: its business paused it (the reservation still stands).
struct offer_paused {
  int64_t offer_id = 0;
  std::string title;
  int64_t reservation_id = 0;  // 0: every reservation the customer holds on the offer
};
// To a customer holding the offer: its business withdrew it.
struct offer_ended {
  int64_t offer_id = 0;
  std::string title;
};
// To a customer holding the offer: the pickup window ends soon.
struct pickup_reminder {
  int64_t offer_id = 0;
  std::string title;
  std::string code;
  int64_t pickup_end = 0;
  std::string address;
};
// To a customer: the window ended and they did not pick up.
struct missed_pickup {
  int64_t offer_id = 0;
  std::string title;
};
// To the owner: reservations made and cancelled since the last such notice.
struct new_reservations {
  int64_t offer_id = 0;
  std::string title;
  int64_t count = 0;  // reservations made
  int64_t left = 0;
  int64_t items = 0;            // items in them (0 in notices stored before items were counted)
  int64_t cancelled_items = 0;  // items customers gave back
  // The reservations made (none in notices stored before they were named).
  std::vector<int64_t> reservation_ids;
};

// To the owner: the pickup window of a deal ended; how it went, in items.
struct window_ended {
  int64_t offer_id = 0;
  std::string title;
  int64_t picked_up = 0;
  int64_t missed = 0;  // reserved and not picked up
  int64_t unsold = 0;  // never reserved, or given back
};

}  // namespace notices

using notice =
    std::variant<notices::new_application, notices::business_decided, notices::offer_paused,
                 notices::offer_ended, notices::pickup_reminder, notices::missed_pickup,
                 notices::new_reservations, notices::window_ended>;

// Whether the notice would only tell the owner of reservations already handed over: every one made
// in it is picked up (in `reservations`, the offer's as they are now), and it tells of no
// cancellation. Such a notice is dropped instead of sent.
bool already_picked_up(const notices::new_reservations& n,
                       const std::vector<reservation>& reservations);

// The stored form: a kind ("business.decided", ...) and its data.
std::string notice_kind(const notice& n);
nlohmann::json notice_data(const notice& n);

// A stored notice read back; nothing when the kind is unknown (written by a newer version) or the
// data does not fit it.
std::optional<notice> read_notice(const std::string& kind, const nlohmann::json& data);

}  // namespace lastcall::domain

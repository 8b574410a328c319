#pragma once
// What can be asked of one offer, each operation its own type with its own reply type
// (reply_to_t<Operation>), and the closed set of both (offer_operation, offer_outcome) that travels
// to an offer's actor. A new operation is one more alternative: every std::visit over the set then
// fails to compile until it handles it.
//
// `user_id` is who asks; the offer checks it (callback data and typed ids are user input):
// business operations only for the owner of the offer's business, cancel only for the
// reservation's customer, reserve never for the owner. Replies that changed the offer carry the
// rows, events and notices that record the change in `changes`, which the asking turn commits with
// its answer.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "domain/entities.hpp"
#include "domain/offer_book.hpp"
#include "persistence/unit_of_work.hpp"

namespace lastcall::market {

// ---- Operations

// Read: the offer, its business, how many the user holds.
struct view_offer {
  int64_t offer_id = 0;
  int64_t user_id = 0;
};
struct reserve_items {
  int64_t offer_id = 0;
  int64_t user_id = 0;
  int32_t quantity = 0;
  int64_t now = 0;
  // "u:<update_id>", so a re-delivered update finds its first result.
  std::string idempotency_key;
};
struct cancel_reservation {
  int64_t offer_id = 0;
  int64_t user_id = 0;
  int64_t reservation_id = 0;
  int64_t now = 0;
};
// The owner's lifecycle steps: draft -> active, active -> paused, paused -> active, anything ->
// ended. One shape, four types.
template <class Step>
struct lifecycle_step {
  int64_t offer_id = 0;
  int64_t user_id = 0;
  int64_t now = 0;
};
using publish_offer = lifecycle_step<struct publish_tag>;
using pause_offer = lifecycle_step<struct pause_tag>;
using resume_offer = lifecycle_step<struct resume_tag>;
using end_offer = lifecycle_step<struct end_tag>;
struct edit_price {
  int64_t offer_id = 0;
  int64_t user_id = 0;
  int64_t original_price = 0;
  int64_t deal_price = 0;
  int64_t now = 0;
};
struct edit_quantity {
  int64_t offer_id = 0;
  int64_t user_id = 0;
  int32_t quantity = 0;  // the new total
  int64_t now = 0;
};
// Read: every reservation of the offer (owner only).
struct list_reservations {
  int64_t offer_id = 0;
  int64_t user_id = 0;
};
// Pickup by the code the customer shows; the market finds the offer and names the business of the
// user who asks.
struct collect_pickup {
  int64_t offer_id = 0;
  int64_t user_id = 0;
  int64_t business_id = 0;
  std::string code;
  int64_t now = 0;
};

using offer_operation = std::variant<view_offer, reserve_items, cancel_reservation, publish_offer,
                                     pause_offer, resume_offer, end_offer, edit_price,
                                     edit_quantity, list_reservations, collect_pickup>;

// ---- Replies

// What every reply about one offer says.
struct offer_answer {
  bool found = false;      // false: no offer with that id
  bool allowed = false;    // false: the user may not do this to this offer; nothing changed
  bool ok = false;         // the operation did what it asked
  std::string reason_key;  // text key explaining a refusal, e.g. "reserve.sold_out"
  domain::offer offer;     // the offer after the operation
  domain::business business;
  int32_t left = 0;          // items left after the operation
  int32_t held_by_user = 0;  // items the user holds in active reservations of this offer
  persistence::unit_of_work changes;
};

struct view_reply : offer_answer {};

struct reserve_reply : offer_answer {
  domain::reserve_result::outcome outcome = domain::reserve_result::outcome::invalid_quantity;
  std::optional<domain::reservation> reservation;  // made, or found by the idempotency key
  int32_t may_take = 0;  // refused for the per-customer limit: how many more the user may take
};

struct cancel_reply : offer_answer {
  domain::cancel_result::outcome outcome = domain::cancel_result::outcome::not_found;
  std::optional<domain::reservation> reservation;
};

// A lifecycle step, an edit, or the creation of a draft.
struct change_reply : offer_answer {};

struct reservations_reply : offer_answer {
  std::vector<domain::reservation> reservations;
};

struct collect_reply : offer_answer {
  domain::collect_result::outcome outcome = domain::collect_result::outcome::wrong_code;
  std::optional<domain::reservation> reservation;
};

using offer_outcome = std::variant<view_reply, reserve_reply, cancel_reply, change_reply,
                                   reservations_reply, collect_reply>;

// Which reply answers which operation (declared only, never called): an operation without one
// does not compile where it is asked.
view_reply reply_type(const view_offer&);
reserve_reply reply_type(const reserve_items&);
cancel_reply reply_type(const cancel_reservation&);
template <class Step>
change_reply reply_type(const lifecycle_step<Step>&);
change_reply reply_type(const edit_price&);
change_reply reply_type(const edit_quantity&);
reservations_reply reply_type(const list_reservations&);
collect_reply reply_type(const collect_pickup&);

template <class Operation>
using reply_to_t = decltype(reply_type(std::declval<const Operation&>()));

int64_t offer_id_of(const offer_operation& operation);

// What every reply says, whichever it is.
const offer_answer& answer_of(const offer_outcome& outcome);
offer_answer& answer_of(offer_outcome& outcome);

// The reply to `operation` when no offer answered: not found, or, with "error.internal", that
// the market could not be asked (it is shutting down).
offer_outcome unanswered(const offer_operation& operation, const std::string& reason_key);

}  // namespace lastcall::market

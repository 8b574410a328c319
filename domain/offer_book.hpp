#pragma once
// One offer and all its reservations: the only place that decides how many items are left. The
// offer's actor calls it; it does no I/O and takes the time as an argument, so every rule can be
// tested directly. A successful change bumps the offer's version (and that of each reservation it
// changed) so persistence can keep the newest snapshot of each; a refused one changes nothing.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "domain/entities.hpp"

namespace lastcall::domain {

// What identifies a new reservation: its id and the pickup code the customer shows.
struct reservation_identity {
  int64_t id = 0;
  std::string code;
};

struct reserve_result {
  enum class outcome {
    reserved,
    already_done,  // the idempotency key was seen: `reservation` is the first result
    only_n_left,   // more asked than left; nothing reserved, `left` says how many there are
    sold_out,
    paused,
    not_published,  // still a draft
    expired,        // the pickup window is over
    ended,
    limit_reached,  // the customer would hold more than allowed; `may_take` says how many more they
                    // may
    invalid_quantity,  // below 1
    own_offer,         // the business's owner cannot reserve their own food
  };
  outcome kind = outcome::invalid_quantity;
  int32_t left = 0;      // items left after the call
  int32_t may_take = 0;  // how many more this customer could reserve now (limit and stock)
  std::optional<domain::reservation> reservation;

  bool ok() const { return kind == outcome::reserved || kind == outcome::already_done; }
  // Catalog key for what to tell the customer, e.g. "reserve.only_n_left".
  std::string reason_key() const;
};

// The last moment a customer may cancel a reservation of an offer whose pickup starts at
// `pickup_start`: the business plans around reservations shortly before pickup, and a late release
// would leave the food unsold anyway.
inline int64_t last_cancel_moment(int64_t pickup_start, int64_t cutoff_seconds) {
  return pickup_start - cutoff_seconds;
}

struct cancel_result {
  enum class outcome {
    cancelled,
    not_found,
    not_yours,
    already_cancelled,
    already_collected,
    no_show,   // the window ended without a pickup
    too_late,  // inside the cut-off before the pickup window starts
  };
  outcome kind = outcome::not_found;
  int32_t items = 0;  // returned to stock
  std::optional<domain::reservation> reservation;

  bool ok() const { return kind == outcome::cancelled; }
  std::string reason_key() const;  // e.g. "cancel.too_late"
};

struct collect_result {
  enum class outcome {
    collected,
    wrong_code,  // no reservation of this offer has that code
    not_yours,   // the offer belongs to another business
    already_collected,
    cancelled,
    no_show,
  };
  outcome kind = outcome::wrong_code;
  std::optional<domain::reservation> reservation;

  bool ok() const { return kind == outcome::collected; }
  std::string reason_key() const;  // e.g. "collect.wrong_code"
};

// The result of a lifecycle step or an edit.
struct transition_result {
  bool ok = false;
  offer_state from = offer_state::draft;  // the state before the call
  std::string reason_key;                 // "offer.refused.<why>" when refused, empty when ok
  std::vector<reservation> changed;       // reservations the step changed (end, expire)
};

class offer_book {
 public:
  inline static constexpr int32_t max_quantity_total = 10000;

  // `rs` are the offer's reservations; the offer's counters are taken as stored. quantity_reserved
  // counts the items of active reservations only, so cancelling, ending and expiring all lower it.
  offer_book(offer o, std::vector<reservation> rs);
  offer_book() = default;  // an empty draft
  offer_book(const offer_book& other);
  offer_book& operator=(const offer_book& other);
  offer_book(offer_book&&) noexcept = default;
  offer_book& operator=(offer_book&&) noexcept = default;
  ~offer_book();

  const offer& state() const { return offer_; }
  const reservation* find(int64_t reservation_id) const;
  const reservation* by_idempotency_key(const std::string& key) const;
  const reservation* by_code(const std::string& code) const;  // normalized comparison
  std::vector<reservation> reservations() const;
  // Items the customer holds in active reservations of this offer.
  int32_t held_by(int64_t customer_id) const;
  // Customers with active reservations, ascending, each once: who to tell about a pause or an end.
  std::vector<int64_t> holders() const;
  // When the expiry timer should fire (pickup_end) while the offer is published and not over.
  std::optional<int64_t> next_deadline() const;

  // Reserves `quantity` items. `mint` gives the new reservation its id and pickup code and is
  // called only when the reservation is made (a sold-out flash sale refuses most requests, which
  // should cost no id and no code); both must be unused (a clash is a bug and throws
  // std::logic_error). An empty idempotency key disables the duplicate check. max_per_customer <= 0
  // means no limit. `owner_id` is the user who owns the offer's business, who may not reserve it (0
  // when unknown: nobody is refused as the owner). Refusals are checked in this order: duplicate
  // key, quantity, owner, state, window, limit, stock.
  reserve_result reserve(int64_t customer_id, int32_t quantity, int64_t now,
                         const std::string& idempotency_key,
                         const std::function<reservation_identity()>& mint,
                         int32_t max_per_customer, int64_t owner_id);
  // The same with a given id and code.
  reserve_result reserve(int64_t customer_id, int32_t quantity, int64_t now,
                         const std::string& idempotency_key, int64_t new_reservation_id,
                         const std::string& code, int32_t max_per_customer, int64_t owner_id);

  // Cancels a customer's reservation and returns its items to stock, up to `cutoff_seconds` before
  // the pickup window starts. A sold-out offer whose window is not over becomes active again.
  cancel_result cancel(int64_t reservation_id, int64_t customer_id, int64_t now,
                       int32_t cutoff_seconds);

  // Confirms a pickup by the code the customer shows. Any active reservation can be collected, even
  // a little after the window: until the expiry timer has run, food handed over is food sold.
  collect_result collect(const std::string& code, int64_t business_id, int64_t now);

  // draft -> active. Refused once the window is over, without stock, or without a real discount.
  transition_result publish(int64_t now);
  // active/sold_out -> paused: no new reservations; existing ones stand.
  transition_result pause();
  // paused -> active, or sold_out when nothing is left. Refused once the window is over.
  transition_result resume(int64_t now);
  // draft/active/paused/sold_out -> ended, for good. Active reservations are cancelled (in
  // `changed`): the business withdrew the food, so customers must not come for it.
  transition_result end(int64_t now);
  // active/paused/sold_out -> expired once now >= pickup_end; active reservations become no_show
  // (in `changed`).
  transition_result expire(int64_t now);

  // New prices for future reservations; existing ones keep theirs. Needs 0 < deal < original.
  transition_result edit_price(int64_t original_price, int64_t deal_price);
  // A new total, 1..max_quantity_total and never below what is reserved and collected; an active
  // offer with nothing left becomes sold_out and a sold-out one with stock active again.
  transition_result edit_quantity(int32_t new_total);

 private:
  reservation& at(size_t index) { return ledger_->all[index]; }
  void index(size_t position);
  transition_result refuse(const char* why) const;
  transition_result accept(offer_state from);
  std::optional<const char*> closed_reason() const;  // for ended and expired offers
  void follow_stock();                               // active <-> sold_out by what is left
  // An active reservation stops holding items (cancelled, collected, no-show).
  void release(reservation& r, reservation_status now_status);
  // Every active reservation stops holding items (the offer ended or expired); returns them
  // changed.
  std::vector<reservation> release_all(reservation_status now_status, int64_t now);

  // The reservations, with their positions by id, idempotency key and normalized code, and the
  // items each customer holds in active reservations (a hot offer is asked that on every request;
  // counting it from the reservations made each decision cost O(reservations)). Made with the first
  // reservation: most live offers are idle and have none, and an empty vector and maps cost bytes
  // in every one of them.
  struct ledger {
    std::vector<reservation> all;
    std::unordered_map<int64_t, size_t> by_id;
    std::unordered_map<std::string, size_t> by_key;
    std::unordered_map<std::string, size_t> by_code;
    std::unordered_map<int64_t, int32_t> held;
  };

  offer offer_;
  std::unique_ptr<ledger> ledger_;
};

const char* to_string(reserve_result::outcome);
const char* to_string(cancel_result::outcome);
const char* to_string(collect_result::outcome);

}  // namespace lastcall::domain

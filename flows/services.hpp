#pragma once
// What flows may ask of the rest of the market: the actors that own businesses and offers. Every
// call completes through its callback, possibly after the flow function returned (an actor answered
// later), so a flow holds its turn open (turn::hold) until the callback ran. The session actor
// implements this interface with messages to the market and offer actors; tests may implement it in
// memory.
//
// Ownership is checked by whoever owns the entity (the market for businesses, the offer actor for
// its offer and reservations) against the user id passed in: callback data and typed ids are user
// input.
//
// Replies that changed entities carry the rows, events and notices for other users in `changes`;
// the flow merges them into its turn's unit of work (merge_changes), so they are committed together
// with the answer to the user, and the notices are handed on only after that commit.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/entities.hpp"
#include "domain/notice.hpp"
#include "domain/ranking.hpp"
#include "persistence/unit_of_work.hpp"

namespace lastcall::flows {

template <class T>
using reply = std::function<void(T)>;

struct business_reply {
  enum class outcome {
    ok,
    not_found,
    already_registered,  // register: the owner already has a pending or verified business
    already_decided,     // decide: another admin (or this one) decided first; `business` says how
    not_allowed,         // decide: the user is not an admin
  };
  outcome kind = outcome::not_found;
  std::optional<domain::business> business;
  persistence::unit_of_work changes;
};

// One request to one offer actor. `user_id` is who asks; the offer actor checks it: business
// commands only for the owner of the offer's business, cancel only for the reservation's customer,
// reserve never for the owner.
struct offer_request {
  enum class kind {
    view,     // read: the offer, its business, how many the user holds
    reserve,  // quantity, idempotency_key
    cancel,   // reservation_id
    publish,
    pause,
    resume,
    end,
    edit_price,     // original_price, deal_price
    edit_quantity,  // quantity = the new total
    reservations,   // read: every reservation of the offer (owner only)
  };
  kind what = kind::view;
  int64_t user_id = 0;
  int64_t now = 0;
  int32_t quantity = 0;
  int64_t reservation_id = 0;
  int64_t original_price = 0;
  int64_t deal_price = 0;
  std::string
      idempotency_key;  // reserve: "u:<update_id>", so a re-delivered update finds its first result
};

struct offer_reply {
  bool found = false;    // false: no offer with that id
  bool allowed = false;  // false: the user may not do this to this offer; nothing changed
  bool ok = false;       // the request did what it asked
  std::string
      outcome;  // the domain result's outcome name, e.g. "reserved", "only_n_left", "collected"
  std::string reason_key;  // text key explaining a refusal, e.g. "reserve.sold_out"
  domain::offer offer;     // the offer after the request
  domain::business business;
  std::optional<domain::reservation> reservation;  // the reservation made, cancelled or collected
  std::vector<domain::reservation> reservations;   // `reservations` requests
  int32_t left = 0;                                // items left after the request
  int32_t may_take =
      0;  // reserve refused for the per-customer limit: how many more the user may take
  int32_t held_by_user = 0;  // items the user holds in active reservations of this offer
  persistence::unit_of_work changes;
};

// A reservation with what the customer needs to find the food.
struct reservation_entry {
  domain::reservation reservation;
  domain::offer offer;
  domain::business business;
};

struct market_stats {
  int64_t businesses_pending = 0, businesses_verified = 0, businesses_rejected = 0;
  int64_t offers_active = 0, offers_paused = 0, offers_sold_out = 0, offers_draft = 0;
  int64_t items_left = 0, items_reserved = 0, items_collected = 0;
  int64_t sessions_live = 0;
};

// A committed notice on its way to its user's session, which renders it
// (flows/notice_rendering.hpp); the rendering unit deletes its row.
struct notification {
  domain::notice notice;
  int64_t notice_id = 0;  // its row in the notices table
};

// A snapshot the server wrote for an admin (services::take_snapshot).
struct snapshot_report {
  bool ok = false;
  std::string path;       // the file, when ok
  int64_t event_seq = 0;  // the event-log position the snapshot includes
};

class services {
 public:
  virtual ~services() = default;

  // ---- Businesses
  virtual void business_of_owner(int64_t owner_id, reply<std::optional<domain::business>> done) = 0;
  virtual void business_by_id(int64_t business_id, reply<std::optional<domain::business>> done) = 0;
  // Assigns the id; the application becomes pending. The reply's changes notify every admin
  // ("admin.new_application").
  virtual void register_business(domain::business application, int64_t now,
                                 reply<business_reply> done) = 0;
  // The first decision wins; the reply's changes notify the owner ("business.decided").
  virtual void decide_business(int64_t business_id, int64_t admin_id, bool approve,
                               const std::string& reason, int64_t now,
                               reply<business_reply> done) = 0;
  virtual void pending_businesses(reply<std::vector<domain::business>> done) = 0;

  // ---- Offers
  // Creates a draft offer for the owner's verified business (business_id and id are assigned).
  // Refused (found = true, allowed = false) when the user has no verified business.
  virtual void create_offer(domain::offer draft, int64_t owner_id, int64_t now,
                            reply<offer_reply> done) = 0;
  virtual void offer(int64_t offer_id, offer_request request, reply<offer_reply> done) = 0;
  // Every offer of the business with live figures, newest first.
  virtual void offers_of_business(int64_t business_id, reply<std::vector<domain::offer>> done) = 0;
  // Pickup: the code of a reservation on one of the owner's offers becomes collected.
  virtual void collect(int64_t owner_id, const std::string& code, int64_t now,
                       reply<offer_reply> done) = 0;
  // One page of the offers someone can reserve now, ranked for browse or nearby
  // (domain::ranked_page).
  virtual void offer_page(domain::page_query query, reply<domain::offer_page> done) = 0;
  // The customer's reservations, newest first.
  virtual void reservations_of_customer(int64_t customer_id,
                                        reply<std::vector<reservation_entry>> done) = 0;
  virtual void stats(reply<market_stats> done) = 0;

  // ---- Operations
  // Writes a snapshot of the durable state to the server's snapshot folder (SNAPSHOT_DIR). The
  // caller checks that the user is an admin.
  virtual void take_snapshot(reply<snapshot_report> done) = 0;

  // ---- Other users
  virtual std::vector<int64_t> admin_ids() const = 0;
  virtual std::string bot_username() const = 0;
};

// Adds the rows and events of `changes` to `unit`.
void merge_changes(persistence::unit_of_work& unit, persistence::unit_of_work changes);

}  // namespace lastcall::flows

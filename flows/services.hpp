#pragma once
// What flows may ask of the rest of the market: the actors that own businesses and offers. Every
// call completes through its callback, possibly after the flow function returned (an actor answered
// later), so a flow holds its turn open (turn::hold) until the callback ran. The session actor
// implements this interface with messages to the market and offer actors; the flow tests with the
// same market classes in memory (tests/support/in_memory_market.*).
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
#include "domain/market_report.hpp"
#include "domain/notice.hpp"
#include "domain/ranking.hpp"
#include "domain/reservation_history.hpp"
#include "market/market_book.hpp"
#include "market/offer_operations.hpp"
#include "persistence/unit_of_work.hpp"

namespace lastcall::flows {

template <class T>
using reply = std::function<void(T)>;

using market::business_reply;
using market::cancel_reply;
using market::change_reply;
using market::collect_reply;
using market::market_stats;
using market::offer_answer;
using market::reservation_entry;
using market::reservations_reply;
using market::reserve_reply;
using market::view_reply;

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
  // Assigns the id; the application becomes pending. The reply's changes notify every admin.
  virtual void register_business(domain::business application, int64_t now,
                                 reply<business_reply> done) = 0;
  // The first decision wins; the reply's changes notify the owner.
  virtual void decide_business(int64_t business_id, int64_t admin_id, bool approve,
                               const std::string& reason, int64_t now,
                               reply<business_reply> done) = 0;
  virtual void pending_businesses(reply<std::vector<domain::business>> done) = 0;

  // ---- Offers
  // Creates a draft offer for the owner's verified business (business_id and id are assigned).
  // Refused (found = true, allowed = false) when the user has no verified business.
  virtual void create_offer(domain::offer draft, int64_t owner_id, int64_t now,
                            reply<change_reply> done) = 0;
  // One operation on one offer (market/offer_operations.hpp), answered with the reply its type
  // names.
  template <class Operation>
  void offer(Operation operation, reply<market::reply_to_t<Operation>> done) {
    send_to_offer(market::offer_operation{std::move(operation)},
                  [done = std::move(done)](market::offer_outcome outcome) {
                    done(std::get<market::reply_to_t<Operation>>(std::move(outcome)));
                  });
  }
  // Every offer of the business with live figures, newest first.
  virtual void offers_of_business(int64_t business_id, reply<std::vector<domain::offer>> done) = 0;
  // Pickup: the code of a reservation on one of the owner's offers becomes collected.
  virtual void collect(int64_t owner_id, const std::string& code, int64_t now,
                       reply<collect_reply> done) = 0;
  // One page of the offers someone can reserve now, ranked for browse or nearby
  // (domain::ranked_page).
  virtual void offer_page(domain::page_query query, reply<domain::offer_page> done) = 0;
  // The customer's reservations, newest first.
  virtual void reservations_of_customer(int64_t customer_id,
                                        reply<std::vector<reservation_entry>> done) = 0;
  // A page of the customer's reservations that are no longer active, newest first, from
  // `offset` back, read from the database; nothing when it cannot be read now.
  virtual void past_reservations(int64_t customer_id, int64_t offset,
                                 reply<std::optional<domain::reservation_history_page>> done) = 0;
  virtual void stats(reply<market_stats> done) = 0;
  // The figures of a past span of time (Unix seconds, `to` excluded), read from the database;
  // nothing when they cannot be read now. The caller checks that the user is an admin.
  virtual void period_figures(domain::time_span span,
                              reply<std::optional<domain::period_figures>> done) = 0;

  // ---- Operations
  // Writes a snapshot of the durable state to the server's snapshot folder (SNAPSHOT_DIR). The
  // caller checks that the user is an admin.
  virtual void take_snapshot(reply<snapshot_report> done) = 0;

  // ---- Other users
  virtual std::vector<int64_t> admin_ids() const = 0;
  virtual std::string bot_username() const = 0;

 protected:
  // Answers with the alternative of offer_outcome that reply_to names for the operation
  // (market::unanswered when the offer could not be asked).
  virtual void send_to_offer(market::offer_operation operation,
                             reply<market::offer_outcome> done) = 0;
};

// Adds the rows and events of `changes` to `unit`.
void merge_changes(persistence::unit_of_work& unit, persistence::unit_of_work changes);

}  // namespace lastcall::flows

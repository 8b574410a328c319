#pragma once
// Reads the durable state back: everything the actors need at start-up, and the records they
// load on demand.

#include <cstdint>
#include <optional>
#include <vector>

#include <pqxx/connection>
#include <pqxx/transaction_base>

#include "domain/entities.hpp"
#include "persistence/unit_of_work.hpp"
#include "telegram/api_call.hpp"

namespace lastcall::persistence {

struct stored_state {
  std::vector<domain::business> businesses;             // all of them
  std::vector<domain::offer> offers;                    // every offer not expired or ended
  std::vector<domain::reservation> reservations;        // every reservation of those offers
  std::vector<domain::user_record> users_with_session;  // users whose session is not null or empty
  std::vector<int64_t> blocked_user_ids;   // users who blocked the bot (nothing is sent to them)
  std::vector<telegram::api_call> outbox;  // not yet sent, in id order, outbox_id set
  int64_t update_offset = 0;
  std::vector<int64_t> processed_update_ids;  // those >= update_offset, ascending
  std::vector<inbox_entry> inbox;             // received and not yet handled, by update_id
  std::vector<notice_record> notices;         // committed and not yet rendered, by id
  std::vector<int64_t> known_user_ids;        // every user with a row, ascending
  // The largest ids stored, over all rows (not only the loaded ones): new ids start above them.
  int64_t max_business_id = 0, max_offer_id = 0, max_reservation_id = 0;
  int64_t last_event_seq = 0;
};

// One consistent snapshot (a repeatable-read transaction); each table is read by one query whose
// rows are fetched in chunks, so memory holds the decoded entities and one chunk at a time.
stored_state load_state(pqxx::connection& connection);

// Every row of the entity tables (not only the live ones) in id order, the outbox and the update
// progress, read in the caller's transaction: a snapshot picks the moment by its own transaction.
struct all_rows {
  std::vector<domain::user_record> users;
  std::vector<domain::business> businesses;
  std::vector<domain::offer> offers;
  std::vector<domain::reservation> reservations;
  std::vector<telegram::api_call> outbox;  // in id order, outbox_id set
  int64_t update_offset = 0;
  std::vector<int64_t> processed_update_ids;  // those >= update_offset, ascending
};
all_rows load_all_rows(pqxx::transaction_base& txn);

std::optional<domain::user_record> load_user(pqxx::connection& connection, int64_t id);

// Every offer of the business, whatever its state, newest first.
std::vector<domain::offer> load_offers_of_business(pqxx::connection& connection,
                                                   int64_t business_id);

// Every reservation the customer made, newest first.
std::vector<domain::reservation> load_reservations_of_customer(pqxx::connection& connection,
                                                               int64_t customer_id);

// The offer as stored, and its reservations in the order they were made: what an operator's tool
// or a test reads back to check what the bot stored.
std::optional<domain::offer> load_offer(pqxx::connection& connection, int64_t offer_id);
std::vector<domain::reservation> load_reservations_of_offer(pqxx::connection& connection,
                                                            int64_t offer_id);

}  // namespace lastcall::persistence

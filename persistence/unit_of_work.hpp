#pragma once
// Everything one handled update (or one timer) changes, committed in one transaction with its
// batch. Entity rows are full snapshots with a version; the writer keeps the newest version, so
// units may commit in any order without a late one undoing a newer change.

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/entities.hpp"
#include "domain/notice.hpp"
#include "telegram/api_call.hpp"

namespace lastcall::persistence {

// One entry of the append-only event log; the database assigns its global sequence number.
struct event_record {
  std::string kind;       // e.g. "offer.published", "reservation.created"
  int64_t entity_id = 0;  // the offer, reservation, business or user it concerns
  int64_t actor_id = 0;   // the user who caused it, 0 for timers and the system
  nlohmann::json payload;
};

// An update as received, kept in the inbox until a unit with its id in processed_updates handles
// it.
struct inbox_entry {
  int64_t update_id = 0;
  std::string payload;  // the update's JSON as Telegram sent it
};

// A notice for a user caused by this unit's change, rendered by that user's session in their
// language. Stored with the change and handed on only after it commits; the unit that renders it
// lists its id in handled_notices.
struct notice_record {
  int64_t id = 0;  // set by the writer
  int64_t user_id = 0;
  domain::notice notice;
};

struct unit_of_work {
  std::vector<domain::user_record> users;
  std::vector<domain::business> businesses;
  std::vector<domain::offer> offers;
  std::vector<domain::reservation> reservations;
  std::vector<event_record> events;
  std::vector<telegram::api_call> outbox;  // sent only after the unit commits
  std::vector<inbox_entry> inbox;          // updates received: stored before anything handles them
  std::vector<int64_t> processed_updates;  // update_ids whose effects this unit completes
  std::vector<notice_record> notices;      // for other users, handed on after the commit
  std::vector<int64_t> handled_notices;    // notices this unit rendered: deleted with it
  int64_t update_offset =
      0;  // when > 0: every update below it is done; stored as the getUpdates offset

  bool empty() const {
    return users.empty() && businesses.empty() && offers.empty() && reservations.empty() &&
           events.empty() && outbox.empty() && inbox.empty() && processed_updates.empty() &&
           notices.empty() && handled_notices.empty() && update_offset == 0;
  }
};

}  // namespace lastcall::persistence

#pragma once
// One published (or draft) offer's decisions: each operation of offer_operations.hpp turned into
// its reply, with the rows, events and notices that record it, and the timers the offer needs
// (the reminder before the end of the pickup window, expiry at its end) with what each does when
// due. The rules are domain::offer_book's; this adds who may do what, what to record and whom to
// tell. Pure: the time comes with every call. The offer actor is a thin shell over it; the
// in-memory market of the tests runs the same class.

#include <cstdint>
#include <functional>
#include <optional>
#include <vector>

#include "domain/offer_book.hpp"
#include "market/offer_operations.hpp"
#include "market/rules.hpp"

namespace lastcall::market {

// What an offer's decisions need from around it. Passed to every call rather than kept, so that
// an idle offer holds none of it (its actor keeps one pointer to what its business's offers
// share).
struct offer_surroundings {
  const domain::business& business;  // the offer's, verified
  const offer_rules& rules;
  // Gives a new reservation its id and pickup code; called only when one is made.
  const std::function<domain::reservation_identity()>& mint;
};

enum class offer_timer { reminder, expiry };

struct timer_due {
  offer_timer what = offer_timer::expiry;
  int64_t at = 0;  // Unix seconds
};

class live_offer {
 public:
  live_offer() = default;
  // As loaded: the offer's counters are recounted from its reservation rows, which are the truth
  // (a crash between a session's commit and another's may have left the offer row behind them).
  live_offer(domain::offer offer, std::vector<domain::reservation> reservations);

  const domain::offer& state() const { return book_.state(); }
  const domain::offer_book& book() const { return book_; }
  // For arranging a test's market directly.
  domain::offer_book& book() { return book_; }

  view_reply answer(const view_offer& op, const offer_surroundings& around) const;
  reserve_reply answer(const reserve_items& op, const offer_surroundings& around);
  cancel_reply answer(const cancel_reservation& op, const offer_surroundings& around);
  change_reply answer(const publish_offer& op, const offer_surroundings& around);
  change_reply answer(const pause_offer& op, const offer_surroundings& around);
  change_reply answer(const resume_offer& op, const offer_surroundings& around);
  change_reply answer(const end_offer& op, const offer_surroundings& around);
  change_reply answer(const edit_price& op, const offer_surroundings& around);
  change_reply answer(const edit_quantity& op, const offer_surroundings& around);
  reservations_reply answer(const list_reservations& op, const offer_surroundings& around) const;
  collect_reply answer(const collect_pickup& op, const offer_surroundings& around);

  // Any operation of the closed set.
  offer_outcome answer(const offer_operation& op, const offer_surroundings& around);

  // The next timer the offer needs as of `now`, or nothing (a draft, a paused offer, one that is
  // over). A timer that arrives early is answered by asking again.
  std::optional<timer_due> next_timer(int64_t now, const offer_rules& rules) const;
  // What a due timer changes: the reminders, or the expiry (active reservations become no-shows,
  // each customer told). The unit has no turn to ride with: the offer's shell commits it. Empty
  // when there is nothing to do (the timer is early or stale).
  persistence::unit_of_work fire(offer_timer what, int64_t now, const offer_surroundings& around);

 private:
  template <class Reply>
  Reply base_reply(const offer_surroundings& around) const;
  template <class Reply>
  void finish(Reply& reply, int64_t user_id) const;
  // A lifecycle step or edit by the owner: `step` runs it on the book; `notice_to_holders`, when
  // given, is what everyone who held items before it is told.
  change_reply change(int64_t user_id, const char* event_kind, const offer_surroundings& around,
                      const std::function<domain::transition_result()>& step,
                      domain::notice (*notice_to_holders)(const domain::offer&));
  persistence::unit_of_work expire(int64_t now, const offer_surroundings& around);
  persistence::unit_of_work remind(const offer_surroundings& around);

  domain::offer_book book_;
  bool reminded_ = false;
};

}  // namespace lastcall::market

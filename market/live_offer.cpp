#include "market/live_offer.hpp"

#include <algorithm>

namespace lastcall::market {

namespace {

persistence::event_record event(const std::string& kind, const domain::offer& o, int64_t actor_id,
                                nlohmann::json payload = nlohmann::json::object()) {
  payload["offer_id"] = o.id;
  payload["state"] = domain::to_string(o.state);
  payload["left"] = o.quantity_left();
  payload["version"] = o.version;
  return persistence::event_record{kind, o.id, actor_id, std::move(payload)};
}

// The rows and the event that record a change to one reservation.
void record(persistence::unit_of_work& changes, const char* kind, const domain::offer& o,
            const domain::reservation& r, int64_t user_id, nlohmann::json payload) {
  payload["reservation_id"] = r.id;
  changes.offers.push_back(o);
  changes.reservations.push_back(r);
  changes.events.push_back(event(kind, o, user_id, std::move(payload)));
}

// A decision about someone's reservation in its reply; only its own customer (or business) is shown
// the reservation.
template <class Reply, class Result>
void take_result(Reply& r, const Result& result, bool allowed) {
  r.allowed = allowed;
  r.ok = result.ok();
  r.outcome = result.kind;
  r.reason_key = result.reason_key();
  if (allowed) r.reservation = result.reservation;
}

}  // namespace

live_offer::live_offer(domain::offer offer, std::vector<domain::reservation> reservations) {
  offer.quantity_reserved = 0;
  offer.quantity_collected = 0;
  for (const auto& r : reservations) {
    if (r.status == domain::reservation_status::active) offer.quantity_reserved += r.quantity;
    if (r.status == domain::reservation_status::collected) offer.quantity_collected += r.quantity;
  }
  book_ = domain::offer_book(std::move(offer), std::move(reservations));
}

template <class Reply>
Reply live_offer::base_reply(const offer_surroundings& around) const {
  Reply r;
  r.found = true;
  r.allowed = true;
  r.business = around.business;
  return r;
}

// The offer's figures, after the operation changed them.
template <class Reply>
void live_offer::finish(Reply& r, int64_t user_id) const {
  r.offer = book_.state();
  r.left = r.offer.quantity_left();
  r.held_by_user = book_.held_by(user_id);
}

view_reply live_offer::answer(const view_offer& op, const offer_surroundings& around) const {
  auto r = base_reply<view_reply>(around);
  r.ok = true;
  finish(r, op.user_id);
  return r;
}

reserve_reply live_offer::answer(const reserve_items& op, const offer_surroundings& around) {
  auto r = base_reply<reserve_reply>(around);
  auto result = book_.reserve(op.user_id, op.quantity, op.now, op.idempotency_key, around.mint,
                              around.rules.max_items_per_customer, around.business.owner_id);
  r.ok = result.ok();
  r.outcome = result.kind;
  r.reason_key = result.reason_key();
  r.may_take = result.may_take;
  r.reservation = result.reservation;
  if (result.kind == domain::reserve_result::outcome::reserved) {
    const auto& o = book_.state();
    record(r.changes, "reservation.created", o, *result.reservation, op.user_id,
           {{"quantity", op.quantity}});
    // Committed with the reservation, so the owner never hears of one that is not stored; their
    // session batches these into one message per OWNER_NOTIFY_INTERVAL_SECONDS.
    r.changes.notices.push_back(
        {0, around.business.owner_id,
         domain::notices::new_reservations{
             o.id, o.title, 1, o.quantity_left(), op.quantity, 0, {result.reservation->id}}});
  }
  finish(r, op.user_id);
  return r;
}

cancel_reply live_offer::answer(const cancel_reservation& op, const offer_surroundings& around) {
  auto r = base_reply<cancel_reply>(around);
  auto result =
      book_.cancel(op.reservation_id, op.user_id, op.now, around.rules.cancel_cutoff_seconds);
  take_result(r, result, result.kind != domain::cancel_result::outcome::not_yours);
  if (result.ok()) {
    const auto& o = book_.state();
    record(r.changes, "reservation.cancelled", o, *result.reservation, op.user_id,
           {{"quantity", result.items}});
    // The owner's next batch says what came back, so they do not prepare food nobody comes for.
    r.changes.notices.push_back({0, around.business.owner_id,
                                 domain::notices::new_reservations{
                                     o.id, o.title, 0, o.quantity_left(), 0, result.items, {}}});
  }
  finish(r, op.user_id);
  return r;
}

change_reply live_offer::change(int64_t user_id, const char* event_kind,
                                const offer_surroundings& around,
                                const std::function<domain::transition_result()>& step,
                                domain::notice (*notice_to_holders)(const domain::offer&)) {
  auto r = base_reply<change_reply>(around);
  if (user_id != around.business.owner_id) {
    r.allowed = false;
    r.reason_key = "offer.refused.not_yours";
    finish(r, user_id);
    return r;
  }
  // Who held items before the step, when the step tells them (ending releases their reservations).
  const auto holders_before = notice_to_holders ? book_.holders() : std::vector<int64_t>{};
  auto result = step();
  r.ok = result.ok;
  r.reason_key = result.reason_key;
  if (result.ok) {
    const auto& o = book_.state();
    r.changes.offers.push_back(o);
    r.changes.reservations = std::move(result.changed);
    r.changes.events.push_back(event(event_kind, o, user_id));
    for (auto holder : holders_before)
      r.changes.notices.push_back({0, holder, notice_to_holders(o)});
  }
  finish(r, user_id);
  return r;
}

change_reply live_offer::answer(const publish_offer& op, const offer_surroundings& around) {
  return change(
      op.user_id, "offer.published", around, [&] { return book_.publish(op.now); }, nullptr);
}

change_reply live_offer::answer(const pause_offer& op, const offer_surroundings& around) {
  return change(
      op.user_id, "offer.paused", around, [&] { return book_.pause(); },
      [](const domain::offer& o) -> domain::notice {
        return domain::notices::offer_paused{o.id, o.title};
      });
}

change_reply live_offer::answer(const resume_offer& op, const offer_surroundings& around) {
  return change(
      op.user_id, "offer.resumed", around, [&] { return book_.resume(op.now); }, nullptr);
}

change_reply live_offer::answer(const end_offer& op, const offer_surroundings& around) {
  return change(
      op.user_id, "offer.ended", around, [&] { return book_.end(op.now); },
      [](const domain::offer& o) -> domain::notice {
        return domain::notices::offer_ended{o.id, o.title};
      });
}

change_reply live_offer::answer(const edit_price& op, const offer_surroundings& around) {
  return change(
      op.user_id, "offer.price_changed", around,
      [&] { return book_.edit_price(op.original_price, op.deal_price); }, nullptr);
}

change_reply live_offer::answer(const edit_quantity& op, const offer_surroundings& around) {
  return change(
      op.user_id, "offer.quantity_changed", around,
      [&] { return book_.edit_quantity(op.quantity); }, nullptr);
}

reservations_reply live_offer::answer(const list_reservations& op,
                                      const offer_surroundings& around) const {
  auto r = base_reply<reservations_reply>(around);
  r.allowed = op.user_id == around.business.owner_id;
  r.ok = r.allowed;
  if (r.allowed) r.reservations = book_.reservations();
  finish(r, op.user_id);
  return r;
}

collect_reply live_offer::answer(const collect_pickup& op, const offer_surroundings& around) {
  auto r = base_reply<collect_reply>(around);
  auto result = book_.collect(op.code, op.business_id, op.now);
  take_result(r, result, result.kind != domain::collect_result::outcome::not_yours);
  if (result.ok()) {
    record(r.changes, "reservation.collected", book_.state(), *result.reservation, op.user_id,
           nlohmann::json::object());
  }
  finish(r, op.user_id);
  return r;
}

offer_outcome live_offer::answer(const offer_operation& op, const offer_surroundings& around) {
  return std::visit([&](const auto& one) -> offer_outcome { return answer(one, around); }, op);
}

std::optional<timer_due> live_offer::next_timer(int64_t now, const offer_rules& rules) const {
  auto deadline = book_.next_deadline();
  if (!deadline) return std::nullopt;
  auto remind_at = *deadline - rules.reminder_seconds;
  if (!reminded_ && remind_at > now) return timer_due{offer_timer::reminder, remind_at};
  return timer_due{offer_timer::expiry, *deadline};
}

persistence::unit_of_work live_offer::fire(offer_timer what, int64_t now,
                                           const offer_surroundings& around) {
  if (what == offer_timer::reminder)
    return reminded_ ? persistence::unit_of_work{} : remind(around);
  auto deadline = book_.next_deadline();
  if (!deadline || *deadline > now) return {};
  return expire(now, around);
}

persistence::unit_of_work live_offer::expire(int64_t now, const offer_surroundings& around) {
  persistence::unit_of_work unit;
  auto result = book_.expire(now);
  if (!result.ok) return unit;
  const auto& o = book_.state();
  unit.offers.push_back(o);
  int64_t missed = 0;
  for (const auto& changed : result.changed) {
    missed += changed.quantity;
    unit.notices.push_back({0, changed.customer_id, domain::notices::missed_pickup{o.id, o.title}});
  }
  // The owner learns how the deal went once it is over: what to bake less of, who did not come.
  // Missed items went back to the stock when the window closed, so they are not unsold ones.
  unit.notices.push_back({0, around.business.owner_id,
                          domain::notices::window_ended{o.id, o.title, o.quantity_collected, missed,
                                                        o.quantity_left() - missed}});
  unit.events.push_back(event("offer.expired", o, 0, {{"no_shows", result.changed.size()}}));
  unit.reservations = std::move(result.changed);
  return unit;
}

persistence::unit_of_work live_offer::remind(const offer_surroundings& around) {
  reminded_ = true;
  persistence::unit_of_work unit;
  const auto& o = book_.state();
  for (const auto& reservation : book_.reservations()) {
    if (reservation.status != domain::reservation_status::active) continue;
    unit.notices.push_back(
        {0, reservation.customer_id,
         domain::notices::pickup_reminder{o.id, o.title, reservation.code, o.pickup_end,
                                          around.business.address}});
  }
  return unit;
}

}  // namespace lastcall::market

#include "domain/offer_book.hpp"

#include <algorithm>
#include <stdexcept>

#include "domain/pickup_code.hpp"

namespace lastcall::domain {

const char* to_string(reserve_result::outcome o) {
  using k = reserve_result::outcome;
  switch (o) {
    case k::reserved:
      return "reserved";
    case k::already_done:
      return "already_done";
    case k::only_n_left:
      return "only_n_left";
    case k::sold_out:
      return "sold_out";
    case k::paused:
      return "paused";
    case k::not_published:
      return "not_published";
    case k::expired:
      return "expired";
    case k::ended:
      return "ended";
    case k::limit_reached:
      return "limit_reached";
    case k::invalid_quantity:
      return "invalid_quantity";
    case k::own_offer:
      return "own_offer";
  }
  return "unknown";
}

const char* to_string(cancel_result::outcome o) {
  using k = cancel_result::outcome;
  switch (o) {
    case k::cancelled:
      return "cancelled";
    case k::not_found:
      return "not_found";
    case k::not_yours:
      return "not_yours";
    case k::already_cancelled:
      return "already_cancelled";
    case k::already_collected:
      return "already_collected";
    case k::no_show:
      return "no_show";
    case k::too_late:
      return "too_late";
  }
  return "unknown";
}

const char* to_string(collect_result::outcome o) {
  using k = collect_result::outcome;
  switch (o) {
    case k::collected:
      return "collected";
    case k::wrong_code:
      return "wrong_code";
    case k::not_yours:
      return "not_yours";
    case k::already_collected:
      return "already_collected";
    case k::cancelled:
      return "cancelled";
    case k::no_show:
      return "no_show";
  }
  return "unknown";
}

std::string reserve_result::reason_key() const {
  return std::string("reserve.") + to_string(kind);
}
std::string cancel_result::reason_key() const {
  return std::string("cancel.") + to_string(kind);
}
std::string collect_result::reason_key() const {
  return std::string("collect.") + to_string(kind);
}

offer_book::offer_book(offer o, std::vector<reservation> rs) : offer_(std::move(o)) {
  if (rs.empty()) return;
  ledger_ = std::make_unique<ledger>();
  ledger_->all = std::move(rs);
  for (size_t i = 0; i < ledger_->all.size(); ++i) index(i);
}

offer_book::offer_book(const offer_book& other) : offer_book(other.offer_, other.reservations()) {}

std::vector<reservation> offer_book::reservations() const {
  return ledger_ ? ledger_->all : std::vector<reservation>{};
}

offer_book& offer_book::operator=(const offer_book& other) {
  if (this != &other) *this = offer_book(other);
  return *this;
}

offer_book::~offer_book() = default;

void offer_book::index(size_t position) {
  const reservation& r = ledger_->all[position];
  ledger_->by_id[r.id] = position;
  if (!r.idempotency_key.empty()) ledger_->by_key[r.idempotency_key] = position;
  if (!r.code.empty()) ledger_->by_code[normalize_pickup_code(r.code)] = position;
  if (r.status == reservation_status::active) ledger_->held[r.customer_id] += r.quantity;
}

void offer_book::release(reservation& r, reservation_status now_status) {
  auto held = ledger_->held.find(r.customer_id);
  if (held != ledger_->held.end() && (held->second -= r.quantity) <= 0) ledger_->held.erase(held);
  offer_.quantity_reserved -= r.quantity;
  r.status = now_status;
  ++r.version;
}

std::vector<reservation> offer_book::release_all(reservation_status now_status, int64_t now) {
  std::vector<reservation> changed;
  if (!ledger_) return changed;
  for (auto& r : ledger_->all) {
    if (r.status != reservation_status::active) continue;
    release(r, now_status);
    r.updated_at = now;
    changed.push_back(r);
  }
  return changed;
}

const reservation* offer_book::find(int64_t reservation_id) const {
  if (!ledger_) return nullptr;
  auto it = ledger_->by_id.find(reservation_id);
  return it == ledger_->by_id.end() ? nullptr : &ledger_->all[it->second];
}

const reservation* offer_book::by_idempotency_key(const std::string& key) const {
  if (key.empty() || !ledger_) return nullptr;
  auto it = ledger_->by_key.find(key);
  return it == ledger_->by_key.end() ? nullptr : &ledger_->all[it->second];
}

const reservation* offer_book::by_code(const std::string& code) const {
  if (!ledger_) return nullptr;
  auto it = ledger_->by_code.find(normalize_pickup_code(code));
  return it == ledger_->by_code.end() ? nullptr : &ledger_->all[it->second];
}

int32_t offer_book::held_by(int64_t customer_id) const {
  if (!ledger_) return 0;
  auto held = ledger_->held.find(customer_id);
  return held == ledger_->held.end() ? 0 : held->second;
}

std::vector<int64_t> offer_book::holders() const {
  std::vector<int64_t> ids;
  if (!ledger_) return ids;
  ids.reserve(ledger_->held.size());
  for (const auto& [customer, items] : ledger_->held) ids.push_back(customer);
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::optional<int64_t> offer_book::next_deadline() const {
  switch (offer_.state) {
    case offer_state::active:
    case offer_state::paused:
    case offer_state::sold_out:
      return offer_.pickup_end;
    default:
      return std::nullopt;
  }
}

reserve_result offer_book::reserve(int64_t customer_id, int32_t quantity, int64_t now,
                                   const std::string& idempotency_key, int64_t new_reservation_id,
                                   const std::string& code, int32_t max_per_customer,
                                   int64_t owner_id) {
  return reserve(
      customer_id, quantity, now, idempotency_key,
      [&] {
        return reservation_identity{new_reservation_id, code};
      },
      max_per_customer, owner_id);
}

reserve_result offer_book::reserve(int64_t customer_id, int32_t quantity, int64_t now,
                                   const std::string& idempotency_key,
                                   const std::function<reservation_identity()>& mint,
                                   int32_t max_per_customer, int64_t owner_id) {
  using k = reserve_result::outcome;
  reserve_result result;
  const int32_t left = offer_.quantity_left();
  const int32_t held = held_by(customer_id);
  const int32_t allowance = max_per_customer > 0 ? std::max(0, max_per_customer - held) : left;
  result.left = left;
  result.may_take = std::max(0, std::min(allowance, left));
  auto refused = [&](k kind) {
    result.kind = kind;
    return result;
  };

  if (const reservation* first = by_idempotency_key(idempotency_key)) {
    result.reservation = *first;
    return refused(k::already_done);
  }
  if (quantity < 1) return refused(k::invalid_quantity);
  if (owner_id != 0 && customer_id == owner_id) return refused(k::own_offer);
  switch (offer_.state) {
    case offer_state::draft:
      return refused(k::not_published);
    case offer_state::paused:
      return refused(k::paused);
    case offer_state::sold_out:
      return refused(k::sold_out);
    case offer_state::expired:
      return refused(k::expired);
    case offer_state::ended:
      return refused(k::ended);
    case offer_state::active:
      break;
  }
  if (now >= offer_.pickup_end) return refused(k::expired);
  if (max_per_customer > 0 && quantity > allowance) return refused(k::limit_reached);
  if (left <= 0) return refused(k::sold_out);
  if (quantity > left) return refused(k::only_n_left);

  auto identity = mint();
  if (find(identity.id)) throw std::logic_error("reservation id already used in this offer");
  if (!identity.code.empty() && by_code(identity.code))
    throw std::logic_error("pickup code already used in this offer");

  reservation r;
  r.id = identity.id;
  r.offer_id = offer_.id;
  r.customer_id = customer_id;
  r.quantity = quantity;
  r.code = std::move(identity.code);
  r.status = reservation_status::active;
  r.deal_price = offer_.deal_price;
  r.idempotency_key = idempotency_key;
  r.version = 1;
  r.created_at = now;
  r.updated_at = now;
  if (!ledger_) ledger_ = std::make_unique<ledger>();
  ledger_->all.push_back(r);
  index(ledger_->all.size() - 1);

  offer_.quantity_reserved += quantity;
  follow_stock();
  ++offer_.version;

  result.kind = k::reserved;
  result.left = offer_.quantity_left();
  result.may_take =
      std::max(0, std::min(max_per_customer > 0 ? allowance - quantity : result.left, result.left));
  result.reservation = std::move(r);
  return result;
}

cancel_result offer_book::cancel(int64_t reservation_id, int64_t customer_id, int64_t now,
                                 int32_t cutoff_seconds) {
  using k = cancel_result::outcome;
  cancel_result result;
  const reservation* found = find(reservation_id);
  if (!found) {
    result.kind = k::not_found;
    return result;
  }
  reservation& r = at(static_cast<size_t>(found - ledger_->all.data()));
  result.reservation = r;
  if (r.customer_id != customer_id) {
    // Says nothing more about someone else's reservation.
    result.reservation.reset();
    result.kind = k::not_yours;
    return result;
  }
  switch (r.status) {
    case reservation_status::cancelled:
      result.kind = k::already_cancelled;
      return result;
    case reservation_status::collected:
      result.kind = k::already_collected;
      return result;
    case reservation_status::no_show:
      result.kind = k::no_show;
      return result;
    case reservation_status::active:
      break;
  }
  if (now > last_cancel_moment(offer_.pickup_start, cutoff_seconds)) {
    result.kind = k::too_late;
    return result;
  }

  release(r, reservation_status::cancelled);
  r.updated_at = now;
  if (offer_.state == offer_state::sold_out && now < offer_.pickup_end) follow_stock();
  ++offer_.version;

  result.kind = k::cancelled;
  result.items = r.quantity;
  result.reservation = r;
  return result;
}

collect_result offer_book::collect(const std::string& code, int64_t business_id, int64_t now) {
  using k = collect_result::outcome;
  collect_result result;
  const reservation* found = by_code(code);
  if (!found) {
    result.kind = k::wrong_code;
    return result;
  }
  if (offer_.business_id != business_id) {
    result.kind = k::not_yours;
    return result;
  }
  reservation& r = at(static_cast<size_t>(found - ledger_->all.data()));
  result.reservation = r;
  switch (r.status) {
    case reservation_status::collected:
      result.kind = k::already_collected;
      return result;
    case reservation_status::cancelled:
      result.kind = k::cancelled;
      return result;
    case reservation_status::no_show:
      result.kind = k::no_show;
      return result;
    case reservation_status::active:
      break;
  }

  release(r, reservation_status::collected);
  r.updated_at = now;
  offer_.quantity_collected += r.quantity;
  ++offer_.version;

  result.kind = k::collected;
  result.reservation = r;
  return result;
}

transition_result offer_book::refuse(const char* why) const {
  transition_result t;
  t.from = offer_.state;
  t.reason_key = std::string("offer.refused.") + why;
  return t;
}

transition_result offer_book::accept(offer_state from) {
  ++offer_.version;
  transition_result t;
  t.ok = true;
  t.from = from;
  return t;
}

std::optional<const char*> offer_book::closed_reason() const {
  if (offer_.state == offer_state::ended) return "already_ended";
  if (offer_.state == offer_state::expired) return "already_expired";
  return std::nullopt;
}

void offer_book::follow_stock() {
  if (offer_.state == offer_state::active && offer_.quantity_left() <= 0)
    offer_.state = offer_state::sold_out;
  else if (offer_.state == offer_state::sold_out && offer_.quantity_left() > 0)
    offer_.state = offer_state::active;
}

transition_result offer_book::publish(int64_t now) {
  if (auto why = closed_reason()) return refuse(*why);
  if (offer_.state != offer_state::draft) return refuse("already_published");
  if (offer_.pickup_end <= offer_.pickup_start) return refuse("bad_window");
  if (now >= offer_.pickup_end) return refuse("window_over");
  if (offer_.quantity_total < 1) return refuse("no_quantity");
  if (offer_.original_price <= 0 || offer_.deal_price <= 0) return refuse("price_not_positive");
  if (offer_.deal_price >= offer_.original_price) return refuse("deal_not_below_original");
  const offer_state from = offer_.state;
  offer_.state = offer_state::active;
  offer_.published_at = now;
  follow_stock();
  return accept(from);
}

transition_result offer_book::pause() {
  if (auto why = closed_reason()) return refuse(*why);
  if (offer_.state == offer_state::draft) return refuse("not_published");
  if (offer_.state == offer_state::paused) return refuse("already_paused");
  const offer_state from = offer_.state;
  offer_.state = offer_state::paused;
  return accept(from);
}

transition_result offer_book::resume(int64_t now) {
  if (auto why = closed_reason()) return refuse(*why);
  if (offer_.state == offer_state::draft) return refuse("not_published");
  if (offer_.state != offer_state::paused) return refuse("not_paused");
  if (now >= offer_.pickup_end) return refuse("window_over");
  offer_.state = offer_state::active;
  follow_stock();
  return accept(offer_state::paused);
}

transition_result offer_book::end(int64_t now) {
  if (auto why = closed_reason()) return refuse(*why);
  const offer_state from = offer_.state;
  auto changed = release_all(reservation_status::cancelled, now);
  offer_.state = offer_state::ended;
  auto t = accept(from);
  t.changed = std::move(changed);
  return t;
}

transition_result offer_book::expire(int64_t now) {
  if (auto why = closed_reason()) return refuse(*why);
  if (offer_.state == offer_state::draft) return refuse("not_published");
  if (now < offer_.pickup_end) return refuse("not_over_yet");
  const offer_state from = offer_.state;
  auto changed = release_all(reservation_status::no_show, now);
  offer_.state = offer_state::expired;
  auto t = accept(from);
  t.changed = std::move(changed);
  return t;
}

transition_result offer_book::edit_price(int64_t original_price, int64_t deal_price) {
  if (auto why = closed_reason()) return refuse(*why);
  if (original_price <= 0 || deal_price <= 0) return refuse("price_not_positive");
  if (deal_price >= original_price) return refuse("deal_not_below_original");
  offer_.original_price = original_price;
  offer_.deal_price = deal_price;
  return accept(offer_.state);
}

transition_result offer_book::edit_quantity(int32_t new_total) {
  if (auto why = closed_reason()) return refuse(*why);
  if (new_total < 1 || new_total > max_quantity_total) return refuse("quantity_out_of_range");
  if (new_total < offer_.quantity_reserved + offer_.quantity_collected)
    return refuse("below_reserved");
  const offer_state from = offer_.state;
  offer_.quantity_total = new_total;
  follow_stock();
  return accept(from);
}

}  // namespace lastcall::domain

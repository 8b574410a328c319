#include <catch2/catch.hpp>

#include <cctype>
#include <stdexcept>

#include "domain/offer_book.hpp"
#include "domain/pickup_code.hpp"

using namespace lastcall::domain;

namespace {

constexpr int64_t owner = 500;
constexpr int64_t business_id = 50;
constexpr int64_t now = 1'800'000'000;
constexpr int64_t pickup_start = now + 3 * 3600;
constexpr int64_t pickup_end = now + 5 * 3600;
constexpr int32_t cutoff = 30 * 60;
constexpr int32_t limit = 5;

offer make_offer(offer_state state = offer_state::active, int32_t total = 5) {
  offer o;
  o.id = 7;
  o.business_id = business_id;
  o.title = "Croissants";
  o.original_price = 20000;
  o.deal_price = 8000;
  o.currency = "UZS";
  o.quantity_total = total;
  o.pickup_start = pickup_start;
  o.pickup_end = pickup_end;
  o.state = state;
  o.version = 3;
  return o;
}

offer_book make_book(offer_state state = offer_state::active, int32_t total = 5) {
  return offer_book(make_offer(state, total), {});
}

std::string code_for(int64_t id) {
  return make_pickup_code(id, 77);
}

// Reserves with a fresh reservation id, key and code derived from `id`.
reserve_result take(offer_book& book, int64_t customer, int32_t quantity, int64_t id,
                    int64_t at = now, int32_t max_per_customer = limit) {
  return book.reserve(customer, quantity, at, "u:" + std::to_string(id), id, code_for(id),
                      max_per_customer, owner);
}

using ro = reserve_result::outcome;

// A reservation for each {customer, quantity, reservation id}; the test stops if one is refused.
struct booking {
  int64_t customer;
  int32_t quantity;
  int64_t id;
};

void reserve_all(offer_book& book, std::initializer_list<booking> bookings) {
  for (const auto& b : bookings) {
    INFO("reservation " << b.id);
    REQUIRE(take(book, b.customer, b.quantity, b.id).ok());
  }
}

// What a reservation answer tells the customer: how many items are left, and how many more of
// them this customer may take.
void check_stock(const reserve_result& r, int32_t left, int32_t may_take) {
  CHECK(r.left == left);
  CHECK(r.may_take == may_take);
}
using co = cancel_result::outcome;
using lo = collect_result::outcome;

}  // namespace

TEST_CASE("reserving takes items from stock at the current deal price", "[unit][offer_book]") {
  auto book = make_book();
  auto r = take(book, 1, 2, 100);
  REQUIRE(r.kind == ro::reserved);
  CHECK(r.ok());
  check_stock(r, 3, 3);
  REQUIRE(r.reservation);
  CHECK(r.reservation->id == 100);
  CHECK(r.reservation->offer_id == 7);
  CHECK(r.reservation->customer_id == 1);
  CHECK(r.reservation->quantity == 2);
  CHECK(r.reservation->deal_price == 8000);
  CHECK(r.reservation->status == reservation_status::active);
  CHECK(r.reservation->code == code_for(100));
  CHECK(r.reservation->idempotency_key == "u:100");
  CHECK(r.reservation->version == 1);
  CHECK(r.reservation->created_at == now);
  CHECK(book.state().quantity_reserved == 2);
  CHECK(book.state().quantity_left() == 3);
  CHECK(book.state().version == 4);
  CHECK(book.state().state == offer_state::active);
  REQUIRE(book.find(100));
  CHECK(book.find(100)->quantity == 2);
  CHECK(book.reservations().size() == 1);
  CHECK(book.held_by(1) == 2);
  CHECK(r.reason_key() == "reserve.reserved");
}

TEST_CASE("reserving exactly what is left sells the offer out", "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 3);
  REQUIRE(take(book, 1, 1, 100).ok());
  auto r = take(book, 2, 2, 101);
  REQUIRE(r.kind == ro::reserved);
  check_stock(r, 0, 0);
  CHECK(book.state().state == offer_state::sold_out);
  auto after = take(book, 3, 1, 102);
  CHECK(after.kind == ro::sold_out);
  CHECK(after.reason_key() == "reserve.sold_out");
  CHECK_FALSE(after.reservation);
}

TEST_CASE("asking for more than is left reserves nothing and says how many are left",
          "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 3);
  REQUIRE(take(book, 1, 2, 100).ok());
  const auto version = book.state().version;
  auto r = take(book, 2, 2, 101);
  CHECK(r.kind == ro::only_n_left);
  CHECK_FALSE(r.ok());
  check_stock(r, 1, 1);
  CHECK_FALSE(r.reservation);
  CHECK(book.state().quantity_reserved == 2);
  CHECK(book.state().version == version);
  CHECK(book.find(101) == nullptr);
}

TEST_CASE("reserving is refused in every state but active", "[unit][offer_book]") {
  const std::pair<offer_state, ro> cases[] = {{offer_state::draft, ro::not_published},
                                              {offer_state::paused, ro::paused},
                                              {offer_state::sold_out, ro::sold_out},
                                              {offer_state::expired, ro::expired},
                                              {offer_state::ended, ro::ended}};
  for (auto [state, expected] : cases) {
    auto book = make_book(state);
    auto r = take(book, 1, 1, 100);
    CAPTURE(to_string(state));
    CHECK(r.kind == expected);
    CHECK(book.reservations().empty());
    CHECK(book.state().version == 3);
  }
}

TEST_CASE("reserving is refused once the pickup window is over", "[unit][offer_book]") {
  auto book = make_book();
  CHECK(take(book, 1, 1, 100, pickup_end).kind == ro::expired);
  CHECK(take(book, 1, 1, 101, pickup_end + 60).kind == ro::expired);
  CHECK(take(book, 1, 1, 102, pickup_end - 1).kind == ro::reserved);
}

TEST_CASE("a quantity below one is refused", "[unit][offer_book]") {
  auto book = make_book();
  CHECK(take(book, 1, 0, 100).kind == ro::invalid_quantity);
  CHECK(take(book, 1, -2, 101).kind == ro::invalid_quantity);
  CHECK(book.state().quantity_reserved == 0);
}

TEST_CASE("the owner cannot reserve their own offer", "[unit][offer_book]") {
  auto book = make_book();
  auto r = take(book, owner, 1, 100);
  CHECK(r.kind == ro::own_offer);
  CHECK(r.reason_key() == "reserve.own_offer");
  CHECK(book.reservations().empty());

  // With no owner known (0), nobody is refused as the owner.
  CHECK(book.reserve(owner, 1, now, "", 100, code_for(100), limit, 0).kind == ro::reserved);
}

TEST_CASE("a customer may hold at most the per-customer limit", "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 20);
  reserve_all(book, {{1, 3, 100}, {1, 1, 101}});
  CHECK(book.held_by(1) == 4);

  auto r = take(book, 1, 2, 102);
  CHECK(r.kind == ro::limit_reached);
  check_stock(r, 16, 1);
  CHECK(book.held_by(1) == 4);

  auto one_more = take(book, 1, 1, 103);
  REQUIRE(one_more.kind == ro::reserved);
  CHECK(one_more.may_take == 0);
  auto full = take(book, 1, 1, 104);
  CHECK(full.kind == ro::limit_reached);
  CHECK(full.may_take == 0);

  // Another customer has their own allowance.
  CHECK(take(book, 2, 5, 105).kind == ro::reserved);
}

TEST_CASE("only active reservations count toward the limit", "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 20);
  REQUIRE(take(book, 1, 5, 100).ok());
  REQUIRE(book.cancel(100, 1, now, cutoff).ok());
  CHECK(take(book, 1, 5, 101).kind == ro::reserved);
}

TEST_CASE("a limit of zero means no limit", "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 20);
  auto r = take(book, 1, 15, 100, now, 0);
  CHECK(r.kind == ro::reserved);
  CHECK(r.may_take == 5);
}

TEST_CASE("a repeated idempotency key returns the first reservation and changes nothing",
          "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 2);
  auto first = book.reserve(1, 2, now, "u:42", 100, code_for(100), limit, owner);
  REQUIRE(first.kind == ro::reserved);
  const auto version = book.state().version;
  // The offer is sold out by now, yet the re-delivered request still gets its reservation back.
  auto again = book.reserve(1, 2, now + 5, "u:42", 101, code_for(101), limit, owner);
  CHECK(again.kind == ro::already_done);
  CHECK(again.ok());
  REQUIRE(again.reservation);
  CHECK(again.reservation->id == 100);
  CHECK(book.reservations().size() == 1);
  CHECK(book.state().quantity_reserved == 2);
  CHECK(book.state().version == version);
  REQUIRE(book.by_idempotency_key("u:42"));
  CHECK(book.by_idempotency_key("u:42")->id == 100);
  CHECK(book.by_idempotency_key("u:43") == nullptr);
}

TEST_CASE("an empty idempotency key never matches", "[unit][offer_book]") {
  auto book = make_book();
  REQUIRE(book.reserve(1, 1, now, "", 100, code_for(100), limit, owner).kind == ro::reserved);
  CHECK(book.reserve(1, 1, now, "", 101, code_for(101), limit, owner).kind == ro::reserved);
  CHECK(book.by_idempotency_key("") == nullptr);
}

TEST_CASE("a reused reservation id or code is a programming error", "[unit][offer_book]") {
  auto book = make_book();
  REQUIRE(take(book, 1, 1, 100).ok());
  CHECK_THROWS_AS(book.reserve(2, 1, now, "u:x", 100, code_for(999), limit, owner),
                  std::logic_error);
  CHECK_THROWS_AS(book.reserve(2, 1, now, "u:y", 101, code_for(100), limit, owner),
                  std::logic_error);
  CHECK(book.state().quantity_reserved == 1);
}

TEST_CASE("cancelling returns the items and reopens a sold-out offer", "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 3);
  REQUIRE(take(book, 1, 3, 100).ok());
  REQUIRE(book.state().state == offer_state::sold_out);
  const auto version = book.state().version;

  auto c = book.cancel(100, 1, now + 60, cutoff);
  REQUIRE(c.kind == co::cancelled);
  CHECK(c.ok());
  CHECK(c.items == 3);
  REQUIRE(c.reservation);
  CHECK(c.reservation->status == reservation_status::cancelled);
  CHECK(c.reservation->version == 2);
  CHECK(c.reservation->updated_at == now + 60);
  CHECK(book.find(100)->status == reservation_status::cancelled);
  CHECK(book.state().state == offer_state::active);
  CHECK(book.state().quantity_left() == 3);
  CHECK(book.state().version == version + 1);
  CHECK(c.reason_key() == "cancel.cancelled");

  // The items can be reserved again, by anyone.
  auto again = take(book, 2, 3, 101, now + 120);
  CHECK(again.kind == ro::reserved);
  CHECK(book.state().state == offer_state::sold_out);
}

TEST_CASE("cancelling is allowed up to the cut-off before pickup starts", "[unit][offer_book]") {
  auto book = make_book();
  reserve_all(book, {{1, 1, 100}, {1, 1, 101}});
  auto late = book.cancel(100, 1, pickup_start - cutoff + 1, cutoff);
  CHECK(late.kind == co::too_late);
  CHECK(late.reason_key() == "cancel.too_late");
  CHECK(book.find(100)->status == reservation_status::active);
  CHECK(book.state().quantity_reserved == 2);
  CHECK(book.cancel(101, 1, pickup_start - cutoff, cutoff).kind == co::cancelled);
}

TEST_CASE("cancelling refuses unknown, foreign and finished reservations", "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 10);
  reserve_all(book, {{1, 1, 100}, {1, 1, 101}, {1, 1, 102}});

  CHECK(book.cancel(999, 1, now, cutoff).kind == co::not_found);

  auto foreign = book.cancel(100, 2, now, cutoff);
  CHECK(foreign.kind == co::not_yours);
  CHECK_FALSE(foreign.reservation);
  CHECK(book.find(100)->status == reservation_status::active);

  REQUIRE(book.cancel(100, 1, now, cutoff).ok());
  CHECK(book.cancel(100, 1, now, cutoff).kind == co::already_cancelled);
  CHECK(book.state().quantity_reserved == 2);

  REQUIRE(book.collect(code_for(101), business_id, now).ok());
  CHECK(book.cancel(101, 1, now, cutoff).kind == co::already_collected);
  CHECK(book.state().quantity_collected == 1);

  REQUIRE(book.expire(pickup_end).ok);
  CHECK(book.cancel(102, 1, pickup_end, -10 * 3600).kind == co::no_show);
}

TEST_CASE("cancelling on a paused offer keeps it paused", "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 2);
  REQUIRE(take(book, 1, 2, 100).ok());
  REQUIRE(book.pause().ok);
  REQUIRE(book.cancel(100, 1, now, cutoff).ok());
  CHECK(book.state().state == offer_state::paused);
  CHECK(book.state().quantity_left() == 2);
}

TEST_CASE("a sold-out offer past its window stays sold out when items come back",
          "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 1);
  REQUIRE(take(book, 1, 1, 100).ok());
  // A negative cut-off lets the cancellation through after the window.
  REQUIRE(book.cancel(100, 1, pickup_end, -10 * 3600).ok());
  CHECK(book.state().state == offer_state::sold_out);
}

TEST_CASE("collecting by code moves items from reserved to collected", "[unit][offer_book]") {
  auto book = make_book();
  REQUIRE(take(book, 1, 2, 100).ok());
  const auto version = book.state().version;
  std::string typed = code_for(100);
  for (auto& c : typed) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  typed.insert(3, "-");

  auto r = book.collect(typed, business_id, now + 3 * 3600);
  REQUIRE(r.kind == lo::collected);
  CHECK(r.ok());
  REQUIRE(r.reservation);
  CHECK(r.reservation->id == 100);
  CHECK(r.reservation->status == reservation_status::collected);
  CHECK(r.reservation->version == 2);
  CHECK(book.state().quantity_reserved == 0);
  CHECK(book.state().quantity_collected == 2);
  CHECK(book.state().quantity_left() == 3);
  CHECK(book.state().version == version + 1);
  CHECK(r.reason_key() == "collect.collected");
}

TEST_CASE("collecting refuses wrong codes, other businesses and finished reservations",
          "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 10);
  reserve_all(book, {{1, 1, 100}, {2, 1, 101}, {3, 1, 102}});

  auto wrong = book.collect(code_for(555), business_id, now);
  CHECK(wrong.kind == lo::wrong_code);
  CHECK_FALSE(wrong.reservation);
  // Same reservation id, different check value.
  CHECK(book.collect(make_pickup_code(100, 78), business_id, now).kind == lo::wrong_code);
  CHECK(book.collect("", business_id, now).kind == lo::wrong_code);

  CHECK(book.collect(code_for(100), business_id + 1, now).kind == lo::not_yours);
  CHECK(book.find(100)->status == reservation_status::active);

  REQUIRE(book.collect(code_for(100), business_id, now).ok());
  auto twice = book.collect(code_for(100), business_id, now);
  CHECK(twice.kind == lo::already_collected);
  CHECK(book.state().quantity_collected == 1);

  REQUIRE(book.cancel(101, 2, now, cutoff).ok());
  CHECK(book.collect(code_for(101), business_id, now).kind == lo::cancelled);

  REQUIRE(book.expire(pickup_end).ok);
  auto late = book.collect(code_for(102), business_id, pickup_end + 60);
  CHECK(late.kind == lo::no_show);
  CHECK(late.reason_key() == "collect.no_show");
}

TEST_CASE("a pickup after the window but before the expiry timer still counts",
          "[unit][offer_book]") {
  auto book = make_book();
  REQUIRE(take(book, 1, 1, 100).ok());
  CHECK(book.collect(code_for(100), business_id, pickup_end + 30).kind == lo::collected);
}

TEST_CASE("publishing makes a draft active", "[unit][offer_book]") {
  auto book = make_book(offer_state::draft);
  auto t = book.publish(now);
  REQUIRE(t.ok);
  CHECK(t.from == offer_state::draft);
  CHECK(t.reason_key.empty());
  CHECK(book.state().state == offer_state::active);
  CHECK(book.state().published_at == now);
  CHECK(book.state().version == 4);
  CHECK(take(book, 1, 1, 100).kind == ro::reserved);
}

TEST_CASE("publishing refuses what cannot go on sale", "[unit][offer_book]") {
  auto refusal = [](offer o, int64_t at = now) {
    offer_book book(std::move(o), {});
    auto t = book.publish(at);
    CHECK_FALSE(t.ok);
    CHECK(book.state().version == 3);
    CHECK(book.state().published_at == 0);
    return t.reason_key;
  };
  CHECK(refusal(make_offer(offer_state::active)) == "offer.refused.already_published");
  CHECK(refusal(make_offer(offer_state::paused)) == "offer.refused.already_published");
  CHECK(refusal(make_offer(offer_state::sold_out)) == "offer.refused.already_published");
  CHECK(refusal(make_offer(offer_state::ended)) == "offer.refused.already_ended");
  CHECK(refusal(make_offer(offer_state::expired)) == "offer.refused.already_expired");
  CHECK(refusal(make_offer(offer_state::draft), pickup_end) == "offer.refused.window_over");
  CHECK(refusal(make_offer(offer_state::draft, 0)) == "offer.refused.no_quantity");

  auto o = make_offer(offer_state::draft);
  o.pickup_end = o.pickup_start;
  CHECK(refusal(o) == "offer.refused.bad_window");
  o = make_offer(offer_state::draft);
  o.deal_price = o.original_price;
  CHECK(refusal(o) == "offer.refused.deal_not_below_original");
  o = make_offer(offer_state::draft);
  o.deal_price = 0;
  CHECK(refusal(o) == "offer.refused.price_not_positive");
}

TEST_CASE("pausing stops new reservations and keeps existing ones", "[unit][offer_book]") {
  auto book = make_book();
  REQUIRE(take(book, 1, 1, 100).ok());
  auto t = book.pause();
  REQUIRE(t.ok);
  CHECK(t.from == offer_state::active);
  CHECK(book.state().state == offer_state::paused);
  CHECK(take(book, 2, 1, 101).kind == ro::paused);
  CHECK(book.find(100)->status == reservation_status::active);
  CHECK(book.holders() == std::vector<int64_t>{1});

  auto sold_out = make_book(offer_state::sold_out);
  CHECK(sold_out.pause().ok);
}

TEST_CASE("pausing refuses drafts, paused and finished offers", "[unit][offer_book]") {
  CHECK(make_book(offer_state::draft).pause().reason_key == "offer.refused.not_published");
  CHECK(make_book(offer_state::paused).pause().reason_key == "offer.refused.already_paused");
  CHECK(make_book(offer_state::ended).pause().reason_key == "offer.refused.already_ended");
  CHECK(make_book(offer_state::expired).pause().reason_key == "offer.refused.already_expired");
  auto book = make_book(offer_state::paused);
  auto t = book.pause();
  CHECK_FALSE(t.ok);
  CHECK(t.from == offer_state::paused);
  CHECK(book.state().version == 3);
}

TEST_CASE("resuming returns to active, or to sold out without stock", "[unit][offer_book]") {
  auto book = make_book(offer_state::paused);
  auto t = book.resume(now);
  REQUIRE(t.ok);
  CHECK(t.from == offer_state::paused);
  CHECK(book.state().state == offer_state::active);
  CHECK(book.state().version == 4);

  auto full = make_book(offer_state::active, 2);
  REQUIRE(take(full, 1, 2, 100).ok());
  REQUIRE(full.pause().ok);
  REQUIRE(full.resume(now).ok);
  CHECK(full.state().state == offer_state::sold_out);
}

TEST_CASE("resuming refuses offers that are not paused or whose window is over",
          "[unit][offer_book]") {
  CHECK(make_book(offer_state::active).resume(now).reason_key == "offer.refused.not_paused");
  CHECK(make_book(offer_state::sold_out).resume(now).reason_key == "offer.refused.not_paused");
  CHECK(make_book(offer_state::draft).resume(now).reason_key == "offer.refused.not_published");
  CHECK(make_book(offer_state::ended).resume(now).reason_key == "offer.refused.already_ended");
  CHECK(make_book(offer_state::expired).resume(now).reason_key == "offer.refused.already_expired");
  auto book = make_book(offer_state::paused);
  CHECK(book.resume(pickup_end).reason_key == "offer.refused.window_over");
  CHECK(book.state().state == offer_state::paused);
}

TEST_CASE("an expired offer cannot be resumed", "[unit][offer_book]") {
  auto book = make_book();
  REQUIRE(book.pause().ok);
  REQUIRE(book.expire(pickup_end).ok);
  auto t = book.resume(pickup_end + 1);
  CHECK_FALSE(t.ok);
  CHECK(t.from == offer_state::expired);
  CHECK(t.reason_key == "offer.refused.already_expired");
  CHECK(book.state().state == offer_state::expired);
}

TEST_CASE("ending works from every live state and cancels active reservations",
          "[unit][offer_book]") {
  for (auto state :
       {offer_state::draft, offer_state::active, offer_state::paused, offer_state::sold_out}) {
    CAPTURE(to_string(state));
    auto book = make_book(state);
    auto t = book.end(now);
    CHECK(t.ok);
    CHECK(t.from == state);
    CHECK(book.state().state == offer_state::ended);
    CHECK_FALSE(book.next_deadline());
  }

  auto book = make_book(offer_state::active, 10);
  reserve_all(book, {{1, 2, 100}, {2, 1, 101}, {3, 1, 102}});
  REQUIRE(book.collect(code_for(102), business_id, now).ok());
  auto t = book.end(now + 10);
  REQUIRE(t.ok);
  REQUIRE(t.changed.size() == 2);
  for (const auto& r : t.changed) {
    CHECK(r.status == reservation_status::cancelled);
    CHECK(r.version == 2);
    CHECK(r.updated_at == now + 10);
  }
  CHECK(book.state().quantity_reserved == 0);
  CHECK(book.state().quantity_collected == 1);
  CHECK(book.find(102)->status == reservation_status::collected);
  CHECK(book.holders().empty());
  CHECK(take(book, 4, 1, 103).kind == ro::ended);
}

TEST_CASE("ending refuses offers already over", "[unit][offer_book]") {
  CHECK(make_book(offer_state::ended).end(now).reason_key == "offer.refused.already_ended");
  CHECK(make_book(offer_state::expired).end(now).reason_key == "offer.refused.already_expired");
}

TEST_CASE("expiry turns every active reservation into a no-show", "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 10);
  reserve_all(book, {{1, 2, 100}, {2, 1, 101}, {3, 1, 102}});
  REQUIRE(book.collect(code_for(100), business_id, now).ok());
  REQUIRE(book.cancel(101, 2, now, cutoff).ok());
  const auto version = book.state().version;

  auto t = book.expire(pickup_end);
  REQUIRE(t.ok);
  CHECK(t.from == offer_state::active);
  REQUIRE(t.changed.size() == 1);
  CHECK(t.changed[0].id == 102);
  CHECK(t.changed[0].status == reservation_status::no_show);
  CHECK(t.changed[0].updated_at == pickup_end);
  CHECK(book.find(102)->status == reservation_status::no_show);
  CHECK(book.find(100)->status == reservation_status::collected);
  CHECK(book.find(101)->status == reservation_status::cancelled);
  CHECK(book.state().state == offer_state::expired);
  CHECK(book.state().quantity_reserved == 0);
  CHECK(book.state().quantity_collected == 2);
  CHECK(book.state().version == version + 1);
  CHECK(book.holders().empty());
  CHECK_FALSE(book.next_deadline());
}

TEST_CASE("expiry works from paused and sold-out offers", "[unit][offer_book]") {
  CHECK(make_book(offer_state::paused).expire(pickup_end).ok);
  CHECK(make_book(offer_state::sold_out).expire(pickup_end + 1000).ok);
}

TEST_CASE("expiry refuses early calls, drafts and finished offers", "[unit][offer_book]") {
  auto book = make_book();
  REQUIRE(take(book, 1, 1, 100).ok());
  auto early = book.expire(pickup_end - 1);
  CHECK_FALSE(early.ok);
  CHECK(early.reason_key == "offer.refused.not_over_yet");
  CHECK(book.find(100)->status == reservation_status::active);
  CHECK(book.state().state == offer_state::active);
  CHECK(make_book(offer_state::draft).expire(pickup_end).reason_key ==
        "offer.refused.not_published");
  CHECK(make_book(offer_state::ended).expire(pickup_end).reason_key ==
        "offer.refused.already_ended");
  CHECK(make_book(offer_state::expired).expire(pickup_end).reason_key ==
        "offer.refused.already_expired");
}

TEST_CASE("a price edit applies to new reservations only", "[unit][offer_book]") {
  auto book = make_book();
  REQUIRE(take(book, 1, 1, 100).ok());
  auto t = book.edit_price(25000, 6000);
  REQUIRE(t.ok);
  CHECK(t.from == offer_state::active);
  CHECK(book.state().original_price == 25000);
  CHECK(book.state().deal_price == 6000);
  CHECK(book.find(100)->deal_price == 8000);
  auto r = take(book, 2, 1, 101);
  REQUIRE(r.reservation);
  CHECK(r.reservation->deal_price == 6000);
}

TEST_CASE("a price edit needs a positive deal below the original", "[unit][offer_book]") {
  auto book = make_book();
  CHECK(book.edit_price(20000, 20000).reason_key == "offer.refused.deal_not_below_original");
  CHECK(book.edit_price(20000, 25000).reason_key == "offer.refused.deal_not_below_original");
  CHECK(book.edit_price(20000, 0).reason_key == "offer.refused.price_not_positive");
  CHECK(book.edit_price(0, -5).reason_key == "offer.refused.price_not_positive");
  CHECK(book.edit_price(-100, -500).reason_key == "offer.refused.price_not_positive");
  CHECK(book.state().deal_price == 8000);
  CHECK(book.state().version == 3);
  CHECK(make_book(offer_state::ended).edit_price(20000, 5000).reason_key ==
        "offer.refused.already_ended");
  CHECK(make_book(offer_state::expired).edit_price(20000, 5000).reason_key ==
        "offer.refused.already_expired");
  CHECK(make_book(offer_state::draft).edit_price(20000, 5000).ok);
}

TEST_CASE("a quantity edit follows the stock between active and sold out", "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 10);
  reserve_all(book, {{1, 3, 100}, {2, 1, 101}});
  REQUIRE(book.collect(code_for(101), business_id, now).ok());

  auto down = book.edit_quantity(4);
  REQUIRE(down.ok);
  CHECK(book.state().quantity_total == 4);
  CHECK(book.state().state == offer_state::sold_out);

  auto up = book.edit_quantity(6);
  REQUIRE(up.ok);
  CHECK(up.from == offer_state::sold_out);
  CHECK(book.state().state == offer_state::active);
  CHECK(book.state().quantity_left() == 2);
}

TEST_CASE("a quantity edit never goes below what is reserved and collected", "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 10);
  reserve_all(book, {{1, 3, 100}, {2, 1, 101}});
  REQUIRE(book.collect(code_for(101), business_id, now).ok());
  const auto version = book.state().version;
  CHECK(book.edit_quantity(3).reason_key == "offer.refused.below_reserved");
  CHECK(book.edit_quantity(0).reason_key == "offer.refused.quantity_out_of_range");
  CHECK(book.edit_quantity(10001).reason_key == "offer.refused.quantity_out_of_range");
  CHECK(book.state().quantity_total == 10);
  CHECK(book.state().version == version);
  CHECK(book.edit_quantity(10000).ok);
}

TEST_CASE("a quantity edit keeps paused and draft offers as they are", "[unit][offer_book]") {
  auto paused = make_book(offer_state::paused, 5);
  REQUIRE(paused.edit_quantity(8).ok);
  CHECK(paused.state().state == offer_state::paused);
  auto draft = make_book(offer_state::draft, 5);
  REQUIRE(draft.edit_quantity(1).ok);
  CHECK(draft.state().state == offer_state::draft);
  CHECK(make_book(offer_state::ended).edit_quantity(3).reason_key == "offer.refused.already_ended");
}

TEST_CASE("holders lists each customer with an active reservation once", "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 10);
  reserve_all(book, {{9, 1, 100}, {3, 1, 101}, {9, 1, 102}, {4, 1, 103}});
  REQUIRE(book.cancel(103, 4, now, cutoff).ok());
  CHECK(book.holders() == std::vector<int64_t>{3, 9});
}

TEST_CASE("what a customer holds follows every way a reservation stops being active",
          "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 10);
  reserve_all(book, {{1, 2, 100}, {1, 1, 101}, {2, 3, 102}, {3, 1, 103}});
  CHECK(book.held_by(1) == 3);
  CHECK(book.held_by(2) == 3);
  CHECK(book.held_by(4) == 0);

  REQUIRE(book.cancel(100, 1, now, cutoff).ok());
  CHECK(book.held_by(1) == 1);
  CHECK_FALSE(book.cancel(100, 1, now, cutoff).ok());  // twice returns nothing twice
  CHECK(book.held_by(1) == 1);
  REQUIRE(book.collect(code_for(102), business_id, now).ok());
  CHECK(book.held_by(2) == 0);
  CHECK(book.holders() == std::vector<int64_t>{1, 3});

  SECTION("ending releases everyone") {
    REQUIRE(book.end(now).ok);
    CHECK(book.held_by(1) == 0);
    CHECK(book.holders().empty());
  }
  SECTION("expiry releases everyone") {
    REQUIRE(book.expire(pickup_end).ok);
    CHECK(book.held_by(3) == 0);
    CHECK(book.holders().empty());
  }
  SECTION("a copy holds the same and changes on its own") {
    offer_book copy = book;
    REQUIRE(copy.cancel(101, 1, now, cutoff).ok());
    CHECK(copy.held_by(1) == 0);
    CHECK(book.held_by(1) == 1);
  }
}

TEST_CASE("a refused reservation mints no id and no code", "[unit][offer_book]") {
  auto book = make_book(offer_state::active, 1);
  int minted = 0;
  auto mint = [&minted] {
    ++minted;
    return reservation_identity{100 + minted, code_for(100 + minted)};
  };
  REQUIRE(book.reserve(1, 1, now, "", mint, limit, owner).kind == ro::reserved);
  CHECK(minted == 1);
  CHECK(book.find(101)->code == code_for(101));
  CHECK(book.reserve(2, 1, now, "", mint, limit, owner).kind == ro::sold_out);
  CHECK(book.reserve(3, 0, now, "", mint, limit, owner).kind == ro::invalid_quantity);
  CHECK(minted == 1);
}

TEST_CASE("the expiry deadline is the end of the pickup window while the offer is live",
          "[unit][offer_book]") {
  for (auto state : {offer_state::active, offer_state::paused, offer_state::sold_out}) {
    auto deadline = make_book(state).next_deadline();
    REQUIRE(deadline);
    CHECK(*deadline == pickup_end);
  }
  for (auto state : {offer_state::draft, offer_state::ended, offer_state::expired})
    CHECK_FALSE(make_book(state).next_deadline());
}

TEST_CASE("a book built from stored reservations finds them by id, key and code",
          "[unit][offer_book]") {
  auto o = make_offer(offer_state::active, 5);
  o.quantity_reserved = 2;
  reservation r;
  r.id = 100;
  r.offer_id = 7;
  r.customer_id = 1;
  r.quantity = 2;
  r.code = code_for(100);
  r.deal_price = 8000;
  r.idempotency_key = "u:1";
  r.version = 1;
  offer_book book(o, {r});
  REQUIRE(book.find(100));
  CHECK(book.by_idempotency_key("u:1") == book.find(100));
  CHECK(book.by_code(code_for(100)) == book.find(100));
  CHECK(book.held_by(1) == 2);
  auto r2 = take(book, 2, 4, 101);
  CHECK(r2.kind == ro::only_n_left);
  CHECK(r2.left == 3);
  CHECK(book.reserve(1, 1, now, "u:1", 102, code_for(102), limit, owner).kind == ro::already_done);
}

TEST_CASE("outcomes have stable names", "[unit][offer_book]") {
  CHECK(std::string(to_string(ro::only_n_left)) == "only_n_left");
  CHECK(std::string(to_string(ro::limit_reached)) == "limit_reached");
  CHECK(std::string(to_string(co::already_collected)) == "already_collected");
  CHECK(std::string(to_string(lo::wrong_code)) == "wrong_code");
}

TEST_CASE("a book without reservations finds nothing, and a copy looks up its own reservations",
          "[unit][offer_book]") {
  auto book = make_book();
  CHECK_FALSE(book.find(100));
  CHECK_FALSE(book.by_idempotency_key("u:100"));
  CHECK_FALSE(book.by_code(code_for(100)));
  CHECK(book.cancel(100, 1, now, cutoff).kind == co::not_found);
  CHECK(book.collect(code_for(100), business_id, now).kind == lo::wrong_code);

  REQUIRE(take(book, 1, 1, 100).kind == ro::reserved);
  offer_book copy = book;
  REQUIRE(take(copy, 2, 1, 101).kind == ro::reserved);
  // The copy has both reservations, the original only the first: each indexes its own.
  REQUIRE(copy.find(100));
  CHECK(copy.by_idempotency_key("u:101")->id == 101);
  CHECK(copy.by_code(code_for(101))->id == 101);
  CHECK_FALSE(book.find(101));
  CHECK_FALSE(book.by_code(code_for(101)));
  CHECK(copy.cancel(100, 1, now, cutoff).kind == co::cancelled);
  CHECK(book.find(100)->status == reservation_status::active);

  offer_book assigned = make_book();
  assigned = copy;
  CHECK(assigned.find(101)->customer_id == 2);
  CHECK(assigned.by_code(code_for(100))->status == reservation_status::cancelled);
  CHECK(assigned.state().quantity_reserved == copy.state().quantity_reserved);
}

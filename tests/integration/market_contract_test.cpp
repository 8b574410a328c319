// One contract, two markets: the market actor with its offer actors (asked through the services a
// session uses) and the in-memory market the flow tests use are held to the same behaviour, so
// the flow tests cannot pass against a market that differs from the real one.

#include <chrono>
#include <optional>

#include <catch2/catch.hpp>

#include "tests/support/actor_market.hpp"
#include "tests/support/in_memory_market.hpp"

using namespace lastcall;

namespace {

constexpr int64_t admin = 900;
constexpr int64_t owner = 700;
constexpr int64_t rival_owner = 701;
constexpr int64_t customer = 10;
constexpr int64_t other_customer = 11;

config::settings contract_settings() {
  config::settings s;
  s.admin_ids = {admin};
  s.currency = "UZS";
  s.max_items_per_customer = 3;
  s.cancel_cutoff_minutes = 30;
  return s;
}

// The clock of the scenarios: now, so that the offer actors' own timers (set from the real clock)
// are hours away.
int64_t wall_now() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

struct in_memory {
  config::settings settings = contract_settings();
  testing::in_memory_market market{settings};

  void run(const std::function<void(flows::services&, std::function<void()>)>& ask) {
    bool answered = false;
    ask(market, [&answered] { answered = true; });
    REQUIRE(answered);
  }
};

struct with_actors {
  testing::actor_market market{contract_settings()};

  void run(const std::function<void(flows::services&, std::function<void()>)>& ask) {
    market.run(ask);
  }
};

// What the scenarios ask, each question answered before the next is asked.
template <class Market>
struct contract {
  Market under_test;
  int64_t now = wall_now();

  template <class T, class Ask>
  T ask(Ask ask) {
    std::optional<T> answer;
    under_test.run([&](flows::services& s, std::function<void()> done) {
      ask(s, flows::reply<T>([&answer, done](T value) {
            answer = std::move(value);
            done();
          }));
    });
    REQUIRE(answer);
    return std::move(*answer);
  }

  template <class Operation>
  market::reply_to_t<Operation> offer(Operation op) {
    using reply = market::reply_to_t<Operation>;
    return ask<reply>([&](flows::services& s, flows::reply<reply> done) { s.offer(op, done); });
  }
  market::business_reply register_business(int64_t owner_id, const std::string& name) {
    domain::business application;
    application.owner_id = owner_id;
    application.name = name;
    application.address = "Main St 1";
    application.latitude = 41.31;
    application.longitude = 69.28;
    return ask<market::business_reply>(
        [&](flows::services& s, auto done) { s.register_business(application, now, done); });
  }
  market::business_reply decide(int64_t business_id, int64_t admin_id, bool approve) {
    return ask<market::business_reply>([&](flows::services& s, auto done) {
      s.decide_business(business_id, admin_id, approve, approve ? "" : "no papers", now, done);
    });
  }
  std::optional<domain::business> business_of_owner(int64_t owner_id) {
    return ask<std::optional<domain::business>>(
        [&](flows::services& s, auto done) { s.business_of_owner(owner_id, done); });
  }
  std::vector<domain::business> pending() {
    return ask<std::vector<domain::business>>(
        [&](flows::services& s, auto done) { s.pending_businesses(done); });
  }
  market::change_reply create_offer(int64_t owner_id, const std::string& title, int32_t quantity) {
    domain::offer draft;
    draft.title = title;
    draft.original_price = 5000000;
    draft.deal_price = 2000000;
    draft.quantity_total = quantity;
    draft.pickup_start = now + 2 * 3600;
    draft.pickup_end = now + 4 * 3600;
    return ask<market::change_reply>(
        [&](flows::services& s, auto done) { s.create_offer(draft, owner_id, now, done); });
  }
  market::collect_reply collect(int64_t owner_id, const std::string& code) {
    return ask<market::collect_reply>(
        [&](flows::services& s, auto done) { s.collect(owner_id, code, now, done); });
  }
  domain::offer_page page() {
    domain::page_query query;
    query.now = now;
    query.page_size = 10;
    return ask<domain::offer_page>(
        [&](flows::services& s, auto done) { s.offer_page(query, done); });
  }
  std::vector<domain::offer> offers_of(int64_t business_id) {
    return ask<std::vector<domain::offer>>(
        [&](flows::services& s, auto done) { s.offers_of_business(business_id, done); });
  }
  std::vector<market::reservation_entry> reservations_of(int64_t customer_id) {
    return ask<std::vector<market::reservation_entry>>(
        [&](flows::services& s, auto done) { s.reservations_of_customer(customer_id, done); });
  }
  market::market_stats stats() {
    return ask<market::market_stats>([&](flows::services& s, auto done) { s.stats(done); });
  }

  // A verified business of `owner_id`; returns its id.
  int64_t verified_business(int64_t owner_id, const std::string& name) {
    auto applied = register_business(owner_id, name);
    REQUIRE(applied.kind == market::business_reply::outcome::ok);
    REQUIRE(decide(applied.business->id, admin, true).kind == market::business_reply::outcome::ok);
    return applied.business->id;
  }
  // A published offer of the owner's business; returns its id.
  int64_t published_offer(int64_t owner_id, const std::string& title, int32_t quantity) {
    auto created = create_offer(owner_id, title, quantity);
    REQUIRE(created.ok);
    REQUIRE(offer(market::publish_offer{created.offer.id, owner_id, now}).ok);
    return created.offer.id;
  }
  // The scenarios' usual shop: the owner's verified Bakery Nord with `quantity` croissants on
  // sale; returns the offer's id.
  int64_t croissants_on_sale(int32_t quantity) {
    verified_business(owner, "Bakery Nord");
    return published_offer(owner, "Croissants", quantity);
  }
  market::reserve_reply reserve(int64_t offer_id, int64_t customer_id, int32_t quantity,
                                const std::string& key) {
    return offer(market::reserve_items{offer_id, customer_id, quantity, now, key});
  }
};

template <class Notice>
bool tells(const persistence::unit_of_work& changes, int64_t user_id) {
  for (const auto& n : changes.notices)
    if (n.user_id == user_id && std::holds_alternative<Notice>(n.notice)) return true;
  return false;
}

}  // namespace

TEMPLATE_TEST_CASE("an application is pending until the first admin decides it",
                   "[integration][market][contract]", in_memory, with_actors) {
  contract<TestType> m;
  auto applied = m.register_business(owner, "Bakery Nord");
  REQUIRE(applied.kind == market::business_reply::outcome::ok);
  const auto id = applied.business->id;
  CHECK(applied.business->status == domain::business_status::pending);
  CHECK(tells<domain::notices::new_application>(applied.changes, admin));
  REQUIRE(applied.changes.businesses.size() == 1);
  CHECK(m.pending().size() == 1);

  CHECK(m.register_business(owner, "Bakery Nord again").kind ==
        market::business_reply::outcome::already_registered);
  CHECK(m.decide(id, customer, true).kind == market::business_reply::outcome::not_allowed);
  CHECK(m.decide(id + 100, admin, true).kind == market::business_reply::outcome::not_found);

  auto decided = m.decide(id, admin, true);
  REQUIRE(decided.kind == market::business_reply::outcome::ok);
  CHECK(decided.business->status == domain::business_status::verified);
  CHECK(decided.business->decided_by == admin);
  CHECK(tells<domain::notices::business_decided>(decided.changes, owner));
  auto again = m.decide(id, admin, false);
  CHECK(again.kind == market::business_reply::outcome::already_decided);
  CHECK(again.business->status == domain::business_status::verified);
  CHECK(m.business_of_owner(owner)->status == domain::business_status::verified);
  CHECK(m.pending().empty());
}

TEMPLATE_TEST_CASE("a rejected owner may apply again", "[integration][market][contract]", in_memory,
                   with_actors) {
  contract<TestType> m;
  auto first = m.register_business(owner, "Bakery Nord");
  REQUIRE(m.decide(first.business->id, admin, false).business->reject_reason == "no papers");
  auto second = m.register_business(owner, "Bakery Nord");
  REQUIRE(second.kind == market::business_reply::outcome::ok);
  CHECK(second.business->id != first.business->id);
  CHECK(m.business_of_owner(owner)->id == second.business->id);
}

TEMPLATE_TEST_CASE("only a verified business creates offers, and drafts are not listed",
                   "[integration][market][contract]", in_memory, with_actors) {
  contract<TestType> m;
  auto refused = m.create_offer(owner, "Croissants", 5);
  CHECK(refused.found);
  CHECK_FALSE(refused.allowed);
  CHECK(refused.reason_key == "offer.refused.not_verified");

  const auto business = m.verified_business(owner, "Bakery Nord");
  auto draft = m.create_offer(owner, "Croissants", 5);
  REQUIRE(draft.ok);
  CHECK(draft.offer.state == domain::offer_state::draft);
  CHECK(draft.offer.business_id == business);
  CHECK(draft.offer.currency == "UZS");
  CHECK(m.page().items.empty());
  auto second = m.create_offer(owner, "Buns", 4);
  auto mine = m.offers_of(business);
  REQUIRE(mine.size() == 2);
  CHECK(mine[0].id == second.offer.id);  // newest first
  CHECK(m.stats().offers_draft == 2);
}

TEMPLATE_TEST_CASE("only the owner publishes, and a published offer is listed",
                   "[integration][market][contract]", in_memory, with_actors) {
  contract<TestType> m;
  m.verified_business(owner, "Bakery Nord");
  const auto id = m.create_offer(owner, "Croissants", 5).offer.id;
  auto stranger = m.offer(market::publish_offer{id, rival_owner, m.now});
  CHECK(stranger.found);
  CHECK_FALSE(stranger.allowed);
  CHECK(stranger.reason_key == "offer.refused.not_yours");

  auto published = m.offer(market::publish_offer{id, owner, m.now});
  REQUIRE(published.ok);
  CHECK(published.offer.state == domain::offer_state::active);
  REQUIRE(published.changes.offers.size() == 1);
  auto page = m.page();
  REQUIRE(page.items.size() == 1);
  CHECK(page.items[0].listing.offer_id == id);
  CHECK(page.items[0].listing.business_name == "Bakery Nord");
}

TEMPLATE_TEST_CASE("a reservation is decided once per key, within the limit and the stock",
                   "[integration][market][contract]", in_memory, with_actors) {
  contract<TestType> m;
  const auto id = m.croissants_on_sale(4);

  CHECK(m.reserve(id, owner, 1, "u:1").outcome == domain::reserve_result::outcome::own_offer);
  auto reserved = m.reserve(id, customer, 2, "u:2");
  REQUIRE(reserved.outcome == domain::reserve_result::outcome::reserved);
  REQUIRE(reserved.reservation);
  CHECK(reserved.left == 2);
  CHECK(reserved.held_by_user == 2);
  CHECK(reserved.changes.reservations.size() == 1);
  CHECK(tells<domain::notices::new_reservations>(reserved.changes, owner));
  for (const auto& n : reserved.changes.notices)
    if (auto* news = std::get_if<domain::notices::new_reservations>(&n.notice))
      CHECK(news->items == 2);

  auto repeated = m.reserve(id, customer, 2, "u:2");
  CHECK(repeated.outcome == domain::reserve_result::outcome::already_done);
  CHECK(repeated.reservation->id == reserved.reservation->id);
  CHECK(repeated.changes.empty());

  auto over_limit = m.reserve(id, customer, 2, "u:3");
  CHECK(over_limit.outcome == domain::reserve_result::outcome::limit_reached);
  CHECK(over_limit.may_take == 1);
  CHECK(m.reserve(id, other_customer, 3, "u:4").outcome ==
        domain::reserve_result::outcome::only_n_left);
  CHECK(m.reserve(id, other_customer, 2, "u:5").ok);
  CHECK(m.reserve(id, 12, 1, "u:6").outcome == domain::reserve_result::outcome::sold_out);

  auto listed = m.reservations_of(customer);
  REQUIRE(listed.size() == 1);
  CHECK(listed[0].reservation.id == reserved.reservation->id);
  CHECK(listed[0].offer.title == "Croissants");
  CHECK(listed[0].business.name == "Bakery Nord");
  CHECK(m.page().items.empty());  // nothing left to reserve
  auto stats = m.stats();
  CHECK(stats.offers_sold_out == 1);
  CHECK(stats.items_reserved == 4);
}

TEMPLATE_TEST_CASE("only its customer cancels a reservation, and the items come back",
                   "[integration][market][contract]", in_memory, with_actors) {
  contract<TestType> m;
  const auto id = m.croissants_on_sale(5);
  const auto reservation = *m.reserve(id, customer, 2, "u:1").reservation;

  auto stranger = m.offer(market::cancel_reservation{id, other_customer, reservation.id, m.now});
  CHECK_FALSE(stranger.allowed);
  CHECK(stranger.outcome == domain::cancel_result::outcome::not_yours);
  CHECK_FALSE(stranger.reservation);

  auto cancelled = m.offer(market::cancel_reservation{id, customer, reservation.id, m.now});
  REQUIRE(cancelled.outcome == domain::cancel_result::outcome::cancelled);
  CHECK(cancelled.left == 5);
  CHECK(cancelled.reservation->status == domain::reservation_status::cancelled);
  // The owner's next batch hears of the items that came back.
  bool owner_told = false;
  for (const auto& n : cancelled.changes.notices)
    if (auto* news = std::get_if<domain::notices::new_reservations>(&n.notice))
      owner_told = n.user_id == owner && news->count == 0 && news->cancelled_items == 2;
  CHECK(owner_told);
  CHECK(m.offer(market::cancel_reservation{id, customer, reservation.id, m.now}).outcome ==
        domain::cancel_result::outcome::already_cancelled);
}

TEMPLATE_TEST_CASE("a pickup code is collected by its own business only, once",
                   "[integration][market][contract]", in_memory, with_actors) {
  contract<TestType> m;
  m.verified_business(owner, "Bakery Nord");
  m.verified_business(rival_owner, "Cafe Sud");
  const auto id = m.published_offer(owner, "Croissants", 5);
  const auto code = m.reserve(id, customer, 2, "u:1").reservation->code;

  CHECK(m.collect(customer, code).reason_key == "collect.no_business");
  auto wrong = m.collect(owner, "ZZZZZ");
  CHECK(wrong.outcome == domain::collect_result::outcome::wrong_code);
  CHECK(wrong.reason_key == "collect.wrong_code");
  auto rival = m.collect(rival_owner, code);
  CHECK_FALSE(rival.allowed);
  CHECK(rival.outcome == domain::collect_result::outcome::not_yours);

  auto collected = m.collect(owner, code);
  REQUIRE(collected.outcome == domain::collect_result::outcome::collected);
  CHECK(collected.offer.quantity_collected == 2);
  CHECK(collected.reservation->status == domain::reservation_status::collected);
  CHECK(m.collect(owner, code).outcome == domain::collect_result::outcome::already_collected);
  CHECK(m.stats().items_collected == 2);
}

TEMPLATE_TEST_CASE("pausing and ending tell every holder, and ending cancels their reservations",
                   "[integration][market][contract]", in_memory, with_actors) {
  contract<TestType> m;
  const auto id = m.croissants_on_sale(5);
  m.reserve(id, customer, 1, "u:1");
  m.reserve(id, other_customer, 2, "u:2");

  auto paused = m.offer(market::pause_offer{id, owner, m.now});
  REQUIRE(paused.ok);
  CHECK(tells<domain::notices::offer_paused>(paused.changes, customer));
  CHECK(tells<domain::notices::offer_paused>(paused.changes, other_customer));
  CHECK(m.reserve(id, 12, 1, "u:3").outcome == domain::reserve_result::outcome::paused);
  REQUIRE(m.offer(market::resume_offer{id, owner, m.now}).ok);

  auto ended = m.offer(market::end_offer{id, owner, m.now});
  REQUIRE(ended.ok);
  CHECK(ended.offer.state == domain::offer_state::ended);
  CHECK(ended.changes.reservations.size() == 2);
  CHECK(tells<domain::notices::offer_ended>(ended.changes, customer));
  CHECK(tells<domain::notices::offer_ended>(ended.changes, other_customer));
  CHECK(m.reservations_of(customer)[0].reservation.status == domain::reservation_status::cancelled);
  CHECK_FALSE(m.offer(market::resume_offer{id, owner, m.now}).ok);
}

TEMPLATE_TEST_CASE("the owner edits price and quantity, and reads the reservations",
                   "[integration][market][contract]", in_memory, with_actors) {
  contract<TestType> m;
  const auto id = m.croissants_on_sale(5);
  m.reserve(id, customer, 2, "u:1");

  CHECK_FALSE(m.offer(market::list_reservations{id, customer}).allowed);
  auto listed = m.offer(market::list_reservations{id, owner});
  REQUIRE(listed.ok);
  CHECK(listed.reservations.size() == 1);

  auto below = m.offer(market::edit_quantity{id, owner, 1, m.now});
  CHECK_FALSE(below.ok);
  CHECK(below.reason_key == "offer.refused.below_reserved");
  auto priced = m.offer(market::edit_price{id, owner, 3000000, 1500000, m.now});
  REQUIRE(priced.ok);
  CHECK(priced.offer.deal_price == 1500000);
  auto resized = m.offer(market::edit_quantity{id, owner, 2, m.now});
  REQUIRE(resized.ok);
  CHECK(resized.offer.state == domain::offer_state::sold_out);
  CHECK_FALSE(m.offer(market::edit_price{id, customer, 3000000, 1000000, m.now}).allowed);
}

TEMPLATE_TEST_CASE("an unknown offer is not found, whatever is asked",
                   "[integration][market][contract]", in_memory, with_actors) {
  contract<TestType> m;
  CHECK_FALSE(m.offer(market::view_offer{404, customer}).found);
  CHECK_FALSE(m.reserve(404, customer, 1, "u:1").found);
  CHECK_FALSE(m.offer(market::cancel_reservation{404, customer, 1, m.now}).found);
  CHECK_FALSE(m.offer(market::end_offer{404, owner, m.now}).found);
  CHECK_FALSE(m.offer(market::list_reservations{404, owner}).found);
  CHECK(m.offer(market::view_offer{404, customer}).reason_key == "offer.refused.not_found");
}

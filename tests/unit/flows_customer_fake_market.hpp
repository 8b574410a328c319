#pragma once
// An in-memory market for driving the customer flows without actors: offers live in
// domain::offer_book, as in the offer actors, and answers come at once or, when `deferred`, only
// when the test runs them, the way actor replies arrive after the flow function returned.

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <vector>

#include <catch2/catch.hpp>

#include "config/settings.hpp"
#include "domain/offer_book.hpp"
#include "domain/pickup_code.hpp"
#include "domain/ui_texts.hpp"
#include "flows/dispatcher.hpp"
#include "flows/services.hpp"
#include "flows/turn.hpp"

namespace lastcall::tests {

inline constexpr int64_t test_now = 1'700'000'000;  // 2023-11-14 22:13:20 UTC

class fake_market : public flows::services {
 public:
  explicit fake_market(const config::settings& settings) : settings_(settings) {}

  bool deferred = false;
  std::vector<flows::offer_request> requests;  // every offer() request, in order
  int listing_calls = 0;

  domain::business add_business(int64_t owner_id, const std::string& name, double latitude,
                                double longitude) {
    domain::business b;
    b.id = next_business_++;
    b.owner_id = owner_id;
    b.name = name;
    b.address = name + " street 1";
    b.latitude = latitude;
    b.longitude = longitude;
    b.status = domain::business_status::verified;
    businesses_[b.id] = b;
    return b;
  }

  // An active offer whose pickup window starts in two hours and lasts two.
  int64_t add_offer(const domain::business& b, const std::string& title, int32_t quantity,
                    int64_t original = 5000000, int64_t deal = 2000000) {
    domain::offer o;
    o.id = next_offer_++;
    o.business_id = b.id;
    o.title = title;
    o.original_price = original;
    o.deal_price = deal;
    o.currency = "UZS";
    o.quantity_total = quantity;
    o.pickup_start = test_now + 2 * 3600;
    o.pickup_end = test_now + 4 * 3600;
    o.state = domain::offer_state::active;
    books_[o.id] = std::make_unique<domain::offer_book>(o, std::vector<domain::reservation>{});
    return o.id;
  }

  domain::offer_book& book(int64_t offer_id) { return *books_.at(offer_id); }

  // Runs the answers a deferred market holds back.
  void answer_all() {
    while (!pending_.empty()) {
      auto next = std::move(pending_.front());
      pending_.erase(pending_.begin());
      next();
    }
  }
  size_t pending() const { return pending_.size(); }

  // ---- flows::services

  void offer(int64_t offer_id, flows::offer_request req,
             flows::reply<flows::offer_reply> done) override {
    requests.push_back(req);
    later([this, offer_id, req, done] { done(answer(offer_id, req)); });
  }

  void offer_page(domain::page_query query, flows::reply<domain::offer_page> done) override {
    ++listing_calls;
    later([this, query, done] {
      std::vector<domain::offer_listing> all;
      for (auto& [id, book] : books_) {
        const auto& o = book->state();
        const auto& b = businesses_.at(o.business_id);
        domain::offer_listing l;
        l.offer_id = o.id;
        l.business_id = b.id;
        l.title = o.title;
        l.business_name = b.name;
        l.original_price = o.original_price;
        l.deal_price = o.deal_price;
        l.left = o.quantity_left();
        l.pickup_start = o.pickup_start;
        l.pickup_end = o.pickup_end;
        l.where = {b.latitude, b.longitude};
        l.state = o.state;
        all.push_back(l);
      }
      done(domain::ranked_page(all, query));
    });
  }

  void reservations_of_customer(int64_t customer_id,
                                flows::reply<std::vector<flows::reservation_entry>> done) override {
    later([this, customer_id, done] {
      std::vector<flows::reservation_entry> entries;
      for (auto& [id, book] : books_)
        for (const auto& r : book->reservations())
          if (r.customer_id == customer_id)
            entries.push_back({r, book->state(), businesses_.at(book->state().business_id)});
      std::sort(entries.begin(), entries.end(),
                [](const auto& a, const auto& b) { return a.reservation.id > b.reservation.id; });
      done(entries);
    });
  }

  void business_of_owner(int64_t, flows::reply<std::optional<domain::business>>) override {
    unexpected();
  }
  void business_by_id(int64_t, flows::reply<std::optional<domain::business>>) override {
    unexpected();
  }
  void register_business(domain::business, int64_t, flows::reply<flows::business_reply>) override {
    unexpected();
  }
  void decide_business(int64_t, int64_t, bool, const std::string&, int64_t,
                       flows::reply<flows::business_reply>) override {
    unexpected();
  }
  void pending_businesses(flows::reply<std::vector<domain::business>>) override { unexpected(); }
  void create_offer(domain::offer, int64_t, int64_t, flows::reply<flows::offer_reply>) override {
    unexpected();
  }
  void offers_of_business(int64_t, flows::reply<std::vector<domain::offer>>) override {
    unexpected();
  }
  void collect(int64_t, const std::string&, int64_t, flows::reply<flows::offer_reply>) override {
    unexpected();
  }
  void stats(flows::reply<flows::market_stats>) override { unexpected(); }
  void take_snapshot(flows::reply<flows::snapshot_report>) override { unexpected(); }
  std::vector<int64_t> admin_ids() const override { return {}; }
  std::string bot_username() const override { return "lastcall_test_bot"; }

 private:
  static void unexpected() { throw std::logic_error("the customer flows do not use this"); }

  void later(std::function<void()> f) {
    if (deferred)
      pending_.push_back(std::move(f));
    else
      f();
  }

  flows::offer_reply answer(int64_t offer_id, const flows::offer_request& req) {
    flows::offer_reply r;
    auto it = books_.find(offer_id);
    if (it == books_.end()) return r;
    auto& book = *it->second;
    r.found = true;
    r.allowed = true;
    if (req.what == flows::offer_request::kind::reserve) {
      const int64_t id = next_reservation_++;
      auto result = book.reserve(req.user_id, req.quantity, req.now, req.idempotency_key, id,
                                 domain::make_pickup_code(id, 42), settings_.max_items_per_customer,
                                 businesses_.at(book.state().business_id).owner_id);
      r.ok = result.ok();
      r.outcome = domain::to_string(result.kind);
      r.reason_key = result.reason_key();
      r.may_take = result.may_take;
      r.reservation = result.reservation;
      if (result.kind == domain::reserve_result::outcome::reserved) {
        r.changes.offers.push_back(book.state());
        r.changes.reservations.push_back(*result.reservation);
      }
    } else if (req.what == flows::offer_request::kind::cancel) {
      auto result = book.cancel(req.reservation_id, req.user_id, req.now,
                                settings_.cancel_cutoff_minutes * 60);
      r.ok = result.ok();
      r.outcome = domain::to_string(result.kind);
      r.reason_key = result.reason_key();
      r.allowed = result.kind != domain::cancel_result::outcome::not_yours;
      r.reservation = result.reservation;
      if (r.ok) {
        r.changes.offers.push_back(book.state());
        r.changes.reservations.push_back(*result.reservation);
      }
    }
    r.offer = book.state();
    r.business = businesses_.at(r.offer.business_id);
    r.left = r.offer.quantity_left();
    r.held_by_user = book.held_by(req.user_id);
    return r;
  }

  const config::settings& settings_;
  std::map<int64_t, domain::business> businesses_;
  std::map<int64_t, std::unique_ptr<domain::offer_book>> books_;
  std::vector<std::function<void()>> pending_;
  int64_t next_business_ = 1;
  int64_t next_offer_ = 1;
  int64_t next_reservation_ = 1;
};

// One customer talking to the flows: updates in, the recorded effects out.
struct customer_harness {
  config::settings settings;
  domain::session_state session;
  fake_market market{settings};
  int64_t user_id = 10;
  int64_t next_update_id = 1;
  int64_t now = test_now;

  customer_harness() { settings.currency = "UZS"; }

  telegram::update message_update() {
    telegram::update u;
    u.update_id = next_update_id++;
    telegram::message m;
    m.message_id = u.update_id;
    m.chat_id = user_id;
    m.chat_type = "private";
    m.from = telegram::user{user_id, false, "Ann", "", "en"};
    u.message = m;
    return u;
  }

  persistence::unit_of_work says(const std::string& text) {
    auto u = message_update();
    u.message->text = text;
    return run(u);
  }

  persistence::unit_of_work shares_location(double latitude, double longitude) {
    auto u = message_update();
    u.message->location = telegram::location{latitude, longitude};
    return run(u);
  }

  persistence::unit_of_work taps(const std::string& data, int64_t message_id = 77) {
    telegram::update u;
    u.update_id = next_update_id++;
    telegram::callback_query q;
    q.id = "q" + std::to_string(u.update_id);
    q.from = telegram::user{user_id, false, "Ann", "", "en"};
    q.chat_id = user_id;
    q.message_id = message_id;
    q.data = data;
    u.callback_query = q;
    return run(u);
  }

  persistence::unit_of_work run(const telegram::update& u) {
    flows::turn t(u, session, settings, domain::ui_texts::builtin(), now);
    flows::default_dispatcher().dispatch(t, market);
    bool done = false;
    t.start([&] { done = true; });
    market.answer_all();
    REQUIRE(done);
    return std::move(t.unit());
  }
};

// The calls of a unit by method.
inline std::vector<telegram::api_call> calls(const persistence::unit_of_work& unit,
                                             const std::string& method) {
  std::vector<telegram::api_call> found;
  for (const auto& call : unit.outbox)
    if (call.method == method) found.push_back(call);
  return found;
}

inline std::string popup(const persistence::unit_of_work& unit) {
  auto answers = calls(unit, "answerCallbackQuery");
  REQUIRE(answers.size() == 1);
  return answers[0].params.value("text", "");
}

inline bool alert(const persistence::unit_of_work& unit) {
  auto answers = calls(unit, "answerCallbackQuery");
  REQUIRE(answers.size() == 1);
  return answers[0].params.value("show_alert", false);
}

// Every callback_data of an inline keyboard, row by row.
inline std::vector<std::string> button_data(const nlohmann::json& markup) {
  std::vector<std::string> data;
  if (!markup.is_object() || !markup.contains("inline_keyboard")) return data;
  for (const auto& row : markup["inline_keyboard"])
    for (const auto& button : row) data.push_back(button.value("callback_data", ""));
  return data;
}

inline std::vector<std::string> button_texts(const nlohmann::json& markup) {
  std::vector<std::string> texts;
  if (!markup.is_object() || !markup.contains("inline_keyboard")) return texts;
  for (const auto& row : markup["inline_keyboard"])
    for (const auto& button : row) texts.push_back(button.value("text", ""));
  return texts;
}

}  // namespace lastcall::tests

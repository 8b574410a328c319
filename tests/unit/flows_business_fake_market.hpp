#pragma once
// The business conversations driven without actors: an in-memory market behind flows::services
// (the real offer rules, via domain::offer_book) and a chat that runs updates through a dispatcher
// the way a session does, delivering notifications to their users' sessions afterwards.

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "domain/offer_book.hpp"
#include "domain/pickup_code.hpp"
#include "domain/ui_texts.hpp"
#include "flows/business.hpp"
#include "flows/dispatcher.hpp"
#include "flows/general.hpp"
#include "flows/notice_rendering.hpp"
#include "flows/services.hpp"
#include "flows/turn.hpp"

namespace lastcall::business_test {

using namespace lastcall;

class fake_market : public flows::services {
 public:
  explicit fake_market(std::vector<int64_t> admins) : admins_(std::move(admins)) {}

  // ---- Test set-up and inspection
  domain::business& add_business(int64_t owner, domain::business_status status,
                                 const std::string& name = "Bakery Nord") {
    domain::business b;
    b.id = next_business_++;
    b.owner_id = owner;
    b.name = name;
    b.address = "Main St 1";
    b.phone = "+998901234567";
    b.status = status;
    return businesses_[b.id] = b;
  }
  std::optional<domain::business> business(int64_t id) const {
    auto it = businesses_.find(id);
    if (it == businesses_.end()) return std::nullopt;
    return it->second;
  }
  const domain::offer& offer_state(int64_t id) const { return books_.at(id)->state(); }
  bool has_offer(int64_t id) const { return books_.count(id) > 0; }
  std::vector<int64_t> offer_ids() const {
    std::vector<int64_t> ids;
    for (const auto& [id, book] : books_) ids.push_back(id);
    return ids;
  }
  // Reserves as a customer would and returns the pickup code.
  std::string reserve(int64_t offer_id, int64_t customer, int32_t quantity, int64_t now) {
    const auto id = next_reservation_++;
    auto& book = *books_.at(offer_id);
    auto result = book.reserve(customer, quantity, now, "", id, domain::make_pickup_code(id, 4242),
                               100, businesses_.at(book.state().business_id).owner_id);
    REQUIRE(result.ok());
    return result.reservation->code;
  }

  // ---- flows::services
  void business_of_owner(int64_t owner_id,
                         flows::reply<std::optional<domain::business>> done) override {
    done(of_owner(owner_id));
  }
  void business_by_id(int64_t id, flows::reply<std::optional<domain::business>> done) override {
    done(business(id));
  }
  void register_business(domain::business application, int64_t now,
                         flows::reply<flows::business_reply> done) override {
    flows::business_reply r;
    auto existing = of_owner(application.owner_id);
    if (existing && existing->status != domain::business_status::rejected) {
      r.kind = flows::business_reply::outcome::already_registered;
      r.business = existing;
      return done(std::move(r));
    }
    application.id = next_business_++;
    application.status = domain::business_status::pending;
    application.created_at = now;
    businesses_[application.id] = application;
    for (auto admin : admins_)
      r.changes.notices.push_back({0, admin, domain::notices::new_application{application.id}});
    r.kind = flows::business_reply::outcome::ok;
    r.business = application;
    r.changes.businesses.push_back(application);
    done(std::move(r));
  }
  void decide_business(int64_t id, int64_t admin_id, bool approve, const std::string& reason,
                       int64_t, flows::reply<flows::business_reply> done) override {
    flows::business_reply r;
    using outcome = flows::business_reply::outcome;
    auto it = businesses_.find(id);
    if (std::find(admins_.begin(), admins_.end(), admin_id) == admins_.end()) {
      r.kind = outcome::not_allowed;
    } else if (it == businesses_.end()) {
      r.kind = outcome::not_found;
    } else if (it->second.status != domain::business_status::pending) {
      r.kind = outcome::already_decided;
      r.business = it->second;
    } else {
      auto& b = it->second;
      b.status = approve ? domain::business_status::verified : domain::business_status::rejected;
      b.decided_by = admin_id;
      b.reject_reason = approve ? "" : reason;
      r.kind = outcome::ok;
      r.business = b;
      r.changes.businesses.push_back(b);
      r.changes.notices.push_back({0, b.owner_id, domain::notices::business_decided{b.id}});
    }
    done(std::move(r));
  }
  void pending_businesses(flows::reply<std::vector<domain::business>> done) override {
    std::vector<domain::business> result;
    for (const auto& [id, b] : businesses_)
      if (b.status == domain::business_status::pending) result.push_back(b);
    done(result);
  }
  void create_offer(domain::offer draft, int64_t owner_id, int64_t now,
                    flows::reply<flows::offer_reply> done) override {
    flows::offer_reply r;
    r.found = true;
    auto b = of_owner(owner_id);
    if (!b || b->status != domain::business_status::verified) {
      r.reason_key = "offer.refused.not_verified";
      return done(std::move(r));
    }
    draft.id = next_offer_++;
    draft.business_id = b->id;
    draft.state = domain::offer_state::draft;
    draft.created_at = now;
    books_[draft.id] =
        std::make_unique<domain::offer_book>(draft, std::vector<domain::reservation>{});
    r.allowed = r.ok = true;
    r.offer = draft;
    r.business = *b;
    r.changes.offers.push_back(draft);
    done(std::move(r));
  }
  void offer(int64_t id, flows::offer_request req, flows::reply<flows::offer_reply> done) override {
    flows::offer_reply r;
    auto it = books_.find(id);
    if (it == books_.end()) return done(std::move(r));
    auto& book = *it->second;
    r.found = true;
    r.offer = book.state();
    r.business = businesses_.at(book.state().business_id);
    using kind = flows::offer_request::kind;
    const bool owner = req.user_id == r.business.owner_id;
    if (req.what == kind::view) {
      r.allowed = r.ok = true;
      return done(std::move(r));
    }
    if (!owner) {
      r.reason_key = "offer.refused.not_yours";
      return done(std::move(r));
    }
    r.allowed = true;
    if (req.what == kind::reservations) {
      r.ok = true;
      r.reservations = book.reservations();
      return done(std::move(r));
    }
    domain::transition_result result;
    switch (req.what) {
      case kind::publish:
        result = book.publish(req.now);
        break;
      case kind::pause:
        result = book.pause();
        break;
      case kind::resume:
        result = book.resume(req.now);
        break;
      case kind::end:
        result = book.end(req.now);
        break;
      case kind::edit_price:
        result = book.edit_price(req.original_price, req.deal_price);
        break;
      case kind::edit_quantity:
        result = book.edit_quantity(req.quantity);
        break;
      default:
        FAIL("the business flows sent an unexpected request");
    }
    r.ok = result.ok;
    r.reason_key = result.reason_key;
    r.offer = book.state();
    if (r.ok) r.changes.offers.push_back(book.state());
    done(std::move(r));
  }
  void offers_of_business(int64_t business_id,
                          flows::reply<std::vector<domain::offer>> done) override {
    std::vector<domain::offer> result;
    for (auto it = books_.rbegin(); it != books_.rend(); ++it)
      if (it->second->state().business_id == business_id) result.push_back(it->second->state());
    done(result);
  }
  void collect(int64_t owner_id, const std::string& code, int64_t now,
               flows::reply<flows::offer_reply> done) override {
    flows::offer_reply r;
    r.found = true;
    auto b = of_owner(owner_id);
    if (!b || b->status != domain::business_status::verified) {
      r.reason_key = "collect.no_business";
      return done(std::move(r));
    }
    for (auto& [id, book] : books_) {
      if (!book->by_code(code)) continue;
      auto result = book->collect(code, b->id, now);
      r.allowed = result.kind != domain::collect_result::outcome::not_yours;
      r.ok = result.ok();
      r.reason_key = result.reason_key();
      r.reservation = result.reservation;
      r.offer = book->state();
      return done(std::move(r));
    }
    r.allowed = true;
    r.reason_key = "collect.wrong_code";
    done(std::move(r));
  }
  void offer_page(domain::page_query, flows::reply<domain::offer_page> done) override { done({}); }
  void reservations_of_customer(int64_t,
                                flows::reply<std::vector<flows::reservation_entry>> done) override {
    done({});
  }
  void stats(flows::reply<flows::market_stats> done) override {
    flows::market_stats s;
    for (const auto& [id, b] : businesses_) {
      if (b.status == domain::business_status::pending) ++s.businesses_pending;
      if (b.status == domain::business_status::verified) ++s.businesses_verified;
      if (b.status == domain::business_status::rejected) ++s.businesses_rejected;
    }
    for (const auto& [id, book] : books_)
      if (book->state().state == domain::offer_state::active) ++s.offers_active;
    done(s);
  }
  // Answers with `snapshot_answer` and counts the requests.
  void take_snapshot(flows::reply<flows::snapshot_report> done) override {
    ++snapshots_taken;
    done(snapshot_answer);
  }

  flows::snapshot_report snapshot_answer{true, "/srv/lastcall/snapshots/snapshot-42.json", 42};
  int snapshots_taken = 0;
  std::vector<int64_t> admin_ids() const override { return admins_; }
  std::string bot_username() const override { return "lastcall_bot"; }

 private:
  std::optional<domain::business> of_owner(int64_t owner) const {
    std::optional<domain::business> found;
    for (const auto& [id, b] : businesses_)
      if (b.owner_id == owner) found = b;  // the newest application
    return found;
  }

  std::vector<int64_t> admins_;
  std::map<int64_t, domain::business> businesses_;
  std::map<int64_t, std::unique_ptr<domain::offer_book>> books_;
  int64_t next_business_ = 1, next_offer_ = 1, next_reservation_ = 1;
};

// A bot message as the user sees it.
struct bot_message {
  int64_t chat = 0;
  std::string method;  // sendMessage, sendPhoto, editMessageText, answerCallbackQuery
  std::string text;    // text, caption or callback answer
  nlohmann::json markup;
  bool alert = false;
};

// Runs updates through the business flows (and the general ones, for the main menu) as sessions
// would, one turn per update, then renders the notifications the turn caused for their users.
class chat {
 public:
  static constexpr int64_t start_time = 1'767'261'600;  // 2026-01-01 10:00 UTC, 15:00 in Tashkent

  explicit chat(std::vector<int64_t> admins) : market(admins) {
    settings.admin_ids = std::move(admins);
    flows::add_general_handlers(dispatcher);
    flows::add_business_handlers(dispatcher);
  }

  std::vector<bot_message> says(int64_t user, const std::string& text) {
    auto u = message_update(user);
    u.message->text = text;
    return run(u);
  }
  std::vector<bot_message> shares_location(int64_t user, double latitude, double longitude) {
    auto u = message_update(user);
    u.message->location = telegram::location{latitude, longitude};
    return run(u);
  }
  std::vector<bot_message> shares_contact(int64_t user, const std::string& phone) {
    auto u = message_update(user);
    u.message->contact = telegram::contact{phone, "Ann", user};
    return run(u);
  }
  std::vector<bot_message> sends_photo(int64_t user, const std::string& file_id) {
    auto u = message_update(user);
    u.message->photo = {{file_id + "-small", file_id + "-s", 90, 90}, {file_id, file_id, 800, 800}};
    return run(u);
  }
  std::vector<bot_message> taps(int64_t user, const std::string& data, int64_t message_id = 77) {
    telegram::update u;
    u.update_id = next_update_++;
    telegram::callback_query q;
    q.id = "q" + std::to_string(u.update_id);
    q.from = telegram::user{user, false, "Ann", "", "en"};
    q.chat_id = user;
    q.message_id = message_id;
    q.data = data;
    u.callback_query = q;
    return run(u);
  }

  // Renders a stored notice for `user` the way their session would: nothing when it cannot be
  // read.
  std::vector<bot_message> receives(int64_t user, const std::string& kind,
                                    const nlohmann::json& data) {
    auto notice = domain::read_notice(kind, data);
    return notice ? receives(user, *notice) : std::vector<bot_message>{};
  }
  std::vector<bot_message> receives(int64_t user, const domain::notice& notice) {
    flows::turn t(user, sessions[user], settings, domain::ui_texts::builtin(), now);
    flows::render_notice(t, market, notice);
    bool delivered = false;
    t.start([&] { delivered = true; });
    REQUIRE(delivered);
    return rendered(t.unit());
  }

  domain::session_state& session(int64_t user) { return sessions[user]; }
  // Everything the users were sent by the notices the last turn committed, by user.
  std::map<int64_t, std::vector<bot_message>> notified;
  // The rows the last turn committed.
  persistence::unit_of_work committed;

  fake_market market;
  config::settings settings;
  flows::dispatcher dispatcher;
  std::map<int64_t, domain::session_state> sessions;
  int64_t now = start_time;

 private:
  telegram::update message_update(int64_t user) {
    telegram::update u;
    u.update_id = next_update_++;
    telegram::message m;
    m.message_id = u.update_id;
    m.chat_id = user;
    m.chat_type = "private";
    m.from = telegram::user{user, false, "Ann", "", "en"};
    u.message = m;
    return u;
  }

  static std::vector<bot_message> rendered(const persistence::unit_of_work& unit) {
    std::vector<bot_message> out;
    for (const auto& call : unit.outbox) {
      bot_message m;
      m.chat = call.chat_id;
      m.method = call.method;
      if (call.params.contains("text")) m.text = call.params["text"].get<std::string>();
      if (call.params.contains("caption")) m.text = call.params["caption"].get<std::string>();
      if (call.params.contains("reply_markup")) m.markup = call.params["reply_markup"];
      m.alert = call.params.value("show_alert", false);
      out.push_back(std::move(m));
    }
    return out;
  }

  std::vector<bot_message> run(const telegram::update& u) {
    const auto user = u.user_id();
    flows::turn t(u, sessions[user], settings, domain::ui_texts::builtin(), now);
    dispatcher.dispatch(t, market);
    bool done = false;
    t.start([&] { done = true; });
    REQUIRE(done);
    committed = std::move(t.unit());
    notified.clear();
    for (auto& n : committed.notices)
      for (auto& m : receives(n.user_id, n.notice)) notified[n.user_id].push_back(std::move(m));
    return rendered(committed);
  }

  int64_t next_update_ = 1000;
};

// The callback data of the inline button whose label contains `label`, or empty.
inline std::string button(const bot_message& m, const std::string& label) {
  if (!m.markup.is_object() || !m.markup.contains("inline_keyboard")) return {};
  for (const auto& row : m.markup["inline_keyboard"])
    for (const auto& b : row)
      if (b.value("text", "").find(label) != std::string::npos) return b.value("callback_data", "");
  return {};
}

// The labels of a reply keyboard, row after row.
inline std::vector<std::string> keyboard_labels(const bot_message& m) {
  std::vector<std::string> labels;
  if (!m.markup.is_object() || !m.markup.contains("keyboard")) return labels;
  for (const auto& row : m.markup["keyboard"])
    for (const auto& b : row) labels.push_back(b.value("text", ""));
  return labels;
}

inline std::string all_text(const std::vector<bot_message>& messages) {
  std::string text;
  for (const auto& m : messages) text += m.text + "\n";
  return text;
}

}  // namespace lastcall::business_test

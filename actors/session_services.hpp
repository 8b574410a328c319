#pragma once
// flows::services for a session actor: each call is a request to the market (or, delegated by it,
// to an offer actor) whose answer arrives in the session's own mailbox, so flows continue on the
// session's thread and never need a lock. Self is the session actor's pointer type.

#include <memory>

#include <caf/all.hpp>

#include "actors/history_reader.hpp"
#include "actors/market_actor.hpp"
#include "actors/offer_actor.hpp"
#include "actors/persistence_actor.hpp"
#include "config/settings.hpp"
#include "flows/services.hpp"
#include "logs/event.hpp"

namespace lastcall::actors {

template <class Self>
class session_services : public flows::services {
 public:
  session_services(Self self, market_actor market, std::shared_ptr<const config::settings> settings,
                   std::string bot_username)
      : self_(self),
        market_(std::move(market)),
        settings_(std::move(settings)),
        bot_username_(std::move(bot_username)) {}

  void business_of_owner(int64_t owner_id,
                         flows::reply<std::optional<domain::business>> done) override {
    ask<std::optional<domain::business>>(std::move(done), std::nullopt, owner_atom::value,
                                         owner_id);
  }
  void business_by_id(int64_t id, flows::reply<std::optional<domain::business>> done) override {
    ask<std::optional<domain::business>>(std::move(done), std::nullopt, business_atom::value, id);
  }
  void register_business(domain::business application, int64_t now,
                         flows::reply<flows::business_reply> done) override {
    ask<flows::business_reply>(std::move(done), flows::business_reply{}, register_atom::value,
                               std::move(application), now);
  }
  void decide_business(int64_t business_id, int64_t admin_id, bool approve,
                       const std::string& reason, int64_t,
                       flows::reply<flows::business_reply> done) override {
    ask<flows::business_reply>(std::move(done), flows::business_reply{}, decide_atom::value,
                               business_id, admin_id, approve, reason);
  }
  void pending_businesses(flows::reply<std::vector<domain::business>> done) override {
    ask<std::vector<domain::business>>(std::move(done), {}, pending_atom::value);
  }
  void create_offer(domain::offer draft, int64_t owner_id, int64_t now,
                    flows::reply<flows::change_reply> done) override {
    flows::change_reply unavailable;
    unavailable.reason_key = "error.internal";
    ask<flows::change_reply>(std::move(done), std::move(unavailable), create_atom::value,
                             std::move(draft), owner_id, now);
  }
  void offers_of_business(int64_t business_id,
                          flows::reply<std::vector<domain::offer>> done) override {
    ask<std::vector<domain::offer>>(std::move(done), {}, offers_atom::value, business_id);
  }
  void collect(int64_t owner_id, const std::string& code, int64_t now,
               flows::reply<flows::collect_reply> done) override {
    flows::collect_reply unavailable;
    unavailable.reason_key = "error.internal";
    ask<market::offer_outcome>(
        [done = std::move(done)](market::offer_outcome outcome) {
          done(std::get<flows::collect_reply>(std::move(outcome)));
        },
        market::offer_outcome{std::move(unavailable)}, collect_atom::value, owner_id, code, now);
  }
  void offer_page(domain::page_query query, flows::reply<domain::offer_page> done) override {
    ask<domain::offer_page>(std::move(done), {}, listings_atom::value, query);
  }
  void reservations_of_customer(int64_t customer_id,
                                flows::reply<std::vector<flows::reservation_entry>> done) override {
    ask<std::vector<flows::reservation_entry>>(std::move(done), {}, customer_atom::value,
                                               customer_id);
  }
  void stats(flows::reply<flows::market_stats> done) override {
    ask<flows::market_stats>(std::move(done), {}, stats_atom::value);
  }
  // The past is read by the history reader, not the market: it is in the tables, not in memory.
  void past_reservations(
      int64_t customer_id, int64_t offset,
      flows::reply<std::optional<domain::reservation_history_page>> done) override {
    read_history(std::move(done), history_atom::value, customer_id, offset);
  }
  void period_figures(domain::time_span span,
                      flows::reply<std::optional<domain::period_figures>> done) override {
    read_history(std::move(done), report_atom::value, span.from, span.to);
  }
  // Asks the persistence actor directly: snapshots are its business, not the market's. Self is
  // the session actor's pointer, whose state holds the persistence handle.
  void take_snapshot(flows::reply<flows::snapshot_report> done) override {
    self_
        ->request(self_->state.deps.persistence, caf::infinite, snapshot_atom::value,
                  settings_->snapshot_folder())
        .then(
            [done](snapshot_outcome& out) {
              flows::snapshot_report report;
              report.ok = out.ok;
              report.path = std::move(out.path);
              report.event_seq = out.event_seq;
              done(std::move(report));
            },
            [done](caf::error& err) {
              logs::error(logs::event("session", "snapshot_request_failed"),
                          "snapshot request failed: {}", to_string(err));
              done(flows::snapshot_report{});
            });
  }
  std::vector<int64_t> admin_ids() const override { return settings_->admin_ids; }
  std::string bot_username() const override { return bot_username_; }

 protected:
  void send_to_offer(market::offer_operation operation,
                     flows::reply<market::offer_outcome> done) override {
    auto unavailable = market::unanswered(operation, "error.internal");
    ask<market::offer_outcome>(std::move(done), std::move(unavailable), std::move(operation));
  }

 private:
  // A request to the market; when it fails (the market is gone: shutdown) the flow still gets an
  // answer.
  template <class T, class... Ts>
  void ask(flows::reply<T> done, T fallback, Ts&&... xs) {
    self_->request(market_, caf::infinite, std::forward<Ts>(xs)...)
        .then([done](T& value) { done(std::move(value)); },
              [done, fallback](caf::error& err) {
                logs::error(logs::event("session", "market_request_failed"),
                            "market request failed: {}", to_string(err));
                done(fallback);
              });
  }

  // A request to the history reader; nothing when there is none or it cannot read now.
  template <class T, class... Ts>
  void read_history(flows::reply<std::optional<T>> done, Ts... xs) {
    const auto& reader = self_->state.deps.history;
    if (!reader) {
      done(std::nullopt);
      return;
    }
    self_->request(reader, caf::infinite, xs...)
        .then([done](T& value) { done(std::move(value)); },
              [done](caf::error& err) {
                logs::warn(logs::event("session", "history_request_failed"),
                           "reading the history failed: {}", to_string(err));
                done(std::nullopt);
              });
  }

  Self self_;
  market_actor market_;
  std::shared_ptr<const config::settings> settings_;
  std::string bot_username_;
};

}  // namespace lastcall::actors

#pragma once
// flows::services in memory, on the market's own classes (market::market_book and one
// market::live_offer per offer), for driving the chat flows without actors. The contract suite
// (tests/integration/market_contract_test.cpp) holds it and the actors to the same behaviour.
//
// Answers come at once or, when `deferred`, only when the test runs them, the way actor replies
// arrive after the flow function returned. Settings are read at every call, so a test may change
// them between turns.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "config/settings.hpp"
#include "flows/services.hpp"
#include "market/live_offer.hpp"
#include "market/market_book.hpp"

namespace lastcall::testing {

class in_memory_market : public flows::services {
 public:
  explicit in_memory_market(const config::settings& settings);

  // ---- Arranging a market

  // A business as stored, with the next id: verified by default, at Main St 1.
  domain::business add_business(int64_t owner_id, domain::business_status status,
                                const std::string& name = "Bakery Nord");
  // A verified business at a place.
  domain::business add_business(int64_t owner_id, const std::string& name, double latitude,
                                double longitude);
  // An active offer of the business whose pickup window starts two hours after `arranged_at` and
  // lasts two; returns its id.
  int64_t add_offer(const domain::business& b, const std::string& title, int32_t quantity,
                    int64_t original_price = 5000000, int64_t deal_price = 2000000);
  int64_t arranged_at = 0;
  // An offer's book, to arrange or inspect directly; the read models follow it at the next call.
  domain::offer_book& book(int64_t offer_id);
  const domain::offer& offer_state(int64_t offer_id) const { return offers_.at(offer_id).state(); }
  bool has_offer(int64_t offer_id) const { return offers_.count(offer_id) > 0; }
  std::vector<int64_t> offer_ids() const;
  std::optional<domain::business> business(int64_t id) const { return book_.business(id); }
  // Reserves as a customer would and returns the pickup code.
  std::string reserve(int64_t offer_id, int64_t customer_id, int32_t quantity, int64_t now);

  // ---- Watching it

  bool deferred = false;
  // Every operation asked of an offer, in order.
  std::vector<market::offer_operation> operations;
  // How many times each other service was asked, by name ("offer_page", "collect", ...).
  std::map<std::string, int> asked;
  // Runs the answers a deferred market holds back.
  void answer_all();
  size_t pending() const { return pending_.size(); }

  // False: past_reservations answers that the database cannot be read.
  bool history_readable = true;
  // What period_figures answers (nothing: the database could not be read), and the spans asked.
  std::optional<domain::period_figures> figures_answer;
  std::vector<domain::time_span> spans_asked;
  // What take_snapshot answers, and how often it was asked.
  flows::snapshot_report snapshot_answer{true, "/srv/lastcall/snapshots/snapshot-42.json", 42};
  int snapshots_taken = 0;
  std::string username = "lastcall_bot";

  // ---- flows::services
  void business_of_owner(int64_t owner_id,
                         flows::reply<std::optional<domain::business>> done) override;
  void business_by_id(int64_t id, flows::reply<std::optional<domain::business>> done) override;
  void register_business(domain::business application, int64_t now,
                         flows::reply<flows::business_reply> done) override;
  void decide_business(int64_t business_id, int64_t admin_id, bool approve,
                       const std::string& reason, int64_t now,
                       flows::reply<flows::business_reply> done) override;
  void pending_businesses(flows::reply<std::vector<domain::business>> done) override;
  void create_offer(domain::offer draft, int64_t owner_id, int64_t now,
                    flows::reply<flows::change_reply> done) override;
  void offers_of_business(int64_t business_id,
                          flows::reply<std::vector<domain::offer>> done) override;
  void collect(int64_t owner_id, const std::string& code, int64_t now,
               flows::reply<flows::collect_reply> done) override;
  void offer_page(domain::page_query query, flows::reply<domain::offer_page> done) override;
  void reservations_of_customer(int64_t customer_id,
                                flows::reply<std::vector<flows::reservation_entry>> done) override;
  void stats(flows::reply<flows::market_stats> done) override;
  // The customer's reservations that are no longer active, from this market's memory: the flows
  // see the same page the history reader would read from the tables.
  void past_reservations(
      int64_t customer_id, int64_t offset,
      flows::reply<std::optional<domain::reservation_history_page>> done) override;
  void period_figures(domain::time_span span,
                      flows::reply<std::optional<domain::period_figures>> done) override;
  void take_snapshot(flows::reply<flows::snapshot_report> done) override;
  std::vector<int64_t> admin_ids() const override { return settings_.admin_ids; }
  std::string bot_username() const override { return username; }

 protected:
  void send_to_offer(market::offer_operation operation,
                     flows::reply<market::offer_outcome> done) override;

 private:
  // A business with the next id, not yet in the market.
  domain::business next_business(int64_t owner_id, domain::business_status status,
                                 const std::string& name);
  void later(const char* service, std::function<void()> answer);
  market::offer_outcome decide(const market::offer_operation& operation);
  // The read models follow the offers' books (which a test may have changed directly).
  void follow_offers();

  const config::settings& settings_;
  market::market_book book_;
  std::map<int64_t, market::live_offer> offers_;
  std::vector<std::function<void()>> pending_;
  int64_t next_business_id_ = 1, next_offer_id_ = 1, next_reservation_id_ = 1;
};

}  // namespace lastcall::testing

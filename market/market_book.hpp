#pragma once
// The market as a whole: the registry of businesses (the one place that decides an application, so
// the first of two racing admins wins), the drafts it creates, and the read models lists need
// (ranked pages of what can be reserved, a business's offers, a customer's reservations, the
// figures admins see), kept current from every change an offer records (observe). Pure: ids and
// times come in as arguments. The market actor is a thin shell over it; the in-memory market of
// the tests runs the same class.

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <variant>
#include <vector>

#include "domain/entities.hpp"
#include "domain/ranking.hpp"
#include "market/offer_operations.hpp"
#include "market/rules.hpp"
#include "persistence/unit_of_work.hpp"

namespace lastcall::market {

struct business_reply {
  enum class outcome {
    ok,
    not_found,
    already_registered,  // register: the owner already has a pending or verified business
    already_decided,     // decide: another admin (or this one) decided first; `business` says how
    not_allowed,         // decide: the user is not an admin
  };
  outcome kind = outcome::not_found;
  std::optional<domain::business> business;
  persistence::unit_of_work changes;
};

using domain::reservation_entry;

struct market_stats {
  int64_t businesses_pending = 0, businesses_verified = 0, businesses_rejected = 0;
  int64_t offers_active = 0, offers_paused = 0, offers_sold_out = 0, offers_draft = 0;
  int64_t items_left = 0, items_reserved = 0, items_collected = 0;
  int64_t sessions_live = 0;
};

class market_book {
 public:
  market_book(market_rules rules, std::vector<domain::business> businesses);

  const market_rules& rules() const { return rules_; }
  void set_rules(market_rules rules) { rules_ = std::move(rules); }
  // Sized once before a load: rehashing while a million reservations went in was 6 % of the
  // start-up's CPU.
  void reserve_room(size_t reservations);

  // ---- Businesses
  std::optional<domain::business> business_of_owner(int64_t owner_id) const;
  std::optional<domain::business> business(int64_t id) const;
  // The application becomes pending as business `id`; every admin is told.
  business_reply register_business(domain::business application, int64_t id, int64_t now);
  // The first decision wins; the owner is told.
  business_reply decide(int64_t business_id, int64_t admin_id, bool approve,
                        const std::string& reason);
  std::vector<domain::business> pending() const;
  size_t business_count() const { return businesses_.size(); }
  // A business as stored (loading, or arranging a test's market).
  void load(domain::business business);

  // ---- Offers
  // A draft offer `id` for the owner's verified business; refused (found, not allowed) when they
  // have none. The shell starts the offer's own decisions (live_offer) from reply.offer when ok.
  change_reply create_offer(domain::offer draft, int64_t owner_id, int64_t id, int64_t now);
  // Keeps the read models current: an offer's state after a change and the reservations it
  // changed. Reports may arrive out of order; the newer version wins.
  void observe(const domain::offer& offer, const std::vector<domain::reservation>& changed);
  // The same from what a change records.
  void observe(const persistence::unit_of_work& changes);
  bool has_offer(int64_t offer_id) const { return offers_.count(offer_id) > 0; }
  // Every offer of the business, newest first.
  std::vector<domain::offer> offers_of_business(int64_t business_id) const;
  // One ranked page of the offers someone can reserve now.
  domain::offer_page page(const domain::page_query& query) const;
  // The customer's reservations, newest first.
  std::vector<reservation_entry> reservations_of(int64_t customer_id) const;
  // Sessions are not the market's: sessions_live is left 0.
  market_stats stats() const;

  // Pickup by code: the operation for the offer that holds it, or the refusal (the owner has no
  // verified business, or no offer has that code).
  std::variant<collect_pickup, collect_reply> route_collect(int64_t owner_id,
                                                            const std::string& code,
                                                            int64_t now) const;

 private:
  void remember(const domain::reservation& r);

  market_rules rules_;
  std::map<int64_t, domain::business> businesses_;
  std::unordered_map<int64_t, int64_t> business_of_owner_;  // owner -> their latest business
  std::map<int64_t, domain::offer> offers_;                 // as of their last change
  // Reservations by id, and the ids of each customer in creation order.
  std::unordered_map<int64_t, domain::reservation> reservations_;
  std::unordered_map<int64_t, std::vector<int64_t>> reservations_of_customer_;
};

}  // namespace lastcall::market

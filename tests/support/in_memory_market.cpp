#include "tests/support/in_memory_market.hpp"

#include <stdexcept>

#include "domain/pickup_code.hpp"
#include "tests/support/bakery_entities.hpp"

namespace lastcall::testing {

namespace {

// Pickup codes are random in the bot; here they depend on the reservation id only.
constexpr uint32_t check_value = 42;

}  // namespace

in_memory_market::in_memory_market(const config::settings& settings)
    : settings_(settings), book_(market::market_rules_of(settings), {}) {}

domain::business in_memory_market::next_business(int64_t owner_id, domain::business_status status,
                                                 const std::string& name) {
  auto b = verified_bakery(next_business_id_++, owner_id);
  b.name = name;
  b.phone = "+998901234567";
  b.status = status;
  return b;
}

domain::business in_memory_market::add_business(int64_t owner_id, domain::business_status status,
                                                const std::string& name) {
  auto b = next_business(owner_id, status, name);
  book_.load(b);
  return b;
}

domain::business in_memory_market::add_business(int64_t owner_id, const std::string& name,
                                                double latitude, double longitude) {
  auto b = next_business(owner_id, domain::business_status::verified, name);
  b.address = name + " street 1";
  b.latitude = latitude;
  b.longitude = longitude;
  book_.load(b);
  return b;
}

int64_t in_memory_market::add_offer(const domain::business& b, const std::string& title,
                                    int32_t quantity, int64_t original_price, int64_t deal_price) {
  domain::offer o;
  o.id = next_offer_id_++;
  o.business_id = b.id;
  o.title = title;
  o.original_price = original_price;
  o.deal_price = deal_price;
  o.currency = settings_.currency;
  o.quantity_total = quantity;
  o.pickup_start = arranged_at + 2 * 3600;
  o.pickup_end = arranged_at + 4 * 3600;
  o.state = domain::offer_state::active;
  o.version = 1;
  offers_[o.id] = market::live_offer(o, {});
  book_.observe(o, {});
  return o.id;
}

domain::offer_book& in_memory_market::book(int64_t offer_id) {
  return offers_.at(offer_id).book();
}

std::vector<int64_t> in_memory_market::offer_ids() const {
  std::vector<int64_t> ids;
  for (const auto& [id, offer] : offers_) ids.push_back(id);
  return ids;
}

std::string in_memory_market::reserve(int64_t offer_id, int64_t customer_id, int32_t quantity,
                                      int64_t now) {
  auto outcome = decide(market::reserve_items{offer_id, customer_id, quantity, now, {}});
  const auto& reply = std::get<market::reserve_reply>(outcome);
  if (!reply.ok || !reply.reservation)
    throw std::logic_error("the arranged reservation was refused: " + reply.reason_key);
  return reply.reservation->code;
}

void in_memory_market::answer_all() {
  while (!pending_.empty()) {
    auto next = std::move(pending_.front());
    pending_.erase(pending_.begin());
    next();
  }
}

void in_memory_market::later(const char* service, std::function<void()> answer) {
  ++asked[service];
  book_.set_rules(market::market_rules_of(settings_));
  if (deferred)
    pending_.push_back(std::move(answer));
  else
    answer();
}

void in_memory_market::follow_offers() {
  for (const auto& [id, offer] : offers_) book_.observe(offer.state(), offer.book().reservations());
}

market::offer_outcome in_memory_market::decide(const market::offer_operation& operation) {
  auto it = offers_.find(market::offer_id_of(operation));
  if (it == offers_.end()) return market::unanswered(operation, "offer.refused.not_found");
  auto business = book_.business(it->second.state().business_id).value_or(domain::business{});
  const auto rules = market::offer_rules_of(settings_);
  const std::function<domain::reservation_identity()> mint = [this] {
    auto id = next_reservation_id_++;
    return domain::reservation_identity{id, domain::make_pickup_code(id, check_value)};
  };
  auto outcome = it->second.answer(operation, market::offer_surroundings{business, rules, mint});
  book_.observe(market::answer_of(outcome).changes);
  return outcome;
}

void in_memory_market::send_to_offer(market::offer_operation operation,
                                     flows::reply<market::offer_outcome> done) {
  operations.push_back(operation);
  later("offer", [this, operation, done] { done(decide(operation)); });
}

void in_memory_market::business_of_owner(int64_t owner_id,
                                         flows::reply<std::optional<domain::business>> done) {
  later("business_of_owner", [this, owner_id, done] { done(book_.business_of_owner(owner_id)); });
}

void in_memory_market::business_by_id(int64_t id,
                                      flows::reply<std::optional<domain::business>> done) {
  later("business_by_id", [this, id, done] { done(book_.business(id)); });
}

void in_memory_market::register_business(domain::business application, int64_t now,
                                         flows::reply<flows::business_reply> done) {
  later("register_business", [this, application, now, done] {
    done(book_.register_business(application, next_business_id_++, now));
  });
}

void in_memory_market::decide_business(int64_t business_id, int64_t admin_id, bool approve,
                                       const std::string& reason, int64_t,
                                       flows::reply<flows::business_reply> done) {
  later("decide_business", [this, business_id, admin_id, approve, reason, done] {
    done(book_.decide(business_id, admin_id, approve, reason));
  });
}

void in_memory_market::pending_businesses(flows::reply<std::vector<domain::business>> done) {
  later("pending_businesses", [this, done] { done(book_.pending()); });
}

void in_memory_market::create_offer(domain::offer draft, int64_t owner_id, int64_t now,
                                    flows::reply<flows::change_reply> done) {
  later("create_offer", [this, draft, owner_id, now, done] {
    auto reply = book_.create_offer(draft, owner_id, next_offer_id_, now);
    if (reply.ok) offers_[next_offer_id_++] = market::live_offer(reply.offer, {});
    done(std::move(reply));
  });
}

void in_memory_market::offers_of_business(int64_t business_id,
                                          flows::reply<std::vector<domain::offer>> done) {
  later("offers_of_business", [this, business_id, done] {
    follow_offers();
    done(book_.offers_of_business(business_id));
  });
}

void in_memory_market::collect(int64_t owner_id, const std::string& code, int64_t now,
                               flows::reply<flows::collect_reply> done) {
  later("collect", [this, owner_id, code, now, done] {
    follow_offers();
    auto routed = book_.route_collect(owner_id, code, now);
    if (auto* refused = std::get_if<market::collect_reply>(&routed)) return done(*refused);
    done(std::get<market::collect_reply>(decide(std::get<market::collect_pickup>(routed))));
  });
}

void in_memory_market::offer_page(domain::page_query query, flows::reply<domain::offer_page> done) {
  later("offer_page", [this, query, done] {
    follow_offers();
    done(book_.page(query));
  });
}

void in_memory_market::reservations_of_customer(
    int64_t customer_id, flows::reply<std::vector<flows::reservation_entry>> done) {
  later("reservations_of_customer", [this, customer_id, done] {
    follow_offers();
    done(book_.reservations_of(customer_id));
  });
}

void in_memory_market::stats(flows::reply<flows::market_stats> done) {
  later("stats", [this, done] {
    follow_offers();
    done(book_.stats());
  });
}

void in_memory_market::past_reservations(
    int64_t customer_id, int64_t offset,
    flows::reply<std::optional<domain::reservation_history_page>> done) {
  later("past_reservations", [this, customer_id, offset, done] {
    follow_offers();
    if (!history_readable) {
      done(std::nullopt);
      return;
    }
    domain::reservation_history_page page;
    int64_t skipped = 0;
    for (auto& entry : book_.reservations_of(customer_id)) {
      if (entry.reservation.status == domain::reservation_status::active) continue;
      if (skipped++ < offset) continue;
      if (static_cast<int64_t>(page.entries.size()) == domain::history_page_size) {
        page.more = true;
        break;
      }
      page.entries.push_back(std::move(entry));
    }
    done(std::move(page));
  });
}

void in_memory_market::period_figures(domain::time_span span,
                                      flows::reply<std::optional<domain::period_figures>> done) {
  later("period_figures", [this, span, done] {
    spans_asked.push_back(span);
    done(figures_answer);
  });
}

void in_memory_market::take_snapshot(flows::reply<flows::snapshot_report> done) {
  later("take_snapshot", [this, done] {
    ++snapshots_taken;
    done(snapshot_answer);
  });
}

}  // namespace lastcall::testing

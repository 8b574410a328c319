#include "persistence/period_figures.hpp"

#include <string>

#include <pqxx/pqxx>

namespace lastcall::persistence {

// A reservation's updated_at is the moment of its last change: for a collected, cancelled or
// missed one, the moment it became so (nothing changes it afterwards). Money saved uses the
// deal's usual price as it stands now and the price the customer reserved at.
domain::period_figures read_period_figures(pqxx::connection& connection, domain::time_span span) {
  pqxx::read_transaction txn(connection, "period_figures");
  const std::string from = "to_timestamp(" + std::to_string(span.from) + ")";
  const std::string to = "to_timestamp(" + std::to_string(span.to) + ")";
  auto within = [&](const std::string& column) {
    return column + " >= " + from + " AND " + column + " < " + to;
  };
  auto items = [&](const char* status) {
    return std::string("(SELECT coalesce(sum(quantity), 0) FROM reservations WHERE status = '") +
           status + "' AND " + within("updated_at") + ")";
  };
  const auto row = txn.exec1(
      "SELECT (SELECT count(*) FROM offers WHERE " + within("published_at") +
      "), (SELECT count(DISTINCT business_id) FROM offers WHERE published_at < " + to +
      " AND pickup_end >= " + from +
      "), (SELECT coalesce(sum(quantity), 0) FROM reservations WHERE " + within("created_at") +
      "), " + items("cancelled") + ", " + items("collected") + ", " + items("no_show") +
      ", (SELECT coalesce(sum(greatest(o.original_price - r.deal_price, 0) * r.quantity), 0)"
      " FROM reservations r JOIN offers o ON o.id = r.offer_id WHERE r.status = 'collected' AND " +
      within("r.updated_at") + "), (SELECT count(*) FROM users WHERE " + within("created_at") +
      ")");
  domain::period_figures out;
  out.deals_posted = row[0].as<int64_t>();
  out.businesses_active = row[1].as<int64_t>();
  out.items_reserved = row[2].as<int64_t>();
  out.items_cancelled = row[3].as<int64_t>();
  out.items_collected = row[4].as<int64_t>();
  out.items_missed = row[5].as<int64_t>();
  out.money_saved = row[6].as<int64_t>();
  out.new_users = row[7].as<int64_t>();
  return out;
}

}  // namespace lastcall::persistence

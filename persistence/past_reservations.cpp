#include "persistence/past_reservations.hpp"

#include <string>

#include <pqxx/pqxx>

namespace lastcall::persistence {

domain::reservation_history_page read_past_reservations(pqxx::connection& connection,
                                                        int64_t customer_id, int64_t offset,
                                                        int64_t limit) {
  pqxx::read_transaction txn(connection, "past_reservations");
  // One row more than the page tells whether another page follows.
  const auto rows = txn.exec(
      "SELECT r.id, r.quantity, r.status, r.deal_price, extract(epoch FROM r.created_at)::bigint,"
      " extract(epoch FROM r.updated_at)::bigint, o.id, o.title, o.currency,"
      " extract(epoch FROM o.pickup_start)::bigint, extract(epoch FROM o.pickup_end)::bigint,"
      " b.id, b.name, b.address, b.phone"
      " FROM reservations r JOIN offers o ON o.id = r.offer_id"
      " JOIN businesses b ON b.id = o.business_id"
      " WHERE r.customer_id = " +
      std::to_string(customer_id) +
      " AND r.status <> 'active' ORDER BY r.created_at DESC, r.id DESC LIMIT " +
      std::to_string(limit + 1) + " OFFSET " + std::to_string(offset));
  domain::reservation_history_page page;
  for (const auto& row : rows) {
    if (static_cast<int64_t>(page.entries.size()) == limit) {
      page.more = true;
      break;
    }
    domain::reservation_entry e;
    auto& r = e.reservation;
    r.id = row[0].as<int64_t>();
    r.customer_id = customer_id;
    r.quantity = row[1].as<int32_t>();
    domain::parse(row[2].as<std::string>(), r.status);
    r.deal_price = row[3].as<int64_t>();
    r.created_at = row[4].as<int64_t>();
    r.updated_at = row[5].as<int64_t>();
    auto& o = e.offer;
    o.id = r.offer_id = row[6].as<int64_t>();
    o.title = row[7].as<std::string>();
    o.currency = row[8].as<std::string>();
    o.pickup_start = row[9].as<int64_t>();
    o.pickup_end = row[10].as<int64_t>();
    auto& b = e.business;
    b.id = o.business_id = row[11].as<int64_t>();
    b.name = row[12].as<std::string>();
    b.address = row[13].as<std::string>();
    b.phone = row[14].as<std::string>();
    page.entries.push_back(std::move(e));
  }
  return page;
}

}  // namespace lastcall::persistence

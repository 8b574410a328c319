#include "tests/support/seed.hpp"

#include <chrono>
#include <stdexcept>

#include <pqxx/pqxx>

#include "domain/pickup_code.hpp"
#include "persistence/database.hpp"
#include "persistence/loader.hpp"
#include "persistence/writer.hpp"

namespace lastcall::testing {

namespace {

int64_t wall_clock() {
  return std::chrono::duration_cast<std::chrono::seconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

}  // namespace

market_seed::market_seed(int64_t now) : now_(now != 0 ? now : wall_clock()) {}

domain::business market_seed::add_business(int64_t owner_id, const std::string& name,
                                           domain::geo_point where, const std::string& address) {
  domain::business b;
  b.id = next_business_id_++;
  b.owner_id = owner_id;
  b.name = name;
  b.address = address;
  b.latitude = where.latitude;
  b.longitude = where.longitude;
  b.phone = "+998901234567";
  b.status = domain::business_status::verified;
  b.decided_by = 1;
  b.version = 1;
  b.created_at = now_ - 86400;
  unit_.businesses.push_back(b);
  return b;
}

domain::offer market_seed::add_offer(const domain::business& business, offer_seed spec) {
  domain::offer o;
  o.id = next_offer_id_++;
  o.business_id = business.id;
  o.title = spec.title;
  o.description = spec.description;
  o.photo_file_id = spec.photo_file_id;
  o.original_price = spec.original_price;
  o.deal_price = spec.deal_price;
  o.currency = spec.currency;
  o.quantity_total = spec.quantity;
  o.pickup_start = now_ + spec.starts_in;
  o.pickup_end = o.pickup_start + spec.lasts;
  o.state = spec.state;
  o.version = 1;
  o.created_at = now_ - 3600;
  if (spec.state != domain::offer_state::draft) o.published_at = now_ - 1800;
  unit_.offers.push_back(o);
  return o;
}

domain::offer& market_seed::stored_offer(int64_t offer_id) {
  for (auto& o : unit_.offers)
    if (o.id == offer_id) return o;
  throw std::invalid_argument("the seed has no offer " + std::to_string(offer_id));
}

domain::reservation market_seed::add_reservation(const domain::offer& offer, int64_t customer_id,
                                                 int32_t quantity,
                                                 domain::reservation_status status) {
  auto& o = stored_offer(offer.id);
  domain::reservation r;
  r.id = next_reservation_id_++;
  r.offer_id = o.id;
  r.customer_id = customer_id;
  r.quantity = quantity;
  r.code = domain::make_pickup_code(r.id, static_cast<uint32_t>(r.id * 7919 + 17));
  r.status = status;
  r.deal_price = o.deal_price;
  r.version = 1;
  r.created_at = now_ - 600;
  r.updated_at = now_ - 600;
  if (status == domain::reservation_status::active) o.quantity_reserved += quantity;
  if (status == domain::reservation_status::collected) o.quantity_collected += quantity;
  if (o.quantity_left() < 0)
    throw std::invalid_argument("the seed reserves more than offer " + std::to_string(o.id) +
                                " has");
  if (o.state == domain::offer_state::active && o.quantity_left() == 0)
    o.state = domain::offer_state::sold_out;
  unit_.reservations.push_back(r);
  return r;
}

void market_seed::write(const std::string& database_url) const {
  auto connection = persistence::connect(database_url);
  auto copy = unit_;
  std::vector<persistence::unit_of_work*> units = {&copy};
  persistence::write_batch(*connection, units, {});
}

std::unique_ptr<market> seeded_market(const std::string& name, const market_seed& seed,
                                      std::map<std::string, std::string> env,
                                      std::vector<int64_t> admin_ids) {
  market_options options;
  options.name = name;
  options.admin_ids = std::move(admin_ids);
  options.env = std::move(env);
  return seeded_market(std::move(options), seed);
}

std::unique_ptr<market> seeded_market(market_options options, const market_seed& seed) {
  options.start_bot = false;
  auto m = std::make_unique<market>(options);
  seed.write(m->database_url());
  m->start_bot();
  return m;
}

std::vector<domain::reservation> stored_reservations(const std::string& database_url,
                                                     int64_t offer_id) {
  auto connection = persistence::connect(database_url);
  return persistence::load_reservations_of_offer(*connection, offer_id);
}

domain::offer stored_offer(const std::string& database_url, int64_t offer_id) {
  auto connection = persistence::connect(database_url);
  return persistence::load_offer(*connection, offer_id).value_or(domain::offer{});
}

int64_t stored_notices(const std::string& database_url) {
  auto connection = persistence::connect(database_url);
  pqxx::read_transaction txn(*connection);
  return txn.exec1("SELECT count(*) FROM notices")[0].as<int64_t>();
}

}  // namespace lastcall::testing

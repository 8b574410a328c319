#include "persistence/loader.hpp"

#include <charconv>
#include <stdexcept>
#include <string>

#include <pqxx/pqxx>

namespace lastcall::persistence {

namespace {

// Rows per FETCH: enough that round trips do not matter, few enough to bound the client's memory.
constexpr size_t fetch_size = 10000;

using snapshot_transaction = pqxx::transaction<pqxx::repeatable_read, pqxx::read_only>;

// Unix seconds of a timestamptz column; NULL stays NULL and decodes as 0. date_part (double
// precision) rather than extract (numeric): it is exact for whole seconds and much cheaper over a
// million rows.
std::string seconds(const char* column) {
  return std::string("floor(date_part('epoch',") + column + "))::bigint";
}

const std::string user_columns =
    "id,language,language_chosen,blocked_bot,session::text,version," + seconds("created_at");
const std::string business_columns =
    "id,owner_id,name,address,latitude::text,longitude::text,phone,photo_file_id,status,reject_"
    "reason,"
    "decided_by,version," +
    seconds("created_at");
const std::string offer_columns =
    "id,business_id,title,description,photo_file_id,original_price,deal_price,currency,quantity_"
    "total,"
    "quantity_reserved,quantity_collected," +
    seconds("pickup_start") + "," + seconds("pickup_end") + ",state,version," +
    seconds("created_at") + "," + seconds("published_at");
const std::string reservation_columns =
    "id,offer_id,customer_id,quantity,code,status,deal_price,idempotency_key,version," +
    seconds("created_at") + "," + seconds("updated_at");
const std::string live_offer_condition = "state NOT IN ('expired','ended')";

template <class Integer>
Integer integer(const pqxx::field& field) {
  Integer value = 0;  // NULL reads as an empty text and stays 0
  std::from_chars(field.c_str(), field.c_str() + field.size(), value);
  return value;
}

double real(const pqxx::field& field) {
  double value = 0;
  // from_chars ignores the locale and reads "NaN" and "Infinity" too.
  std::from_chars(field.c_str(), field.c_str() + field.size(), value);
  return value;
}

std::string text(const pqxx::field& field) {
  return std::string(field.c_str(), field.size());
}

bool boolean(const pqxx::field& field) {
  return field.size() > 0 && field.c_str()[0] == 't';
}

nlohmann::json json(const pqxx::field& field) {
  if (field.is_null()) return nullptr;
  return nlohmann::json::parse(field.c_str(), field.c_str() + field.size());
}

template <class Enum>
Enum enumeration(const pqxx::field& field, const char* what) {
  Enum value{};
  if (!domain::parse(text(field), value))
    throw std::runtime_error(std::string("unknown ") + what + " stored in the database");
  return value;
}

domain::user_record user_from(const pqxx::row& row) {
  domain::user_record u;
  u.id = integer<int64_t>(row[0]);
  u.lang = enumeration<domain::language>(row[1], "language");
  u.language_chosen = boolean(row[2]);
  u.blocked_bot = boolean(row[3]);
  u.session = json(row[4]);
  u.version = integer<int64_t>(row[5]);
  u.created_at = integer<int64_t>(row[6]);
  return u;
}

domain::business business_from(const pqxx::row& row) {
  domain::business b;
  b.id = integer<int64_t>(row[0]);
  b.owner_id = integer<int64_t>(row[1]);
  b.name = text(row[2]);
  b.address = text(row[3]);
  b.latitude = real(row[4]);
  b.longitude = real(row[5]);
  b.phone = text(row[6]);
  b.photo_file_id = text(row[7]);
  b.status = enumeration<domain::business_status>(row[8], "business status");
  b.reject_reason = text(row[9]);
  b.decided_by = integer<int64_t>(row[10]);
  b.version = integer<int64_t>(row[11]);
  b.created_at = integer<int64_t>(row[12]);
  return b;
}

domain::offer offer_from(const pqxx::row& row) {
  domain::offer o;
  o.id = integer<int64_t>(row[0]);
  o.business_id = integer<int64_t>(row[1]);
  o.title = text(row[2]);
  o.description = text(row[3]);
  o.photo_file_id = text(row[4]);
  o.original_price = integer<int64_t>(row[5]);
  o.deal_price = integer<int64_t>(row[6]);
  o.currency = text(row[7]);
  o.quantity_total = integer<int32_t>(row[8]);
  o.quantity_reserved = integer<int32_t>(row[9]);
  o.quantity_collected = integer<int32_t>(row[10]);
  o.pickup_start = integer<int64_t>(row[11]);
  o.pickup_end = integer<int64_t>(row[12]);
  o.state = enumeration<domain::offer_state>(row[13], "offer state");
  o.version = integer<int64_t>(row[14]);
  o.created_at = integer<int64_t>(row[15]);
  o.published_at = integer<int64_t>(row[16]);
  return o;
}

domain::reservation reservation_from(const pqxx::row& row) {
  domain::reservation r;
  r.id = integer<int64_t>(row[0]);
  r.offer_id = integer<int64_t>(row[1]);
  r.customer_id = integer<int64_t>(row[2]);
  r.quantity = integer<int32_t>(row[3]);
  r.code = text(row[4]);
  r.status = enumeration<domain::reservation_status>(row[5], "reservation status");
  r.deal_price = integer<int64_t>(row[6]);
  r.idempotency_key = text(row[7]);
  r.version = integer<int64_t>(row[8]);
  r.created_at = integer<int64_t>(row[9]);
  r.updated_at = integer<int64_t>(row[10]);
  return r;
}

telegram::api_call outbox_call_from(const pqxx::row& row) {
  telegram::api_call call;
  call.outbox_id = integer<int64_t>(row[0]);
  call.chat_id = integer<int64_t>(row[1]);
  call.method = text(row[2]);
  call.params = json(row[3]);
  call.priority = static_cast<telegram::call_priority>(integer<int>(row[4]));
  return call;
}

// Runs one query through a cursor, so a million rows never sit in one libpq result.
template <class Handle>
void for_each_row(pqxx::transaction_base& txn, const std::string& query, Handle handle) {
  txn.exec0("DECLARE load_rows NO SCROLL CURSOR FOR " + query);
  for (;;) {
    const auto chunk = txn.exec("FETCH FORWARD " + std::to_string(fetch_size) + " FROM load_rows");
    for (const auto& row : chunk) handle(row);
    if (chunk.size() < fetch_size) break;
  }
  txn.exec0("CLOSE load_rows");
}

}  // namespace

stored_state load_state(pqxx::connection& connection) {
  stored_state state;
  snapshot_transaction txn(connection, "load_state");

  const auto maxima = txn.exec1(
      "SELECT (SELECT coalesce(max(id),0) FROM businesses),(SELECT coalesce(max(id),0) FROM "
      "offers),"
      "(SELECT coalesce(max(id),0) FROM reservations),(SELECT coalesce(max(seq),0) FROM events),"
      "(SELECT coalesce(max(value::bigint),0) FROM bot_state WHERE key='update_offset'),"
      "(SELECT count(*) FROM offers WHERE " +
      live_offer_condition + ")");
  state.max_business_id = integer<int64_t>(maxima[0]);
  state.max_offer_id = integer<int64_t>(maxima[1]);
  state.max_reservation_id = integer<int64_t>(maxima[2]);
  state.last_event_seq = integer<int64_t>(maxima[3]);
  state.update_offset = integer<int64_t>(maxima[4]);
  state.offers.reserve(integer<size_t>(maxima[5]));

  for_each_row(txn, "SELECT " + business_columns + " FROM businesses",
               [&](const pqxx::row& row) { state.businesses.push_back(business_from(row)); });
  for_each_row(txn, "SELECT " + offer_columns + " FROM offers WHERE " + live_offer_condition,
               [&](const pqxx::row& row) { state.offers.push_back(offer_from(row)); });
  for_each_row(txn,
               "SELECT " + reservation_columns +
                   " FROM reservations WHERE offer_id IN (SELECT id FROM offers WHERE " +
                   live_offer_condition + ")",
               [&](const pqxx::row& row) { state.reservations.push_back(reservation_from(row)); });
  for_each_row(txn,
               "SELECT " + user_columns +
                   " FROM users WHERE session IS NOT NULL"
                   " AND session NOT IN ('null'::jsonb,'{}'::jsonb,'[]'::jsonb)",
               [&](const pqxx::row& row) { state.users_with_session.push_back(user_from(row)); });
  for_each_row(
      txn, "SELECT id FROM users WHERE blocked_bot ORDER BY id",
      [&](const pqxx::row& row) { state.blocked_user_ids.push_back(integer<int64_t>(row[0])); });
  for_each_row(txn, "SELECT id,chat_id,method,params::text,priority FROM outbox ORDER BY id",
               [&](const pqxx::row& row) { state.outbox.push_back(outbox_call_from(row)); });
  for_each_row(txn,
               "SELECT update_id FROM processed_updates WHERE update_id >= " +
                   std::to_string(state.update_offset) + " ORDER BY update_id",
               [&](const pqxx::row& row) {
                 state.processed_update_ids.push_back(integer<int64_t>(row[0]));
               });
  txn.commit();
  return state;
}

all_rows load_all_rows(pqxx::transaction_base& txn) {
  all_rows rows;
  rows.update_offset = integer<int64_t>(txn.exec1(
      "SELECT coalesce(max(value::bigint),0) FROM bot_state WHERE key='update_offset'")[0]);
  for_each_row(txn, "SELECT " + user_columns + " FROM users ORDER BY id",
               [&](const pqxx::row& row) { rows.users.push_back(user_from(row)); });
  for_each_row(txn, "SELECT " + business_columns + " FROM businesses ORDER BY id",
               [&](const pqxx::row& row) { rows.businesses.push_back(business_from(row)); });
  for_each_row(txn, "SELECT " + offer_columns + " FROM offers ORDER BY id",
               [&](const pqxx::row& row) { rows.offers.push_back(offer_from(row)); });
  for_each_row(txn, "SELECT " + reservation_columns + " FROM reservations ORDER BY id",
               [&](const pqxx::row& row) { rows.reservations.push_back(reservation_from(row)); });
  for_each_row(txn, "SELECT id,chat_id,method,params::text,priority FROM outbox ORDER BY id",
               [&](const pqxx::row& row) { rows.outbox.push_back(outbox_call_from(row)); });
  for_each_row(
      txn,
      "SELECT update_id FROM processed_updates WHERE update_id >= " +
          std::to_string(rows.update_offset) + " ORDER BY update_id",
      [&](const pqxx::row& row) { rows.processed_update_ids.push_back(integer<int64_t>(row[0])); });
  return rows;
}

std::optional<domain::user_record> load_user(pqxx::connection& connection, int64_t id) {
  pqxx::read_transaction txn(connection, "load_user");
  const auto result =
      txn.exec("SELECT " + user_columns + " FROM users WHERE id = " + std::to_string(id));
  if (result.empty()) return std::nullopt;
  return user_from(result[0]);
}

std::vector<domain::offer> load_offers_of_business(pqxx::connection& connection,
                                                   int64_t business_id) {
  pqxx::read_transaction txn(connection, "load_offers_of_business");
  std::vector<domain::offer> offers;
  for_each_row(txn,
               "SELECT " + offer_columns + " FROM offers WHERE business_id = " +
                   std::to_string(business_id) + " ORDER BY created_at DESC, id DESC",
               [&](const pqxx::row& row) { offers.push_back(offer_from(row)); });
  return offers;
}

std::vector<domain::reservation> load_reservations_of_customer(pqxx::connection& connection,
                                                               int64_t customer_id) {
  pqxx::read_transaction txn(connection, "load_reservations_of_customer");
  std::vector<domain::reservation> reservations;
  for_each_row(txn,
               "SELECT " + reservation_columns + " FROM reservations WHERE customer_id = " +
                   std::to_string(customer_id) + " ORDER BY created_at DESC, id DESC",
               [&](const pqxx::row& row) { reservations.push_back(reservation_from(row)); });
  return reservations;
}

}  // namespace lastcall::persistence

#include "persistence/writer.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <type_traits>
#include <unordered_map>

#include <pqxx/pqxx>

#include "persistence/entity_fields.hpp"
#include "persistence/market_lease.hpp"

namespace lastcall::persistence {

namespace {

// Rows per INSERT: enough to amortise parsing, few enough to keep one statement small.
constexpr size_t rows_per_statement = 1000;

// Appends one parenthesised row of SQL literals; every text goes through the server's escaping.
class row_writer {
 public:
  row_writer(std::string& sql, pqxx::transaction_base& txn) : sql_(sql), txn_(txn) { sql_ += '('; }
  void end() { sql_ += ')'; }

  row_writer& integer(int64_t value) {
    separate();
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    sql_.append(buffer, result.ptr);
    return *this;
  }
  row_writer& integer_or_null(int64_t value) { return value == 0 ? raw("NULL") : integer(value); }
  row_writer& boolean(bool value) { return raw(value ? "true" : "false"); }
  row_writer& real(double value) {
    if (std::isnan(value)) return raw("'NaN'::float8");
    if (std::isinf(value)) return raw(value > 0 ? "'Infinity'::float8" : "'-Infinity'::float8");
    separate();
    char buffer[32];
    const auto result =
        std::to_chars(buffer, buffer + sizeof buffer, value);  // shortest exact form
    sql_.append(buffer, result.ptr);
    return *this;
  }
  row_writer& text(const std::string& value) {
    separate();
    sql_ += txn_.quote(value);
    return *this;
  }
  row_writer& json(const nlohmann::json& value) { return json_written(json_text(value)); }
  // JSON already written as text.
  row_writer& json_written(const std::string& text) {
    separate();
    sql_ += txn_.quote(text);
    sql_ += "::jsonb";
    return *this;
  }
  // A literal PostgreSQL converts to the column's type itself.
  row_writer& untyped_text(const std::string& value) {
    separate();
    sql_ += txn_.quote(value);
    return *this;
  }
  row_writer& json_or_null(const nlohmann::json& value) {
    return value.is_null() ? raw("NULL") : json(value);
  }
  // Unix seconds; to_timestamp keeps whole seconds exact.
  row_writer& time(int64_t unix_seconds) {
    separate();
    sql_ += "to_timestamp(";
    integer_digits(unix_seconds);
    sql_ += ')';
    return *this;
  }
  row_writer& time_or_null(int64_t unix_seconds) {
    return unix_seconds == 0 ? raw("NULL") : time(unix_seconds);
  }
  row_writer& raw(const char* literal) {
    separate();
    sql_ += literal;
    return *this;
  }

 private:
  void separate() {
    if (!first_) sql_ += ',';
    first_ = false;
  }
  void integer_digits(int64_t value) {
    char buffer[24];
    const auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
    sql_.append(buffer, result.ptr);
  }

  std::string& sql_;
  pqxx::transaction_base& txn_;
  bool first_ = true;
};

// How a field of each kind is written as an SQL literal.
struct sql_literal {
  static void of(row_writer& row, stored_as::whole_number, int64_t v) { row.integer(v); }
  static void of(row_writer& row, stored_as::optional_id, int64_t v) { row.integer_or_null(v); }
  static void of(row_writer& row, stored_as::text, const std::string& v) { row.text(v); }
  static void of(row_writer& row, stored_as::real, double v) { row.real(v); }
  static void of(row_writer& row, stored_as::boolean, bool v) { row.boolean(v); }
  static void of(row_writer& row, stored_as::json, const nlohmann::json& v) { row.json_or_null(v); }
  static void of(row_writer& row, stored_as::time, int64_t seconds) { row.time(seconds); }
  static void of(row_writer& row, stored_as::optional_time, int64_t s) { row.time_or_null(s); }
  template <class Enum>
  static void of(row_writer& row, stored_as::name<Enum>, Enum v) {
    row.text(domain::to_string(v));
  }
};

template <class Entity, class Value, class Kind>
void write_field(row_writer& row, const Entity& entity,
                 const member_field<Entity, Value, Kind>& field) {
  sql_literal::of(row, field.kind, entity.*field.member);
}
template <class Entity>
void write_field(row_writer& row, const Entity&, const write_time_field&) {
  row.raw("now()");
}

template <class Entity>
void write(row_writer& row, const Entity& entity) {
  for_each_field<Entity>([&](const auto& field) { write_field(row, entity, field); });
}

// What an upsert of the entity's rows says before and after its VALUES, spelled once.
struct upsert_text {
  std::string head;  // INSERT INTO <table>(<columns>) VALUES
  std::string tail;  // the newest version wins
};

template <class Entity>
const upsert_text& upsert_of() {
  static const upsert_text text = [] {
    const std::string table = entity_table<Entity>::name;
    upsert_text t{"INSERT INTO " + table + "(", " ON CONFLICT (id) DO UPDATE SET "};
    size_t index = 0;
    for_each_field<Entity>([&](const auto& field) {
      const std::string column = field.name;
      if (index > 0) t.head += ',';
      t.head += column;
      // The first column is the key, which conflicts; the others take the newer row's values.
      if (index > 1) t.tail += ',';
      if (index > 0) t.tail += column + "=EXCLUDED." + column;
      ++index;
    });
    t.head += ") VALUES ";
    t.tail += " WHERE " + table + ".version < EXCLUDED.version;\n";
    return t;
  }();
  return text;
}

// One snapshot per entity: PostgreSQL refuses an INSERT ... ON CONFLICT that touches a row twice.
// Of equal versions the later one wins, matching the order the owning actor produced them in.
template <class Entity>
void keep_newest(std::unordered_map<int64_t, const Entity*>& newest,
                 const std::vector<Entity>& entities) {
  for (const auto& entity : entities) {
    auto [it, inserted] = newest.emplace(entity.id, &entity);
    if (!inserted && entity.version >= it->second->version) it->second = &entity;
  }
}

template <class Entity>
std::vector<const Entity*> in_key_order(const std::unordered_map<int64_t, const Entity*>& newest) {
  std::vector<const Entity*> rows;
  rows.reserve(newest.size());
  for (const auto& [id, entity] : newest) rows.push_back(entity);
  // Key order: the same batch always locks rows in the same order.
  std::sort(rows.begin(), rows.end(),
            [](const Entity* a, const Entity* b) { return a->id < b->id; });
  return rows;
}

template <class Entity>
std::vector<const Entity*> newest_snapshots(const std::vector<unit_of_work*>& units,
                                            std::vector<Entity> unit_of_work::*member) {
  std::unordered_map<int64_t, const Entity*> newest;
  for (const auto* unit : units)
    if (unit) keep_newest(newest, unit->*member);
  return in_key_order(newest);
}

template <class Entity>
std::vector<const Entity*> newest_snapshots(const std::vector<Entity>& entities) {
  std::unordered_map<int64_t, const Entity*> newest;
  keep_newest(newest, entities);
  return in_key_order(newest);
}

template <class Entity>
size_t append_upserts(std::string& sql, pqxx::transaction_base& txn,
                      const std::vector<const Entity*>& rows) {
  const auto& statement = upsert_of<Entity>();
  for (size_t begin = 0; begin < rows.size(); begin += rows_per_statement) {
    const size_t end = std::min(rows.size(), begin + rows_per_statement);
    sql += statement.head;
    for (size_t i = begin; i < end; ++i) {
      if (i != begin) sql += ',';
      row_writer row(sql, txn);
      write(row, *rows[i]);
      row.end();
    }
    sql += statement.tail;
  }
  return rows.size();
}

// The rows one batch upserts, each entity once.
struct batch_rows {
  std::vector<const domain::user_record*> users;
  std::vector<const domain::business*> businesses;
  std::vector<const domain::offer*> offers;
  std::vector<const domain::reservation*> reservations;

  bool empty() const {
    return users.empty() && businesses.empty() && offers.empty() && reservations.empty();
  }
};

template <class Entity>
void add_images(nlohmann::json& out, const std::vector<const Entity*>& rows) {
  if (rows.empty()) return;
  auto& list = out[entity_table<Entity>::name] = nlohmann::json::array();
  for (const auto* row : rows) list.push_back(to_image(*row));
}

// The same shape as images_to_json, built from the batch's rows without copying them.
nlohmann::json images_of(const batch_rows& rows) {
  nlohmann::json out = nlohmann::json::object();
  add_images(out, rows.users);
  add_images(out, rows.businesses);
  add_images(out, rows.offers);
  add_images(out, rows.reservations);
  return out;
}

size_t append_all_upserts(std::string& sql, pqxx::transaction_base& txn, const batch_rows& rows) {
  size_t count = 0;
  count += append_upserts(sql, txn, rows.users);
  count += append_upserts(sql, txn, rows.businesses);
  count += append_upserts(sql, txn, rows.offers);
  count += append_upserts(sql, txn, rows.reservations);
  return count;
}

// The images go on the batch's last event, so an event's `state` says what the tables held once
// every event up to it had committed.
size_t append_events(std::string& sql, pqxx::transaction_base& txn,
                     const std::vector<unit_of_work*>& units, const batch_rows& rows) {
  std::vector<const event_record*> events;
  for (const auto* unit : units)
    if (unit)
      for (const auto& e : unit->events) events.push_back(&e);
  const event_record carrier{"state", 0, 0, nullptr};
  if (events.empty() && !rows.empty()) events.push_back(&carrier);
  for (size_t begin = 0; begin < events.size(); begin += rows_per_statement) {
    const size_t end = std::min(events.size(), begin + rows_per_statement);
    // A multi-row VALUES list draws the sequence in list order, so seq follows unit order.
    sql += "INSERT INTO events (kind,entity_id,actor_id,payload,state) VALUES ";
    for (size_t i = begin; i < end; ++i) {
      if (i != begin) sql += ',';
      row_writer row(sql, txn);
      row.text(events[i]->kind).integer(events[i]->entity_id).integer(events[i]->actor_id);
      row.json(events[i]->payload);
      if (i + 1 == events.size() && !rows.empty())
        row.untyped_text(json_text(images_of(rows)));
      else
        row.raw("NULL");
      row.end();
    }
    sql += ";\n";
  }
  return events.size();
}

// Outbox ids are drawn first, so each call knows its id. The call keeps the parameters' text it
// was stored with, so the outbound actor sends the same text without writing it again.
size_t append_outbox(std::string& sql, pqxx::transaction_base& txn,
                     std::vector<unit_of_work*>& units, sequence_ids& outbox_ids) {
  std::vector<telegram::api_call*> calls;
  for (auto* unit : units)
    if (unit)
      for (auto& call : unit->outbox) calls.push_back(&call);
  if (calls.empty()) return 0;

  const auto ids = outbox_ids.take(txn, calls.size());
  for (size_t i = 0; i < calls.size(); ++i) calls[i]->outbox_id = ids[i];

  for (size_t begin = 0; begin < calls.size(); begin += rows_per_statement) {
    const size_t end = std::min(calls.size(), begin + rows_per_statement);
    sql += "INSERT INTO outbox (id,chat_id,method,params,priority) VALUES ";
    for (size_t i = begin; i < end; ++i) {
      if (i != begin) sql += ',';
      auto& call = *calls[i];
      if (call.body.empty()) call.body = telegram::to_body(call.params);
      row_writer row(sql, txn);
      row.integer(call.outbox_id).integer(call.chat_id).text(call.method).json_written(call.body);
      row.integer(static_cast<int>(call.priority));
      row.end();
    }
    sql += ";\n";
  }
  return calls.size();
}

void append_id_list(std::string& sql, const std::vector<int64_t>& ids) {
  for (size_t i = 0; i < ids.size(); ++i) {
    if (i) sql += ',';
    sql += std::to_string(ids[i]);
  }
}

// Ids drawn first: whoever hands a notice on after the commit knows its row. Rendered notices
// leave in the same transaction.
size_t append_notices(std::string& sql, pqxx::transaction_base& txn,
                      std::vector<unit_of_work*>& units, sequence_ids& notice_ids) {
  std::vector<notice_record*> notices;
  std::vector<int64_t> handled;
  for (auto* unit : units) {
    if (!unit) continue;
    for (auto& notice : unit->notices) notices.push_back(&notice);
    handled.insert(handled.end(), unit->handled_notices.begin(), unit->handled_notices.end());
  }
  if (!notices.empty()) {
    const auto ids = notice_ids.take(txn, notices.size());
    for (size_t i = 0; i < notices.size(); ++i) notices[i]->id = ids[i];
  }
  for (size_t begin = 0; begin < notices.size(); begin += rows_per_statement) {
    const size_t end = std::min(notices.size(), begin + rows_per_statement);
    sql += "INSERT INTO notices (id,user_id,kind,data) VALUES ";
    for (size_t i = begin; i < end; ++i) {
      if (i != begin) sql += ',';
      row_writer row(sql, txn);
      row.integer(notices[i]->id).integer(notices[i]->user_id);
      row.text(domain::notice_kind(notices[i]->notice))
          .json(domain::notice_data(notices[i]->notice));
      row.end();
    }
    sql += ";\n";
  }
  for (size_t begin = 0; begin < handled.size(); begin += rows_per_statement) {
    const size_t end = std::min(handled.size(), begin + rows_per_statement);
    sql += "DELETE FROM notices WHERE id IN (";
    append_id_list(sql, std::vector<int64_t>(handled.begin() + begin, handled.begin() + end));
    sql += ");\n";
  }
  return notices.size() + handled.size();
}

// Received updates first: a unit that handles an update may share the batch with its intake, and
// its DELETE must find the row.
size_t append_inbox(std::string& sql, pqxx::transaction_base& txn,
                    const std::vector<unit_of_work*>& units) {
  std::vector<const inbox_entry*> entries;
  for (const auto* unit : units)
    if (unit)
      for (const auto& e : unit->inbox) entries.push_back(&e);
  for (size_t begin = 0; begin < entries.size(); begin += rows_per_statement) {
    const size_t end = std::min(entries.size(), begin + rows_per_statement);
    sql += "INSERT INTO inbox (update_id,payload) VALUES ";
    for (size_t i = begin; i < end; ++i) {
      if (i != begin) sql += ',';
      row_writer row(sql, txn);
      row.integer(entries[i]->update_id).text(entries[i]->payload);
      row.end();
    }
    // The same update received twice (a duplicate in one answer, a webhook re-delivery) is kept
    // once.
    sql += " ON CONFLICT DO NOTHING;\n";
  }
  return entries.size();
}

size_t append_update_progress(std::string& sql, const std::vector<unit_of_work*>& units) {
  std::vector<int64_t> processed;
  int64_t offset = 0;
  for (const auto* unit : units) {
    if (!unit) continue;
    processed.insert(processed.end(), unit->processed_updates.begin(),
                     unit->processed_updates.end());
    offset = std::max(offset, unit->update_offset);
  }
  std::sort(processed.begin(), processed.end());
  processed.erase(std::unique(processed.begin(), processed.end()), processed.end());

  // Handled: out of the inbox, in the transaction that records the effects.
  for (size_t begin = 0; begin < processed.size(); begin += rows_per_statement) {
    const size_t end = std::min(processed.size(), begin + rows_per_statement);
    sql += "DELETE FROM inbox WHERE update_id IN (";
    append_id_list(sql, std::vector<int64_t>(processed.begin() + begin, processed.begin() + end));
    sql += ");\n";
  }

  for (size_t begin = 0; begin < processed.size(); begin += rows_per_statement) {
    const size_t end = std::min(processed.size(), begin + rows_per_statement);
    // Ids below the stored offset are done by the offset alone (with polling, that is every
    // handled update: the intake stored the offset first), so they are not written only to be
    // deleted below.
    sql += "INSERT INTO processed_updates (update_id) SELECT id FROM (VALUES ";
    for (size_t i = begin; i < end; ++i) {
      if (i != begin) sql += ',';
      sql += '(' + std::to_string(processed[i]) + "::bigint)";
    }
    sql +=
        ") AS handled(id) WHERE id >= (SELECT coalesce(max(value::bigint),0) FROM bot_state "
        "WHERE key='update_offset') ON CONFLICT DO NOTHING;\n";
  }
  if (offset > 0) {
    // The offset only moves forward: an older offset than the stored one changes nothing.
    sql += "INSERT INTO bot_state (key,value) VALUES ('update_offset','" + std::to_string(offset) +
           "') ON CONFLICT (key) DO UPDATE SET value=EXCLUDED.value"
           " WHERE bot_state.value::bigint < EXCLUDED.value::bigint;\n";
  }
  if (offset > 0 || !processed.empty()) {
    sql +=
        "DELETE FROM processed_updates WHERE update_id < "
        "(SELECT coalesce(max(value::bigint),0) FROM bot_state WHERE key='update_offset');\n";
  }
  return processed.size() + (offset > 0 ? 1 : 0);
}

}  // namespace

writer_ids::writer_ids(size_t block)
    : outbox("outbox_id_seq", block), notices("notices_id_seq", block) {}

size_t write_batch(pqxx::connection& connection, std::vector<unit_of_work*>& units,
                   const std::vector<int64_t>& sent_outbox_ids, const std::string& commit_token,
                   writer_ids* ids, int64_t fence_epoch) {
  const bool has_work = std::any_of(units.begin(), units.end(),
                                    [](const unit_of_work* u) { return u && !u->empty(); });
  if (!has_work && sent_outbox_ids.empty() && commit_token.empty()) return 0;

  // Without a caller's reserve, exactly the ids this batch needs are drawn.
  writer_ids once(1);
  writer_ids& sequences = ids ? *ids : once;
  // The transaction is spelled out in the statements, so BEGIN, the rows and COMMIT travel in one
  // round trip instead of three; ids are drawn before it, outside (sequences ignore transactions).
  pqxx::nontransaction txn(connection, "write_batch");
  std::string sql = "BEGIN;\n";
  if (fence_epoch != 0) sql += fence_statement(fence_epoch);
  size_t rows = 0;
  batch_rows entities;
  entities.users = newest_snapshots(units, &unit_of_work::users);
  entities.businesses = newest_snapshots(units, &unit_of_work::businesses);
  entities.offers = newest_snapshots(units, &unit_of_work::offers);
  entities.reservations = newest_snapshots(units, &unit_of_work::reservations);
  rows += append_all_upserts(sql, txn, entities);
  rows += append_events(sql, txn, units, entities);
  rows += append_outbox(sql, txn, units, sequences.outbox);
  rows += append_notices(sql, txn, units, sequences.notices);
  rows += append_inbox(sql, txn, units);
  rows += append_update_progress(sql, units);
  if (!sent_outbox_ids.empty()) {
    sql += "DELETE FROM outbox WHERE id IN (";
    append_id_list(sql, sent_outbox_ids);
    sql += ");\n";
    rows += sent_outbox_ids.size();
  }
  if (!commit_token.empty()) {
    sql += "INSERT INTO bot_state (key,value) VALUES ('last_commit'," + txn.quote(commit_token) +
           ") ON CONFLICT (key) DO UPDATE SET value=EXCLUDED.value;\n";
  }
  sql += "COMMIT;";
  try {
    // The simple query protocol runs the statements in order and stops at the first error.
    txn.exec(sql);
  } catch (const pqxx::broken_connection& e) {
    // The string may have reached the server, COMMIT included: whether it committed is unknown.
    throw pqxx::in_doubt_error(e.what());
  } catch (...) {
    // A failed statement leaves the block open and aborted; it must end before anything else.
    try {
      txn.exec("ROLLBACK");
    } catch (...) {
      // A connection too broken to roll back is dropped by the caller.
    }
    throw;
  }
  return rows;
}

size_t apply_images(pqxx::transaction_base& txn, const entity_images& images) {
  size_t rows = 0;
  // A statement at a time: a restored market may hold millions of rows, too many for one string.
  auto apply = [&](const auto& newest) {
    for (size_t begin = 0; begin < newest.size(); begin += rows_per_statement) {
      const auto end = newest.begin() + static_cast<std::ptrdiff_t>(
                                            std::min(newest.size(), begin + rows_per_statement));
      const std::vector<typename std::decay_t<decltype(newest)>::value_type> slice(
          newest.begin() + static_cast<std::ptrdiff_t>(begin), end);
      std::string sql;
      rows += append_upserts(sql, txn, slice);
      txn.exec(sql);
    }
  };
  apply(newest_snapshots(images.users));
  apply(newest_snapshots(images.businesses));
  apply(newest_snapshots(images.offers));
  apply(newest_snapshots(images.reservations));
  return rows;
}

bool commit_token_stored(pqxx::connection& connection, const std::string& commit_token) {
  pqxx::read_transaction txn(connection, "commit_token");
  const auto result = txn.exec("SELECT value FROM bot_state WHERE key='last_commit'");
  return !result.empty() && result[0][0].c_str() == commit_token;
}

}  // namespace lastcall::persistence

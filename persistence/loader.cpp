#include "persistence/loader.hpp"

#include <charconv>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

#include <pqxx/pqxx>

#include "logs/event.hpp"
#include "persistence/entity_fields.hpp"

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

const std::string live_offer_condition = "state NOT IN ('expired','ended')";

// The decoders below read a pqxx::field or a copy_row::field alike: c_str() (NUL-terminated),
// size() and is_null(); a NULL reads as an empty text.
template <class Integer, class Field>
Integer integer(const Field& field) {
  Integer value = 0;  // NULL reads as an empty text and stays 0
  std::from_chars(field.c_str(), field.c_str() + field.size(), value);
  return value;
}

template <class Field>
double real(const Field& field) {
  double value = 0;
  // from_chars ignores the locale and reads "NaN" and "Infinity" too.
  std::from_chars(field.c_str(), field.c_str() + field.size(), value);
  return value;
}

template <class Field>
std::string text(const Field& field) {
  return std::string(field.c_str(), field.size());
}

template <class Field>
bool boolean(const Field& field) {
  return field.size() > 0 && field.c_str()[0] == 't';
}

template <class Field>
nlohmann::json json(const Field& field) {
  if (field.is_null()) return nullptr;
  return nlohmann::json::parse(field.c_str(), field.c_str() + field.size());
}

template <class Enum, class Field>
Enum enumeration(const Field& field, const char* what) {
  Enum value{};
  if (!domain::parse(text(field), value))
    throw std::runtime_error(std::string("unknown ") + what + " stored in the database");
  return value;
}

// Reads a row's fields in column order. row[i] makes a pqxx::field that holds its own reference
// to the whole result (two shared pointers): over a million rows of a dozen columns those copies
// were a fifth of the loading thread's CPU. The row's iterator is a field that moves along instead.
class field_cursor {
 public:
  explicit field_cursor(const pqxx::row& row) : at_(row.begin()) {}
  // The next column; valid until the next call.
  const pqxx::field& next() {
    if (started_) ++at_;
    started_ = true;
    return at_;
  }

 private:
  pqxx::row::const_iterator at_;
  bool started_ = false;
};

// One line of COPY's text format split into its fields: tab-separated, backslash escapes, \N for
// NULL. The fields are unescaped into one buffer, each followed by a NUL.
class copy_row {
 public:
  struct field {
    const char* data;
    size_t length;
    bool null;
    const char* c_str() const { return data; }
    size_t size() const { return length; }
    bool is_null() const { return null; }
  };

  void parse(const std::string& line) {
    buffer_.clear();
    spans_.clear();
    buffer_.reserve(line.size() + 32);
    size_t end = line.size();
    if (end > 0 && line[end - 1] == '\n') --end;
    size_t i = 0;
    for (;;) {
      const size_t start = buffer_.size();
      bool null = false;
      if (line.compare(i, 2, "\\N") == 0 && (i + 2 == end || line[i + 2] == '\t')) {
        null = true;
        i += 2;
      }
      while (!null && i < end && line[i] != '\t') {
        char c = line[i++];
        if (c == '\\' && i < end) c = unescape(line, end, i);
        buffer_.push_back(c);
      }
      spans_.push_back({start, buffer_.size() - start, null});
      buffer_.push_back('\0');
      if (i >= end) break;
      ++i;  // the tab
    }
  }

  field at(size_t index) const {
    if (index >= spans_.size()) throw std::runtime_error("a loaded row has too few columns");
    const auto& span = spans_[index];
    return field{buffer_.data() + span.start, span.length, span.null};
  }

 private:
  struct span {
    size_t start, length;
    bool null;
  };

  // The character that a backslash sequence starting at line[i] (after the backslash) stands for.
  static char unescape(const std::string& line, size_t end, size_t& i) {
    char e = line[i++];
    auto digits = [&](int base, size_t max_digits, int first) {
      int value = first;
      for (size_t n = 1; n < max_digits && i < end; ++n, ++i) {
        char d = line[i];
        int digit = d >= '0' && d <= '7'                 ? d - '0'
                    : base == 16 && d >= '8' && d <= '9' ? d - '0'
                    : base == 16 && d >= 'a' && d <= 'f' ? d - 'a' + 10
                    : base == 16 && d >= 'A' && d <= 'F' ? d - 'A' + 10
                                                         : -1;
        if (digit < 0) break;
        value = value * base + digit;
      }
      return static_cast<char>(value);
    };
    switch (e) {
      case 'b':
        return '\b';
      case 'f':
        return '\f';
      case 'n':
        return '\n';
      case 'r':
        return '\r';
      case 't':
        return '\t';
      case 'v':
        return '\v';
      case 'x':
        return digits(16, 3, 0);  // up to two hex digits after the x
      default:
        if (e >= '0' && e <= '7') return digits(8, 3, e - '0');
        return e;  // \\ and any other character stand for themselves
    }
  }

  std::string buffer_;
  std::vector<span> spans_;
};

// Reads a copy_row's fields in column order, as field_cursor does a pqxx::row's.
class copy_cursor {
 public:
  explicit copy_cursor(const copy_row& row) : row_(row) {}
  copy_row::field next() { return row_.at(next_++); }

 private:
  const copy_row& row_;
  size_t next_ = 0;
};

// Reads a row's fields in order, whichever way the row came.
field_cursor cursor(const pqxx::row& row) {
  return field_cursor(row);
}
copy_cursor cursor(const copy_row& row) {
  return copy_cursor(row);
}

// What the loader selects of each kind of field, for the readers below. Reals as text: from_chars
// ignores the locale and reads "NaN" and "Infinity".
struct selected {
  static std::string of(const char* column, stored_as::whole_number) { return column; }
  static std::string of(const char* column, stored_as::text) { return column; }
  static std::string of(const char* column, stored_as::boolean) { return column; }
  template <class Enum>
  static std::string of(const char* column, stored_as::name<Enum>) {
    return column;
  }
  static std::string of(const char* column, stored_as::real) { return as_text(column); }
  static std::string of(const char* column, stored_as::json) { return as_text(column); }
  static std::string of(const char* column, stored_as::time) { return seconds(column); }
  static std::string as_text(const char* column) { return std::string(column) + "::text"; }
};

// "SELECT <the entity's columns> FROM <its table>", spelled once.
template <class Entity>
const std::string& select_from() {
  static const std::string query = [] {
    std::string q = "SELECT ";
    bool first = true;
    for_each_member_field<Entity>([&](const auto& field) {
      if (!first) q += ',';
      q += selected::of(field.name, field.kind);
      first = false;
    });
    return q + " FROM " + entity_table<Entity>::name;
  }();
  return query;
}

// How a field of each kind is decoded from a pqxx::field or a copy_row::field.
template <class Field>
struct read_field {
  template <class Value>
  static void of(stored_as::whole_number, const Field& f, Value& out) {
    out = integer<Value>(f);
  }
  static void of(stored_as::text, const Field& f, std::string& out) {
    out.assign(f.c_str(), f.size());
  }
  static void of(stored_as::real, const Field& f, double& out) { out = real(f); }
  static void of(stored_as::boolean, const Field& f, bool& out) { out = boolean(f); }
  static void of(stored_as::json, const Field& f, nlohmann::json& out) { out = json(f); }
  static void of(stored_as::time, const Field& f, int64_t& out) { out = integer<int64_t>(f); }
  template <class Enum>
  static void of(stored_as::name<Enum> kind, const Field& f, Enum& out) {
    out = enumeration<Enum>(f, kind.what);
  }
};

template <class Fields, class Kind, class Value>
void read_next(Fields& fields, Kind kind, Value& out) {
  const auto& field = fields.next();
  read_field<std::decay_t<decltype(field)>>::of(kind, field, out);
}

// One entity from a row selected by select_from.
template <class Entity, class Fields>
Entity read_entity(Fields&& fields) {
  Entity entity;
  for_each_member_field<Entity>(
      [&](const auto& field) { read_next(fields, field.kind, entity.*field.member); });
  return entity;
}

telegram::api_call outbox_call_from(const pqxx::row& row) {
  telegram::api_call call;
  call.outbox_id = integer<int64_t>(row[0]);
  // Whether it confirmed a change was not stored: a call that survived a restart is kept until
  // sent.
  call.must_deliver = true;
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

// Runs one query through COPY ... TO STDOUT: the server streams the rows while this side decodes
// them, where a cursor's FETCHes leave each side waiting for the other: with a million
// reservations load_state fell from 2.4-2.8 s to 1.4-1.6 s. Memory holds one row at a time.
template <class Handle>
void for_each_copied_row(pqxx::transaction_base& txn, const std::string& query, Handle handle) {
  // libpqxx 6.4 writes the "table" into COPY <table> TO STDOUT as it is given, so a query in
  // parentheses copies that query's rows. (libpqxx 7 names this stream_from::query.)
  pqxx::stream_from stream(txn, "(" + query + ")");
  std::string line;
  copy_row row;
  while (stream.get_raw_line(line)) {
    row.parse(line);
    handle(row);
  }
  stream.complete();
}

// Appends the entities of the rows of select_from<Entity>() + `rest`, fetched through a cursor.
template <class Entity>
void fetch_entities(pqxx::transaction_base& txn, const std::string& rest,
                    std::vector<Entity>& out) {
  for_each_row(txn, select_from<Entity>() + rest,
               [&](const pqxx::row& row) { out.push_back(read_entity<Entity>(cursor(row))); });
}

// The same, streamed through COPY: for the large reads of load_state.
template <class Entity>
void copy_entities(pqxx::transaction_base& txn, const std::string& rest, std::vector<Entity>& out) {
  for_each_copied_row(txn, select_from<Entity>() + rest, [&](const copy_row& row) {
    out.push_back(read_entity<Entity>(cursor(row)));
  });
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

  copy_entities(txn, "", state.businesses);
  copy_entities(txn, " WHERE " + live_offer_condition, state.offers);
  copy_entities(txn,
                " WHERE offer_id IN (SELECT id FROM offers WHERE " + live_offer_condition + ")",
                state.reservations);
  copy_entities(txn,
                " WHERE session IS NOT NULL"
                " AND session NOT IN ('null'::jsonb,'{}'::jsonb,'[]'::jsonb)",
                state.users_with_session);
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
  for_each_row(txn, "SELECT update_id,payload FROM inbox ORDER BY update_id",
               [&](const pqxx::row& row) {
                 state.inbox.push_back(inbox_entry{integer<int64_t>(row[0]), row[1].c_str()});
               });
  for_each_row(txn, "SELECT id,user_id,kind,data::text FROM notices ORDER BY id",
               [&](const pqxx::row& row) {
                 auto notice = domain::read_notice(
                     row[2].c_str(), nlohmann::json::parse(row[3].c_str(), nullptr, false));
                 if (!notice) {
                   // Written by a newer version: kept for it, not rendered by this one.
                   logs::warn(logs::event("loader", "notice_unreadable"),
                              "notice {} of kind {} cannot be read; left in place",
                              integer<int64_t>(row[0]), row[2].c_str());
                   return;
                 }
                 state.notices.push_back(
                     notice_record{integer<int64_t>(row[0]), integer<int64_t>(row[1]), *notice});
               });
  for_each_copied_row(txn, "SELECT id FROM users ORDER BY id", [&](const copy_row& row) {
    state.known_user_ids.push_back(integer<int64_t>(cursor(row).next()));
  });
  txn.commit();
  return state;
}

all_rows load_all_rows(pqxx::transaction_base& txn) {
  all_rows rows;
  rows.update_offset = integer<int64_t>(txn.exec1(
      "SELECT coalesce(max(value::bigint),0) FROM bot_state WHERE key='update_offset'")[0]);
  fetch_entities(txn, " ORDER BY id", rows.users);
  fetch_entities(txn, " ORDER BY id", rows.businesses);
  fetch_entities(txn, " ORDER BY id", rows.offers);
  fetch_entities(txn, " ORDER BY id", rows.reservations);
  for_each_row(txn, "SELECT id,chat_id,method,params::text,priority FROM outbox ORDER BY id",
               [&](const pqxx::row& row) { rows.outbox.push_back(outbox_call_from(row)); });
  for_each_row(
      txn,
      "SELECT update_id FROM processed_updates WHERE update_id >= " +
          std::to_string(rows.update_offset) + " ORDER BY update_id",
      [&](const pqxx::row& row) { rows.processed_update_ids.push_back(integer<int64_t>(row[0])); });
  return rows;
}

namespace {

// The entity with that id, if it is stored.
template <class Entity>
std::optional<Entity> load_one(pqxx::connection& connection, const std::string& transaction_name,
                               int64_t id) {
  pqxx::read_transaction txn(connection, transaction_name);
  const auto result = txn.exec(select_from<Entity>() + " WHERE id = " + std::to_string(id));
  if (result.empty()) return std::nullopt;
  return read_entity<Entity>(cursor(result[0]));
}

// One owner's rows (a business's offers, a customer's reservations), newest first.
template <class Entity>
std::vector<Entity> load_newest_first(pqxx::connection& connection,
                                      const std::string& transaction_name,
                                      const std::string& owner_column, int64_t owner_id) {
  pqxx::read_transaction txn(connection, transaction_name);
  std::vector<Entity> entities;
  fetch_entities(txn,
                 " WHERE " + owner_column + " = " + std::to_string(owner_id) +
                     " ORDER BY created_at DESC, id DESC",
                 entities);
  return entities;
}

}  // namespace

std::optional<domain::user_record> load_user(pqxx::connection& connection, int64_t id) {
  return load_one<domain::user_record>(connection, "load_user", id);
}

std::vector<domain::offer> load_offers_of_business(pqxx::connection& connection,
                                                   int64_t business_id) {
  return load_newest_first<domain::offer>(connection, "load_offers_of_business", "business_id",
                                          business_id);
}

std::vector<domain::reservation> load_reservations_of_customer(pqxx::connection& connection,
                                                               int64_t customer_id) {
  return load_newest_first<domain::reservation>(connection, "load_reservations_of_customer",
                                                "customer_id", customer_id);
}

std::optional<domain::offer> load_offer(pqxx::connection& connection, int64_t offer_id) {
  return load_one<domain::offer>(connection, "load_offer", offer_id);
}

std::vector<domain::reservation> load_reservations_of_offer(pqxx::connection& connection,
                                                            int64_t offer_id) {
  pqxx::read_transaction txn(connection, "load_reservations_of_offer");
  std::vector<domain::reservation> reservations;
  fetch_entities(txn, " WHERE offer_id = " + std::to_string(offer_id) + " ORDER BY id",
                 reservations);
  return reservations;
}

}  // namespace lastcall::persistence

#include "persistence/database.hpp"

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>
#include <stdexcept>
#include <vector>

#include <pqxx/pqxx>

#include "logs/event.hpp"
#include "persistence/migrations.hpp"

namespace lastcall::persistence {

namespace {

// Any constant nothing else in the database locks on; these are the bytes of "lastcall".
constexpr int64_t migration_lock_key = 0x6c61737463616c6c;

// Where the password of a URI's user info (postgresql://user:password@host/db) lies: [begin, end).
std::optional<std::pair<size_t, size_t>> userinfo_password(const std::string& url) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  const size_t begin = scheme_end + 3;
  size_t end = url.find_first_of("?#", begin);
  if (end == std::string::npos) end = url.size();
  if (end == begin) return std::nullopt;
  // The last '@' before the query: an unencoded '@' in a password must not leave its tail shown.
  const auto at = url.rfind('@', end - 1);
  if (at == std::string::npos || at < begin) return std::nullopt;
  const auto colon = url.find(':', begin);
  if (colon == std::string::npos || colon > at) return std::nullopt;
  return std::make_pair(colon + 1, at);
}

// Matches password=VALUE in a URI query or a keyword/value connection string (quoted or not).
const std::regex& password_parameter() {
  static const std::regex pattern(R"((^|[?&\s])(password\s*=\s*)('(?:[^'\\]|\\.)*'|[^&\s]*))",
                                  std::regex::icase);
  return pattern;
}

std::string percent_decoded(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size() &&
        std::isxdigit(static_cast<unsigned char>(text[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(text[i + 2]))) {
      out.push_back(static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// Every spelling of every password in the URL that an error message might repeat.
std::vector<std::string> passwords_in(const std::string& url) {
  std::vector<std::string> found;
  auto add = [&](const std::string& secret) {
    if (secret.empty()) return;
    found.push_back(secret);
    found.push_back(percent_decoded(secret));
    if (secret.size() >= 2 && secret.front() == '\'' && secret.back() == '\'')
      found.push_back(secret.substr(1, secret.size() - 2));
  };
  if (auto range = userinfo_password(url))
    add(url.substr(range->first, range->second - range->first));
  for (std::sregex_iterator it(url.begin(), url.end(), password_parameter()), end; it != end; ++it)
    add((*it)[3].str());
  // Longest first, so a password containing another one is replaced whole.
  std::sort(found.begin(), found.end(),
            [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  return found;
}

std::string without_trailing_newlines(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
  return text;
}

void ensure_migrations_table(pqxx::work& txn) {
  txn.exec0(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      "version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT "
      "now())");
}

}  // namespace

std::string redact_database_url(const std::string& url) {
  std::string out = url;
  if (auto range = userinfo_password(out))
    out.replace(range->first, range->second - range->first, "***");
  return std::regex_replace(out, password_parameter(), "$1$2***");
}

std::string redact_database_error(const std::string& message, const std::string& url) {
  std::string out = message;
  for (const auto& secret : passwords_in(url)) {
    if (secret.empty()) continue;
    for (auto pos = out.find(secret); pos != std::string::npos; pos = out.find(secret, pos + 3))
      out.replace(pos, secret.size(), "***");
  }
  return out;
}

std::unique_ptr<pqxx::connection> connect(const std::string& url) {
  try {
    return std::make_unique<pqxx::connection>(url);
  } catch (const std::exception& e) {
    throw pqxx::broken_connection("cannot connect to " + redact_database_url(url) + ": " +
                                  without_trailing_newlines(redact_database_error(e.what(), url)));
  }
}

int migrate(pqxx::connection& connection) {
  std::vector<migration> migrations = embedded_migrations();
  std::sort(migrations.begin(), migrations.end(),
            [](const migration& a, const migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version)
      throw std::logic_error("two migrations share version " +
                             std::to_string(migrations[i].version));
  }

  int applied = 0;
  for (const auto& m : migrations) {
    pqxx::work txn(connection, "migrate");
    // Held until this transaction ends: a second process starting at the same moment waits here and
    // then finds the migration recorded.
    txn.exec("SELECT pg_advisory_xact_lock(" + std::to_string(migration_lock_key) + ")");
    ensure_migrations_table(txn);
    const auto done =
        txn.exec("SELECT 1 FROM schema_migrations WHERE version = " + std::to_string(m.version));
    if (!done.empty()) {
      txn.commit();
      continue;
    }
    logs::info(logs::event("database", "migration_applied"), "applying database migration {}",
               m.name);
    txn.exec0(m.sql);
    txn.exec0("INSERT INTO schema_migrations (version, name) VALUES (" + std::to_string(m.version) +
              ", " + txn.quote(m.name) + ")");
    txn.commit();
    ++applied;
  }

  if (!migrations.empty()) {
    pqxx::read_transaction txn(connection, "migrate_check");
    const auto newest =
        txn.exec1("SELECT coalesce(max(version), 0) FROM schema_migrations")[0].as<int>();
    if (newest > migrations.back().version) {
      logs::warn(logs::event("database", "schema_newer"),
                 "the database schema (version {}) is newer than this program knows (version {})",
                 newest, migrations.back().version);
    }
  }
  return applied;
}

std::string with_database(const std::string& url, const std::string& database) {
  const auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url + " dbname=" + database;  // later keywords win
  const auto query = url.find('?', scheme_end + 3);
  const auto path = url.find('/', scheme_end + 3);
  if (path != std::string::npos && (query == std::string::npos || path < query)) {
    const auto path_end = query == std::string::npos ? url.size() : query;
    return url.substr(0, path + 1) + database + url.substr(path_end);
  }
  const auto insert_at = query == std::string::npos ? url.size() : query;
  return url.substr(0, insert_at) + "/" + database + url.substr(insert_at);
}

}  // namespace lastcall::persistence

#pragma once
// Connecting to PostgreSQL and bringing its schema up to date.

#include <memory>
#include <string>

#include <pqxx/connection>

namespace lastcall::persistence {

// Opens a connection. A failure throws pqxx::broken_connection whose message names the database by
// its redacted URL and never contains the password.
std::unique_ptr<pqxx::connection> connect(const std::string& url);

// Runs `use` on `connection`, connecting first when there is none or it broke. A failure drops
// the connection, so the next call connects again, and is rethrown: for readers on a connection
// of their own that must outlive a restart of the server.
template <class Use>
auto with_connection(std::unique_ptr<pqxx::connection>& connection, const std::string& url, Use use)
    -> decltype(use(*connection)) {
  try {
    if (!connection || !connection->is_open()) connection = connect(url);
    return use(*connection);
  } catch (...) {
    connection.reset();
    throw;
  }
}

// Applies the embedded migrations this database lacks, in version order, each in its own
// transaction, and records them in schema_migrations. Safe when several processes start at once:
// they serialise on an advisory lock. Returns how many migrations it applied.
int migrate(pqxx::connection& connection);

// The connection URL (URI or keyword/value form) with its database replaced by `database`.
std::string with_database(const std::string& url, const std::string& database);

// The URL with any password (user:password@, password=...) replaced by "***": fit for logs.
std::string redact_database_url(const std::string& url);

// `message` with every password in `url` replaced by "***": libpq may echo a URL it cannot parse.
std::string redact_database_error(const std::string& message, const std::string& url);

}  // namespace lastcall::persistence

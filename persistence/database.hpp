#pragma once
// Connecting to PostgreSQL and bringing its schema up to date.

#include <memory>
#include <string>

#include <pqxx/connection>

namespace lastcall::persistence {

// Opens a connection. A failure throws pqxx::broken_connection whose message names the database by
// its redacted URL and never contains the password.
std::unique_ptr<pqxx::connection> connect(const std::string& url);

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

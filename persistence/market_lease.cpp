#include "persistence/market_lease.hpp"

#include <pqxx/pqxx>

namespace lastcall::persistence {

namespace {

std::string interval(std::chrono::milliseconds length) {
  return "interval '" + std::to_string(length.count()) + " milliseconds'";
}

// A standby not seen for this many lease lengths has stopped.
constexpr int standby_memory_leases = 3;

// The other nodes standing by, as a subquery for RETURNING.
std::string standbys_seen(pqxx::transaction_base& txn, const std::string& node,
                          std::chrono::milliseconds length) {
  return "(SELECT count(*) FROM market_standbys WHERE node <> " + txn.quote(node) +
         " AND seen_at > now() - " + interval(length * standby_memory_leases) + ")";
}

}  // namespace

lease_holder read_lease(pqxx::connection& connection) {
  pqxx::read_transaction txn(connection, "read_lease");
  const auto row =
      txn.exec1("SELECT holder, epoch, expires_at <= now() FROM market_lease WHERE id = 1");
  return lease_holder{row[0].as<std::string>(), row[1].as<int64_t>(), row[2].as<bool>()};
}

std::optional<lease_grant> take_lease(pqxx::connection& connection, const std::string& node,
                                      std::chrono::milliseconds length, bool holder_is_gone,
                                      const std::string& gone_holder) {
  pqxx::work txn(connection, "take_lease");
  std::string condition = "expires_at <= now()";
  if (holder_is_gone) condition += " OR holder = " + txn.quote(gone_holder);
  const auto result = txn.exec("UPDATE market_lease SET holder = " + txn.quote(node) +
                               ", epoch = epoch + 1, expires_at = now() + " + interval(length) +
                               " WHERE id = 1 AND (" + condition + ") RETURNING epoch, " +
                               standbys_seen(txn, node, length));
  if (result.empty()) return std::nullopt;
  txn.exec0("DELETE FROM market_standbys WHERE node = " + txn.quote(node));
  txn.commit();
  return lease_grant{result[0][0].as<int64_t>(), result[0][1].as<int>()};
}

std::optional<int> renew_lease(pqxx::connection& connection, int64_t epoch,
                               std::chrono::milliseconds length, const std::string& node) {
  pqxx::nontransaction txn(connection, "renew_lease");
  const auto result = txn.exec("UPDATE market_lease SET expires_at = now() + " + interval(length) +
                               " WHERE id = 1 AND epoch = " + std::to_string(epoch) +
                               " AND holder = " + txn.quote(node) + " RETURNING " +
                               standbys_seen(txn, node, length));
  if (result.empty()) return std::nullopt;
  return result[0][0].as<int>();
}

void release_lease(pqxx::connection& connection, int64_t epoch) {
  pqxx::nontransaction txn(connection, "release_lease");
  txn.exec0("UPDATE market_lease SET expires_at = now() WHERE id = 1 AND epoch = " +
            std::to_string(epoch));
}

void note_standby(pqxx::connection& connection, const std::string& node) {
  pqxx::nontransaction txn(connection, "note_standby");
  txn.exec0("INSERT INTO market_standbys (node, seen_at) VALUES (" + txn.quote(node) +
            ", now()) ON CONFLICT (node) DO UPDATE SET seen_at = EXCLUDED.seen_at");
}

void forget_standby(pqxx::connection& connection, const std::string& node) {
  pqxx::nontransaction txn(connection, "forget_standby");
  txn.exec0("DELETE FROM market_standbys WHERE node = " + txn.quote(node));
}

std::string fence_statement(int64_t epoch) {
  return "SELECT market_fence(" + std::to_string(epoch) + ");\n";
}

}  // namespace lastcall::persistence

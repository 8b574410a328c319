#pragma once
// What a failed database call means for the units it carried: retry them all later, or look for
// the bad one.

#include <exception>
#include <string>

namespace lastcall::persistence {

enum class failure_kind {
  // The connection broke or the server cannot work right now: keep everything, retry later.
  unreachable,
  // The connection broke during COMMIT: the transaction may or may not have committed.
  in_doubt,
  // The database refused the data (a constraint, a bad value) or a bug: the same batch fails again.
  rejected,
  // Another node took the market's lease over: this node must never commit again.
  fenced,
};

failure_kind classify_failure(const std::exception& error, bool connection_open);

// One line for logs and error replies: the SQLSTATE and the primary message. PostgreSQL's DETAIL
// lines are left out because they quote row values, which may be personal data.
std::string describe_failure(const std::exception& error);

}  // namespace lastcall::persistence

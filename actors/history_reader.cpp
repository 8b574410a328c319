#include "actors/history_reader.hpp"

#include <memory>
#include <string>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "logs/event.hpp"
#include "persistence/database.hpp"
#include "persistence/past_reservations.hpp"
#include "persistence/period_figures.hpp"

namespace lastcall::actors {

namespace {

struct reader_state {
  static inline const char* name = "history_reader";
  std::string database_url;
  std::unique_ptr<pqxx::connection> connection;

  // Runs `read` on the reader's connection; an error when it fails.
  template <class T, class Read>
  caf::result<T> read_with(const char* what, Read read) {
    try {
      return persistence::with_connection(connection, database_url, read);
    } catch (const std::exception& e) {
      logs::warn(logs::event("history_reader", "read_failed"), "reading {} failed: {}", what,
                 e.what());
      return caf::make_error(caf::sec::runtime_error, "the database is unreachable");
    }
  }
};

history_reader_actor::behavior_type reader_impl(
    history_reader_actor::stateful_pointer<reader_state> self, std::string database_url) {
  self->state.database_url = std::move(database_url);
  return {
      [=](report_atom, int64_t from, int64_t to) -> caf::result<domain::period_figures> {
        return self->state.read_with<domain::period_figures>(
            "a period's figures", [&](pqxx::connection& connection) {
              return persistence::read_period_figures(connection, {from, to});
            });
      },
      [=](history_atom, int64_t customer_id,
          int64_t offset) -> caf::result<domain::reservation_history_page> {
        return self->state.read_with<domain::reservation_history_page>(
            "past reservations", [&](pqxx::connection& connection) {
              return persistence::read_past_reservations(connection, customer_id, offset,
                                                         domain::history_page_size);
            });
      },
  };
}

}  // namespace

history_reader_actor spawn_history_reader(caf::actor_system& system, std::string database_url) {
  return system.spawn<caf::detached>(reader_impl, std::move(database_url));
}

}  // namespace lastcall::actors

#include "actors/user_loader.hpp"

#include <memory>

#include <caf/all.hpp>
#include <pqxx/pqxx>

#include "logs/event.hpp"
#include "persistence/database.hpp"
#include "persistence/loader.hpp"

namespace lastcall::actors {

namespace {

struct loader_state {
  static inline const char* name = "user_loader";
  std::string database_url;
  std::unique_ptr<pqxx::connection> connection;
};

user_loader_actor::behavior_type loader_impl(user_loader_actor::stateful_pointer<loader_state> self,
                                             std::string database_url) {
  self->state.database_url = std::move(database_url);
  return {
      [=](load_atom, int64_t user_id) -> caf::result<std::optional<domain::user_record>> {
        auto& st = self->state;
        try {
          return persistence::with_connection(
              st.connection, st.database_url,
              [&](pqxx::connection& db) { return persistence::load_user(db, user_id); });
        } catch (const std::exception& e) {
          logs::warn(logs::event("user_loader", "load_failed").user(user_id),
                     "loading the user failed: {}", e.what());
          return caf::make_error(caf::sec::runtime_error, "the database is unreachable");
        }
      },
  };
}

}  // namespace

user_loader_actor spawn_user_loader(caf::actor_system& system, std::string database_url) {
  return system.spawn<caf::detached>(loader_impl, std::move(database_url));
}

}  // namespace lastcall::actors

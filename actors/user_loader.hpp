#pragma once
// Reads one user's record (language, session) when their session actor starts. Runs detached with
// its own connection, so a slow read never blocks the writer or any other actor.

#include <cstdint>
#include <optional>
#include <string>

#include <caf/allowed_unsafe_message_type.hpp>
#include <caf/typed_actor.hpp>

#include "actors/atoms.hpp"
#include "domain/entities.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::optional<lastcall::domain::user_record>)

namespace lastcall::actors {

// (load_atom, user id) -> the user's record, nothing when they have none; an error when the
// database is unreachable.
using user_loader_actor =
    caf::typed_actor<caf::replies_to<load_atom, int64_t>::with<std::optional<domain::user_record>>>;

user_loader_actor spawn_user_loader(caf::actor_system& system, std::string database_url);

}  // namespace lastcall::actors

#pragma once
// Plain structs that travel in local messages. The system is not distributed, so they are allowed
// as "unsafe" (not serializable) message types instead of each carrying an inspect() overload.

#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>

#include "persistence/unit_of_work.hpp"
#include "telegram/api_call.hpp"
#include "telegram/types.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::persistence::unit_of_work)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::telegram::api_call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<lastcall::telegram::api_call>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::telegram::update)

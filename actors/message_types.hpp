#pragma once
// Plain structs that travel in local messages. The system is not distributed, so they are allowed
// as "unsafe" (not serializable) message types instead of each carrying an inspect() overload.

#include <memory>
#include <vector>

#include <caf/allowed_unsafe_message_type.hpp>

#include "domain/ranking.hpp"
#include "flows/services.hpp"
#include "market/market_book.hpp"
#include "market/offer_operations.hpp"
#include "persistence/unit_of_work.hpp"
#include "telegram/api_call.hpp"
#include "telegram/types.hpp"

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::persistence::unit_of_work)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::shared_ptr<lastcall::persistence::unit_of_work>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::telegram::api_call)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<lastcall::telegram::api_call>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::telegram::update)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::domain::business)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::domain::offer)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::optional<lastcall::domain::business>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<lastcall::domain::business>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<lastcall::domain::offer>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<lastcall::domain::reservation>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::domain::page_query)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::domain::offer_page)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::market::business_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::market::change_reply)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::market::offer_operation)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::market::offer_outcome)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(std::vector<lastcall::market::reservation_entry>)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::market::market_stats)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(lastcall::flows::notification)

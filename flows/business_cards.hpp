#pragma once
// How businesses, applications and deals look in the business and admin conversations, and the
// buttons that go with them. Button data is "<prefix>:<action>:<id>"; the handlers treat it as user
// input and re-check everything.

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/entities.hpp"
#include "flows/turn.hpp"

namespace lastcall::flows::biz {

// Callback-data prefixes of the admin decisions and of the deal management buttons.
inline constexpr const char* admin_prefix = "adm";
inline constexpr const char* manage_prefix = "mo";

// A deal the way customers will see it: what, how much cheaper, how many, when and where.
std::string customer_card(const turn& t, const domain::offer& o,
                          const std::optional<domain::business>& where);

// A deal the way its business manages it: id, state and the live figures.
std::string owner_card(const turn& t, const domain::offer& o);
// The actions the deal's state allows, as an inline keyboard (null when none).
nlohmann::json owner_buttons(const turn& t, const domain::offer& o);

// A business application as admins review it, with its status once decided.
std::string application_card(const turn& t, const domain::business& b);
// Approve / Reject while the application is pending; null once decided.
nlohmann::json application_buttons(const turn& t, const domain::business& b);

// Who decided an application: "you" for the reader, "admin <id>" otherwise.
std::string decider_name(const turn& t, const domain::business& b);

// The owner's view of their business.
std::string business_summary(const turn& t, const domain::business& b);

// A rejection reason for display: the preset reasons admins pick are stored as text keys and
// shown in the reader's language; typed reasons are shown as typed.
std::string reason_for_display(const turn& t, const std::string& reason);

}  // namespace lastcall::flows::biz

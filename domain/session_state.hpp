#pragma once
// What a user's session remembers between updates: language, where they are in a multi-step flow,
// and the drafts of every flow they started. Drafts are kept per flow, so leaving a half-finished
// form for another command and coming back later loses nothing. Stored as JSON in users.session.

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "domain/entities.hpp"

namespace lastcall::domain {

struct geo_point {
  double latitude = 0;
  double longitude = 0;
};

struct session_state {
  language lang = language::en;
  bool language_chosen = false;
  std::string flow;  // the multi-step flow waiting for input, e.g. "register"; empty when none
  std::string step;  // the step in that flow waiting for input
  nlohmann::json drafts = nlohmann::json::object();  // flow name -> that flow's draft
  std::optional<geo_point> location;                 // the last location the user shared
  int64_t location_at = 0;
  // Owns a verified business (set when the admins' approval reaches the owner, and checked again at
  // /start): their reply keyboard is the business's.
  bool owner = false;
  // An owner or admin who switched to the customer's menu to shop.
  bool shopping = false;

  bool in_flow() const { return !flow.empty(); }
  nlohmann::json& draft(const std::string& name) { return drafts[name]; }
  bool has_draft(const std::string& name) const {
    return drafts.contains(name) && !drafts.at(name).is_null() && !drafts.at(name).empty();
  }
  void leave_flow() {
    flow.clear();
    step.clear();
  }
  void discard_draft(const std::string& name) {
    drafts.erase(name);
    if (flow == name) leave_flow();
  }
};

bool operator==(const geo_point& a, const geo_point& b);
// Equal when they would be stored alike.
bool operator==(const session_state& a, const session_state& b);

nlohmann::json to_json(const session_state& state);
session_state session_from_json(const nlohmann::json& json, language fallback);

// The interface language for a Telegram language_code ("ru", "uz", "en-GB", ...); English
// otherwise.
language language_from_code(const std::string& code);

}  // namespace lastcall::domain

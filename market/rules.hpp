#pragma once
// The settings the market's decisions use, taken from the deployment's settings once, so that the
// market's classes need nothing else of them.

#include <cstdint>
#include <string>
#include <vector>

#include "config/settings.hpp"

namespace lastcall::market {

// For the registry and the drafts it creates.
struct market_rules {
  std::vector<int64_t> admin_ids;  // told of every application; the only ones who decide
  std::string currency;            // of every new offer
};

// For each offer's decisions.
struct offer_rules {
  int32_t max_items_per_customer = 0;  // <= 0: no limit
  int32_t cancel_cutoff_seconds = 0;   // before the pickup window starts
  int64_t reminder_seconds = 0;        // before the pickup window ends
};

market_rules market_rules_of(const config::settings& settings);
offer_rules offer_rules_of(const config::settings& settings);

}  // namespace lastcall::market

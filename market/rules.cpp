#include "market/rules.hpp"

namespace lastcall::market {

market_rules market_rules_of(const config::settings& settings) {
  return market_rules{settings.admin_ids, settings.currency};
}

offer_rules offer_rules_of(const config::settings& settings) {
  offer_rules rules;
  rules.max_items_per_customer = settings.max_items_per_customer;
  rules.cancel_cutoff_seconds = settings.cancel_cutoff_minutes * 60;
  rules.reminder_seconds = int64_t{settings.reminder_minutes} * 60;
  return rules;
}

}  // namespace lastcall::market

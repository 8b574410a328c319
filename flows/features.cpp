#include "flows/business.hpp"
#include "flows/discovery.hpp"
#include "flows/dispatcher.hpp"
#include "flows/general.hpp"
#include "flows/reservations.hpp"

namespace lastcall::flows {

dispatcher& default_dispatcher() {
  static dispatcher instance = [] {
    dispatcher r;
    add_general_handlers(r);
    add_discovery_handlers(r);
    add_reservations_handlers(r);
    add_business_handlers(r);
    return r;
  }();
  return instance;
}

}  // namespace lastcall::flows

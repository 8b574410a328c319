#include "flows/business.hpp"
#include "flows/discovery.hpp"
#include "flows/general.hpp"
#include "flows/reservations.hpp"
#include "flows/router.hpp"

namespace lastcall::flows {

router& default_router() {
  static router instance = [] {
    router r;
    register_general(r);
    register_discovery(r);
    register_reservations(r);
    register_business(r);
    return r;
  }();
  return instance;
}

}  // namespace lastcall::flows

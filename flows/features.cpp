#include "flows/general.hpp"
#include "flows/router.hpp"

namespace lastcall::flows {

router& default_router() {
  static router instance = [] {
    router r;
    register_general(r);
    return r;
  }();
  return instance;
}

}  // namespace lastcall::flows

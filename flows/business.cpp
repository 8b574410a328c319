#include "flows/business.hpp"

#include "flows/admin.hpp"
#include "flows/offer_editor.hpp"
#include "flows/offer_management.hpp"
#include "flows/registration.hpp"

namespace lastcall::flows {

void register_business(router& r) {
  register_registration(r);
  register_admin(r);
  register_offer_editor(r);
  register_offer_management(r);
}

}  // namespace lastcall::flows

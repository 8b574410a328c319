#include "flows/business.hpp"

#include "flows/admin.hpp"
#include "flows/offer_editor.hpp"
#include "flows/offer_management.hpp"
#include "flows/registration.hpp"

namespace lastcall::flows {

void add_business_handlers(dispatcher& r) {
  add_registration_handlers(r);
  add_admin_handlers(r);
  add_offer_editor_handlers(r);
  add_offer_management_handlers(r);
}

}  // namespace lastcall::flows

#include "flows/registration.hpp"

#include <optional>

#include "flows/business_cards.hpp"
#include "flows/business_common.hpp"
#include "flows/form.hpp"
#include "flows/form_drafts.hpp"
#include "flows/general.hpp"
#include "flows/notice_rendering.hpp"
#include "flows/role_commands.hpp"
#include "flows/services.hpp"

namespace lastcall::flows {

using namespace biz;

namespace {

constexpr const char* flow_name = "register";

const form& registration_form();

// Someone who already has a business in review or approved gets no second one.
void tell_existing(turn& t, const std::optional<domain::business>& b) {
  if (b && b->status == domain::business_status::verified) {
    tell(t, t.text("business.register.already_verified", {{"name", b->name}}), main_menu(t));
  } else {
    tell(t, t.text("business.register.already_pending", {{"name", b ? b->name : ""}}),
         main_menu(t));
  }
}

void submit(turn& t, services& s) {
  auto application = business_from_draft(form_draft(t, registration_form()), t.user_id());
  auto release = t.hold();
  s.register_business(std::move(application), t.now(), [&t, release](business_reply r) {
    using outcome = business_reply::outcome;
    merge_changes(t.unit(), std::move(r.changes));
    if (r.kind == outcome::ok && r.business) {
      t.session().discard_draft(flow_name);
      tell(t,
           t.text("business.register.submitted",
                  {{"name", r.business->name}, {"id", std::to_string(r.business->id)}}),
           main_menu(t));
    } else if (r.kind == outcome::already_registered) {
      t.session().discard_draft(flow_name);
      tell_existing(t, r.business);
    } else {
      // The answers stay in the draft: /register sends them again.
      t.session().leave_flow();
      tell(t, t.text("business.register.failed"), main_menu(t));
    }
    release();
  });
}

void start(turn& t, services& s, bool fresh) {
  auto release = t.hold();
  s.business_of_owner(t.user_id(), [&t, &s, release, fresh](std::optional<domain::business> b) {
    if (b && b->status != domain::business_status::rejected) {
      t.session().discard_draft(flow_name);
      tell_existing(t, b);
      release();
      return;
    }
    open_form(t, s, registration_form(), fresh,
              b ? "business.register.intro_again" : "business.register.intro");
    release();
  });
}

const form& registration_form() {
  static const form f = [] {
    form f(flow_name, registration_form_fields(), paused_form("/register"), submit);
    f.resume_key = "business.register.resume";
    f.start_over_data = "reg:new";
    return f;
  }();
  return f;
}

void my_business(turn& t, services& s) {
  auto release = t.hold();
  s.business_of_owner(t.user_id(), [&t, release](std::optional<domain::business> b) {
    if (b) {
      tell(t, business_summary(t, *b));
    } else {
      tell(t, t.text("business.mine.none"));
    }
    release();
  });
}

}  // namespace

void add_registration_handlers(dispatcher& r) {
  r.on_command("register", [](turn& t, services& s, const std::string&) { start(t, s, false); });
  r.on_command("mybusiness", [](turn& t, services& s, const std::string&) { my_business(t, s); });
  r.on_callback("reg", [](turn& t, services& s, const std::vector<std::string>& parts) {
    if (parts.size() != 1 || parts[0] != "new") {
      t.answer(t.text("error.stale_button"), true);
      return;
    }
    t.answer();
    start(t, s, true);
  });
  add_form_input(r, registration_form());
}

// The owner hears how the admins decided.
void render_notice(turn& t, services& s, const domain::notices::business_decided& n) {
  auto release = t.hold();
  s.business_by_id(n.business_id, [&t, release](std::optional<domain::business> b) {
    if (b && b->owner_id == t.user_id()) {
      // The keyboard follows the role from this message on.
      if (b->status == domain::business_status::verified) {
        t.session().owner = true;
        t.session().shopping = false;
        set_role_commands(t);
        tell(t, t.text("business.decided.approved", {{"name", b->name}}), main_menu(t));
      } else if (b->status == domain::business_status::rejected) {
        const bool was_owner = t.session().owner;
        t.session().owner = false;
        t.session().shopping = false;
        if (t.is_admin())
          set_role_commands(t);
        else if (was_owner)
          drop_role_commands(t);
        tell(t,
             t.text("business.decided.rejected",
                    {{"name", b->name}, {"reason", reason_for_display(t, b->reject_reason)}}),
             main_menu(t));
      }
    }
    release();
  });
}

}  // namespace lastcall::flows

#include "flows/registration.hpp"

#include <optional>

#include "domain/input_parsing.hpp"
#include "flows/business_cards.hpp"
#include "flows/business_common.hpp"
#include "flows/form_drafts.hpp"
#include "flows/general.hpp"
#include "flows/notice_rendering.hpp"
#include "flows/services.hpp"

namespace lastcall::flows {

using namespace biz;

namespace {

constexpr const char* flow_name = "register";

nlohmann::json& draft_of(turn& t) {
  auto& draft = t.session().draft(flow_name);
  if (!draft.is_object()) draft = nlohmann::json::object();
  return draft;
}

void ask(turn& t, const std::string& step) {
  if (step == "name") {
    tell(t, t.text("business.register.ask_name"), form_keyboard(t, {}));
  } else if (step == "address") {
    tell(t, t.text("business.register.ask_address"), form_keyboard(t, {}));
  } else if (step == "location") {
    tell(t, t.text("business.register.ask_location"),
         form_keyboard(t, {{{t.text("business.button.send_location"), true, false}}}));
  } else if (step == "phone") {
    tell(t, t.text("business.register.ask_phone"),
         form_keyboard(t, {{{t.text("business.button.share_phone"), false, true}}}));
  } else if (step == "photo") {
    tell(t, t.text("business.register.ask_photo"),
         form_keyboard(t, {{{t.text("business.button.skip")}}}));
  }
}

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
  auto application = business_from_draft(draft_of(t), t.user_id());
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

// Asks for the first missing answer, or sends the application once none is missing.
void advance(turn& t, services& s) {
  const auto next = next_registration_step(draft_of(t));
  if (next.empty()) {
    submit(t, s);
    return;
  }
  t.session().flow = flow_name;
  t.session().step = next;
  ask(t, next);
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
    if (fresh) t.session().discard_draft(flow_name);
    if (t.session().has_draft(flow_name)) {
      tell(t, t.text("business.register.resume"), start_over_button(t, "reg:new"));
    } else {
      tell(t, t.text(b ? "business.register.intro_again" : "business.register.intro"));
    }
    advance(t, s);
    release();
  });
}

void stop(turn& t) {
  t.session().leave_flow();
  tell(t, t.text("business.form.paused", {{"command", "/register"}}), main_menu(t));
}

bool take_text(turn& t, const std::string& field, size_t max_chars) {
  const auto& text = t.update().message->text;
  if (text.empty()) {
    tell(t, t.text("business.register.type_text"));
    return false;
  }
  auto checked = domain::validate_text(text, max_chars);
  if (!checked.ok()) {
    tell(t, input_refusal(t, checked.reason_key, max_chars));
    return false;
  }
  draft_of(t)[field] = *checked.value;
  return true;
}

bool take_location(turn& t) {
  const auto& message = *t.update().message;
  if (!message.location) {
    tell(t, t.text("business.register.use_location_button"));
    return false;
  }
  auto& draft = draft_of(t);
  draft["latitude"] = message.location->latitude;
  draft["longitude"] = message.location->longitude;
  return true;
}

bool take_phone(turn& t) {
  const auto& message = *t.update().message;
  const std::string raw = message.contact ? message.contact->phone_number : message.text;
  if (raw.empty()) {
    tell(t, t.text("business.register.use_phone_button"));
    return false;
  }
  auto checked = domain::validate_phone(raw);
  if (!checked.ok()) {
    tell(t, input_refusal(t, "input.phone.invalid"));
    return false;
  }
  draft_of(t)["phone"] = *checked.value;
  return true;
}

bool take_photo(turn& t) {
  const auto file_id = photo_file_id(t);
  if (!file_id.empty()) {
    draft_of(t)["photo"] = file_id;
    return true;
  }
  if (is_label(t, "business.button.skip", t.update().message->text)) {
    draft_of(t)["photo"] = "";
    return true;
  }
  tell(t, t.text("business.register.photo_or_skip"));
  return false;
}

void input(turn& t, services& s) {
  if (!t.update().message) return;
  if (is_label(t, stop_button_key, t.update().message->text)) {
    stop(t);
    return;
  }
  // The draft, not the remembered step, says what is missing: it is what gets sent.
  const auto step = next_registration_step(draft_of(t));
  bool taken = true;
  if (step == "name") {
    taken = take_text(t, "name", max_business_name_chars);
  } else if (step == "address") {
    taken = take_text(t, "address", max_business_address_chars);
  } else if (step == "location") {
    taken = take_location(t);
  } else if (step == "phone") {
    taken = take_phone(t);
  } else if (step == "photo") {
    taken = take_photo(t);
  }
  if (taken) advance(t, s);
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

// The owner hears how the admins decided.
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
  r.on_flow_input(flow_name, input);
}

void render_notice(turn& t, services& s, const domain::notices::business_decided& n) {
  auto release = t.hold();
  s.business_by_id(n.business_id, [&t, release](std::optional<domain::business> b) {
    if (b && b->owner_id == t.user_id()) {
      if (b->status == domain::business_status::verified) {
        tell(t, t.text("business.decided.approved", {{"name", b->name}}), main_menu(t));
      } else if (b->status == domain::business_status::rejected) {
        tell(t, t.text("business.decided.rejected",
                       {{"name", b->name}, {"reason", reason_for_display(t, b->reject_reason)}}));
      }
    }
    release();
  });
}

}  // namespace lastcall::flows

#include "flows/offer_editor.hpp"

#include <functional>
#include <optional>

#include "domain/deep_link.hpp"
#include "flows/business_cards.hpp"
#include "flows/business_common.hpp"
#include "flows/form.hpp"
#include "flows/form_drafts.hpp"
#include "flows/general.hpp"
#include "flows/offer_requests.hpp"
#include "flows/services.hpp"
#include "telegram/requests.hpp"

namespace lastcall::flows {

using namespace biz;

namespace {

constexpr const char* flow_name = "newoffer";
constexpr const char* prefix = "nof";

const form& offer_form();

nlohmann::json& draft_of(turn& t) {
  return form_draft(t, offer_form());
}

// Every change stamps the draft with the update that made it. Preview buttons carry the stamp, so
// a button under an older preview cannot publish content its user has not seen.
void stamp(turn& t) {
  draft_of(t)["rev"] = t.update().update_id;
}

std::string revision(turn& t) {
  const auto& draft = draft_of(t);
  if (!draft.contains("rev") || !draft["rev"].is_number_integer()) return "0";
  return std::to_string(draft["rev"].get<int64_t>());
}

std::string button_data(turn& t, const std::string& action) {
  return std::string(prefix) + ":" + action + ":" + revision(t);
}

// Runs `then` with the user's business when it is verified; tells them why not otherwise.
void with_verified_business(turn& t, services& s,
                            std::function<void(const domain::business&)> then) {
  auto release = t.hold();
  s.business_of_owner(t.user_id(), [&t, release, then](std::optional<domain::business> b) {
    if (!b) {
      refuse(t, t.text("business.offer.register_first"));
    } else if (b->status == domain::business_status::pending) {
      refuse(t, t.text("business.offer.wait_approval", {{"name", b->name}}));
    } else if (b->status == domain::business_status::rejected) {
      refuse(t, t.text("business.offer.rejected", {{"name", b->name}}));
    } else {
      then(*b);
    }
    release();
  });
}

void ask_next(turn& t, services& s) {
  advance(t, s, offer_form());
}

void show_preview(turn& t, services& s) {
  auto& draft = draft_of(t);
  auto offer = offer_from_draft(draft, t.settings().currency);
  if (offer.pickup_end <= t.now()) {
    // Saved a while ago: the window passed since. Ask for a new one instead of failing on publish.
    clear_offer_field(draft, "window");
    stamp(t);
    tell(t, t.text("business.offer.window_passed"));
    ask_next(t, s);
    return;
  }
  // The preview waits for its buttons, not for typing, so the menu works as usual meanwhile (📍
  // Nearby sends a location, which the form would otherwise take as an answer).
  if (t.session().flow == flow_name) t.session().leave_flow();
  auto release = t.hold();
  s.business_of_owner(t.user_id(), [&t, release, offer](std::optional<domain::business> b) {
    telegram::inline_keyboard rows = {
        {{t.text("business.button.publish"), button_data(t, "pub"), ""}},
        {{t.text("business.button.save_draft"), button_data(t, "save"), ""}},
        {{t.text("business.button.change_field"), button_data(t, "chg"), ""}},
    };
    tell(t, t.text("business.offer.preview_intro"), main_menu(t));
    const auto card = customer_card(t, offer, b);
    if (offer.photo_file_id.empty()) {
      tell(t, card, telegram::to_json(rows));
    } else {
      t.reply_photo(offer.photo_file_id, card, telegram::to_json(rows));
    }
    release();
  });
}

void start(turn& t, services& s, bool fresh) {
  with_verified_business(t, s, [&t, &s, fresh](const domain::business&) {
    open_form(t, s, offer_form(), fresh, "business.offer.intro");
  });
}

void publish_created(turn& t, services& s, int64_t offer_id, std::function<void()> release) {
  s.offer(market::publish_offer{offer_id, t.user_id(), t.now()}, [&t, &s, offer_id,
                                                                  release](change_reply r) {
    merge_changes(t.unit(), std::move(r.changes));
    if (r.ok) {
      tell(t,
           t.text("business.offer.published",
                  {{"title", r.offer.title},
                   {"id", std::to_string(offer_id)},
                   {"link", domain::offer_deep_link(s.bot_username(), offer_id)}}),
           main_menu(t));
    } else {
      tell(t,
           t.text("business.offer.saved_not_published",
                  {{"id", std::to_string(offer_id)}, {"reason", reason_text(t, r.reason_key)}}),
           main_menu(t));
    }
    release();
  });
}

// Publish and Save draft: the market creates the offer (a draft), and Publish then publishes it.
// The preview's buttons act on a draft; once there is none they are taken off.
void drop_preview_buttons(turn& t) {
  if (auto message_id = t.tapped_message_id())
    t.unit().outbox.push_back(telegram::edit_message_reply_markup(t.chat_id(), *message_id));
}

void create(turn& t, services& s, bool publish) {
  auto offer = offer_from_draft(draft_of(t), t.settings().currency);
  if (offer.pickup_end <= t.now()) {
    t.answer();
    show_preview(t, s);  // asks for a new window
    return;
  }
  t.answer();
  auto release = t.hold();
  s.create_offer(offer, t.user_id(), t.now(), [&t, &s, publish, release](change_reply r) {
    merge_changes(t.unit(), std::move(r.changes));
    if (!r.ok || r.offer.id <= 0) {
      tell(t, reason_text(t, r.reason_key.empty() ? "offer.refused.not_verified" : r.reason_key));
      release();
      return;
    }
    // The offer exists now: the form is done, whatever publishing says, and the preview's buttons
    // would only say so.
    t.session().discard_draft(flow_name);
    drop_preview_buttons(t);
    if (publish) {
      publish_created(t, s, r.offer.id, release);
      return;
    }
    tell(t,
         t.text("business.offer.saved",
                {{"title", r.offer.title}, {"id", std::to_string(r.offer.id)}}),
         main_menu(t));
    release();
  });
}

const form& offer_form() {
  static const form f = [] {
    form f(flow_name, offer_form_fields(), paused_form("/newoffer"), show_preview);
    f.on_answer = stamp;
    // Only a session saved in the middle of showing the preview gets a reply once complete.
    f.already_complete_key = "business.offer.use_preview_buttons";
    f.resume_key = "business.offer.resume";
    f.start_over_data = std::string(prefix) + ":new";
    return f;
  }();
  return f;
}

void choose_field(turn& t) {
  t.answer();
  telegram::inline_keyboard rows;
  for (const auto& field : offer_fields())
    rows.push_back({{t.text("business.field." + field), button_data(t, "f:" + field), ""}});
  tell(t, t.text("business.offer.choose_field"), telegram::to_json(rows));
}

void on_button(turn& t, services& s, const std::vector<std::string>& parts) {
  if (parts.size() == 1 && parts[0] == "new") {
    t.answer();
    start(t, s, true);
    return;
  }
  if (parts.empty()) {
    t.answer(t.text("error.stale_button"), true);
    return;
  }
  if (!t.session().has_draft(flow_name)) {
    t.answer(t.text("business.offer.no_draft"), true);
    drop_preview_buttons(t);
    return;
  }
  if (parts.back() != revision(t)) {
    t.answer(t.text("business.offer.preview_outdated"), true);
    ask_next(t, s);
    return;
  }
  const auto& action = parts[0];
  if ((action == "pub" || action == "save") && parts.size() == 2) {
    if (!next_offer_step(draft_of(t)).empty()) {
      t.answer();
      ask_next(t, s);
      return;
    }
    with_verified_business(t, s, [&t, &s, publish = action == "pub"](const domain::business&) {
      create(t, s, publish);
    });
  } else if (action == "chg" && parts.size() == 2) {
    choose_field(t);
  } else if (action == "f" && parts.size() == 3 && clear_offer_field(draft_of(t), parts[1])) {
    t.answer();
    stamp(t);
    ask_next(t, s);
  } else {
    t.answer(t.text("error.stale_button"), true);
  }
}

}  // namespace

void add_offer_editor_handlers(dispatcher& r) {
  r.on_command("newoffer", [](turn& t, services& s, const std::string&) { start(t, s, false); });
  r.on_menu_button("menu.new_deal", "newoffer");
  r.on_callback(prefix, on_button);
  add_form_input(r, offer_form());
}

}  // namespace lastcall::flows

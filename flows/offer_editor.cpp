#include "flows/offer_editor.hpp"

#include <functional>
#include <optional>

#include "domain/deep_link.hpp"
#include "domain/input_parsing.hpp"
#include "flows/business_cards.hpp"
#include "flows/business_common.hpp"
#include "flows/form_drafts.hpp"
#include "flows/general.hpp"
#include "flows/services.hpp"

namespace lastcall::flows {

using namespace biz;

namespace {

constexpr const char* flow_name = "newoffer";
constexpr const char* prefix = "nof";

nlohmann::json& draft_of(turn& t) {
  auto& draft = t.session().draft(flow_name);
  if (!draft.is_object()) draft = nlohmann::json::object();
  return draft;
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

void ask(turn& t, const std::string& step) {
  if (step == "title") {
    tell(t, t.text("business.offer.ask_title"), form_keyboard(t, {}));
  } else if (step == "description") {
    tell(t, t.text("business.offer.ask_description"), form_keyboard(t, {}));
  } else if (step == "photo") {
    tell(t, t.text("business.offer.ask_photo"),
         form_keyboard(t, {{{t.text("business.button.skip")}}}));
  } else if (step == "original_price") {
    tell(t, t.text("business.offer.ask_original", {{"currency", t.settings().currency}}),
         form_keyboard(t, {}));
  } else if (step == "deal_price") {
    const auto original = draft_of(t).value("original_price", int64_t{0});
    tell(t, t.text("business.offer.ask_deal", {{"original", money_text(t, original)}}),
         form_keyboard(t, {}));
  } else if (step == "quantity") {
    tell(t, t.text("business.offer.ask_quantity"), form_keyboard(t, {}));
  } else if (step == "window") {
    tell(t, t.text("business.offer.ask_window"), form_keyboard(t, {}));
  }
}

void advance(turn& t, services& s);

void show_preview(turn& t, services& s) {
  auto& draft = draft_of(t);
  auto offer = offer_from_draft(draft, t.settings().currency);
  if (offer.pickup_end <= t.now()) {
    // Saved a while ago: the window passed since. Ask for a new one instead of failing on publish.
    clear_offer_field(draft, "window");
    stamp(t);
    tell(t, t.text("business.offer.window_passed"));
    advance(t, s);
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

// Asks for the first missing answer, or shows the preview once none is missing.
void advance(turn& t, services& s) {
  const auto next = next_offer_step(draft_of(t));
  if (next.empty()) {
    show_preview(t, s);
    return;
  }
  t.session().flow = flow_name;
  t.session().step = next;
  ask(t, next);
}

void start(turn& t, services& s, bool fresh) {
  with_verified_business(t, s, [&t, &s, fresh](const domain::business&) {
    if (fresh) t.session().discard_draft(flow_name);
    if (t.session().has_draft(flow_name)) {
      tell(t, t.text("business.offer.resume"), start_over_button(t, std::string(prefix) + ":new"));
    } else {
      tell(t, t.text("business.offer.intro"));
    }
    advance(t, s);
  });
}

void stop(turn& t) {
  t.session().leave_flow();
  tell(t, t.text("business.form.paused", {{"command", "/newoffer"}}), main_menu(t));
}

bool take_text(turn& t, const char* field, size_t max_chars, bool allow_newlines) {
  const auto& text = t.update().message->text;
  if (text.empty()) {
    tell(t, t.text("business.offer.type_text"));
    return false;
  }
  auto checked = domain::validate_text(text, max_chars, allow_newlines);
  if (!checked.ok()) {
    tell(t, input_refusal(t, checked.reason_key, max_chars));
    return false;
  }
  draft_of(t)[field] = *checked.value;
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
  tell(t, t.text("business.offer.photo_or_skip"));
  return false;
}

bool take_price(turn& t, const char* field) {
  auto price = domain::parse_money(t.update().message->text);
  if (!price.ok()) {
    tell(t, input_refusal(t, price.reason_key));
    return false;
  }
  auto& draft = draft_of(t);
  if (std::string(field) == "deal_price") {
    const auto original = draft.value("original_price", int64_t{0});
    if (*price.value >= original) {
      tell(t, t.text("business.offer.deal_not_lower", {{"original", money_text(t, original)}}));
      return false;
    }
  }
  draft[field] = *price.value;
  return true;
}

bool take_quantity(turn& t) {
  auto quantity = domain::parse_quantity(t.update().message->text);
  if (!quantity.ok()) {
    tell(t, input_refusal(t, quantity.reason_key));
    return false;
  }
  draft_of(t)["quantity"] = *quantity.value;
  return true;
}

bool take_window(turn& t) {
  auto window = domain::parse_pickup_window(t.update().message->text, t.now(),
                                            t.settings().utc_offset_minutes);
  if (!window.ok()) {
    tell(t, input_refusal(t, window.reason_key));
    return false;
  }
  auto& draft = draft_of(t);
  draft["pickup_start"] = window.value->start;
  draft["pickup_end"] = window.value->end;
  return true;
}

void input(turn& t, services& s) {
  if (!t.update().message) return;
  if (is_label(t, stop_button_key, t.update().message->text)) {
    stop(t);
    return;
  }
  const auto step = next_offer_step(draft_of(t));
  if (step.empty()) {
    // Only a session saved in the middle of showing the preview gets here: show it again.
    tell(t, t.text("business.offer.use_preview_buttons"));
    show_preview(t, s);
    return;
  }
  bool taken = false;
  if (step == "title") {
    taken = take_text(t, "title", max_offer_title_chars, false);
  } else if (step == "description") {
    taken = take_text(t, "description", max_offer_description_chars, true);
  } else if (step == "photo") {
    taken = take_photo(t);
  } else if (step == "original_price" || step == "deal_price") {
    taken = take_price(t, step.c_str());
  } else if (step == "quantity") {
    taken = take_quantity(t);
  } else if (step == "window") {
    taken = take_window(t);
  }
  if (!taken) return;
  stamp(t);
  advance(t, s);
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
    // The offer exists now: the form is done, whatever publishing says.
    t.session().discard_draft(flow_name);
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
    return;
  }
  if (parts.back() != revision(t)) {
    t.answer(t.text("business.offer.preview_outdated"), true);
    advance(t, s);
    return;
  }
  const auto& action = parts[0];
  if ((action == "pub" || action == "save") && parts.size() == 2) {
    if (!next_offer_step(draft_of(t)).empty()) {
      t.answer();
      advance(t, s);
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
    advance(t, s);
  } else {
    t.answer(t.text("error.stale_button"), true);
  }
}

}  // namespace

void add_offer_editor_handlers(dispatcher& r) {
  r.on_command("newoffer", [](turn& t, services& s, const std::string&) { start(t, s, false); });
  r.on_callback(prefix, on_button);
  r.on_flow_input(flow_name, input);
}

}  // namespace lastcall::flows

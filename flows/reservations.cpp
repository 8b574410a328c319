#include "flows/reservations.hpp"

#include <algorithm>
#include <functional>
#include <optional>

#include "domain/input_parsing.hpp"
#include "domain/pickup_code.hpp"
#include "flows/customer_card.hpp"
#include "flows/customer_format.hpp"
#include "flows/customer_reservation_views.hpp"
#include "flows/discovery.hpp"
#include "flows/notice_rendering.hpp"
#include "flows/services.hpp"
#include "telegram/keyboards.hpp"

namespace lastcall::flows {

namespace {

// Longer than any id or pickup code: what /cancel is given is someone's typing.
constexpr size_t max_cancel_argument = 32;
// Telegram's limit for a message's text, counted here in code points like the list's own.
constexpr size_t message_limit = 4096;

void stale_button(turn& t) {
  t.answer(t.text("error.stale_button"), true);
}

std::string known_key_or(const turn& t, const std::string& key, const std::string& fallback) {
  return !key.empty() && t.texts().has(domain::language::en, key) ? key : fallback;
}

domain::text_args refusal_args(const turn& t, const reserve_reply& r) {
  return {{"left", std::to_string(std::max(0, r.left))},
          {"may_take", std::to_string(std::max(0, r.may_take))},
          {"max", std::to_string(t.settings().max_items_per_customer)},
          {"minutes", std::to_string(t.settings().cancel_cutoff_minutes)}};
}

// ---- Reserve

void reserve_tapped(turn& t, services& s, const std::vector<std::string>& parts) {
  if (parts.size() < 2 || parts.size() > 3) return stale_button(t);
  auto id = parse_id(parts[0]);
  auto wanted = parse_number(parts[1], domain::max_quantity + 1);
  auto back = parts.size() == 3 ? decode_position(parts[2]) : list_position{};
  if (!id || !wanted || !back) return stale_button(t);
  const int32_t quantity = static_cast<int32_t>(*wanted);
  if (quantity < 1 || quantity > domain::max_quantity) {
    t.answer(t.text("reserve.invalid_quantity"), true);
    return;
  }

  // A re-delivered update finds the reservation its first delivery made.
  market::reserve_items request{*id, t.user_id(), quantity, t.now(),
                                "u:" + std::to_string(t.update().update_id)};

  auto release = t.hold();
  s.offer(std::move(request), [&t, quantity, back = *back, release](reserve_reply r) {
    if (!shown_to_customers(r)) {
      offer_gone(t, r);
      release();
      return;
    }
    merge_changes(t.unit(), std::move(r.changes));
    auto view = card_view_of(t, r);
    if (r.ok && r.reservation) {
      const bool repeated = r.outcome == domain::reserve_result::outcome::already_done;
      t.answer(t.text(repeated ? "reserve.already_done" : "reserve.reserved",
                      {{"code", r.reservation->code}}));
      reservation_entry entry{*r.reservation, r.offer, r.business};
      t.reply(confirmation_text(t, entry), confirmation_keyboard(t, entry));
      redraw_card(t, view, 1, back);
    } else {
      t.answer(t.text(known_key_or(t, r.reason_key, "customer.reserve.failed"), refusal_args(t, r)),
               true);
      // The card was drawn before whatever refused this: show the current truth.
      if (r.offer.id != 0) redraw_card(t, view, quantity, back);
    }
    release();
  });
}

// ---- Cancel

// Which reservation someone means: by number, or by the pickup code they were given. Codes may
// be all digits, so typed digits are tried as a number first, then as a code.
struct cancel_target {
  std::optional<int64_t> id;
  std::string code;  // normalized; empty when only a number was given

  template <class It>
  It find(It first, It last) const {
    if (id) {
      auto it = std::find_if(first, last,
                             [&](const reservation_entry& e) { return e.reservation.id == *id; });
      if (it != last) return it;
    }
    if (code.empty()) return last;
    return std::find_if(first, last, [&](const reservation_entry& e) {
      return domain::normalize_pickup_code(e.reservation.code) == code;
    });
  }
};

std::string key_for_status(domain::reservation_status status) {
  switch (status) {
    case domain::reservation_status::cancelled:
      return "cancel.already_cancelled";
    case domain::reservation_status::collected:
      return "cancel.already_collected";
    case domain::reservation_status::no_show:
      return "cancel.no_show";
    case domain::reservation_status::active:
      break;
  }
  return "cancel.not_found";
}

// Tells how a cancellation went: a popup for a tapped button, a message for /cancel.
void tell(turn& t, const std::string& key, bool ok) {
  domain::text_args args = {{"minutes", std::to_string(t.settings().cancel_cutoff_minutes)}};
  if (t.update().callback_query)
    t.answer(t.text(key, args), !ok);
  else
    t.reply(t.text(key, args));
}

// Redraws the tapped message as things are now: the reservation (with a Cancel button only while
// it may be cancelled), or the list it was tapped in. `shown` is the list with `entry` as it is.
void show_as_it_is(turn& t, const reservation_entry& entry, cancel_origin origin,
                   const std::vector<reservation_entry>& shown) {
  auto message_id = t.tapped_message_id();
  if (!message_id) return;
  if (origin == cancel_origin::list)
    t.edit(*message_id, reservations_text(t, shown), reservations_keyboard(t, shown));
  else
    t.edit(*message_id, reservation_text(t, entry), confirmation_keyboard(t, entry));
}

// The question goes where the button was tapped, right above its Yes / No buttons; /cancel gets it
// as a message of its own, under the reservation it found.
void ask_to_confirm(turn& t, const reservation_entry& entry, cancel_origin origin,
                    const std::vector<reservation_entry>& shown) {
  const auto question = cancel_question(t, entry);
  auto keyboard = cancel_question_keyboard(t, entry, origin);
  auto message_id = t.tapped_message_id();
  if (!message_id) {
    t.reply(confirmation_text(t, entry) + "\n\n" + question, std::move(keyboard));
    return;
  }
  if (origin == cancel_origin::list) {
    // The list is shortened, never the question.
    const size_t room = message_limit - code_points(question) - 2;
    t.edit(*message_id, shorten(reservations_text(t, shown), room) + "\n\n" + question,
           std::move(keyboard));
  } else {
    t.edit(*message_id, confirmation_text(t, entry) + "\n\n" + question, std::move(keyboard));
  }
}

void cancel_confirmed(turn& t, services& s, reservation_entry entry, cancel_origin origin,
                      std::vector<reservation_entry> shown, bool tapped,
                      std::function<void()> release) {
  market::cancel_reservation request{entry.offer.id, t.user_id(), entry.reservation.id, t.now()};
  s.offer(request,
          [&t, entry, origin, shown = std::move(shown), tapped, release](cancel_reply r) mutable {
            if (!r.found) {
              // Not found with a reason: the market could not answer.
              tell(t, r.reason_key == "error.internal" ? r.reason_key : "cancel.not_found", false);
              release();
              return;
            }
            merge_changes(t.unit(), std::move(r.changes));
            if (r.ok) {
              if (r.reservation) entry.reservation = *r.reservation;
              entry.reservation.status = domain::reservation_status::cancelled;
              for (auto& e : shown)
                if (e.reservation.id == entry.reservation.id) e.reservation = entry.reservation;
              if (tapped) {
                tell(t, "cancel.cancelled", true);
                show_as_it_is(t, entry, origin, shown);
              } else {
                t.reply(cancelled_text(t, entry));
              }
            } else {
              tell(t, known_key_or(t, r.reason_key, "cancel.not_found"), false);
            }
            release();
          });
}

// The customer's own reservations are looked up first: they say which offer to ask, and someone
// else's reservation number finds nothing. Before anything is given back the customer is asked
// once more; the offer actor then decides (ownership, cut-off).
void cancel_reservation(turn& t, services& s, cancel_target target, cancel_origin origin,
                        cancel_step step) {
  auto release = t.hold();
  s.reservations_of_customer(t.user_id(), [&t, &s, target, origin, step,
                                           release](std::vector<reservation_entry> entries) {
    auto it = target.find(entries.begin(), entries.end());
    if (it == entries.end()) {
      tell(t, "cancel.not_found", false);
      release();
      return;
    }
    auto entry = *it;
    auto shown = reservations_to_show(std::move(entries));
    const bool tapped = t.update().callback_query.has_value();
    if (entry.reservation.status != domain::reservation_status::active) {
      // An old button: say why, and take it off the message.
      tell(t, key_for_status(entry.reservation.status), false);
      if (tapped) show_as_it_is(t, entry, origin, shown);
    } else if (step == cancel_step::keep) {
      t.answer(t.text("cancel.kept"));
      show_as_it_is(t, entry, origin, shown);
    } else if (!still_cancellable(t, entry)) {
      tell(t, "cancel.too_late", false);
      if (tapped) show_as_it_is(t, entry, origin, shown);
    } else if (step == cancel_step::ask) {
      ask_to_confirm(t, entry, origin, shown);
    } else {
      return cancel_confirmed(t, s, std::move(entry), origin, std::move(shown), tapped, release);
    }
    release();
  });
}

// "cancel:<id>[:l][:y|:n]"; anything else is not a button of ours.
void cancel_tapped(turn& t, services& s, const std::vector<std::string>& parts) {
  if (parts.empty() || parts.size() > 3) return stale_button(t);
  auto id = parse_id(parts[0]);
  if (!id) return stale_button(t);
  size_t next = 1;
  auto origin = cancel_origin::confirmation;
  if (next < parts.size() && parts[next] == "l") {
    origin = cancel_origin::list;
    ++next;
  }
  auto step = cancel_step::ask;
  if (next < parts.size()) {
    if (parts[next] == "y")
      step = cancel_step::confirm;
    else if (parts[next] == "n")
      step = cancel_step::keep;
    else
      return stale_button(t);
    ++next;
  }
  if (next != parts.size()) return stale_button(t);
  cancel_target target;
  target.id = id;
  cancel_reservation(t, s, target, origin, step);
}

void cancel_command(turn& t, services& s, const std::string& args) {
  auto argument = domain::validate_text(args, max_cancel_argument);
  if (!argument.ok()) {
    if (argument.reason_key == "input.empty")
      t.reply(t.text("customer.cancel.usage"));
    else
      t.reply(t.text("cancel.not_found"));
    return;
  }
  cancel_target target;
  const std::string& text = *argument.value;
  const std::string digits = text[0] == '#' ? text.substr(1) : text;
  target.id = parse_id(digits);
  target.code = domain::normalize_pickup_code(text);
  cancel_reservation(t, s, target, cancel_origin::confirmation, cancel_step::ask);
}

// ---- /reservations

void list_reservations(turn& t, services& s, const std::string&) {
  auto release = t.hold();
  s.reservations_of_customer(t.user_id(), [&t, release](std::vector<reservation_entry> entries) {
    auto shown = reservations_to_show(std::move(entries));
    t.reply(reservations_text(t, shown), reservations_keyboard(t, shown));
    release();
  });
}

// Customers page through their past reservations. The data carries only a page: whoever taps
// sees their own history, so a forged button shows nobody else's.
void history_tapped(turn& t, services& s, const std::vector<std::string>& parts) {
  const auto offset =
      parts.empty() || parts.size() > 2 ? std::nullopt : domain::history_offset_named(parts[0]);
  const bool in_place = parts.size() == 2 && parts[1] == "p";
  if (!offset || (parts.size() == 2 && !in_place)) {
    t.answer(t.text("error.stale_button"), true);
    return;
  }
  const auto message_id = in_place ? t.tapped_message_id() : std::nullopt;
  auto release = t.hold();
  s.past_reservations(t.user_id(), *offset,
                      [&t, release, offset = *offset,
                       message_id](std::optional<domain::reservation_history_page> page) {
                        if (!page) {
                          t.answer(t.text("customer.history.unavailable"), true);
                        } else {
                          t.answer();
                          auto text = history_text(t, *page, offset);
                          auto keyboard = history_keyboard(t, *page, offset);
                          if (message_id)
                            t.edit(*message_id, text, std::move(keyboard));
                          else
                            t.reply(text, std::move(keyboard));
                        }
                        release();
                      });
}

// ---- Notifications

void notify_user(turn& t, const std::string& text, nlohmann::json markup = nullptr) {
  t.send_to(t.user_id(), text, std::move(markup));
}

nlohmann::json cancel_buttons(const turn& t, const std::vector<int64_t>& reservation_ids) {
  if (reservation_ids.empty()) return nullptr;
  telegram::inline_keyboard rows;
  for (auto id : reservation_ids)
    rows.push_back({{t.text("customer.reservation.cancel_button"),
                     cancel_data(id, cancel_origin::confirmation), ""}});
  return telegram::to_json(rows);
}

}  // namespace

void add_reservations_handlers(dispatcher& r) {
  r.on_command("reservations", list_reservations);
  r.on_menu_button("menu.reservations", "reservations");
  r.on_command("cancel", cancel_command);
  r.on_callback("res", reserve_tapped);
  r.on_callback("cancel", cancel_tapped);
  r.on_callback("hist", history_tapped);
}

// The reservation still stands: the customer may keep it or give it back, so the message carries
// the Cancel buttons of what they hold on that offer.
void render_notice(turn& t, services& s, const domain::notices::offer_paused& n) {
  const auto text = t.text("customer.notify.offer_paused", {{"title", n.title}});
  if (n.reservation_id > 0) {
    notify_user(t, text, cancel_buttons(t, {n.reservation_id}));
    return;
  }
  auto release = t.hold();
  s.reservations_of_customer(t.user_id(), [&t, text, offer_id = n.offer_id,
                                           release](std::vector<reservation_entry> entries) {
    std::vector<int64_t> held;
    for (const auto& e : entries)
      if (e.offer.id == offer_id && e.reservation.status == domain::reservation_status::active)
        held.push_back(e.reservation.id);
    notify_user(t, text, cancel_buttons(t, held));
    release();
  });
}

void render_notice(turn& t, services&, const domain::notices::offer_ended& n) {
  // No keyboard: the customer may be in the middle of a form whose keyboard must stay.
  notify_user(t, t.text("customer.notify.offer_ended", {{"title", n.title}}));
}

void render_notice(turn& t, services&, const domain::notices::pickup_reminder& n) {
  notify_user(t, t.text("customer.notify.reminder",
                        {{"title", n.title},
                         {"code", n.code},
                         {"time", n.pickup_end > 0 ? clock_text(t, n.pickup_end) : ""},
                         {"address", n.address}}));
}

void render_notice(turn& t, services&, const domain::notices::missed_pickup& n) {
  notify_user(t, t.text("customer.notify.no_show", {{"title", n.title}}));
}

}  // namespace lastcall::flows

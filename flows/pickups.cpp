#include "flows/pickups.hpp"

#include <algorithm>

#include "flows/business_cards.hpp"
#include "flows/business_common.hpp"
#include "flows/general.hpp"
#include "flows/notice_rendering.hpp"
#include "flows/offer_requests.hpp"
#include "flows/services.hpp"

namespace lastcall::flows::biz {

namespace {

constexpr const char* collect_flow = "collect";
constexpr size_t max_listed_reservations = 30;
constexpr size_t max_collect_buttons = 20;

std::string status_name(const turn& t, domain::reservation_status status) {
  return t.text(std::string("offers.reservation_status.") + domain::to_string(status));
}

// Why a reservation that is no longer active cannot be collected, in the collect.* words.
std::string not_active_key(domain::reservation_status status) {
  switch (status) {
    case domain::reservation_status::collected:
      return "collect.already_collected";
    case domain::reservation_status::cancelled:
      return "collect.cancelled";
    case domain::reservation_status::no_show:
      return "collect.no_show";
    case domain::reservation_status::active:
      break;
  }
  return {};
}

// `markup`: the keyboard the outcome brings back (the menu, after the code was asked for).
void tell_collected(turn& t, collect_reply r, nlohmann::json markup = nullptr) {
  merge_changes(t.unit(), std::move(r.changes));
  if (r.ok && r.reservation) {
    const auto& reservation = *r.reservation;
    const auto done =
        t.text("collect.collected",
               {{"id", std::to_string(reservation.id)},
                {"quantity", std::to_string(reservation.quantity)},
                {"title", r.offer.title},
                {"total", money_text(t, reservation.deal_price * reservation.quantity)}});
    if (t.update().callback_query) t.answer(t.text("offers.collected_toast"));
    tell(t, done, std::move(markup));
    return;
  }
  std::string key = r.reason_key;
  if (key.empty()) key = !r.found ? "collect.wrong_code" : "collect.not_yours";
  if (!markup.is_null())
    tell(t, reason_text(t, key), std::move(markup));
  else
    refuse(t, reason_text(t, key));
}

void collect_code(turn& t, services& s, const std::string& code, nlohmann::json markup = nullptr) {
  auto release = t.hold();
  s.collect(t.user_id(), code, t.now(), [&t, release, markup](collect_reply r) {
    tell_collected(t, std::move(r), markup);
    release();
  });
}

// /collect without a code (or the 🔑 Confirm pickup button) asks for it; the next message is the
// code, or Stop.
void collect_command(turn& t, services& s, const std::string& args) {
  const auto code = split_first_word(args).first;
  if (!code.empty()) return collect_code(t, s, code);
  t.session().flow = collect_flow;
  t.session().step = "code";
  tell(t, t.text("collect.ask_code"), form_keyboard(t, {}));
}

void typed_code(turn& t, services& s) {
  if (!t.update().message) return;
  const auto& text = t.update().message->text;
  t.session().leave_flow();
  if (text.empty() || is_label(t, stop_button_key, text)) {
    tell(t, t.text("collect.stopped"), main_menu(t));
    return;
  }
  // The menu comes back with the outcome, whatever it is.
  collect_code(t, s, split_first_word(text).first, main_menu(t));
}

}  // namespace

namespace {

struct reservations_list {
  std::string text;
  nlohmann::json markup;  // a Collect button per active reservation; null when none
};

// The deal's reservations, newest first, as the owner's list shows them.
reservations_list list_of(const turn& t, int64_t offer_id, const domain::offer& offer,
                          std::vector<domain::reservation> reservations) {
  std::sort(reservations.begin(), reservations.end(),
            [](const auto& a, const auto& b) { return a.id > b.id; });
  std::string text = t.text("offers.reservations.header",
                            {{"title", offer.title}, {"id", std::to_string(offer_id)}});
  telegram::inline_keyboard rows;
  const auto shown = std::min(reservations.size(), max_listed_reservations);
  for (size_t i = 0; i < shown; ++i) {
    const auto& x = reservations[i];
    text += "\n" + t.text("offers.reservations.line", {{"id", std::to_string(x.id)},
                                                       {"quantity", std::to_string(x.quantity)},
                                                       {"status", status_name(t, x.status)}});
    if (x.status == domain::reservation_status::active && rows.size() < max_collect_buttons) {
      rows.push_back({{t.text("offers.button.collect", {{"id", std::to_string(x.id)},
                                                        {"quantity", std::to_string(x.quantity)}}),
                       std::string(manage_prefix) + ":col:" + std::to_string(offer_id) + ":" +
                           std::to_string(x.id),
                       ""}});
    }
  }
  if (reservations.size() > shown)
    text += "\n" + t.text("offers.reservations.more",
                          {{"count", std::to_string(reservations.size() - shown)}});
  return {text, rows.empty() ? nlohmann::json(nullptr) : telegram::to_json(rows)};
}

// The list a Collect button was tapped in, redrawn as things are now.
void redraw_list(turn& t, int64_t offer_id, const reservations_reply& r) {
  auto message_id = t.tapped_message_id();
  if (!message_id) return;
  auto list = list_of(t, offer_id, r.offer, r.reservations);
  t.edit(*message_id, list.text, std::move(list.markup));
}

}  // namespace

void show_reservations(turn& t, services& s, int64_t offer_id) {
  with_own_reservations(t, s, offer_id, [&t, offer_id](reservations_reply r, auto release) {
    t.answer();
    if (r.reservations.empty()) {
      tell(t, t.text("offers.reservations.none", {{"title", r.offer.title}}));
    } else {
      auto list = list_of(t, offer_id, r.offer, r.reservations);
      tell(t, list.text, std::move(list.markup));
    }
    release();
  });
}

// From the list: the code is looked up from the owner's own reservation list, never taken from
// the button, and the list is redrawn with what became of the reservation.
void collect_reservation(turn& t, services& s, int64_t offer_id, int64_t reservation_id) {
  with_own_reservations(
      t, s, offer_id, [&t, &s, offer_id, reservation_id](reservations_reply r, auto release) {
        auto it = std::find_if(r.reservations.begin(), r.reservations.end(),
                               [reservation_id](const auto& x) { return x.id == reservation_id; });
        if (it == r.reservations.end()) {
          refuse(t, t.text("offers.reservations.not_found"));
          release();
          return;
        }
        if (it->status != domain::reservation_status::active) {
          refuse(t, reason_text(t, not_active_key(it->status)));
          redraw_list(t, offer_id, r);
          release();
          return;
        }
        s.collect(t.user_id(), it->code, t.now(),
                  [&t, offer_id, r, release](collect_reply collected) mutable {
                    if (collected.ok && collected.reservation) {
                      for (auto& x : r.reservations)
                        if (x.id == collected.reservation->id) x = *collected.reservation;
                    }
                    const bool ok = collected.ok;
                    tell_collected(t, std::move(collected));
                    if (ok) redraw_list(t, offer_id, r);
                    release();
                  });
      });
}

void add_pickups_handlers(dispatcher& r) {
  r.on_command("collect", collect_command);
  r.on_menu_button("menu.confirm_pickup", "collect");
  r.on_flow_input(collect_flow, typed_code);
}

}  // namespace lastcall::flows::biz

namespace lastcall::flows {

namespace {

// The button under an owner's news that opens the deal's reservation list.
nlohmann::json reservations_button(const turn& t, int64_t offer_id) {
  telegram::inline_keyboard rows = {
      {{t.text("offers.button.reservations"),
        std::string(biz::manage_prefix) + ":res:" + std::to_string(offer_id), ""}}};
  return telegram::to_json(rows);
}

void tell_new_reservations(turn& t, const domain::notices::new_reservations& n) {
  // Counted in items, as the owner prepares them; a notice stored before items were counted has
  // only the number of reservations.
  const auto items = n.items > 0 ? n.items : n.count;
  const domain::text_args args = {{"count", std::to_string(n.count)},
                                  {"items", std::to_string(items)},
                                  {"cancelled", std::to_string(n.cancelled_items)},
                                  {"title", n.title},
                                  {"left", std::to_string(n.left)}};
  std::string text;
  if (n.count > 0) {
    text = t.text("offers.new_reservations", args);
    if (n.cancelled_items > 0) text += " " + t.text("offers.new_reservations.cancelled", args);
  } else {
    text = t.text("offers.reservations_cancelled", args);
  }
  biz::tell(t, text, reservations_button(t, n.offer_id));
}

}  // namespace

// A notice that arrives after the owner already handed over everything in it (a batch waits up to
// OWNER_NOTIFY_INTERVAL_SECONDS) would no longer be true news: it is dropped.
void render_notice(turn& t, services& s, const domain::notices::new_reservations& n) {
  if (n.reservation_ids.empty() || n.cancelled_items > 0) return tell_new_reservations(t, n);
  auto release = t.hold();
  s.offer(market::list_reservations{n.offer_id, t.user_id()},
          [&t, release, n](market::reservations_reply r) {
            if (!r.found || !r.allowed || !domain::already_picked_up(n, r.reservations))
              tell_new_reservations(t, n);
            release();
          });
}

void render_notice(turn& t, services&, const domain::notices::window_ended& n) {
  biz::tell(t,
            t.text("offers.window_ended", {{"title", n.title},
                                           {"picked_up", std::to_string(n.picked_up)},
                                           {"missed", std::to_string(n.missed)},
                                           {"unsold", std::to_string(n.unsold)}}),
            reservations_button(t, n.offer_id));
}

}  // namespace lastcall::flows

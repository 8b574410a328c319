#include "flows/discovery.hpp"

#include <cmath>
#include <optional>

#include "domain/deep_link.hpp"
#include "domain/input_parsing.hpp"
#include "domain/ranking.hpp"
#include "flows/customer_card.hpp"
#include "flows/customer_format.hpp"
#include "flows/customer_lists.hpp"
#include "flows/general.hpp"
#include "telegram/requests.hpp"

namespace lastcall::flows {

namespace {

using list = list_position::list;

// A venue's name and address are kept short: they are one line each on the map card.
constexpr size_t venue_text_limit = 128;

void stale_button(turn& t) {
  t.answer(t.text("error.stale_button"), true);
}

void ask_for_location(turn& t) {
  // The main menu's Nearby button shares the location in one tap.
  if (t.update().callback_query) t.answer(t.text("customer.nearby.ask_short"), true);
  t.reply(t.text("customer.nearby.ask"), main_menu(t));
}

// Sends the list page as a new message, or puts it in place of the tapped list.
void show_list(turn& t, services& s, list_position at, bool in_place) {
  if (at.which == list::nearby && !t.session().location) {
    ask_for_location(t);
    return;
  }
  std::optional<int64_t> message_id = in_place ? t.tapped_message_id() : std::nullopt;
  auto release = t.hold();
  domain::page_query query;
  query.now = t.now();
  query.user = t.session().location;
  if (at.which == list::nearby) query.radius_m = t.settings().nearby_radius_meters;
  query.index = at.page;
  query.page_size = t.settings().page_size;
  s.offer_page(query, [&t, at, message_id, release](domain::offer_page page) {
    auto text = list_text(t, page, at.which);
    auto keyboard = list_keyboard(t, page, at.which);
    if (message_id)
      t.edit(*message_id, text, keyboard);
    else
      t.reply(text, keyboard);
    release();
  });
}

void open_card(turn& t, services& s, int64_t offer_id, list_position back, bool from_link) {
  auto release = t.hold();
  s.offer(view_request(t, offer_id), [&t, back, from_link, release](view_reply r) {
    if (!shown_to_customers(r)) {
      offer_gone(t, r);
    } else {
      send_card(t, card_view_of(t, r), 1, back);
      // Someone arriving by a link may never have seen the menu.
      if (from_link && !t.session().language_chosen)
        t.reply(t.text("customer.link.more"), main_menu(t));
    }
    release();
  });
}

void card_tapped(turn& t, services& s, const std::vector<std::string>& parts) {
  if (parts.empty() || parts.size() > 2) return stale_button(t);
  auto id = parse_id(parts[0]);
  auto back = parts.size() == 2 ? decode_position(parts[1]) : list_position{};
  if (!id || !back) return stale_button(t);
  open_card(t, s, *id, *back, false);
}

void quantity_tapped(turn& t, services& s, const std::vector<std::string>& parts) {
  if (parts.size() < 2 || parts.size() > 3) return stale_button(t);
  auto id = parse_id(parts[0]);
  auto wanted = parse_number(parts[1], domain::max_quantity + 1);
  auto back = parts.size() == 3 ? decode_position(parts[2]) : list_position{};
  if (!id || !wanted || !back) return stale_button(t);
  const int32_t n = static_cast<int32_t>(*wanted);
  auto release = t.hold();
  s.offer(view_request(t, *id), [&t, n, back = *back, release](view_reply r) {
    if (!shown_to_customers(r)) {
      offer_gone(t, r);
      release();
      return;
    }
    auto view = card_view_of(t, r);
    const int max = t.settings().max_items_per_customer;
    const int32_t most = selectable_quantity(r.offer, r.held_by_user, max);
    const int32_t left = std::max(0, r.offer.quantity_left());
    auto unavailable = unavailable_key(r.offer, t.now());
    if (!unavailable.empty()) {
      t.answer(t.text(unavailable), true);
    } else if (most <= 0) {
      t.answer(t.text("customer.card.limit_reached", {{"max", std::to_string(max)}}), true);
    } else if (n < 1) {
      t.answer(t.text("customer.qty.minimum"));
    } else if (n > most) {
      if (most < left)
        t.answer(t.text("reserve.limit_reached",
                        {{"max", std::to_string(max)}, {"may_take", std::to_string(most)}}));
      else
        t.answer(t.text("reserve.only_n_left", {{"left", std::to_string(left)}}));
    }
    // Redrawn in every case, so a card drawn before the stock or the state changed shows the
    // truth.
    redraw_card(t, view, std::clamp(n, 1, std::max(1, most)), back);
    release();
  });
}

void page_tapped(turn& t, services& s, list which, const std::vector<std::string>& parts) {
  if (parts.size() != 1) return stale_button(t);
  auto page = parse_number(parts[0], max_page_number);
  if (!page) return stale_button(t);
  show_list(t, s, {which, static_cast<int>(*page)}, true);
}

void back_tapped(turn& t, services& s, const std::vector<std::string>& parts) {
  auto back = parts.size() == 1 ? decode_position(parts[0]) : std::nullopt;
  if (!back) return stale_button(t);
  show_list(t, s, *back, false);
}

bool plausible(const telegram::location& where) {
  return std::isfinite(where.latitude) && std::isfinite(where.longitude) &&
         std::fabs(where.latitude) <= 90 && std::fabs(where.longitude) <= 180;
}

void location_shared(turn& t, services& s) {
  const auto& where = t.update().message->location;
  if (!where || !plausible(*where)) {
    t.reply(t.text("customer.nearby.bad_location"), main_menu(t));
    return;
  }
  t.session().location = domain::geo_point{where->latitude, where->longitude};
  t.session().location_at = t.now();
  show_list(t, s, {list::nearby, 0}, false);
}

}  // namespace

bool shown_to_customers(const offer_answer& r) {
  // A draft is the business's work in progress: as far as customers know it does not exist.
  return r.found && r.offer.state != domain::offer_state::draft;
}

void offer_gone(turn& t, const offer_answer& r) {
  // A reply that is not found and says why is the market failing to answer, not a missing offer.
  const std::string key = r.reason_key == "error.internal" ? r.reason_key : "customer.offer_gone";
  if (t.update().callback_query)
    t.answer(t.text(key), true);
  else
    t.reply(t.text(key), main_menu(t));
}

market::view_offer view_request(const turn& t, int64_t offer_id) {
  return market::view_offer{offer_id, t.user_id()};
}

card_view card_view_of(turn& t, const offer_answer& reply) {
  return card_view{reply.offer, reply.business, reply.held_by_user, t.session().location};
}

bool open_start_link(turn& t, services& s, const std::string& payload) {
  auto link = domain::parse_start_payload(payload);
  switch (link.what) {
    case domain::start_payload::kind::none:
      return false;
    case domain::start_payload::kind::invalid:
      t.reply(t.text("customer.link.broken"), main_menu(t));
      return true;
    case domain::start_payload::kind::offer:
      open_card(t, s, link.id, list_position{}, true);
      return true;
  }
  return false;
}

// The business of the offer as a venue: the chat shows it on a map, and a tap on it opens
// directions in the customer's maps app.
void directions_tapped(turn& t, services& s, const std::vector<std::string>& parts) {
  if (parts.size() != 1) return stale_button(t);
  auto id = parse_id(parts[0]);
  if (!id) return stale_button(t);
  auto release = t.hold();
  s.offer(view_request(t, *id), [&t, release](view_reply r) {
    if (!shown_to_customers(r)) {
      offer_gone(t, r);
    } else if (!has_place(r.business)) {
      t.answer(t.text("customer.directions.none"), true);
    } else {
      t.answer();
      t.unit().outbox.push_back(
          telegram::send_venue(t.chat_id(), r.business.latitude, r.business.longitude,
                               shorten(r.business.name, venue_text_limit),
                               shorten(r.business.address, venue_text_limit)));
    }
    release();
  });
}

void add_discovery_handlers(dispatcher& r) {
  r.on_command("browse", [](turn& t, services& s, const std::string&) {
    show_list(t, s, {list::browse, 0}, false);
  });
  r.on_command("nearby", [](turn& t, services& s, const std::string&) {
    show_list(t, s, {list::nearby, 0}, false);
  });
  r.on_menu_button("menu.browse", "browse");
  // The Nearby button shares a location; typed as text (or from a client without location
  // support) it works like /nearby.
  r.on_menu_button("menu.nearby", "nearby");
  r.on_location(location_shared);
  r.on_callback("browse", [](turn& t, services& s, const std::vector<std::string>& parts) {
    page_tapped(t, s, list::browse, parts);
  });
  r.on_callback("nearby", [](turn& t, services& s, const std::vector<std::string>& parts) {
    page_tapped(t, s, list::nearby, parts);
  });
  r.on_callback("card", card_tapped);
  r.on_callback("qty", quantity_tapped);
  r.on_callback("back", back_tapped);
  r.on_callback("dir", directions_tapped);
}

}  // namespace lastcall::flows

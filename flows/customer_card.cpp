#include "flows/customer_card.hpp"

#include <algorithm>
#include <optional>

#include "domain/geo.hpp"
#include "domain/input_parsing.hpp"
#include "flows/customer_format.hpp"
#include "telegram/keyboards.hpp"

namespace lastcall::flows {

namespace {

// Telegram's limits on a caption and on a message text.
constexpr size_t caption_limit = 1024;
constexpr size_t text_limit = 4096;
constexpr size_t title_share = 200;
constexpr size_t description_share = 500;

std::optional<double> distance_to(const card_view& view) {
  if (!view.customer_at) return std::nullopt;
  return domain::distance_meters(
      *view.customer_at, domain::geo_point{view.business.latitude, view.business.longitude});
}

std::string data(const std::string& prefix, int64_t offer_id, int32_t quantity,
                 const list_position& back) {
  return prefix + ":" + std::to_string(offer_id) + ":" + std::to_string(quantity) + ":" +
         encode_position(back);
}

}  // namespace

std::string unavailable_key(const domain::offer& offer, int64_t now) {
  switch (offer.state) {
    case domain::offer_state::draft:
      return "customer.card.not_published";
    case domain::offer_state::paused:
      return "customer.card.paused";
    case domain::offer_state::sold_out:
      return "customer.card.sold_out";
    case domain::offer_state::expired:
      return "customer.card.expired";
    case domain::offer_state::ended:
      return "customer.card.ended";
    case domain::offer_state::active:
      break;
  }
  if (now >= offer.pickup_end) return "customer.card.expired";
  if (offer.quantity_left() <= 0) return "customer.card.sold_out";
  return {};
}

int32_t selectable_quantity(const domain::offer& offer, int32_t held_by_user,
                            int max_per_customer) {
  int32_t most = std::max(0, offer.quantity_left());
  if (max_per_customer > 0) most = std::min(most, std::max(0, max_per_customer - held_by_user));
  return most;
}

bool has_place(const domain::business& business) {
  return business.latitude != 0 || business.longitude != 0;
}

std::string directions_data(int64_t offer_id) {
  return "dir:" + std::to_string(offer_id);
}

std::string card_text(const turn& t, const card_view& view, size_t max_chars) {
  const auto& o = view.offer;
  const auto& b = view.business;
  std::string details;
  auto line = [&](const std::string& text) { details += "\n" + text; };
  line("");
  line(t.text("customer.card.business", {{"business", b.name}}));
  line(t.text(
      "customer.card.price",
      {{"deal", money_text(t, o.deal_price, o.currency)},
       {"original", money_text(t, o.original_price, o.currency)},
       {"discount", std::to_string(domain::discount_percent(o.original_price, o.deal_price))}}));
  line(t.text("customer.card.left", {{"left", std::to_string(std::max(0, o.quantity_left()))}}));
  line(t.text("customer.card.window", {{"window", window_text(t, o.pickup_start, o.pickup_end)}}));
  line(t.text("customer.card.address", {{"address", b.address}}));
  if (!b.phone.empty()) line(t.text("customer.card.phone", {{"phone", b.phone}}));
  if (auto meters = distance_to(view))
    line(t.text("customer.card.distance", {{"distance", distance_text(t, *meters)}}));
  if (view.held_by_user > 0)
    line(t.text("customer.card.held", {{"count", std::to_string(view.held_by_user)}}));
  auto unavailable = unavailable_key(o, t.now());
  if (!unavailable.empty()) {
    line("");
    line(t.text(unavailable));
  } else if (selectable_quantity(o, view.held_by_user, t.settings().max_items_per_customer) <= 0) {
    line("");
    line(t.text("customer.card.limit_reached",
                {{"max", std::to_string(t.settings().max_items_per_customer)}}));
  }

  std::string text = shorten(o.title, title_share);
  // The description takes what room is left, so the facts below it are never cut off.
  const size_t used = code_points(text) + code_points(details) + 1;
  if (!o.description.empty() && used < max_chars)
    text += "\n" + shorten(o.description, std::min(description_share, max_chars - used));
  return shorten(text + details, max_chars);
}

nlohmann::json card_keyboard(const turn& t, const card_view& view, int32_t quantity,
                             const list_position& back) {
  telegram::inline_keyboard rows;
  const auto& o = view.offer;
  const int32_t most =
      selectable_quantity(o, view.held_by_user, t.settings().max_items_per_customer);
  if (unavailable_key(o, t.now()).empty() && most > 0) {
    const int32_t q = std::clamp(quantity, 1, most);
    // The − and + buttons always carry the next value, even out of range: tapping them then
    // explains the limit instead of doing nothing silently.
    rows.push_back({{"➖", data("qty", o.id, q - 1, back), ""},
                    {std::to_string(q), data("qty", o.id, q, back), ""},
                    {"➕", data("qty", o.id, q + 1, back), ""}});
    // The button says what the customer will pay at pickup for the quantity chosen.
    rows.push_back(
        {{t.text("customer.card.reserve", {{"count", std::to_string(q)},
                                           {"total", money_text(t, o.deal_price * q, o.currency)}}),
          data("res", o.id, q, back), ""}});
  }
  if (has_place(view.business))
    rows.push_back({{t.text("customer.card.directions"), directions_data(o.id), ""}});
  rows.push_back({{t.text("customer.card.back"), "back:" + encode_position(back), ""}});
  return telegram::to_json(rows);
}

void send_card(turn& t, const card_view& view, int32_t quantity, const list_position& back) {
  auto keyboard = card_keyboard(t, view, quantity, back);
  if (!view.offer.photo_file_id.empty())
    t.reply_photo(view.offer.photo_file_id, card_text(t, view, caption_limit), keyboard);
  else
    t.reply(card_text(t, view, text_limit), keyboard);
}

void redraw_card(turn& t, const card_view& view, int32_t quantity, const list_position& back) {
  const auto& query = t.update().callback_query;
  if (!query || !query->message_id) return;
  auto keyboard = card_keyboard(t, view, quantity, back);
  if (view.offer.photo_file_id.empty()) {
    t.edit(*query->message_id, card_text(t, view, text_limit), keyboard);
    return;
  }
  // A photo card has a caption instead of a text.
  telegram::api_call call;
  call.method = "editMessageCaption";
  call.chat_id = t.chat_id();
  call.priority = telegram::call_priority::interactive;
  call.params = {{"chat_id", t.chat_id()},
                 {"message_id", *query->message_id},
                 {"caption", card_text(t, view, caption_limit)},
                 {"reply_markup", keyboard}};
  t.unit().outbox.push_back(std::move(call));
}

}  // namespace lastcall::flows

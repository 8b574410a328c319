#include "flows/customer_reservation_views.hpp"

#include <algorithm>

#include "flows/customer_card.hpp"
#include "flows/customer_format.hpp"
#include "telegram/keyboards.hpp"

namespace lastcall::flows {

namespace {

constexpr size_t max_active_shown = 15;
constexpr size_t max_past_shown = 5;
constexpr size_t text_limit = 4096;

bool active(const reservation_entry& e) {
  return e.reservation.status == domain::reservation_status::active;
}

domain::text_args entry_args(const turn& t, const reservation_entry& e) {
  const auto& r = e.reservation;
  return {{"id", std::to_string(r.id)},
          {"quantity", std::to_string(r.quantity)},
          {"title", shorten(e.offer.title, 80)},
          {"business", shorten(e.business.name, 60)},
          {"address", shorten(e.business.address, 120)},
          {"phone_line", e.business.phone.empty()
                             ? std::string()
                             : "\n" + t.text("customer.card.phone", {{"phone", e.business.phone}})},
          {"code", r.code},
          {"window", window_text(t, e.offer.pickup_start, e.offer.pickup_end)},
          {"total", money_text(t, r.deal_price * r.quantity, e.offer.currency)}};
}

int64_t last_cancel_moment_of(const turn& t, const reservation_entry& e) {
  return domain::last_cancel_moment(e.offer.pickup_start,
                                    int64_t{t.settings().cancel_cutoff_minutes} * 60);
}

std::string status_key(domain::reservation_status status) {
  return std::string("customer.status.") + domain::to_string(status);
}

}  // namespace

std::string cancel_data(int64_t reservation_id, cancel_origin origin, cancel_step step) {
  const char* answer = step == cancel_step::confirm ? ":y" : step == cancel_step::keep ? ":n" : "";
  return "cancel:" + std::to_string(reservation_id) + (origin == cancel_origin::list ? ":l" : "") +
         answer;
}

bool still_cancellable(const turn& t, const reservation_entry& entry) {
  return active(entry) && t.now() <= last_cancel_moment_of(t, entry);
}

std::string cancel_question(const turn& t, const reservation_entry& entry) {
  return t.text("customer.cancel.question", entry_args(t, entry));
}

nlohmann::json cancel_question_keyboard(const turn& t, const reservation_entry& entry,
                                        cancel_origin origin) {
  const auto id = entry.reservation.id;
  telegram::inline_keyboard rows = {
      {{t.text("customer.cancel.yes_button"), cancel_data(id, origin, cancel_step::confirm), ""},
       {t.text("customer.cancel.keep_button"), cancel_data(id, origin, cancel_step::keep), ""}}};
  return telegram::to_json(rows);
}

std::string confirmation_text(const turn& t, const reservation_entry& entry) {
  // It promises a cancellation only while one is possible, and says until when.
  const std::string cancelling =
      still_cancellable(t, entry)
          ? t.text("customer.reservation.cancel_until",
                   {{"time", moment_text(t, last_cancel_moment_of(t, entry))}})
          : t.text("customer.reservation.no_cancel");
  return t.text("customer.reservation.confirmed", entry_args(t, entry)) + " " + cancelling;
}

nlohmann::json confirmation_keyboard(const turn& t, const reservation_entry& entry) {
  telegram::inline_keyboard rows;
  if (active(entry) && has_place(entry.business))
    rows.push_back({{t.text("customer.card.directions"), directions_data(entry.offer.id), ""}});
  if (still_cancellable(t, entry))
    rows.push_back({{t.text("customer.reservation.cancel_button"),
                     cancel_data(entry.reservation.id, cancel_origin::confirmation), ""}});
  if (rows.empty()) return nullptr;
  return telegram::to_json(rows);
}

std::string cancelled_text(const turn& t, const reservation_entry& entry) {
  return t.text("customer.reservation.cancelled", entry_args(t, entry));
}

std::string reservation_text(const turn& t, const reservation_entry& entry) {
  if (active(entry)) return confirmation_text(t, entry);
  if (entry.reservation.status == domain::reservation_status::cancelled)
    return cancelled_text(t, entry);
  auto args = entry_args(t, entry);
  args["status"] = t.text(status_key(entry.reservation.status));
  return t.text("customer.reservations.past_entry", args);
}

std::vector<reservation_entry> reservations_to_show(std::vector<reservation_entry> entries) {
  // Stable, so each group keeps the newest-first order the market gives.
  std::stable_partition(entries.begin(), entries.end(), active);
  const auto active_count =
      static_cast<size_t>(std::count_if(entries.begin(), entries.end(), active));
  std::vector<reservation_entry> shown;
  for (size_t i = 0; i < entries.size(); ++i) {
    const bool is_active = i < active_count;
    if (is_active ? i < max_active_shown : i - active_count < max_past_shown)
      shown.push_back(std::move(entries[i]));
  }
  return shown;
}

std::string reservations_text(const turn& t, const std::vector<reservation_entry>& shown) {
  if (shown.empty()) return t.text("customer.reservations.empty");
  std::string text = t.text("customer.reservations.header");
  for (const auto& e : shown) {
    auto args = entry_args(t, e);
    args["status"] = t.text(status_key(e.reservation.status));
    // A code that no longer picks anything up is not shown.
    text += "\n\n" +
            t.text(active(e) ? "customer.reservations.entry" : "customer.reservations.past_entry",
                   args);
  }
  return shorten(text, text_limit);
}

nlohmann::json reservations_keyboard(const turn& t, const std::vector<reservation_entry>& shown) {
  telegram::inline_keyboard rows;
  for (const auto& e : shown) {
    if (!still_cancellable(t, e)) continue;
    rows.push_back(
        {{t.text("customer.reservations.cancel_button",
                 {{"id", std::to_string(e.reservation.id)}, {"title", shorten(e.offer.title, 30)}}),
          cancel_data(e.reservation.id, cancel_origin::list), ""}});
  }
  rows.push_back({{t.text("customer.reservations.history_button"), history_data(0, false), ""}});
  return telegram::to_json(rows);
}

std::string history_data(int64_t offset, bool in_place) {
  return "hist:" + std::to_string(offset) + (in_place ? ":p" : "");
}

std::string history_text(const turn& t, const domain::reservation_history_page& page,
                         int64_t offset) {
  if (page.entries.empty())
    return t.text(offset == 0 ? "customer.history.empty" : "customer.history.end");
  std::string text =
      t.text("customer.history.header",
             {{"first", std::to_string(offset + 1)},
              {"last", std::to_string(offset + static_cast<int64_t>(page.entries.size()))}});
  for (const auto& e : page.entries) {
    auto args = entry_args(t, e);
    args["status"] = t.text(status_key(e.reservation.status));
    text += "\n\n" + t.text("customer.reservations.past_entry", args);
  }
  return shorten(text, text_limit);
}

nlohmann::json history_keyboard(const turn& t, const domain::reservation_history_page& page,
                                int64_t offset) {
  std::vector<telegram::inline_button> row;
  if (offset > 0)
    row.push_back({t.text("customer.history.newer"),
                   history_data(std::max<int64_t>(0, offset - domain::history_page_size), true),
                   ""});
  if (page.more && offset + domain::history_page_size <= domain::history_max_offset)
    row.push_back({t.text("customer.history.older"),
                   history_data(offset + domain::history_page_size, true), ""});
  if (row.empty()) return nullptr;
  return telegram::to_json(telegram::inline_keyboard{row});
}

}  // namespace lastcall::flows

#include "flows/business_cards.hpp"

#include <vector>

#include "domain/input_parsing.hpp"
#include "flows/business_common.hpp"
#include "telegram/keyboards.hpp"

namespace lastcall::flows::biz {

namespace {

using domain::offer_state;

std::string data(const char* prefix, const std::string& action, int64_t id) {
  return std::string(prefix) + ":" + action + ":" + std::to_string(id);
}

telegram::inline_button manage_button(const turn& t, const char* label_key, const char* action,
                                      int64_t id) {
  return {t.text(label_key), data(manage_prefix, action, id), ""};
}

}  // namespace

std::string customer_card(const turn& t, const domain::offer& o,
                          const std::optional<domain::business>& where) {
  std::string text =
      t.text("offers.card",
             {{"title", o.title},
              {"description", o.description},
              {"deal", money_text(t, o.deal_price)},
              {"original", money_text(t, o.original_price)},
              {"percent", std::to_string(domain::discount_percent(o.original_price, o.deal_price))},
              {"left", std::to_string(o.quantity_left())},
              {"window", window_text(t, o.pickup_start, o.pickup_end)}});
  if (where) {
    text += "\n" +
            t.text("offers.card_place", {{"business", where->name}, {"address", where->address}});
  }
  return text;
}

std::string owner_card(const turn& t, const domain::offer& o) {
  return t.text("offers.owner_card", {{"id", std::to_string(o.id)},
                                      {"title", o.title},
                                      {"state", offer_state_name(t, o.state)},
                                      {"deal", money_text(t, o.deal_price)},
                                      {"original", money_text(t, o.original_price)},
                                      {"window", window_text(t, o.pickup_start, o.pickup_end)},
                                      {"left", std::to_string(o.quantity_left())},
                                      {"reserved", std::to_string(o.quantity_reserved)},
                                      {"collected", std::to_string(o.quantity_collected)},
                                      {"total", std::to_string(o.quantity_total)}});
}

nlohmann::json owner_buttons(const turn& t, const domain::offer& o) {
  telegram::inline_keyboard rows;
  const auto edits = std::vector<telegram::inline_button>{
      manage_button(t, "offers.button.edit_price", "price", o.id),
      manage_button(t, "offers.button.edit_quantity", "qty", o.id)};
  switch (o.state) {
    case offer_state::draft:
      rows.push_back({manage_button(t, "offers.button.publish", "pub", o.id)});
      rows.push_back(edits);
      rows.push_back({manage_button(t, "offers.button.end", "end", o.id)});
      break;
    case offer_state::active:
    case offer_state::sold_out:
    case offer_state::paused:
      rows.push_back({o.state == offer_state::paused
                          ? manage_button(t, "offers.button.resume", "resume", o.id)
                          : manage_button(t, "offers.button.pause", "pause", o.id),
                      manage_button(t, "offers.button.reservations", "res", o.id)});
      rows.push_back(edits);
      rows.push_back({manage_button(t, "offers.button.end", "end", o.id)});
      break;
    case offer_state::ended:
    case offer_state::expired:
      rows.push_back({manage_button(t, "offers.button.reservations", "res", o.id)});
      break;
  }
  return telegram::to_json(rows);
}

std::string application_card(const turn& t, const domain::business& b) {
  std::string text = t.text("business.admin.card", {{"id", std::to_string(b.id)},
                                                    {"name", b.name},
                                                    {"address", b.address},
                                                    {"phone", b.phone},
                                                    {"owner", std::to_string(b.owner_id)}});
  switch (b.status) {
    case domain::business_status::pending:
      break;
    case domain::business_status::verified:
      text += "\n\n" + t.text("business.admin.card_approved", {{"admin", decider_name(t, b)}});
      break;
    case domain::business_status::rejected:
      text += "\n\n" + t.text("business.admin.card_rejected",
                              {{"admin", decider_name(t, b)},
                               {"reason", reason_for_display(t, b.reject_reason)}});
      break;
  }
  return text;
}

nlohmann::json application_buttons(const turn& t, const domain::business& b) {
  if (b.status != domain::business_status::pending) return nullptr;
  telegram::inline_keyboard rows = {{
      {t.text("business.button.approve"), data(admin_prefix, "ok", b.id), ""},
      {t.text("business.button.reject"), data(admin_prefix, "no", b.id), ""},
  }};
  return telegram::to_json(rows);
}

std::string decider_name(const turn& t, const domain::business& b) {
  if (b.decided_by == t.user_id()) return t.text("business.admin.you");
  return t.text("business.admin.other_admin", {{"id", std::to_string(b.decided_by)}});
}

std::string business_summary(const turn& t, const domain::business& b) {
  std::string text = t.text("business.mine.card", {{"id", std::to_string(b.id)},
                                                   {"name", b.name},
                                                   {"address", b.address},
                                                   {"phone", b.phone},
                                                   {"status", business_status_name(t, b.status)}});
  switch (b.status) {
    case domain::business_status::pending:
      text += "\n\n" + t.text("business.mine.pending_hint");
      break;
    case domain::business_status::verified:
      text += "\n\n" + t.text("business.mine.verified_hint");
      break;
    case domain::business_status::rejected:
      text += "\n\n" + t.text("business.mine.rejected_hint",
                              {{"reason", reason_for_display(t, b.reject_reason)}});
      break;
  }
  return text;
}

std::string reason_for_display(const turn& t, const std::string& reason) {
  static const std::string preset_prefix = "business.reason.";
  if (reason.compare(0, preset_prefix.size(), preset_prefix) == 0 &&
      t.texts().has(domain::language::en, reason))
    return t.text(reason);
  if (reason.empty()) return t.text("business.reason.none");
  return reason;
}

}  // namespace lastcall::flows::biz

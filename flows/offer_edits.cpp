#include "flows/offer_edits.hpp"

#include "domain/input_parsing.hpp"
#include "flows/business_cards.hpp"
#include "flows/business_common.hpp"
#include "flows/general.hpp"
#include "flows/offer_requests.hpp"
#include "flows/services.hpp"

namespace lastcall::flows::biz {

namespace {

constexpr const char* price_flow = "offer_price";
constexpr const char* quantity_flow = "offer_qty";

// Asks the offer's actor whether the deal is the user's (reading its reservations is for the owner
// only) and, when it is, runs `then` with the offer.
template <class Then>
void with_own_offer(turn& t, services& s, int64_t offer_id, Then then) {
  auto release = t.hold();
  s.offer(market::list_reservations{offer_id, t.user_id()},
          [&t, offer_id, release, then](reservations_reply r) {
            if (!explain_no_access(t, r, offer_id)) {
              t.answer();
              then(r.offer);
            }
            release();
          });
}

void enter(turn& t, const char* flow, const char* step, int64_t offer_id) {
  t.session().discard_draft(flow);
  t.session().flow = flow;
  t.session().step = step;
  t.session().draft(flow) = {{"offer_id", offer_id}};
}

// Ends an edit form; an edit is short, so nothing is kept for later.
void finish(turn& t, const char* flow) {
  t.session().discard_draft(flow);
}

void abandon(turn& t, const char* flow) {
  finish(t, flow);
  tell(t, t.text("offers.edit.stopped"), main_menu(t));
}

bool stopped(turn& t, const char* flow) {
  if (!is_label(t, stop_button_key, t.update().message->text)) return false;
  abandon(t, flow);
  return true;
}

// Sends the edit to the offer's actor and shows the result.
template <class Edit>
void apply(turn& t, services& s, int64_t offer_id, Edit edit) {
  auto release = t.hold();
  s.offer(std::move(edit), [&t, offer_id, release](change_reply r) {
    merge_changes(t.unit(), std::move(r.changes));
    if (!explain_refusal(t, r, offer_id, main_menu(t))) {
      tell(t, t.text("offers.edit.done", {{"title", r.offer.title}}), main_menu(t));
      tell(t, owner_card(t, r.offer), owner_buttons(t, r.offer));
    }
    release();
  });
}

void price_input(turn& t, services& s) {
  if (!t.update().message || stopped(t, price_flow)) return;
  auto& draft = t.session().draft(price_flow);
  const auto offer_id = id_in(draft, "offer_id");
  if (!offer_id) {
    abandon(t, price_flow);
    return;
  }
  auto price = domain::parse_money(t.update().message->text);
  if (!price.ok()) {
    tell(t, input_refusal(t, price.reason_key));
    return;
  }
  if (!draft.contains("original") || !draft["original"].is_number_integer()) {
    draft["original"] = *price.value;
    t.session().step = "deal";
    tell(t, t.text("business.offer.ask_deal", {{"original", money_text(t, *price.value)}}));
    return;
  }
  const auto original = draft["original"].get<int64_t>();
  if (*price.value >= original) {
    tell(t, t.text("business.offer.deal_not_lower", {{"original", money_text(t, original)}}));
    return;
  }
  finish(t, price_flow);
  apply(t, s, *offer_id,
        market::edit_price{*offer_id, t.user_id(), original, *price.value, t.now()});
}

void quantity_input(turn& t, services& s) {
  if (!t.update().message || stopped(t, quantity_flow)) return;
  const auto offer_id = id_in(t.session().draft(quantity_flow), "offer_id");
  if (!offer_id) {
    abandon(t, quantity_flow);
    return;
  }
  auto quantity = domain::parse_quantity(t.update().message->text);
  if (!quantity.ok()) {
    tell(t, input_refusal(t, quantity.reason_key));
    return;
  }
  finish(t, quantity_flow);
  apply(t, s, *offer_id, market::edit_quantity{*offer_id, t.user_id(), *quantity.value, t.now()});
}

}  // namespace

void start_price_edit(turn& t, services& s, int64_t offer_id) {
  with_own_offer(t, s, offer_id, [&t, offer_id](const domain::offer& o) {
    enter(t, price_flow, "original", offer_id);
    tell(t,
         t.text("offers.edit.ask_original", {{"title", o.title},
                                             {"deal", money_text(t, o.deal_price)},
                                             {"original", money_text(t, o.original_price)},
                                             {"currency", t.settings().currency}}),
         form_keyboard(t, {}));
  });
}

void start_quantity_edit(turn& t, services& s, int64_t offer_id) {
  with_own_offer(t, s, offer_id, [&t, offer_id](const domain::offer& o) {
    enter(t, quantity_flow, "quantity", offer_id);
    tell(t,
         t.text("offers.edit.ask_quantity",
                {{"title", o.title},
                 {"total", std::to_string(o.quantity_total)},
                 {"reserved", std::to_string(o.quantity_reserved + o.quantity_collected)}}),
         form_keyboard(t, {}));
  });
}

void add_offer_edits_handlers(dispatcher& r) {
  r.on_flow_input(price_flow, price_input);
  r.on_flow_input(quantity_flow, quantity_input);
}

}  // namespace lastcall::flows::biz

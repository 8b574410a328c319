#include "flows/offer_edits.hpp"

#include <algorithm>

#include "flows/business_cards.hpp"
#include "flows/business_common.hpp"
#include "flows/form.hpp"
#include "flows/form_answers.hpp"
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
  with_own_reservations(t, s, offer_id, [&t, then](reservations_reply r, auto release) {
    t.answer();
    then(r.offer);
    release();
  });
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

// The offer an edit form works on; a draft without one cannot go on.
std::optional<int64_t> edited_offer(const nlohmann::json& draft) {
  return id_in(draft, "offer_id");
}

bool names_an_offer(const nlohmann::json& draft) {
  return edited_offer(draft).has_value();
}

// An edit form on the offer its draft names. Once complete, its draft goes (an edit is short, so
// Stop throws it away too rather than keeping it for later) and the edit `make_edit` makes of the
// answers goes to the offer's actor.
template <class MakeEdit>
form edit_form(const char* name, std::vector<form_field> fields, MakeEdit make_edit) {
  auto complete = [name, make_edit](turn& t, services& s) {
    const auto draft = t.session().draft(name);
    const auto offer_id = *edited_offer(draft);
    t.session().discard_draft(name);
    apply(t, s, offer_id, make_edit(t, offer_id, draft));
  };
  form f(name, std::move(fields), {"offers.edit.stopped", {}, false}, complete);
  f.usable = names_an_offer;
  return f;
}

const form& price_form() {
  static const form f = edit_form(
      price_flow,
      {{"original", {"offers.edit.ask_original"}, {}, money_answer("original")},
       {"deal", deal_price_prompt("original"), {{}, false}, discount_answer("deal", "original")}},
      [](turn& t, int64_t offer_id, const nlohmann::json& draft) {
        return market::edit_price{offer_id, t.user_id(), draft.at("original").get<int64_t>(),
                                  draft.at("deal").get<int64_t>(), t.now()};
      });
  return f;
}

const form& quantity_form() {
  static const form f = edit_form(
      quantity_flow, {{"quantity", {"offers.edit.ask_quantity"}, {}, quantity_answer("quantity")}},
      [](turn& t, int64_t offer_id, const nlohmann::json& draft) {
        return market::edit_quantity{offer_id, t.user_id(), draft.at("quantity").get<int32_t>(),
                                     t.now()};
      });
  return f;
}

}  // namespace

void start_price_edit(turn& t, services& s, int64_t offer_id) {
  with_own_offer(t, s, offer_id, [&t, &s, offer_id](const domain::offer& o) {
    begin_form(t, s, price_form(), {{"offer_id", offer_id}},
               {{"title", o.title},
                {"deal", money_text(t, o.deal_price)},
                {"original", money_text(t, o.original_price)},
                {"currency", t.settings().currency}});
  });
}

void start_quantity_edit(turn& t, services& s, int64_t offer_id) {
  with_own_offer(t, s, offer_id, [&t, &s, offer_id](const domain::offer& o) {
    const int32_t taken = o.quantity_reserved + o.quantity_collected;
    // What the offer will take: never below what customers hold, and never below one item.
    begin_form(t, s, quantity_form(), {{"offer_id", offer_id}},
               {{"title", o.title},
                {"total", std::to_string(o.quantity_total)},
                {"reserved", std::to_string(taken)},
                {"minimum", std::to_string(std::max(1, taken))}});
  });
}

void add_offer_edits_handlers(dispatcher& r) {
  add_form_input(r, price_form());
  add_form_input(r, quantity_form());
}

}  // namespace lastcall::flows::biz

#include "flows/offer_management.hpp"

#include <algorithm>
#include <optional>
#include <type_traits>

#include "domain/deep_link.hpp"
#include "flows/business_cards.hpp"
#include "flows/business_common.hpp"
#include "flows/offer_edits.hpp"
#include "flows/offer_requests.hpp"
#include "flows/pickups.hpp"
#include "flows/services.hpp"

namespace lastcall::flows {

using namespace biz;

namespace {

constexpr size_t max_listed_offers = 10;  // newest first; older ones by /edit <id>

const char* done_key(const market::publish_offer&) {
  return "offers.done.published";
}
const char* done_key(const market::pause_offer&) {
  return "offers.done.paused";
}
const char* done_key(const market::resume_offer&) {
  return "offers.done.resumed";
}
const char* done_key(const market::end_offer&) {
  return "offers.done.ended";
}

// Tells the owner how a lifecycle step went: on a tapped card the card itself changes, a command
// gets the card anew.
void report_change(turn& t, services& s, change_reply r, int64_t offer_id, const char* done_key,
                   bool published, std::optional<int64_t> message_id) {
  merge_changes(t.unit(), std::move(r.changes));
  if (explain_refusal(t, r, offer_id)) return;
  const auto done = t.text(done_key, {{"title", r.offer.title}});
  const auto link = published
                        ? t.text("offers.share_link",
                                 {{"link", domain::offer_deep_link(s.bot_username(), offer_id)}})
                        : std::string();
  if (message_id) {
    t.answer(done);
    t.edit(*message_id, owner_card(t, r.offer), owner_buttons(t, r.offer));
    if (!link.empty()) tell(t, link);
    return;
  }
  std::string text = done;
  if (!link.empty()) text += "\n" + link;
  tell(t, text + "\n\n" + owner_card(t, r.offer), owner_buttons(t, r.offer));
}

// Publish, pause, resume or end (Step), from a button or a command.
template <class Step>
void change_state(turn& t, services& s, int64_t offer_id) {
  const auto message_id = t.tapped_message_id();
  const Step step{offer_id, t.user_id(), t.now()};
  const char* done = done_key(step);
  constexpr bool published = std::is_same_v<Step, market::publish_offer>;
  auto release = t.hold();
  s.offer(step, [&t, &s, offer_id, done, message_id, release](change_reply r) {
    report_change(t, s, std::move(r), offer_id, done, published, message_id);
    release();
  });
}

// Ending cancels every active reservation, so a button asks first, in the card it was tapped on:
// the card then shows the question, and afterwards what the owner chose.
void confirm_end(turn& t, services& s, int64_t offer_id) {
  const auto message_id = t.tapped_message_id();
  with_own_reservations(
      t, s, offer_id, [&t, offer_id, message_id](reservations_reply r, auto release) {
        t.answer();
        const auto holders =
            std::count_if(r.reservations.begin(), r.reservations.end(),
                          [](auto& x) { return x.status == domain::reservation_status::active; });
        const auto id = std::to_string(offer_id);
        telegram::inline_keyboard rows = {{
            {t.text("offers.button.end_confirm"), std::string(manage_prefix) + ":endok:" + id, ""},
            {t.text("offers.button.keep"), std::string(manage_prefix) + ":keep:" + id, ""},
        }};
        const auto question =
            t.text("offers.end_question",
                   {{"title", r.offer.title}, {"reservations", std::to_string(holders)}});
        if (message_id)
          t.edit(*message_id, owner_card(t, r.offer) + "\n\n" + question, telegram::to_json(rows));
        else
          tell(t, question, telegram::to_json(rows));
        release();
      });
}

// Keep it: the card goes back to the deal as it is, with its buttons.
void keep_offer(turn& t, services& s, int64_t offer_id) {
  const auto message_id = t.tapped_message_id();
  with_own_reservations(t, s, offer_id, [&t, message_id](reservations_reply r, auto release) {
    t.answer(t.text("offers.kept"));
    if (message_id) t.edit(*message_id, owner_card(t, r.offer), owner_buttons(t, r.offer));
    release();
  });
}

// The card of one deal with its buttons, after checking it is the user's.
void show_offer(turn& t, services& s, int64_t offer_id) {
  with_own_reservations(t, s, offer_id, [&t](reservations_reply r, auto release) {
    t.answer();
    tell(t, owner_card(t, r.offer), owner_buttons(t, r.offer));
    release();
  });
}

void list_offers(turn& t, services& s) {
  auto release = t.hold();
  s.business_of_owner(t.user_id(), [&t, &s, release](std::optional<domain::business> b) {
    if (!b) {
      tell(t, t.text("business.offer.register_first"));
      release();
      return;
    }
    if (b->status != domain::business_status::verified) {
      tell(t, t.text(b->status == domain::business_status::pending ? "business.offer.wait_approval"
                                                                   : "business.offer.rejected",
                     {{"name", b->name}}));
      release();
      return;
    }
    s.offers_of_business(b->id, [&t, release](std::vector<domain::offer> offers) {
      if (offers.empty()) {
        tell(t, t.text("offers.none"));
      } else {
        tell(t, t.text("offers.list_header", {{"count", std::to_string(offers.size())}}));
        const auto shown = std::min(offers.size(), max_listed_offers);
        for (size_t i = 0; i < shown; ++i)
          tell(t, owner_card(t, offers[i]), owner_buttons(t, offers[i]));
        if (offers.size() > shown)
          tell(t, t.text("offers.list_more", {{"count", std::to_string(offers.size() - shown)}}));
      }
      release();
    });
  });
}

// "/pause 12": the id, or a hint on how to use the command.
std::optional<int64_t> command_id(turn& t, const std::string& command, const std::string& args) {
  auto id = parse_id(args);
  if (!id) tell(t, t.text("offers.usage", {{"command", "/" + command}}));
  return id;
}

void on_button(turn& t, services& s, const std::vector<std::string>& parts) {
  const auto offer_id = parts.size() >= 2 ? parse_id(parts[1]) : std::nullopt;
  if (!offer_id) {
    t.answer(t.text("error.stale_button"), true);
    return;
  }
  const auto& action = parts[0];
  if (parts.size() == 3 && action == "col") {
    if (auto reservation_id = parse_id(parts[2])) {
      collect_reservation(t, s, *offer_id, *reservation_id);
      return;
    }
  } else if (parts.size() == 2) {
    if (action == "pub") return change_state<market::publish_offer>(t, s, *offer_id);
    if (action == "pause") return change_state<market::pause_offer>(t, s, *offer_id);
    if (action == "resume") return change_state<market::resume_offer>(t, s, *offer_id);
    if (action == "end") return confirm_end(t, s, *offer_id);
    if (action == "endok") return change_state<market::end_offer>(t, s, *offer_id);
    if (action == "keep") return keep_offer(t, s, *offer_id);
    if (action == "price") return start_price_edit(t, s, *offer_id);
    if (action == "qty") return start_quantity_edit(t, s, *offer_id);
    if (action == "res") return show_reservations(t, s, *offer_id);
  }
  t.answer(t.text("error.stale_button"), true);
}

template <class Step>
void by_command(dispatcher& r, const std::string& name) {
  r.on_command(name, [name](turn& t, services& s, const std::string& args) {
    if (auto id = command_id(t, name, args)) change_state<Step>(t, s, *id);
  });
}

}  // namespace

void add_offer_management_handlers(dispatcher& r) {
  r.on_command("myoffers", [](turn& t, services& s, const std::string&) { list_offers(t, s); });
  r.on_menu_button("menu.my_deals", "myoffers");
  by_command<market::publish_offer>(r, "publish");
  by_command<market::pause_offer>(r, "pause");
  by_command<market::resume_offer>(r, "resume");
  by_command<market::end_offer>(r, "end");
  r.on_command("edit", [](turn& t, services& s, const std::string& args) {
    if (auto id = command_id(t, "edit", args)) show_offer(t, s, *id);
  });
  r.on_callback(manage_prefix, on_button);
  add_offer_edits_handlers(r);
  add_pickups_handlers(r);
}

}  // namespace lastcall::flows

#include "flows/offer_requests.hpp"

#include "flows/business_common.hpp"

namespace lastcall::flows::biz {

namespace {

void say(turn& t, const std::string& text, nlohmann::json markup) {
  if (t.update().callback_query) {
    t.answer(text, true);
  } else {
    tell(t, text, std::move(markup));
  }
}

}  // namespace

bool explain_no_access(turn& t, const offer_answer& r, int64_t offer_id, nlohmann::json markup) {
  if (!r.found) {
    // Without an answer from the market (shutting down) there is no telling whether it exists.
    say(t,
        r.reason_key == "error.internal"
            ? t.text("error.internal")
            : t.text("offers.not_found", {{"id", std::to_string(offer_id)}}),
        std::move(markup));
    return true;
  }
  if (!r.allowed) {
    say(t, t.text("offers.not_yours"), std::move(markup));
    return true;
  }
  return false;
}

bool explain_refusal(turn& t, const offer_answer& r, int64_t offer_id, nlohmann::json markup) {
  if (r.ok) return false;
  if (explain_no_access(t, r, offer_id, markup)) return true;
  say(t,
      reason_text(
          t, r.reason_key,
          {{"reserved", std::to_string(r.offer.quantity_reserved + r.offer.quantity_collected)},
           {"left", std::to_string(r.offer.quantity_left())},
           {"title", r.offer.title}}),
      std::move(markup));
  return true;
}

void with_own_reservations(
    turn& t, services& s, int64_t offer_id,
    std::function<void(reservations_reply, std::function<void()> release)> then) {
  auto release = t.hold();
  s.offer(market::list_reservations{offer_id, t.user_id()},
          [&t, offer_id, release, then = std::move(then)](reservations_reply r) {
            if (explain_no_access(t, r, offer_id)) return release();
            then(std::move(r), release);
          });
}

}  // namespace lastcall::flows::biz

#include "flows/admin_stats.hpp"

#include <optional>

#include "domain/market_report.hpp"
#include "flows/business_cards.hpp"
#include "flows/business_common.hpp"
#include "telegram/keyboards.hpp"

namespace lastcall::flows {

using namespace biz;

namespace {

// The views /stats offers as buttons under its figures: the market now, and the periods back. The
// view shown is marked, so the admin sees which figures they read.
nlohmann::json stats_buttons(const turn& t, std::optional<domain::report_period> shown) {
  telegram::inline_keyboard rows(1);
  auto add = [&](const std::string& name, bool current) {
    const auto label = t.text("business.admin.period." + name);
    rows[0].push_back(
        {current ? "· " + label + " ·" : label, std::string(admin_prefix) + ":stats:" + name, ""});
  };
  add("now", !shown);
  for (auto period :
       {domain::report_period::today, domain::report_period::week, domain::report_period::month})
    add(domain::name_of(period), shown == period);
  return telegram::to_json(rows);
}

// Shows a view of /stats: edits the tapped message to it, or sends it for a typed command.
void show_stats(turn& t, const std::string& text, std::optional<domain::report_period> shown) {
  const auto message_id = t.tapped_message_id();
  if (message_id) {
    t.answer();
    t.edit(*message_id, text, stats_buttons(t, shown));
  } else {
    tell(t, text, stats_buttons(t, shown));
  }
}

void stats_now(turn& t, services& s) {
  auto release = t.hold();
  s.stats([&t, release](market_stats m) {
    auto n = [](int64_t v) { return std::to_string(v); };
    show_stats(t,
               t.text("business.admin.stats", {{"pending", n(m.businesses_pending)},
                                               {"verified", n(m.businesses_verified)},
                                               {"rejected", n(m.businesses_rejected)},
                                               {"active", n(m.offers_active)},
                                               {"paused", n(m.offers_paused)},
                                               {"sold_out", n(m.offers_sold_out)},
                                               {"drafts", n(m.offers_draft)},
                                               {"left", n(m.items_left)},
                                               {"reserved", n(m.items_reserved)},
                                               {"collected", n(m.items_collected)},
                                               {"sessions", n(m.sessions_live)}}),
               std::nullopt);
    release();
  });
}

void stats_of_period(turn& t, services& s, domain::report_period period) {
  const auto span = domain::span_of(period, t.now(), t.settings().utc_offset_minutes);
  auto release = t.hold();
  s.period_figures(span, [&t, release, period](std::optional<domain::period_figures> f) {
    if (!f) {
      refuse(t, t.text("business.admin.period_unavailable"));
    } else {
      auto n = [](int64_t v) { return std::to_string(v); };
      const std::string name = domain::name_of(period);
      show_stats(t,
                 t.text("business.admin.period_stats",
                        {{"period", t.text("business.admin.period_title." + name)},
                         {"posted", n(f->deals_posted)},
                         {"businesses", n(f->businesses_active)},
                         {"reserved", n(f->items_reserved)},
                         {"cancelled", n(f->items_cancelled)},
                         {"collected", n(f->items_collected)},
                         {"missed", n(f->items_missed)},
                         {"saved", money_text(t, f->money_saved)},
                         {"users", n(f->new_users)}}),
                 period);
    }
    release();
  });
}

// "now" or a period's name, from a button or typed after /stats; false for anything else.
bool show_stats_named(turn& t, services& s, const std::string& name) {
  if (name == "now") {
    stats_now(t, s);
    return true;
  }
  const auto period = domain::report_period_named(name);
  if (!period) return false;
  stats_of_period(t, s, *period);
  return true;
}

}  // namespace

void stats_command(turn& t, services& s, const std::string& args) {
  const auto [name, rest] = split_first_word(args);
  if (!rest.empty() || !show_stats_named(t, s, name.empty() ? "now" : name))
    tell(t, t.text("business.admin.stats_usage"));
}

void stats_tapped(turn& t, services& s, const std::string& view) {
  if (!show_stats_named(t, s, view)) t.answer(t.text("error.stale_button"), true);
}

}  // namespace lastcall::flows

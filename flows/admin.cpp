#include "flows/admin.hpp"

#include <algorithm>
#include <optional>
#include <vector>

#include "domain/input_parsing.hpp"
#include "flows/admin_stats.hpp"
#include "flows/business_cards.hpp"
#include "flows/business_common.hpp"
#include "flows/general.hpp"
#include "flows/notice_rendering.hpp"
#include "flows/services.hpp"

namespace lastcall::flows {

using namespace biz;

namespace {

constexpr const char* reject_flow = "reject_reason";
constexpr size_t max_reason_chars = 200;
constexpr size_t max_pending_cards = 10;  // a longer list is unreadable in a chat

// Reasons admins pick with one tap; stored as text keys so the owner reads them in their
// language.
const std::vector<std::string>& preset_reasons() {
  static const std::vector<std::string> presets = {"incomplete", "unverifiable", "not_food",
                                                   "duplicate"};
  return presets;
}

bool admin_only(turn& t) {
  if (t.is_admin()) return true;
  refuse(t, t.text("business.admin.only"));
  return false;
}

std::string already_decided_text(const turn& t, const domain::business& b) {
  if (b.status == domain::business_status::verified)
    return t.text("business.admin.already_approved",
                  {{"name", b.name}, {"id", std::to_string(b.id)}, {"admin", decider_name(t, b)}});
  return t.text("business.admin.already_rejected",
                {{"name", b.name},
                 {"id", std::to_string(b.id)},
                 {"admin", decider_name(t, b)},
                 {"reason", reason_for_display(t, b.reject_reason)}});
}

// Tells the admin how their decision went. A tapped card is edited to show the outcome, so a
// stale Approve button does not linger.
void report_decision(turn& t, business_reply r, int64_t id, bool approve,
                     std::optional<int64_t> message_id, const nlohmann::json& after) {
  using outcome = business_reply::outcome;
  merge_changes(t.unit(), std::move(r.changes));
  if (r.kind == outcome::ok && r.business) {
    const auto& b = *r.business;
    const auto done = approve ? t.text("business.admin.approved",
                                       {{"name", b.name}, {"id", std::to_string(b.id)}})
                              : t.text("business.admin.rejected",
                                       {{"name", b.name},
                                        {"id", std::to_string(b.id)},
                                        {"reason", reason_for_display(t, b.reject_reason)}});
    if (message_id) {
      t.answer(done);
      t.edit(*message_id, application_card(t, b));
    } else {
      tell(t, done, after);
    }
  } else if (r.kind == outcome::already_decided && r.business) {
    refuse(t, already_decided_text(t, *r.business));
    if (message_id) t.edit(*message_id, application_card(t, *r.business));
  } else if (r.kind == outcome::not_allowed) {
    refuse(t, t.text("business.admin.only"));
  } else {
    refuse(t, t.text("business.admin.not_found", {{"id", std::to_string(id)}}));
  }
}

// Decides an application, from a button or a command. `after` is the keyboard to show with a
// typed decision (the main menu once a form ends).
void decide(turn& t, services& s, int64_t id, bool approve, const std::string& reason,
            nlohmann::json after = nullptr) {
  const auto message_id = t.tapped_message_id();
  auto release = t.hold();
  s.decide_business(id, t.user_id(), approve, reason, t.now(),
                    [&t, release, id, approve, message_id, after](business_reply r) {
                      report_decision(t, std::move(r), id, approve, message_id, after);
                      release();
                    });
}

void ask_reject_reason(turn& t, services& s, int64_t id) {
  auto release = t.hold();
  s.business_by_id(id, [&t, release, id](std::optional<domain::business> b) {
    if (!b) {
      refuse(t, t.text("business.admin.not_found", {{"id", std::to_string(id)}}));
    } else if (b->status != domain::business_status::pending) {
      refuse(t, already_decided_text(t, *b));
    } else {
      t.answer();
      telegram::inline_keyboard rows;
      for (const auto& preset : preset_reasons()) {
        rows.push_back(
            {{t.text("business.reason." + preset),
              std::string(admin_prefix) + ":why:" + std::to_string(id) + ":" + preset, ""}});
      }
      rows.push_back({{t.text("business.button.other_reason"),
                       std::string(admin_prefix) + ":other:" + std::to_string(id), ""}});
      tell(t,
           t.text("business.admin.choose_reason", {{"name", b->name}, {"id", std::to_string(id)}}),
           telegram::to_json(rows));
    }
    release();
  });
}

void start_typed_reason(turn& t, int64_t id) {
  t.answer();
  t.session().flow = reject_flow;
  t.session().step = "reason";
  t.session().draft(reject_flow) = {{"business_id", id}};
  tell(t, t.text("business.admin.type_reason", {{"id", std::to_string(id)}}), form_keyboard(t, {}));
}

void on_button(turn& t, services& s, const std::vector<std::string>& parts) {
  if (!admin_only(t)) return;
  if (parts.size() == 2 && parts[0] == "stats") {
    stats_tapped(t, s, parts[1]);
    return;
  }
  const auto id = parts.size() >= 2 ? parse_id(parts[1]) : std::nullopt;
  if (!id) {
    t.answer(t.text("error.stale_button"), true);
    return;
  }
  const auto& action = parts[0];
  if (action == "ok" && parts.size() == 2) {
    decide(t, s, *id, true, "");
  } else if (action == "no" && parts.size() == 2) {
    ask_reject_reason(t, s, *id);
  } else if (action == "other" && parts.size() == 2) {
    start_typed_reason(t, *id);
  } else if (action == "why" && parts.size() == 3 &&
             std::count(preset_reasons().begin(), preset_reasons().end(), parts[2])) {
    decide(t, s, *id, false, "business.reason." + parts[2]);
  } else {
    t.answer(t.text("error.stale_button"), true);
  }
}

void typed_reason(turn& t, services& s) {
  if (!t.update().message) return;
  const auto stored = id_in(t.session().draft(reject_flow), "business_id");
  if (!t.is_admin() || !stored || is_label(t, stop_button_key, t.update().message->text)) {
    t.session().discard_draft(reject_flow);
    tell(t, t.text("business.admin.reject_stopped"), main_menu(t));
    return;
  }
  auto reason = domain::validate_text(t.update().message->text, max_reason_chars);
  if (!reason.ok()) {
    tell(t, input_refusal(t, reason.reason_key, max_reason_chars));
    return;
  }
  t.session().discard_draft(reject_flow);
  decide(t, s, *stored, false, *reason.value, main_menu(t));
}

void pending(turn& t, services& s) {
  if (!admin_only(t)) return;
  auto release = t.hold();
  s.pending_businesses([&t, release](std::vector<domain::business> waiting) {
    if (waiting.empty()) {
      tell(t, t.text("business.admin.none_pending"));
    } else {
      tell(t, t.text("business.admin.pending_header", {{"count", std::to_string(waiting.size())}}));
      const auto shown = std::min(waiting.size(), max_pending_cards);
      for (size_t i = 0; i < shown; ++i)
        tell(t, application_card(t, waiting[i]), application_buttons(t, waiting[i]));
      if (waiting.size() > shown)
        tell(t, t.text("business.admin.pending_more",
                       {{"count", std::to_string(waiting.size() - shown)}}));
    }
    release();
  });
}

void verify_command(turn& t, services& s, const std::string& args) {
  if (!admin_only(t)) return;
  const auto id = parse_id(args);
  if (!id) {
    tell(t, t.text("business.admin.verify_usage"));
    return;
  }
  decide(t, s, *id, true, "");
}

void reject_command(turn& t, services& s, const std::string& args) {
  if (!admin_only(t)) return;
  const auto [first, rest] = split_first_word(args);
  const auto id = parse_id(first);
  if (!id || rest.empty()) {
    tell(t, t.text("business.admin.reject_usage"));
    return;
  }
  auto reason = domain::validate_text(rest, max_reason_chars);
  if (!reason.ok()) {
    tell(t, input_refusal(t, reason.reason_key, max_reason_chars));
    return;
  }
  decide(t, s, *id, false, *reason.value);
}

// Snapshots are an operator's tool: to everyone else the command does not exist.
void snapshot(turn& t, services& s) {
  if (!t.is_admin()) {
    t.reply(t.text("error.unknown_command", {{"command", "/snapshot"}}));
    return;
  }
  auto release = t.hold();
  s.take_snapshot([&t, release](snapshot_report report) {
    if (report.ok)
      tell(t, t.text("admin.snapshot.saved",
                     {{"path", report.path}, {"seq", std::to_string(report.event_seq)}}));
    else
      tell(t, t.text("admin.snapshot.failed"));
    release();
  });
}

}  // namespace

void add_admin_handlers(dispatcher& r) {
  r.on_command("pending", [](turn& t, services& s, const std::string&) { pending(t, s); });
  r.on_command("verify", verify_command);
  r.on_command("reject", reject_command);
  r.on_command("stats", [](turn& t, services& s, const std::string& args) {
    if (admin_only(t)) stats_command(t, s, args);
  });
  r.on_menu_button("menu.applications", "pending");
  r.on_menu_button("menu.stats", "stats");
  r.on_command("snapshot", [](turn& t, services& s, const std::string&) { snapshot(t, s); });
  r.on_callback(admin_prefix, on_button);
  r.on_flow_input(reject_flow, typed_reason);
}

void render_notice(turn& t, services& s, const domain::notices::new_application& n) {
  if (!t.is_admin()) return;
  auto release = t.hold();
  s.business_by_id(n.business_id, [&t, release](std::optional<domain::business> b) {
    if (b) {
      tell(t, t.text("business.admin.new_application") + "\n\n" + application_card(t, *b),
           application_buttons(t, *b));
    }
    release();
  });
}

}  // namespace lastcall::flows

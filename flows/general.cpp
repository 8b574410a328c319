#include "flows/general.hpp"

#include "flows/discovery.hpp"
#include "flows/role_commands.hpp"
#include "flows/services.hpp"
#include "telegram/keyboards.hpp"

namespace lastcall::flows {

namespace {

// Whether the user owns a verified business is asked afresh, so the greeting and its menu follow
// the role even for an owner approved before the session knew of it.
void greet(turn& t, services& s) {
  auto release = t.hold();
  s.business_of_owner(t.user_id(), [&t, release](std::optional<domain::business> b) {
    const bool was_owner = t.session().owner;
    t.session().owner = b && b->status == domain::business_status::verified;
    if (t.session().owner || t.is_admin())
      set_role_commands(t);
    else if (was_owner)
      drop_role_commands(t);
    auto* from = t.from();
    std::string name =
        from && !from->first_name.empty() ? from->first_name : t.text("general.friend");
    const domain::text_args args = {{"name", name}, {"bot", t.settings().bot_name}};
    std::string text;
    if (t.session().owner) {
      text = t.text("start.greeting_owner", args);
    } else {
      text = t.text("start.greeting", args);
      // Someone with an application under review is not asked to apply.
      if (!b) text += "\n\n" + t.text("start.register_hint");
    }
    t.reply(text, main_menu(t));
    if (!t.session().language_chosen) t.reply(t.text("start.choose_language"), language_picker());
    release();
  });
}

// Switches between the customer's menu and the business's (or the admins').
void switch_menu(turn& t, bool shopping) {
  auto& session = t.session();
  if (!session.owner && !t.is_admin()) {
    t.reply(t.text("menu.switched.customer_only"), main_menu(t));
    return;
  }
  session.shopping = shopping;
  const auto back = t.text(session.owner ? "menu.manage_business" : "menu.manage_admin");
  t.reply(
      shopping ? t.text("menu.switched.shop", {{"back", back}}) : t.text("menu.switched.manage"),
      main_menu(t));
}

void help(turn& t, services&, const std::string&) {
  std::string text = t.text("help.customer");
  text += "\n\n" + t.text("help.business");
  if (t.is_admin()) text += "\n\n" + t.text("help.admin");
  t.reply(text, main_menu(t));
}

void choose_language(turn& t, services&, const std::string&) {
  t.reply(t.text("start.choose_language"), language_picker());
}

void language_chosen(turn& t, services&, const std::vector<std::string>& parts) {
  domain::language lang;
  if (parts.size() != 1 || !domain::parse(parts[0], lang)) {
    t.answer(t.text("error.stale_button"), true);
    return;
  }
  t.session().lang = lang;
  t.session().language_chosen = true;
  t.answer(t.text("language.changed"));
  t.reply(t.text("language.changed"), main_menu(t));
}

}  // namespace

nlohmann::json main_menu(const turn& t) {
  const bool owner = t.session().owner;
  const bool admin = t.is_admin();
  telegram::reply_keyboard keyboard;
  if ((owner || admin) && !t.session().shopping) {
    if (owner) {
      keyboard.rows.push_back({{t.text("menu.my_deals")}, {t.text("menu.new_deal")}});
      keyboard.rows.push_back({{t.text("menu.confirm_pickup")}, {t.text("menu.shop")}});
    }
    if (admin) {
      keyboard.rows.push_back({{t.text("menu.applications")}, {t.text("menu.stats")}});
      if (!owner) keyboard.rows.push_back({{t.text("menu.shop")}});
    }
    keyboard.rows.push_back({{t.text("menu.help")}, {t.text("menu.language")}});
  } else {
    keyboard.rows = {
        {{t.text("menu.browse")}, {t.text("menu.nearby"), true, false}},
        {{t.text("menu.reservations")}, {t.text("menu.help")}},
        {{t.text("menu.language")}},
    };
    // The way back to the tools of their role.
    if (owner || admin)
      keyboard.rows.back().push_back(
          {t.text(owner ? "menu.manage_business" : "menu.manage_admin")});
  }
  keyboard.placeholder = t.text("menu.placeholder");
  return telegram::to_json(keyboard);
}

nlohmann::json language_picker() {
  telegram::inline_keyboard keyboard = {{
      {"English", "lang:en", ""},
      {"Русский", "lang:ru", ""},
      {"O'zbekcha", "lang:uz", ""},
  }};
  return telegram::to_json(keyboard);
}

void add_general_handlers(dispatcher& r) {
  r.on_command("start", [](turn& t, services& s, const std::string& args) {
    if (!open_start_link(t, s, args)) greet(t, s);
  });
  r.on_command("shop", [](turn& t, services&, const std::string&) { switch_menu(t, true); });
  r.on_command("manage", [](turn& t, services&, const std::string&) { switch_menu(t, false); });
  r.on_menu_button("menu.shop", "shop");
  r.on_menu_button("menu.manage_business", "manage");
  r.on_menu_button("menu.manage_admin", "manage");
  r.on_command("help", help);
  r.on_command("language", choose_language);
  r.on_callback("lang", language_chosen);
  r.on_menu_button("menu.help", "help");
  r.on_menu_button("menu.language", "language");
}

}  // namespace lastcall::flows

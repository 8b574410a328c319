#include "flows/general.hpp"

#include "flows/discovery.hpp"
#include "telegram/keyboards.hpp"

namespace lastcall::flows {

namespace {

void greet(turn& t) {
  auto* from = t.from();
  std::string name =
      from && !from->first_name.empty() ? from->first_name : t.text("general.friend");
  t.reply(t.text("start.greeting", {{"name", name}, {"bot", t.settings().bot_name}}), main_menu(t));
  if (!t.session().language_chosen) t.reply(t.text("start.choose_language"), language_picker());
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
  telegram::reply_keyboard keyboard;
  keyboard.rows = {
      {{t.text("menu.browse")}, {t.text("menu.nearby"), true, false}},
      {{t.text("menu.reservations")}, {t.text("menu.help")}},
      {{t.text("menu.language")}},
  };
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
    if (!open_start_link(t, s, args)) greet(t);
  });
  r.on_command("help", help);
  r.on_command("language", choose_language);
  r.on_callback("lang", language_chosen);
  r.on_menu_button("menu.help", "help");
  r.on_menu_button("menu.language", "language");
}

}  // namespace lastcall::flows

#include "flows/role_commands.hpp"

#include "telegram/requests.hpp"

namespace lastcall::flows {

namespace {

constexpr domain::language every_language[] = {domain::language::en, domain::language::ru,
                                               domain::language::uz};

}  // namespace

std::vector<std::string> customer_commands() {
  return {"start", "browse", "nearby", "reservations", "language", "register", "help"};
}

std::vector<std::string> role_commands(bool owner, bool admin) {
  if (!owner && !admin) return customer_commands();
  std::vector<std::string> names = {"start"};
  if (owner) names.insert(names.end(), {"myoffers", "newoffer", "collect", "mybusiness"});
  if (admin) names.insert(names.end(), {"pending", "stats"});
  names.insert(names.end(), {"shop", "manage", "browse", "reservations", "language", "help"});
  return names;
}

std::vector<std::pair<std::string, std::string>> described(const std::vector<std::string>& names,
                                                           const domain::ui_texts& texts,
                                                           domain::language lang) {
  std::vector<std::pair<std::string, std::string>> commands;
  for (const auto& name : names) commands.emplace_back(name, texts.text(lang, "cmd." + name));
  return commands;
}

void set_role_commands(turn& t) {
  const bool owner = t.session().owner;
  const bool admin = t.is_admin();
  if (!owner && !admin) return;
  const auto names = role_commands(owner, admin);
  // English also for every language without its own list, as for everyone's list.
  t.unit().outbox.push_back(telegram::set_chat_commands(
      t.user_id(), described(names, t.texts(), domain::language::en), ""));
  for (auto lang : every_language)
    t.unit().outbox.push_back(telegram::set_chat_commands(
        t.user_id(), described(names, t.texts(), lang), domain::to_string(lang)));
}

void drop_role_commands(turn& t) {
  t.unit().outbox.push_back(telegram::delete_chat_commands(t.user_id(), ""));
  for (auto lang : every_language)
    t.unit().outbox.push_back(telegram::delete_chat_commands(t.user_id(), domain::to_string(lang)));
}

}  // namespace lastcall::flows

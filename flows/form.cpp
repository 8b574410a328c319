#include "flows/form.hpp"

#include "flows/business_common.hpp"
#include "flows/dispatcher.hpp"
#include "flows/general.hpp"

namespace lastcall::flows {

using biz::tell;

namespace {

nlohmann::json keyboard_of(const turn& t, const field_keyboard& keyboard) {
  if (!keyboard.sent) return nullptr;
  std::vector<std::vector<telegram::reply_button>> rows;
  for (const auto& button : keyboard.buttons)
    rows.push_back({{t.text(button.label_key), button.request_location, button.request_contact}});
  return biz::form_keyboard(t, std::move(rows));
}

void ask(turn& t, const form_field& field, const nlohmann::json& draft,
         const domain::text_args& extra) {
  auto args = field.prompt.args ? field.prompt.args(t, draft) : domain::text_args{};
  args.insert(extra.begin(), extra.end());
  tell(t, t.text(field.prompt.key, args), keyboard_of(t, field.keyboard));
}

void stop(turn& t, const form& f) {
  if (f.stop.keep_draft) {
    t.session().leave_flow();
  } else {
    t.session().discard_draft(f.name);
  }
  tell(t, t.text(f.stop.key, f.stop.args), main_menu(t));
}

}  // namespace

const form_field* next_field(const std::vector<form_field>& fields, const nlohmann::json& draft) {
  for (const auto& field : fields) {
    if (!field.answer.present(draft)) return &field;
  }
  return nullptr;
}

std::string next_step(const std::vector<form_field>& fields, const nlohmann::json& draft) {
  const auto* field = next_field(fields, draft);
  return field ? field->step : std::string();
}

nlohmann::json& form_draft(turn& t, const form& f) {
  auto& draft = t.session().draft(f.name);
  if (!draft.is_object()) draft = nlohmann::json::object();
  return draft;
}

void advance(turn& t, services& s, const form& f, const domain::text_args& extra) {
  const auto& draft = form_draft(t, f);
  const auto* field = next_field(f.fields, draft);
  if (!field) {
    f.on_complete(t, s);
    return;
  }
  t.session().flow = f.name;
  t.session().step = field->step;
  ask(t, *field, draft, extra);
}

void begin_form(turn& t, services& s, const form& f, nlohmann::json draft,
                const domain::text_args& extra) {
  t.session().discard_draft(f.name);
  t.session().draft(f.name) = std::move(draft);
  advance(t, s, f, extra);
}

void open_form(turn& t, services& s, const form& f, bool fresh, const std::string& intro_key) {
  if (fresh) t.session().discard_draft(f.name);
  if (t.session().has_draft(f.name)) {
    tell(t, t.text(f.resume_key), biz::start_over_button(t, f.start_over_data));
  } else {
    tell(t, t.text(intro_key));
  }
  advance(t, s, f);
}

void take_input(turn& t, services& s, const form& f) {
  if (!t.update().message) return;
  if (biz::is_label(t, biz::stop_button_key, t.update().message->text)) {
    stop(t, f);
    return;
  }
  auto& draft = form_draft(t, f);
  if (f.usable && !f.usable(draft)) {
    stop(t, f);
    return;
  }
  const auto* field = next_field(f.fields, draft);
  if (!field) {
    if (!f.already_complete_key.empty()) tell(t, t.text(f.already_complete_key));
    f.on_complete(t, s);
    return;
  }
  if (auto refused = field->answer.take(t, draft)) {
    tell(t, biz::reason_text(t, refused->key, refused->args));
    return;
  }
  if (f.on_answer) f.on_answer(t);
  advance(t, s, f);
}

void add_form_input(dispatcher& r, const form& f) {
  r.on_flow_input(f.name, [&f](turn& t, services& s) { take_input(t, s, f); });
}

}  // namespace lastcall::flows

#pragma once
// A form asks for answers one at a time and keeps them in a draft in the session. It is declared
// once, as a table of fields, and one engine runs every form: it asks for the first field the
// draft does not answer yet, reads the reply with that field's answer, stores it or says why not,
// and moves on until none is missing, when the form's on_complete takes over. The draft, not the
// step remembered in the session, says where a form stands: the draft is what the form makes, and
// a session saved by an older version resumes from it. The session's flow and step are still
// written (the form's name and the field's step) so the dispatcher finds the form's input.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "domain/ui_texts.hpp"
#include "flows/turn.hpp"

namespace lastcall::flows {

class dispatcher;
class services;

// Why a reply was not taken: the catalog key of the text that says so, and its arguments.
struct refusal {
  std::string key;
  domain::text_args args;
};

// What one field holds in the draft and how a reply becomes that: `present` tells whether the
// draft already holds a usable answer (a value of the wrong type is asked for again), `take` reads
// the turn's message into the draft or refuses it.
struct form_answer {
  std::function<bool(const nlohmann::json& draft)> present;
  std::function<std::optional<refusal>(turn&, nlohmann::json& draft)> take;
};

// The question a field asks: a text key, with arguments the draft gives (a deal price is asked
// against the usual price already answered).
struct form_prompt {
  using args_of_draft = std::function<domain::text_args(const turn&, const nlohmann::json& draft)>;

  form_prompt(std::string text_key, args_of_draft draft_args = nullptr)
      : key(std::move(text_key)), args(std::move(draft_args)) {}

  std::string key;
  args_of_draft args;
};

// A button of a field's reply keyboard; each stands in a row of its own above Stop.
struct form_button {
  std::string label_key;
  bool request_location = false;
  bool request_contact = false;
};

struct field_keyboard {
  std::vector<form_button> buttons;
  // False: the question comes without a keyboard, so the one the previous question sent stays.
  bool sent = true;
};

struct form_field {
  std::string step;  // kept in the session while the form waits for this field
  form_prompt prompt;
  field_keyboard keyboard;
  form_answer answer;
};

// What Stop does: the text it answers, and whether the answers wait for the form's command (a long
// form) or are thrown away (a short one is quicker to start again than to resume).
struct form_stop {
  std::string key;
  domain::text_args args;
  bool keep_draft = true;
};

struct form {
  using completion = std::function<void(turn&, services&)>;

  form(std::string form_name, std::vector<form_field> form_fields, form_stop on_stop,
       completion complete)
      : name(std::move(form_name)),
        fields(std::move(form_fields)),
        stop(std::move(on_stop)),
        on_complete(std::move(complete)) {}

  std::string name;  // the session's flow while the form waits, and its draft's key
  std::vector<form_field> fields;
  form_stop stop;
  // Runs once no field is missing; the form decides what happens to its draft.
  completion on_complete;

  // Optional. A draft the form cannot go on with (what it edits is missing) ends it as Stop does.
  std::function<bool(const nlohmann::json& draft)> usable;
  // Optional. Runs after every answer is stored.
  std::function<void(turn&)> on_answer;
  // Optional. Said when a reply reaches a form whose draft is already complete (a session saved
  // between the last answer and what completes it), before on_complete runs again.
  std::string already_complete_key;
  // For open(): what a form that continues a draft says, and the callback data of its Start over.
  std::string resume_key;
  std::string start_over_data;
};

// The first field `draft` does not answer, or null when the form is complete.
const form_field* next_field(const std::vector<form_field>& fields, const nlohmann::json& draft);
// That field's step; empty when the form is complete.
std::string next_step(const std::vector<form_field>& fields, const nlohmann::json& draft);

// The form's draft in the session, made an object when it is not one.
nlohmann::json& form_draft(turn& t, const form& f);

// Asks for the first missing field (the form waits for it), or runs on_complete when none is
// missing. `extra` adds prompt arguments the draft does not hold, such as the figures of the
// offer an edit starts from.
void advance(turn& t, services& s, const form& f, const domain::text_args& extra = {});

// Starts the form afresh on `draft` (what it works on, such as the offer being edited).
void begin_form(turn& t, services& s, const form& f, nlohmann::json draft,
                const domain::text_args& extra = {});

// Starts the form or continues its draft: after `intro_key` when there is nothing to continue
// (or `fresh` throws the draft away), otherwise after the form's resume text with a Start over
// button.
void open_form(turn& t, services& s, const form& f, bool fresh, const std::string& intro_key);

// The form's input: Stop, or the reply to the field it waits for.
void take_input(turn& t, services& s, const form& f);

// Lets the dispatcher hand the form its input while the session is in it. `f` must outlive `r`.
void add_form_input(dispatcher& r, const form& f);

}  // namespace lastcall::flows

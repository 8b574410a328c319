// The form engine on a small form of its own: what it asks, what it keeps, how it stops and when it
// hands over, driven through the dispatcher like the business forms.

#include <catch2/catch.hpp>

#include "flows/form.hpp"
#include "flows/form_answers.hpp"
#include "tests/unit/flows_business_chat.hpp"

using namespace lastcall;
using namespace lastcall::business_test;
using flows::form;

namespace {

constexpr int64_t user = 601;

// Asks for a title, then a number of items (worded with the title), then a photo or Skip.
std::vector<flows::form_field> test_fields() {
  return {
      {"title",
       {"business.offer.ask_title"},
       {},
       flows::biz::text_answer("title", 10, false, "business.offer.type_text")},
      {"count",
       {"business.offer.ask_deal",
        [](const flows::turn&, const nlohmann::json& draft) -> domain::text_args {
          return {{"original", draft.value("title", "")}};
        }},
       {{}, false},
       flows::biz::quantity_answer("count")},
      {"photo",
       {"business.offer.ask_photo"},
       {{{"business.button.skip"}}},
       flows::biz::photo_answer("photo", "business.offer.photo_or_skip")},
  };
}

struct test_form {
  form f;
  int completed = 0;
  int answers = 0;
  nlohmann::json completed_draft;
  chat c{std::vector<int64_t>{}};

  explicit test_form(bool keep_draft = true)
      : f("test_form", test_fields(), {"business.form.paused", {{"command", "/test"}}, keep_draft},
          nullptr) {
    f.on_complete = [this](flows::turn& t, flows::services&) {
      ++completed;
      completed_draft = flows::form_draft(t, f);
      t.session().discard_draft(f.name);
      t.reply("done");
    };
    f.on_answer = [this](flows::turn&) { ++answers; };
    f.usable = [](const nlohmann::json& draft) { return !draft.contains("broken"); };
    f.resume_key = "business.offer.resume";
    f.start_over_data = "tf:new";
    flows::add_form_input(c.dispatcher, f);
    c.dispatcher.on_command("test",
                            [this](flows::turn& t, flows::services& s, const std::string& fresh) {
                              flows::open_form(t, s, f, fresh == "fresh", "business.offer.intro");
                            });
    c.dispatcher.on_command(
        "testwith", [this](flows::turn& t, flows::services& s, const std::string& subject) {
          flows::begin_form(t, s, f, {{"subject", subject}}, {{"original", "the usual price"}});
        });
  }

  domain::session_state& session() { return c.session(user); }
  const nlohmann::json& draft() { return session().drafts["test_form"]; }
};

}  // namespace

TEST_CASE("a form asks its fields in order and hands the answers to on_complete", "[unit][form]") {
  test_form t;
  auto first = t.c.says(user, "/test");
  REQUIRE(first.size() == 2);  // the intro, then the first question
  CHECK_THAT(first[1].text, Catch::Contains("What are you offering?"));
  CHECK(keyboard_labels(first[1]) == std::vector<std::string>{"✖️ Stop"});
  CHECK(t.session().flow == "test_form");
  CHECK(t.session().step == "title");

  auto second = t.c.says(user, "Buns");
  REQUIRE(second.size() == 1);
  // The prompt's arguments come from the draft; this field sends no keyboard.
  CHECK_THAT(second[0].text, Catch::Contains("lower than Buns"));
  CHECK(second[0].markup.is_null());
  CHECK(t.session().step == "count");

  auto third = t.c.says(user, "4");
  CHECK(keyboard_labels(third.back()) == std::vector<std::string>{"⏭ Skip", "✖️ Stop"});
  CHECK(t.session().step == "photo");
  CHECK(t.completed == 0);

  auto last = t.c.says(user, "⏭ Skip");
  CHECK(last.back().text == "done");
  CHECK(t.completed == 1);
  CHECK(t.answers == 3);
  CHECK(t.completed_draft == nlohmann::json{{"title", "Buns"}, {"count", 4}, {"photo", ""}});
  CHECK_FALSE(t.session().in_flow());
}

TEST_CASE("a refused answer says why, stores nothing and keeps the step", "[unit][form]") {
  test_form t;
  t.c.says(user, "/test");
  CHECK(t.c.says(user, "far too long a title").back().text ==
        "That's too long: at most 10 characters, please.");
  CHECK(t.c.shares_location(user, 41.3, 69.2).back().text == "Please type the answer as text.");
  CHECK(t.c.says(user, "").back().text == "Please type the answer as text.");
  CHECK(t.draft() == nlohmann::json::object());
  CHECK(t.session().step == "title");
  CHECK(t.answers == 0);

  t.c.says(user, "Buns");
  CHECK(t.c.says(user, "many").back().text == "Please send a whole number, e.g. 10.");
  CHECK(t.session().step == "count");
  CHECK_FALSE(t.draft().contains("count"));
}

TEST_CASE("the draft, not the remembered step, says which field comes next", "[unit][form]") {
  test_form t;
  // A session saved by an older version: the title answered, the count of the wrong type.
  t.session().drafts["test_form"] = {{"title", "Buns"}, {"count", "4"}};
  t.session().flow = "test_form";
  t.session().step = "title";
  t.c.says(user, "5");
  CHECK(t.draft()["count"] == 5);
  CHECK(t.session().step == "photo");
}

TEST_CASE("a form that keeps its draft resumes where it stopped", "[unit][form]") {
  test_form t;
  t.c.says(user, "/test");
  t.c.says(user, "Buns");
  auto stopped = t.c.says(user, "✖️ Stop");
  CHECK_THAT(stopped.back().text, Catch::Contains("send /test to continue"));
  CHECK_FALSE(t.session().in_flow());
  CHECK(t.draft()["title"] == "Buns");

  auto resumed = t.c.says(user, "/test");
  REQUIRE(resumed.size() == 2);
  CHECK(button(resumed[0], "Start over") == "tf:new");
  CHECK(t.session().step == "count");

  t.c.says(user, "/test fresh");
  CHECK(t.session().step == "title");
  CHECK(t.draft() == nlohmann::json::object());
}

TEST_CASE("a form that throws its draft away on Stop starts afresh", "[unit][form]") {
  test_form t(false);
  t.c.says(user, "/testwith Buns");
  CHECK(t.draft() == nlohmann::json{{"subject", "Buns"}});
  t.c.says(user, "✖️ Stop");
  CHECK_FALSE(t.session().in_flow());
  CHECK_FALSE(t.session().has_draft("test_form"));
}

TEST_CASE("begin_form starts on the draft given, with prompt arguments the draft lacks",
          "[unit][form]") {
  test_form t;
  t.f.fields[0].prompt = {"business.offer.ask_deal"};
  auto asked = t.c.says(user, "/testwith Buns");
  REQUIRE(asked.size() == 1);
  CHECK_THAT(asked[0].text, Catch::Contains("lower than the usual price"));
  CHECK(t.draft() == nlohmann::json{{"subject", "Buns"}});
  CHECK(t.session().step == "title");

  // Beginning again throws the earlier draft away.
  t.c.says(user, "Rolls");
  t.c.says(user, "/testwith Cakes");
  CHECK(t.draft() == nlohmann::json{{"subject", "Cakes"}});
}

TEST_CASE("a draft the form cannot go on with ends it as Stop does", "[unit][form]") {
  test_form t;
  t.c.says(user, "/test");
  t.session().drafts["test_form"]["broken"] = true;
  CHECK_THAT(t.c.says(user, "Buns").back().text, Catch::Contains("send /test to continue"));
  CHECK_FALSE(t.session().in_flow());
}

TEST_CASE("a reply to a complete form runs on_complete again, after its notice", "[unit][form]") {
  test_form t;
  t.f.already_complete_key = "business.offer.use_preview_buttons";
  t.session().drafts["test_form"] = {{"title", "Buns"}, {"count", 4}, {"photo", ""}};
  t.session().flow = "test_form";
  auto replies = t.c.says(user, "hello");
  REQUIRE(replies.size() == 2);
  CHECK_THAT(replies[0].text, Catch::Contains("use the buttons under the preview"));
  CHECK(replies[1].text == "done");
  CHECK(t.completed == 1);
  CHECK(t.answers == 0);
}

TEST_CASE("next_step names the first field the draft does not answer", "[unit][form]") {
  test_form t;
  CHECK(flows::next_step(t.f.fields, nullptr) == "title");
  CHECK(flows::next_step(t.f.fields, {{"title", ""}}) == "title");  // empty text is no answer
  CHECK(flows::next_step(t.f.fields, {{"title", "Buns"}, {"count", 2}}) == "photo");
  CHECK(flows::next_step(t.f.fields, {{"title", "Buns"}, {"count", 2}, {"photo", "f"}}).empty());
}

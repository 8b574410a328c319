#pragma once
// The business conversations driven without actors: the in-memory market behind flows::services
// and a chat that runs updates through a dispatcher the way a session does, delivering
// notifications to their users' sessions afterwards.

#include <algorithm>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "domain/ui_texts.hpp"
#include "flows/business.hpp"
#include "flows/dispatcher.hpp"
#include "flows/general.hpp"
#include "flows/notice_rendering.hpp"
#include "flows/services.hpp"
#include "flows/turn.hpp"
#include "tests/support/chat_updates.hpp"
#include "tests/support/in_memory_market.hpp"

namespace lastcall::business_test {

using namespace lastcall;

// A bot message as the user sees it.
struct bot_message {
  int64_t chat = 0;
  std::string method;  // sendMessage, sendPhoto, editMessageText, answerCallbackQuery
  std::string text;    // text, caption or callback answer
  nlohmann::json markup;
  bool alert = false;
};

// Runs updates through the business flows (and the general ones, for the main menu) as sessions
// would, one turn per update, then renders the notifications the turn caused for their users.
class chat {
 public:
  static constexpr int64_t start_time = 1'767'261'600;  // 2026-01-01 10:00 UTC, 15:00 in Tashkent

  explicit chat(std::vector<int64_t> admins) : market(settings) {
    settings.admin_ids = std::move(admins);
    flows::add_general_handlers(dispatcher);
    flows::add_business_handlers(dispatcher);
  }

  std::vector<bot_message> says(int64_t user, const std::string& text) {
    auto u = message_update(user);
    u.message->text = text;
    return run(u);
  }
  std::vector<bot_message> shares_location(int64_t user, double latitude, double longitude) {
    auto u = message_update(user);
    u.message->location = telegram::location{latitude, longitude};
    return run(u);
  }
  std::vector<bot_message> shares_contact(int64_t user, const std::string& phone) {
    auto u = message_update(user);
    u.message->contact = telegram::contact{phone, "Ann", user};
    return run(u);
  }
  std::vector<bot_message> sends_photo(int64_t user, const std::string& file_id) {
    auto u = message_update(user);
    u.message->photo = {{file_id + "-small", file_id + "-s", 90, 90}, {file_id, file_id, 800, 800}};
    return run(u);
  }
  std::vector<bot_message> taps(int64_t user, const std::string& data, int64_t message_id = 77) {
    return run(testing::tap_from(user, next_update_++, data, message_id));
  }

  // Renders a stored notice for `user` the way their session would: nothing when it cannot be
  // read.
  std::vector<bot_message> receives(int64_t user, const std::string& kind,
                                    const nlohmann::json& data) {
    auto notice = domain::read_notice(kind, data);
    return notice ? receives(user, *notice) : std::vector<bot_message>{};
  }
  std::vector<bot_message> receives(int64_t user, const domain::notice& notice) {
    flows::turn t(user, sessions[user], settings, domain::ui_texts::builtin(), now);
    flows::render_notice(t, market, notice);
    bool delivered = false;
    t.start([&] { delivered = true; });
    REQUIRE(delivered);
    return rendered(t.unit());
  }

  domain::session_state& session(int64_t user) { return sessions[user]; }
  // Everything the users were sent by the notices the last turn committed, by user.
  std::map<int64_t, std::vector<bot_message>> notified;
  // The rows the last turn committed.
  persistence::unit_of_work committed;

  config::settings settings;  // before the market, which reads it
  testing::in_memory_market market;
  flows::dispatcher dispatcher;
  std::map<int64_t, domain::session_state> sessions;
  int64_t now = start_time;

 private:
  telegram::update message_update(int64_t user) {
    return testing::message_from(user, next_update_++);
  }

  static std::vector<bot_message> rendered(const persistence::unit_of_work& unit) {
    std::vector<bot_message> out;
    for (const auto& call : unit.outbox) {
      bot_message m;
      m.chat = call.chat_id;
      m.method = call.method;
      if (call.params.contains("text")) m.text = call.params["text"].get<std::string>();
      if (call.params.contains("caption")) m.text = call.params["caption"].get<std::string>();
      if (call.params.contains("reply_markup")) m.markup = call.params["reply_markup"];
      m.alert = call.params.value("show_alert", false);
      out.push_back(std::move(m));
    }
    return out;
  }

  std::vector<bot_message> run(const telegram::update& u) {
    const auto user = u.user_id();
    flows::turn t(u, sessions[user], settings, domain::ui_texts::builtin(), now);
    dispatcher.dispatch(t, market);
    bool done = false;
    t.start([&] { done = true; });
    REQUIRE(done);
    committed = std::move(t.unit());
    notified.clear();
    for (auto& n : committed.notices)
      for (auto& m : receives(n.user_id, n.notice)) notified[n.user_id].push_back(std::move(m));
    return rendered(committed);
  }

  int64_t next_update_ = 1000;
};

// The callback data of the inline button whose label contains `label`, or empty.
inline std::string button(const bot_message& m, const std::string& label) {
  if (!m.markup.is_object() || !m.markup.contains("inline_keyboard")) return {};
  for (const auto& row : m.markup["inline_keyboard"])
    for (const auto& b : row)
      if (b.value("text", "").find(label) != std::string::npos) return b.value("callback_data", "");
  return {};
}

// The labels of a reply keyboard, row after row.
inline std::vector<std::string> keyboard_labels(const bot_message& m) {
  std::vector<std::string> labels;
  if (!m.markup.is_object() || !m.markup.contains("keyboard")) return labels;
  for (const auto& row : m.markup["keyboard"])
    for (const auto& b : row) labels.push_back(b.value("text", ""));
  return labels;
}

inline std::string all_text(const std::vector<bot_message>& messages) {
  std::string text;
  for (const auto& m : messages) text += m.text + "\n";
  return text;
}

}  // namespace lastcall::business_test

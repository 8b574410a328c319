#pragma once
// One update being handled: what it says, whose session it is, and everything handling it changes.
// Flows read the update and the session and record effects (replies, rows, events); the session
// actor commits the effects as one unit of work and only then are the replies sent. A flow that
// must wait for another actor holds the turn open with hold() and releases it when the answer came.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "config/settings.hpp"
#include "domain/session_state.hpp"
#include "domain/ui_texts.hpp"
#include "persistence/unit_of_work.hpp"
#include "telegram/types.hpp"

namespace lastcall::flows {

class turn {
 public:
  turn(telegram::update update, domain::session_state& session, const config::settings& settings,
       const domain::ui_texts& texts, int64_t now);
  // A turn with no update: a notification or timer for this user.
  turn(int64_t user_id, domain::session_state& session, const config::settings& settings,
       const domain::ui_texts& texts, int64_t now);

  const telegram::update& update() const { return update_; }
  int64_t user_id() const { return user_id_; }
  int64_t chat_id() const;
  const telegram::user* from() const;
  domain::session_state& session() { return session_; }
  const domain::session_state& session() const { return session_; }
  const config::settings& settings() const { return settings_; }
  const domain::ui_texts& texts() const { return texts_; }
  int64_t now() const { return now_; }
  bool is_admin() const { return settings_.is_admin(user_id()); }
  // The message whose button was tapped, to be edited in place; none for a typed update.
  std::optional<int64_t> tapped_message_id() const;
  domain::language lang() const { return session_.lang; }

  // The interface text for key in the user's language.
  std::string text(const std::string& key, const domain::text_args& args = {}) const;

  // Effects, sent after the turn's unit of work commits.
  void reply(const std::string& text, nlohmann::json markup = nullptr);
  void reply_photo(const std::string& file_id, const std::string& caption,
                   nlohmann::json markup = nullptr);
  void edit(int64_t message_id, const std::string& text, nlohmann::json markup = nullptr);
  void send_to(int64_t chat_id, const std::string& text, nlohmann::json markup = nullptr,
               telegram::call_priority priority = telegram::call_priority::bulk);
  // Answers the tapped button (a popup when alert is true). The session answers an unanswered one
  // itself.
  void answer(const std::string& text = "", bool alert = false);
  bool answered() const { return answered_; }
  void event(const std::string& kind, int64_t entity_id,
             nlohmann::json payload = nlohmann::json::object());
  persistence::unit_of_work& unit() { return unit_; }

  // Keeps the turn open until the returned function is called (exactly once).
  std::function<void()> hold();
  // Called by the session actor once the flow returned; runs on_complete when nothing holds the
  // turn.
  void start(std::function<void()> on_complete);
  bool complete() const { return started_ && holds_ == 0; }

 private:
  void maybe_complete();

  telegram::update update_;
  int64_t user_id_ = 0;
  domain::session_state& session_;
  const config::settings& settings_;
  const domain::ui_texts& texts_;
  int64_t now_;
  persistence::unit_of_work unit_;
  bool answered_ = false;
  int holds_ = 0;
  bool started_ = false;
  bool completed_ = false;
  std::function<void()> on_complete_;
};

}  // namespace lastcall::flows

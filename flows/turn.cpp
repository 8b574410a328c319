#include "flows/turn.hpp"

#include <memory>

#include "telegram/requests.hpp"

namespace lastcall::flows {

turn::turn(telegram::update update, domain::session_state& session,
           const config::settings& settings, const domain::ui_texts& texts, int64_t now)
    : update_(std::move(update)),
      user_id_(update_.user_id()),
      session_(session),
      settings_(settings),
      texts_(texts),
      now_(now) {}

turn::turn(int64_t user_id, domain::session_state& session, const config::settings& settings,
           const domain::ui_texts& texts, int64_t now)
    : user_id_(user_id), session_(session), settings_(settings), texts_(texts), now_(now) {}

int64_t turn::chat_id() const {
  if (update_.message) return update_.message->chat_id;
  if (update_.callback_query && update_.callback_query->chat_id)
    return *update_.callback_query->chat_id;
  return user_id_;
}

std::optional<int64_t> turn::tapped_message_id() const {
  if (!update_.callback_query) return std::nullopt;
  return update_.callback_query->message_id;
}

const telegram::user* turn::from() const {
  if (update_.callback_query) return &update_.callback_query->from;
  if (update_.message && update_.message->from) return &*update_.message->from;
  return nullptr;
}

std::string turn::text(const std::string& key, const domain::text_args& args) const {
  return texts_.format(session_.lang, key, args);
}

void turn::reply(const std::string& text, nlohmann::json markup) {
  unit_.outbox.push_back(telegram::send_message(chat_id(), text, std::move(markup)));
}

void turn::reply_photo(const std::string& file_id, const std::string& caption,
                       nlohmann::json markup) {
  unit_.outbox.push_back(telegram::send_photo(chat_id(), file_id, caption, std::move(markup)));
}

void turn::edit(int64_t message_id, const std::string& text, nlohmann::json markup) {
  unit_.outbox.push_back(
      telegram::edit_message_text(chat_id(), message_id, text, std::move(markup)));
}

void turn::send_to(int64_t chat_id, const std::string& text, nlohmann::json markup,
                   telegram::call_priority priority) {
  unit_.outbox.push_back(telegram::send_message(chat_id, text, std::move(markup), priority));
}

void turn::answer(const std::string& text, bool alert) {
  if (answered_ || !update_.callback_query) return;
  answered_ = true;
  unit_.outbox.push_back(telegram::answer_callback_query(update_.callback_query->id, text, alert));
}

void turn::event(const std::string& kind, int64_t entity_id, nlohmann::json payload) {
  unit_.events.push_back(persistence::event_record{kind, entity_id, user_id(), std::move(payload)});
}

std::function<void()> turn::hold() {
  ++holds_;
  auto released = std::make_shared<bool>(false);
  return [this, released] {
    if (*released) return;
    *released = true;
    --holds_;
    maybe_complete();
  };
}

void turn::start(std::function<void()> on_complete) {
  on_complete_ = std::move(on_complete);
  started_ = true;
  maybe_complete();
}

void turn::maybe_complete() {
  if (!started_ || holds_ > 0 || completed_) return;
  completed_ = true;
  if (update_.callback_query && !answered_) answer();
  if (on_complete_) on_complete_();
}

}  // namespace lastcall::flows

#pragma once
// Typed view of the Bot API updates the bot consumes. Fields the bot never reads are not kept.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace lastcall::telegram {

struct user {
  int64_t id = 0;
  bool is_bot = false;
  std::string first_name;
  std::string username;
  std::string language_code;  // IETF tag as Telegram reports it, e.g. "ru" or "en-US"; may be empty
};

struct location {
  double latitude = 0;
  double longitude = 0;
};

struct contact {
  std::string phone_number;
  std::string first_name;
  std::optional<int64_t> user_id;  // set when the contact shared is a Telegram user
};

struct photo_size {
  std::string file_id;
  std::string file_unique_id;
  int width = 0;
  int height = 0;
};

struct message {
  int64_t message_id = 0;
  int64_t chat_id = 0;
  std::string chat_type;  // "private", "group", "supergroup", "channel"
  std::optional<user> from;
  int64_t date = 0;
  std::string text;
  std::string caption;
  std::optional<telegram::location> location;
  std::optional<telegram::contact> contact;
  std::vector<photo_size> photo;  // sizes as sent, smallest first
};

struct callback_query {
  std::string id;
  user from;
  std::optional<int64_t> chat_id;     // absent for inline-mode messages
  std::optional<int64_t> message_id;  // the message whose button was tapped
  std::string data;
};

// One update. Exactly one of the payloads is set for the kinds the bot handles; an update of
// another kind (edited_message, channel_post, ...) has neither and is acknowledged without effect.
struct update {
  int64_t update_id = 0;
  std::optional<telegram::message> message;
  std::optional<telegram::callback_query> callback_query;

  // The user this update belongs to, 0 when it has none (e.g. a channel post).
  int64_t user_id() const {
    if (callback_query) return callback_query->from.id;
    if (message && message->from) return message->from->id;
    return 0;
  }
};

}  // namespace lastcall::telegram

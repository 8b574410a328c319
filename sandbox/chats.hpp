#pragma once
// The users and their private chats with the bot: what each side wrote and edited, the reply
// keyboard the user sees, who blocked the bot, the callback queries a tap created and how the bot
// answered them, and the photos' files. Driver methods act as users; bot_* methods are the Bot API
// methods on chats, with Telegram's semantics and errors (bot_api_error).
//
// Its own mutex guards it. What a user does also becomes an update: that is queued in the
// update_queue while this mutex is still held (the order is always chats, then queue), so a chat's
// updates are numbered and queued in the order of its messages, and nobody reading the queue sees
// an update whose message the chat does not have yet.

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/change_signal.hpp"
#include "sandbox/update_queue.hpp"
#include "telegram/types.hpp"

namespace lastcall::sandbox {

struct user_profile {
  int64_t id = 0;
  std::string first_name;
  std::string language_code = "en";
  std::string username;
};

// An image a user sent. The sandbox keeps the bytes so the chat page can show the photo; a photo
// the sandbox invented has none.
struct photo_file {
  std::string content_type;  // e.g. "image/png"
  std::string bytes;
};

struct sent_photo {
  int64_t update_id = 0;
  std::string file_id;  // the largest size's
};

struct bot_identity {
  int64_t id = 777000001;
  std::string username = "lastcall_sandbox_bot";
  std::string first_name = "lastcall";
};

// A place the bot sent (sendVenue): shown as a map pin with its name and address.
struct venue {
  std::string title;
  std::string address;
};

// One message of a private chat, from the user or from the bot, as it looks now (after edits).
struct chat_message {
  int64_t message_id = 0;
  bool from_bot = false;
  int64_t date = 0;
  std::string text;
  std::string caption;
  std::string photo_file_id;  // the largest size; empty when the message has no photo
  std::vector<telegram::photo_size> photo;
  std::optional<telegram::location> location;  // also set for a venue
  std::optional<sandbox::venue> venue;
  std::optional<telegram::contact> contact;
  nlohmann::json reply_markup;  // null when none
  int edit_count = 0;
  int64_t edit_date = 0;
};

// A callback query the sandbox created, and how the bot answered it.
struct callback_answer {
  bool answered = false;
  std::string text;
  bool show_alert = false;
  std::string url;
  int64_t user_id = 0;
  int64_t chat_id = 0;
  int64_t message_id = 0;
  std::string data;
};

struct tap_result {
  int64_t update_id = 0;
  std::string callback_query_id;
};

class chats {
 public:
  chats(change_signal& signal, update_queue& updates, bot_identity bot);
  chats(const chats&) = delete;
  chats& operator=(const chats&) = delete;

  // ---- Acting as users: see world.hpp.
  int64_t send_text(const user_profile& user, const std::string& text);
  int64_t send_location(const user_profile& user, double latitude, double longitude);
  int64_t send_contact(const user_profile& user, const std::string& phone,
                       const std::string& first_name);
  int64_t send_photo(const user_profile& user, const std::string& caption);
  sent_photo send_photo_file(const user_profile& user, const std::string& caption,
                             photo_file image);
  tap_result tap(const user_profile& user, int64_t message_id, const std::string& data);
  void block_bot(int64_t user_id);
  void unblock_bot(int64_t user_id);
  void open_chat_with(const user_profile& user);

  // ---- Reading
  std::vector<chat_message> history(int64_t chat_id) const;
  std::vector<chat_message> bot_messages(int64_t chat_id) const;
  size_t bot_message_count(int64_t chat_id) const;
  // The first bot message with index >= after_count among the chat's bot messages.
  std::optional<chat_message> bot_message_after(int64_t chat_id, size_t after_count) const;
  std::optional<chat_message> message(int64_t chat_id, int64_t message_id) const;
  std::optional<user_profile> user(int64_t user_id) const;
  bool is_blocked(int64_t user_id) const;
  std::optional<callback_answer> answer(const std::string& query_id) const;
  nlohmann::json reply_keyboard(int64_t chat_id) const;
  std::optional<photo_file> photo_file_of(const std::string& file_id) const;
  uint64_t revision(int64_t chat_id) const;
  size_t count() const;

  // ---- Bot API methods on chats
  nlohmann::json bot_send_message(int64_t chat_id, const std::string& text,
                                  const nlohmann::json& reply_markup);
  nlohmann::json bot_send_photo(int64_t chat_id, const std::string& photo,
                                const std::string& caption, const nlohmann::json& reply_markup);
  // Coordinates must be on Earth and the title and address non-empty, or it is a 400.
  nlohmann::json bot_send_venue(int64_t chat_id, std::optional<double> latitude,
                                std::optional<double> longitude, const std::string& title,
                                const std::string& address);
  nlohmann::json bot_edit_message_text(int64_t chat_id, int64_t message_id, const std::string& text,
                                       const nlohmann::json& reply_markup);
  nlohmann::json bot_edit_message_caption(int64_t chat_id, int64_t message_id,
                                          const std::string& caption,
                                          const nlohmann::json& reply_markup);
  nlohmann::json bot_edit_message_reply_markup(int64_t chat_id, int64_t message_id,
                                               const nlohmann::json& reply_markup);
  void bot_answer_callback_query(const std::string& query_id, const std::string& text,
                                 bool show_alert, const std::string& url);
  void bot_send_chat_action(int64_t chat_id);
  // The 400s of a Bot API call that names a chat the bot cannot write to.
  void require_chat(int64_t chat_id) const;

 private:
  struct chat_state {
    user_profile user;
    std::vector<chat_message> messages;
    int64_t next_message_id = 1;
    nlohmann::json reply_keyboard;
    bool blocked = false;
  };

  struct edit_target {
    chat_state& chat;
    chat_message& message;
  };

  // The chat's message with this id, or null. Ids are given in order and messages never leave,
  // so the search halves: a busy chat holds thousands.
  static chat_message* find_message(chat_state& chat, int64_t message_id);
  static const chat_message* find_message(const chat_state& chat, int64_t message_id);

  using lock = std::unique_lock<std::mutex>;

  chat_state& open_chat(const user_profile& user);
  chat_state& chat_for_bot(int64_t chat_id);
  const chat_state& chat_for_bot(int64_t chat_id) const;
  edit_target message_to_edit(int64_t chat_id, int64_t message_id);
  int64_t add_user_message(const user_profile& user, chat_message message);
  nlohmann::json add_bot_message(chat_state& chat, chat_message message);
  nlohmann::json message_json(const chat_state& chat, const chat_message& message) const;
  nlohmann::json edited(const chat_state& chat, chat_message& message);
  std::vector<telegram::photo_size> photo_for(const std::string& file_id);
  std::vector<telegram::photo_size> new_photo();
  uint64_t revision_of(int64_t chat_id) const;
  static int64_t now_unix();

  change_signal& signal_;
  update_queue& updates_;
  const bot_identity bot_;
  mutable std::mutex mutex_;

  std::map<int64_t, chat_state> chats_;
  std::unordered_map<std::string, callback_answer>
      callbacks_;  // looked up for every tap and answer
  uint64_t next_callback_id_ = 1;
  std::map<std::string, std::vector<telegram::photo_size>> photos_;  // by the file_id of any size
  uint64_t next_photo_ = 1;
  std::map<std::string, std::shared_ptr<const photo_file>> photo_files_;  // by any size's file_id
};

}  // namespace lastcall::sandbox

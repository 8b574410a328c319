#pragma once
// The sandbox's picture of Telegram: users and their private chats with the bot, the bot's update
// queue, callback queries, and the bot's settings. Driver methods act as users; bot_* methods are
// the Bot API methods with Telegram's semantics and errors (bot_api_error). One lock guards
// everything and every change wakes waiters, so long polls, a future webhook delivery thread and
// tests all wait on the same signal.

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/faults.hpp"
#include "sandbox/rate_limiter.hpp"
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

// One message of a private chat, from the user or from the bot, as it looks now (after edits).
struct chat_message {
  int64_t message_id = 0;
  bool from_bot = false;
  int64_t date = 0;
  std::string text;
  std::string caption;
  std::string photo_file_id;  // the largest size; empty when the message has no photo
  std::vector<telegram::photo_size> photo;
  std::optional<telegram::location> location;
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

struct webhook_settings {
  std::string url;  // empty: no webhook
  std::string secret_token;
  std::optional<std::vector<std::string>> allowed_updates;  // absent: keep the previous setting
  int max_connections = 40;
};

// One update for the webhook sender to POST.
struct webhook_job {
  int64_t update_id = 0;
  nlohmann::json body;
  std::string url;
  std::string secret_token;
};

struct get_updates_request {
  int64_t offset = 0;  // 0: from the first pending update
  int limit = 100;
  std::chrono::milliseconds timeout{0};
  std::optional<std::vector<std::string>> allowed_updates;  // absent: keep the previous setting
};

// What getUpdates answered so far: how much of each answer was news to the bot.
struct poll_figures {
  uint64_t answers = 0;           // getUpdates calls answered with updates or none
  uint64_t empty_answers = 0;     // answered with none
  uint64_t delivered = 0;         // updates in the answers, repeats included
  uint64_t first_deliveries = 0;  // updates the bot had not been given before
  int64_t highest_delivered = 0;  // the highest update_id given so far
};

struct world_options {
  bot_identity bot;
  rate_limits limits;
  int64_t first_update_id = 1;
  rate_limiter::clock clock;  // flood control's clock; empty: the steady clock
};

class world {
 public:
  explicit world(world_options options = {});
  world(const world&) = delete;
  world& operator=(const world&) = delete;

  // ---- Acting as users. Each returns the update_id it queued; a sent message also (re)opens the
  // chat and unblocks the bot, as restarting a blocked bot does. std::invalid_argument on
  // impossible input.
  int64_t send_text(const user_profile& user, const std::string& text);
  int64_t send_location(const user_profile& user, double latitude, double longitude);
  int64_t send_contact(const user_profile& user, const std::string& phone,
                       const std::string& first_name);
  // The sandbox invents a new photo (unique file_id, three sizes).
  int64_t send_photo(const user_profile& user, const std::string& caption);
  // The same with the image the user picked: every size's file_id shows it (photo_file_of).
  sent_photo send_photo_file(const user_profile& user, const std::string& caption,
                             photo_file image);
  // Taps a button of the bot's message `message_id`. `data` is not checked against the message's
  // buttons, so tests can forge callback data; the message itself must be one of the bot's in that
  // chat.
  tap_result tap(const user_profile& user, int64_t message_id, const std::string& data);
  // Queues `update` verbatim (malformed ones included), adding update_id only when it has none.
  int64_t inject_raw_update(nlohmann::json update);
  // Queues `update` with the update_id it carries, even one seen before. Like any update, it is
  // forgotten unread if the bot's next offset is already past that id.
  int64_t inject_update_with_id(nlohmann::json update);
  void block_bot(int64_t user_id);
  void unblock_bot(int64_t user_id);
  // The user started the bot some time ago: the chat exists, so the bot may write first. A chat
  // that exists already is left as it is.
  void open_chat_with(const user_profile& user);

  // ---- Reading
  std::vector<chat_message> chat(int64_t chat_id) const;
  std::vector<chat_message> bot_messages(int64_t chat_id) const;
  size_t bot_message_count(int64_t chat_id) const;
  std::optional<chat_message> message(int64_t chat_id, int64_t message_id) const;
  std::optional<user_profile> user(int64_t user_id) const;
  bool is_blocked(int64_t user_id) const;
  std::optional<callback_answer> answer(const std::string& query_id) const;
  // The reply keyboard the user sees: the last reply_markup with `keyboard` sent to the chat, null
  // after remove_keyboard or when none was sent.
  nlohmann::json reply_keyboard(int64_t chat_id) const;
  std::vector<std::string> my_commands(const std::string& language_code = "") const;
  nlohmann::json menu_button(int64_t chat_id = 0) const;  // 0: the default for all chats
  webhook_settings webhook() const;

  // ---- Webhook delivery (see webhook_sender.hpp). Like Telegram, one user's updates go out one at
  // a time and in order, different users' in parallel.
  // The oldest pending update whose user has none out, marked out; waits up to `timeout` for one.
  // Nothing while no webhook is set or the world is closed.
  std::optional<webhook_job> take_webhook_job(std::chrono::milliseconds timeout);
  // The bot answered 2xx: the update is confirmed and forgotten.
  void webhook_delivered(int64_t update_id);
  // Any other answer or none: the update stays pending and is sent again.
  void webhook_failed(int64_t update_id);
  uint64_t webhook_deliveries() const;  // 2xx answers so far
  uint64_t webhook_failures() const;
  std::map<std::string, uint64_t> method_calls() const;
  uint64_t calls(const std::string& method) const;
  uint64_t rate_limited_count() const;
  size_t pending_updates() const;  // queued and not yet confirmed by the bot
  std::vector<nlohmann::json> pending_update_list() const;
  size_t waiting_polls() const;  // getUpdates calls blocked right now
  poll_figures polls() const;
  nlohmann::json stats() const;
  nlohmann::json bot_settings() const;
  // The image behind a file_id the sandbox issued (no bytes for an invented photo); nullopt for a
  // file_id it never issued.
  std::optional<photo_file> photo_file_of(const std::string& file_id) const;
  // Grows with every message added to the chat and every edit of one (a new reply keyboard comes
  // with a message); 0 while the chat does not exist.
  uint64_t chat_revision(int64_t chat_id) const;

  // ---- Waiting. The predicate runs under the state lock whenever the state changes; it may call
  // the reading methods above. Do not call wait_* from inside a predicate.
  bool wait_until(const std::function<bool()>& predicate, std::chrono::milliseconds timeout) const;
  // The first bot message with index >= after_count among the chat's bot messages.
  std::optional<chat_message> wait_for_bot_message(int64_t chat_id, size_t after_count,
                                                   std::chrono::milliseconds timeout) const;
  std::optional<callback_answer> wait_for_answer(const std::string& query_id,
                                                 std::chrono::milliseconds timeout) const;
  // Waits until one of the chats' revisions differs from the one `known` gives it, the timeout
  // passes or the world closes (so a server can stop at once); returns those chats' revisions.
  std::map<int64_t, uint64_t> wait_for_chat_changes(const std::map<int64_t, uint64_t>& known,
                                                    std::chrono::milliseconds timeout) const;

  // ---- Faults and bookkeeping for the HTTP front end
  void set_rate_limits(rate_limits limits);
  // Runs before every Bot API call: counts it and applies flood control to the sending and editing
  // methods (chat_id 0 when the call names no chat). Throws the 429 to answer with.
  // Faults (faults.hpp) come first: a 500 or a 429 is thrown, a dropped connection or a malformed
  // body is returned for the HTTP front end to act out (the call must then not be applied), and a
  // slow answer is returned after flood control let the call through.
  fault_decision admit(const std::string& method, bool flood_controlled, int64_t chat_id);
  // Replaces the fault plan (an empty plan: no faults); the counts of injected faults stay.
  void set_faults(fault_plan plan);
  fault_plan fault_settings() const;
  std::map<std::string, uint64_t> injected_faults() const;  // by fault_name
  void record_error(int error_code);
  // Ends blocked long polls at once (with no updates) and keeps new ones from blocking: the server
  // is going.
  void close();
  void reopen();

  // ---- Bot API methods
  const bot_identity& bot() const { return bot_; }
  nlohmann::json bot_get_me() const;
  nlohmann::json bot_get_updates(const get_updates_request& request);
  nlohmann::json bot_send_message(int64_t chat_id, const std::string& text,
                                  const nlohmann::json& reply_markup);
  // `photo` is a file_id the sandbox issued, or anything else (a URL, an upload) taken as a new
  // photo.
  nlohmann::json bot_send_photo(int64_t chat_id, const std::string& photo,
                                const std::string& caption, const nlohmann::json& reply_markup);
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
  void bot_set_my_commands(const nlohmann::json& commands, const std::string& language_code);
  void bot_delete_my_commands(const std::string& language_code);
  nlohmann::json bot_get_my_commands(const std::string& language_code) const;
  void bot_set_chat_menu_button(int64_t chat_id, const nlohmann::json& menu_button);
  nlohmann::json bot_get_chat_menu_button(int64_t chat_id) const;
  // Return Telegram's description of what happened ("Webhook was set", ...).
  std::string bot_set_webhook(const webhook_settings& settings, bool drop_pending_updates);
  std::string bot_delete_webhook(bool drop_pending_updates);
  nlohmann::json bot_get_webhook_info() const;

 private:
  struct chat_state {
    user_profile user;
    std::vector<chat_message> messages;
    int64_t next_message_id = 1;
    nlohmann::json reply_keyboard;
    bool blocked = false;
  };

  struct queued_update {
    int64_t update_id = 0;
    std::string kind;  // "message", "callback_query", ...; empty when the update has no payload
    nlohmann::json body;
  };

  using lock = std::unique_lock<std::recursive_mutex>;

  // Every mutation ends with this: it wakes all waiters so each re-checks its own condition.
  void changed();

  struct edit_target {
    chat_state& chat;
    chat_message& message;
  };

  chat_state& open_chat(const user_profile& user);
  chat_state& chat_for_bot(int64_t chat_id);
  edit_target message_to_edit(int64_t chat_id, int64_t message_id);
  int64_t add_user_message(const user_profile& user, chat_message message);
  nlohmann::json add_bot_message(chat_state& chat, chat_message message);
  nlohmann::json message_json(const chat_state& chat, const chat_message& message) const;
  void mark_edited(chat_message& message);
  int64_t reserve_update_id(std::optional<int64_t> given);
  void enqueue(int64_t update_id, nlohmann::json body);
  std::vector<telegram::photo_size> photo_for(const std::string& file_id);
  std::vector<telegram::photo_size> new_photo();
  uint64_t revision_of(int64_t chat_id) const;
  void confirm_below(int64_t offset);
  void apply_allowed_updates(const std::vector<std::string>& kinds);
  void drop_unwanted_updates();
  bool kind_allowed(const std::string& kind) const;
  static int64_t now_unix();

  const bot_identity bot_;
  mutable std::recursive_mutex mutex_;
  mutable std::condition_variable_any changed_;

  std::map<int64_t, chat_state> chats_;
  std::deque<queued_update> updates_;
  int64_t next_update_id_;
  std::map<std::string, callback_answer> callbacks_;
  uint64_t next_callback_id_ = 1;
  std::map<std::string, std::vector<telegram::photo_size>> photos_;  // by the file_id of any size
  uint64_t next_photo_ = 1;
  std::map<std::string, std::shared_ptr<const photo_file>> photo_files_;  // by any size's file_id

  std::map<std::string, nlohmann::json> commands_;  // by language_code, "" for all languages
  nlohmann::json default_menu_button_;
  std::map<int64_t, nlohmann::json> chat_menu_buttons_;
  webhook_settings webhook_;
  std::optional<std::set<std::string>> allowed_updates_;  // absent: Telegram's default set

  faults faults_;
  rate_limiter limiter_;
  std::map<std::string, uint64_t> calls_;
  std::map<int, uint64_t> errors_;
  uint64_t rate_limited_ = 0;

  std::map<int64_t, int64_t> webhook_out_;  // update_id -> its user (0: none) while out
  uint64_t webhook_deliveries_ = 0;
  uint64_t webhook_failures_ = 0;

  poll_figures polls_;
  uint64_t poll_generation_ = 0;
  size_t waiting_polls_ = 0;
  bool closed_ = false;
};

}  // namespace lastcall::sandbox

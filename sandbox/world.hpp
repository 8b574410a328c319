#pragma once
// The sandbox's picture of Telegram, as one object for the HTTP front end, the tests and the
// benchmarks. It owns the parts that hold the state, each with one purpose and its own mutex:
//   chats             users, their chats with the bot, callback queries, files (chats.hpp)
//   update_queue      the bot's pending updates and getUpdates long polling (update_queue.hpp)
//   webhook_delivery  setWebhook and the updates out to the webhook (webhook_delivery.hpp)
//   bot_menu          the bot's commands and menu buttons (bot_menu.hpp)
//   call_admission    call counts, injected faults and flood control (call_admission.hpp)
// and forwards each method to the part it concerns. Locks are taken in one order only: chats or
// webhook_delivery, then update_queue (a user's action queues its update while its chat is locked;
// setWebhook and webhook answers change the queue while the webhook is locked); no part calls
// back up. Every change is announced on one change_signal, which all waits use, so a wait may
// depend on any mix of parts. A reading that spans parts (stats, bot_settings) reads each part
// under its own lock, one after another.

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "sandbox/bot_menu.hpp"
#include "sandbox/call_admission.hpp"
#include "sandbox/change_signal.hpp"
#include "sandbox/chats.hpp"
#include "sandbox/faults.hpp"
#include "sandbox/rate_limiter.hpp"
#include "sandbox/update_queue.hpp"
#include "sandbox/webhook_delivery.hpp"

namespace lastcall::sandbox {

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
  // The commands a user of this chat (0: anyone) and language sees in the bot's command menu.
  std::vector<std::string> my_commands(const std::string& language_code = "",
                                       int64_t chat_id = 0) const;
  nlohmann::json menu_button(int64_t chat_id = 0) const;  // 0: the default for all chats
  webhook_settings webhook() const;
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

  // ---- Waiting. The predicate runs after every change, with no lock held; it may call the reading
  // methods above (each reads under its part's lock). Do not call wait_* from inside a predicate.
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

  // ---- The Bot API front end (bot_api_methods.cpp) and the webhook sender reach the parts
  // directly; here is only what belongs to no single part.
  const bot_identity& bot() const { return bot_; }
  nlohmann::json bot_get_me() const;
  // The button is checked before the chat, as Telegram does.
  void bot_set_chat_menu_button(int64_t chat_id, const nlohmann::json& menu_button);
  sandbox::chats& chats() { return chats_; }
  sandbox::update_queue& updates() { return updates_; }
  sandbox::webhook_delivery& webhook_delivery() { return webhook_; }
  sandbox::bot_menu& menu() { return menu_; }

 private:
  const bot_identity bot_;
  change_signal signal_;
  sandbox::update_queue updates_;
  sandbox::chats chats_;
  sandbox::webhook_delivery webhook_;
  sandbox::bot_menu menu_;
  call_admission admission_;
};

}  // namespace lastcall::sandbox
